//! The raw rows the transparency report counts. Periods are half-open: `from <= t < to`,
//! in the stored timestamp format (which sorts in time order).

use super::Tx;
use crate::error::Result;
use crate::model::{ApprovedRow, ProposalTiming};
use chrono::{DateTime, Utc};

impl Tx<'_> {
    /// Items reported in the period.
    pub fn count_reported(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<u64> {
        Ok(self.value::<i64>(
            "SELECT COUNT(*) FROM items WHERE reported_at >= ?1 AND reported_at < ?2",
            crate::args![from, to],
        )? as u64)
    }

    /// Decisions approved in the period.
    pub fn approved_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<ApprovedRow>> {
        self.rows(
            "SELECT i.platform, p.outcome, p.packet, p.proposed_at, a.approved_at
               FROM approvals a JOIN proposals p ON p.id = a.proposal_id JOIN items i ON i.id = p.item_id
              WHERE a.approved_at >= ?1 AND a.approved_at < ?2 ORDER BY a.approved_at",
            crate::args![from, to],
            |r| {
                Ok(ApprovedRow {
                    platform: r.get(0)?,
                    outcome: r.get(1)?,
                    packet: r.get(2)?,
                    proposed_at: r.get(3)?,
                    approved_at: r.get(4)?,
                })
            },
        )
    }

    /// Proposals made in the period.
    pub fn proposals_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<ProposalTiming>> {
        self.rows(
            "SELECT i.reported_at, p.proposed_at, p.state,
                    p.id = (SELECT MIN(q.id) FROM proposals q WHERE q.item_id = p.item_id)
               FROM proposals p JOIN items i ON i.id = p.item_id
              WHERE p.proposed_at >= ?1 AND p.proposed_at < ?2",
            crate::args![from, to],
            |r| {
                Ok(ProposalTiming {
                    reported_at: r.get(0)?,
                    proposed_at: r.get(1)?,
                    state: r.get(2)?,
                    first: r.get(3)?,
                })
            },
        )
    }

    /// Appeals filed in the period.
    pub fn count_appeals_filed(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<u64> {
        Ok(self.value::<i64>(
            "SELECT COUNT(*) FROM appeals WHERE filed_at >= ?1 AND filed_at < ?2",
            crate::args![from, to],
        )? as u64)
    }

    /// Outcomes of appeal approved in the period.
    pub fn appeal_outcomes_approved_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<String>> {
        self.rows(
            "SELECT d.outcome FROM appeal_approvals a JOIN appeal_decisions d ON d.id = a.decision_id
              WHERE a.approved_at >= ?1 AND a.approved_at < ?2",
            crate::args![from, to],
            |r| r.get(0),
        )
    }
}
