//! Replaying the trail: the events alone, in order, re-checked against the workflow's
//! rules as they stood at each point. A store whose triggers were dropped and whose chain
//! was recomputed still cannot hide a self-approval, an approval by someone who was not a
//! lead at that moment, a takedown without evidence or ground, an appeal decided by one of
//! the original deciders, or steps out of the order the workflow allows.

use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::HashMap;

use super::Problem;
use crate::clock::parse_ts;
use crate::error::Result;
use crate::model::EventRow;
use crate::model::Role;
use crate::store::Tx;

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Pending,
    Approved,
    Returned,
}

struct Proposal {
    item: Option<i64>,
    proposer: String,
    outcome: String,
    packet_hash: String,
    approver: Option<String>,
    state: State,
}

struct AppealOutcome {
    proposer: String,
    state: State,
}

struct Appeal {
    proposal: i64,
    outcomes: HashMap<i64, AppealOutcome>,
}

/// What the trail says so far.
#[derive(Default)]
struct Replay {
    roles: HashMap<String, Role>,
    claims: HashMap<i64, (String, DateTime<Utc>)>,
    proposals: HashMap<i64, Proposal>,
    /// The proposal waiting on each item.
    pending: HashMap<i64, i64>,
    appeals: HashMap<i64, Appeal>,
    problems: Vec<Problem>,
}

/// Replays every event and reports each one that breaks a rule.
pub(super) fn replay(tx: &Tx) -> Result<Vec<Problem>> {
    let mut r = Replay::default();
    tx.for_each_event(|e| {
        r.step(&e);
        Ok(true)
    })?;
    Ok(r.problems)
}

fn key(name: &str) -> String {
    name.to_lowercase()
}

impl Replay {
    fn fail(&mut self, e: &EventRow, what: String) {
        self.problems.push(Problem {
            seq: Some(e.seq),
            what: format!("{} by {}: {what}", e.action, e.actor),
        });
    }

    fn role(&self, name: &str) -> Option<Role> {
        self.roles.get(&key(name)).copied()
    }

    /// Whether `who` held a live claim on `item` at `at`.
    fn holds(&self, who: &str, item: Option<i64>, at: Option<DateTime<Utc>>) -> bool {
        match (item.and_then(|i| self.claims.get(&i)), at) {
            (Some((holder, until)), Some(at)) => holder.eq_ignore_ascii_case(who) && at <= *until,
            _ => false,
        }
    }

    fn step(&mut self, e: &EventRow) {
        let p: Value = serde_json::from_str(&e.payload).unwrap_or(Value::Null);
        let at = Some(e.at);
        let actor = e.actor.as_str();
        match e.action.as_str() {
            "user_add" => {
                if let (Some(name), Some(role)) = (
                    p["name"].as_str(),
                    p["role"].as_str().and_then(|r| r.parse().ok()),
                ) {
                    self.roles.insert(key(name), role);
                }
            }
            "role_change" => {
                let to = p["to"].as_str().and_then(|r| r.parse().ok());
                if let (Some(name), Some(to)) = (p["name"].as_str(), to) {
                    if self.role(actor) != Some(Role::Admin) {
                        self.fail(
                            e,
                            format!("changed the role of {name}, but only an admin may"),
                        );
                    }
                    self.roles.insert(key(name), to);
                }
            }
            "claim" => {
                if !self.role(actor).is_some_and(|r| r.reviews()) {
                    self.fail(e, "claimed an item without being a reviewer or lead".into());
                }
                let until = p["lease_until"].as_str().and_then(|t| parse_ts(t).ok());
                if let (Some(item), Some(until)) = (e.item, until) {
                    if let (Some((holder, held_until)), Some(at)) = (self.claims.get(&item), at)
                        && !holder.eq_ignore_ascii_case(actor)
                        && at < *held_until
                    {
                        let holder = holder.clone();
                        self.fail(
                            e,
                            format!("claimed item #{item} while {holder} still held it"),
                        );
                    }
                    self.claims.insert(item, (actor.to_string(), until));
                }
            }
            "release" => {
                if let Some(item) = e.item
                    && self
                        .claims
                        .get(&item)
                        .is_some_and(|(h, _)| h.eq_ignore_ascii_case(actor))
                {
                    self.claims.remove(&item);
                }
            }
            "tag" | "attach" if !self.holds(actor, e.item, at) => {
                let item = e.item.unwrap_or(0);
                self.fail(
                    e,
                    format!("changed item #{item} without holding a live claim on it"),
                );
            }
            "propose" => self.propose(e, &p, at),
            "approve" | "return" => self.close(e, &p),
            "appeal_file" => {
                let proposal = p["proposal"].as_i64().unwrap_or(0);
                if !self
                    .proposals
                    .get(&proposal)
                    .is_some_and(|d| d.state == State::Approved)
                {
                    self.fail(
                        e,
                        format!("appealed decision {proposal}, which is not a final decision"),
                    );
                }
                if let Some(id) = p["appeal"].as_i64() {
                    self.appeals.insert(
                        id,
                        Appeal {
                            proposal,
                            outcomes: HashMap::new(),
                        },
                    );
                }
            }
            "appeal_propose" => self.appeal_propose(e, &p),
            "appeal_approve" | "appeal_return" => self.appeal_close(e, &p),
            _ => {}
        }
    }

    fn propose(&mut self, e: &EventRow, p: &Value, at: Option<DateTime<Utc>>) {
        let actor = e.actor.as_str();
        if !self.role(actor).is_some_and(|r| r.reviews()) {
            self.fail(e, "proposed without being a reviewer or lead".into());
        }
        if !self.holds(actor, e.item, at) {
            self.fail(
                e,
                format!(
                    "proposed on item #{} without holding a live claim on it",
                    e.item.unwrap_or(0)
                ),
            );
        }
        let outcome = p["outcome"].as_str().unwrap_or_default().to_string();
        if outcome == "takedown" {
            for what in ["evidence", "grounds"] {
                if p[what].as_u64().unwrap_or(0) == 0 {
                    self.fail(e, format!("proposed a takedown with no {what}"));
                }
            }
        }
        if e.item.is_some_and(|i| self.pending.contains_key(&i)) {
            self.fail(
                e,
                format!(
                    "proposed on item #{} while another proposal waited",
                    e.item.unwrap_or(0)
                ),
            );
        }
        if let Some(item) = e.item {
            self.claims.remove(&item); // proposing releases the claim
        }
        if let Some(id) = p["proposal"].as_i64() {
            if let Some(item) = e.item {
                self.pending.insert(item, id);
            }
            self.proposals.insert(
                id,
                Proposal {
                    item: e.item,
                    proposer: actor.to_string(),
                    outcome,
                    packet_hash: p["packet_hash"].as_str().unwrap_or_default().to_string(),
                    approver: None,
                    state: State::Pending,
                },
            );
        }
    }

    /// An approval or a return of a proposal.
    fn close(&mut self, e: &EventRow, p: &Value) {
        let actor = e.actor.clone();
        let id = p["proposal"].as_i64().unwrap_or(0);
        let role = self.role(&actor);
        let Some(d) = self.proposals.get(&id) else {
            return self.fail(
                e,
                format!("closed proposal {id}, which the trail never proposed"),
            );
        };
        let mut wrong = Vec::new();
        if d.state != State::Pending {
            wrong.push(format!("proposal {id} was no longer waiting"));
        }
        if d.proposer.eq_ignore_ascii_case(&actor) {
            wrong.push(format!(
                "{actor} made proposal {id} and may not decide it (four eyes)"
            ));
        }
        if role != Some(Role::Lead) {
            let held = role.map_or("no role".to_string(), |r| format!("the {r} role"));
            wrong.push(format!(
                "{actor} held {held} at that point of the trail, not lead"
            ));
        }
        if d.item != e.item || p["packet_hash"].as_str() != Some(d.packet_hash.as_str()) {
            wrong.push(format!(
                "it names another item or packet than proposal {id} sealed"
            ));
        }
        let approve = e.action == "approve";
        if approve && p["outcome"].as_str().is_some_and(|o| o != d.outcome) {
            wrong.push(format!(
                "it names outcome {} but proposal {id} proposed {}",
                p["outcome"], d.outcome
            ));
        }
        if let Some(item) = e.item
            && self.pending.get(&item) == Some(&id)
        {
            self.pending.remove(&item);
        }
        if let Some(d) = self.proposals.get_mut(&id) {
            d.state = if approve {
                State::Approved
            } else {
                State::Returned
            };
            if approve {
                d.approver = Some(actor);
            }
        }
        for w in wrong {
            self.fail(e, w);
        }
    }

    fn appeal_propose(&mut self, e: &EventRow, p: &Value) {
        let actor = e.actor.clone();
        let appeal = p["appeal"].as_i64().unwrap_or(0);
        if !self.role(&actor).is_some_and(|r| r.reviews()) {
            self.fail(
                e,
                "reviewed an appeal without being a reviewer or lead".into(),
            );
        }
        let Some(a) = self.appeals.get(&appeal) else {
            return self.fail(
                e,
                format!("reviewed appeal {appeal}, which the trail never filed"),
            );
        };
        if self.was_decider(a.proposal, &actor) {
            self.fail(
                e,
                format!("{actor} made or checked the decision under appeal {appeal}"),
            );
        }
        let a = self.appeals.get(&appeal).expect("found above");
        if a.outcomes.values().any(|o| o.state != State::Returned) {
            self.fail(e, format!("appeal {appeal} already had an open outcome"));
        }
        if let (Some(a), Some(id)) = (self.appeals.get_mut(&appeal), p["outcome_id"].as_i64()) {
            a.outcomes.insert(
                id,
                AppealOutcome {
                    proposer: actor,
                    state: State::Pending,
                },
            );
        }
    }

    fn appeal_close(&mut self, e: &EventRow, p: &Value) {
        let actor = e.actor.clone();
        let appeal = p["appeal"].as_i64().unwrap_or(0);
        let id = p["outcome_id"].as_i64().unwrap_or(0);
        let role = self.role(&actor);
        let Some(a) = self.appeals.get(&appeal) else {
            return self.fail(
                e,
                format!("closed an outcome of appeal {appeal}, which the trail never filed"),
            );
        };
        let mut wrong = Vec::new();
        match a.outcomes.get(&id) {
            None => wrong.push(format!("appeal {appeal} has no outcome {id} in the trail")),
            Some(o) if o.state != State::Pending => {
                wrong.push(format!("outcome {id} was no longer waiting"))
            }
            Some(o) if o.proposer.eq_ignore_ascii_case(&actor) => wrong.push(format!(
                "{actor} proposed outcome {id} and may not decide it (four eyes)"
            )),
            Some(_) => {}
        }
        if role != Some(Role::Lead) {
            wrong.push(format!("{actor} was not a lead at that point of the trail"));
        }
        if self.was_decider(a.proposal, &actor) {
            wrong.push(format!(
                "{actor} made or checked the decision under appeal {appeal}"
            ));
        }
        let approve = e.action == "appeal_approve";
        if let Some(o) = self
            .appeals
            .get_mut(&appeal)
            .and_then(|a| a.outcomes.get_mut(&id))
        {
            o.state = if approve {
                State::Approved
            } else {
                State::Returned
            };
        }
        if approve {
            // An approved appeal outcome settles the appeal: the decision it rests on is
            // final again (upheld) or overturned; either way the item may be reviewed anew.
            if let Some(d) = self
                .appeals
                .get(&appeal)
                .and_then(|a| self.proposals.get(&a.proposal))
                && let Some(item) = d.item
            {
                self.claims.remove(&item);
            }
        }
        for w in wrong {
            self.fail(e, w);
        }
    }

    fn was_decider(&self, proposal: i64, who: &str) -> bool {
        self.proposals.get(&proposal).is_some_and(|d| {
            d.proposer.eq_ignore_ascii_case(who)
                || d.approver
                    .as_deref()
                    .is_some_and(|a| a.eq_ignore_ascii_case(who))
        })
    }
}
