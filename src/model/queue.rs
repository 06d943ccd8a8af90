//! What the queue lists, and which items and in what order.

use super::{Item, Platform, Status};

/// What the queue shows of an item.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct QueueRow {
    /// The item.
    #[serde(flatten)]
    pub item: Item,
    /// Number of evidence files attached.
    pub evidence_count: i64,
    /// Whether a search found it, at least in part, by text read from its screenshots
    /// (its own fields do not hold every word searched for).
    pub in_image: bool,
    /// Ids of items with a standing takedown whose handle key equals this item's: a quick
    /// mark straight from the store. The workstation then replaces it with every taken-down
    /// account the full mirror score puts at or above the threshold
    /// ([`crate::mirrors::possible_mirrors_in`]), a superset of these.
    pub mirror_of: Vec<i64>,
}

/// Queue ordering.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum QueueSort {
    /// Most urgent first, then oldest report first.
    #[default]
    Priority,
    /// Oldest report first.
    Reported,
    /// By platform, then priority.
    Platform,
    /// By handle.
    Handle,
    /// By display name.
    DisplayName,
    /// By status, then priority.
    Status,
    /// By claim holder.
    Assignee,
    /// By id.
    Id,
}

/// Which items to list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QueueFilter {
    /// Only these statuses, any of them (`in_review` means a live claim); empty for any.
    pub statuses: Vec<Status>,
    /// Only this platform.
    pub platform: Option<Platform>,
    /// Only items tagged with this group.
    pub group: Option<String>,
    /// Only items claimed by this user id.
    pub claimed_by: Option<i64>,
    /// Words every matching item must contain, each as the beginning of a word, already
    /// folded by [`crate::model::text::search_fold`].
    pub search: Vec<String>,
    /// Order.
    pub sort: QueueSort,
    /// Reverse the order.
    pub descending: bool,
    /// At most this many rows.
    pub limit: Option<i64>,
    /// Skip this many rows.
    pub offset: i64,
}
