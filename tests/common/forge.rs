//! Forging as an attacker with write access to the store would, on either store (the
//! file, or the server as its superuser): events appended with the chain recomputed, rows
//! written with the triggers switched off.

use super::{Bypass, Desk, on_server};
use parakh::args;
use parakh::model::canonical;
use parakh::model::chain::EventBody;
use serde_json::json;

/// The stored time of every forged row.
pub const FORGED_AT: &str = "2026-11-01T09:30:00.000Z";

/// Appends an event that continues the chain, as anybody who can compute SHA-256 can.
pub fn forge(
    conn: &Bypass,
    actor: &str,
    action: &str,
    item: Option<i64>,
    payload: serde_json::Value,
) -> i64 {
    let (seq, prev): (i64, String) = conn
        .row(
            "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1",
            args![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let payload = canonical::to_string(&payload);
    let body = EventBody {
        seq: seq + 1,
        at: parakh::clock::parse_ts(FORGED_AT).unwrap(),
        actor,
        action,
        item,
        payload: &payload,
    };
    let hash = body.hash(&prev);
    conn.execute(
        "INSERT INTO audit_events (seq, at, actor, action, item_id, payload, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        args![seq + 1, FORGED_AT, actor, action, item, payload, prev, hash],
    )
    .unwrap();
    seq + 1
}

/// Writes an approval of `item`'s pending proposal by `who`, event and rows, with the
/// four-eyes trigger switched off.
pub fn forge_approval(d: &Desk, item: i64, who: &str) -> i64 {
    let conn = d.bypass();
    conn.switch_off("approvals", "approvals_four_eyes");
    let (pid, hash, outcome, proposer): (i64, String, String, String) = conn
        .row(
            "SELECT p.id, p.packet_hash, p.outcome, u.name FROM proposals p JOIN users u ON u.id = p.proposer_id
              WHERE p.item_id = ?1 AND p.state = 'pending'",
            args![item],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    let seq = forge(
        &conn,
        who,
        "approve",
        Some(item),
        json!({
            "proposal": pid, "packet_hash": hash, "proposer": proposer, "outcome": outcome, "opened_evidence": null,
        }),
    );
    conn.execute(
        "INSERT INTO approvals (proposal_id, approver_id, packet_hash, approved_at, event_seq)
         VALUES (?1, (SELECT id FROM users WHERE name = ?2), ?3, ?4, ?5)",
        args![pid, who, hash, FORGED_AT, seq],
    )
    .unwrap();
    conn.execute(
        "UPDATE proposals SET state = 'approved' WHERE id = ?1",
        args![pid],
    )
    .unwrap();
    conn.execute(
        "UPDATE items SET status = 'approved' WHERE id = ?1",
        args![item],
    )
    .unwrap();
    seq
}

/// Rewrites event `seq`'s payload and recomputes the hash of it and every later event, as
/// someone rewriting history from there would (the chain triggers switched off first).
pub fn rewrite_from(conn: &Bypass, seq: i64, payload: &str) {
    conn.switch_off("audit_events", "audit_events_no_update");
    conn.switch_off("audit_events", "audit_events_chain");
    conn.execute(
        "UPDATE audit_events SET payload = ?2 WHERE seq = ?1",
        args![seq, payload],
    )
    .unwrap();
    let mut prev: String = conn
        .value(
            "SELECT prev_hash FROM audit_events WHERE seq = ?1",
            args![seq],
        )
        .unwrap();
    let rows: Vec<(i64, String, String, String, Option<i64>, String)> = conn
        .rows(
            "SELECT seq, at, actor, action, item_id, payload FROM audit_events WHERE seq >= ?1 ORDER BY seq",
            args![seq],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .unwrap();
    for (s, at, actor, action, item, payload) in rows {
        let body = EventBody {
            seq: s,
            at: parakh::clock::parse_ts(&at).unwrap(),
            actor: &actor,
            action: &action,
            item,
            payload: &payload,
        };
        let hash = body.hash(&prev);
        conn.execute(
            "UPDATE audit_events SET prev_hash = ?2, hash = ?3 WHERE seq = ?1",
            args![s, prev, hash],
        )
        .unwrap();
        prev = hash;
    }
    move_head(conn);
}

/// Deletes the newest `n` events (the triggers switched off first).
pub fn cut_newest(conn: &Bypass, n: i64) {
    conn.switch_off("audit_events", "audit_events_no_delete");
    conn.execute_without_foreign_keys(
        "DELETE FROM audit_events WHERE seq > (SELECT MAX(seq) FROM audit_events) - ?1",
        args![n],
    )
    .unwrap();
    move_head(conn);
}

/// On a server, sets the chain's head to the last event left, as the tamperer covering
/// their tracks would (a file has no head of its own).
fn move_head(conn: &Bypass) {
    if on_server() {
        conn.execute_batch(
            "UPDATE chain_head SET seq = e.seq, hash = e.hash
               FROM (SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1) e",
        )
        .unwrap();
    }
}
