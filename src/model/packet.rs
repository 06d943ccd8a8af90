//! The decision packet: everything a decision rests on, sealed by a SHA-256 hash when it is
//! proposed. An approval names that hash; if anything in the packet changed, the hash no
//! longer matches and the approval is refused as stale.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Outcome, canonical};
use crate::clock::fmt_ts;

/// A tag as sealed: which taxonomy entry, under which version.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SealedTag {
    /// Taxonomy id (`ttp`, `peca-9`).
    pub id: String,
    /// Human label at the time (`TTP`, `PECA 2016 s.9`).
    pub label: String,
    /// The taxonomy version the tag was made under.
    pub taxonomy_version: i64,
}

/// The sealed content of a proposal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Packet {
    /// The item decided on.
    pub item_id: i64,
    /// Its platform and URL, so the packet names the item without the store.
    pub item_url: String,
    /// Its handle as reported (empty in packets sealed before handles were). Requests to
    /// platforms take the URL and handle from here, never from the live row.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub item_handle: String,
    /// The proposed outcome.
    pub outcome: Outcome,
    /// Group tags, sorted by id.
    pub groups: Vec<SealedTag>,
    /// Legal-ground tags, sorted by id.
    pub grounds: Vec<SealedTag>,
    /// SHA-256 of every piece of evidence, sorted.
    pub evidence: Vec<String>,
    /// Why.
    pub rationale: String,
    /// Who proposed.
    pub proposer: String,
    /// When, in the stored timestamp format.
    pub proposed_at: String,
}

impl Packet {
    /// Builds a packet, sorting tags and evidence so the same facts give the same hash.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        item_id: i64,
        item_url: &str,
        outcome: Outcome,
        mut groups: Vec<SealedTag>,
        mut grounds: Vec<SealedTag>,
        mut evidence: Vec<String>,
        rationale: &str,
        proposer: &str,
        proposed_at: DateTime<Utc>,
    ) -> Self {
        groups.sort();
        grounds.sort();
        evidence.sort();
        Packet {
            item_id,
            item_url: item_url.to_string(),
            item_handle: String::new(),
            outcome,
            groups,
            grounds,
            evidence,
            rationale: rationale.trim().to_string(),
            proposer: proposer.to_string(),
            proposed_at: fmt_ts(proposed_at),
        }
    }

    /// The packet naming the item's handle as well.
    pub fn with_handle(mut self, handle: &str) -> Self {
        self.item_handle = handle.to_string();
        self
    }

    /// Canonical JSON of the packet.
    pub fn canonical(&self) -> String {
        canonical::to_string(&serde_json::to_value(self).expect("packet serialises"))
    }

    /// SHA-256 of the canonical JSON, lower-case hex.
    pub fn hash(&self) -> String {
        canonical::sha256_hex(self.canonical().as_bytes())
    }

    /// Whether two packets seal the same facts, ignoring who and when.
    pub fn same_facts(&self, other: &Packet) -> bool {
        self.item_id == other.item_id
            && self.outcome == other.outcome
            && self.groups == other.groups
            && self.grounds == other.grounds
            && self.evidence == other.evidence
            && self.rationale == other.rationale
    }

    /// What a decision with this content needs, and whether each need is met: every
    /// outcome needs a rationale; a takedown also needs evidence and a legal ground.
    pub fn requirements(
        outcome: Outcome,
        evidence: usize,
        grounds: usize,
        rationale: &str,
    ) -> Vec<(&'static str, bool)> {
        let mut needs = Vec::new();
        if outcome == Outcome::Takedown {
            needs.push(("at least one piece of evidence", evidence > 0));
            needs.push(("at least one legal ground", grounds > 0));
        }
        needs.push(("a rationale", !rationale.trim().is_empty()));
        needs
    }

    /// What a decision with this content still lacks ([`Packet::requirements`] not met).
    /// Empty when it may be proposed.
    pub fn missing(
        outcome: Outcome,
        evidence: usize,
        grounds: usize,
        rationale: &str,
    ) -> Vec<&'static str> {
        Self::requirements(outcome, evidence, grounds, rationale)
            .into_iter()
            .filter(|(_, met)| !met)
            .map(|(what, _)| what)
            .collect()
    }
}
