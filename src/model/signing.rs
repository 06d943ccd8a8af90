//! What a person signs: a fixed, line-based message naming the act, what it concerns, who
//! signs with which key, when, and the head of the audit chain the act extends. Every
//! value is a single line (names are well formed, hashes hex, times in the stored format),
//! so two different acts can never produce the same message.

use super::canonical::sha256_hex;
use chrono::{DateTime, Utc};

/// The first line of every signed message (the format's name and version).
pub const HEADER: &str = "parakh-signature-v1";

/// One signed act.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Act<'a> {
    /// The kind of act, as the audit event's action (`approve`, `key_enrol` …).
    pub act: &'a str,
    /// What the act concerns: the sealed packet's hash, or the act's content hash.
    pub subject: &'a str,
    /// The signer's user name.
    pub signer: &'a str,
    /// The signing key's fingerprint.
    pub key: &'a str,
    /// When (the audit event's time), written in the stored timestamp form.
    pub at: DateTime<Utc>,
    /// The audit chain head the act extends: the previous event's sequence number and hash.
    pub head_seq: i64,
    /// The previous event's hash.
    pub head_hash: &'a str,
}

impl Act<'_> {
    /// The message signed.
    pub fn message(&self) -> String {
        format!(
            "{HEADER}\nact: {}\nsubject: {}\nsigner: {}\nkey: {}\nat: {}\nchain-head: {} {}\n",
            self.act,
            self.subject,
            self.signer,
            self.key,
            crate::clock::fmt_ts(self.at),
            self.head_seq,
            self.head_hash
        )
    }
}

/// A public key's fingerprint: the first 32 hex digits of its SHA-256, in groups of four
/// for reading aloud or comparing on paper (`3f2a 9c01 …`).
pub fn fingerprint(public_key: &[u8; 32]) -> String {
    let hex = sha256_hex(public_key);
    hex.as_bytes()[..32]
        .chunks(4)
        .map(|c| std::str::from_utf8(c).expect("hex"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The content hash an act without a sealed packet signs: SHA-256 of its event payload.
pub fn content_subject(canonical_payload: &str) -> String {
    sha256_hex(canonical_payload.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_is_fixed_line_by_line() {
        let a = Act {
            act: "approve",
            subject: "ab12",
            signer: "sana",
            key: "0000 1111",
            at: crate::clock::parse_ts("2026-11-01T09:00:00.000Z").unwrap(),
            head_seq: 41,
            head_hash: "ff00",
        };
        assert_eq!(
            a.message(),
            "parakh-signature-v1\nact: approve\nsubject: ab12\nsigner: sana\nkey: 0000 1111\nat: 2026-11-01T09:00:00.000Z\nchain-head: 41 ff00\n"
        );
        assert_eq!(fingerprint(&[0; 32]).len(), 32 + 7);
    }
}
