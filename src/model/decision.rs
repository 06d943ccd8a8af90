//! Proposals and how they were closed: approvals by a second person and returns.

use super::{Outcome, ProposalState};
use chrono::{DateTime, Utc};

/// A sealed proposal.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ProposalRow {
    /// Store id.
    pub id: i64,
    /// The item.
    pub item_id: i64,
    /// Proposed outcome.
    pub outcome: Outcome,
    /// Why.
    pub rationale: String,
    /// The sealed packet, canonical JSON.
    pub packet: String,
    /// SHA-256 of `packet`.
    pub packet_hash: String,
    /// Proposer's user id.
    pub proposer_id: i64,
    /// Proposer's name.
    pub proposer: String,
    /// When.
    #[serde(serialize_with = "crate::clock::ser_ts")]
    pub proposed_at: DateTime<Utc>,
    /// Pending, approved or returned.
    pub state: ProposalState,
    /// The audit event of the proposal.
    pub event_seq: i64,
}

/// An approval by a second person.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ApprovalRow {
    /// The proposal approved.
    pub proposal_id: i64,
    /// Approver's user id.
    pub approver_id: i64,
    /// Approver's name.
    pub approver: String,
    /// The packet hash the approver named.
    pub packet_hash: String,
    /// When.
    #[serde(serialize_with = "crate::clock::ser_ts")]
    pub approved_at: DateTime<Utc>,
    /// The audit event of the approval.
    pub event_seq: i64,
}

/// A return to review, with the lead's reason.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ReturnRow {
    /// The proposal returned.
    pub proposal_id: i64,
    /// The lead's user id.
    pub lead_id: i64,
    /// The lead's name.
    pub lead: String,
    /// Why.
    pub reason: String,
    /// When.
    #[serde(serialize_with = "crate::clock::ser_ts")]
    pub returned_at: DateTime<Utc>,
    /// The audit event of the return.
    pub event_seq: i64,
}

/// A proposal with how it was closed.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct DecisionRow {
    /// The proposal.
    pub proposal: ProposalRow,
    /// Its approval, if approved.
    pub approval: Option<ApprovalRow>,
    /// Its return, if returned.
    pub returned: Option<ReturnRow>,
}
