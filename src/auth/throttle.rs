//! Slowing down repeated failed sign-ins, per user name and per desk.
//!
//! - Per name (known or not, so the rule says nothing about which names exist): after
//!   [`FREE_FAILURES`] failures in a row, the next attempt must wait 2, 4, 8 … seconds
//!   after the last failure (at most [`MAX_WAIT_SECS`]); after [`LOCK_AFTER`] failures in a
//!   row the name is locked until an admin unlocks it. A successful sign-in resets the count.
//! - Per desk (the computer): after [`DESK_FAILURES`] failures of any names within
//!   [`DESK_WINDOW_SECS`], every sign-in from that desk waits until the window has passed.
//!
//! An attempt made too early is refused without looking at the password. Every failure,
//! refusal, lock and unlock is an event in the trail.

use chrono::{DateTime, Utc};

use crate::clock::{fmt_ts, parse_ts};
use crate::error::Result;
use crate::model::FailureCount;
use crate::store::Tx;

/// Failures in a row before attempts are slowed down.
pub const FREE_FAILURES: i64 = 3;
/// Failures in a row that lock a name until an admin unlocks it.
pub const LOCK_AFTER: i64 = 10;
/// The longest wait between two attempts on one name.
pub const MAX_WAIT_SECS: i64 = 300;
/// Failures from one desk within [`DESK_WINDOW_SECS`] that make the whole desk wait.
pub const DESK_FAILURES: i64 = 20;
/// The desk's counting window.
pub const DESK_WINDOW_SECS: i64 = 900;

/// Why an attempt is refused before its password is looked at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The name is locked.
    Locked,
    /// The name must wait this many more seconds.
    NameWait(i64),
    /// The desk must wait this many more seconds.
    DeskWait(i64),
}

/// The counting key of a user name.
pub fn name_key(name: &str) -> String {
    format!("user:{}", name.trim().to_lowercase())
}

/// The counting key of this desk.
pub fn desk_key() -> String {
    format!("desk:{}", desk_name())
}

/// This computer's host name.
pub fn desk_name() -> String {
    #[cfg(unix)]
    {
        let mut buf = [0u8; 256];
        // SAFETY: the buffer is valid for its length; gethostname writes at most that much.
        let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
        if rc == 0 {
            let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
            return String::from_utf8_lossy(&buf[..end]).into_owned();
        }
    }
    std::env::var("COMPUTERNAME").unwrap_or_else(|_| "unknown".into())
}

fn wait_after(failures: i64) -> i64 {
    if failures < FREE_FAILURES {
        0
    } else {
        (1i64 << (failures - FREE_FAILURES + 1).min(20)).min(MAX_WAIT_SECS)
    }
}

fn since(ts: &str, now: DateTime<Utc>) -> i64 {
    parse_ts(ts).map_or(i64::MAX, |t| (now - t).num_seconds())
}

/// Whether an attempt on `name` from this desk must be refused now.
pub fn refusal(tx: &Tx, name: &str, now: DateTime<Utc>) -> Result<Option<Refusal>> {
    if let Some(c) = tx.sign_in_failures(&name_key(name))? {
        if c.locked {
            return Ok(Some(Refusal::Locked));
        }
        let left = wait_after(c.failures) - since(&c.last, now);
        if left > 0 {
            return Ok(Some(Refusal::NameWait(left)));
        }
    }
    if let Some(c) = tx.sign_in_failures(&desk_key())? {
        let left = DESK_WINDOW_SECS - since(&c.first, now);
        if c.failures >= DESK_FAILURES && left > 0 {
            return Ok(Some(Refusal::DeskWait(left)));
        }
    }
    Ok(None)
}

/// Counts a failure on `name` and on this desk. Returns the name's failures in a row and
/// whether this failure locked it.
pub fn count_failure(tx: &Tx, name: &str, now: DateTime<Utc>) -> Result<(i64, bool)> {
    let at = fmt_ts(now);
    let key = name_key(name);
    let mut c = tx.sign_in_failures(&key)?.unwrap_or(FailureCount {
        failures: 0,
        first: at.clone(),
        last: at.clone(),
        locked: false,
    });
    c.failures += 1;
    c.last = at.clone();
    let locked_now = !c.locked && c.failures >= LOCK_AFTER;
    c.locked |= locked_now;
    tx.put_sign_in_failures(&key, &c)?;

    let desk = desk_key();
    let mut d = tx
        .sign_in_failures(&desk)?
        .filter(|d| since(&d.first, now) < DESK_WINDOW_SECS)
        .unwrap_or(FailureCount {
            failures: 0,
            first: at.clone(),
            last: at.clone(),
            locked: false,
        });
    d.failures += 1;
    d.last = at;
    tx.put_sign_in_failures(&desk, &d)?;
    Ok((c.failures, locked_now))
}

/// Forgets the failures on `name` (after a successful sign-in or an admin's unlock).
pub fn reset(tx: &Tx, name: &str) -> Result<()> {
    tx.clear_sign_in_failures(&name_key(name))
}

/// Whether `name` is locked now.
pub fn is_locked(tx: &Tx, name: &str) -> Result<bool> {
    Ok(tx
        .sign_in_failures(&name_key(name))?
        .is_some_and(|c| c.locked))
}

/// Seconds, said for a person.
pub fn say_wait(secs: i64) -> String {
    let secs = secs.max(1);
    if secs < 120 {
        format!("{secs} second{}", if secs == 1 { "" } else { "s" })
    } else {
        format!("{} minutes", (secs + 59) / 60)
    }
}
