//! The audit chain's hashing rule: hash = SHA-256(previous hash ‖ canonical event).

use chrono::{DateTime, Utc};
use serde_json::json;

use super::canonical;

/// The previous-hash of the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit event as hashed. `at` is hashed in the stored timestamp form
/// ([`crate::clock::fmt_ts`]): the bytes the program supplies, never text a database formats.
#[derive(Clone, Debug, PartialEq)]
pub struct EventBody<'a> {
    /// Sequence number, from 1, without gaps.
    pub seq: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who (a user name, or `system`).
    pub actor: &'a str,
    /// What (e.g. `claim`, `approve`).
    pub action: &'a str,
    /// The item concerned, if any.
    pub item: Option<i64>,
    /// Details, as canonical JSON text; hashed byte for byte as stored.
    pub payload: &'a str,
}

impl EventBody<'_> {
    /// The canonical serialisation that is hashed.
    pub fn canonical(&self) -> String {
        canonical::to_string(&json!({
            "seq": self.seq,
            "at": crate::clock::fmt_ts(self.at),
            "actor": self.actor,
            "action": self.action,
            "item": self.item,
            "payload": self.payload,
        }))
    }

    /// The chained hash of this event after `prev_hash`.
    pub fn hash(&self, prev_hash: &str) -> String {
        let mut bytes = prev_hash.as_bytes().to_vec();
        bytes.extend_from_slice(self.canonical().as_bytes());
        canonical::sha256_hex(&bytes)
    }
}
