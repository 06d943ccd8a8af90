//! Forging as an attacker with write access to the store file would: events appended with
//! the chain recomputed, rows written with the triggers dropped.

use super::Desk;
use parakh::model::canonical;
use parakh::model::chain::EventBody;
use rusqlite::{Connection, params};
use serde_json::json;

/// Appends an event that continues the chain, as anybody who can compute SHA-256 can.
pub fn forge(
    conn: &Connection,
    actor: &str,
    action: &str,
    item: Option<i64>,
    payload: serde_json::Value,
) -> i64 {
    let (seq, prev): (i64, String) = conn
        .query_row(
            "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let payload = canonical::to_string(&payload);
    let at = "2026-11-01T09:30:00.000Z";
    let body = EventBody {
        seq: seq + 1,
        at,
        actor,
        action,
        item,
        payload: &payload,
    };
    let hash = body.hash(&prev);
    conn.execute(
        "INSERT INTO audit_events (seq, at, actor, action, item_id, payload, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![seq + 1, at, actor, action, item, payload, prev, hash],
    )
    .unwrap();
    seq + 1
}

/// Writes an approval of `item`'s pending proposal by `who`, rows and event, with the
/// four-eyes trigger dropped.
pub fn forge_approval(d: &Desk, item: i64, who: &str) -> i64 {
    let conn = d.raw();
    conn.execute_batch("DROP TRIGGER IF EXISTS approvals_four_eyes")
        .unwrap();
    let (pid, hash, outcome, proposer): (i64, String, String, String) = conn
        .query_row(
            "SELECT p.id, p.packet_hash, p.outcome, u.name FROM proposals p JOIN users u ON u.id = p.proposer_id
              WHERE p.item_id = ?1 AND p.state = 'pending'",
            [item],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    let seq: i64 = conn
        .query_row("SELECT MAX(seq) + 1 FROM audit_events", [], |r| r.get(0))
        .unwrap();
    conn.execute(
        "INSERT INTO approvals (proposal_id, approver_id, packet_hash, approved_at, event_seq)
         VALUES (?1, (SELECT id FROM users WHERE name = ?2), ?3, '2026-11-01T09:30:00.000Z', ?4)",
        params![pid, who, hash, seq],
    )
    .unwrap();
    conn.execute(
        "UPDATE proposals SET state = 'approved' WHERE id = ?1",
        [pid],
    )
    .unwrap();
    conn.execute("UPDATE items SET status = 'approved' WHERE id = ?1", [item])
        .unwrap();
    forge(
        &conn,
        who,
        "approve",
        Some(item),
        json!({
            "proposal": pid, "packet_hash": hash, "proposer": proposer, "outcome": outcome, "opened_evidence": null,
        }),
    )
}

/// Rewrites event `seq`'s payload and recomputes the hash of it and every later event, as
/// someone rewriting history from there would (the chain triggers dropped first).
pub fn rewrite_from(conn: &Connection, seq: i64, payload: &str) {
    conn.execute_batch(
        "DROP TRIGGER IF EXISTS audit_events_no_update; DROP TRIGGER IF EXISTS audit_events_chain;",
    )
    .unwrap();
    conn.execute(
        "UPDATE audit_events SET payload = ?2 WHERE seq = ?1",
        params![seq, payload],
    )
    .unwrap();
    let mut prev: String = conn
        .query_row(
            "SELECT prev_hash FROM audit_events WHERE seq = ?1",
            [seq],
            |r| r.get(0),
        )
        .unwrap();
    let rows: Vec<(i64, String, String, String, Option<i64>, String)> = conn
        .prepare("SELECT seq, at, actor, action, item_id, payload FROM audit_events WHERE seq >= ?1 ORDER BY seq")
        .unwrap()
        .query_map([seq], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (s, at, actor, action, item, payload) in rows {
        let body = EventBody {
            seq: s,
            at: &at,
            actor: &actor,
            action: &action,
            item,
            payload: &payload,
        };
        let hash = body.hash(&prev);
        conn.execute(
            "UPDATE audit_events SET prev_hash = ?2, hash = ?3 WHERE seq = ?1",
            params![s, prev, hash],
        )
        .unwrap();
        prev = hash;
    }
}

/// Deletes the newest `n` events (the triggers dropped first).
pub fn cut_newest(conn: &Connection, n: i64) {
    conn.execute_batch("DROP TRIGGER IF EXISTS audit_events_no_delete; PRAGMA foreign_keys = OFF;")
        .unwrap();
    conn.execute(
        "DELETE FROM audit_events WHERE seq > (SELECT MAX(seq) FROM audit_events) - ?1",
        [n],
    )
    .unwrap();
}
