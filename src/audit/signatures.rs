//! Signatures: every signed act checked against the key its maker held at that point of
//! the trail. Keys are taken from the trail's own enrolment events, walked from the first
//! admin's self-signed key: each later enrolment must be signed by the new key and by an
//! admin holding a key, so no key column is trusted on its own.

use ed25519_dalek::VerifyingKey;
use serde_json::Value;
use std::collections::HashMap;

use super::Problem;
use crate::error::Result;
use crate::keys::{public_key, verify};
use crate::model::Role;
use crate::model::signing::{Act, content_subject, fingerprint};
use crate::model::{EventRow, SignatureRow};
use crate::store::Tx;
use crate::workspace::SYSTEM_ACTOR;

/// The acts that must carry their maker's signature once the store has keys.
pub const SIGNED_ACTS: &[&str] = &[
    "propose",
    "approve",
    "return",
    "appeal_propose",
    "appeal_approve",
    "appeal_return",
    "request_create",
    "taxonomy_import",
    "hashlist_import",
    "role_change",
    "user_add",
    "password_change",
    "key_revoke",
];

/// Every key the trail ever enrolled, by person (revoked ones included: what they signed
/// still verifies), and everyone who ever held the lead role.
pub(crate) struct Enrolled {
    /// Keys by lower-cased name.
    pub keys: HashMap<String, Vec<VerifyingKey>>,
    /// Lower-cased names of leads.
    pub leads: std::collections::HashSet<String>,
}

#[derive(Default)]
struct Keys {
    ever: HashMap<String, Vec<VerifyingKey>>,
    leads: std::collections::HashSet<String>,
    /// Each person's enrolled keys, newest last: (fingerprint, key).
    keys: HashMap<String, Vec<(String, VerifyingKey)>>,
    roles: HashMap<String, Role>,
    added_at: HashMap<String, i64>,
    first_user: Option<String>,
    /// The first enrolment: from here on, signed acts must be signed.
    signing_since: Option<i64>,
    /// The key each proposal was signed with.
    proposal_keys: HashMap<i64, String>,
    problems: Vec<Problem>,
}

fn k(name: &str) -> String {
    name.to_lowercase()
}

/// Checks every signature of the trail; returns what is wrong, and every key the trail
/// enrolled (for checking checkpoints against).
pub(super) fn check_signatures(tx: &Tx) -> Result<(Vec<Problem>, Enrolled)> {
    let mut sigs: HashMap<i64, Vec<SignatureRow>> = HashMap::new();
    for s in tx.signatures()? {
        sigs.entry(s.seq).or_default().push(s);
    }
    let mut st = Keys::default();
    let mut head = (0i64, crate::model::chain::GENESIS.to_string());
    tx.for_each_event(|e| {
        st.step(&e, &head, sigs.get(&e.seq).map_or(&[][..], Vec::as_slice));
        head = (e.seq, e.hash.clone());
        Ok(true)
    })?;
    for u in tx.users()? {
        let stored = tx.current_key(u.id)?.map(|r| r.fingerprint);
        let enrolled = st
            .keys
            .get(&k(&u.name))
            .and_then(|v| v.last())
            .map(|(fp, _)| fp.clone());
        if stored.is_some() && stored != enrolled {
            st.problems.push(Problem {
                seq: None,
                what: format!(
                    "user '{}': the stored signing key is not the one the trail enrolled",
                    u.name
                ),
            });
        }
    }
    let enrolled = Enrolled {
        keys: st.ever,
        leads: st.leads,
    };
    Ok((st.problems, enrolled))
}

impl Keys {
    fn fail(&mut self, e: &EventRow, what: String) {
        self.problems.push(Problem {
            seq: Some(e.seq),
            what: format!("{} by {}: {what}", e.action, e.actor),
        });
    }

    fn current(&self, name: &str) -> Option<&(String, VerifyingKey)> {
        self.keys.get(&k(name)).and_then(|v| v.last())
    }

    /// Whether `sig` is a valid signature by `key` of act `e` over `subject`.
    fn valid(
        e: &EventRow,
        head: &(i64, String),
        subject: &str,
        sig: &SignatureRow,
        key: &VerifyingKey,
    ) -> bool {
        let act = Act {
            act: &e.action,
            subject,
            signer: &sig.signer,
            key: &sig.key_fingerprint,
            at: e.at,
            head_seq: head.0,
            head_hash: &head.1,
        };
        verify(key, &act, &sig.signature)
    }

    fn step(&mut self, e: &EventRow, head: &(i64, String), sigs: &[SignatureRow]) {
        let p: Value = serde_json::from_str(&e.payload).unwrap_or(Value::Null);
        let signed_from_here = self.signing_since.is_some_and(|s| e.seq > s);
        if SIGNED_ACTS.contains(&e.action.as_str()) && e.actor != SYSTEM_ACTOR && signed_from_here {
            let subject = match e.action.as_str() {
                "propose" | "approve" | "return" => {
                    p["packet_hash"].as_str().unwrap_or_default().to_string()
                }
                _ => content_subject(&e.payload),
            };
            self.check_act(e, head, &subject, sigs, &p);
        }
        match e.action.as_str() {
            "user_add" => {
                if let (Some(name), Some(role)) = (
                    p["name"].as_str(),
                    p["role"].as_str().and_then(|r| r.parse().ok()),
                ) {
                    self.first_user.get_or_insert_with(|| k(name));
                    if role == Role::Lead {
                        self.leads.insert(k(name));
                    }
                    self.roles.insert(k(name), role);
                    self.added_at.insert(k(name), e.seq);
                }
            }
            "role_change" => {
                if let (Some(name), Some(to)) = (
                    p["name"].as_str(),
                    p["to"].as_str().and_then(|r| r.parse().ok()),
                ) {
                    if to == Role::Lead {
                        self.leads.insert(k(name));
                    }
                    self.roles.insert(k(name), to);
                }
            }
            "key_enrol" => self.enrol(e, head, sigs, &p),
            "key_revoke" => {
                let name = p["name"].as_str().unwrap_or_default();
                if self.roles.get(&k(&e.actor)) != Some(&Role::Admin) {
                    self.fail(e, format!("revoked {name}'s key without being an admin"));
                }
                let fp = p["fingerprint"].as_str().unwrap_or_default();
                if let Some(v) = self.keys.get_mut(&k(name)) {
                    v.retain(|(f, _)| f != fp);
                }
            }
            "password_change" => {
                let name = p["name"].as_str().unwrap_or_default();
                if !name.eq_ignore_ascii_case(&e.actor)
                    && self.roles.get(&k(&e.actor)) != Some(&Role::Admin)
                {
                    self.fail(
                        e,
                        format!("changed {name}'s password without being {name} or an admin"),
                    );
                }
            }
            _ => {}
        }
    }

    fn check_act(
        &mut self,
        e: &EventRow,
        head: &(i64, String),
        subject: &str,
        sigs: &[SignatureRow],
        p: &Value,
    ) {
        let Some(sig) = sigs
            .iter()
            .find(|s| s.signer.eq_ignore_ascii_case(&e.actor))
        else {
            return self.fail(
                e,
                format!(
                    "it carries no signature of {}: forged, or made outside Parakh",
                    e.actor
                ),
            );
        };
        let Some((fp, key)) = self.current(&e.actor).cloned() else {
            return self.fail(
                e,
                format!("{} had no enrolled key at that point of the trail", e.actor),
            );
        };
        if sig.key_fingerprint != fp {
            return self.fail(
                e,
                format!(
                    "signed with key {}, which is not {}'s key at that point ({fp})",
                    sig.key_fingerprint, e.actor
                ),
            );
        }
        if !Self::valid(e, head, subject, sig, &key) {
            return self.fail(
                e,
                "its signature does not verify: the act or its signature was altered".into(),
            );
        }
        match e.action.as_str() {
            "propose" => {
                if let Some(id) = p["proposal"].as_i64() {
                    self.proposal_keys.insert(id, fp);
                }
            }
            "approve" => {
                let proposer_key = p["proposal"]
                    .as_i64()
                    .and_then(|id| self.proposal_keys.get(&id));
                if proposer_key == Some(&fp) {
                    self.fail(e, "the approver signed with the proposer's own key".into());
                }
            }
            _ => {}
        }
    }

    fn enrol(&mut self, e: &EventRow, head: &(i64, String), sigs: &[SignatureRow], p: &Value) {
        let name = p["name"].as_str().unwrap_or_default().to_string();
        // The person's own enrolment, or an admin's of them (which the admin also signs).
        if !name.eq_ignore_ascii_case(&e.actor)
            && self.roles.get(&k(&e.actor)) != Some(&Role::Admin)
        {
            return self.fail(
                e,
                format!("enrols a key for {name}, but the event is {}'s", e.actor),
            );
        }
        let key = match hex::decode(p["public_key"].as_str().unwrap_or_default())
            .map_err(|e| e.to_string())
            .and_then(|b| public_key(&b))
        {
            Ok(key) => key,
            Err(why) => return self.fail(e, format!("the enrolled public key is {why}")),
        };
        let fp = fingerprint(&key.to_bytes());
        if p["fingerprint"].as_str() != Some(fp.as_str()) {
            return self.fail(e, "the enrolled fingerprint is not the public key's".into());
        }
        let subject = content_subject(&e.payload);
        let own = sigs
            .iter()
            .find(|s| s.signer.eq_ignore_ascii_case(&name) && s.key_fingerprint == fp);
        if !own.is_some_and(|s| Self::valid(e, head, &subject, s, &key)) {
            return self.fail(e, "the enrolment is not signed by the key it enrols".into());
        }
        let first = self.signing_since.is_none();
        let first_admin = first && self.first_user.as_deref() == Some(k(&name).as_str());
        let legacy = p["legacy"] == true
            && self
                .added_at
                .get(&k(&name))
                .is_some_and(|&at| self.signing_since.is_none_or(|s| at < s));
        if !(first_admin || legacy) {
            let by_admin = sigs.iter().any(|s| {
                !s.signer.eq_ignore_ascii_case(&name)
                    && self.roles.get(&k(&s.signer)) == Some(&Role::Admin)
                    && self.current(&s.signer).is_some_and(|(afp, akey)| {
                        *afp == s.key_fingerprint && Self::valid(e, head, &subject, s, akey)
                    })
            });
            if !by_admin {
                return self.fail(
                    e,
                    format!(
                        "the enrolment of {name}'s key is not signed by an admin holding a key"
                    ),
                );
            }
        }
        self.signing_since.get_or_insert(e.seq);
        self.ever.entry(k(&name)).or_default().push(key);
        self.keys.entry(k(&name)).or_default().push((fp, key));
    }
}
