//! The four-eyes rule and the append-only trail hold in the database itself: a caller who
//! skips the library and writes SQL (the `sqlite3` shell on a file, the superuser on a team
//! server) still cannot store a self-approval or rewrite history.

mod common;

use common::*;
use parakh::args;
use parakh::store::sql::Value;

/// Asserts the database refuses `sql` with a message containing `needle`.
#[track_caller]
fn refused(conn: &Bypass, sql: &str, args: &[Value], needle: &str) {
    match conn.execute(sql, args) {
        Err(parakh::Error::Rule(m) | parakh::Error::Integrity(m) | parakh::Error::Db(m)) => {
            assert!(m.contains(needle), "{m:?} lacks {needle:?}")
        }
        other => panic!("expected the database to refuse with {needle:?}, got {other:?}"),
    }
}

fn user_id(conn: &Bypass, name: &str) -> i64 {
    conn.value("SELECT id FROM users WHERE name = ?1", args![name])
        .unwrap()
}

/// A pending proposal by `rev` on a fresh item: (connection, proposal id, packet hash).
fn pending(d: &mut Desk) -> (Bypass, i64, String) {
    let id = d.items(&["alpha"])[0];
    let hash = d.propose_takedown(&d.rev.clone(), id, 1);
    let conn = d.bypass();
    let pid = conn
        .value("SELECT id FROM proposals WHERE item_id = ?1", args![id])
        .unwrap();
    (conn, pid, hash)
}

const APPROVE: &str = "INSERT INTO approvals (proposal_id, approver_id, packet_hash, approved_at, event_seq) VALUES (?1, ?2, ?3, 'now', 999)";

#[test]
fn the_database_refuses_a_self_approval() {
    let mut d = desk();
    let (conn, pid, hash) = pending(&mut d);
    // Make the proposer a lead, so only the four-eyes rule stands in the way.
    conn.execute("UPDATE users SET role = 'lead' WHERE name = 'rev'", args![])
        .unwrap();
    refused(
        &conn,
        APPROVE,
        args![pid, user_id(&conn, "rev"), hash],
        "four-eyes",
    );
}

#[test]
fn the_database_refuses_an_approval_by_a_non_lead_or_admin() {
    let mut d = desk();
    let (conn, pid, hash) = pending(&mut d);
    refused(
        &conn,
        APPROVE,
        args![pid, user_id(&conn, "rev2"), hash],
        "lead role",
    );
    refused(
        &conn,
        APPROVE,
        args![pid, user_id(&conn, "admin"), hash],
        "lead role",
    );
}

#[test]
fn the_database_refuses_an_approval_naming_another_packet() {
    let mut d = desk();
    let (conn, pid, _) = pending(&mut d);
    refused(
        &conn,
        APPROVE,
        args![pid, user_id(&conn, "lead"), "ab".repeat(32)],
        "stale packet",
    );
}

#[test]
fn the_database_refuses_shortcuts_to_a_final_decision() {
    let mut d = desk();
    let (conn, pid, _) = pending(&mut d);
    refused(
        &conn,
        "UPDATE proposals SET state = 'approved' WHERE id = ?1",
        args![pid],
        "second person",
    );
    refused(
        &conn,
        "UPDATE proposals SET rationale = 'changed' WHERE id = ?1",
        args![pid],
        "cannot be edited",
    );
    refused(
        &conn,
        "UPDATE items SET status = 'approved'",
        args![],
        "approved proposal",
    );
    refused(&conn, "DELETE FROM proposals", args![], "never deleted");
    // A CHECK constraint refuses the blank reason, in each database's own words.
    let check = if on_server() {
        "violates check constraint \"returns_reason_check\""
    } else {
        "CHECK constraint failed: length(trim(reason)) > 0"
    };
    refused(
        &conn,
        "INSERT INTO returns (proposal_id, lead_id, reason, returned_at, event_seq) VALUES (?1, ?2, ' ', 'now', 998)",
        args![pid, user_id(&conn, "lead")],
        check,
    );
    refused(
        &conn,
        "INSERT INTO proposals (item_id, outcome, rationale, packet, packet_hash, proposer_id, proposed_at, event_seq)
         VALUES (?1, 'takedown', 'x', '{}', ?2, 1, 'now', 997)",
        args![d.items(&["beta"])[0], "cd".repeat(32)],
        "needs at least one piece of evidence",
    );
}

#[test]
fn the_database_refuses_to_rewrite_the_audit_trail() {
    let mut d = desk();
    let id = d.items(&["alpha"])[0];
    d.propose_takedown(&d.rev.clone(), id, 1);
    let conn = d.bypass();
    refused(
        &conn,
        "UPDATE audit_events SET actor = 'someone' WHERE seq = 1",
        args![],
        "append-only",
    );
    refused(
        &conn,
        "DELETE FROM audit_events WHERE seq = 1",
        args![],
        "append-only",
    );
    refused(
        &conn,
        "INSERT INTO audit_events (seq, at, actor, action, item_id, payload, prev_hash, hash)
         VALUES (2, 'now', 'x', 'forged', NULL, '{}', ?1, ?1)",
        args!["0".repeat(64)],
        "continue the chain",
    );
    refused(
        &conn,
        "UPDATE evidence SET mime = 'image/gif'",
        args![],
        "immutable",
    );
    refused(
        &conn,
        "UPDATE evidence_data SET data = ?1",
        args![vec![0u8]],
        "immutable",
    );
    refused(
        &conn,
        "DELETE FROM item_evidence",
        args![],
        "never detached",
    );
    refused(&conn, "DELETE FROM items", args![], "never deleted");
}
