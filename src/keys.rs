//! Each person's Ed25519 signing key, and signing acts with it.
//!
//! The secret key is stored only wrapped: XChaCha20-Poly1305 under a key derived from the
//! person's password with Argon2id (at least [`MIN_KDF_MEMORY_KIB`] and [`MIN_KDF_PASSES`],
//! parameters stored beside it), with the person's name and the public key as associated
//! data, so a blob moved to another person or paired with another public key does not open.
//! Signing in unwraps it into the workspace's [`KeyRing`], which holds it for
//! [`KEY_HOLD`] after the last signed act and wipes it (the key zeroises on drop); it is
//! never written anywhere unwrapped.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use chrono::{DateTime, Utc};
use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};
use rand::RngCore;
use std::collections::HashMap;
use std::time::Instant;
use zeroize::Zeroize;

use crate::error::{Error, Result};
use crate::model::canonical;
use crate::model::signing::{Act, fingerprint};
use crate::model::{KeyRow, SignatureRow};
use crate::store::Tx;

/// Argon2id memory for wrapping a signing key, KiB (64 MiB).
pub const MIN_KDF_MEMORY_KIB: u32 = 64 * 1024;
/// Argon2id passes for wrapping a signing key.
pub const MIN_KDF_PASSES: u32 = 3;
/// How long an unwrapped key is held after the last signed act (or the sign-in), by
/// default: ten minutes of the person's own time (a monotonic clock, not the workspace's).
/// `PARAKH_KEY_HOLD_MINUTES` sets another (0 means one signed act per sign-in).
pub const KEY_HOLD: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// The words every "key put away" refusal ends with; the workstation offers to unlock the
/// key again when it sees them.
pub const LOCKED_HINT: &str = "sign in again to sign";

/// An unwrapped key, ready to sign as `name`.
#[derive(Clone)]
pub struct Signer {
    /// Whose key.
    pub name: String,
    key: SigningKey,
    /// Its fingerprint.
    pub fingerprint: String,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signer({}, {})", self.name, self.fingerprint)
    }
}

impl Signer {
    /// The same key, signing as the name stored (a name as typed may differ in case).
    pub fn renamed(s: Signer, name: &str) -> Signer {
        Signer {
            name: name.to_string(),
            ..s
        }
    }

    /// The public key.
    pub fn public(&self) -> [u8; 32] {
        self.key.verifying_key().to_bytes()
    }

    /// Signs a message with this key (the message of an [`Act`], in use).
    pub fn sign_message(&self, message: &str) -> Vec<u8> {
        self.key.sign(message.as_bytes()).to_bytes().to_vec()
    }

    /// Signs `act` (its signer and key fields are this signer's).
    fn sign_act(
        &self,
        act: &str,
        subject: &str,
        at: DateTime<Utc>,
        head: &(i64, String),
    ) -> Vec<u8> {
        let message = Act {
            act,
            subject,
            signer: &self.name,
            key: &self.fingerprint,
            at,
            head_seq: head.0,
            head_hash: &head.1,
        }
        .message();
        self.key.sign(message.as_bytes()).to_bytes().to_vec()
    }
}

/// The key pair whose secret is `seed` (for synthetic demo users only, so the demo and its
/// screenshots come out the same every time; real people get [`generate`]d keys).
pub fn from_seed(name: &str, seed: [u8; 32]) -> Signer {
    let key = SigningKey::from_bytes(&seed);
    Signer {
        name: name.to_string(),
        fingerprint: fingerprint(&key.verifying_key().to_bytes()),
        key,
    }
}

/// A new key pair for `name` (never a weak key).
pub fn generate(name: &str) -> Signer {
    loop {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let key = SigningKey::from_bytes(&bytes);
        bytes.zeroize();
        let public = key.verifying_key();
        if !public.is_weak() {
            return Signer {
                name: name.to_string(),
                fingerprint: fingerprint(&public.to_bytes()),
                key,
            };
        }
    }
}

fn aad(name: &str, public: &[u8]) -> Vec<u8> {
    format!(
        "parakh-key-v1\n{}\n{}\n",
        name.to_lowercase(),
        hex::encode(public)
    )
    .into_bytes()
}

fn derive(password: &str, salt: &[u8], (m, t, p): (u32, u32, u32)) -> Result<[u8; 32]> {
    let params = argon2::Params::new(m, t, p, Some(32))
        .map_err(|e| Error::invalid(format!("key derivation parameters: {e}")))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = [0u8; 32];
    argon
        .hash_password_into(password.as_bytes(), salt, &mut out)
        .map_err(|e| Error::invalid(format!("key derivation: {e}")))?;
    Ok(out)
}

/// Wraps `signer`'s secret key under `password` for `user_id`; the row's enrolment event
/// is filled in by the caller.
pub fn wrap(signer: &Signer, user_id: i64, password: &str) -> Result<KeyRow> {
    let kdf = (MIN_KDF_MEMORY_KIB, MIN_KDF_PASSES, 1);
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 24];
    rand::rng().fill_bytes(&mut salt);
    rand::rng().fill_bytes(&mut nonce);
    let mut k = derive(password, &salt, kdf)?;
    let cipher = XChaCha20Poly1305::new((&k).into());
    k.zeroize();
    let public = signer.public();
    let mut secret = signer.key.to_bytes();
    let sealed = cipher.encrypt(
        XNonce::from_slice(&nonce),
        Payload {
            msg: &secret,
            aad: &aad(&signer.name, &public),
        },
    );
    secret.zeroize();
    Ok(KeyRow {
        id: 0,
        user_id,
        public_key: public.to_vec(),
        fingerprint: signer.fingerprint.clone(),
        wrapped: sealed.map_err(|_| Error::invalid("cannot wrap the signing key"))?,
        nonce: nonce.to_vec(),
        salt: salt.to_vec(),
        kdf,
        enrolled_seq: 0,
        revoked_seq: None,
    })
}

/// Unwraps `row` for `name` with `password`. Refuses parameters below the minimum (a blob
/// re-wrapped with weaker ones), a wrong password, and a blob moved to another person or
/// public key.
pub fn unwrap(row: &KeyRow, name: &str, password: &str) -> Result<Signer> {
    let (m, t, _) = row.kdf;
    if m < MIN_KDF_MEMORY_KIB || t < MIN_KDF_PASSES {
        return Err(Error::Integrity(format!(
            "the signing key of '{name}' is wrapped with Argon2 parameters below the minimum ({m} KiB, {t} passes); refused"
        )));
    }
    let mut k = derive(password, &row.salt, row.kdf)?;
    let cipher = XChaCha20Poly1305::new((&k).into());
    k.zeroize();
    if row.nonce.len() != 24 {
        return Err(Error::Integrity(format!(
            "the signing key of '{name}' is damaged"
        )));
    }
    let opened = cipher.decrypt(
        XNonce::from_slice(&row.nonce),
        Payload {
            msg: &row.wrapped,
            aad: &aad(name, &row.public_key),
        },
    );
    let mut secret = opened.map_err(|_| {
        Error::Auth(format!(
            "the signing key of '{name}' does not open with this password (or it belongs to someone else)"
        ))
    })?;
    let bytes: [u8; 32] = secret
        .as_slice()
        .try_into()
        .map_err(|_| Error::Integrity(format!("the signing key of '{name}' is damaged")))?;
    secret.zeroize();
    let key = SigningKey::from_bytes(&bytes);
    if key.verifying_key().to_bytes().as_slice() != row.public_key.as_slice() {
        return Err(Error::Integrity(format!(
            "the signing key of '{name}' does not match its public key"
        )));
    }
    Ok(Signer {
        name: name.to_string(),
        fingerprint: row.fingerprint.clone(),
        key,
    })
}

/// The public key in `bytes`, refusing a malformed or weak one.
pub fn public_key(bytes: &[u8]) -> std::result::Result<VerifyingKey, String> {
    let arr: [u8; 32] = bytes.try_into().map_err(|_| "not 32 bytes".to_string())?;
    let key = VerifyingKey::from_bytes(&arr).map_err(|e| format!("not a public key ({e})"))?;
    if key.is_weak() {
        return Err("a weak key (of small order)".into());
    }
    Ok(key)
}

/// Verifies `signature` by `public` over `act`, strictly.
pub fn verify(public: &VerifyingKey, act: &Act, signature: &[u8]) -> bool {
    let Ok(sig) = ed25519_dalek::Signature::from_slice(signature) else {
        return false;
    };
    public.verify_strict(act.message().as_bytes(), &sig).is_ok()
}

/// The unwrapped keys of the people signed in on this workspace.
pub struct KeyRing {
    held: HashMap<i64, (Signer, Instant)>,
    hold: std::time::Duration,
}

impl Default for KeyRing {
    fn default() -> Self {
        let minutes = std::env::var("PARAKH_KEY_HOLD_MINUTES")
            .ok()
            .and_then(|m| m.trim().parse::<u64>().ok());
        KeyRing {
            held: HashMap::new(),
            hold: minutes.map_or(KEY_HOLD, |m| std::time::Duration::from_secs(m * 60)),
        }
    }
}

impl KeyRing {
    /// Holds `signer` for user `id`, from now.
    pub fn hold(&mut self, id: i64, signer: Signer) {
        self.held.insert(id, (signer, Instant::now()));
    }

    /// Sets how long keys are held after their last use.
    pub fn set_hold(&mut self, hold: std::time::Duration) {
        self.hold = hold;
    }

    /// The key of user `id` if held and used within the hold; using it extends the hold.
    /// A key past its hold is dropped (and wiped).
    pub fn take(&mut self, id: i64, name: &str) -> Result<Signer> {
        let hold = self.hold;
        if hold.is_zero() {
            // Held for one act only: the act after the sign-in takes it away.
            if let Some((s, _)) = self.held.remove(&id) {
                return Ok(s);
            }
        }
        match self.held.get_mut(&id) {
            Some((s, last)) if last.elapsed() <= hold => {
                *last = Instant::now();
                Ok(s.clone())
            }
            Some(_) => {
                self.held.remove(&id);
                Err(Error::Auth(format!(
                    "the signing key of '{name}' was put away after {} s without a signed act; {LOCKED_HINT}",
                    hold.as_secs()
                )))
            }
            None => Err(Error::Auth(format!(
                "'{name}' has no signing key unlocked on this desk; {LOCKED_HINT}"
            ))),
        }
    }

    /// Drops the key of user `id`.
    pub fn forget(&mut self, id: i64) {
        self.held.remove(&id);
    }
}

/// Appends an event signed by `signer`, over `subject` (the sealed packet's hash, or by
/// default the payload's content hash), and stores the signature. Returns its sequence.
pub fn record_signed(
    tx: &Tx,
    signer: &Signer,
    at: DateTime<Utc>,
    action: &str,
    item: Option<i64>,
    payload: serde_json::Value,
    subject: Option<&str>,
) -> Result<i64> {
    let head = tx.chain_head()?;
    let payload = canonical::to_string(&payload);
    let subject = subject.map_or_else(
        || crate::model::signing::content_subject(&payload),
        str::to_string,
    );
    let seq = tx.append_event(at, &signer.name, action, item, &payload)?;
    cosign(tx, signer, seq, action, &subject, at, &head)?;
    Ok(seq)
}

/// Adds `signer`'s signature to event `seq`, which extended chain head `head`.
pub fn cosign(
    tx: &Tx,
    signer: &Signer,
    seq: i64,
    action: &str,
    subject: &str,
    at: DateTime<Utc>,
    head: &(i64, String),
) -> Result<()> {
    tx.insert_signature(&SignatureRow {
        seq,
        signer: signer.name.clone(),
        key_fingerprint: signer.fingerprint.clone(),
        signature: signer.sign_act(action, subject, at, head),
    })
}

/// Enrols `signer`'s key, wrapped as `row`: a `key_enrol` event signed by the new key
/// itself and, unless this is the store's first admin or a person from before keys were
/// kept (`legacy`), by the admin adding the person (`by`). Returns the event's sequence.
pub fn enrol(
    tx: &Tx,
    signer: &Signer,
    mut row: KeyRow,
    by: Option<&Signer>,
    at: DateTime<Utc>,
    legacy: bool,
) -> Result<i64> {
    let mut payload = serde_json::json!({
        "name": signer.name,
        "public_key": hex::encode(signer.public()),
        "fingerprint": signer.fingerprint,
        "kdf": { "m_kib": row.kdf.0, "passes": row.kdf.1, "lanes": row.kdf.2 },
    });
    if legacy {
        payload["legacy"] = serde_json::Value::Bool(true);
    }
    let head = tx.chain_head()?;
    let payload = canonical::to_string(&payload);
    let subject = crate::model::signing::content_subject(&payload);
    // Recorded as the admin's act when an admin enrols someone (adding them, resetting
    // their password): on a team server an event is recorded under the login that acts.
    let actor = by.map_or(signer.name.as_str(), |a| a.name.as_str());
    let seq = tx.append_event(at, actor, "key_enrol", None, &payload)?;
    cosign(tx, signer, seq, "key_enrol", &subject, at, &head)?;
    if let Some(admin) = by {
        cosign(tx, admin, seq, "key_enrol", &subject, at, &head)?;
    }
    row.enrolled_seq = seq;
    tx.insert_key(&row)?;
    Ok(seq)
}

/// Refuses a key row whose public key is not the one its enrolment event recorded for
/// `name` (a key row swapped behind the program's back).
pub fn check_enrolled(tx: &Tx, row: &KeyRow, name: &str) -> Result<()> {
    let broken = || {
        Error::Integrity(format!(
            "the signing key stored for '{name}' is not the one the audit trail enrolled; refused (run `parakh audit verify`)"
        ))
    };
    let e = tx.event(row.enrolled_seq)?.ok_or_else(broken)?;
    let p: serde_json::Value = serde_json::from_str(&e.payload).map_err(|_| broken())?;
    let ok = e.action == "key_enrol"
        && p["name"]
            .as_str()
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
        && p["public_key"].as_str() == Some(hex::encode(&row.public_key).as_str());
    if ok { Ok(()) } else { Err(broken()) }
}

/// The current key row of the user named `name`, as stored (its public part and the
/// wrapped secret): for inspection and for tests that attack it.
pub fn stored_key(ws: &mut crate::workspace::Workspace, name: &str) -> Result<Option<KeyRow>> {
    ws.store().read(|tx| match tx.user_by_name(name)? {
        Some(u) => tx.current_key(u.id),
        None => Ok(None),
    })
}
