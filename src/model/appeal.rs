//! Appeals against approved decisions, as the store gives them back.

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
    pub filed_at: String,
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
    pub proposed_at: String,
    /// `pending`, `approved` or `returned`.
    pub state: String,
    /// The event that proposed it.
    pub event_seq: i64,
    /// The approving lead, when, and the event.
    pub approved: Option<(String, String, i64)>,
    /// The returning lead, the reason, when, and the event.
    pub returned: Option<(String, String, String, i64)>,
}
