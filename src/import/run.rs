//! The two steps of an import: staging (read, check, decode and hash, no lock held) and
//! committing (one write transaction over what was staged).

use serde_json::json;
use sha2::Digest;
use std::collections::HashSet;
use std::path::Path;

use super::check::{check_row, confined};
use super::{Entry, EvidenceSource, ImportReport, LineProblems, Progress, RawRow, local_actor};
use crate::auth::current_user;
use crate::error::{Error, Result};
use crate::evidence::{inspect, read_file};
use crate::model::NewEvidence;
use crate::model::canonical::sha256_hex;
use crate::model::text::{item_search_text, terminal_safe};
use crate::store::staging::Staging;
use crate::workspace::{Session, Workspace, record};

/// Rows whose evidence is inspected together, on every core. Their decoded evidence is held
/// until the batch is staged, so the batch is small.
const INSPECT_BATCH: usize = 8;

/// Problems listed in a refusal; beyond them only their number is given.
pub const MAX_LISTED_PROBLEMS: usize = 1_000;

/// What staging found: the staged rows, or the problems that refuse the import.
pub struct Staged {
    staging: Staging,
    rows: usize,
    skipped: Vec<(usize, String)>,
    problems: LineProblems,
    more_problems: usize,
}

/// One evidence source of a row, read and inspected.
enum Inspected {
    /// Staged already by this import: linked, not decoded again.
    Known(String, String),
    /// Checked and hashed, ready to stage.
    New(String, Box<NewEvidence>),
    /// Why it cannot be accepted.
    Problem(String),
}

/// Reads every entry, checks each row and decodes its evidence into a staging area. The
/// store is only read (for the clock); no lock is held. `progress` gets the rows read.
pub fn stage(
    ws: &mut Workspace,
    entries: Box<dyn Iterator<Item = Entry> + '_>,
    base: &Path,
    progress: &mut dyn FnMut(usize),
) -> Result<Staged> {
    let now = ws.now();
    let mut st = Staged {
        staging: Staging::new()?,
        rows: 0,
        skipped: Vec::new(),
        problems: Vec::new(),
        more_problems: 0,
    };
    // Rows seen in this file, by a 128-bit digest of platform and URL: 1M rows fit in
    // about 40 MB where the URLs themselves would take several times that.
    let mut seen: HashSet<[u8; 16]> = HashSet::new();
    // Evidence staged so far, by hash: decoded once however many rows name it.
    let mut staged: HashSet<String> = HashSet::new();
    let mut entries = entries.peekable();
    while entries.peek().is_some() {
        let mut batch: Vec<(usize, RawRow)> = Vec::with_capacity(INSPECT_BATCH);
        for e in entries.by_ref().take(INSPECT_BATCH) {
            match e {
                Entry::Row(line, row) => batch.push((line, row)),
                Entry::Problem(line, m) => st.problem(line, m),
            }
        }
        let inspected = inspect_batch(&batch, base, &staged);
        for ((line, row), sources) in batch.into_iter().zip(inspected) {
            st.rows += 1;
            let checked = check_row(&row, now);
            // Evidence is checked for every row, so every problem is listed at once.
            let mut links: Vec<(String, String)> = Vec::new();
            for source in sources {
                match source {
                    Inspected::Known(name, sha) => links.push((name, sha)),
                    Inspected::New(name, e) => {
                        // Two rows of one batch may name the same new file.
                        if st.problems.is_empty() && staged.insert(e.sha256.clone()) {
                            st.staging.put_evidence(&e)?;
                        }
                        links.push((name, e.sha256.clone()));
                    }
                    Inspected::Problem(m) => st.problem(line, m),
                }
            }
            let item = match checked {
                Ok(item) => item,
                Err(ps) => {
                    ps.into_iter().for_each(|m| st.problem(line, m));
                    continue;
                }
            };
            let key = sha2::Sha256::new()
                .chain_update(item.platform.as_str())
                .chain_update([0])
                .chain_update(&item.url)
                .finalize();
            if !seen.insert(key[..16].try_into().expect("16 bytes")) {
                let why = format!("{} {} appears earlier in the file", item.platform, item.url);
                st.skipped.push((line, why));
                continue;
            }
            if st.problems.is_empty() {
                let search =
                    item_search_text(&item.handle, &item.display_name, &item.url, &item.text);
                st.staging.put_row(line, &item, &search, &links)?;
            }
        }
        progress(st.rows);
    }
    Ok(st)
}

impl Staged {
    fn problem(&mut self, line: usize, m: String) {
        if self.problems.len() < MAX_LISTED_PROBLEMS {
            self.problems.push((line, m));
        } else {
            self.more_problems += 1;
        }
    }
}

/// Reads and inspects the evidence of a batch of rows, the rows split across the cores
/// (each core holds one file at a time); the result keeps the rows' and the sources' order.
fn inspect_batch(
    batch: &[(usize, RawRow)],
    base: &Path,
    staged: &HashSet<String>,
) -> Vec<Vec<Inspected>> {
    if batch.iter().all(|(_, r)| r.evidence.is_empty()) {
        return batch.iter().map(|_| Vec::new()).collect();
    }
    crate::parallel::map(batch, |(_, row)| {
        row.evidence
            .iter()
            .map(|src| {
                let read = match src {
                    EvidenceSource::Path(p) => confined(base, p)
                        .and_then(|f| read_file(&f))
                        .map(|d| (p.clone(), d)),
                    EvidenceSource::Bytes(name, d) => Ok((name.clone(), d.as_ref().clone())),
                };
                let (name, data) = match read {
                    Ok(r) => r,
                    Err(e) => return Inspected::Problem(format!("evidence {e}")),
                };
                let sha = sha256_hex(&data);
                if staged.contains(&sha) {
                    return Inspected::Known(name, sha);
                }
                match inspect(&name, data) {
                    Ok(e) => Inspected::New(name, Box::new(e)),
                    Err(e) => Inspected::Problem(format!("evidence {e}")),
                }
            })
            .collect()
    })
}

/// Stores what was staged in one transaction, or refuses the import listing its problems.
pub fn commit(
    ws: &mut Workspace,
    s: Option<&Session>,
    source: &str,
    source_sha256: &str,
    mut st: Staged,
    progress: &mut dyn FnMut(Progress),
) -> Result<ImportReport> {
    if !st.problems.is_empty() {
        st.problems.sort_by_key(|(l, _)| *l);
        // A problem may quote the file: one problem stays on one line, whatever it holds.
        let mut list: Vec<String> = st
            .problems
            .iter()
            .map(|(l, m)| format!("line {l}: {}", terminal_safe(m)))
            .collect();
        let total = list.len() + st.more_problems;
        if st.more_problems > 0 {
            list.push(format!("… and {} more", st.more_problems));
        }
        return Err(Error::invalid(format!(
            "{source}: import refused, nothing was stored ({total} problem{}):\n  {}",
            if total == 1 { "" } else { "s" },
            list.join("\n  ")
        )));
    }
    let now = ws.now();
    let at = now;
    let rows = st.rows;
    let skipped = std::mem::take(&mut st.skipped);
    progress(Progress::Storing { stored: 0, rows });
    // Other desks' writes wait while this transaction runs: a note tells them whose it is.
    let who = s.map_or_else(local_actor, |s| s.name.clone());
    let _note = crate::store::busy::BusyNote::put(
        ws.path(),
        &format!(
            "{who}'s import of {rows} rows from {source} is being stored (since {} UTC)",
            now.format("%H:%M:%S")
        ),
    );
    ws.store_as_opt(s).write(|tx| {
        let actor = match s {
            Some(s) => current_user(tx, s)?.name,
            None => local_actor(),
        };
        let seq = tx.next_event_seq()?;
        let mut report = ImportReport { rows, skipped, ..Default::default() };
        let mut stored: HashSet<String> = HashSet::new();
        let mut items = crate::model::item::ItemsDigest::default();
        let mut done = 0usize;
        st.staging.for_each_row(|row| {
            done += 1;
            if done.is_multiple_of(1024) {
                progress(Progress::Storing { stored: done, rows });
            }
            let Some(id) = tx.insert_item(&row.item, &row.search, at, seq)? else {
                let why = format!("{} {} is already stored", row.item.platform, row.item.url);
                report.skipped.push((row.line, why));
                return Ok(true);
            };
            report.imported += 1;
            report.ids = Some(report.ids.map_or((id, id), |(a, _)| (a, id)));
            items.add(id, &row.item.digest());
            for (name, sha) in &row.evidence {
                if stored.insert(sha.clone()) {
                    let e = st.staging.evidence(sha)?.ok_or_else(|| {
                        Error::Integrity(format!("staged evidence {sha} of line {} is missing", row.line))
                    })?;
                    tx.store_evidence(&e, at)?;
                }
                if tx.link_evidence(id, sha, name, &actor, at, seq)? {
                    report.evidence += 1;
                }
            }
            Ok(true)
        })?;
        report.skipped.sort_by_key(|(l, _)| *l);
        record(tx, now, &actor, "import", None, json!({
            "source": source, "sha256": source_sha256, "rows": report.rows, "imported": report.imported,
            "skipped": report.skipped.len(), "evidence": report.evidence,
            "first_id": report.ids.map(|r| r.0), "last_id": report.ids.map(|r| r.1),
            "items_sha256": items.finish(),
        }))?;
        progress(Progress::Storing { stored: rows, rows });
        Ok(report)
    })
}
