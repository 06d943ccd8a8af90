//! Tags: the groups and grounds an item is tied to.

use chrono::{DateTime, Utc};
/// One tag as stored, with the taxonomy entry it points at.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TagRow {
    /// `group` or `ground`.
    pub kind: &'static str,
    /// Taxonomy id.
    pub id: String,
    /// Short label: a group's short name, or a ground's statute and section.
    pub label: String,
    /// Longer title: a group's full name, or a ground's title.
    pub title: String,
    /// The taxonomy version the tag was made under.
    pub taxonomy_version: i64,
    /// Whether that taxonomy entry is verified.
    pub verified: bool,
    /// Who tagged.
    pub tagged_by: String,
    /// When.
    #[serde(serialize_with = "crate::clock::ser_ts")]
    pub tagged_at: DateTime<Utc>,
    /// The audit event that made the tag.
    pub event_seq: i64,
}

/// A tag reduced to what the audit check compares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagLink {
    /// `group` or `ground`.
    pub kind: &'static str,
    /// The item.
    pub item: i64,
    /// Taxonomy id.
    pub id: String,
    /// Taxonomy version.
    pub version: i64,
    /// Who tagged.
    pub by: String,
    /// The event that made it.
    pub event_seq: i64,
}
