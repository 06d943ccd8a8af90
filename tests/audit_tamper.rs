//! `audit verify` finds every kind of tampering: edited, deleted, reordered and inserted
//! events, and decision rows that no event backs.

mod common;

use common::*;
use parakh::args;
use parakh::{audit, review};

/// A desk with some history, and a raw connection with the protective triggers dropped,
/// as a tamperer with the file (or the server's superuser) would.
fn tampered() -> (Desk, Bypass) {
    let mut d = desk();
    let ids = d.items(&["alpha", "beta"]);
    d.propose_takedown(&d.rev.clone(), ids[0], 1);
    review::approve(&mut d.ws, &d.lead, ids[0], None).unwrap();
    review::claim(&mut d.ws, &d.rev2, ids[1]).unwrap();
    assert!(audit::verify(&mut d.ws).unwrap().ok());
    let conn = d.bypass();
    let mut off: String = [
        ("audit_events", "audit_events_no_update"),
        ("audit_events", "audit_events_no_delete"),
        ("audit_events", "audit_events_chain"),
        ("approvals", "approvals_four_eyes"),
        ("evidence_data", "evidence_data_no_update"),
    ]
    .map(|(table, name)| switch_off(table, name))
    .concat();
    if on_server() {
        // The server keeps the chain's head in a table: audit_events_advance moves it and
        // refuses an event that does not continue it, the other half of the chain rule.
        off += &switch_off("audit_events", "audit_events_advance");
    }
    conn.execute_batch(&off).unwrap();
    (d, conn)
}

fn first_break(d: &mut Desk) -> (Option<i64>, String) {
    let v = audit::verify(&mut d.ws).unwrap();
    assert!(!v.ok(), "tampering went unnoticed");
    (v.problems[0].seq, v.problems[0].what.clone())
}

fn seq_of(conn: &Bypass, action: &str) -> i64 {
    conn.value(
        "SELECT MIN(seq) FROM audit_events WHERE action = ?1",
        args![action],
    )
    .unwrap()
}

#[test]
fn an_edited_event_is_found() {
    let (mut d, conn) = tampered();
    let seq = seq_of(&conn, "approve");
    conn.execute(
        "UPDATE audit_events SET actor = 'lead2' WHERE seq = ?1",
        args![seq],
    )
    .unwrap();
    let (at, what) = first_break(&mut d);
    assert_eq!(at, Some(seq));
    assert!(what.contains("edited"), "{what}");
}

#[test]
fn an_edited_payload_is_found_even_when_it_means_the_same() {
    let (mut d, conn) = tampered();
    let seq = seq_of(&conn, "propose");
    conn.execute(
        "UPDATE audit_events SET payload = ' ' || payload WHERE seq = ?1",
        args![seq],
    )
    .unwrap();
    assert_eq!(first_break(&mut d).0, Some(seq));
}

#[test]
fn a_deleted_event_is_found() {
    let (mut d, conn) = tampered();
    let seq = seq_of(&conn, "tag");
    // The tags still name the event, so its deletion goes in only with foreign keys off.
    conn.execute_without_foreign_keys("DELETE FROM audit_events WHERE seq = ?1", args![seq])
        .unwrap();
    let (at, what) = first_break(&mut d);
    assert_eq!(at, Some(seq));
    assert!(what.contains("missing"), "{what}");
}

#[test]
fn reordered_events_are_found() {
    let (mut d, conn) = tampered();
    let a = seq_of(&conn, "claim");
    // Swap the contents of two neighbouring events, keeping their numbers.
    conn.execute_batch(&format!(
        "CREATE TEMP TABLE t AS SELECT * FROM audit_events WHERE seq IN ({a}, {b});
         UPDATE audit_events SET hash = 'tmp' || substr(hash, 4) WHERE seq IN ({a}, {b});
         UPDATE audit_events SET at = (SELECT at FROM t WHERE seq = {b}), actor = (SELECT actor FROM t WHERE seq = {b}),
             action = (SELECT action FROM t WHERE seq = {b}), payload = (SELECT payload FROM t WHERE seq = {b}),
             hash = (SELECT hash FROM t WHERE seq = {b}) WHERE seq = {a};
         UPDATE audit_events SET at = (SELECT at FROM t WHERE seq = {a}), actor = (SELECT actor FROM t WHERE seq = {a}),
             action = (SELECT action FROM t WHERE seq = {a}), payload = (SELECT payload FROM t WHERE seq = {a}),
             hash = (SELECT hash FROM t WHERE seq = {a}) WHERE seq = {b};",
        b = a + 1
    ))
    .unwrap();
    assert_eq!(first_break(&mut d).0, Some(a));
}

#[test]
fn an_inserted_event_is_found() {
    let (mut d, conn) = tampered();
    let seq = seq_of(&conn, "attach");
    // Make room and slip a forged event in, with a correctly computed hash of its own; in
    // one transaction, so that every event number other rows name exists again when the
    // (deferred) foreign keys are checked.
    conn.execute_batch(&format!(
        "BEGIN;
         UPDATE audit_events SET seq = seq + 1000000 WHERE seq >= {seq};
         UPDATE audit_events SET seq = seq - 1000000 + 1 WHERE seq >= 1000000;"
    ))
    .unwrap();
    let prev: String = conn
        .value(
            "SELECT hash FROM audit_events WHERE seq = ?1",
            args![seq - 1],
        )
        .unwrap();
    let body = parakh::model::chain::EventBody {
        seq,
        at: parakh::clock::parse_ts("2026-11-01T09:00:00.000Z").unwrap(),
        actor: "rev",
        action: "attach",
        item: Some(1),
        payload: "{}",
    };
    conn.execute(
        "INSERT INTO audit_events (seq, at, actor, action, item_id, payload, prev_hash, hash) VALUES (?1, ?2, 'rev', 'attach', 1, '{}', ?3, ?4)",
        args![seq, body.at, prev, body.hash(&prev)],
    )
    .unwrap();
    conn.execute_batch("COMMIT").unwrap();
    let (at, what) = first_break(&mut d);
    assert_eq!(at, Some(seq + 1));
    assert!(what.contains("previous-hash"), "{what}");
}

#[test]
fn an_approval_no_event_backs_is_found() {
    let (mut d, conn) = tampered();
    let item = d.items(&["gamma"])[0];
    d.propose_takedown(&d.rev.clone(), item, 2);
    let pid: i64 = conn
        .value("SELECT id FROM proposals WHERE item_id = ?1", args![item])
        .unwrap();
    let hash: String = conn
        .value(
            "SELECT packet_hash FROM proposals WHERE id = ?1",
            args![pid],
        )
        .unwrap();
    // With foreign keys off, a dangling event number goes in.
    conn.execute_without_foreign_keys(
        "INSERT INTO approvals (proposal_id, approver_id, packet_hash, approved_at, event_seq)
         VALUES (?1, (SELECT id FROM users WHERE name = 'lead'), ?2, '2026-11-01T09:00:00.000Z', 424242)",
        args![pid, hash],
    )
    .unwrap();
    let (at, what) = first_break(&mut d);
    assert_eq!(at, Some(424242));
    assert!(
        what.contains("approval") && what.contains("no audit event"),
        "{what}"
    );
}

#[test]
fn an_approval_backed_by_the_wrong_event_is_found() {
    let (mut d, conn) = tampered();
    // Point the existing approval at the proposal's event instead of its own.
    let propose = seq_of(&conn, "propose");
    conn.execute_batch(&switch_off("approvals", "approvals_no_change"))
        .unwrap();
    conn.execute("UPDATE approvals SET event_seq = ?1", args![propose])
        .unwrap();
    let (at, what) = first_break(&mut d);
    assert_eq!(at, Some(propose));
    assert!(what.contains("not approve"), "{what}");
}

#[test]
fn a_tag_or_role_slipped_in_is_found() {
    let (mut d, conn) = tampered();
    conn.execute(
        "INSERT INTO item_groups (item_id, group_id, taxonomy_version, tagged_by, tagged_at, event_seq)
         VALUES (2, 'bla', 1, 'rev2', '2026-11-01T09:00:00.000Z', 1)",
        args![],
    )
    .unwrap();
    let v = audit::verify(&mut d.ws).unwrap();
    assert!(
        v.problems
            .iter()
            .any(|p| p.what.contains("group tag 'bla' on item #2")),
        "{:?}",
        v.problems
    );
    conn.execute(
        "UPDATE users SET role = 'lead' WHERE name = 'rev2'",
        args![],
    )
    .unwrap();
    let v = audit::verify(&mut d.ws).unwrap();
    assert!(
        v.problems
            .iter()
            .any(|p| p.what.contains("user 'rev2' holds role lead")),
        "{:?}",
        v.problems
    );
}

#[test]
fn corrupt_evidence_is_found_on_read_and_by_verify() {
    let (mut d, conn) = tampered();
    let sha: String = conn
        .value("SELECT sha256 FROM evidence LIMIT 1", args![])
        .unwrap();
    conn.execute(
        "UPDATE evidence_data SET data = ?2 WHERE sha256 = ?1",
        args![sha, b"\x89PNG\r\n\x1a\n\x00".to_vec()],
    )
    .unwrap();
    match parakh::evidence::read(&mut d.ws, &sha) {
        Err(parakh::Error::Integrity(m)) => assert!(m.contains("corrupt"), "{m}"),
        other => panic!("corruption not detected: {other:?}"),
    }
    let (_, what) = first_break(&mut d);
    assert!(what.contains(&sha), "{what}");
}

#[test]
fn a_flipped_mirror_verdict_is_found() {
    let (mut d, conn) = tampered();
    let ids = d.items(&["alpha_2"]);
    review::claim(&mut d.ws, &d.rev, ids[0]).unwrap();
    let taken: i64 = conn
        .value(
            "SELECT item_id FROM proposals WHERE state = 'approved'",
            args![],
        )
        .unwrap();
    parakh::mirrors::decide(&mut d.ws, &d.rev, ids[0], taken, true).unwrap();
    assert!(audit::verify(&mut d.ws).unwrap().ok());
    conn.execute_batch(&format!(
        "{} UPDATE mirror_verdicts SET confirmed = 0;",
        switch_off("mirror_verdicts", "mirror_verdicts_no_change")
    ))
    .unwrap();
    let (at, what) = first_break(&mut d);
    assert_eq!(at, Some(seq_of(&conn, "mirror_confirm")));
    assert!(what.contains("mirror"), "{what}");
}

#[test]
fn an_edited_or_added_hash_list_entry_is_found() {
    let (mut d, conn) = tampered();
    let list = d.file(
        "list.csv",
        format!(
            "hash,label\n{},campaign-a\n{},campaign-b\n",
            "ab".repeat(32),
            "cd".repeat(32)
        )
        .as_bytes(),
    );
    parakh::hashlist::import(&mut d.ws, &d.lead, &list, "exchange").unwrap();
    assert!(audit::verify(&mut d.ws).unwrap().ok());
    // The triggers keep lists as imported.
    let err = conn
        .execute("UPDATE hash_list_entries SET label = 'x'", args![])
        .unwrap_err();
    assert!(err.to_string().contains("never edited"), "{err}");
    conn.execute_batch(&format!(
        "{}
         UPDATE hash_list_entries SET label = 'campaign-z' WHERE label = 'campaign-b';",
        switch_off("hash_list_entries", "hash_list_entries_no_change")
    ))
    .unwrap();
    let (at, what) = first_break(&mut d);
    assert_eq!(at, Some(seq_of(&conn, "hashlist_import")));
    assert!(what.contains("hash list 'exchange'"), "{what}");
    conn.execute_batch(
        "UPDATE hash_list_entries SET label = 'campaign-b' WHERE label = 'campaign-z';",
    )
    .unwrap();
    assert!(audit::verify(&mut d.ws).unwrap().ok());
    conn.execute(
        "INSERT INTO hash_list_entries (list_id, hash, label) SELECT list_id, hash, 'slipped in' FROM hash_list_entries LIMIT 1",
        args![],
    )
    .unwrap();
    assert!(first_break(&mut d).1.contains("does not record"));
}
