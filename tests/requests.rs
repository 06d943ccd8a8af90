//! Takedown requests: built by a lead from approved takedowns, exported as BagIt bags that
//! an independent validator (the `bagit` package from PyPI, which `.ci/run` installs)
//! accepts, marked sent, answered item by item, and held to the response clock.

mod common;

use chrono::Duration;
use common::*;
use parakh::model::Platform;
use parakh::model::request::Response;
use parakh::{audit, requests, review};
use std::process::Command;

/// A desk with `n` approved takedowns on Telegram (proposed by rev, approved by lead).
fn approved(n: usize) -> (Desk, Vec<i64>) {
    let mut d = desk();
    let handles: Vec<String> = (0..n).map(|i| format!("channel_{i}")).collect();
    let ids = d.items(&handles.iter().map(String::as_str).collect::<Vec<_>>());
    for (k, &id) in ids.iter().enumerate() {
        d.propose_takedown(&d.rev.clone(), id, 10 + k as u8);
        review::approve(&mut d.ws, &d.lead, id, None).unwrap();
    }
    (d, ids)
}

#[test]
fn a_lead_builds_a_request_per_platform_from_approved_takedowns_once() {
    let (mut d, ids) = approved(2);
    assert_rule(
        requests::create(&mut d.ws, &d.rev, Platform::Telegram, false, None),
        "only a lead",
    );
    assert_rule(
        requests::create(&mut d.ws, &d.lead, Platform::Youtube, false, None),
        "no approved takedown on youtube",
    );
    let r = requests::create(&mut d.ws, &d.lead, Platform::Telegram, false, None).unwrap();
    assert_eq!(r, "TDR-2026-0001");
    let v = requests::show(&mut d.ws, &r).unwrap();
    assert_eq!(v.items.iter().map(|i| i.item).collect::<Vec<_>>(), ids);
    assert_eq!((v.request.window_hours, v.standing.as_str()), (48, "draft"));
    // The same decisions are not requested twice.
    assert_rule(
        requests::create(&mut d.ws, &d.lead, Platform::Telegram, false, None),
        "no approved takedown on telegram",
    );
    // A new approval makes a second request possible, numbered on.
    let more = d.items(&["channel_late"]);
    d.propose_takedown(&d.rev.clone(), more[0], 40);
    review::approve(&mut d.ws, &d.lead2, more[0], None).unwrap();
    let r2 = requests::create(&mut d.ws, &d.lead, Platform::Telegram, true, Some(&more)).unwrap();
    assert_eq!(r2, "TDR-2026-0002");
    assert_eq!(
        requests::show(&mut d.ws, &r2).unwrap().request.window_hours,
        12
    );
    // The store refuses what the library would: a pending proposal cannot be requested.
    let err = d
        .bypass()
        .execute(
            "INSERT INTO request_items (request_id, item_id, proposal_id)
             SELECT 1, p.item_id, p.id FROM proposals p WHERE p.item_id = ?1",
            parakh::args![more[0]],
        )
        .unwrap_err();
    assert!(err.to_string().contains("already in a request"), "{err}");
}

#[test]
fn sending_responses_and_the_clock() {
    let (mut d, ids) = approved(2);
    let r = requests::create(&mut d.ws, &d.lead, Platform::Telegram, false, None).unwrap();
    assert_rule(
        requests::record_response(&mut d.ws, &d.rev, &r, ids[0], Response::Removed, None, ""),
        "has not been sent",
    );
    assert_rule(
        requests::mark_sent(&mut d.ws, &d.rev, &r, "  ", "", None),
        "channel",
    );
    let sent_at = d.ws.now();
    let due = requests::mark_sent(
        &mut d.ws,
        &d.rev,
        &r,
        "law-enforcement portal",
        "TG-1",
        None,
    )
    .unwrap();
    assert_eq!(due, sent_at + Duration::hours(48));
    assert_rule(
        requests::mark_sent(&mut d.ws, &d.rev, &r, "e-mail", "", None),
        "already sent",
    );
    assert_rule(
        requests::record_response(
            &mut d.ws,
            &d.rev,
            &r,
            ids[0],
            Response::Reinstated,
            None,
            "",
        ),
        "not a response to a takedown",
    );
    assert_rule(
        requests::record_response(&mut d.ws, &d.rev, &r, 999, Response::Removed, None, ""),
        "not in",
    );
    d.clock.advance(Duration::hours(3));
    requests::record_response(
        &mut d.ws,
        &d.rev,
        &r,
        ids[0],
        Response::Acknowledged,
        None,
        "ticket opened",
    )
    .unwrap();
    requests::record_response(&mut d.ws, &d.rev, &r, ids[0], Response::Removed, None, "").unwrap();
    assert_eq!(requests::show(&mut d.ws, &r).unwrap().standing, "waiting");
    assert!(requests::list(&mut d.ws, true).unwrap().is_empty());
    // An acknowledgement does not stop the clock: past 48 hours with one item open, overdue.
    requests::record_response(
        &mut d.ws,
        &d.rev,
        &r,
        ids[1],
        Response::Acknowledged,
        None,
        "",
    )
    .unwrap();
    d.clock.advance(Duration::hours(46));
    let overdue = requests::list(&mut d.ws, true).unwrap();
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0].request.reference, r);
    assert_eq!(overdue[0].items[1].latest.as_deref(), Some("acknowledged"));
    // A late refusal answers it.
    requests::record_response(
        &mut d.ws,
        &d.rev,
        &r,
        ids[1],
        Response::Refused,
        None,
        "not against our terms",
    )
    .unwrap();
    assert_eq!(requests::show(&mut d.ws, &r).unwrap().standing, "answered");
    assert!(requests::list(&mut d.ws, true).unwrap().is_empty());
    // Responses cannot predate the sending, nor be edited afterwards.
    assert_rule(
        requests::record_response(
            &mut d.ws,
            &d.rev,
            &r,
            ids[1],
            Response::Removed,
            Some(sent_at - Duration::hours(1)),
            "",
        ),
        "before the request was sent",
    );
    assert!(
        d.bypass()
            .execute(
                "UPDATE request_responses SET response = 'removed'",
                parakh::args![]
            )
            .is_err()
    );
    assert!(
        d.bypass()
            .execute("DELETE FROM request_sends", parakh::args![])
            .is_err()
    );
    let v = audit::verify(&mut d.ws).unwrap();
    assert!(v.ok(), "{:?}", v.problems);
}

#[test]
fn an_emergency_request_is_overdue_after_twelve_hours() {
    let (mut d, _) = approved(1);
    let r = requests::create(&mut d.ws, &d.lead, Platform::Telegram, true, None).unwrap();
    requests::mark_sent(&mut d.ws, &d.lead, &r, "liaison officer", "", None).unwrap();
    d.clock.advance(Duration::hours(12));
    assert_eq!(requests::show(&mut d.ws, &r).unwrap().standing, "waiting");
    d.clock.advance(Duration::minutes(1));
    assert_eq!(requests::show(&mut d.ws, &r).unwrap().standing, "overdue");
}

#[test]
fn the_response_windows_come_from_the_taxonomy_file() {
    let (mut d, _) = approved(1);
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/taxonomy.toml"))
            .unwrap()
            .replace("response_window_hours = 48", "response_window_hours = 24");
    let f = d.file("taxonomy.toml", text.as_bytes());
    parakh::taxonomy::import(&mut d.ws, &d.lead, &f).unwrap();
    let r = requests::create(&mut d.ws, &d.lead, Platform::Telegram, false, None).unwrap();
    assert_eq!(
        requests::show(&mut d.ws, &r).unwrap().request.window_hours,
        24
    );
}

fn validate_with_bagit(dir: &std::path::Path) -> (bool, String) {
    let out = Command::new("python3")
        .args(["-c", "import sys, bagit; b = bagit.Bag(sys.argv[1]); b.validate(); print('valid', len(b.payload_entries()))"])
        .arg(dir)
        .output()
        .expect("python3 runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !text.contains("No module named 'bagit'"),
        "the BagIt validator is missing: `pip install bagit` (.ci/run does)"
    );
    (out.status.success(), text)
}

#[test]
fn an_exported_request_is_a_valid_bag_with_the_evidence_and_a_summary() {
    let (mut d, ids) = approved(2);
    let r = requests::create(&mut d.ws, &d.lead, Platform::Telegram, false, None).unwrap();
    let out = d.dir.path().join("bag");
    requests::export(&mut d.ws, Some(&d.lead), &r, &out).unwrap();
    let (ok, text) = validate_with_bagit(&out);
    assert!(ok, "bagit: {text}");
    assert!(
        text.contains("valid 4"),
        "two screenshots, request.json, request.csv: {text}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("data/request.json")).unwrap()).unwrap();
    assert_eq!(json["ref"], r.as_str());
    assert_eq!(json["items"][0]["item"], ids[0]);
    assert_eq!(json["items"][0]["grounds"][0]["id"], "peca-9");
    assert_eq!(json["items"][0]["decision"]["approver"], "lead");
    let shot = json["items"][1]["evidence"][0]["path"].as_str().unwrap();
    assert_eq!(std::fs::read(out.join(shot)).unwrap(), png(40, 30, 11));
    let mut csv = csv::Reader::from_path(out.join("data/request.csv")).unwrap();
    assert_eq!(csv.records().count(), 2);
    // Exporting again into the same folder is refused; the bag stays as it was.
    assert!(requests::export(&mut d.ws, Some(&d.lead), &r, &out).is_err());
    // The validator catches a changed evidence file.
    std::fs::write(out.join(shot), b"tampered").unwrap();
    let (ok, text) = validate_with_bagit(&out);
    assert!(!ok, "a changed file must fail validation: {text}");
}

#[test]
fn the_cli_prints_the_reference_alone_on_the_last_line_and_lists_overdue_requests() {
    let (mut d, ids) = approved(2);
    // One request made and sent on the desk's clock (1 November), three weeks ago.
    let old = requests::create(
        &mut d.ws,
        &d.lead,
        Platform::Telegram,
        false,
        Some(&ids[..1]),
    )
    .unwrap();
    requests::mark_sent(&mut d.ws, &d.lead, &old, "portal", "", None).unwrap();
    drop(d.ws);
    let run = |args: &[&str], who: Option<&str>| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_parakh"));
        c.args(args)
            .env("PARAKH_DB", &d.path)
            .env("PARAKH_PASSWORD", PW);
        if let Some(w) = who {
            c.args(["--as", w]);
        }
        let out = c.output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let out = run(
        &["request", "create", "--platform", "telegram", "--emergency"],
        Some("lead"),
    );
    let reference = out.lines().last().unwrap();
    assert!(
        reference.starts_with("TDR-") && !reference.contains(' '),
        "{out}"
    );
    assert!(out.contains(&format!("#{}", ids[1])), "{out}");
    run(
        &["request", "sent", reference, "--channel", "portal"],
        Some("rev"),
    );
    let overdue = run(&["request", "list", "--overdue", "--json"], None);
    let list: serde_json::Value = serde_json::from_str(&overdue).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1, "{overdue}");
    assert_eq!(list[0]["reference"], old.as_str());
    assert_eq!(list[0]["standing"], "overdue");
    let all = run(&["request", "list"], None);
    assert!(all.contains("OVERDUE") && all.contains("WAITING"), "{all}");
    let shown: serde_json::Value =
        serde_json::from_str(&run(&["show", &ids[0].to_string(), "--json"], None)).unwrap();
    assert_eq!(shown["requests"][0]["reference"], old.as_str());
    assert_eq!(shown["requests"][0]["kind"], "takedown");
    let bag = d.dir.path().join("cli-bag");
    run(
        &[
            "request",
            "export",
            reference,
            "--out",
            bag.to_str().unwrap(),
        ],
        Some("lead"),
    );
    assert!(validate_with_bagit(&bag).0);
    // The form without --as: the export is recorded as the operating-system user.
    let unsigned = d.dir.path().join("cli-bag-unsigned");
    run(
        &[
            "request",
            "export",
            reference,
            "--out",
            unsigned.to_str().unwrap(),
        ],
        None,
    );
    assert!(validate_with_bagit(&unsigned).0);
    let log = run(&["audit", "log"], None);
    let exports: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("request_export"))
        .collect();
    assert_eq!(exports.len(), 2, "{log}");
    assert!(exports.iter().any(|l| l.contains("@local")), "{log}");
    run(&["audit", "verify"], None);
}
