//! The transparency report's figures for a period: plain data, computed by
//! `crate::report` from the store and rendered as CSV, HTML (with SVG charts) and the
//! workstation's dashboard.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// A labelled count.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Count {
    /// What is counted (an outcome, a platform, a group id, a ground id …).
    pub label: String,
    /// How many.
    pub count: u64,
    /// For groups and grounds, the human label sealed with the decisions counted (`TTP`,
    /// `PECA 2016 s.9`); empty where the label says enough.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
}

impl Count {
    /// What a reader sees: the sealed name where there is one, else the label.
    pub fn shown(&self) -> &str {
        if self.name.is_empty() {
            &self.label
        } else {
            &self.name
        }
    }
}

/// Final decisions on one platform, by outcome.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PlatformOutcomes {
    /// The platform (its id, e.g. `telegram`).
    pub platform: String,
    /// Approved takedowns.
    pub takedown: u64,
    /// Approved "no violation" decisions.
    pub no_violation: u64,
    /// Approved "insufficient evidence" decisions.
    pub insufficient_evidence: u64,
}

/// Median and 90th percentile of a set of durations, in hours (the median averages the
/// middle two of an even count; the 90th percentile is by nearest rank).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Durations {
    /// How many durations.
    pub count: u64,
    /// The median, if any.
    pub median_hours: Option<f64>,
    /// The 90th percentile, if any.
    pub p90_hours: Option<f64>,
}

/// Takedown requests to one platform.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PlatformRequests {
    /// The platform.
    pub platform: String,
    /// Requests sent in the period.
    pub requests_sent: u64,
    /// Items in those requests.
    pub items_requested: u64,
    /// Of those, items the platform removed.
    pub items_removed: u64,
    /// `items_removed / items_requested`, if any were requested.
    pub share_removed: Option<f64>,
    /// Median hours from sending to removal, over removed items.
    pub median_hours_to_removal: Option<f64>,
    /// Requests not fully answered (removed or refused) within their response window.
    pub requests_overdue: u64,
    /// `requests_overdue / requests_sent`, if any were sent.
    pub share_overdue: Option<f64>,
}

/// The transparency report for `from..=to` (calendar dates, UTC).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Report {
    /// First day of the period.
    pub from: String,
    /// Last day of the period (inclusive).
    pub to: String,
    /// When the report was made (RFC 3339).
    #[serde(serialize_with = "crate::clock::ser_ts")]
    pub generated_at: DateTime<Utc>,
    /// Items reported in the period.
    pub items_received: u64,
    /// Decisions approved in the period, by outcome.
    pub decisions_by_outcome: Vec<Count>,
    /// Decisions approved in the period, by platform and outcome.
    pub decisions_by_platform: Vec<PlatformOutcomes>,
    /// Takedowns approved in the period, by group tagged (an item may carry several).
    pub takedowns_by_group: Vec<Count>,
    /// Takedowns approved in the period, by legal ground cited.
    pub takedowns_by_ground: Vec<Count>,
    /// From an item's report to its first proposal (proposals made in the period).
    pub report_to_proposal: Durations,
    /// From proposal to approval (approvals in the period).
    pub proposal_to_approval: Durations,
    /// Proposals made in the period.
    pub proposals: u64,
    /// Of those, returned to review.
    pub proposals_returned: u64,
    /// `proposals_returned / proposals`, if any.
    pub share_returned: Option<f64>,
    /// Appeals filed in the period.
    pub appeals: u64,
    /// Appeal outcomes approved in the period.
    pub appeals_decided: u64,
    /// Of those, overturned.
    pub appeals_overturned: u64,
    /// `appeals_overturned / appeals_decided`, if any.
    pub share_overturned: Option<f64>,
    /// Takedown requests, per platform.
    pub requests: Vec<PlatformRequests>,
    /// The leads' signing-key fingerprints as the report was made: (name, fingerprint), so
    /// a reader can check the approvals' signatures against keys kept elsewhere.
    pub lead_keys: Vec<(String, String)>,
    /// The newest checkpoint of the audit trail with its signatures (a C2SP note), if any.
    pub checkpoint: Option<String>,
}

/// An approved decision.
#[derive(Clone, Debug)]
pub struct ApprovedRow {
    /// The item's platform.
    pub platform: String,
    /// The outcome.
    pub outcome: String,
    /// The sealed packet (canonical JSON).
    pub packet: String,
    /// When proposed.
    pub proposed_at: DateTime<Utc>,
    /// When approved.
    pub approved_at: DateTime<Utc>,
}

/// A proposal, with its item's report time and whether it was the item's first.
#[derive(Clone, Debug)]
pub struct ProposalTiming {
    /// When the item was reported.
    pub reported_at: DateTime<Utc>,
    /// When proposed.
    pub proposed_at: DateTime<Utc>,
    /// `pending`, `approved` or `returned`.
    pub state: String,
    /// Whether it was the item's first proposal.
    pub first: bool,
}
