//! The audit chain table.

use super::Tx;
use super::sql::Row;
use crate::args;
use crate::clock::parse_stored_ts;
use crate::error::{Error, Result};
use crate::model::chain::{EventBody, GENESIS};
use crate::model::{Change, EventRow};
use chrono::{DateTime, Utc};

const EVENT_COLUMNS: &str = "seq, at, actor, action, item_id, payload, prev_hash, hash";

fn event_from_row(r: &Row) -> Result<EventRow> {
    let seq: i64 = r.get(0)?;
    let at: String = r.get(1)?;
    let at = parse_stored_ts(&at).map_err(|e| {
        Error::Integrity(format!("event #{seq}: its time {e}: the event was edited"))
    })?;
    Ok(EventRow {
        seq,
        at,
        actor: r.get(2)?,
        action: r.get(3)?,
        item: r.get(4)?,
        payload: r.get(5)?,
        prev_hash: r.get(6)?,
        hash: r.get(7)?,
    })
}

impl Tx<'_> {
    /// The sequence number the next appended event will get. Rows written earlier in the
    /// same transaction may reference it: their foreign keys are checked at commit.
    pub fn next_event_seq(&self) -> Result<i64> {
        self.value(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_events",
            args![],
        )
    }

    /// The store's own identity (see migration 12).
    pub fn store_identity(&self) -> Result<String> {
        self.value("SELECT id FROM store_identity", args![])
    }

    /// The hash of event `seq`, if it exists.
    pub fn event_hash(&self, seq: i64) -> Result<Option<String>> {
        self.row(
            "SELECT hash FROM audit_events WHERE seq = ?1",
            args![seq],
            |r| r.get(0),
        )
    }

    /// The Merkle leaf hashes of the first `size` events (all when `None`), in order.
    pub fn leaf_hashes(&self, size: Option<u64>) -> Result<Vec<crate::model::merkle::Hash>> {
        let mut out = Vec::new();
        self.for_each_event(|e| {
            if size.is_some_and(|n| out.len() as u64 >= n) {
                return Ok(false);
            }
            out.push(crate::model::merkle::leaf_hash(
                e.body().canonical().as_bytes(),
            ));
            Ok(true)
        })?;
        Ok(out)
    }

    /// The newest event's sequence number and hash (0 and the genesis hash when empty).
    pub fn chain_head(&self) -> Result<(i64, String)> {
        Ok(self
            .row(
                "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1",
                args![],
                |r| Ok((r.get::<i64>(0)?, r.get::<String>(1)?)),
            )?
            .unwrap_or((0, GENESIS.to_string())))
    }

    /// Appends an event to the chain and returns its sequence number.
    pub fn append_event(
        &self,
        at: DateTime<Utc>,
        actor: &str,
        action: &str,
        item: Option<i64>,
        payload: &str,
    ) -> Result<i64> {
        let (last_seq, prev_hash) = self.chain_head()?;
        let seq = last_seq + 1;
        let body = EventBody {
            seq,
            at,
            actor,
            action,
            item,
            payload,
        };
        let hash = body.hash(&prev_hash);
        self.exec(
            "INSERT INTO audit_events (seq, at, actor, action, item_id, payload, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            args![seq, at, actor, action, item, payload, prev_hash, hash],
        )?;
        Ok(seq)
    }

    /// Events in sequence order, all or those of one item.
    pub fn events(&self, item: Option<i64>) -> Result<Vec<EventRow>> {
        match item {
            Some(item) => self.rows(
                &format!(
                    "SELECT {EVENT_COLUMNS} FROM audit_events WHERE item_id = ?1 ORDER BY seq"
                ),
                args![item],
                event_from_row,
            ),
            None => self.rows(
                &format!("SELECT {EVENT_COLUMNS} FROM audit_events ORDER BY seq"),
                args![],
                event_from_row,
            ),
        }
    }

    /// Visits every event in sequence order without holding them all in memory; `f`
    /// returns `false` to stop.
    pub fn for_each_event(&self, mut f: impl FnMut(EventRow) -> Result<bool>) -> Result<()> {
        self.each(
            &format!("SELECT {EVENT_COLUMNS} FROM audit_events ORDER BY seq"),
            args![],
            |r| f(event_from_row(r)?),
        )
    }

    /// Who did what to which item in the events after `seen`, oldest first, at most `limit`.
    pub fn changes_after(&self, seen: i64, limit: usize) -> Result<Vec<Change>> {
        self.rows(
            "SELECT seq, actor, action, item_id FROM audit_events WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            args![seen, limit as i64],
            |r| {
                Ok(Change {
                    seq: r.get(0)?,
                    actor: r.get(1)?,
                    action: r.get(2)?,
                    item: r.get(3)?,
                })
            },
        )
    }

    /// One event by sequence number.
    pub fn event(&self, seq: i64) -> Result<Option<EventRow>> {
        self.row(
            &format!("SELECT {EVENT_COLUMNS} FROM audit_events WHERE seq = ?1"),
            args![seq],
            event_from_row,
        )
    }
}
