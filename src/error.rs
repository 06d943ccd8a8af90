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
    /// Another desk's long write (an import being stored) holds the store; says whose (exit 1).
    #[error("the store is busy: {0}; nothing was changed, try again when it finishes")]
    Busy(String),
    /// Another desk held the store for longer than a writer waits; nothing was changed
    /// (exit 1).
    #[error("the store is held by another desk's write: {0}")]
    Contended(String),
    /// The database failed in a way no rule explains (exit 1).
    #[error("database error: {0}")]
    Db(String),
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

    /// The error as a sentence for a person at the workstation: what went wrong in plain
    /// words, capitalised and ended with a full stop, without the kind's technical prefix
    /// ("authentication refused: …" reads "Sign-in refused: …").
    pub fn sentence(&self) -> String {
        let text = match self {
            Error::Auth(m) => format!("Sign-in refused: {m}"),
            Error::Rule(m) => format!("Not allowed: {m}"),
            Error::Integrity(m) => format!("The store does not agree with its records: {m}"),
            Error::NotFound(m) => format!("{m} does not exist"),
            Error::Busy(m) => {
                format!("The store is busy: {m}. Nothing was changed; try again when it finishes")
            }
            Error::Contended(_) => {
                "Another desk is writing to the store; nothing was changed. Try again in a moment"
                    .to_string()
            }
            Error::Db(e) => format!("The store could not do this: {e}"),
            other => other.to_string(),
        };
        as_sentence(&text)
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

impl Error {
    /// The error for a message a database raised: its triggers raise messages starting
    /// with `rule:` or `integrity:`, which become the matching kinds, so a refusal by the
    /// database reads the same as one by the library, whichever database it is.
    pub fn from_database(msg: &str) -> Self {
        if let Some(rest) = msg.strip_prefix("rule: ") {
            return Error::Rule(rest.to_string());
        }
        if let Some(rest) = msg.strip_prefix("integrity: ") {
            return Error::Integrity(rest.to_string());
        }
        Error::Db(msg.to_string())
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        match &e {
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::DatabaseBusy => {
                Error::Contended(e.to_string())
            }
            rusqlite::Error::SqliteFailure(_, Some(msg)) => Error::from_database(msg),
            _ => Error::Db(e.to_string()),
        }
    }
}

/// `text` with its first letter capitalised and a full stop at the end (unless it already
/// ends a sentence).
pub fn as_sentence(text: &str) -> String {
    let text = text.trim();
    let mut out = String::with_capacity(text.len() + 1);
    let mut chars = text.chars();
    if let Some(first) = chars.next() {
        out.extend(first.to_uppercase());
        out.push_str(chars.as_str());
    }
    if !out.is_empty() && !out.ends_with(['.', '!', '?', '…', '؟', '۔']) {
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_read_as_sentences() {
        let e = Error::Auth("wrong password for 'sana'".into());
        assert_eq!(e.sentence(), "Sign-in refused: wrong password for 'sana'.");
        let e = Error::rule(
            "four-eyes: 'sana' proposed this decision and cannot approve it; another lead must",
        );
        assert_eq!(
            e.sentence(),
            "Not allowed: four-eyes: 'sana' proposed this decision and cannot approve it; another lead must."
        );
        assert_eq!(
            Error::NotFound("item #7".into()).sentence(),
            "Item #7 does not exist."
        );
        assert_eq!(as_sentence("done?"), "Done?");
    }
}
