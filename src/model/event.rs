//! One event of the audit trail as stored.

use super::chain::EventBody;
use chrono::{DateTime, Utc};

/// One stored audit event.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct EventRow {
    /// Sequence number.
    pub seq: i64,
    /// When.
    #[serde(serialize_with = "crate::clock::ser_ts")]
    pub at: DateTime<Utc>,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// Which item, if any.
    pub item: Option<i64>,
    /// Canonical JSON details.
    pub payload: String,
    /// Hash of the event before.
    pub prev_hash: String,
    /// This event's chained hash.
    pub hash: String,
}

impl EventRow {
    /// The hashed body of this row.
    pub fn body(&self) -> EventBody<'_> {
        EventBody {
            seq: self.seq,
            at: self.at,
            actor: &self.actor,
            action: &self.action,
            item: self.item,
            payload: &self.payload,
        }
    }
}

/// One event another desk (or this one) appended, as change detection reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Its sequence number.
    pub seq: i64,
    /// Who acted.
    pub actor: String,
    /// What was done (`claim`, `approve`, `request_send` …).
    pub action: String,
    /// The item concerned, if any.
    pub item: Option<i64>,
}

impl Change {
    /// Whether it changes what a desk shows (items, claims, decisions, requests, appeals,
    /// people): signing in or out and writing data out do not.
    pub fn changes_work(&self) -> bool {
        !matches!(
            self.action.as_str(),
            "login" | "logout" | "login_failed" | "login_refused" | "user_locked" | "data_out"
        )
    }
}

/// What changed in a store since the event a desk saw last: the events appended after it,
/// read from the trail (every change to the store appends to it).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// The newest event's sequence number now: the desk has seen up to here.
    pub head: i64,
    /// The events after the one seen, oldest first.
    pub events: Vec<Change>,
    /// `false` when more changed than `events` lists (too many to list, or the trail is
    /// shorter than the desk saw): re-read everything.
    pub complete: bool,
}

impl Changes {
    /// Nothing changed.
    pub fn is_empty(&self) -> bool {
        self.complete && self.events.is_empty()
    }

    /// Whether anything changed that a desk shows.
    pub fn changes_work(&self) -> bool {
        !self.complete || self.events.iter().any(Change::changes_work)
    }

    /// Whether item `id` may show differently: an event on it, or one on no item in
    /// particular that changes work (a taxonomy, a role, a hash list).
    pub fn touches_item(&self, id: i64) -> bool {
        !self.complete
            || self
                .events
                .iter()
                .any(|c| c.item == Some(id) || (c.item.is_none() && c.changes_work()))
    }

    /// Whether any event's action begins with `prefix` (`request_`, `appeal_` …).
    pub fn any_action(&self, prefix: &str) -> bool {
        !self.complete || self.events.iter().any(|c| c.action.starts_with(prefix))
    }

    /// The changes left once events `from` < seq ≤ `to` by `actor` are taken out: what
    /// is news to a desk that itself appended those while it acted.
    pub fn without_own(mut self, actor: &str, from: i64, to: i64) -> Changes {
        self.events
            .retain(|c| !(c.seq > from && c.seq <= to && c.actor.eq_ignore_ascii_case(actor)));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(seq: i64, actor: &str, action: &str, item: Option<i64>) -> Change {
        Change {
            seq,
            actor: actor.into(),
            action: action.into(),
            item,
        }
    }

    #[test]
    fn changes_say_which_items_and_screens_they_touch() {
        let c = Changes {
            head: 12,
            events: vec![
                change(10, "sana", "login", None),
                change(11, "sana", "claim", Some(4)),
                change(12, "sana", "request_send", None),
            ],
            complete: true,
        };
        assert!(c.changes_work() && !c.is_empty());
        assert!(c.touches_item(4), "its own event");
        assert!(
            c.touches_item(9),
            "an item-less event that changes work (a request)"
        );
        assert!(c.any_action("request_") && !c.any_action("appeal_"));
        let signins = Changes {
            head: 10,
            events: vec![change(10, "sana", "login", None)],
            complete: true,
        };
        assert!(!signins.changes_work() && !signins.touches_item(4) && !signins.is_empty());
        let everything = Changes {
            head: 3,
            events: vec![],
            complete: false,
        };
        assert!(!everything.is_empty() && everything.touches_item(1) && everything.any_action("x"));
    }

    #[test]
    fn a_desks_own_events_are_not_news_to_it() {
        let c = Changes {
            head: 7,
            events: vec![
                change(5, "ali", "claim", Some(1)),
                change(6, "sana", "claim", Some(2)),
                change(7, "ali", "propose", Some(1)),
            ],
            complete: true,
        };
        let left = c.clone().without_own("Ali", 5, 7);
        assert_eq!(left.events, vec![c.events[0].clone(), c.events[1].clone()]);
        assert!(
            c.without_own("ali", 4, 7)
                .events
                .iter()
                .all(|e| e.actor == "sana")
        );
    }
}
