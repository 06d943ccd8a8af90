//! Time: a clock that tests can move, and the one timestamp format stored everywhere.

use chrono::{DateTime, SecondsFormat, Utc};
use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};

/// Where "now" comes from. Production uses the system clock; tests use a manual clock
/// to let leases run out without sleeping.
#[derive(Clone, Debug, Default)]
pub enum Clock {
    /// The system's UTC clock.
    #[default]
    System,
    /// A clock that only moves when told to.
    Manual(Arc<Mutex<DateTime<Utc>>>),
}

impl Clock {
    /// A manual clock starting at `start`.
    pub fn manual(start: DateTime<Utc>) -> Self {
        Clock::Manual(Arc::new(Mutex::new(start)))
    }

    /// The current time, truncated to milliseconds (the stored precision).
    pub fn now(&self) -> DateTime<Utc> {
        let t = match self {
            Clock::System => Utc::now(),
            Clock::Manual(t) => *t.lock().expect("clock lock"),
        };
        parse_ts(&fmt_ts(t)).expect("own format parses")
    }

    /// Moves a manual clock forward; does nothing to the system clock.
    pub fn advance(&self, by: chrono::Duration) {
        if let Clock::Manual(t) = self {
            let mut t = t.lock().expect("clock lock");
            *t += by;
        }
    }
}

/// Formats a timestamp as stored: RFC 3339, UTC, milliseconds, `Z` suffix. Strings in this
/// format sort in time order, which the store relies on for lease comparisons.
pub fn fmt_ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Parses any RFC 3339 timestamp (any offset) into UTC.
pub fn parse_ts(s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| Error::invalid(format!("'{s}' is not an RFC 3339 timestamp ({e})")))
}

/// Parses a timestamp as the store holds it: exactly the text [`fmt_ts`] writes, so that a
/// stored time read back and written again is the same bytes (the trail hashes them) and
/// an edited one that merely means the same instant is still noticed.
pub fn parse_stored_ts(s: &str) -> Result<DateTime<Utc>> {
    let t = parse_ts(s)?;
    if fmt_ts(t) != s {
        return Err(Error::invalid(format!(
            "'{s}' is not a stored timestamp (expected the form {})",
            fmt_ts(t)
        )));
    }
    Ok(t)
}

/// Serde's form of a timestamp in Parakh's outputs (JSON, bags): the stored form, for
/// `#[serde(serialize_with = "crate::clock::ser_ts")]`.
pub fn ser_ts<S: serde::Serializer>(
    t: &DateTime<Utc>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&fmt_ts(*t))
}
