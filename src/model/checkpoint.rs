//! Checkpoints of the audit trail as C2SP `tlog-checkpoint` signed notes: the origin (the
//! store's identity), the tree size and the Merkle root, then one signature line per lead
//! (`— name base64(key id ‖ Ed25519 signature)`, the C2SP `signed-note` form).

use base64ct::{Base64, Encoding};
use sha2::{Digest, Sha256};

use super::merkle::Hash;

/// A checkpoint's body and the signatures on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    /// Whose trail: `parakh.local/store/<store id>`.
    pub origin: String,
    /// How many events the tree covers.
    pub size: u64,
    /// The Merkle root over them.
    pub root: Hash,
    /// (key name, key id, signature).
    pub signatures: Vec<(String, [u8; 4], Vec<u8>)>,
}

/// The origin line of a store's checkpoints.
pub fn origin(store_id: &str) -> String {
    format!("parakh.local/store/{store_id}")
}

/// The note key id of an Ed25519 key named `name` (C2SP signed-note).
pub fn key_id(name: &str, public: &[u8; 32]) -> [u8; 4] {
    let h = Sha256::new()
        .chain_update(name.as_bytes())
        .chain_update([0x0A, 0x01])
        .chain_update(public)
        .finalize();
    [h[0], h[1], h[2], h[3]]
}

impl Checkpoint {
    /// The signed text: origin, size and root, each on its own line.
    pub fn body(&self) -> String {
        format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            Base64::encode_string(&self.root)
        )
    }

    /// The signature line of one signer.
    pub fn signature_line(name: &str, id: &[u8; 4], sig: &[u8]) -> String {
        let mut b = id.to_vec();
        b.extend_from_slice(sig);
        format!("\u{2014} {name} {}\n", Base64::encode_string(&b))
    }

    /// The whole note: body, a blank line, the signature lines.
    pub fn note(&self) -> String {
        let mut s = self.body();
        s.push('\n');
        for (name, id, sig) in &self.signatures {
            s.push_str(&Self::signature_line(name, id, sig));
        }
        s
    }

    /// Parses a note; names what is malformed.
    pub fn parse(text: &str) -> Result<Checkpoint, String> {
        let (body, sigs) = text
            .split_once("\n\n")
            .ok_or("no blank line between the checkpoint and its signatures")?;
        let lines: Vec<&str> = body.split('\n').collect();
        let [origin, size, root] = lines[..] else {
            return Err("the checkpoint does not have an origin, a size and a root line".into());
        };
        let size: u64 = size
            .parse()
            .map_err(|_| format!("size '{size}' is not a number"))?;
        let root: Hash = Base64::decode_vec(root)
            .ok()
            .and_then(|r| r.try_into().ok())
            .ok_or_else(|| format!("root '{root}' is not a base64 SHA-256"))?;
        let mut signatures = Vec::new();
        for line in sigs.lines().filter(|l| !l.trim().is_empty()) {
            let rest = line
                .strip_prefix("\u{2014} ")
                .ok_or_else(|| format!("'{line}' is not a signature line"))?;
            let (name, b64) = rest
                .split_once(' ')
                .ok_or_else(|| format!("'{line}' names no key"))?;
            let raw = Base64::decode_vec(b64)
                .map_err(|_| format!("the signature of {name} is not base64"))?;
            if raw.len() != 68 {
                return Err(format!(
                    "the signature of {name} is not a key id and an Ed25519 signature"
                ));
            }
            signatures.push((
                name.to_string(),
                [raw[0], raw[1], raw[2], raw[3]],
                raw[4..].to_vec(),
            ));
        }
        Ok(Checkpoint {
            origin: origin.to_string(),
            size,
            root,
            signatures,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_parses_back() {
        let c = Checkpoint {
            origin: origin("0f1e"),
            size: 42,
            root: [7; 32],
            signatures: vec![
                ("sana".into(), [1, 2, 3, 4], vec![9; 64]),
                ("farhan".into(), [5, 6, 7, 8], vec![8; 64]),
            ],
        };
        let note = c.note();
        assert!(note.starts_with("parakh.local/store/0f1e\n42\nBwcH"));
        assert_eq!(Checkpoint::parse(&note).unwrap(), c);
        assert!(Checkpoint::parse("parakh\n12\n").is_err());
        assert!(Checkpoint::parse(&note.replace("42", "4x2")).is_err());
    }
}
