//! Evidence: an image ready to store, and evidence as listed for an item.

use chrono::{DateTime, Utc};
/// A decoded, checked image ready to store.
#[derive(Clone, Debug)]
pub struct NewEvidence {
    /// SHA-256 of `data`, lower-case hex.
    pub sha256: String,
    /// `image/png`, `image/jpeg`, `image/webp` or `image/gif`.
    pub mime: &'static str,
    /// The original bytes.
    pub data: Vec<u8>,
    /// Pixel width.
    pub width: u32,
    /// Pixel height.
    pub height: u32,
    /// PNG thumbnail, at most 256 px on its longer side.
    pub thumb: Vec<u8>,
    /// Thumbnail width.
    pub thumb_width: u32,
    /// Thumbnail height.
    pub thumb_height: u32,
    /// PDQ hashes in the eight orientations, and the quality.
    pub pdq: (crate::pdq::Dihedral, u32),
}

/// Evidence as listed for an item.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct EvidenceMeta {
    /// SHA-256 of the original bytes.
    pub sha256: String,
    /// MIME type.
    pub mime: String,
    /// Size in bytes.
    pub size: i64,
    /// Pixel width.
    pub width: i64,
    /// Pixel height.
    pub height: i64,
    /// The file name it was attached from.
    pub file_name: String,
    /// Who attached it.
    pub attached_by: String,
    /// When.
    #[serde(serialize_with = "crate::clock::ser_ts")]
    pub attached_at: DateTime<Utc>,
    /// The audit event of the attachment.
    pub event_seq: i64,
}
