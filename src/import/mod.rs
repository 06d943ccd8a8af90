//! Importing reported items from CSV or JSON Lines. All or nothing: one bad row refuses the
//! whole file, with every problem listed by line number. Items already stored (same
//! platform and normalised URL) are skipped and counted.
//!
//! An import runs in two steps. First the file is read a row at a time, each row checked
//! and its evidence read, decoded and hashed on every core, into a staging area on disk
//! ([`crate::store::staging`]): no lock is held, and memory stays bounded whatever the
//! file's size. Then, only if nothing was wrong, the staged rows are stored in one write
//! transaction, which is all the other desks' writes wait for; reading never waits.

mod check;
mod read;
mod run;

use serde::Deserialize;
use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};
use crate::evidence::file_name;
use crate::workspace::{Session, Workspace};
pub use check::check_row;
pub use read::Entry;

/// The columns an import file may have.
pub const COLUMNS: &[&str] = &[
    "platform",
    "kind",
    "handle",
    "display_name",
    "url",
    "text",
    "language",
    "followers",
    "reported_at",
    "source_ref",
    "evidence",
    "priority",
];
const REQUIRED: &[&str] = &["platform", "kind", "handle", "url", "reported_at"];

/// Where a piece of evidence comes from.
#[derive(Clone, Debug)]
pub enum EvidenceSource {
    /// A file, relative to the import file's folder unless absolute.
    Path(String),
    /// Bytes already in memory (demo data), with a file name.
    Bytes(String, std::sync::Arc<Vec<u8>>),
}

/// One row as read from a file, before checking.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRow {
    /// Platform name.
    #[serde(default)]
    pub platform: String,
    /// Item kind.
    #[serde(default)]
    pub kind: String,
    /// Handle.
    #[serde(default)]
    pub handle: String,
    /// Display name.
    #[serde(default)]
    pub display_name: String,
    /// URL.
    #[serde(default)]
    pub url: String,
    /// Bio or post body.
    #[serde(default)]
    pub text: String,
    /// Language tag.
    #[serde(default)]
    pub language: String,
    /// Follower count, as text or number.
    #[serde(default)]
    pub followers: Option<serde_json::Value>,
    /// RFC 3339 report time.
    #[serde(default)]
    pub reported_at: String,
    /// Complaint number.
    #[serde(default)]
    pub source_ref: String,
    /// Priority 1-5, as text or number.
    #[serde(default)]
    pub priority: Option<serde_json::Value>,
    /// Evidence paths.
    #[serde(skip)]
    pub evidence: Vec<EvidenceSource>,
}

/// Rows as read, each with its line number.
pub type Rows = Vec<(usize, RawRow)>;
/// Problems found, each with its line number.
pub type LineProblems = Vec<(usize, String)>;

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct ImportReport {
    /// Rows read.
    pub rows: usize,
    /// Items stored.
    pub imported: usize,
    /// Rows skipped as already stored: (line, reason).
    pub skipped: Vec<(usize, String)>,
    /// Evidence files linked.
    pub evidence: usize,
    /// Ids of the first and last item stored.
    pub ids: Option<(i64, i64)>,
}

/// How far an import has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// Reading and checking the file, decoding its evidence: nothing is locked.
    Checking {
        /// Bytes (or, for rows in memory, rows) read so far.
        read: u64,
        /// Of how many.
        size: u64,
        /// Rows read so far.
        rows: usize,
    },
    /// Storing the checked rows in one transaction: other desks' writes wait meanwhile.
    Storing {
        /// Rows stored so far.
        stored: usize,
        /// Of how many.
        rows: usize,
    },
}

/// The actor recorded for an import made without signing in: the operating-system user.
pub fn local_actor() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into());
    format!("{user}@local")
}

/// Imports a `.csv` or `.jsonl` file; evidence paths are relative to its folder and must
/// stay inside it. Without a session the import is recorded as made by [`local_actor`].
pub fn import_file(ws: &mut Workspace, s: Option<&Session>, path: &Path) -> Result<ImportReport> {
    import_file_with_progress(ws, s, path, &mut |_| {})
}

/// [`import_file`], calling `progress` as it goes.
pub fn import_file_with_progress(
    ws: &mut Workspace,
    s: Option<&Session>,
    path: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<ImportReport> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if !matches!(ext.as_str(), "csv" | "jsonl" | "ndjson") {
        return Err(Error::Usage(format!(
            "{}: import files must end in .csv or .jsonl",
            path.display()
        )));
    }
    let file = File::open(path).map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    // The file is hashed as it is read, so the hash recorded is of what was imported.
    let seen = Arc::new(Mutex::new(Seen::default()));
    let input = Tee {
        inner: file,
        seen: seen.clone(),
    };
    let entries = if ext == "csv" {
        read::csv_entries(input)
    } else {
        read::jsonl_entries(input)
    };
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let read_so_far = {
        let seen = seen.clone();
        move || seen.lock().map_or(0, |s| s.bytes)
    };
    let staged = run::stage(ws, entries, &base, &mut |rows| {
        progress(Progress::Checking {
            read: read_so_far(),
            size,
            rows,
        })
    })?;
    let sha = seen
        .lock()
        .map(|s| hex::encode(sha2::Digest::finalize(s.hash.clone())))
        .unwrap_or_default();
    run::commit(ws, s, &file_name(path), &sha, staged, progress)
}

/// Imports rows already in memory (the demo, tests), with every check an import file gets.
/// `problems` are syntax problems found while reading; any problem refuses the import.
pub fn import_rows(
    ws: &mut Workspace,
    s: Option<&Session>,
    source: &str,
    source_sha256: &str,
    rows: Rows,
    problems: LineProblems,
    base: &Path,
) -> Result<ImportReport> {
    import_rows_with_progress(
        ws,
        s,
        source,
        source_sha256,
        rows,
        problems,
        base,
        &mut |_| {},
    )
}

/// [`import_rows`], calling `progress` as it goes.
#[allow(clippy::too_many_arguments)]
pub fn import_rows_with_progress(
    ws: &mut Workspace,
    s: Option<&Session>,
    source: &str,
    source_sha256: &str,
    rows: Rows,
    problems: LineProblems,
    base: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<ImportReport> {
    let size = rows.len() as u64;
    let entries = problems
        .into_iter()
        .map(|(l, m)| Entry::Problem(l, m))
        .chain(rows.into_iter().map(|(l, r)| Entry::Row(l, r)));
    let staged = run::stage(ws, Box::new(entries), base, &mut |rows| {
        progress(Progress::Checking {
            read: rows as u64,
            size,
            rows,
        })
    })?;
    run::commit(ws, s, source, source_sha256, staged, progress)
}

impl Progress {
    /// The share of the whole import done, 0 to 1: checking (which decodes the evidence)
    /// counts for nine tenths, storing for the last.
    pub fn fraction(&self) -> f32 {
        let part = |a: f64, b: f64| {
            if b <= 0.0 {
                1.0
            } else {
                (a / b).min(1.0) as f32
            }
        };
        match *self {
            Progress::Checking { read, size, .. } => 0.9 * part(read as f64, size as f64),
            Progress::Storing { stored, rows } => 0.9 + 0.1 * part(stored as f64, rows as f64),
        }
    }

    /// The step in words, for a progress bar.
    pub fn describe(&self) -> String {
        match *self {
            Progress::Checking { rows, .. } => {
                format!("Checking: {rows} rows read, their screenshots decoded and hashed")
            }
            Progress::Storing { stored, rows } => format!(
                "Storing {stored} of {rows} rows; other desks' changes wait until this finishes"
            ),
        }
    }
}

/// What has been read of an import file: its bytes so far and their running hash.
#[derive(Default)]
struct Seen {
    bytes: u64,
    hash: sha2::Sha256,
}

/// A reader that counts and hashes what passes through it.
struct Tee {
    inner: File,
    seen: Arc<Mutex<Seen>>,
}

impl Read for Tee {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Ok(mut s) = self.seen.lock() {
            s.bytes += n as u64;
            sha2::Digest::update(&mut s.hash, &buf[..n]);
        }
        Ok(n)
    }
}
