//! Users, passwords and sign-in. Passwords are kept only as argon2id hashes.

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use serde_json::json;

use crate::error::{Error, Result};
use crate::model::Role;
use crate::store::{Tx, UserRow};
use crate::workspace::{Session, Workspace, record};

/// Shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 8;

/// Hashes a password as an argon2id PHC string with a random salt.
pub fn hash_password(password: &str) -> Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| Error::invalid(format!("cannot hash password: {e}")))
}

fn password_matches(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Signs a user in. Success and failure are both written to the audit trail; a failure
/// does not say whether the name or the password was wrong.
pub fn login(ws: &mut Workspace, name: &str, password: &str) -> Result<Session> {
    let now = ws.now();

    ws.store().write(|tx| {
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
                record(tx, now, &u.name, "login", None, json!({ "role": u.role }))?;
                Ok(Ok(Session {
                    user_id: u.id,
                    name: u.name,
                    role: u.role,
                }))
            }
            _ => {
                let reason = if user.is_some() {
                    "wrong password"
                } else {
                    "unknown user"
                };
                record(
                    tx,
                    now,
                    name.trim(),
                    "login_failed",
                    None,
                    json!({ "reason": reason }),
                )?;
                Ok(Err(Error::Auth(format!(
                    "wrong user name or password for '{}'",
                    name.trim()
                ))))
            }
        }
    })?
}

const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0rTf2UuK9HqkLzW3Bf9Y7Q5dEwzGn1B8m4l3Z0nXq0A";

/// The acting user as stored now; refuses a session whose user no longer exists.
pub(crate) fn current_user(tx: &Tx, s: &Session) -> Result<UserRow> {
    tx.user_by_id(s.user_id)?
        .ok_or_else(|| Error::Auth(format!("user '{}' no longer exists", s.name)))
}

/// Checks a new user name: 1–64 characters, letters, digits, `.`, `_`, `-`.
fn check_name(name: &str) -> Result<()> {
    let ok = (1..=64).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "user name '{name}' must be 1-64 letters, digits, '.', '_' or '-'"
        )))
    }
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
    let name = name.trim();
    check_name(name)?;
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(Error::invalid(format!(
            "password must be at least {MIN_PASSWORD_LEN} characters"
        )));
    }
    let hash = hash_password(password)?;
    let now = ws.now();
    ws.store().write(|tx| {
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
        let id = tx.insert_user(name, role, &hash, &crate::clock::fmt_ts(now))?;
        record(
            tx,
            now,
            &actor,
            "user_add",
            None,
            json!({ "name": name, "role": role }),
        )?;
        Ok(id)
    })
}

/// Changes a user's role. Admins only; the last admin cannot be demoted.
pub fn set_role(ws: &mut Workspace, by: &Session, name: &str, role: Role) -> Result<()> {
    let now = ws.now();
    ws.store().write(|tx| {
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
        record(
            tx,
            now,
            &me.name,
            "role_change",
            None,
            json!({ "name": user.name, "from": user.role, "to": role }),
        )?;
        Ok(())
    })
}

/// Every user: (name, role).
pub fn list_users(ws: &mut Workspace) -> Result<Vec<(String, Role)>> {
    ws.store()
        .read(|tx| Ok(tx.users()?.into_iter().map(|u| (u.name, u.role)).collect()))
}
