//! The one error type of the library, and the process exit code each kind maps to.

use std::fmt;

/// Result alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in a use case, sorted by who must act on it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command was called wrongly (exit 2).
    #[error("{0}")]
    Usage(String),
    /// The user could not be authenticated (exit 3).
    #[error("authentication refused: {0}")]
    Auth(String),
    /// A workflow rule refused the action: four-eyes, roles, claims, stale packets (exit 4).
    #[error("refused: {0}")]
    Rule(String),
    /// Stored data does not agree with itself: audit chain or evidence hash (exit 5).
    #[error("integrity failure: {0}")]
    Integrity(String),
    /// Something named does not exist (exit 1).
    #[error("not found: {0}")]
    NotFound(String),
    /// Input that cannot be accepted: malformed files, bad images, bad values (exit 1).
    #[error("{0}")]
    Invalid(String),
    /// A file could not be read or written (exit 1).
    #[error("{context}: {source}")]
    Io {
        /// What was being done, naming the file.
        context: String,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The database failed in a way no rule explains (exit 1).
    #[error("database error: {0}")]
    Db(rusqlite::Error),
}

impl Error {
    /// The process exit code for this error: 1 error, 2 usage, 3 auth, 4 rule, 5 integrity.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => 2,
            Error::Auth(_) => 3,
            Error::Rule(_) => 4,
            Error::Integrity(_) => 5,
            _ => 1,
        }
    }

    /// Wraps an I/O error with the action and the file it concerned.
    pub fn io(context: impl fmt::Display, source: std::io::Error) -> Self {
        Error::Io {
            context: context.to_string(),
            source,
        }
    }

    /// Shorthand for a rule refusal.
    pub fn rule(msg: impl Into<String>) -> Self {
        Error::Rule(msg.into())
    }

    /// Shorthand for invalid input.
    pub fn invalid(msg: impl Into<String>) -> Self {
        Error::Invalid(msg.into())
    }
}

/// Database triggers raise messages starting with `rule:` or `integrity:`; those become
/// the matching error kinds so a refusal by SQLite reads the same as one by the library.
impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        if let rusqlite::Error::SqliteFailure(_, Some(msg)) = &e {
            if let Some(rest) = msg.strip_prefix("rule: ") {
                return Error::Rule(rest.to_string());
            }
            if let Some(rest) = msg.strip_prefix("integrity: ") {
                return Error::Integrity(rest.to_string());
            }
        }
        Error::Db(e)
    }
}
