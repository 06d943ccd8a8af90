//! Files Parakh writes out (decision exports, reports, evidence): never over an existing
//! file without being told, never through a link, never over the open store, and each one
//! recorded in the trail.

mod common;

use common::*;
use parakh::{Error, Workspace, audit, evidence, export, review};
use std::os::unix::fs::symlink;

/// A desk with one approved takedown; returns it and its evidence's hash.
fn approved() -> (Desk, String) {
    let mut d = desk();
    let id = d.items(&["ttp_media"])[0];
    let (rev, lead) = (d.rev.clone(), d.lead.clone());
    d.propose_takedown(&rev, id, 7);
    review::approve(&mut d.ws, &lead, id, None).unwrap();
    let sha: String = d
        .raw()
        .query_row("SELECT sha256 FROM evidence", [], |r| r.get(0))
        .unwrap();
    (d, sha)
}

fn refused<T: std::fmt::Debug>(r: parakh::Result<T>, needle: &str) {
    match r {
        Err(Error::Invalid(m)) => assert!(m.contains(needle), "{m:?} lacks {needle:?}"),
        other => panic!("expected a refusal containing {needle:?}, got {other:?}"),
    }
}

fn data_out_events(d: &mut Desk) -> Vec<serde_json::Value> {
    audit::log(&mut d.ws, None)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "data_out")
        .map(|e| serde_json::from_str(&e.payload).unwrap())
        .collect()
}

#[test]
fn an_existing_file_is_replaced_only_with_force() {
    let (mut d, _) = approved();
    let lead = d.lead.clone();
    let out = d.dir.path().join("decisions.csv");
    std::fs::write(&out, "someone's spreadsheet").unwrap();
    refused(
        export::write_decisions(&mut d.ws, Some(&lead), &out, false),
        "already exists",
    );
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "someone's spreadsheet"
    );
    assert!(
        data_out_events(&mut d).is_empty(),
        "nothing left, nothing recorded"
    );

    export::write_decisions(&mut d.ws, Some(&lead), &out, true).unwrap();
    assert!(std::fs::read_to_string(&out).unwrap().contains("ttp_media"));
    let events = data_out_events(&mut d);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["replaced"], true);
}

#[test]
fn the_open_store_is_never_written_over() {
    let (mut d, sha) = approved();
    let lead = d.lead.clone();
    for force in [false, true] {
        refused(
            evidence::get(&mut d.ws, Some(&lead), &sha, &d.path.clone(), force),
            "is the open store",
        );
        let wal = std::path::PathBuf::from(format!("{}-wal", d.path.display()));
        refused(
            evidence::get(&mut d.ws, Some(&lead), &sha, &wal, force),
            "is the open store",
        );
    }
    // Named another way (through its folder) it is still the store.
    let sneaky = d.dir.path().join(".").join("parakh.db");
    refused(
        evidence::get(&mut d.ws, Some(&lead), &sha, &sneaky, true),
        "is the open store",
    );
    Workspace::open(&d.path).expect("the store is intact");
    assert!(audit::verify(&mut d.ws).unwrap().problems.is_empty());
}

#[test]
fn links_are_never_written_through() {
    let (mut d, sha) = approved();
    let lead = d.lead.clone();
    let victim = d.dir.path().join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    let link = d.dir.path().join("shot.png");
    symlink(&victim, &link).unwrap();
    for force in [false, true] {
        refused(
            evidence::get(&mut d.ws, Some(&lead), &sha, &link, force),
            "symbolic link",
        );
    }
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");

    // Links planted where a temporary file might be created are not followed either.
    let out = d.dir.path().join("out.png");
    for name in [
        "out.png.partial".to_string(),
        format!(".out.png.partial-{}-0", std::process::id()),
    ] {
        symlink(&victim, d.dir.path().join(name)).unwrap();
    }
    evidence::get(&mut d.ws, Some(&lead), &sha, &out, false).unwrap();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    assert!(image::load_from_memory(&std::fs::read(&out).unwrap()).is_ok());
}

#[test]
fn what_leaves_is_recorded_with_where_it_went() {
    let (mut d, sha) = approved();
    let lead = d.lead.clone();
    let out = d.dir.path().join("evidence.png");
    let (mime, len) = evidence::get(&mut d.ws, Some(&lead), &sha, &out, false).unwrap();
    assert_eq!(
        (mime.as_str(), len as u64),
        ("image/png", std::fs::metadata(&out).unwrap().len())
    );
    let report = parakh::report::compute(
        &mut d.ws,
        parakh::report::parse_date("2026-11-01").unwrap(),
        parakh::report::parse_date("2026-11-30").unwrap(),
    )
    .unwrap();
    let html = d.dir.path().join("report.html");
    parakh::report::write(&mut d.ws, None, &report, &html, false).unwrap();

    let events = data_out_events(&mut d);
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[0]["what"]["kind"], "evidence");
    assert_eq!(events[0]["what"]["sha256"], sha.as_str());
    let canonical_dir = std::fs::canonicalize(d.dir.path()).unwrap();
    assert_eq!(
        events[0]["to"],
        canonical_dir.join("evidence.png").display().to_string()
    );
    assert_eq!(events[1]["what"]["kind"], "transparency_report");
    assert_eq!(events[1]["what"]["from"], "2026-11-01");
    let log = audit::log(&mut d.ws, None).unwrap();
    let actors: Vec<&str> = log
        .iter()
        .filter(|e| e.action == "data_out")
        .map(|e| e.actor.as_str())
        .collect();
    assert_eq!(actors[0], "lead");
    assert!(actors[1].ends_with("@local"), "{actors:?}");
    assert!(audit::verify(&mut d.ws).unwrap().problems.is_empty());
}
