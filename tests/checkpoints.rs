//! Checkpoints and the desk's own memory show that the trail was not cut short, put back
//! to an older copy, rewritten or forked: in the manner of Certificate Transparency's
//! tests, each attack on a store with two leads' checkpoint is detected.

mod common;

use common::forge::{cut_newest, rewrite_from};
use common::*;
use parakh::args;
use parakh::checkpoint::{self, Signed};
use parakh::model::checkpoint::Checkpoint;
use parakh::{Workspace, audit, review};

/// A desk whose two leads have certified the trail, with its own state folder; returns the
/// checkpoint note.
fn certified() -> (Desk, Checkpoint) {
    let mut d = desk();
    let state = d.dir.path().join("state");
    d.ws = Workspace::open(&d.path)
        .unwrap()
        .with_clock(d.clock.clone())
        .with_state_dir(&state);
    let (lead, lead2, rev) = (d.lead.clone(), d.lead2.clone(), d.rev.clone());
    for who in ["lead", "lead2", "rev"] {
        parakh::auth::login(&mut d.ws, who, PW).unwrap();
    }
    let item = d.items(&["certified_account"])[0];
    d.propose_takedown(&rev, item, 12);
    review::approve(&mut d.ws, &lead, item, None).unwrap();
    let first = checkpoint::sign(&mut d.ws, &lead).unwrap();
    assert!(matches!(first, Signed::New(ref c) if c.signatures.len() == 1));
    let Signed::Cosigned(cp) = checkpoint::sign(&mut d.ws, &lead2).unwrap() else {
        panic!("the second lead cosigns")
    };
    assert_eq!(cp.signatures.len(), 2);
    (d, Checkpoint::parse(&cp.note()).unwrap())
}

fn problems_with(d: &mut Desk, cp: &Checkpoint) -> Vec<String> {
    audit::verify_with(&mut d.ws, &[("the kept checkpoint".into(), cp.clone())])
        .unwrap()
        .problems
        .into_iter()
        .map(|p| p.what)
        .collect()
}

#[test]
fn a_certified_trail_verifies_and_keeps_extending_its_checkpoint() {
    let (mut d, cp) = certified();
    assert_eq!(problems_with(&mut d, &cp), Vec::<String>::new());
    let more = d.items(&["later_account"])[0];
    let rev = d.rev.clone();
    d.propose_takedown(&rev, more, 13);
    assert_eq!(problems_with(&mut d, &cp), Vec::<String>::new());
}

#[test]
fn the_newest_events_cut_off_are_found_by_the_checkpoint_and_by_the_desk() {
    let (mut d, cp) = certified();
    // The desk closes; someone deletes the newest events; the desk opens the store again.
    let state = d.dir.path().join("state");
    d.ws = Workspace::open(&d.path).unwrap().with_state_dir(&state);
    cut_newest(&d.bypass(), 3);
    d.ws = Workspace::open(&d.path).unwrap().with_state_dir(&state);
    assert!(
        d.ws.desk_problem().is_some_and(|p| p.contains("is gone")),
        "{:?}",
        d.ws.desk_problem()
    );
    let found = problems_with(&mut d, &cp);
    assert_among(&found, "this desk has seen event #");
    assert_among(&found, "the kept checkpoint: it covers");
    assert_among(&found, "the newest events were cut off");
}

#[test]
fn an_older_copy_put_back_is_found_by_the_desk() {
    let (mut d, _) = certified();
    let copy = d.copy_store();
    let more = d.items(&["after_the_copy"])[0];
    let rev = d.rev.clone();
    review::claim(&mut d.ws, &rev, more).unwrap();
    let state = d.dir.path().join("state");
    drop(Workspace::open(&d.path).unwrap().with_state_dir(&state)); // the desk sees the newer trail
    d.put_back(copy);
    let mut ws = Workspace::open(&d.path).unwrap().with_state_dir(&state);
    assert!(
        ws.desk_problem().is_some_and(|p| p.contains("older copy")),
        "{:?}",
        ws.desk_problem()
    );
    assert!(!audit::verify(&mut ws).unwrap().ok());
}

#[test]
fn a_rewritten_history_is_found() {
    let (mut d, cp) = certified();
    // Event 2 rewritten and every later hash recomputed: the chain is consistent again.
    rewrite_from(&d.bypass(), 2, "{\"rewritten\":true}");
    let found = problems_with(&mut d, &cp);
    assert_among(&found, "history was rewritten or forked");
}

#[test]
fn a_checkpoint_edited_duplicated_or_signed_by_an_unknown_key_is_refused() {
    let (mut d, cp) = certified();
    let edited = Checkpoint {
        size: cp.size - 1,
        ..cp.clone()
    };
    assert_among(
        &problems_with(&mut d, &edited),
        "the signature of lead does not verify",
    );
    let duplicated = Checkpoint {
        signatures: vec![cp.signatures[0].clone(), cp.signatures[0].clone()],
        ..cp.clone()
    };
    assert_among(
        &problems_with(&mut d, &duplicated),
        "signed by 1 different lead(s); a checkpoint needs two",
    );
    let stranger = parakh::keys::generate("lead2");
    let forged_sig = stranger.sign_message(&cp.body());
    let id = parakh::model::checkpoint::key_id("lead2", &stranger.public());
    let unknown = Checkpoint {
        signatures: vec![cp.signatures[0].clone(), ("lead2".into(), id, forged_sig)],
        ..cp.clone()
    };
    assert_among(
        &problems_with(&mut d, &unknown),
        "a key the trail never enrolled for lead2",
    );
    let other_store = Checkpoint {
        origin: "parakh.local/store/0000".into(),
        ..cp
    };
    assert_among(
        &problems_with(&mut d, &other_store),
        "a checkpoint of another store",
    );
}

#[test]
fn a_lead_will_not_cosign_a_fork_of_what_they_certified() {
    let (d, _) = certified();
    let lead2 = d.lead2.clone();
    let lead = d.lead.clone();
    rewrite_from(&d.bypass(), 2, "{\"forked\":true}");
    // The first lead, on another desk with no memory of the old trail, signs the fork.
    let elsewhere = d.dir.path().join("elsewhere");
    let mut other = Workspace::open(&d.path)
        .unwrap()
        .with_clock(d.clock.clone())
        .with_state_dir(&elsewhere);
    parakh::auth::login(&mut other, "lead", PW).unwrap();
    assert!(matches!(
        checkpoint::sign(&mut other, &lead).unwrap(),
        Signed::New(_)
    ));
    // The second lead remembers what they cosigned, and refuses.
    let mut ws = Workspace::open(&d.path)
        .unwrap()
        .with_clock(d.clock.clone())
        .with_state_dir(&d.dir.path().join("state"));
    parakh::auth::login(&mut ws, "lead2", PW).unwrap();
    match checkpoint::sign(&mut ws, &lead2) {
        Err(parakh::Error::Integrity(m)) => {
            assert!(m.contains("does not extend the checkpoint"), "{m}")
        }
        other => panic!("cosigned a fork: {other:?}"),
    }
}

#[test]
fn every_column_of_every_event_edited_is_found() {
    let (d, cp) = certified();
    let conn = d.bypass();
    let events: i64 = conn
        .value("SELECT MAX(seq) FROM audit_events", args![])
        .unwrap();
    conn.switch_off("audit_events", "audit_events_no_update");
    let edits = [
        ("at", "'2020-01-01T00:00:00.000Z'"),
        ("actor", "'mallory'"),
        ("action", "'noop'"),
        ("item_id", "coalesce(item_id, 0) + 1"),
        ("payload", "payload || ' '"),
        (
            "prev_hash",
            "(CASE WHEN prev_hash LIKE 'ff%' THEN '00' ELSE 'ff' END) || substr(prev_hash, 3)",
        ),
        (
            "hash",
            "(CASE WHEN hash LIKE 'ff%' THEN '00' ELSE 'ff' END) || substr(hash, 3)",
        ),
    ];
    let path = d.path.clone();
    let state = d.dir.path().join("state");
    for seq in 1..=events {
        for (column, value) in edits {
            let before: parakh::store::sql::Value = conn
                .row(
                    &format!("SELECT {column} FROM audit_events WHERE seq = ?1"),
                    args![seq],
                    |r| r.get(0),
                )
                .unwrap();
            conn.execute_without_foreign_keys(
                &format!("UPDATE audit_events SET {column} = {value} WHERE seq = ?1"),
                args![seq],
            )
            .unwrap();
            let mut ws = Workspace::open(&path).unwrap().with_state_dir(&state);
            let v = audit::verify_with(&mut ws, &[("kept".into(), cp.clone())]).unwrap();
            assert!(!v.ok(), "event #{seq} with {column} edited passed verify");
            conn.execute_without_foreign_keys(
                &format!("UPDATE audit_events SET {column} = ?2 WHERE seq = ?1"),
                args![seq, before],
            )
            .unwrap();
        }
    }
    let mut ws = Workspace::open(&path).unwrap().with_state_dir(&state);
    assert!(
        audit::verify_with(&mut ws, &[("kept".into(), cp)])
            .unwrap()
            .ok(),
        "restored, it verifies again"
    );
}

#[test]
fn the_checkpoint_goes_into_bags_and_reports() {
    let (mut d, cp) = certified();
    let lead = d.lead.clone();
    let bag = d.telegram_bag(&lead);
    let kept = std::fs::read_to_string(bag.join("data/checkpoint.txt")).unwrap();
    assert_eq!(Checkpoint::parse(&kept).unwrap(), cp);

    let report = parakh::report::compute(
        &mut d.ws,
        parakh::report::parse_date("2026-10-01").unwrap(),
        parakh::report::parse_date("2026-11-30").unwrap(),
    )
    .unwrap();
    assert_eq!(report.checkpoint.as_deref(), Some(cp.note().as_str()));
    let html = parakh::report::render::html(&report);
    let section = &html[html.find("id=\"checkpoint\"").unwrap()..];
    assert!(section.contains(&cp.body().lines().next().unwrap().to_string()));
    assert!(section.contains("<svg"), "the QR code is drawn inline");
}
