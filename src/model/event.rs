//! One event of the audit trail as stored.

use super::chain::EventBody;

/// One stored audit event.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct EventRow {
    /// Sequence number.
    pub seq: i64,
    /// Timestamp, stored format.
    pub at: String,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// Which item, if any.
    pub item: Option<i64>,
    /// Canonical JSON details.
    pub payload: String,
    /// Hash of the event before.
    pub prev_hash: String,
    /// This event's chained hash.
    pub hash: String,
}

impl EventRow {
    /// The hashed body of this row.
    pub fn body(&self) -> EventBody<'_> {
        EventBody {
            seq: self.seq,
            at: &self.at,
            actor: &self.actor,
            action: &self.action,
            item: self.item,
            payload: &self.payload,
        }
    }
}
