//! Proposals, approvals and returns.

use super::Tx;
use super::sql::Row;
use crate::args;
use crate::error::Result;
use crate::model::{ApprovalRow, DecisionRow, ProposalRow, ReturnRow};
use crate::model::{Outcome, ProposalState};
use chrono::{DateTime, Utc};

const PROPOSAL_SELECT: &str =
    "SELECT p.id, p.item_id, p.outcome, p.rationale, p.packet, p.packet_hash, p.proposer_id,
       u.name, p.proposed_at, p.state, p.event_seq
  FROM proposals p JOIN users u ON u.id = p.proposer_id";

fn proposal_from_row(r: &Row) -> Result<ProposalRow> {
    let outcome: String = r.get(2)?;
    let state: String = r.get(9)?;
    Ok(ProposalRow {
        id: r.get(0)?,
        item_id: r.get(1)?,
        outcome: outcome.parse().unwrap_or(Outcome::InsufficientEvidence),
        rationale: r.get(3)?,
        packet: r.get(4)?,
        packet_hash: r.get(5)?,
        proposer_id: r.get(6)?,
        proposer: r.get(7)?,
        proposed_at: r.get(8)?,
        state: state.parse().unwrap_or(ProposalState::Pending),
        event_seq: r.get(10)?,
    })
}

impl Tx<'_> {
    /// Stores a sealed proposal and returns its id.
    #[allow(clippy::too_many_arguments)]
    pub fn insert_proposal(
        &self,
        item: i64,
        outcome: Outcome,
        rationale: &str,
        packet: &str,
        packet_hash: &str,
        proposer: i64,
        at: DateTime<Utc>,
        seq: i64,
    ) -> Result<i64> {
        self.insert_id(
            "INSERT INTO proposals (item_id, outcome, rationale, packet, packet_hash, proposer_id, proposed_at, event_seq)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            args![item, outcome.as_str(), rationale, packet, packet_hash, proposer, at, seq],
        )
    }

    /// The pending proposal of an item, if any.
    pub fn pending_proposal(&self, item: i64) -> Result<Option<ProposalRow>> {
        self.row(
            &format!("{PROPOSAL_SELECT} WHERE p.item_id = ?1 AND p.state = 'pending'"),
            args![item],
            proposal_from_row,
        )
    }

    /// Every pending proposal, oldest first.
    pub fn pending_proposals(&self) -> Result<Vec<ProposalRow>> {
        self.rows(
            &format!("{PROPOSAL_SELECT} WHERE p.state = 'pending' ORDER BY p.proposed_at, p.id"),
            args![],
            proposal_from_row,
        )
    }

    /// Records an approval and marks the proposal approved.
    pub fn insert_approval(
        &self,
        proposal: i64,
        approver: i64,
        packet_hash: &str,
        at: DateTime<Utc>,
        seq: i64,
    ) -> Result<()> {
        self.exec(
            "INSERT INTO approvals (proposal_id, approver_id, packet_hash, approved_at, event_seq)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            args![proposal, approver, packet_hash, at, seq],
        )?;
        self.exec(
            "UPDATE proposals SET state = 'approved' WHERE id = ?1",
            args![proposal],
        )?;
        Ok(())
    }

    /// Records a return and marks the proposal returned.
    pub fn insert_return(
        &self,
        proposal: i64,
        lead: i64,
        reason: &str,
        at: DateTime<Utc>,
        seq: i64,
    ) -> Result<()> {
        self.exec(
            "INSERT INTO returns (proposal_id, lead_id, reason, returned_at, event_seq) VALUES (?1, ?2, ?3, ?4, ?5)",
            args![proposal, lead, reason, at, seq],
        )?;
        self.exec(
            "UPDATE proposals SET state = 'returned' WHERE id = ?1",
            args![proposal],
        )?;
        Ok(())
    }

    /// All decisions on one item, oldest first; all items when `item` is `None`.
    pub fn decisions(&self, item: Option<i64>) -> Result<Vec<DecisionRow>> {
        // One item's by its index: an `?1 IS NULL OR …` condition made every item's
        // decisions a scan of all proposals, packets and all (seconds at 100,000 items).
        let proposals: Vec<ProposalRow> = match item {
            Some(id) => self.rows(
                &format!("{PROPOSAL_SELECT} WHERE p.item_id = ?1 ORDER BY p.id"),
                args![id],
                proposal_from_row,
            )?,
            None => self.rows(
                &format!("{PROPOSAL_SELECT} ORDER BY p.id"),
                args![],
                proposal_from_row,
            )?,
        };
        proposals
            .into_iter()
            .map(|proposal| {
                let approval = self.row(
                    "SELECT a.proposal_id, a.approver_id, u.name, a.packet_hash, a.approved_at, a.event_seq
                       FROM approvals a JOIN users u ON u.id = a.approver_id WHERE a.proposal_id = ?1",
                    args![proposal.id],
                    |r| {
                    Ok(ApprovalRow {
                        proposal_id: r.get(0)?,
                        approver_id: r.get(1)?,
                        approver: r.get(2)?,
                        packet_hash: r.get(3)?,
                        approved_at: r.get(4)?,
                        event_seq: r.get(5)?,
                    })
                })?;
                let returned = self.row(
                    "SELECT r.proposal_id, r.lead_id, u.name, r.reason, r.returned_at, r.event_seq
                       FROM returns r JOIN users u ON u.id = r.lead_id WHERE r.proposal_id = ?1",
                    args![proposal.id],
                    |r| {
                    Ok(ReturnRow {
                        proposal_id: r.get(0)?,
                        lead_id: r.get(1)?,
                        lead: r.get(2)?,
                        reason: r.get(3)?,
                        returned_at: r.get(4)?,
                        event_seq: r.get(5)?,
                    })
                })?;
                Ok(DecisionRow {
                    proposal,
                    approval,
                    returned,
                })
            })
            .collect()
    }
}
