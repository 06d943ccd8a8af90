//! What this desk has seen of each store, kept outside the store: in the operating-system
//! user's own data folder, keyed by the store's identity (not its path, so a copy of the
//! file elsewhere is still known). Two records:
//!
//! - the newest chain head the desk has seen of the store: a store whose event of that
//!   number is gone (the newest events deleted, an older copy put back) or different
//!   (history rewritten) is reported at once;
//! - each lead's newest cosigned checkpoint: a lead refuses to cosign one that does not
//!   extend it, so two diverging copies of the trail cannot both be certified.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The folder the records live in: the platform data directory's `state` (for example
/// `~/.local/share/parakh/state`), unless a workspace was given another.
pub fn default_dir() -> PathBuf {
    directories::ProjectDirs::from("", "", "parakh").map_or_else(
        || std::env::temp_dir().join("parakh-state"),
        |d| d.data_dir().join("state"),
    )
}

/// A chain head: the newest event's sequence number and hash.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    /// Sequence number.
    pub seq: i64,
    /// Hash.
    pub hash: String,
}

/// A checkpoint a lead cosigned: size and root (hex).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cosigned {
    /// Tree size.
    pub size: u64,
    /// Merkle root, hex.
    pub root: String,
}

fn file(dir: &Path, store: &str, what: &str) -> PathBuf {
    // Store ids are hex; lead names are well-formed user names: safe as file names.
    dir.join(store).join(format!("{what}.json"))
}

fn read<T: for<'a> Deserialize<'a>>(path: &Path) -> Option<T> {
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}

fn write<T: Serialize>(path: &Path, v: &T) -> Result<()> {
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d)
            .map_err(|e| Error::io(format!("creating {}", d.display()), e))?;
    }
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let text = serde_json::to_string(v).map_err(|e| Error::invalid(e.to_string()))?;
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| Error::io(format!("writing {}", path.display()), e))
}

/// The newest head this desk has seen of `store`.
pub fn seen_head(dir: &Path, store: &str) -> Option<Head> {
    read(&file(dir, store, "head"))
}

/// Records `head` as seen, unless a newer one is recorded already.
pub fn record_head(dir: &Path, store: &str, head: &Head) -> Result<()> {
    if seen_head(dir, store).is_some_and(|h| h.seq > head.seq) {
        return Ok(());
    }
    write(&file(dir, store, "head"), head)
}

/// The newest checkpoint `lead` cosigned on this desk.
pub fn cosigned(dir: &Path, store: &str, lead: &str) -> Option<Cosigned> {
    read(&file(dir, store, &format!("lead-{}", lead.to_lowercase())))
}

/// Records a checkpoint `lead` signed.
pub fn record_cosigned(dir: &Path, store: &str, lead: &str, c: &Cosigned) -> Result<()> {
    write(
        &file(dir, store, &format!("lead-{}", lead.to_lowercase())),
        c,
    )
}
