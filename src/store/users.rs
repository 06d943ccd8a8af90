//! Users and roles.

use super::Tx;
use super::sql::Row;
use crate::error::Result;
use crate::model::Role;
use crate::model::{FailureCount, UserRow};
use chrono::{DateTime, Utc};

fn user_from_row(r: &Row) -> Result<UserRow> {
    let role: String = r.get(2)?;
    Ok(UserRow {
        id: r.get(0)?,
        name: r.get(1)?,
        role: role.parse().unwrap_or(Role::Reviewer),
        password_hash: r.get(3)?,
        credential_seq: r.get(4)?,
    })
}

impl Tx<'_> {
    /// Looks a user up by name (case-insensitive).
    pub fn user_by_name(&self, name: &str) -> Result<Option<UserRow>> {
        self.row(
            "SELECT id, name, role, password_hash, credential_seq FROM users WHERE lower(name) = lower(?1)",
            crate::args![name.trim()],
            user_from_row,
        )
    }

    /// Looks a user up by id.
    pub fn user_by_id(&self, id: i64) -> Result<Option<UserRow>> {
        self.row(
            "SELECT id, name, role, password_hash, credential_seq FROM users WHERE id = ?1",
            crate::args![id],
            user_from_row,
        )
    }

    /// Every user, by name.
    pub fn users(&self) -> Result<Vec<UserRow>> {
        self.rows(
            "SELECT id, name, role, password_hash, credential_seq FROM users ORDER BY lower(name), name",
            crate::args![],
            user_from_row,
        )
    }

    /// Number of users.
    pub fn user_count(&self) -> Result<i64> {
        self.value("SELECT COUNT(*) FROM users", crate::args![])
    }

    /// Adds a user and returns its id.
    pub fn insert_user(
        &self,
        name: &str,
        role: Role,
        password_hash: &str,
        at: DateTime<Utc>,
        credential_seq: i64,
    ) -> Result<i64> {
        self.insert_id(
            "INSERT INTO users (name, role, password_hash, created_at, credential_seq)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            crate::args![
                name.trim(),
                role.as_str(),
                password_hash,
                at,
                credential_seq
            ],
        )
    }

    /// Points a user at the event that recorded their credential.
    pub fn set_credential_seq(&self, id: i64, seq: i64) -> Result<()> {
        self.exec(
            "UPDATE users SET credential_seq = ?2 WHERE id = ?1",
            crate::args![id, seq],
        )?;
        Ok(())
    }

    /// The failures counted under `key`.
    pub fn sign_in_failures(&self, key: &str) -> Result<Option<FailureCount>> {
        self.row(
            "SELECT failures, first_failure, last_failure, locked FROM sign_in_failures WHERE key = ?1",
            crate::args![key],
            |r| {
                Ok(FailureCount {
                    failures: r.get(0)?,
                    first: r.get(1)?,
                    last: r.get(2)?,
                    locked: r.get(3)?,
                })
            },
        )
    }

    /// Stores the failures counted under `key`.
    pub fn put_sign_in_failures(&self, key: &str, c: &FailureCount) -> Result<()> {
        self.exec(
            "INSERT INTO sign_in_failures (key, failures, first_failure, last_failure, locked)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (key) DO UPDATE SET failures = ?2, first_failure = ?3,
                 last_failure = ?4, locked = ?5",
            crate::args![key, c.failures, c.first, c.last, c.locked],
        )?;
        Ok(())
    }

    /// Forgets the failures counted under `key` (a successful sign-in, an admin's unlock).
    pub fn clear_sign_in_failures(&self, key: &str) -> Result<()> {
        self.exec(
            "DELETE FROM sign_in_failures WHERE key = ?1",
            crate::args![key],
        )?;
        Ok(())
    }

    /// Replaces a user's password hash, pointing at the event that recorded it.
    pub fn set_password(&self, id: i64, password_hash: &str, credential_seq: i64) -> Result<()> {
        self.exec(
            "UPDATE users SET password_hash = ?2, credential_seq = ?3 WHERE id = ?1",
            crate::args![id, password_hash, credential_seq],
        )?;
        Ok(())
    }

    /// Changes a user's role.
    pub fn set_user_role(&self, id: i64, role: Role) -> Result<()> {
        self.exec(
            "UPDATE users SET role = ?2 WHERE id = ?1",
            crate::args![id, role.as_str()],
        )?;
        Ok(())
    }
}
