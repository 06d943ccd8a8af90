//! Hash lists of known terrorist imagery (as exchanged through GIFCT's hash-sharing
//! database, Tech Against Terrorism or ThreatExchange): PDQ hashes with optional labels and
//! sources. A lead imports a list; evidence within [`MATCH_DISTANCE`] bits of a listed
//! hash, in any of its eight orientations, is flagged with the list, label and distance.

use serde::Serialize;
use serde_json::json;
use std::path::Path;

use crate::auth::current_user;
use crate::error::{Error, Result};
use crate::evidence::file_name;
use crate::model::Role;
use crate::model::canonical::sha256_hex;
use crate::pdq::{MATCH_DISTANCE, PdqHash};
use crate::pdq_index::HashIndex;
use crate::workspace::{Session, Workspace};

/// One hash as read from a list file.
#[derive(Clone, Debug, PartialEq)]
pub struct ListedHash {
    /// The hash.
    pub hash: PdqHash,
    /// A label (e.g. a group or a campaign), may be empty.
    pub label: String,
    /// Where it came from, may be empty.
    pub source: String,
}

/// Reads a list: a CSV file with a header naming a `hash` (or `pdq`) column and optional
/// `label` and `source` columns, or a text file with one hex hash per line (`#` comments,
/// anything after the hash ignored). Every bad line is reported by number.
pub fn parse(name: &str, text: &str) -> Result<Vec<ListedHash>> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .to_ascii_lowercase();
    let header: Vec<String> = first
        .split(',')
        .map(|h| h.trim().trim_matches('"').to_string())
        .collect();
    let csv_header = header
        .iter()
        .any(|h| h == "hash" || h == "pdq" || h == "signal_value");
    if csv_header {
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let col = |n: &[&str]| header.iter().position(|h| n.contains(&h.as_str()));
        let hash_col = col(&["hash", "pdq", "signal_value"]).expect("checked above");
        let (label_col, source_col) = (
            col(&["label", "tags", "category"]),
            col(&["source", "origin"]),
        );
        for rec in rdr.records() {
            match rec {
                Ok(r) => {
                    let line = r.position().map_or(0, |p| p.line() as usize);
                    let field = |c: Option<usize>| {
                        c.and_then(|c| r.get(c)).unwrap_or("").trim().to_string()
                    };
                    match PdqHash::from_hex(r.get(hash_col).unwrap_or("")) {
                        Some(hash) => out.push(ListedHash {
                            hash,
                            label: field(label_col),
                            source: field(source_col),
                        }),
                        None => problems.push(format!(
                            "line {line}: '{}' is not a 64-digit hex PDQ hash",
                            r.get(hash_col).unwrap_or("")
                        )),
                    }
                }
                Err(e) => problems.push(format!("malformed CSV: {e}")),
            }
        }
    } else {
        for (i, line) in text.lines().enumerate() {
            let t = line.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let token = t
                .split(|c: char| c.is_whitespace() || c == ',')
                .next()
                .unwrap_or("");
            match PdqHash::from_hex(token) {
                Some(hash) => out.push(ListedHash {
                    hash,
                    label: String::new(),
                    source: String::new(),
                }),
                None => problems.push(format!(
                    "line {}: '{token}' is not a 64-digit hex PDQ hash",
                    i + 1
                )),
            }
        }
    }
    if !problems.is_empty() {
        return Err(Error::invalid(format!(
            "{name}: hash list refused, nothing was stored:\n  {}",
            problems.join("\n  ")
        )));
    }
    if out.is_empty() {
        return Err(Error::invalid(format!("{name}: no hashes found")));
    }
    Ok(out)
}

/// SHA-256 over a list's entries in order (hex hash, label, source; one line each,
/// tab-separated): recorded at import, so `audit verify` can tell if the stored entries
/// were changed since.
pub fn entries_digest<'a>(
    entries: impl Iterator<Item = (&'a PdqHash, &'a str, &'a str)>,
) -> String {
    let mut text = String::new();
    for (hash, label, source) in entries {
        text.push_str(&format!("{}\t{label}\t{source}\n", hash.to_hex()));
    }
    sha256_hex(text.as_bytes())
}

/// Imports a hash list under `name`. Leads only; all or nothing; audited.
pub fn import(ws: &mut Workspace, s: &Session, path: &Path, name: &str) -> Result<usize> {
    let bytes =
        std::fs::read(path).map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
    let text = String::from_utf8(bytes.clone())
        .map_err(|_| Error::invalid(format!("{}: not UTF-8 text", path.display())))?;
    let hashes = parse(&file_name(path), &text)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::Usage("a hash list needs a name (--name)".into()));
    }
    let now = ws.now();
    let signer = ws.signer(s)?;
    ws.store_as(s).write(|tx| {
        let me = current_user(tx, s)?;
        if me.role != Role::Lead {
            return Err(Error::rule(format!(
                "only a lead may import a hash list ('{}' is {})",
                me.name, me.role
            )));
        }
        if tx.hash_list_exists(name)? {
            return Err(Error::rule(format!(
                "a hash list named '{name}' already exists"
            )));
        }
        let sha = sha256_hex(&bytes);
        let seq = tx.next_event_seq()?;
        let id = tx.insert_hash_list(name, &sha, now, &me.name, seq)?;
        for h in &hashes {
            tx.insert_hash_list_entry(id, &h.hash, &h.label, &h.source)?;
        }
        let payload = json!({
            "name": name, "file": file_name(path), "sha256": sha, "hashes": hashes.len(),
            "entries_sha256": entries_digest(hashes.iter().map(|h| (&h.hash, h.label.as_str(), h.source.as_str()))),
        });
        crate::keys::record_signed(tx, &signer, now, "hashlist_import", None, payload, None)?;
        Ok(hashes.len())
    })
}

/// A piece of evidence matching a listed hash.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HashMatch {
    /// The evidence.
    pub sha256: String,
    /// The list.
    pub list: String,
    /// The listed hash's label.
    pub label: String,
    /// The listed hash's source.
    pub source: String,
    /// The listed hash.
    pub hash: String,
    /// Bits apart, in the closest orientation.
    pub distance: u32,
    /// Which orientation of the evidence matched (0 = as stored).
    pub orientation: usize,
}

/// Every match of an item's evidence against every list, closest first. Exact: brute
/// force up to about a million listed hashes, multi-index hashing beyond
/// ([`HashIndex`]).
pub fn matches(ws: &mut Workspace, item: i64) -> Result<Vec<HashMatch>> {
    ws.store().read(|tx| {
        let evidence = tx.item_evidence(item)?;
        if evidence.is_empty() {
            return Ok(Vec::new());
        }
        let entries = HashIndex::new(tx.hash_list_entries()?.into_iter().map(|e| (e.hash, e)));
        let mut out = Vec::new();
        for e in evidence {
            let Some(hashes) = tx.comparable_evidence_pdq(&e.sha256)? else {
                continue; // not hashed, or too weak to compare: a flat image matches too much
            };
            for (n, distance, orientation) in entries.within_any(&hashes, MATCH_DISTANCE) {
                let entry = entries.get(n).1;
                out.push(HashMatch {
                    sha256: e.sha256.clone(),
                    list: entry.list.clone(),
                    label: entry.label.clone(),
                    source: entry.source.clone(),
                    hash: entry.hash.to_hex(),
                    distance,
                    orientation,
                });
            }
        }
        out.sort_by_key(|m| m.distance);
        Ok(out)
    })
}

/// The stored PDQ hash (as stored, orientation 0) and quality of evidence, if hashed.
pub fn evidence_hash(ws: &mut Workspace, sha256: &str) -> Result<Option<(PdqHash, u32)>> {
    ws.store()
        .read(|tx| Ok(tx.evidence_pdq(sha256)?.map(|(h, q)| (h[0], q))))
}
