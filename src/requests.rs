//! Requests to platforms: a lead builds a takedown request per platform from approved
//! takedowns; it is exported as a BagIt bag, marked sent (when, through which channel), and
//! each item's response is recorded as the platform answers. The response clock (48 hours,
//! 12 for emergencies; set in the taxonomy file) shows which requests are overdue.
//! Reinstatement requests are made by [`crate::appeals`] when an appeal overturns a takedown.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use std::path::{Path, PathBuf};

use crate::auth::current_user;
use crate::bagit::{self, PayloadFile};
use crate::clock::fmt_ts;
use crate::error::{Error, Result};
use crate::model::packet::Packet;
use crate::model::request::{self, RequestKind, Response, Standing, Timed};
use crate::model::taxonomy::Taxonomy;
use crate::model::{Platform, Role};
use crate::model::{RequestRow, ResponseRow, UserRow};
use crate::store::Tx;
use crate::workspace::{Session, Workspace, record};

/// Default response windows, in hours, when the taxonomy file names none.
pub const DEFAULT_WINDOWS: (i64, i64) = (48, 12);

/// A request with its items, responses and where it stands.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RequestView {
    /// The request.
    #[serde(flatten)]
    pub request: RequestRow,
    /// Its items: (item id, decision it rests on).
    pub items: Vec<RequestedItem>,
    /// Every response, in the order recorded.
    pub responses: Vec<ResponseRow>,
    /// `draft` (not sent), `waiting`, `overdue` or `answered`.
    pub standing: String,
}

/// One item of a request, with its latest response.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RequestedItem {
    /// The item.
    pub item: i64,
    /// The decision (proposal id) it rests on.
    pub proposal: i64,
    /// Its handle.
    pub handle: String,
    /// Its URL.
    pub url: String,
    /// The latest response, if any.
    pub latest: Option<String>,
}

/// The response windows of the current taxonomy: (ordinary, emergency) hours.
pub fn windows(tx: &Tx) -> Result<(i64, i64)> {
    let Some(source) = tx.current_taxonomy_source()? else {
        return Ok(DEFAULT_WINDOWS);
    };
    Ok(Taxonomy::parse(&source)?
        .platforms
        .map(|p| {
            (
                i64::from(p.response_window_hours),
                i64::from(p.emergency_window_hours),
            )
        })
        .unwrap_or(DEFAULT_WINDOWS))
}

fn require(me: &UserRow, roles: &[Role], what: &str) -> Result<()> {
    if roles.contains(&me.role) {
        Ok(())
    } else {
        Err(Error::rule(format!(
            "only a {} may {what} ('{}' is {})",
            roles
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(" or "),
            me.name,
            me.role
        )))
    }
}

/// The reference the next request of `kind` made at `now` gets: `TDR-2026-0001` …
pub(crate) fn next_reference(tx: &Tx, kind: RequestKind, now: DateTime<Utc>) -> Result<String> {
    let prefix = format!("{}-{}-", kind.prefix(), now.format("%Y"));
    Ok(format!(
        "{prefix}{:04}",
        tx.count_request_refs(&prefix)? + 1
    ))
}

/// Creates a request inside a write transaction; returns its reference.
#[allow(clippy::too_many_arguments)]
pub(crate) fn create_in(
    tx: &Tx,
    now: DateTime<Utc>,
    me: &UserRow,
    signer: &crate::keys::Signer,
    kind: RequestKind,
    platform: &str,
    emergency: bool,
    items: &[(i64, i64)],
    reason: Option<&str>,
) -> Result<String> {
    let (ordinary, urgent) = windows(tx)?;
    let window = if emergency { urgent } else { ordinary };
    let reference = next_reference(tx, kind, now)?;
    let seq = tx.next_event_seq()?;
    let id = tx.insert_request(
        &reference,
        kind.as_str(),
        platform,
        emergency,
        window,
        me.id,
        now,
        seq,
    )?;
    for &(item, proposal) in items {
        tx.insert_request_item(id, item, proposal)?;
    }
    let payload = json!({
        "ref": reference, "kind": kind.as_str(), "platform": platform, "emergency": emergency,
        "window_hours": window, "reason": reason,
        "items": items.iter().map(|(i, p)| json!({"item": i, "proposal": p})).collect::<Vec<_>>(),
    });
    crate::keys::record_signed(tx, signer, now, "request_create", None, payload, None)?;
    Ok(reference)
}

/// Builds a takedown request to `platform` from its approved takedowns not yet requested
/// (only `only`, when given). Leads only; audited. Returns the new reference.
pub fn create(
    ws: &mut Workspace,
    s: &Session,
    platform: Platform,
    emergency: bool,
    only: Option<&[i64]>,
) -> Result<String> {
    let now = ws.now();
    let signer = ws.signer(s)?;
    ws.store_as(s).write(|tx| {
        let me = current_user(tx, s)?;
        require(&me, &[Role::Lead], "create a request to a platform")?;
        let open = tx.unrequested_takedowns(platform.as_str())?;
        let items: Vec<(i64, i64)> = match only {
            None => open,
            Some(ids) => {
                let mut out = Vec::new();
                for id in ids {
                    let found = open.iter().find(|(i, _)| i == id).ok_or_else(|| {
                        Error::rule(format!(
                            "#{id} has no approved takedown on {platform} that is not yet in a request"
                        ))
                    })?;
                    out.push(*found);
                }
                out
            }
        };
        if items.is_empty() {
            return Err(Error::rule(format!(
                "no approved takedown on {platform} waits for a request"
            )));
        }
        create_in(tx, now, &me, &signer, RequestKind::Takedown, platform.as_str(), emergency, &items, None)
    })
}

fn find(tx: &Tx, reference: &str) -> Result<RequestRow> {
    tx.request(reference.trim())?
        .ok_or_else(|| Error::NotFound(format!("request {reference}")))
}

/// Records that a request was sent, when (default: now) and through which channel, with
/// the platform's ticket number if one was given. Leads and reviewers; once; audited.
pub fn mark_sent(
    ws: &mut Workspace,
    s: &Session,
    reference: &str,
    channel: &str,
    platform_ref: &str,
    at: Option<DateTime<Utc>>,
) -> Result<DateTime<Utc>> {
    let channel = channel.trim();
    if channel.is_empty() {
        return Err(Error::rule(
            "say through which channel the request was sent",
        ));
    }
    let now = ws.now();
    let sent = at.unwrap_or(now);
    if sent > now {
        return Err(Error::rule("a request cannot be sent in the future"));
    }
    ws.store_as(s).write(|tx| {
        let me = current_user(tx, s)?;
        require(
            &me,
            &[Role::Lead, Role::Reviewer],
            "record the sending of a request",
        )?;
        let r = find(tx, reference)?;
        if r.sent.is_some() {
            return Err(Error::rule(format!("{} was already sent", r.reference)));
        }
        if sent < r.created_at {
            return Err(Error::rule(format!(
                "{} cannot have been sent before it was made ({})",
                r.reference,
                fmt_ts(r.created_at)
            )));
        }
        let due = request::due(sent, r.window_hours);
        let seq = tx.next_event_seq()?;
        tx.insert_request_send(r.id, sent, due, channel, platform_ref.trim(), me.id, seq)?;
        record(
            tx,
            now,
            &me.name,
            "request_send",
            None,
            json!({
                "ref": r.reference, "sent_at": fmt_ts(sent), "due_at": fmt_ts(due),
                "channel": channel, "platform_ref": platform_ref.trim(),
            }),
        )?;
        Ok(due)
    })
}

/// Records a platform's response on one item of a sent request, when it came (default:
/// now) and a note. Leads and reviewers; audited. Responses are never edited: a later one
/// is recorded beside the earlier.
pub fn record_response(
    ws: &mut Workspace,
    s: &Session,
    reference: &str,
    item: i64,
    response: Response,
    at: Option<DateTime<Utc>>,
    note: &str,
) -> Result<()> {
    let now = ws.now();
    let when = at.unwrap_or(now);
    if when > now {
        return Err(Error::rule("a response cannot come in the future"));
    }
    ws.store_as(s).write(|tx| {
        let me = current_user(tx, s)?;
        require(&me, &[Role::Lead, Role::Reviewer], "record a platform's response")?;
        let r = find(tx, reference)?;
        let kind = RequestKind::parse(&r.kind).ok_or_else(|| Error::Integrity(format!("{}: unknown kind {}", r.reference, r.kind)))?;
        if !response.fits(kind) {
            return Err(Error::rule(format!("'{response}' is not a response to a {} request", kind.as_str())));
        }
        if !tx.request_items(r.id)?.iter().any(|i| i.item_id == item) {
            return Err(Error::rule(format!("#{item} is not in {}", r.reference)));
        }
        let Some(sent) = &r.sent else {
            return Err(Error::rule(format!("{} has not been sent: record its sending first", r.reference)));
        };
        if when < sent.sent_at {
            return Err(Error::rule(format!("a response cannot come before the request was sent ({})", fmt_ts(sent.sent_at))));
        }
        let seq = tx.next_event_seq()?;
        tx.insert_response(r.id, item, response.as_str(), when, note.trim(), me.id, now, seq)?;
        record(tx, now, &me.name, "request_response", Some(item), json!({
            "ref": r.reference, "response": response.as_str(), "responded_at": fmt_ts(when), "note": note.trim(),
        }))?;
        Ok(())
    })
}

/// The responses of a request as the clock sees them.
pub fn timed(responses: &[ResponseRow]) -> Result<Vec<Timed>> {
    responses
        .iter()
        .map(|r| {
            Ok(Timed {
                item: r.item_id,
                response: r.response.parse().map_err(Error::Integrity)?,
                at: r.responded_at,
            })
        })
        .collect()
}

/// The URL and handle of the item a decision concerns, as its sealed packet names them:
/// a request asks a platform to act on what was decided, whatever the live row says now.
/// (Packets sealed before handles were sealed name only the URL; the handle then comes from
/// the row, which `audit verify` checks against its import.)
fn sealed_target(
    tx: &Tx,
    item: i64,
    proposal: i64,
    now: DateTime<Utc>,
) -> Result<(String, String)> {
    let packet = sealed_packet(tx, item, proposal)?;
    let handle = if packet.item_handle.is_empty() {
        tx.item(item, now)?.fields.handle
    } else {
        packet.item_handle
    };
    Ok((packet.item_url, handle))
}

/// The fingerprint of the key `who` signed event `seq` with, if it was signed: written into
/// exported bags so an outside reader can compare it with a copy of the keys kept elsewhere.
fn signed_with(tx: &Tx, seq: i64, who: &str) -> Result<Option<String>> {
    Ok(tx
        .signatures_of(seq)?
        .into_iter()
        .find(|s| s.signer.eq_ignore_ascii_case(who))
        .map(|s| s.key_fingerprint))
}

fn sealed_packet(tx: &Tx, item: i64, proposal: i64) -> Result<Packet> {
    let decision = tx
        .decisions(Some(item))?
        .into_iter()
        .find(|d| d.proposal.id == proposal)
        .ok_or_else(|| Error::Integrity(format!("decision {proposal} of #{item} is missing")))?;
    serde_json::from_str(&decision.proposal.packet)
        .map_err(|e| Error::Integrity(format!("packet of decision {proposal}: {e}")))
}

fn view(tx: &Tx, r: RequestRow, now: DateTime<Utc>) -> Result<RequestView> {
    let rows = tx.request_items(r.id)?;
    let responses = tx.responses(r.id)?;
    let standing = match &r.sent {
        None => "draft".to_string(),
        Some(s) => {
            let ids: Vec<i64> = rows.iter().map(|i| i.item_id).collect();
            match request::standing(s.due_at, &ids, &timed(&responses)?, now) {
                Standing::Answered => "answered",
                Standing::Waiting => "waiting",
                Standing::Overdue => "overdue",
            }
            .to_string()
        }
    };
    let mut items = Vec::new();
    for row in rows {
        let (url, handle) = sealed_target(tx, row.item_id, row.proposal_id, now)?;
        items.push(RequestedItem {
            item: row.item_id,
            proposal: row.proposal_id,
            handle,
            url,
            latest: responses
                .iter()
                .rev()
                .find(|x| x.item_id == row.item_id)
                .map(|x| x.response.clone()),
        });
    }
    Ok(RequestView {
        request: r,
        items,
        responses,
        standing,
    })
}

/// One request with its items and responses.
pub fn show(ws: &mut Workspace, reference: &str) -> Result<RequestView> {
    let now = ws.now();
    ws.store().read(|tx| {
        let r = find(tx, reference)?;
        view(tx, r, now)
    })
}

/// Every request, newest first; only the overdue ones when `overdue`.
pub fn list(ws: &mut Workspace, overdue: bool) -> Result<Vec<RequestView>> {
    let now = ws.now();
    ws.store().read(|tx| {
        let mut out = Vec::new();
        for r in tx.requests()? {
            let v = view(tx, r, now)?;
            if !overdue || v.standing == "overdue" {
                out.push(v);
            }
        }
        Ok(out)
    })
}

/// The references of the requests an item is in, with their kinds.
pub fn of_item(ws: &mut Workspace, item: i64) -> Result<Vec<(String, String)>> {
    ws.store().read(|tx| tx.item_requests(item))
}

fn extension(mime: &str) -> &'static str {
    match mime {
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/webp" => "webp",
        "image/gif" => "gif",
        _ => "bin",
    }
}

/// Exports a request as a BagIt bag in a new folder `out`: `data/request.json` (the request,
/// each item with its sealed decision, groups, legal grounds and evidence list),
/// `data/request.csv` (one row per item) and `data/evidence/` (the evidence originals, each
/// checked against its hash). Audited, as the signed-in user or, without a session, as
/// [`crate::import::local_actor`]. Returns the bag's folder.
pub fn export(
    ws: &mut Workspace,
    s: Option<&Session>,
    reference: &str,
    out: &Path,
) -> Result<PathBuf> {
    let now = ws.now();
    let (payload, info) = ws.store_as_opt(s).read(|tx| {
        if let Some(s) = s {
            current_user(tx, s)?;
        }
        let v = view(tx, find(tx, reference)?, now)?;
        let mut payload = Vec::new();
        let mut items_json = Vec::new();
        let mut csv = csv::Writer::from_writer(Vec::new());
        csv.write_record([
            "ref", "item", "platform", "kind", "handle", "display_name", "url", "reported_at", "outcome",
            "groups", "grounds", "proposer", "approver", "approved_at", "evidence", "latest_response",
        ])
        .map_err(|e| Error::invalid(format!("request.csv: {e}")))?;
        for ri in &v.items {
            let it = tx.item(ri.item, now)?;
            let packet = sealed_packet(tx, ri.item, ri.proposal)?;
            let decision = tx
                .decisions(Some(ri.item))?
                .into_iter()
                .find(|d| d.proposal.id == ri.proposal)
                .ok_or_else(|| Error::Integrity(format!("decision {} of #{} is missing", ri.proposal, ri.item)))?;
            // The account acted on is the one sealed in the decision (see `sealed_target`).
            let (url, handle) = (ri.url.clone(), ri.handle.clone());
            let mut evidence = Vec::new();
            for sha in &packet.evidence {
                let (bytes, mime) = crate::evidence::read_checked(tx, sha)?;
                let path = format!("evidence/{sha}.{}", extension(&mime));
                evidence.push(json!({"sha256": sha, "path": format!("data/{path}"), "mime": mime, "size": bytes.len()}));
                if !payload.iter().any(|p: &PayloadFile| p.path == path) {
                    payload.push(PayloadFile { path, bytes });
                }
            }
            let approval = decision.approval.as_ref();
            let tags = |t: &[crate::model::packet::SealedTag]| t.iter().map(|x| x.id.clone()).collect::<Vec<_>>().join(";");
            let cells = [
                v.request.reference.clone(), ri.item.to_string(), it.fields.platform.as_str().to_string(),
                it.fields.kind.as_str().to_string(), handle.clone(), it.fields.display_name.clone(),
                url.clone(), fmt_ts(it.fields.reported_at), packet.outcome.as_str().to_string(),
                tags(&packet.groups), tags(&packet.grounds), decision.proposal.proposer.clone(),
                approval.map(|a| a.approver.clone()).unwrap_or_default(),
                approval.map(|a| fmt_ts(a.approved_at)).unwrap_or_default(),
                packet.evidence.len().to_string(), ri.latest.clone().unwrap_or_default(),
            ];
            // Handles, names and URLs come from outside: no cell may run as a formula.
            csv.write_record(cells.iter().map(|c| crate::model::text::csv_cell(c).into_owned()))
                .map_err(|e| Error::invalid(format!("request.csv: {e}")))?;
            items_json.push(json!({
                "item": ri.item, "platform": it.fields.platform.as_str(), "kind": it.fields.kind.as_str(),
                "handle": handle, "display_name": it.fields.display_name, "url": url,
                "reported_at": fmt_ts(it.fields.reported_at),
                "decision": {
                    "proposer_key": signed_with(tx, decision.proposal.event_seq, &decision.proposal.proposer)?,
                    "approver_key": match approval { Some(a) => signed_with(tx, a.event_seq, &a.approver)?, None => None },
                    "proposal": decision.proposal.id, "outcome": packet.outcome.as_str(),
                    "rationale": packet.rationale, "packet_hash": decision.proposal.packet_hash,
                    "proposer": decision.proposal.proposer, "proposed_at": decision.proposal.proposed_at,
                    "approver": approval.map(|a| a.approver.clone()),
                    "approved_at": approval.map(|a| a.approved_at),
                },
                "groups": packet.groups, "grounds": packet.grounds, "evidence": evidence,
                "latest_response": ri.latest,
            }));
        }
        let r = &v.request;
        let request_json = json!({
            "ref": r.reference, "kind": r.kind, "platform": r.platform, "emergency": r.emergency,
            "response_window_hours": r.window_hours, "created_by": r.created_by, "created_at": r.created_at,
            "sent": r.sent, "standing": v.standing, "items": items_json,
        });
        payload.push(PayloadFile {
            path: "request.json".into(),
            bytes: serde_json::to_vec_pretty(&request_json).map_err(|e| Error::invalid(e.to_string()))?,
        });
        // The newest checkpoint of the trail, so the bag names the trail it came from.
        if let Some(cp) = crate::checkpoint::stored(tx)?.into_values().next_back() {
            payload.push(PayloadFile { path: "checkpoint.txt".into(), bytes: cp.note().into_bytes() });
        }
        payload.push(PayloadFile {
            path: "request.csv".into(),
            bytes: csv.into_inner().map_err(|e| Error::invalid(format!("request.csv: {e}")))?,
        });
        let info = vec![
            ("Source-Organization", "Parakh review desk".to_string()),
            ("External-Identifier", r.reference.clone()),
            ("External-Description", format!(
                "{} request to {} with {} item(s){}", r.kind, r.platform, v.items.len(),
                if r.emergency { ", emergency" } else { "" }
            )),
            ("Bag-Group-Identifier", r.platform.clone()),
        ];
        Ok((payload, info))
    })?;
    let dest = bagit::write(out, &info, &now.format("%Y-%m-%d").to_string(), &payload)?;
    ws.store_as_opt(s).write(|tx| {
        let actor = match s {
            Some(s) => current_user(tx, s)?.name,
            None => crate::import::local_actor(),
        };
        record(
            tx,
            now,
            &actor,
            "request_export",
            None,
            json!({
                "ref": reference.trim(), "files": payload.len(),
            }),
        )
    })?;
    Ok(dest)
}
