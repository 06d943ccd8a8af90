//! The transparency report on a hand-built store where every figure is known in advance.

mod common;

use chrono::{NaiveDate, TimeZone, Utc};
use common::*;
use parakh::appeals::{self, AppealOutcome};
use parakh::import::RawRow;
use parakh::model::request::Response;
use parakh::model::{Outcome, Platform};
use parakh::{report, requests, review};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn at(month: u32, d: u32, h: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, d, h, 0, 0).unwrap()
}

/// Sets the desk's clock to `t` (only forwards).
fn set(d: &Desk, t: chrono::DateTime<Utc>) {
    let now = d.clock.now();
    assert!(t >= now, "the clock only moves forward");
    d.clock.advance(t - now);
}

/// Imports items (handle, platform, reported at) and returns their ids.
fn import(d: &mut Desk, rows: &[(&str, &str, chrono::DateTime<Utc>)]) -> Vec<i64> {
    d.import(
        rows.iter()
            .map(|(h, p, t)| RawRow {
                platform: p.to_string(),
                reported_at: t.to_rfc3339(),
                url: format!("https://example.org/{h}"),
                ..row(h)
            })
            .collect(),
    )
}

/// The store the figures below are worked out from (times on 1 November unless noted).
fn hand_built() -> Desk {
    let mut d = desk(); // the clock starts at 09:00
    let ids = import(
        &mut d,
        &[
            ("a_tg", "telegram", at(11, 1, 1)),
            ("b_tg", "telegram", at(11, 1, 7)),
            ("c_x", "x", at(11, 1, 8)),
            ("d_x", "x", at(10, 31, 15)), // reported before the period
            ("e_tg", "telegram", at(11, 1, 0)), // never decided
        ],
    );
    let (a, b, c, x) = (ids[0], ids[1], ids[2], ids[3]);
    let rev = d.rev.clone();
    d.propose_takedown(&rev, a, 1); // 09:00, 8 h after the report
    set(&d, at(11, 1, 10));
    review::approve(&mut d.ws, &d.lead, a, None).unwrap(); // 1 h
    d.propose_takedown(&rev, b, 2); // 10:00, 3 h after the report
    set(&d, at(11, 1, 11));
    review::return_item(&mut d.ws, &d.lead, b, "name the ground in the rationale").unwrap();
    review::claim(&mut d.ws, &rev, b).unwrap();
    review::propose(
        &mut d.ws,
        &rev,
        b,
        Outcome::Takedown,
        "PECA s.9: glorifies the group's attack",
    )
    .unwrap(); // 11:00, not a first proposal
    set(&d, at(11, 1, 14));
    review::approve(&mut d.ws, &d.lead2, b, None).unwrap(); // 3 h
    review::claim(&mut d.ws, &d.rev2, c).unwrap();
    review::propose(&mut d.ws, &d.rev2, c, Outcome::NoViolation, "news report").unwrap(); // 14:00, 6 h
    set(&d, at(11, 1, 15));
    review::approve(&mut d.ws, &d.lead, c, None).unwrap(); // 1 h
    d.propose_takedown(&rev, x, 3); // 15:00, 24 h after the report
    set(&d, at(11, 1, 16));
    review::approve(&mut d.ws, &d.lead, x, None).unwrap(); // 1 h

    // Telegram: A and B, sent at 16:00 with 48 h; A removed after 5 h, B after 72 h (late).
    let tg = requests::create(&mut d.ws, &d.lead, Platform::Telegram, false, None).unwrap();
    requests::mark_sent(&mut d.ws, &d.lead, &tg, "portal", "", None).unwrap();
    // X: D, an emergency sent at 16:00 (12 h); refused after 4 h.
    let xr = requests::create(&mut d.ws, &d.lead, Platform::X, true, None).unwrap();
    requests::mark_sent(&mut d.ws, &d.lead, &xr, "e-mail", "", None).unwrap();

    // A's takedown is appealed and overturned (17:00).
    set(&d, at(11, 1, 17));
    let appeal = appeals::file(&mut d.ws, &d.rev2, a, "holder", "L-1", "grounds").unwrap();
    appeals::propose(
        &mut d.ws,
        &d.rev2,
        appeal,
        AppealOutcome::Overturned,
        "reasons",
    )
    .unwrap();
    appeals::approve(&mut d.ws, &d.lead2, appeal).unwrap();

    set(&d, at(11, 6, 9));
    let resp = |d: &mut Desk, r: &str, item, what, t| {
        requests::record_response(&mut d.ws, &d.rev.clone(), r, item, what, Some(t), "").unwrap()
    };
    resp(&mut d, &tg, a, Response::Acknowledged, at(11, 1, 18));
    resp(&mut d, &tg, a, Response::Removed, at(11, 1, 21));
    resp(&mut d, &tg, b, Response::Removed, at(11, 4, 16));
    resp(&mut d, &xr, x, Response::Refused, at(11, 1, 20));
    d
}

#[test]
fn every_figure_of_a_hand_built_period() {
    let mut d = hand_built();
    let r = report::compute(&mut d.ws, day(1), day(30)).unwrap();
    assert_eq!(r.items_received, 4, "D was reported in October");
    let outcomes: Vec<(&str, u64)> = r
        .decisions_by_outcome
        .iter()
        .map(|c| (c.label.as_str(), c.count))
        .collect();
    assert_eq!(outcomes, [("takedown", 3), ("no_violation", 1)]);
    let platforms: Vec<(&str, u64, u64)> = r
        .decisions_by_platform
        .iter()
        .map(|p| (p.platform.as_str(), p.takedown, p.no_violation))
        .collect();
    assert_eq!(platforms, [("telegram", 2, 0), ("x", 1, 1)]);
    assert_eq!(
        (
            r.takedowns_by_group[0].label.as_str(),
            r.takedowns_by_group[0].count
        ),
        ("ttp", 3)
    );
    assert_eq!(
        (
            r.takedowns_by_ground[0].label.as_str(),
            r.takedowns_by_ground[0].count
        ),
        ("peca-9", 3)
    );
    // Readers see the labels sealed with the decisions, not taxonomy ids.
    assert_eq!(r.takedowns_by_group[0].shown(), "TTP");
    assert_eq!(
        r.takedowns_by_ground[0].shown(),
        "Prevention of Electronic Crimes Act 2016 s.9"
    );
    // First proposals 8, 3, 6 and 24 hours after the report; approvals after 1, 3, 1, 1.
    assert_eq!(r.report_to_proposal.count, 4);
    assert_eq!(r.report_to_proposal.median_hours, Some(7.0));
    assert_eq!(r.report_to_proposal.p90_hours, Some(24.0));
    assert_eq!(r.proposal_to_approval.median_hours, Some(1.0));
    assert_eq!(r.proposal_to_approval.p90_hours, Some(3.0));
    assert_eq!(
        (r.proposals, r.proposals_returned, r.share_returned),
        (5, 1, Some(0.2))
    );
    assert_eq!(
        (
            r.appeals,
            r.appeals_decided,
            r.appeals_overturned,
            r.share_overturned
        ),
        (1, 1, 1, Some(1.0))
    );
    assert_eq!(
        r.requests.len(),
        2,
        "the reinstatement request is not a takedown request"
    );
    let tg = &r.requests[0];
    assert_eq!(tg.platform, "telegram");
    assert_eq!(
        (tg.requests_sent, tg.items_requested, tg.items_removed),
        (1, 2, 2)
    );
    assert_eq!(
        (tg.share_removed, tg.median_hours_to_removal),
        (Some(1.0), Some(38.5))
    );
    assert_eq!(
        (tg.requests_overdue, tg.share_overdue),
        (1, Some(1.0)),
        "B was removed after 72 h"
    );
    let x = &r.requests[1];
    assert_eq!(
        (
            x.requests_sent,
            x.items_removed,
            x.share_removed,
            x.median_hours_to_removal
        ),
        (1, 0, Some(0.0), None)
    );
    assert_eq!(
        (x.requests_overdue, x.share_overdue),
        (0, Some(0.0)),
        "refused within 12 h"
    );

    // A period before all of it: one item received, nothing else.
    let oct = report::compute(
        &mut d.ws,
        NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
        NaiveDate::from_ymd_opt(2026, 10, 31).unwrap(),
    )
    .unwrap();
    assert_eq!(oct.items_received, 1);
    assert!(oct.decisions_by_outcome.is_empty() && oct.requests.is_empty());
    assert_eq!(
        (oct.share_returned, oct.report_to_proposal.median_hours),
        (None, None)
    );
    assert!(
        report::compute(&mut d.ws, day(2), day(1)).is_err(),
        "a period that ends before it starts"
    );
}

#[test]
fn the_report_is_written_as_csv_or_self_contained_html() {
    let d = hand_built();
    let report_to = |out: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_parakh"))
            .args([
                "report",
                "--from",
                "2026-11-01",
                "--to",
                "2026-11-30",
                "--out",
            ])
            .arg(out)
            .env("PARAKH_DB", &d.path)
            .output()
            .unwrap()
    };
    for (name, check) in [
        (
            "r.csv",
            &(|t: &str| {
                assert!(t.starts_with("section,label,value\n"));
                assert!(t.contains("report_to_proposal,median_hours,7\n"), "{t}");
                assert!(
                    t.contains("requests/telegram,median_hours_to_removal,38.5\n"),
                    "{t}"
                );
                assert!(t.contains("requests/x,median_hours_to_removal,\n"), "{t}");
            }) as &dyn Fn(&str),
        ),
        ("r.html", &|t: &str| {
            assert!(t.contains("<svg") && !t.contains("<script") && !t.contains("https://"));
            assert!(t.contains("Telegram") && t.contains("2026-11-01"));
        }),
    ] {
        let out = d.dir.path().join(name);
        let o = report_to(&out);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        check(&std::fs::read_to_string(&out).unwrap());
    }
    let o = report_to(std::path::Path::new("r.pdf"));
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains(".csv or .html"));
}
