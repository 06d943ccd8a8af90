//! The closed vocabularies: platforms, item kinds, statuses, outcomes, roles.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// Declares a string-backed enum with `as_str`, `ALL`, `Display` and a `FromStr` whose
/// error lists the accepted values.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored and printed spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self, Error> {
                let t = s.trim().to_ascii_lowercase();
                $(if t == $text { return Ok($name::$variant); })+
                let all: Vec<&str> = vec![$($text),+];
                Err(Error::invalid(format!("unknown {} '{}' (expected one of: {})", $what, s, all.join(", "))))
            }
        }
    };
}

string_enum!(
    /// The platform an item lives on.
    Platform, "platform" {
        /// Facebook.
        Facebook => "facebook",
        /// Instagram.
        Instagram => "instagram",
        /// WhatsApp (channels and groups).
        Whatsapp => "whatsapp",
        /// X, formerly Twitter.
        X => "x",
        /// Telegram.
        Telegram => "telegram",
        /// TikTok.
        Tiktok => "tiktok",
        /// YouTube.
        Youtube => "youtube",
        /// Any other service.
        Other => "other",
    }
);

string_enum!(
    /// What kind of thing was reported.
    ItemKind, "kind" {
        /// A user account or page.
        Account => "account",
        /// A broadcast channel.
        Channel => "channel",
        /// A group or community.
        Group => "group",
        /// A single post.
        Post => "post",
    }
);

string_enum!(
    /// Where an item stands in the workflow. `in_review` is not stored: it is derived from
    /// an unexpired claim on a `new` or `returned` item.
    Status, "status" {
        /// Not yet reviewed.
        New => "new",
        /// Claimed by a reviewer under a live lease.
        InReview => "in_review",
        /// A decision is sealed and waits for a lead.
        Proposed => "proposed",
        /// A lead approved the decision: final.
        Approved => "approved",
        /// A lead sent the decision back with a reason.
        Returned => "returned",
        /// A final decision is under appeal.
        Appealed => "appealed",
    }
);

string_enum!(
    /// The outcome a decision proposes.
    Outcome, "outcome" {
        /// Ask the platform to remove or block.
        Takedown => "takedown",
        /// Reviewed; nothing unlawful found.
        NoViolation => "no_violation",
        /// Reviewed; the evidence does not carry a decision.
        InsufficientEvidence => "insufficient_evidence",
    }
);

string_enum!(
    /// What a user may do.
    Role, "role" {
        /// Claims, tags and proposes.
        Reviewer => "reviewer",
        /// Reviews, and approves or returns other people's proposals.
        Lead => "lead",
        /// Manages users; takes no part in decisions.
        Admin => "admin",
    }
);

string_enum!(
    /// The life of one sealed proposal.
    ProposalState, "proposal state" {
        /// Waiting for a lead.
        Pending => "pending",
        /// Approved by a second person.
        Approved => "approved",
        /// Sent back with a reason.
        Returned => "returned",
    }
);

impl Role {
    /// Whether this role takes part in reviewing items (claims, tags, proposals).
    pub fn reviews(self) -> bool {
        matches!(self, Role::Reviewer | Role::Lead)
    }
}
