//! Appeals of final decisions. A reviewer records the appeal (the appellant, their reference
//! and grounds); someone who neither made nor checked the decision proposes an outcome
//! (upheld or overturned, with reasons); a lead who is neither that person nor one of the
//! original deciders approves or returns it. Overturning a takedown makes a reinstatement
//! request for the platform; overturning another outcome sends the item back to review.
//! Every step is audited, and the store's triggers hold the same rules.

use serde_json::json;

use crate::auth::current_user;
use crate::error::{Error, Result};
use crate::model::request::RequestKind;
use crate::model::{AppealRow, UserRow};
use crate::model::{Outcome, Role, Status};
use crate::store::Tx;
use crate::workspace::{Session, Workspace, record};

/// An appeal outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppealOutcome {
    /// The decision stands.
    Upheld,
    /// The decision is reversed.
    Overturned,
}

impl AppealOutcome {
    /// As stored and typed.
    pub fn as_str(self) -> &'static str {
        match self {
            AppealOutcome::Upheld => "upheld",
            AppealOutcome::Overturned => "overturned",
        }
    }
}

impl std::str::FromStr for AppealOutcome {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "upheld" | "uphold" => Ok(AppealOutcome::Upheld),
            "overturned" | "overturn" => Ok(AppealOutcome::Overturned),
            _ => Err(format!(
                "unknown appeal outcome '{s}' (upheld or overturned)"
            )),
        }
    }
}

fn appeal(tx: &Tx, id: i64) -> Result<AppealRow> {
    tx.appeal(id)?
        .ok_or_else(|| Error::NotFound(format!("appeal {id}")))
}

/// Refuses `me` if they made or checked the decision under appeal.
fn independent(tx: &Tx, me: &UserRow, a: &AppealRow, verb: &str) -> Result<()> {
    let (proposer, approver) = tx.deciders(a.proposal_id)?;
    if me.id == proposer || Some(me.id) == approver {
        return Err(Error::rule(format!(
            "'{}' {} the decision under appeal and may not {verb} the appeal: it needs someone who neither made nor checked it",
            me.name,
            if me.id == proposer { "made" } else { "checked" }
        )));
    }
    Ok(())
}

/// Records an appeal of the final decision on `item`. Reviewers and leads; audited.
/// Returns the appeal's id.
pub fn file(
    ws: &mut Workspace,
    s: &Session,
    item: i64,
    appellant: &str,
    reference: &str,
    grounds: &str,
) -> Result<i64> {
    let (appellant, reference, grounds) = (appellant.trim(), reference.trim(), grounds.trim());
    for (v, what) in [
        (appellant, "the appellant"),
        (reference, "the appeal's reference"),
        (grounds, "the appellant's grounds"),
    ] {
        if v.is_empty() {
            return Err(Error::rule(format!("an appeal needs {what}")));
        }
    }
    let now = ws.now();
    ws.store_as(s).write(|tx| {
        let me = current_user(tx, s)?;
        if !matches!(me.role, Role::Reviewer | Role::Lead) {
            return Err(Error::rule(format!(
                "only a reviewer or a lead may record an appeal ('{}' is {})",
                me.name, me.role
            )));
        }
        let decision = tx
            .decisions(Some(item))?
            .into_iter()
            .rev()
            .find(|d| d.approval.is_some())
            .ok_or_else(|| Error::rule(format!("#{item} has no final decision to appeal")))?;
        if tx.appeal_of(decision.proposal.id)?.is_some() {
            return Err(Error::rule(format!(
                "the decision on #{item} was already appealed"
            )));
        }
        let seq = tx.next_event_seq()?;
        let id = tx.insert_appeal(
            item,
            decision.proposal.id,
            appellant,
            reference,
            grounds,
            me.id,
            now,
            seq,
        )?;
        tx.set_item_status(item, Status::Appealed)?;
        record(
            tx,
            now,
            &me.name,
            "appeal_file",
            Some(item),
            json!({
                "appeal": id, "proposal": decision.proposal.id, "appellant": appellant,
                "reference": reference, "grounds": grounds,
            }),
        )?;
        Ok(id)
    })
}

/// Proposes an outcome for an appeal. By a reviewer or lead who neither made nor checked
/// the decision appealed; audited. Returns the outcome's id.
pub fn propose(
    ws: &mut Workspace,
    s: &Session,
    appeal_id: i64,
    outcome: AppealOutcome,
    reasons: &str,
) -> Result<i64> {
    let reasons = reasons.trim();
    if reasons.is_empty() {
        return Err(Error::rule("an appeal outcome needs reasons"));
    }
    let now = ws.now();
    let signer = ws.signer(s)?;
    ws.store_as(s).write(|tx| {
        let me = current_user(tx, s)?;
        if !matches!(me.role, Role::Reviewer | Role::Lead) {
            return Err(Error::rule(format!(
                "only a reviewer or a lead may review an appeal ('{}' is {})",
                me.name, me.role
            )));
        }
        let a = appeal(tx, appeal_id)?;
        independent(tx, &me, &a, "review")?;
        if let Some(open) = a.outcomes.iter().find(|o| o.state != "returned") {
            return Err(Error::rule(format!(
                "appeal {appeal_id} already has a {} outcome ({})",
                open.state, open.outcome
            )));
        }
        let seq = tx.next_event_seq()?;
        let id =
            tx.insert_appeal_decision(appeal_id, outcome.as_str(), reasons, me.id, now, seq)?;
        let payload = json!({
            "appeal": appeal_id, "outcome_id": id, "outcome": outcome.as_str(), "reasons": reasons,
        });
        crate::keys::record_signed(
            tx,
            &signer,
            now,
            "appeal_propose",
            Some(a.item_id),
            payload,
            None,
        )?;
        Ok(id)
    })
}

fn pending_outcome(
    tx: &Tx,
    s: &Session,
    appeal_id: i64,
    verb: &str,
) -> Result<(UserRow, AppealRow, i64)> {
    let me = current_user(tx, s)?;
    if me.role != Role::Lead {
        return Err(Error::rule(format!(
            "only a lead may {verb} an appeal outcome ('{}' is {})",
            me.name, me.role
        )));
    }
    let a = appeal(tx, appeal_id)?;
    let o = a
        .outcomes
        .iter()
        .find(|o| o.state == "pending")
        .ok_or_else(|| {
            Error::rule(format!(
                "appeal {appeal_id} has no outcome waiting for approval"
            ))
        })?;
    if o.proposer.eq_ignore_ascii_case(&me.name) {
        return Err(Error::rule(format!(
            "four-eyes: '{}' proposed this appeal outcome and may not {verb} it",
            me.name
        )));
    }
    independent(tx, &me, &a, verb)?;
    let id = o.id;
    Ok((me, a, id))
}

/// Approves the pending outcome of an appeal. Leads only, not its proposer and not the
/// original deciders; audited. Returns the reinstatement request's reference when a
/// takedown was overturned.
pub fn approve(ws: &mut Workspace, s: &Session, appeal_id: i64) -> Result<Option<String>> {
    let now = ws.now();
    let signer = ws.signer(s)?;
    ws.store_as(s).write(|tx| {
        let (me, a, outcome_id) = pending_outcome(tx, s, appeal_id, "approve")?;
        let outcome = a.outcomes.iter().find(|o| o.id == outcome_id).map(|o| o.outcome.clone()).unwrap_or_default();
        let seq = tx.next_event_seq()?;
        tx.approve_appeal_decision(outcome_id, me.id, now, seq)?;
        let original = tx
            .decisions(Some(a.item_id))?
            .into_iter()
            .find(|d| d.proposal.id == a.proposal_id)
            .ok_or_else(|| Error::Integrity(format!("decision {} under appeal is missing", a.proposal_id)))?;
        let overturned_takedown =
            outcome == "overturned" && original.proposal.outcome == Outcome::Takedown;
        let reinstatement = if overturned_takedown {
            Some(crate::requests::next_reference(tx, RequestKind::Reinstatement, now)?)
        } else {
            None
        };
        let payload = json!({
            "appeal": appeal_id, "outcome_id": outcome_id, "outcome": outcome, "reinstatement": reinstatement,
        });
        crate::keys::record_signed(tx, &signer, now, "appeal_approve", Some(a.item_id), payload, None)?;
        if overturned_takedown {
            tx.set_item_status(a.item_id, Status::Approved)?;
            let it = tx.item(a.item_id, now)?;
            let made = crate::requests::create_in(
                tx, now, &me, &signer, RequestKind::Reinstatement, it.fields.platform.as_str(), false,
                &[(a.item_id, a.proposal_id)], Some(&format!("appeal {appeal_id} overturned the takedown")),
            )?;
            debug_assert_eq!(Some(&made), reinstatement.as_ref());
        } else if outcome == "overturned" {
            // The decision not to act was overturned: the item is reviewed afresh.
            tx.set_item_status(a.item_id, Status::Returned)?;
        } else {
            tx.set_item_status(a.item_id, Status::Approved)?;
        }
        Ok(reinstatement)
    })
}

/// Returns the pending outcome of an appeal to be reviewed again, with a reason. Leads
/// only, not its proposer and not the original deciders; audited.
pub fn return_outcome(ws: &mut Workspace, s: &Session, appeal_id: i64, reason: &str) -> Result<()> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::rule("returning an appeal outcome needs a reason"));
    }
    let now = ws.now();
    let signer = ws.signer(s)?;
    ws.store_as(s).write(|tx| {
        let (me, a, outcome_id) = pending_outcome(tx, s, appeal_id, "return")?;
        let seq = tx.next_event_seq()?;
        tx.return_appeal_decision(outcome_id, me.id, reason, now, seq)?;
        let payload = json!({ "appeal": appeal_id, "outcome_id": outcome_id, "reason": reason });
        crate::keys::record_signed(
            tx,
            &signer,
            now,
            "appeal_return",
            Some(a.item_id),
            payload,
            None,
        )?;
        Ok(())
    })
}

/// Appeals of one item, or all.
pub fn list(ws: &mut Workspace, item: Option<i64>) -> Result<Vec<AppealRow>> {
    ws.store().read(|tx| tx.appeals(item))
}
