//! Reported items.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{ItemKind, Platform, Status};

/// An item as it arrives from an import, before it has an id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewItem {
    /// Where it lives.
    pub platform: Platform,
    /// Account, channel, group or post.
    pub kind: ItemKind,
    /// The handle as shown by the platform.
    pub handle: String,
    /// The display name, any script.
    pub display_name: String,
    /// The canonical URL ([`crate::model::url::normalise`]); unique per platform.
    pub url: String,
    /// The URL as the complaint gave it (the same as `url` when nothing was normalised).
    pub reported_url: String,
    /// Bio or post body, any script.
    pub text: String,
    /// Language tag of the text (e.g. `ur`, `en`, `ps`), may be empty.
    pub language: String,
    /// Follower or member count, when known.
    pub followers: Option<i64>,
    /// When the complaint reported it.
    pub reported_at: DateTime<Utc>,
    /// The complaint number it came from.
    pub source_ref: String,
    /// 1 (most urgent) to 5.
    pub priority: i64,
}

impl NewItem {
    /// SHA-256 of the reported fields in canonical JSON, the time as stored (milliseconds):
    /// what the trail records of each imported item, recomputed by `audit verify` from the
    /// stored row, so an item pointed at another account afterwards is found.
    pub fn digest(&self) -> String {
        let fields = serde_json::json!({
            "platform": self.platform.as_str(), "kind": self.kind.as_str(), "handle": self.handle,
            "display_name": self.display_name, "url": self.url, "reported_url": self.reported_url,
            "text": self.text, "language": self.language, "followers": self.followers,
            "reported_at": self.reported_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "source_ref": self.source_ref, "priority": self.priority,
        });
        super::canonical::sha256_hex(super::canonical::to_string(&fields).as_bytes())
    }
}

/// A running digest over items as stored one after another: (id, [`NewItem::digest`]) in
/// id order. An import records it over the items it stored.
#[derive(Clone, Default)]
pub struct ItemsDigest(sha2::Sha256);

impl ItemsDigest {
    /// Adds the next item.
    pub fn add(&mut self, id: i64, digest: &str) {
        use sha2::Digest;
        self.0.update(format!("{id} {digest}\n").as_bytes());
    }

    /// The digest, lower-case hex.
    pub fn finish(self) -> String {
        use sha2::Digest;
        hex::encode(self.0.finalize())
    }
}

/// A stored item with its derived workflow state.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Item {
    /// Store id.
    pub id: i64,
    /// The imported fields.
    #[serde(flatten)]
    pub fields: NewItem,
    /// Status, with `in_review` derived from a live claim.
    pub status: Status,
    /// Who holds the live claim, if anyone.
    pub claimed_by: Option<String>,
    /// When the live claim ends.
    pub lease_until: Option<DateTime<Utc>>,
}

/// The lowest (most urgent) and highest priority values.
pub const PRIORITY_RANGE: std::ops::RangeInclusive<i64> = 1..=5;
