//! Appeals of final decisions and their outcomes (proposed, approved or returned).

use super::Tx;
use crate::args;
use crate::error::Result;
use crate::model::{AppealClosing, AppealOutcomeRow, AppealRow};
use chrono::{DateTime, Utc};

impl Tx<'_> {
    /// Records an appeal and returns its id.
    #[allow(clippy::too_many_arguments)]
    pub fn insert_appeal(
        &self,
        item: i64,
        proposal: i64,
        appellant: &str,
        reference: &str,
        grounds: &str,
        by: i64,
        at: DateTime<Utc>,
        seq: i64,
    ) -> Result<i64> {
        self.insert_id(
            "INSERT INTO appeals (item_id, proposal_id, appellant, reference, grounds, filed_by_id, filed_at, event_seq)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            args![item, proposal, appellant, reference, grounds, by, at, seq],
        )
    }

    /// Proposes an appeal outcome and returns its id.
    pub fn insert_appeal_decision(
        &self,
        appeal: i64,
        outcome: &str,
        reasons: &str,
        by: i64,
        at: DateTime<Utc>,
        seq: i64,
    ) -> Result<i64> {
        self.insert_id(
            "INSERT INTO appeal_decisions (appeal_id, outcome, reasons, proposer_id, proposed_at, event_seq)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            args![appeal, outcome, reasons, by, at, seq],
        )
    }

    /// Approves a pending appeal outcome (the triggers hold the four-eyes rule).
    pub fn approve_appeal_decision(
        &self,
        decision: i64,
        by: i64,
        at: DateTime<Utc>,
        seq: i64,
    ) -> Result<()> {
        self.exec(
            "INSERT INTO appeal_approvals (decision_id, approver_id, approved_at, event_seq) VALUES (?1, ?2, ?3, ?4)",
            args![decision, by, at, seq],
        )?;
        self.exec(
            "UPDATE appeal_decisions SET state = 'approved' WHERE id = ?1",
            args![decision],
        )?;
        Ok(())
    }

    /// Returns a pending appeal outcome with a reason.
    pub fn return_appeal_decision(
        &self,
        decision: i64,
        by: i64,
        reason: &str,
        at: DateTime<Utc>,
        seq: i64,
    ) -> Result<()> {
        self.exec(
            "INSERT INTO appeal_returns (decision_id, lead_id, reason, returned_at, event_seq) VALUES (?1, ?2, ?3, ?4, ?5)",
            args![decision, by, reason, at, seq],
        )?;
        self.exec(
            "UPDATE appeal_decisions SET state = 'returned' WHERE id = ?1",
            args![decision],
        )?;
        Ok(())
    }

    /// The users who made or checked a decision: (proposer id, approver id).
    pub fn deciders(&self, proposal: i64) -> Result<(i64, Option<i64>)> {
        self.row(
            "SELECT p.proposer_id, a.approver_id FROM proposals p LEFT JOIN approvals a ON a.proposal_id = p.id WHERE p.id = ?1",
            args![proposal],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?
        .ok_or_else(|| crate::error::Error::Db("no decision with that id".into()))
    }

    /// Appeals on one item, or all when `item` is `None`, oldest first.
    pub fn appeals(&self, item: Option<i64>) -> Result<Vec<AppealRow>> {
        self.appeals_where("CAST(?1 AS BIGINT) IS NULL OR a.item_id = ?1", item)
    }

    /// One appeal.
    pub fn appeal(&self, id: i64) -> Result<Option<AppealRow>> {
        Ok(self.appeals_where("a.id = ?1", Some(id))?.pop())
    }

    fn appeals_where(&self, condition: &str, param: Option<i64>) -> Result<Vec<AppealRow>> {
        let mut appeals: Vec<AppealRow> = self.rows(
            &format!(
                "SELECT a.id, a.item_id, a.proposal_id, a.appellant, a.reference, a.grounds, u.name, a.filed_at, a.event_seq
                   FROM appeals a JOIN users u ON u.id = a.filed_by_id
                  WHERE {condition} ORDER BY a.id"
            ),
            args![param],
            |r| {
                Ok(AppealRow {
                    id: r.get(0)?,
                    item_id: r.get(1)?,
                    proposal_id: r.get(2)?,
                    appellant: r.get(3)?,
                    reference: r.get(4)?,
                    grounds: r.get(5)?,
                    filed_by: r.get(6)?,
                    filed_at: r.get(7)?,
                    event_seq: r.get(8)?,
                    outcomes: Vec::new(),
                })
            },
        )?;
        for a in &mut appeals {
            a.outcomes = self.rows(
                "SELECT d.id, d.outcome, d.reasons, u.name, d.proposed_at, d.state, d.event_seq,
                        au.name, ap.approved_at, ap.event_seq, ru.name, rt.reason, rt.returned_at, rt.event_seq
                   FROM appeal_decisions d JOIN users u ON u.id = d.proposer_id
                   LEFT JOIN appeal_approvals ap ON ap.decision_id = d.id LEFT JOIN users au ON au.id = ap.approver_id
                   LEFT JOIN appeal_returns rt ON rt.decision_id = d.id LEFT JOIN users ru ON ru.id = rt.lead_id
                  WHERE d.appeal_id = ?1 ORDER BY d.id",
                args![a.id],
                |r| {
                    let approver: Option<String> = r.get(7)?;
                    let returner: Option<String> = r.get(10)?;
                    Ok(AppealOutcomeRow {
                        id: r.get(0)?,
                        outcome: r.get(1)?,
                        reasons: r.get(2)?,
                        proposer: r.get(3)?,
                        proposed_at: r.get(4)?,
                        state: r.get(5)?,
                        event_seq: r.get(6)?,
                        approved: match approver {
                            Some(lead) => Some(AppealClosing {
                                lead,
                                reason: String::new(),
                                at: r.get(8)?,
                                event_seq: r.get(9)?,
                            }),
                            None => None,
                        },
                        returned: match returner {
                            Some(lead) => Some(AppealClosing {
                                lead,
                                reason: r.get(11)?,
                                at: r.get(12)?,
                                event_seq: r.get(13)?,
                            }),
                            None => None,
                        },
                    })
                },
            )?;
        }
        Ok(appeals)
    }

    /// The appeal of one decision, if any.
    pub fn appeal_of(&self, proposal: i64) -> Result<Option<i64>> {
        self.row(
            "SELECT id FROM appeals WHERE proposal_id = ?1",
            args![proposal],
            |r| r.get(0),
        )
    }
}
