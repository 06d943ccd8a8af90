//! PDQ at attach time and hash lists: every piece of evidence is hashed in eight
//! orientations when attached; a lead imports lists of known hashes; evidence within 31 bits
//! of a listed hash, in any orientation, is flagged with list, label and distance.

mod common;

use common::*;
use parakh::{Error, evidence, hashlist, review};
use std::path::PathBuf;

fn vector(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/pdq-vectors/images")
        .join(name)
}

fn expected(name: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(vector("").parent().unwrap().join("expected.json"))
        .expect("reference vectors");
    let all: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    all.into_iter().find(|e| e["file"] == name).unwrap()
}

/// An item with the original bridge photo attached; returns (desk, item, evidence hash).
fn with_bridge() -> (Desk, i64, String) {
    let mut d = desk();
    let id = d.items(&["bridge_account"])[0];
    review::claim(&mut d.ws, &d.rev, id).unwrap();
    let attached = evidence::attach(
        &mut d.ws,
        &d.rev,
        id,
        &[vector("dih__bridge-1-original.jpg")],
    )
    .unwrap();
    (d, id, attached[0].0.clone())
}

#[test]
fn evidence_is_hashed_in_eight_orientations_when_attached() {
    let (mut d, _, sha) = with_bridge();
    let (hash, quality) = hashlist::evidence_hash(&mut d.ws, &sha).unwrap().unwrap();
    let want = expected("dih__bridge-1-original.jpg");
    assert_eq!(hash.to_hex(), want["pdq"].as_str().unwrap());
    assert_eq!(quality, 100);
    let stored: i64 = d
        .bypass()
        .value(
            "SELECT COUNT(*) FROM evidence_pdq WHERE sha256 = ?1",
            parakh::args![sha],
        )
        .unwrap();
    assert_eq!(stored, 8);
}

#[test]
fn a_listed_hash_of_a_rotated_copy_flags_the_evidence() {
    let (mut d, id, sha) = with_bridge();
    let want = expected("dih__bridge-1-original.jpg");
    let rotated = want["dihedral"][1].as_str().unwrap();
    let unrelated = expected("pen-and-coaster.png")["pdq"]
        .as_str()
        .unwrap()
        .to_string();
    let csv = format!(
        "hash,label,source\n{rotated},synthetic-campaign-A,exchange-test\n{unrelated},other,exchange-test\n"
    );
    let file = d.file("list.csv", csv.as_bytes());
    assert_rule(
        hashlist::import(&mut d.ws, &d.rev, &file, "test-list"),
        "only a lead",
    );
    assert_eq!(
        hashlist::import(&mut d.ws, &d.lead, &file, "test-list").unwrap(),
        2
    );
    assert_rule(
        hashlist::import(&mut d.ws, &d.lead, &file, "test-list"),
        "already exists",
    );
    let m = hashlist::matches(&mut d.ws, id).unwrap();
    assert_eq!(m.len(), 1, "{m:?}");
    assert_eq!(
        (
            m[0].sha256.as_str(),
            m[0].list.as_str(),
            m[0].label.as_str()
        ),
        (sha.as_str(), "test-list", "synthetic-campaign-A")
    );
    assert_eq!((m[0].distance, m[0].orientation), (0, 1));
    assert!(
        parakh::audit::log(&mut d.ws, None)
            .unwrap()
            .iter()
            .any(|e| e.action == "hashlist_import")
    );
}

#[test]
fn a_near_hash_matches_and_a_far_one_does_not() {
    let (mut d, id, _) = with_bridge();
    let orig = parakh::pdq::PdqHash::from_hex(
        expected("dih__bridge-1-original.jpg")["pdq"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    let flip = |h: &parakh::pdq::PdqHash, bits: usize| {
        let mut w = h.0;
        for k in 0..bits {
            w[k / 16] ^= 1 << (k % 16);
        }
        parakh::pdq::PdqHash(w)
    };
    let text = format!(
        "# near and far copies\n{}\n{} trailing words are ignored\n",
        flip(&orig, 31),
        flip(&orig, 32)
    );
    let file = d.file("list.txt", text.as_bytes());
    hashlist::import(&mut d.ws, &d.lead, &file, "plain").unwrap();
    let m = hashlist::matches(&mut d.ws, id).unwrap();
    assert_eq!(m.iter().map(|m| m.distance).collect::<Vec<_>>(), [31]);
}

#[test]
fn a_bad_list_is_refused_whole_with_line_numbers() {
    let mut d = desk();
    let good = "a".repeat(64);
    let file = d.file(
        "bad.txt",
        format!("{good}\nnot-a-hash\n{}\n", "b".repeat(63)).as_bytes(),
    );
    match hashlist::import(&mut d.ws, &d.lead, &file, "bad") {
        Err(Error::Invalid(m)) => {
            assert!(
                m.contains("line 2: 'not-a-hash'") && m.contains("line 3:"),
                "{m}"
            );
            assert!(m.contains("nothing was stored"));
        }
        other => panic!("expected refusal, got {other:?}"),
    }
    let lists: i64 = d
        .bypass()
        .value("SELECT COUNT(*) FROM hash_lists", parakh::args![])
        .unwrap();
    assert_eq!(lists, 0);
}

#[test]
fn show_reports_hashes_and_matches() {
    let (d, id, _) = with_bridge();
    let want = expected("dih__bridge-1-original.jpg");
    let file = d.file(
        "l.txt",
        format!("{}\n", want["dihedral"][2].as_str().unwrap()).as_bytes(),
    );
    let run = |args: &[&str], who: Option<(&str, &str)>| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_parakh"));
        c.arg("--db").arg(&d.path).args(args);
        if let Some((n, p)) = who {
            c.args(["--as", n]).env("PARAKH_PASSWORD", p);
        }
        c.output().unwrap()
    };
    let out = run(
        &[
            "hashlist",
            "import",
            file.to_str().unwrap(),
            "--name",
            "cli-list",
        ],
        Some(("lead", PW)),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&["show", &id.to_string(), "--json"], None);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["evidence"][0]["pdq"]["hash"], want["pdq"]);
    assert_eq!(v["hash_matches"][0]["list"], "cli-list");
    assert_eq!(v["hash_matches"][0]["orientation"], 2);
    let text = String::from_utf8_lossy(&run(&["show", &id.to_string()], None).stdout).to_string();
    assert!(
        text.contains("MATCH") && text.contains("cli-list") && text.contains("0 bits"),
        "{text}"
    );
}

#[test]
fn a_hash_too_weak_to_use_matches_nothing() {
    let (mut d, id, bridge) = with_bridge();
    let flat = d.file("flat.png", &flat_png(64, 64, 128));
    let attached = evidence::attach(&mut d.ws, &d.rev, id, &[flat]).unwrap();
    let (flat_hash, quality) = hashlist::evidence_hash(&mut d.ws, &attached[0].0)
        .unwrap()
        .unwrap();
    assert!(quality < parakh::pdq::MIN_QUALITY, "quality {quality}");
    // The list holds the flat image's exact hash and the bridge's: only the bridge counts.
    let want = expected("dih__bridge-1-original.jpg");
    let csv = format!(
        "hash,label\n{},flat\n{},bridge\n",
        flat_hash.to_hex(),
        want["pdq"].as_str().unwrap()
    );
    let file = d.file("weak.csv", csv.as_bytes());
    hashlist::import(&mut d.ws, &d.lead, &file, "weak-test").unwrap();
    let found = hashlist::matches(&mut d.ws, id).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].sha256.as_str(), found[0].label.as_str()),
        (bridge.as_str(), "bridge")
    );
}
