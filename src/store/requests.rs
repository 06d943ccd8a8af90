//! Requests to platforms (takedown and reinstatement), their sending and the platforms'
//! responses per item.

use super::Tx;
use super::sql::Row;
use crate::error::Result;
use crate::model::{RequestItemRow, RequestRow, ResponseRow, SendRow};
use chrono::{DateTime, Utc};

const REQUEST_SELECT: &str = "SELECT r.id, r.ref, r.kind, r.platform, r.emergency, r.window_hours, u.name, r.created_at, r.event_seq,
        s.sent_at, s.due_at, s.channel, s.platform_ref, su.name, s.event_seq
   FROM requests r JOIN users u ON u.id = r.created_by_id
   LEFT JOIN request_sends s ON s.request_id = r.id LEFT JOIN users su ON su.id = s.recorded_by_id";

fn request_from_row(r: &Row) -> Result<RequestRow> {
    let sent_at: Option<DateTime<Utc>> = r.get(9)?;
    Ok(RequestRow {
        id: r.get(0)?,
        reference: r.get(1)?,
        kind: r.get(2)?,
        platform: r.get(3)?,
        emergency: r.get(4)?,
        window_hours: r.get(5)?,
        created_by: r.get(6)?,
        created_at: r.get(7)?,
        event_seq: r.get(8)?,
        sent: match sent_at {
            Some(sent_at) => Some(SendRow {
                sent_at,
                due_at: r.get(10)?,
                channel: r.get(11)?,
                platform_ref: r.get(12)?,
                recorded_by: r.get(13)?,
                event_seq: r.get(14)?,
            }),
            None => None,
        },
    })
}

impl Tx<'_> {
    /// Approved takedown decisions on `platform` not yet in a takedown request, and not
    /// overturned on appeal: (item, proposal), oldest approval first.
    pub fn unrequested_takedowns(&self, platform: &str) -> Result<Vec<(i64, i64)>> {
        self.rows(
            "SELECT p.item_id, p.id FROM standing_takedowns p JOIN approvals a ON a.proposal_id = p.id
               JOIN items i ON i.id = p.item_id
              WHERE i.platform = ?1
                AND NOT EXISTS (SELECT 1 FROM request_items ri JOIN requests r ON r.id = ri.request_id
                                 WHERE ri.proposal_id = p.id AND r.kind = 'takedown')
              ORDER BY a.approved_at, p.id",
            crate::args![platform],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    /// How many requests of a kind carry references starting with `prefix`.
    pub fn count_request_refs(&self, prefix: &str) -> Result<i64> {
        self.value(
            "SELECT COUNT(*) FROM requests WHERE substr(ref, 1, length(?1)) = ?1",
            crate::args![prefix],
        )
    }

    /// Stores a new request and returns its id.
    #[allow(clippy::too_many_arguments)]
    pub fn insert_request(
        &self,
        reference: &str,
        kind: &str,
        platform: &str,
        emergency: bool,
        window_hours: i64,
        by: i64,
        at: DateTime<Utc>,
        seq: i64,
    ) -> Result<i64> {
        self.insert_id(
            "INSERT INTO requests (ref, kind, platform, emergency, window_hours, created_by_id, created_at, event_seq)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            crate::args![reference, kind, platform, emergency, window_hours, by, at, seq],
        )
    }

    /// Adds an item to a request.
    pub fn insert_request_item(&self, request: i64, item: i64, proposal: i64) -> Result<()> {
        self.exec(
            "INSERT INTO request_items (request_id, item_id, proposal_id) VALUES (?1, ?2, ?3)",
            crate::args![request, item, proposal],
        )?;
        Ok(())
    }

    /// One request by reference.
    pub fn request(&self, reference: &str) -> Result<Option<RequestRow>> {
        self.row(
            &format!("{REQUEST_SELECT} WHERE r.ref = ?1"),
            crate::args![reference],
            request_from_row,
        )
    }

    /// Every request, newest first.
    pub fn requests(&self) -> Result<Vec<RequestRow>> {
        self.rows(
            &format!("{REQUEST_SELECT} ORDER BY r.id DESC"),
            crate::args![],
            request_from_row,
        )
    }

    /// Takedown requests sent in the period (`from <= sent_at < to`), oldest first.
    pub fn takedown_requests_sent_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<RequestRow>> {
        self.rows(
            &format!(
                "{REQUEST_SELECT} WHERE r.kind = 'takedown' AND s.sent_at >= ?1 AND s.sent_at < ?2 ORDER BY r.id"
            ),
            crate::args![from, to],
            request_from_row,
        )
    }

    /// The items of a request, in the order added.
    pub fn request_items(&self, request: i64) -> Result<Vec<RequestItemRow>> {
        self.rows(
            "SELECT item_id, proposal_id FROM request_items WHERE request_id = ?1 ORDER BY rowid",
            crate::args![request],
            |r| {
                Ok(RequestItemRow {
                    item_id: r.get(0)?,
                    proposal_id: r.get(1)?,
                })
            },
        )
    }

    /// The requests an item is in: (reference, kind).
    pub fn item_requests(&self, item: i64) -> Result<Vec<(String, String)>> {
        self.rows(
            "SELECT r.ref, r.kind FROM request_items ri JOIN requests r ON r.id = ri.request_id
              WHERE ri.item_id = ?1 ORDER BY r.id",
            crate::args![item],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    /// Records the sending of a request.
    #[allow(clippy::too_many_arguments)]
    pub fn insert_request_send(
        &self,
        request: i64,
        sent_at: DateTime<Utc>,
        due_at: DateTime<Utc>,
        channel: &str,
        platform_ref: &str,
        by: i64,
        seq: i64,
    ) -> Result<()> {
        self.exec(
            "INSERT INTO request_sends (request_id, sent_at, due_at, channel, platform_ref, recorded_by_id, event_seq)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            crate::args![request, sent_at, due_at, channel, platform_ref, by, seq],
        )?;
        Ok(())
    }

    /// Records a platform's response on one item.
    #[allow(clippy::too_many_arguments)]
    pub fn insert_response(
        &self,
        request: i64,
        item: i64,
        response: &str,
        responded_at: DateTime<Utc>,
        note: &str,
        by: i64,
        at: DateTime<Utc>,
        seq: i64,
    ) -> Result<()> {
        self.exec(
            "INSERT INTO request_responses (request_id, item_id, response, responded_at, note, recorded_by_id, recorded_at, event_seq)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            crate::args![request, item, response, responded_at, note, by, at, seq],
        )?;
        Ok(())
    }

    /// The responses recorded on a request, in the order recorded.
    pub fn responses(&self, request: i64) -> Result<Vec<ResponseRow>> {
        self.rows(
            "SELECT x.item_id, x.response, x.responded_at, x.note, u.name, x.recorded_at, x.event_seq
               FROM request_responses x JOIN users u ON u.id = x.recorded_by_id
              WHERE x.request_id = ?1 ORDER BY x.id",
            crate::args![request],
            |r| {
                Ok(ResponseRow {
                    item_id: r.get(0)?,
                    response: r.get(1)?,
                    responded_at: r.get(2)?,
                    note: r.get(3)?,
                    recorded_by: r.get(4)?,
                    recorded_at: r.get(5)?,
                    event_seq: r.get(6)?,
                })
            },
        )
    }
}
