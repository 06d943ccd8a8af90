//! The four-eyes rule and the append-only trail hold in SQLite itself: a caller who skips
//! the library and writes SQL still cannot store a self-approval or rewrite history.

mod common;

use common::*;
use rusqlite::{Connection, params};

fn refused(conn: &Connection, sql: &str, args: impl rusqlite::Params, needle: &str) {
    match conn.execute(sql, args) {
        Err(rusqlite::Error::SqliteFailure(_, Some(m))) => {
            assert!(m.contains(needle), "{m:?} lacks {needle:?}")
        }
        other => panic!("expected SQLite to refuse with {needle:?}, got {other:?}"),
    }
}

fn user_id(conn: &Connection, name: &str) -> i64 {
    conn.query_row("SELECT id FROM users WHERE name = ?1", [name], |r| r.get(0))
        .unwrap()
}

/// A pending proposal by `rev` on a fresh item: (connection, proposal id, packet hash).
fn pending(d: &mut Desk) -> (Connection, i64, String) {
    let id = d.items(&["alpha"])[0];
    let hash = d.propose_takedown(&d.rev.clone(), id, 1);
    let conn = d.raw();
    let pid = conn
        .query_row("SELECT id FROM proposals WHERE item_id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap();
    (conn, pid, hash)
}

const APPROVE: &str = "INSERT INTO approvals (proposal_id, approver_id, packet_hash, approved_at, event_seq) VALUES (?1, ?2, ?3, 'now', 999)";

#[test]
fn sqlite_refuses_a_self_approval() {
    let mut d = desk();
    let (conn, pid, hash) = pending(&mut d);
    // Make the proposer a lead, so only the four-eyes rule stands in the way.
    conn.execute("UPDATE users SET role = 'lead' WHERE name = 'rev'", [])
        .unwrap();
    refused(
        &conn,
        APPROVE,
        params![pid, user_id(&conn, "rev"), hash],
        "four-eyes",
    );
}

#[test]
fn sqlite_refuses_an_approval_by_a_non_lead_or_admin() {
    let mut d = desk();
    let (conn, pid, hash) = pending(&mut d);
    refused(
        &conn,
        APPROVE,
        params![pid, user_id(&conn, "rev2"), hash],
        "lead role",
    );
    refused(
        &conn,
        APPROVE,
        params![pid, user_id(&conn, "admin"), hash],
        "lead role",
    );
}

#[test]
fn sqlite_refuses_an_approval_naming_another_packet() {
    let mut d = desk();
    let (conn, pid, _) = pending(&mut d);
    refused(
        &conn,
        APPROVE,
        params![pid, user_id(&conn, "lead"), "ab".repeat(32)],
        "stale packet",
    );
}

#[test]
fn sqlite_refuses_shortcuts_to_a_final_decision() {
    let mut d = desk();
    let (conn, pid, _) = pending(&mut d);
    refused(
        &conn,
        "UPDATE proposals SET state = 'approved' WHERE id = ?1",
        [pid],
        "second person",
    );
    refused(
        &conn,
        "UPDATE proposals SET rationale = 'changed' WHERE id = ?1",
        [pid],
        "cannot be edited",
    );
    refused(
        &conn,
        "UPDATE items SET status = 'approved'",
        [],
        "approved proposal",
    );
    refused(&conn, "DELETE FROM proposals", [], "never deleted");
    refused(
        &conn,
        "INSERT INTO returns (proposal_id, lead_id, reason, returned_at, event_seq) VALUES (?1, ?2, ' ', 'now', 998)",
        params![pid, user_id(&conn, "lead")],
        "CHECK constraint",
    );
    refused(
        &conn,
        "INSERT INTO proposals (item_id, outcome, rationale, packet, packet_hash, proposer_id, proposed_at, event_seq)
         VALUES (?1, 'takedown', 'x', '{}', ?2, 1, 'now', 997)",
        params![d.items(&["beta"])[0], "cd".repeat(32)],
        "needs at least one piece of evidence",
    );
}

#[test]
fn sqlite_refuses_to_rewrite_the_audit_trail() {
    let mut d = desk();
    let id = d.items(&["alpha"])[0];
    d.propose_takedown(&d.rev.clone(), id, 1);
    let conn = d.raw();
    refused(
        &conn,
        "UPDATE audit_events SET actor = 'someone' WHERE seq = 1",
        [],
        "append-only",
    );
    refused(
        &conn,
        "DELETE FROM audit_events WHERE seq = 1",
        [],
        "append-only",
    );
    refused(
        &conn,
        "INSERT INTO audit_events (seq, at, actor, action, item_id, payload, prev_hash, hash)
         VALUES (2, 'now', 'x', 'forged', NULL, '{}', ?1, ?1)",
        ["0".repeat(64)],
        "continue the chain",
    );
    refused(
        &conn,
        "UPDATE evidence SET mime = 'image/gif'",
        [],
        "immutable",
    );
    refused(
        &conn,
        "UPDATE evidence_data SET data = X'00'",
        [],
        "immutable",
    );
    refused(&conn, "DELETE FROM item_evidence", [], "never detached");
    refused(&conn, "DELETE FROM items", [], "never deleted");
}
