//! The audit trail: reading it, and verifying it end to end. Verification recomputes the
//! hash chain and checks that the current tables agree with it: every proposal, approval,
//! return, tag, evidence link, item, role, mirror verdict, hash list, request, sending,
//! platform response, appeal and appeal outcome backed by the event
//! that made it, and every piece of evidence still hashing to its key; then the trail is
//! replayed on its own and every step re-checked against the workflow's rules
//! ([`replay`]).

mod items;
mod replay;
pub mod signatures;

use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

use crate::clock::fmt_ts;
use crate::error::Result;
use crate::evidence::read_checked;
use crate::model::EventRow;
use crate::model::canonical::sha256_hex;
use crate::model::chain::GENESIS;
use crate::model::checkpoint::Checkpoint;
use crate::store::Tx;
use crate::workspace::Workspace;

/// One thing found wrong.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Problem {
    /// The sequence number where the trail breaks, if one can be named.
    pub seq: Option<i64>,
    /// What is wrong.
    pub what: String,
}

/// The result of a verification.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Verification {
    /// Events checked.
    pub events: i64,
    /// The last event's sequence number and hash: write it down to detect a truncated tail later.
    pub head: Option<(i64, String)>,
    /// Problems, the chain's first break first. Empty when everything agrees.
    pub problems: Vec<Problem>,
}

impl Verification {
    /// Whether nothing is wrong.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Events of one item, or all.
pub fn log(ws: &mut Workspace, item: Option<i64>) -> Result<Vec<EventRow>> {
    ws.store().read(|tx| tx.events(item))
}

/// The key fingerprint each of `events` was signed with by its maker, by sequence (events
/// not signed are absent): shown beside decisions in the workstation.
pub fn signed_with(ws: &mut Workspace, events: &[EventRow]) -> Result<HashMap<i64, String>> {
    ws.store().read(|tx| {
        let mut out = HashMap::new();
        for e in events {
            if let Some(s) = tx
                .signatures_of(e.seq)?
                .into_iter()
                .find(|s| s.signer.eq_ignore_ascii_case(&e.actor))
            {
                out.insert(e.seq, s.key_fingerprint);
            }
        }
        Ok(out)
    })
}

/// Verifies the chain and the tables against it.
pub fn verify(ws: &mut Workspace) -> Result<Verification> {
    verify_with(ws, &[])
}

/// [`verify`], and proves that the trail extends each of `checkpoints` (label, checkpoint:
/// files a reader kept, each needing two leads' signatures) and every checkpoint the trail
/// holds, and that it still holds the newest events this desk has seen.
pub fn verify_with(
    ws: &mut Workspace,
    checkpoints: &[(String, Checkpoint)],
) -> Result<Verification> {
    let desk = ws.check_desk()?;
    let mut v = ws.store().read(|tx| {
        let mut v = Verification::default();
        check_chain(tx, &mut v)?;
        check_tables(tx, &mut v)?;
        v.problems.extend(items::check_items(tx)?);
        v.problems.extend(replay::replay(tx)?);
        let (problems, keys) = signatures::check_signatures(tx)?;
        v.problems.extend(problems);
        // Every checkpoint, held or given, against the same leaves and keys.
        let leaves = tx.leaf_hashes(None)?;
        let store = tx.store_identity()?;
        let held = crate::checkpoint::stored(tx)?;
        let held = held
            .iter()
            .map(|(seq, cp)| (format!("the checkpoint of event #{seq}"), cp, false));
        let given = checkpoints
            .iter()
            .map(|(label, cp)| (label.clone(), cp, true));
        for (label, cp, need_two) in held.chain(given) {
            let found = crate::checkpoint::check(&store, &keys, cp, &label, need_two, &leaves);
            v.problems.extend(found);
        }
        Ok(v)
    })?;
    if let Some(what) = desk.or_else(|| ws.desk_problem().map(str::to_string)) {
        v.problems.push(Problem { seq: None, what });
    }
    Ok(v)
}

fn check_chain(tx: &Tx, v: &mut Verification) -> Result<()> {
    let mut expected = 1;
    let mut prev = GENESIS.to_string();
    let mut broken: Option<Problem> = None;
    tx.for_each_event(|e| {
        v.events += 1;
        let problem = if e.seq != expected {
            Some(Problem {
                seq: Some(expected),
                what: format!("event #{expected} is missing (next stored is #{}): a row was deleted or inserted", e.seq),
            })
        } else if e.prev_hash != prev {
            Some(Problem {
                seq: Some(e.seq),
                what: "its previous-hash does not match the event before: rows were inserted, deleted or reordered".into(),
            })
        } else if e.body().hash(&prev) != e.hash {
            Some(Problem { seq: Some(e.seq), what: format!("its content does not match its hash: the {} event was edited", e.action) })
        } else {
            None
        };
        if let Some(p) = problem {
            broken = Some(p);
            return Ok(false);
        }
        expected += 1;
        prev = e.hash.clone();
        v.head = Some((e.seq, e.hash));
        Ok(true)
    })?;
    v.problems.extend(broken);
    Ok(())
}

/// Checks that a row is backed by event `seq` of one of `actions` by `actor` on `item`,
/// and that `payload_ok` accepts the event's payload.
fn backed(
    events: &HashMap<i64, EventRow>,
    seq: i64,
    actions: &[&str],
    actor: &str,
    item: Option<i64>,
    payload_ok: impl Fn(&Value) -> bool,
) -> std::result::Result<(), String> {
    let e = events
        .get(&seq)
        .ok_or_else(|| format!("no audit event #{seq} backs it"))?;
    if !actions.contains(&e.action.as_str()) {
        return Err(format!(
            "event #{seq} is a {} event, not {}",
            e.action,
            actions.join("/")
        ));
    }
    if !e.actor.eq_ignore_ascii_case(actor) {
        return Err(format!(
            "event #{seq} was made by {}, the row says {actor}",
            e.actor
        ));
    }
    if item.is_some() && e.item.is_some() && e.item != item {
        return Err(format!(
            "event #{seq} concerns item #{}, the row item #{}",
            e.item.unwrap_or(0),
            item.unwrap_or(0)
        ));
    }
    let payload: Value = serde_json::from_str(&e.payload).unwrap_or(Value::Null);
    if !payload_ok(&payload) {
        return Err(format!("event #{seq} does not record what the row holds"));
    }
    Ok(())
}

fn in_import(p: &Value, item: i64) -> bool {
    let (first, last) = (p["first_id"].as_i64(), p["last_id"].as_i64());
    matches!((first, last), (Some(a), Some(b)) if (a..=b).contains(&item))
}

fn check_tables(tx: &Tx, v: &mut Verification) -> Result<()> {
    let mut events: HashMap<i64, EventRow> = HashMap::new();
    tx.for_each_event(|e| {
        if !matches!(
            e.action.as_str(),
            "login" | "login_failed" | "claim" | "release"
        ) {
            events.insert(e.seq, e);
        }
        Ok(true)
    })?;
    let mut fail = |seq: Option<i64>, what: String| v.problems.push(Problem { seq, what });

    for d in tx.decisions(None)? {
        let p = &d.proposal;
        if sha256_hex(p.packet.as_bytes()) != p.packet_hash {
            fail(
                Some(p.event_seq),
                format!(
                    "proposal {} on item #{}: the sealed packet does not match its hash",
                    p.id, p.item_id
                ),
            );
        }
        if let Err(w) = backed(
            &events,
            p.event_seq,
            &["propose"],
            &p.proposer,
            Some(p.item_id),
            |j| j["packet_hash"] == p.packet_hash.as_str() && j["proposal"] == p.id,
        ) {
            fail(
                Some(p.event_seq),
                format!("proposal {} on item #{}: {w}", p.id, p.item_id),
            );
        }
        if let Some(a) = &d.approval
            && let Err(w) = backed(
                &events,
                a.event_seq,
                &["approve"],
                &a.approver,
                Some(p.item_id),
                |j| j["packet_hash"] == a.packet_hash.as_str() && j["proposal"] == p.id,
            )
        {
            fail(
                Some(a.event_seq),
                format!("approval of proposal {} on item #{}: {w}", p.id, p.item_id),
            );
        }
        if let Some(r) = &d.returned
            && let Err(w) = backed(
                &events,
                r.event_seq,
                &["return"],
                &r.lead,
                Some(p.item_id),
                |j| j["reason"] == r.reason.as_str() && j["proposal"] == p.id,
            )
        {
            fail(
                Some(r.event_seq),
                format!("return of proposal {} on item #{}: {w}", p.id, p.item_id),
            );
        }
    }
    for crate::model::TagLink {
        kind,
        item,
        id,
        version,
        by,
        event_seq: seq,
    } in tx.all_tags()?
    {
        let ok = backed(&events, seq, &["tag"], &by, Some(item), |j| {
            j["added"].as_array().is_some_and(|a| {
                a.iter().any(|t| {
                    t["kind"] == kind && t["id"] == id.as_str() && t["taxonomy_version"] == version
                })
            })
        });
        if let Err(w) = ok {
            fail(Some(seq), format!("{kind} tag '{id}' on item #{item}: {w}"));
        }
    }
    for (item, sha, by, seq) in tx.evidence_links()? {
        let ok = backed(&events, seq, &["attach", "import"], &by, Some(item), |j| {
            j["sha256"] == sha.as_str() || in_import(j, item)
        });
        if let Err(w) = ok {
            fail(Some(seq), format!("evidence {sha} on item #{item}: {w}"));
        }
    }
    for sha in tx.evidence_keys()? {
        if let Err(e) = read_checked(tx, &sha) {
            fail(None, e.to_string());
        }
    }
    for (item, seq) in tx.item_origins()? {
        if let Err(w) = events
            .get(&seq)
            .filter(|e| e.action == "import")
            .map(|e| serde_json::from_str::<Value>(&e.payload).unwrap_or(Value::Null))
            .filter(|p| in_import(p, item))
            .ok_or_else(|| format!("no import event #{seq} records it"))
        {
            fail(Some(seq), format!("item #{item}: {w}"));
        }
    }
    for (item, m, seq) in tx.all_mirror_verdicts()? {
        let action = if m.confirmed {
            "mirror_confirm"
        } else {
            "mirror_reject"
        };
        if let Err(w) = backed(&events, seq, &[action], &m.decided_by, Some(item), |j| {
            j["of"] == m.of_item && j["score"].as_f64() == Some(m.score)
        }) {
            fail(
                Some(seq),
                format!("verdict on item #{item} as mirror of #{}: {w}", m.of_item),
            );
        }
    }
    for l in tx.hash_lists()? {
        let rows = tx.hash_list_rows(l.id)?;
        let digest = crate::hashlist::entries_digest(
            rows.iter().map(|(h, a, b)| (h, a.as_str(), b.as_str())),
        );
        if let Err(w) = backed(
            &events,
            l.event_seq,
            &["hashlist_import"],
            &l.imported_by,
            None,
            |j| {
                j["name"] == l.name.as_str()
                    && j["sha256"] == l.source_sha256.as_str()
                    && j["hashes"].as_u64() == Some(rows.len() as u64)
                    && j.get("entries_sha256")
                        .is_none_or(|d| *d == digest.as_str())
            },
        ) {
            fail(Some(l.event_seq), format!("hash list '{}': {w}", l.name));
        }
    }
    for r in tx.requests()? {
        let items: Vec<Value> = tx
            .request_items(r.id)?
            .iter()
            .map(|i| serde_json::json!({"item": i.item_id, "proposal": i.proposal_id}))
            .collect();
        if let Err(w) = backed(
            &events,
            r.event_seq,
            &["request_create"],
            &r.created_by,
            None,
            |j| {
                j["ref"] == r.reference.as_str()
                    && j["kind"] == r.kind.as_str()
                    && j["platform"] == r.platform.as_str()
                    && j["emergency"] == r.emergency
                    && j["window_hours"] == r.window_hours
                    && j["items"].as_array() == Some(&items)
            },
        ) {
            fail(Some(r.event_seq), format!("request {}: {w}", r.reference));
        }
        if let Some(s) = &r.sent
            && let Err(w) = backed(
                &events,
                s.event_seq,
                &["request_send"],
                &s.recorded_by,
                None,
                |j| {
                    j["ref"] == r.reference.as_str()
                        && j["sent_at"] == fmt_ts(s.sent_at).as_str()
                        && j["due_at"] == fmt_ts(s.due_at).as_str()
                        && j["channel"] == s.channel.as_str()
                },
            )
        {
            fail(
                Some(s.event_seq),
                format!("sending of request {}: {w}", r.reference),
            );
        }
        for x in tx.responses(r.id)? {
            if let Err(w) = backed(
                &events,
                x.event_seq,
                &["request_response"],
                &x.recorded_by,
                Some(x.item_id),
                |j| {
                    j["ref"] == r.reference.as_str()
                        && j["response"] == x.response.as_str()
                        && j["responded_at"] == fmt_ts(x.responded_at).as_str()
                },
            ) {
                fail(
                    Some(x.event_seq),
                    format!("response on #{} to request {}: {w}", x.item_id, r.reference),
                );
            }
        }
    }
    for a in tx.appeals(None)? {
        if let Err(w) = backed(
            &events,
            a.event_seq,
            &["appeal_file"],
            &a.filed_by,
            Some(a.item_id),
            |j| {
                j["appeal"] == a.id
                    && j["proposal"] == a.proposal_id
                    && j["grounds"] == a.grounds.as_str()
            },
        ) {
            fail(
                Some(a.event_seq),
                format!("appeal {} on item #{}: {w}", a.id, a.item_id),
            );
        }
        for o in &a.outcomes {
            if let Err(w) = backed(
                &events,
                o.event_seq,
                &["appeal_propose"],
                &o.proposer,
                Some(a.item_id),
                |j| {
                    j["outcome_id"] == o.id
                        && j["outcome"] == o.outcome.as_str()
                        && j["reasons"] == o.reasons.as_str()
                },
            ) {
                fail(
                    Some(o.event_seq),
                    format!("outcome {} of appeal {}: {w}", o.id, a.id),
                );
            }
            if let Some(c) = &o.approved
                && let Err(w) = backed(
                    &events,
                    c.event_seq,
                    &["appeal_approve"],
                    &c.lead,
                    Some(a.item_id),
                    |j| j["outcome_id"] == o.id && j["outcome"] == o.outcome.as_str(),
                )
            {
                fail(
                    Some(c.event_seq),
                    format!("approval of outcome {} of appeal {}: {w}", o.id, a.id),
                );
            }
            if let Some(c) = &o.returned
                && let Err(w) = backed(
                    &events,
                    c.event_seq,
                    &["appeal_return"],
                    &c.lead,
                    Some(a.item_id),
                    |j| j["outcome_id"] == o.id && j["reason"] == c.reason.as_str(),
                )
            {
                fail(
                    Some(c.event_seq),
                    format!("return of outcome {} of appeal {}: {w}", o.id, a.id),
                );
            }
        }
    }
    let mut roles: HashMap<String, String> = HashMap::new();
    let mut evs: Vec<&EventRow> = events
        .values()
        .filter(|e| e.action == "user_add" || e.action == "role_change")
        .collect();
    evs.sort_by_key(|e| e.seq);
    for e in evs {
        let p: Value = serde_json::from_str(&e.payload).unwrap_or(Value::Null);
        let role = if e.action == "user_add" {
            &p["role"]
        } else {
            &p["to"]
        };
        if let (Some(name), Some(role)) = (p["name"].as_str(), role.as_str()) {
            roles.insert(name.to_lowercase(), role.to_string());
        }
    }
    // The credential each user's row must hold: the last one the trail recorded for them.
    let mut credentials: HashMap<String, (i64, String)> = HashMap::new();
    let mut creds: Vec<&EventRow> = events
        .values()
        .filter(|e| {
            matches!(
                e.action.as_str(),
                "user_add" | "password_change" | "credential_recorded"
            )
        })
        .collect();
    creds.sort_by_key(|e| e.seq);
    for e in creds {
        let p: Value = serde_json::from_str(&e.payload).unwrap_or(Value::Null);
        if let (Some(name), Some(c)) = (p["name"].as_str(), p["credential"].as_str()) {
            credentials.insert(name.to_lowercase(), (e.seq, c.to_string()));
        }
    }
    for u in tx.users()? {
        match credentials.get(&u.name.to_lowercase()) {
            Some((seq, c))
                if Some(*seq) == u.credential_seq
                    && *c == crate::auth::credential_digest(&u.password_hash) => {}
            Some((seq, _)) => fail(
                Some(*seq),
                format!(
                    "user '{}': the stored password hash is not the one the trail last recorded for them",
                    u.name
                ),
            ),
            None => fail(
                None,
                format!(
                    "user '{}': no credential of theirs is recorded in the trail",
                    u.name
                ),
            ),
        }
        match roles.get(&u.name.to_lowercase()) {
            Some(r) if r == u.role.as_str() => {}
            Some(r) => fail(
                None,
                format!(
                    "user '{}' holds role {} but the trail last gave them {r}",
                    u.name, u.role
                ),
            ),
            None => fail(
                None,
                format!("user '{}' was not added through the trail", u.name),
            ),
        }
    }
    Ok(())
}
