//! The review workflow: claims under a lease, tags, sealed proposals, and the four-eyes
//! approval or return by a lead. Every rule here is also enforced by triggers in the store.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use crate::auth::current_user;
use crate::clock::{fmt_ts, parse_ts};
use crate::error::{Error, Result};
use crate::model::packet::{Packet, SealedTag};
use crate::model::{Item, Outcome, ProposalState, Role, Status, canonical};
use crate::model::{ProposalRow, UserRow};
use crate::store::Tx;
use crate::workspace::{Session, Workspace, record};

/// How long a claim lasts unless renewed.
pub const LEASE: Duration = Duration::minutes(15);

/// A claim as granted.
#[derive(Clone, Debug, PartialEq)]
pub struct Claim {
    /// The item.
    pub item: i64,
    /// When the lease ends.
    pub until: DateTime<Utc>,
    /// Whether the caller already held it (a renewal).
    pub renewed: bool,
    /// The claim's generation: the same while it stays with the caller; work begun under
    /// it is refused under another ([`propose_fenced`]).
    pub generation: i64,
}

fn require_reviewer(me: &UserRow) -> Result<()> {
    if me.role.reviews() {
        Ok(())
    } else {
        Err(Error::rule(format!(
            "'{}' is {}: only reviewers and leads review items",
            me.name, me.role
        )))
    }
}

/// Claims an item for review (or renews one's own claim) for [`LEASE`]. Refused while
/// someone else holds a live claim, and for items that are not open for review.
pub fn claim(ws: &mut Workspace, s: &Session, item: i64) -> Result<Claim> {
    let now = ws.now();
    ws.store_as(s).write(|tx| {
        let me = current_user(tx, s)?;
        require_reviewer(&me)?;
        let it = tx.item(item, now)?;
        if let Some(holder) = &it.claimed_by
            && holder != &me.name
        {
            return Err(Error::rule(format!(
                "item #{item} is claimed by {holder} until {}",
                it.lease_until.map(fmt_ts).unwrap_or_default()
            )));
        }
        if !matches!(it.status, Status::New | Status::Returned | Status::InReview) {
            return Err(Error::rule(format!(
                "item #{item} is {} and not open for review",
                it.status
            )));
        }
        let renewed = it.claimed_by.is_some();
        let expired_from = match tx.claim_of(item)? {
            Some((uid, until)) if !renewed => tx.user_by_id(uid)?.map(|u| (u.name, until)),
            _ => None,
        };
        let until = now + LEASE;
        // The generation moves on when the claim changes hands: not for its holder
        // renewing it, even after it ran out, if nobody took it meanwhile.
        let generation = match tx.claim_of(item)? {
            Some((uid, _)) if uid == me.id => tx.claim_generation(item)?,
            _ => tx.next_claim_generation(item)?,
        };
        tx.set_claim(item, Some((me.id, until)))?;
        let mut payload = json!({
            "lease_until": fmt_ts(until), "renewed": renewed, "generation": generation,
        });
        if let Some((name, at)) = expired_from {
            payload["expired_claim"] = json!({ "by": name, "lease_until": fmt_ts(at) });
        }
        record(tx, now, &me.name, "claim", Some(item), payload)?;
        Ok(Claim {
            item,
            until,
            renewed,
            generation,
        })
    })
}

/// The generation of an item's claim now (see [`Claim::generation`]).
pub fn claim_generation(ws: &mut Workspace, item: i64) -> Result<i64> {
    ws.store().read(|tx| tx.claim_generation(item))
}

/// Releases one's own claim on an item.
pub fn release(ws: &mut Workspace, s: &Session, item: i64) -> Result<()> {
    let now = ws.now();
    ws.store_as(s).write(|tx| {
        let me = current_user(tx, s)?;
        match tx.claim_of(item)? {
            Some((uid, _)) if uid == me.id => {}
            _ => {
                tx.item(item, now)?;
                return Err(Error::rule(format!(
                    "you do not hold a claim on item #{item}"
                )));
            }
        }
        tx.set_claim(item, None)?;
        record(tx, now, &me.name, "release", Some(item), json!({}))?;
        Ok(())
    })
}

/// Checks that `s` may change item `item` now: a reviewer holding a live claim on an item
/// that is open for review. Returns the acting user.
pub(crate) fn editable_claim(
    tx: &Tx,
    s: &Session,
    item: i64,
    now: DateTime<Utc>,
) -> Result<UserRow> {
    let me = current_user(tx, s)?;
    require_reviewer(&me)?;
    let it = tx.item(item, now)?;
    match (&it.claimed_by, it.status) {
        (Some(holder), Status::InReview) if holder == &me.name => Ok(me),
        (Some(holder), _) if holder != &me.name => Err(Error::rule(format!(
            "item #{item} is claimed by {holder} until {}",
            it.lease_until.map(fmt_ts).unwrap_or_default()
        ))),
        (_, Status::New | Status::Returned) => Err(Error::rule(format!(
            "claim item #{item} first: you do not hold a live claim on it"
        ))),
        (_, status) => Err(Error::rule(format!(
            "item #{item} is {status}: it cannot change now"
        ))),
    }
}

/// Changes the tags of an item: adds and removes groups and legal grounds, all from the
/// current taxonomy version. Requires a live claim. Returns the item's tags afterwards.
pub fn tag(
    ws: &mut Workspace,
    s: &Session,
    item: i64,
    add_groups: &[String],
    add_grounds: &[String],
    remove_groups: &[String],
    remove_grounds: &[String],
) -> Result<Vec<crate::model::TagRow>> {
    let now = ws.now();
    ws.store_as(s).write(|tx| {
        let me = editable_claim(tx, s, item, now)?;
        let tax = tx
            .current_taxonomy()?
            .ok_or_else(|| Error::NotFound("taxonomy".into()))?;
        let groups = tx.groups(tax.version)?;
        let grounds = tx.grounds(tax.version)?;
        let mut unknown = Vec::new();
        for g in add_groups {
            if !groups.iter().any(|x| &x.id == g) {
                unknown.push(format!("group '{g}'"));
            }
        }
        for g in add_grounds {
            if !grounds.iter().any(|x| &x.id == g) {
                unknown.push(format!("legal ground '{g}'"));
            }
        }
        if !unknown.is_empty() {
            return Err(Error::invalid(format!(
                "not in taxonomy version {}: {}",
                tax.version,
                unknown.join(", ")
            )));
        }
        let seq = tx.next_event_seq()?;
        let at = now;
        let (mut added, mut removed) = (Vec::new(), Vec::new());
        for (kind, ids) in [("group", remove_groups), ("ground", remove_grounds)] {
            for id in ids {
                if tx.delete_tag(kind, item, id)? {
                    removed.push(json!({ "kind": kind, "id": id }));
                }
            }
        }
        for (kind, ids) in [("group", add_groups), ("ground", add_grounds)] {
            for id in ids {
                if tx.insert_tag(kind, item, id, tax.version, &me.name, at, seq)? {
                    added.push(json!({ "kind": kind, "id": id, "taxonomy_version": tax.version }));
                }
            }
        }
        if !added.is_empty() || !removed.is_empty() {
            let tags: Vec<_> = tx
                .item_tags(item)?
                .iter()
                .map(|t| format!("{}:{}@{}", t.kind, t.id, t.taxonomy_version))
                .collect();
            record(
                tx,
                now,
                &me.name,
                "tag",
                Some(item),
                json!({ "added": added, "removed": removed, "tags": tags }),
            )?;
        }
        tx.item_tags(item)
    })
}

/// Builds the packet the current state of an item would seal.
fn packet_now(
    tx: &Tx,
    it: &Item,
    outcome: Outcome,
    rationale: &str,
    proposer: &str,
    at: DateTime<Utc>,
) -> Result<Packet> {
    let tags = tx.item_tags(it.id)?;
    let sealed = |kind: &str| -> Vec<SealedTag> {
        tags.iter()
            .filter(|t| t.kind == kind)
            .map(|t| SealedTag {
                id: t.id.clone(),
                label: t.label.clone(),
                taxonomy_version: t.taxonomy_version,
            })
            .collect()
    };
    let evidence = tx
        .item_evidence(it.id)?
        .into_iter()
        .map(|e| e.sha256)
        .collect();
    Ok(Packet::new(
        it.id,
        &it.fields.url,
        outcome,
        sealed("group"),
        sealed("ground"),
        evidence,
        rationale,
        proposer,
        at,
    )
    .with_handle(&it.fields.handle))
}

/// What a decision on an item would still lack: see [`Packet::missing`].
pub fn missing(
    ws: &mut Workspace,
    item: i64,
    outcome: Outcome,
    rationale: &str,
) -> Result<Vec<&'static str>> {
    ws.store().read(|tx| {
        let evidence = tx.item_evidence(item)?.len();
        let grounds = tx
            .item_tags(item)?
            .iter()
            .filter(|t| t.kind == "ground")
            .count();
        Ok(Packet::missing(outcome, evidence, grounds, rationale))
    })
}

/// The packet a proposal would seal now, for display before submitting.
pub fn preview(
    ws: &mut Workspace,
    s: &Session,
    item: i64,
    outcome: Outcome,
    rationale: &str,
) -> Result<Packet> {
    let now = ws.now();
    ws.store_as(s)
        .read(|tx| packet_now(tx, &tx.item(item, now)?, outcome, rationale, &s.name, now))
}

/// Seals and stores a proposal. Requires a live claim; a takedown needs evidence and a
/// legal ground; every outcome needs a rationale. Releases the claim. Returns the packet
/// and its hash.
pub fn propose(
    ws: &mut Workspace,
    s: &Session,
    item: i64,
    outcome: Outcome,
    rationale: &str,
) -> Result<(Packet, String)> {
    propose_fenced(ws, s, item, outcome, rationale, None)
}

/// [`propose`] for work begun under the claim of `generation` (a desk that claimed the
/// item and worked on it since): refused if the claim has changed hands since, even if it
/// came back to `s` (their lease ran out and someone else took the item meanwhile), so
/// nothing is proposed on what another person changed while this desk was not looking.
pub fn propose_fenced(
    ws: &mut Workspace,
    s: &Session,
    item: i64,
    outcome: Outcome,
    rationale: &str,
    generation: Option<i64>,
) -> Result<(Packet, String)> {
    let now = ws.now();
    let signer = ws.signer(s)?;
    ws.store_as(s).write(|tx| {
        let me = editable_claim(tx, s, item, now)?;
        if let Some(g) = generation
            && tx.claim_generation(item)? != g
        {
            return Err(Error::rule(format!(
                "your claim on item #{item} ran out and the item was claimed by someone else since you began; open it again to see what changed"
            )));
        }
        let it = tx.item(item, now)?;
        let packet = packet_now(tx, &it, outcome, rationale, &me.name, now)?;
        let missing = Packet::missing(outcome, packet.evidence.len(), packet.grounds.len(), rationale);
        if !missing.is_empty() {
            return Err(Error::rule(format!("a {outcome} decision on #{item} needs {}", missing.join(", "))));
        }
        let hash = packet.hash();
        let seq = tx.next_event_seq()?;
        let id = tx.insert_proposal(item, outcome, &packet.rationale, &packet.canonical(), &hash, me.id, now, seq)?;
        tx.set_item_status(item, Status::Proposed)?;
        tx.set_claim(item, None)?;
        let payload = json!({
            "proposal": id, "outcome": outcome, "packet_hash": hash,
            "groups": packet.groups.len(), "grounds": packet.grounds.len(), "evidence": packet.evidence.len(),
        });
        crate::keys::record_signed(tx, &signer, now, "propose", Some(item), payload, Some(&hash))?;
        Ok((packet, hash))
    })
}

/// The pending proposal of an item and the lead acting on it, checked for the four-eyes
/// rule: the lead holds the lead role now and is not the proposer.
fn lead_on_pending(tx: &Tx, s: &Session, item: i64, verb: &str) -> Result<(UserRow, ProposalRow)> {
    let me = current_user(tx, s)?;
    let proposal = tx
        .pending_proposal(item)?
        .ok_or_else(|| Error::rule(format!("item #{item} has no proposal waiting for a lead")))?;
    if me.role != Role::Lead {
        return Err(Error::rule(format!(
            "only a lead may {verb} ('{}' is {})",
            me.name, me.role
        )));
    }
    if proposal.proposer_id == me.id {
        return Err(Error::rule(format!(
            "four-eyes: '{}' proposed this decision and cannot {verb} it; another lead must",
            me.name
        )));
    }
    Ok((me, proposal))
}

/// Approves the pending proposal of an item. `packet_hash`, when given, must name the
/// sealed packet; and the item's current tags and evidence must still match what was
/// sealed. Otherwise the approval is refused as stale. Where the lead's viewing of the
/// evidence is not tracked (the command line), the audit event says so.
pub fn approve(
    ws: &mut Workspace,
    s: &Session,
    item: i64,
    packet_hash: Option<&str>,
) -> Result<String> {
    approve_seen(ws, s, item, packet_hash, None)
}

/// Approves like [`approve`], from a desk that tracks which screenshots the lead opened
/// (`opened`, their SHA-256). Refused unless the lead opened every screenshot of the sealed
/// packet; the audit event records which were opened.
pub fn approve_after_viewing(
    ws: &mut Workspace,
    s: &Session,
    item: i64,
    packet_hash: &str,
    opened: &[String],
) -> Result<String> {
    approve_seen(ws, s, item, Some(packet_hash), Some(opened))
}

/// The screenshots of `evidence` (SHA-256, in order) that `opened` says were not opened: a
/// lead approves only when there are none. The use case and the workstation's Approve
/// control both ask this.
pub fn not_opened<'a>(
    evidence: impl IntoIterator<Item = &'a str>,
    opened: impl Fn(&str) -> bool,
) -> Vec<&'a str> {
    evidence.into_iter().filter(|sha| !opened(sha)).collect()
}

fn approve_seen(
    ws: &mut Workspace,
    s: &Session,
    item: i64,
    packet_hash: Option<&str>,
    opened: Option<&[String]>,
) -> Result<String> {
    let now = ws.now();
    let signer = ws.signer(s)?;
    ws.store_as(s).write(|tx| {
        let (me, proposal) = lead_on_pending(tx, s, item, "approve")?;
        if let Some(h) = packet_hash
            && !h.eq_ignore_ascii_case(&proposal.packet_hash)
        {
            return Err(Error::rule(format!(
                "stale packet: you reviewed {h} but the sealed packet of #{item} is now {}",
                proposal.packet_hash
            )));
        }
        if canonical::sha256_hex(proposal.packet.as_bytes()) != proposal.packet_hash {
            return Err(Error::Integrity(format!("the stored packet of proposal {} does not match its hash", proposal.id)));
        }
        let sealed: Packet = serde_json::from_str(&proposal.packet)
            .map_err(|e| Error::Integrity(format!("the stored packet of proposal {} cannot be read: {e}", proposal.id)))?;
        let it = tx.item(item, now)?;
        let current = packet_now(tx, &it, sealed.outcome, &sealed.rationale, &sealed.proposer, parse_ts(&sealed.proposed_at)?)?;
        if current.hash() != proposal.packet_hash {
            return Err(Error::rule(format!(
                "stale packet: the tags or evidence of #{item} changed since the decision was sealed"
            )));
        }
        if let Some(opened) = opened {
            let was_opened = |sha: &str| opened.iter().any(|o| o.eq_ignore_ascii_case(sha));
            let missing = not_opened(sealed.evidence.iter().map(String::as_str), was_opened);
            if !missing.is_empty() {
                return Err(Error::rule(format!(
                    "open every screenshot of #{item} before approving: {} of {} not opened yet",
                    missing.len(),
                    sealed.evidence.len()
                )));
            }
        }
        // The screenshots the lead opened (past the check above, all of the packet's, in its
        // order); null where viewing is not tracked.
        let opened_evidence = opened.map(|_| sealed.evidence.clone());
        let seq = tx.next_event_seq()?;
        tx.insert_approval(proposal.id, me.id, &proposal.packet_hash, now, seq)?;
        tx.set_item_status(item, Status::Approved)?;
        let payload = json!({
            "proposal": proposal.id, "packet_hash": proposal.packet_hash, "proposer": proposal.proposer,
            "outcome": proposal.outcome, "opened_evidence": opened_evidence,
        });
        crate::keys::record_signed(tx, &signer, now, "approve", Some(item), payload, Some(&proposal.packet_hash))?;
        Ok(proposal.packet_hash)
    })
}

/// Returns the pending proposal of an item to review, with the lead's reason.
pub fn return_item(ws: &mut Workspace, s: &Session, item: i64, reason: &str) -> Result<()> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::rule("returning a decision needs a reason"));
    }
    let now = ws.now();
    let signer = ws.signer(s)?;
    ws.store_as(s).write(|tx| {
        let (me, proposal) = lead_on_pending(tx, s, item, "return")?;
        let seq = tx.next_event_seq()?;
        tx.insert_return(proposal.id, me.id, reason, now, seq)?;
        tx.set_item_status(item, Status::Returned)?;
        let payload = json!({
            "proposal": proposal.id, "packet_hash": proposal.packet_hash, "reason": reason,
        });
        crate::keys::record_signed(
            tx,
            &signer,
            now,
            "return",
            Some(item),
            payload,
            Some(&proposal.packet_hash),
        )?;
        Ok(())
    })
}

/// Every pending proposal, oldest first: the leads' approvals inbox.
pub fn inbox(ws: &mut Workspace) -> Result<Vec<ProposalRow>> {
    ws.store().read(|tx| tx.pending_proposals())
}

/// Whether `s` could approve or return (`verb`) `proposal`, and if not, why.
pub fn may_decide(
    s: &Session,
    proposal: &ProposalRow,
    verb: &str,
) -> std::result::Result<(), String> {
    if s.role != Role::Lead {
        Err(format!("only a lead may {verb}"))
    } else if proposal.proposer_id == s.user_id {
        Err(format!(
            "four-eyes: you proposed this decision; another lead must {verb} it"
        ))
    } else if proposal.state != ProposalState::Pending {
        Err(format!("this proposal is {}", proposal.state))
    } else {
        Ok(())
    }
}
