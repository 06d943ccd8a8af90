//! Checkpoints that show the trail was not cut short or rewritten.
//!
//! The audit events are the leaves of a Merkle tree ([`crate::model::merkle`]). A lead
//! signs a checkpoint of the trail as it stands (C2SP `tlog-checkpoint`: origin, size,
//! root) and a second lead cosigns it; both are events in the trail and the note can be
//! written to a file, printed or kept elsewhere. `audit verify` proves that today's trail
//! extends every checkpoint it holds and every one it is given. A lead refuses to cosign a
//! checkpoint that does not extend the last one that lead signed on this desk.

use base64ct::{Base64, Encoding};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashSet};

use crate::audit::Problem;
use crate::audit::signatures::Enrolled;
use crate::error::{Error, Result};
use crate::model::Role;
use crate::model::checkpoint::{Checkpoint, key_id, origin};
use crate::model::merkle::{self, Hash};
use crate::store::Tx;
use crate::witness::{self, Cosigned};
use crate::workspace::{Session, Workspace};

/// Every checkpoint the trail holds, by the sequence of the event that made it.
pub(crate) fn stored(tx: &Tx) -> Result<BTreeMap<i64, Checkpoint>> {
    let mut out: BTreeMap<i64, Checkpoint> = BTreeMap::new();
    tx.for_each_event(|e| {
        if !matches!(e.action.as_str(), "checkpoint" | "checkpoint_cosign") {
            return Ok(true);
        }
        let p: Value = serde_json::from_str(&e.payload).unwrap_or(Value::Null);
        let sig = (|| {
            let id: [u8; 4] = hex::decode(p["key_id"].as_str()?).ok()?.try_into().ok()?;
            let sig = Base64::decode_vec(p["signature"].as_str()?).ok()?;
            Some((e.actor.clone(), id, sig))
        })();
        if e.action == "checkpoint" {
            let root: Option<Hash> = p["root"]
                .as_str()
                .and_then(|r| Base64::decode_vec(r).ok())
                .and_then(|r| r.try_into().ok());
            if let (Some(size), Some(root), Some(origin)) =
                (p["size"].as_u64(), root, p["origin"].as_str())
            {
                let signatures = sig.into_iter().collect();
                out.insert(
                    e.seq,
                    Checkpoint {
                        origin: origin.to_string(),
                        size,
                        root,
                        signatures,
                    },
                );
            }
        } else if let (Some(of), Some(sig)) = (p["checkpoint"].as_i64(), sig)
            && let Some(c) = out.get_mut(&of)
        {
            c.signatures.push(sig);
        }
        Ok(true)
    })?;
    Ok(out)
}

/// The newest checkpoint with its signatures, as a note.
pub fn newest(ws: &mut Workspace) -> Result<Option<Checkpoint>> {
    ws.store()
        .read(|tx| Ok(stored(tx)?.into_values().next_back()))
}

/// What [`sign`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signed {
    /// A new checkpoint, waiting for a second lead.
    New(Checkpoint),
    /// The waiting checkpoint, now cosigned.
    Cosigned(Checkpoint),
}

/// Signs a new checkpoint of the trail as it stands, or, when the newest one waits for a
/// second lead and `s` did not sign it, cosigns that one. Leads only.
pub fn sign(ws: &mut Workspace, s: &Session) -> Result<Signed> {
    let signer = ws.signer(s)?;
    let dir = ws.state_dir().to_path_buf();
    let now = ws.now();
    ws.store_as(s).write(|tx| {
        let me = crate::auth::current_user(tx, s)?;
        if me.role != Role::Lead {
            return Err(Error::rule(format!("only a lead signs checkpoints ('{}' is {})", me.name, me.role)));
        }
        let store = tx.store_identity()?;
        let leaves = tx.leaf_hashes(None)?;
        let waiting = stored(tx)?
            .into_iter()
            .next_back()
            .filter(|(_, c)| c.signatures.len() == 1 && !c.signatures[0].0.eq_ignore_ascii_case(&me.name));
        let id = key_id(&me.name, &signer.public());
        let (mut cp, cosign_of) = match waiting {
            Some((seq, c)) => {
                if c.size as usize > leaves.len() || merkle::root(&leaves[..c.size as usize]) != c.root {
                    return Err(Error::Integrity(format!(
                        "the checkpoint of {} events waiting for a second lead does not match the trail; not cosigned",
                        c.size
                    )));
                }
                (c, Some(seq))
            }
            None => {
                let c = Checkpoint { origin: origin(&store), size: leaves.len() as u64, root: merkle::root(&leaves), signatures: vec![] };
                (c, None)
            }
        };
        // The lead's own witness state: never certify a trail that does not extend the last
        // checkpoint this lead signed.
        if let Some(last) = witness::cosigned(&dir, &store, &me.name) {
            let extends = last.size <= cp.size
                && hex::encode(merkle::root(&leaves[..(last.size as usize).min(leaves.len())])) == last.root
                && {
                    let proof = merkle::consistency_proof(&leaves[..cp.size as usize], last.size as usize);
                    let old: Hash = hex::decode(&last.root).ok().and_then(|r| r.try_into().ok()).unwrap_or([0; 32]);
                    merkle::verify_consistency(last.size as usize, cp.size as usize, &old, &cp.root, &proof)
                };
            if !extends {
                return Err(Error::Integrity(format!(
                    "this trail does not extend the checkpoint of {} events you signed last; you will not certify both",
                    last.size
                )));
            }
        }
        let sig = signer.sign_message(&cp.body());
        let mut payload = json!({ "key_id": hex::encode(id), "signature": Base64::encode_string(&sig) });
        match cosign_of {
            Some(seq) => payload["checkpoint"] = json!(seq),
            None => {
                payload["origin"] = json!(cp.origin);
                payload["size"] = json!(cp.size);
                payload["root"] = json!(Base64::encode_string(&cp.root));
            }
        }
        let action = if cosign_of.is_some() { "checkpoint_cosign" } else { "checkpoint" };
        crate::keys::record_signed(tx, &signer, now, action, None, payload, None)?;
        cp.signatures.push((me.name.clone(), id, sig));
        witness::record_cosigned(&dir, &store, &me.name, &Cosigned { size: cp.size, root: hex::encode(cp.root) })?;
        Ok(if cosign_of.is_some() { Signed::Cosigned(cp) } else { Signed::New(cp) })
    })
}

/// Checks `cp` (named `label` in messages) against the trail of `store` with its Merkle
/// `leaves`: its origin, its signatures (by leads' keys as the trail enrolled them, in
/// `keys`; `need_two` asks for two different leads), and that the trail extends it, by a
/// consistency proof.
pub(crate) fn check(
    store: &str,
    keys: &Enrolled,
    cp: &Checkpoint,
    label: &str,
    need_two: bool,
    leaves: &[Hash],
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut fail = |what: String| {
        problems.push(Problem {
            seq: None,
            what: format!("{label}: {what}"),
        })
    };
    if cp.origin != origin(store) {
        fail(format!(
            "it is a checkpoint of another store ({})",
            cp.origin
        ));
        return problems;
    }
    let mut valid: HashSet<String> = HashSet::new();
    let body = cp.body();
    for (name, id, sig) in &cp.signatures {
        let lname = name.to_lowercase();
        let key = keys
            .keys
            .get(&lname)
            .and_then(|ks| ks.iter().find(|k| key_id(name, &k.to_bytes()) == *id));
        match key {
            None => fail(format!(
                "it is signed by a key the trail never enrolled for {name}"
            )),
            Some(k) => {
                let ok = ed25519_dalek::Signature::from_slice(sig)
                    .is_ok_and(|s| k.verify_strict(body.as_bytes(), &s).is_ok());
                if !ok {
                    fail(format!("the signature of {name} does not verify"));
                } else if !keys.leads.contains(&lname) {
                    fail(format!("{name} never held the lead role"));
                } else {
                    valid.insert(lname);
                }
            }
        }
    }
    if need_two && valid.len() < 2 {
        fail(format!(
            "it is signed by {} different lead(s); a checkpoint needs two",
            valid.len()
        ));
    }
    let (m, n) = (cp.size as usize, leaves.len());
    if m > n {
        fail(format!(
            "it covers {m} events but the trail has {n}: the newest events were cut off"
        ));
    } else {
        let proof = merkle::consistency_proof(leaves, m);
        if !merkle::verify_consistency(m, n, &cp.root, &merkle::root(leaves), &proof) {
            fail(format!(
                "the trail's first {m} events do not have its root: history was rewritten or forked"
            ));
        }
    }
    problems
}
