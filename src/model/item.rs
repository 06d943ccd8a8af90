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
