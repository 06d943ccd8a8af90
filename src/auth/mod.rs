//! Users, passwords and sign-in. Passwords are kept only as argon2id hashes; each hash is
//! tied to the event that recorded it, and repeated failures are slowed down and locked
//! ([`throttle`]).

mod names;
pub mod throttle;

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use serde_json::json;

use crate::error::{Error, Result};
use crate::model::Role;
use crate::model::UserRow;
use crate::model::canonical::sha256_hex;
use crate::model::text::terminal_safe;
use crate::store::Tx;
use crate::workspace::{SYSTEM_ACTOR, Session, Workspace, record};
pub use names::{MAX_PASSWORD_LEN, MIN_PASSWORD_LEN, check_password, well_formed};
use throttle::Refusal;

/// Hashes a password as an argon2id PHC string with a random salt.
pub fn hash_password(password: &str) -> Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| Error::invalid(format!("cannot hash password: {e}")))
}

pub(crate) fn password_matches(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Signs a user in. Success and failure are both written to the audit trail; a failure
/// does not say whether the name or the password was wrong. Repeated failures are slowed
/// down and lock the name ([`throttle`]); a name that is not well formed is refused before
/// anything else and recorded only in escaped, shortened form.
///
/// A successful sign-in also unwraps the person's signing key into the workspace's key
/// ring ([`crate::keys`]); a person from before keys were kept is enrolled now.
///
/// On a team server the person first connects with their own login and password, which
/// the server checks; everything after runs, and is recorded, under that login.
pub fn login(ws: &mut Workspace, name: &str, password: &str) -> Result<Session> {
    if ws.store().is_server() {
        names::check_name(name.trim()).map_err(|e| Error::Auth(e.to_string()))?;
        if let Some(person) = ws.store().connect_as(name.trim(), password)? {
            return ws.signing_in(person, |ws| {
                let s = check_sign_in(ws, name, password)?;
                unlock_key(ws, &s, password)?;
                Ok(s)
            });
        }
    }
    let s = check_sign_in(ws, name, password)?;
    unlock_key(ws, &s, password)?;
    Ok(s)
}

/// Unwraps the signing key of someone signed in, again, after its hold ran out: the
/// password is checked first, as at sign-in.
pub fn unlock_signing_key(ws: &mut Workspace, s: &Session, password: &str) -> Result<()> {
    let again = login(ws, &s.name, password)?;
    if again.user_id != s.user_id {
        return Err(Error::Auth("the session and the name do not match".into()));
    }
    Ok(())
}

/// Unwraps `s`'s signing key with `password` (outside any transaction: it takes Argon2's
/// time and memory) and holds it for signing.
fn unlock_key(ws: &mut Workspace, s: &Session, password: &str) -> Result<()> {
    let row = ws.store_as(s).read(|tx| match tx.current_key(s.user_id)? {
        Some(r) => crate::keys::check_enrolled(tx, &r, &s.name).map(|()| Some(r)),
        None => Ok(None),
    })?;
    let signer = match row {
        Some(r) => crate::keys::unwrap(&r, &s.name, password)?,
        None => {
            let signer = crate::keys::generate(&s.name);
            let row = crate::keys::wrap(&signer, s.user_id, password)?;
            let now = ws.now();
            ws.store_as(s)
                .write(|tx| crate::keys::enrol(tx, &signer, row, None, now, true))?;
            signer
        }
    };
    ws.keyring().hold(s.user_id, signer);
    Ok(())
}

/// Puts away `s`'s signing key on this workspace (signing out).
pub fn sign_out(ws: &mut Workspace, s: &Session) {
    ws.keyring().forget(s.user_id);
}

fn check_sign_in(ws: &mut Workspace, name: &str, password: &str) -> Result<Session> {
    let now = ws.now();
    let name = name.trim();
    ws.store().write(|tx| {
        if !well_formed(name) {
            let shown: String = name.chars().take(64).collect();
            throttle::count_failure(tx, "?", now)?;
            record(tx, now, "?", "login_failed", None, json!({
                "reason": "ill-formed name",
                "name": terminal_safe(&shown),
                "desk": throttle::desk_name(),
            }))?;
            return Ok(Err(Error::Auth(
                "user names are 1-64 letters, digits, '.', '_' or '-'".into(),
            )));
        }
        if let Some(refusal) = throttle::refusal(tx, name, now)? {
            let (why, message) = match refusal {
                Refusal::Locked => ("locked".to_string(), format!(
                    "'{name}' is locked after {} failed sign-ins in a row; an admin must unlock it (parakh user unlock {name})",
                    throttle::LOCK_AFTER
                )),
                Refusal::NameWait(s) => (format!("wait {s} s"), format!(
                    "too many failed sign-ins for '{name}': try again in {}",
                    throttle::say_wait(s)
                )),
                Refusal::DeskWait(s) => (format!("desk waits {s} s"), format!(
                    "too many failed sign-ins from this desk: try again in {}",
                    throttle::say_wait(s)
                )),
            };
            record(tx, now, name, "login_refused", None, json!({ "reason": why, "desk": throttle::desk_name() }))?;
            return Ok(Err(Error::Auth(message)));
        }
        let user = tx.user_by_name(name)?;
        let ok = match &user {
            Some(u) => password_matches(password, &u.password_hash),
            None => {
                // Spend the same time on unknown names as on wrong passwords.
                let _ = password_matches(password, DUMMY_HASH);
                false
            }
        };
        match user {
            Some(u) if ok => {
                credential_in_trail(tx, &u)?;
                throttle::reset(tx, name)?;
                record(tx, now, &u.name, "login", None, json!({ "role": u.role }))?;
                Ok(Ok(Session {
                    user_id: u.id,
                    name: u.name,
                    role: u.role,
                }))
            }
            _ => {
                let reason = if user.is_some() { "wrong password" } else { "unknown user" };
                let (failures, locked) = throttle::count_failure(tx, name, now)?;
                record(tx, now, name, "login_failed", None, json!({
                    "reason": reason, "failures": failures, "desk": throttle::desk_name(),
                }))?;
                if locked {
                    record(tx, now, SYSTEM_ACTOR, "user_locked", None, json!({ "name": name, "failures": failures }))?;
                }
                Ok(Err(Error::Auth(format!("wrong user name or password for '{name}'"))))
            }
        }
    })?
}

/// Refuses a sign-in whose stored hash is not the one the trail recorded for this user (a
/// hash copied from another user's row, say).
fn credential_in_trail(tx: &Tx, u: &UserRow) -> Result<()> {
    let broken = || {
        Error::Integrity(format!(
            "the stored credential of '{}' is not the one the audit trail recorded; sign-in refused (run `parakh audit verify`)",
            u.name
        ))
    };
    let seq = u.credential_seq.ok_or_else(broken)?;
    let event = tx.event(seq)?.ok_or_else(broken)?;
    let p: serde_json::Value = serde_json::from_str(&event.payload).map_err(|_| broken())?;
    let names_user = p["name"]
        .as_str()
        .is_some_and(|n| n.eq_ignore_ascii_case(&u.name));
    if names_user && p["credential"] == credential_digest(&u.password_hash).as_str() {
        Ok(())
    } else {
        Err(broken())
    }
}

/// What the trail records of a credential: the SHA-256 of its hash, never the hash itself
/// (the trail is read by many; the hash would help guess the password).
pub fn credential_digest(password_hash: &str) -> String {
    sha256_hex(password_hash.as_bytes())
}

/// Lifts the lock on a user name (admins only), recorded in the trail.
pub fn unlock(ws: &mut Workspace, by: &Session, name: &str) -> Result<()> {
    let now = ws.now();
    ws.store_as(by).write(|tx| {
        let me = current_user(tx, by)?;
        if me.role != Role::Admin {
            return Err(Error::rule(format!(
                "only an admin may unlock users ('{}' is {})",
                me.name, me.role
            )));
        }
        if !throttle::is_locked(tx, name)? {
            return Err(Error::invalid(format!(
                "'{}' is not locked",
                terminal_safe(name)
            )));
        }
        throttle::reset(tx, name)?;
        record(
            tx,
            now,
            &me.name,
            "user_unlock",
            None,
            json!({ "name": name.trim() }),
        )?;
        Ok(())
    })
}

/// Records the credential of users from a store made before credentials were tied to the
/// trail (once, when such a store is opened).
pub(crate) fn record_legacy_credentials(ws: &mut Workspace) -> Result<()> {
    let missing = |tx: &Tx| -> Result<Vec<UserRow>> {
        Ok(tx
            .users()?
            .into_iter()
            .filter(|u| u.credential_seq.is_none())
            .collect())
    };
    if ws.store().read(|tx| missing(tx))?.is_empty() {
        return Ok(());
    }
    let now = ws.now();
    ws.store().write(|tx| {
        for u in missing(tx)? {
            let seq = record(
                tx,
                now,
                SYSTEM_ACTOR,
                "credential_recorded",
                None,
                json!({
                    "name": u.name, "credential": credential_digest(&u.password_hash),
                }),
            )?;
            tx.set_credential_seq(u.id, seq)?;
        }
        Ok(())
    })
}

const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0rTf2UuK9HqkLzW3Bf9Y7Q5dEwzGn1B8m4l3Z0nXq0A";

/// The acting user as stored now; refuses a session whose user no longer exists.
pub(crate) fn current_user(tx: &Tx, s: &Session) -> Result<UserRow> {
    tx.user_by_id(s.user_id)?
        .ok_or_else(|| Error::Auth(format!("user '{}' no longer exists", s.name)))
}

/// Adds a user. `by` must be an admin; without `by`, only the first user of an empty store
/// may be added, and it must be an admin.
pub fn add_user(
    ws: &mut Workspace,
    by: Option<&Session>,
    name: &str,
    role: Role,
    password: &str,
) -> Result<i64> {
    add_user_with_key(
        ws,
        by,
        name,
        role,
        password,
        crate::keys::generate(name.trim()),
    )
}

/// [`add_user`] with a key pair made by the caller (the demo's are seeded).
pub(crate) fn add_user_with_key(
    ws: &mut Workspace,
    by: Option<&Session>,
    name: &str,
    role: Role,
    password: &str,
    signer: crate::keys::Signer,
) -> Result<i64> {
    let name = name.trim();
    names::check_name(name)?;
    check_password(name, password)?;
    let hash = hash_password(password)?;
    let now = ws.now();
    // The new person's key pair, wrapped under their password before the write begins.
    let wrapped = crate::keys::wrap(&signer, 0, password)?;
    let admin = by.map(|s| ws.signer(s)).transpose()?;
    ws.store_as_opt(by).write(|tx| {
        let actor = match by {
            Some(s) => {
                let me = current_user(tx, s)?;
                if me.role != Role::Admin {
                    return Err(Error::rule(format!(
                        "only an admin may add users ('{}' is {})",
                        me.name, me.role
                    )));
                }
                me.name
            }
            None => {
                if tx.user_count()? > 0 {
                    return Err(Error::Auth(
                        "the store already has users: act as an admin with --as".into(),
                    ));
                }
                if role != Role::Admin {
                    return Err(Error::rule("the first user of a store must be an admin"));
                }
                name.to_string()
            }
        };
        if tx.user_by_name(name)?.is_some() {
            return Err(Error::rule(format!("a user named '{name}' already exists")));
        }
        let key = crate::model::text::name_skeleton(name);
        if let Some(other) = tx.users()?.into_iter().find(|u| crate::model::text::name_skeleton(&u.name) == key) {
            return Err(Error::rule(format!(
                "'{name}' looks like the existing user '{}' (the same letters to the eye, by Unicode's confusables); choose a name that reads differently",
                other.name
            )));
        }
        let payload = json!({ "name": name, "role": role, "credential": credential_digest(&hash) });
        let seq = match &admin {
            Some(a) => crate::keys::record_signed(tx, a, now, "user_add", None, payload, None)?,
            None => record(tx, now, &actor, "user_add", None, payload)?,
        };
        let id = tx.insert_user(name, role, &hash, now, seq)?;
        tx.create_login(name, role, password)?;
        let row = crate::model::KeyRow { user_id: id, ..wrapped };
        crate::keys::enrol(tx, &signer, row, admin.as_ref(), now, false)?;
        Ok(id)
    })
}

/// Changes one's own password: the old one must be right and the new one acceptable. The
/// signing key is wrapped anew under the new password (its public key stays, so earlier
/// signatures still verify); the change is an event signed with that key.
pub fn change_password(ws: &mut Workspace, s: &Session, old: &str, new: &str) -> Result<()> {
    check_password(&s.name, new)?;
    let (user, row) = ws.store_as(s).read(|tx| {
        let u = current_user(tx, s)?;
        let row = tx.current_key(u.id)?;
        Ok((u, row))
    })?;
    if !password_matches(old, &user.password_hash) {
        return Err(Error::Auth(format!(
            "the current password of '{}' is not right",
            s.name
        )));
    }
    let row = row.ok_or_else(|| {
        Error::Auth(format!(
            "'{}' has no signing key; sign in once first",
            s.name
        ))
    })?;
    let signer = crate::keys::unwrap(&row, &user.name, old)?;
    let rewrapped = crate::model::KeyRow {
        id: row.id,
        enrolled_seq: row.enrolled_seq,
        ..crate::keys::wrap(&signer, user.id, new)?
    };
    let hash = hash_password(new)?;
    let now = ws.now();
    ws.store_as(s).write(|tx| {
        let payload = json!({ "name": user.name, "credential": credential_digest(&hash) });
        let seq =
            crate::keys::record_signed(tx, &signer, now, "password_change", None, payload, None)?;
        tx.set_password(user.id, &hash, seq)?;
        tx.set_login_password(&user.name, new)?;
        tx.rewrap_key(&rewrapped)
    })?;
    ws.keyring().hold(user.id, signer);
    Ok(())
}

/// Sets a new password for someone who forgot theirs (admins only). Their old key cannot
/// be unwrapped any more, so it is revoked and a new one enrolled; signatures made with the
/// old key still verify against it. Also lifts a sign-in lock. Each step is an event signed
/// by the admin (the new key's enrolment by the new key too).
pub fn reset_password(ws: &mut Workspace, by: &Session, name: &str, new: &str) -> Result<()> {
    let name = name.trim();
    check_password(name, new)?;
    let admin = ws.signer(by)?;
    let hash = hash_password(new)?;
    let fresh = crate::keys::generate(name);
    let wrapped = crate::keys::wrap(&fresh, 0, new)?;
    let now = ws.now();
    ws.store_as(by).write(|tx| {
        let me = current_user(tx, by)?;
        if me.role != Role::Admin {
            return Err(Error::rule(format!(
                "only an admin may reset a password ('{}' is {})",
                me.name, me.role
            )));
        }
        let user = tx
            .user_by_name(name)?
            .ok_or_else(|| Error::NotFound(format!("user '{name}'")))?;
        let fresh = crate::keys::Signer::renamed(fresh, &user.name);
        if let Some(old) = tx.current_key(user.id)? {
            let payload = json!({ "name": user.name, "fingerprint": old.fingerprint });
            let seq =
                crate::keys::record_signed(tx, &admin, now, "key_revoke", None, payload, None)?;
            tx.revoke_key(old.id, seq)?;
        }
        let payload =
            json!({ "name": user.name, "credential": credential_digest(&hash), "reset": true });
        let seq =
            crate::keys::record_signed(tx, &admin, now, "password_change", None, payload, None)?;
        tx.set_password(user.id, &hash, seq)?;
        tx.set_login_password(&user.name, new)?;
        crate::keys::enrol(
            tx,
            &fresh,
            crate::model::KeyRow {
                user_id: user.id,
                ..wrapped
            },
            Some(&admin),
            now,
            false,
        )?;
        throttle::reset(tx, &user.name)
    })
}

/// Changes a user's role. Admins only; the last admin cannot be demoted.
pub fn set_role(ws: &mut Workspace, by: &Session, name: &str, role: Role) -> Result<()> {
    let now = ws.now();
    let signer = ws.signer(by)?;
    ws.store_as(by).write(|tx| {
        let me = current_user(tx, by)?;
        if me.role != Role::Admin {
            return Err(Error::rule(format!(
                "only an admin may change roles ('{}' is {})",
                me.name, me.role
            )));
        }
        let user = tx
            .user_by_name(name)?
            .ok_or_else(|| Error::NotFound(format!("user '{name}'")))?;
        if user.role == role {
            return Ok(());
        }
        if user.role == Role::Admin
            && tx.users()?.iter().filter(|u| u.role == Role::Admin).count() == 1
        {
            return Err(Error::rule("the last admin cannot be demoted"));
        }
        tx.set_user_role(user.id, role)?;
        tx.set_login_role(&user.name, role)?;
        let payload = json!({ "name": user.name, "from": user.role, "to": role });
        crate::keys::record_signed(tx, &signer, now, "role_change", None, payload, None)?;
        Ok(())
    })
}

/// Each user's current signing-key fingerprint: (name, fingerprint), by name. Printed by
/// `parakh user list` and shown in the workstation, so a reader can compare them with a
/// copy kept elsewhere.
pub fn key_fingerprints(ws: &mut Workspace) -> Result<Vec<(String, String)>> {
    ws.store().read(|tx| tx.key_fingerprints())
}

/// Every user: (name, role, locked by failed sign-ins).
pub fn list_users_with_locks(ws: &mut Workspace) -> Result<Vec<(String, Role, bool)>> {
    ws.store().read(|tx| {
        let mut out = Vec::new();
        for u in tx.users()? {
            let locked = throttle::is_locked(tx, &u.name)?;
            out.push((u.name, u.role, locked));
        }
        Ok(out)
    })
}

/// Every user: (name, role).
pub fn list_users(ws: &mut Workspace) -> Result<Vec<(String, Role)>> {
    ws.store()
        .read(|tx| Ok(tx.users()?.into_iter().map(|u| (u.name, u.role)).collect()))
}
