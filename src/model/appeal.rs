//! Appeals against approved decisions, as the store gives them back.

use chrono::{DateTime, Utc};
/// An appeal with its latest outcome, if one was proposed.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct AppealRow {
    /// Store id.
    pub id: i64,
    /// The item.
    pub item_id: i64,
    /// The approved decision (proposal id) appealed.
    pub proposal_id: i64,
    /// Who appeals (the account holder, their counsel …).
    pub appellant: String,
    /// The appeal's own reference (a letter, a case number).
    pub reference: String,
    /// The appellant's grounds.
    pub grounds: String,
    /// The reviewer who recorded it.
    pub filed_by: String,
    /// When.
    #[serde(serialize_with = "crate::clock::ser_ts")]
    pub filed_at: DateTime<Utc>,
    /// The event that recorded it.
    pub event_seq: i64,
    /// Its outcomes, oldest first (returned ones, then at most one pending or approved).
    pub outcomes: Vec<AppealOutcomeRow>,
}

/// A proposed appeal outcome and how it was closed.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct AppealOutcomeRow {
    /// Store id.
    pub id: i64,
    /// `upheld` or `overturned`.
    pub outcome: String,
    /// The reasons.
    pub reasons: String,
    /// Who proposed it.
    pub proposer: String,
    /// When.
    #[serde(serialize_with = "crate::clock::ser_ts")]
    pub proposed_at: DateTime<Utc>,
    /// `pending`, `approved` or `returned`.
    pub state: String,
    /// The event that proposed it.
    pub event_seq: i64,
    /// Its approval by a second person, if approved.
    pub approved: Option<AppealClosing>,
    /// Its return to the proposer, if returned.
    pub returned: Option<AppealClosing>,
}

/// How a lead closed a proposed appeal outcome: approved it or returned it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct AppealClosing {
    /// The lead.
    pub lead: String,
    /// Why, for a return (empty for an approval).
    pub reason: String,
    /// When.
    #[serde(serialize_with = "crate::clock::ser_ts")]
    pub at: DateTime<Utc>,
    /// The event that recorded it.
    pub event_seq: i64,
}
