//! Hash lists, taken-down accounts and mirror verdicts, as stored.

use crate::pdq::PdqHash;
use chrono::{DateTime, Utc};

/// One hash of an imported list.
#[derive(Clone, Debug, PartialEq)]
pub struct ListEntry {
    /// The list's name.
    pub list: String,
    /// The hash.
    pub hash: PdqHash,
    /// Its label, if the list gave one.
    pub label: String,
    /// Its source, if the list gave one.
    pub source: String,
}

/// An account with an approved takedown, as mirror search compares it.
#[derive(Clone, Debug, PartialEq)]
pub struct TakenDown {
    /// Item id.
    pub id: i64,
    /// Platform.
    pub platform: String,
    /// Handle as reported.
    pub handle: String,
    /// Its look-alike key.
    pub handle_key: String,
    /// Display name.
    pub display_name: String,
    /// Bio or post text.
    pub text: String,
    /// The text read from its screenshots, a line per line.
    pub image_text: String,
    /// PDQ hashes (as stored) of its evidence.
    pub hashes: Vec<PdqHash>,
}

/// A recorded verdict on "mirror of #N".
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct MirrorVerdict {
    /// The taken-down item it was compared with.
    pub of_item: i64,
    /// Confirmed (true) or rejected.
    pub confirmed: bool,
    /// The score shown when deciding.
    pub score: f64,
    /// Who decided.
    pub decided_by: String,
    /// When.
    #[serde(serialize_with = "crate::clock::ser_ts")]
    pub decided_at: DateTime<Utc>,
}

/// An imported hash list, as the audit check reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct HashListRow {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// SHA-256 of the imported file.
    pub source_sha256: String,
    /// Who imported it.
    pub imported_by: String,
    /// The event that imported it.
    pub event_seq: i64,
}
