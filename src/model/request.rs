//! Requests to platforms and the response clock: pure rules, no I/O.
//!
//! A request is sent; the platform has `window_hours` (48, or 12 for an emergency, as the
//! 2021 Removal and Blocking Rules set, configurable in the taxonomy file) to act on every
//! item in it. An item is answered by a final response: removed or refused (for a
//! takedown), reinstated or refused (for a reinstatement). An acknowledgement or a noted
//! silence does not stop the clock.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// What a request asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// Remove the items (after approved takedown decisions).
    Takedown,
    /// Restore the items (after appeals that overturned the takedowns).
    Reinstatement,
}

impl RequestKind {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Takedown => "takedown",
            RequestKind::Reinstatement => "reinstatement",
        }
    }

    /// Prefix of the reference numbers (`TDR-2026-0001`, `RIR-2026-0001`).
    pub fn prefix(self) -> &'static str {
        match self {
            RequestKind::Takedown => "TDR",
            RequestKind::Reinstatement => "RIR",
        }
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<RequestKind> {
        match s {
            "takedown" => Some(RequestKind::Takedown),
            "reinstatement" => Some(RequestKind::Reinstatement),
            _ => None,
        }
    }
}

/// A platform's response on one item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Response {
    /// The platform confirmed receipt.
    Acknowledged,
    /// The platform removed the content.
    Removed,
    /// The platform declined.
    Refused,
    /// Nothing came back (noted at a follow-up).
    NoResponse,
    /// The platform restored the content (reinstatement requests).
    Reinstated,
}

impl Response {
    /// Every response.
    pub const ALL: [Response; 5] = [
        Response::Acknowledged,
        Response::Removed,
        Response::Refused,
        Response::NoResponse,
        Response::Reinstated,
    ];

    /// As stored and typed.
    pub fn as_str(self) -> &'static str {
        match self {
            Response::Acknowledged => "acknowledged",
            Response::Removed => "removed",
            Response::Refused => "refused",
            Response::NoResponse => "no_response",
            Response::Reinstated => "reinstated",
        }
    }

    /// Whether it closes the item for the clock.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Response::Removed | Response::Refused | Response::Reinstated
        )
    }

    /// Whether a request of `kind` can receive it.
    pub fn fits(self, kind: RequestKind) -> bool {
        match self {
            Response::Removed => kind == RequestKind::Takedown,
            Response::Reinstated => kind == RequestKind::Reinstatement,
            _ => true,
        }
    }
}

impl fmt::Display for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Response {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Response::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim().to_ascii_lowercase().replace([' ', '-'], "_"))
            .ok_or_else(|| {
                format!(
                    "unknown response '{s}' (acknowledged, removed, refused, no_response or reinstated)"
                )
            })
    }
}

/// A response as the clock sees it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Timed {
    /// The item.
    pub item: i64,
    /// The response.
    pub response: Response,
    /// When the platform gave it.
    pub at: DateTime<Utc>,
}

/// When the window closes for a request sent at `sent`.
pub fn due(sent: DateTime<Utc>, window_hours: i64) -> DateTime<Utc> {
    sent + Duration::hours(window_hours)
}

/// When `item` was first answered with a final response, if it was.
pub fn answered_at(item: i64, responses: &[Timed]) -> Option<DateTime<Utc>> {
    responses
        .iter()
        .filter(|r| r.item == item && r.response.is_final())
        .map(|r| r.at)
        .min()
}

/// Where a sent request stands at `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Every item has a final response.
    Answered,
    /// Items await a final response, within the window.
    Waiting,
    /// Items await a final response and the window has closed.
    Overdue,
}

/// The standing of a request sent with window closing at `due`, over `items`.
pub fn standing(
    due: DateTime<Utc>,
    items: &[i64],
    responses: &[Timed],
    now: DateTime<Utc>,
) -> Standing {
    let open = items
        .iter()
        .any(|&i| answered_at(i, responses).is_none_or(|t| t > now));
    match (open, now > due) {
        (false, _) => Standing::Answered,
        (true, false) => Standing::Waiting,
        (true, true) => Standing::Overdue,
    }
}

/// Whether the platform missed the window on any item, as known at `now`: an item answered
/// after `due`, or not answered and `due` has passed. (What the transparency report counts.)
pub fn missed_window(
    due: DateTime<Utc>,
    items: &[i64],
    responses: &[Timed],
    now: DateTime<Utc>,
) -> bool {
    items
        .iter()
        .any(|&i| match answered_at(i, responses).filter(|t| *t <= now) {
            Some(t) => t > due,
            None => now > due,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap() + Duration::hours(h)
    }

    fn r(item: i64, response: Response, h: i64) -> Timed {
        Timed {
            item,
            response,
            at: t(h),
        }
    }

    #[test]
    fn the_clock_runs_until_every_item_has_a_final_response() {
        let d = due(t(0), 48);
        assert_eq!(d, t(48));
        let items = [1, 2];
        let acked = [r(1, Response::Acknowledged, 2), r(2, Response::Removed, 5)];
        assert_eq!(standing(d, &items, &acked, t(47)), Standing::Waiting);
        assert_eq!(
            standing(d, &items, &acked, t(48)),
            Standing::Waiting,
            "due is inclusive"
        );
        assert_eq!(
            standing(d, &items, &acked, t(49)),
            Standing::Overdue,
            "an acknowledgement does not stop the clock"
        );
        let mut done = acked.to_vec();
        done.push(r(1, Response::Refused, 60));
        assert_eq!(standing(d, &items, &done, t(61)), Standing::Answered);
        assert!(
            missed_window(d, &items, &done, t(61)),
            "answered after the window"
        );
        assert!(
            !missed_window(d, &items, &done[..2], t(40)),
            "still within the window"
        );
        let in_time = [r(1, Response::Removed, 10), r(2, Response::Removed, 48)];
        assert!(!missed_window(d, &items, &in_time, t(100)));
        assert_eq!(
            standing(due(t(0), 12), &[1], &[], t(13)),
            Standing::Overdue,
            "emergency window"
        );
    }

    #[test]
    fn responses_fit_their_kind_and_parse() {
        assert!(Response::Removed.fits(RequestKind::Takedown));
        assert!(!Response::Removed.fits(RequestKind::Reinstatement));
        assert!(!Response::Reinstated.fits(RequestKind::Takedown));
        assert_eq!("No response".parse::<Response>(), Ok(Response::NoResponse));
        assert!("gone".parse::<Response>().is_err());
    }
}

/// A request as stored, with who made it and when it was sent.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct RequestRow {
    /// Store id.
    pub id: i64,
    /// Its reference, e.g. `TDR-2026-0007`.
    pub reference: String,
    /// `takedown` or `reinstatement`.
    pub kind: String,
    /// Platform id.
    pub platform: String,
    /// Marked emergency (the shorter response window).
    pub emergency: bool,
    /// The response window fixed when the request was made, in hours.
    pub window_hours: i64,
    /// The lead who made it.
    pub created_by: String,
    /// When.
    #[serde(serialize_with = "crate::clock::ser_ts")]
    pub created_at: DateTime<Utc>,
    /// The event that made it.
    pub event_seq: i64,
    /// When and how it was sent, if it was.
    pub sent: Option<SendRow>,
}

/// The sending of a request.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct SendRow {
    /// When it was sent.
    #[serde(serialize_with = "crate::clock::ser_ts")]
    pub sent_at: DateTime<Utc>,
    /// When the response window closes.
    #[serde(serialize_with = "crate::clock::ser_ts")]
    pub due_at: DateTime<Utc>,
    /// Through which channel (portal, e-mail, liaison …).
    pub channel: String,
    /// The platform's ticket or case number, if given.
    pub platform_ref: String,
    /// Who recorded it.
    pub recorded_by: String,
    /// The event that recorded it.
    pub event_seq: i64,
}

/// An item of a request, with the decision it rests on.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct RequestItemRow {
    /// The item.
    pub item_id: i64,
    /// The approved decision (proposal id) the request rests on.
    pub proposal_id: i64,
}

/// A platform's response on one item.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ResponseRow {
    /// The item.
    pub item_id: i64,
    /// `acknowledged`, `removed`, `refused`, `no_response` or `reinstated`.
    pub response: String,
    /// When the platform responded (or, for `no_response`, when that was noted).
    #[serde(serialize_with = "crate::clock::ser_ts")]
    pub responded_at: DateTime<Utc>,
    /// A note (the platform's words, a ticket number).
    pub note: String,
    /// Who recorded it.
    pub recorded_by: String,
    /// When it was recorded.
    #[serde(serialize_with = "crate::clock::ser_ts")]
    pub recorded_at: DateTime<Utc>,
    /// The event that recorded it.
    pub event_seq: i64,
}

impl ResponseRow {
    /// `#12 removed — recorded by ayesha: note`, for lists of responses.
    pub fn describe(&self) -> String {
        let note = if self.note.is_empty() {
            String::new()
        } else {
            format!(": {}", self.note)
        };
        format!(
            "#{} {} — recorded by {}{note}",
            self.item_id, self.response, self.recorded_by
        )
    }
}
