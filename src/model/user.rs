//! People of the store and their failed sign-ins.

use super::Role;

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
    /// The event that recorded this credential (`None` in a store from before it was kept).
    pub credential_seq: Option<i64>,
}

/// Failed sign-ins counted under one key (a user name, or a desk).
#[derive(Clone, Debug, PartialEq)]
pub struct FailureCount {
    /// Failures counted.
    pub failures: i64,
    /// The first counted failure (stored time format).
    pub first: String,
    /// The latest (stored time format).
    pub last: String,
    /// Locked until an admin unlocks it.
    pub locked: bool,
}
