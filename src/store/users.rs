//! Users and roles.

use rusqlite::params;

use super::{Tx, optional};
use crate::error::Result;
use crate::model::Role;

/// A stored user.
#[derive(Clone, Debug, PartialEq)]
pub struct UserRow {
    /// Store id.
    pub id: i64,
    /// Unique, case-insensitive name.
    pub name: String,
    /// Current role.
    pub role: Role,
    /// argon2id PHC string.
    pub password_hash: String,
}

fn user_from_row(r: &rusqlite::Row) -> rusqlite::Result<UserRow> {
    let role: String = r.get(2)?;
    Ok(UserRow {
        id: r.get(0)?,
        name: r.get(1)?,
        role: role.parse().unwrap_or(Role::Reviewer),
        password_hash: r.get(3)?,
    })
}

impl Tx<'_> {
    /// Looks a user up by name (case-insensitive).
    pub fn user_by_name(&self, name: &str) -> Result<Option<UserRow>> {
        optional(self.tx.query_row(
            "SELECT id, name, role, password_hash FROM users WHERE name = ?1",
            [name.trim()],
            user_from_row,
        ))
    }

    /// Looks a user up by id.
    pub fn user_by_id(&self, id: i64) -> Result<Option<UserRow>> {
        optional(self.tx.query_row(
            "SELECT id, name, role, password_hash FROM users WHERE id = ?1",
            [id],
            user_from_row,
        ))
    }

    /// Every user, by name.
    pub fn users(&self) -> Result<Vec<UserRow>> {
        let mut st = self
            .tx
            .prepare("SELECT id, name, role, password_hash FROM users ORDER BY name")?;
        let rows = st
            .query_map([], user_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Number of users.
    pub fn user_count(&self) -> Result<i64> {
        Ok(self
            .tx
            .query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))?)
    }

    /// Adds a user and returns its id.
    pub fn insert_user(
        &self,
        name: &str,
        role: Role,
        password_hash: &str,
        at: &str,
    ) -> Result<i64> {
        self.tx.execute(
            "INSERT INTO users (name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![name.trim(), role.as_str(), password_hash, at],
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Changes a user's role.
    pub fn set_user_role(&self, id: i64, role: Role) -> Result<()> {
        self.tx.execute(
            "UPDATE users SET role = ?2 WHERE id = ?1",
            params![id, role.as_str()],
        )?;
        Ok(())
    }
}
