//! Importing reported items from CSV or JSON Lines. All or nothing: one bad row refuses the
//! whole file, with every problem listed by line number. Items already stored (same
//! platform and URL) are skipped and counted.

use serde::Deserialize;
use serde_json::json;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::auth::current_user;
use crate::clock::{fmt_ts, parse_ts};
use crate::error::{Error, Result};
use crate::evidence::{file_name, inspect, read_file};
use crate::model::canonical::sha256_hex;
use crate::model::item::PRIORITY_RANGE;
use crate::model::text::item_search_text;
use crate::model::{ItemKind, NewItem, Platform};
use crate::store::NewEvidence;
use crate::workspace::{Session, Workspace, record};

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

/// Reads rows from a `.csv` or `.jsonl` file: (line number, row). Syntax problems are
/// returned as (line, message) without stopping.
pub fn read_rows(path: &Path) -> Result<(Rows, LineProblems)> {
    let bytes =
        std::fs::read(path).map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "csv" => Ok(read_csv(&bytes)),
        "jsonl" | "ndjson" => Ok(read_jsonl(&bytes)),
        _ => Err(Error::Usage(format!(
            "{}: import files must end in .csv or .jsonl",
            path.display()
        ))),
    }
}

fn read_csv(bytes: &[u8]) -> (Rows, LineProblems) {
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut rdr = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => return (rows, vec![(1, format!("cannot read the header row: {e}"))]),
    };
    let names: Vec<String> = headers
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    for n in &names {
        if !COLUMNS.contains(&n.as_str()) {
            problems.push((
                1,
                format!("unknown column '{n}' (known: {})", COLUMNS.join(", ")),
            ));
        }
    }
    for r in REQUIRED {
        if !names.iter().any(|n| n == r) {
            problems.push((1, format!("missing required column '{r}'")));
        }
    }
    if !problems.is_empty() {
        return (rows, problems);
    }
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                problems.push((line, format!("malformed CSV: {e}")));
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| p.line() as usize);
        let mut row = RawRow::default();
        for (name, value) in names.iter().zip(rec.iter()) {
            let v = value.to_string();
            match name.as_str() {
                "platform" => row.platform = v,
                "kind" => row.kind = v,
                "handle" => row.handle = v,
                "display_name" => row.display_name = v,
                "url" => row.url = v,
                "text" => row.text = v,
                "language" => row.language = v,
                "followers" => row.followers = (!v.trim().is_empty()).then(|| json!(v)),
                "reported_at" => row.reported_at = v,
                "source_ref" => row.source_ref = v,
                "priority" => row.priority = (!v.trim().is_empty()).then(|| json!(v)),
                "evidence" => {
                    row.evidence = v
                        .split(';')
                        .map(str::trim)
                        .filter(|p| !p.is_empty())
                        .map(|p| EvidenceSource::Path(p.to_string()))
                        .collect()
                }
                _ => {}
            }
        }
        rows.push((line, row));
    }
    (rows, problems)
}

#[derive(Deserialize)]
struct JsonRow {
    #[serde(flatten)]
    row: RawRow,
    #[serde(default)]
    evidence: Vec<String>,
}

fn read_jsonl(bytes: &[u8]) -> (Rows, LineProblems) {
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    // A byte-order mark at the start is allowed, as spreadsheet programs write one.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line_no = i + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let line = match std::str::from_utf8(raw) {
            Ok(l) => l,
            Err(e) => {
                problems.push((
                    line_no,
                    format!(
                        "not UTF-8 text (invalid byte at column {})",
                        e.valid_up_to() + 1
                    ),
                ));
                continue;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                problems.push((line_no, format!("not valid JSON: {e}")));
                continue;
            }
        };
        if let Some(obj) = value.as_object() {
            for k in obj.keys() {
                if !COLUMNS.contains(&k.as_str()) {
                    problems.push((line_no, format!("unknown field '{k}'")));
                }
            }
        }
        let mut value = value;
        if let Some(obj) = value.as_object_mut() {
            obj.retain(|k, _| COLUMNS.contains(&k.as_str()));
        }
        match serde_json::from_value::<JsonRow>(value) {
            Ok(j) => {
                let mut row = j.row;
                row.evidence = j.evidence.into_iter().map(EvidenceSource::Path).collect();
                rows.push((line_no, row));
            }
            Err(e) => problems.push((line_no, format!("wrong field type: {e}"))),
        }
    }
    (rows, problems)
}

fn int_field(
    v: &Option<serde_json::Value>,
    name: &str,
) -> std::result::Result<Option<i64>, String> {
    match v {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| format!("{name} '{n}' is not a whole number")),
        Some(serde_json::Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(serde_json::Value::String(s)) => s
            .trim()
            .replace([',', '_'], "")
            .parse::<i64>()
            .map(Some)
            .map_err(|_| format!("{name} '{s}' is not a whole number")),
        Some(other) => Err(format!("{name} {other} is not a whole number")),
    }
}

/// Checks one row; returns the item or every problem with it.
pub fn check_row(
    row: &RawRow,
    now: chrono::DateTime<chrono::Utc>,
) -> std::result::Result<NewItem, Vec<String>> {
    let mut p = Vec::new();
    let platform = row
        .platform
        .parse::<Platform>()
        .map_err(|e| p.push(e.to_string()))
        .ok();
    let kind = row
        .kind
        .parse::<ItemKind>()
        .map_err(|e| p.push(e.to_string()))
        .ok();
    if row.handle.trim().is_empty() {
        p.push("handle is empty".into());
    }
    let url = row.url.trim();
    match url::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {}
        Ok(_) => p.push(format!("url '{url}' must be an http or https address")),
        Err(e) => p.push(format!("url '{url}' is not a URL ({e})")),
    }
    let reported_at = if row.reported_at.trim().is_empty() {
        p.push("reported_at is empty".into());
        None
    } else {
        parse_ts(&row.reported_at)
            .map_err(|e| p.push(e.to_string()))
            .ok()
            .filter(|t| {
                // A report cannot come from the future; a day's leeway covers clocks and zones.
                let late = *t > now + chrono::Duration::days(1);
                if late {
                    p.push(format!(
                        "reported_at {} is in the future (more than a day after {})",
                        row.reported_at.trim(),
                        fmt_ts(now)
                    ));
                }
                !late
            })
    };
    let followers = int_field(&row.followers, "followers")
        .map_err(|e| p.push(e))
        .ok()
        .flatten();
    if followers.is_some_and(|f| f < 0) {
        p.push("followers cannot be negative".into());
    }
    let priority = int_field(&row.priority, "priority")
        .map_err(|e| p.push(e))
        .ok()
        .flatten()
        .unwrap_or(3);
    if !PRIORITY_RANGE.contains(&priority) {
        p.push(format!("priority {priority} is outside 1-5"));
    }
    if !p.is_empty() {
        return Err(p);
    }
    Ok(NewItem {
        platform: platform.expect("checked"),
        kind: kind.expect("checked"),
        handle: row.handle.trim().to_string(),
        display_name: row.display_name.trim().to_string(),
        url: crate::model::url::normalise(url),
        reported_url: url.to_string(),
        text: row.text.trim().to_string(),
        language: row.language.trim().to_string(),
        followers,
        reported_at: reported_at.expect("checked"),
        source_ref: row.source_ref.trim().to_string(),
        priority,
    })
}

/// The actor recorded for an import made without signing in: the operating-system user.
pub fn local_actor() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into());
    format!("{user}@local")
}

/// Imports a `.csv` or `.jsonl` file; evidence paths are relative to its folder. Without a
/// session the import is recorded as made by [`local_actor`].
pub fn import_file(ws: &mut Workspace, s: Option<&Session>, path: &Path) -> Result<ImportReport> {
    import_file_with_progress(ws, s, path, &mut |_, _| {})
}

/// [`import_file`], calling `progress(rows checked, rows in file)` as it goes.
pub fn import_file_with_progress(
    ws: &mut Workspace,
    s: Option<&Session>,
    path: &Path,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportReport> {
    let (rows, problems) = read_rows(path)?;
    let bytes =
        std::fs::read(path).map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let name = file_name(path);
    import_rows_with_progress(
        ws,
        s,
        &name,
        &sha256_hex(&bytes),
        rows,
        problems,
        &base,
        progress,
    )
}

/// Imports checked rows in one transaction. `problems` are syntax problems found while
/// reading; any problem, found then or here, refuses the whole import.
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
        &mut |_, _| {},
    )
}

/// Rows whose evidence is inspected together, on every core.
const INSPECT_BATCH: usize = 32;

/// One evidence source of a row, read and inspected.
enum Inspected {
    /// Already stored by this import: linked, not stored again.
    Known(String, String),
    /// Checked and hashed, ready to store.
    New(String, Box<NewEvidence>),
    /// Why it cannot be accepted.
    Problem(String),
}

/// The file an import row's evidence path names, which must lie inside the import file's
/// folder `base` once links are followed. Absolute paths, `..` and links leading out are
/// refused without looking at (or saying anything about) what lies outside.
fn confined(base: &Path, p: &str) -> Result<PathBuf> {
    let outside = || {
        Error::invalid(format!(
            "'{p}' is outside the import file's folder; evidence paths are relative to it and stay inside it"
        ))
    };
    let rel = Path::new(p);
    if rel.is_absolute()
        || rel.components().any(|c| {
            !matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            )
        })
    {
        return Err(outside());
    }
    let base = if base.as_os_str().is_empty() {
        Path::new(".")
    } else {
        base
    };
    let root = std::fs::canonicalize(base)
        .map_err(|e| Error::io(format!("finding the folder {}", base.display()), e))?;
    let full = std::fs::canonicalize(root.join(rel)).map_err(|_| {
        Error::invalid(format!("'{p}' cannot be found in the import file's folder"))
    })?;
    if !full.starts_with(&root) {
        return Err(outside());
    }
    Ok(full)
}

/// Reads and inspects the evidence of a batch of rows, the rows split across the cores;
/// the result keeps the rows' and the sources' order.
fn inspect_batch(
    batch: &[(usize, (usize, RawRow))],
    base: &Path,
    stored: &HashMap<String, ()>,
) -> Vec<Vec<Inspected>> {
    let one = |row: &RawRow| -> Vec<Inspected> {
        row.evidence
            .iter()
            .map(|src| {
                let (name, data) = match src {
                    EvidenceSource::Path(p) => {
                        match confined(base, p).and_then(|f| read_file(&f)) {
                            Ok(d) => (p.clone(), d),
                            Err(e) => return Inspected::Problem(format!("evidence {e}")),
                        }
                    }
                    EvidenceSource::Bytes(name, d) => (name.clone(), d.as_ref().clone()),
                };
                let sha = sha256_hex(&data);
                if stored.contains_key(&sha) {
                    return Inspected::Known(name, sha);
                }
                match inspect(&name, data) {
                    Ok(e) => Inspected::New(name, Box::new(e)),
                    Err(e) => Inspected::Problem(format!("evidence {e}")),
                }
            })
            .collect()
    };
    if batch.iter().all(|(_, (_, r))| r.evidence.is_empty()) {
        return batch.iter().map(|_| Vec::new()).collect();
    }
    crate::parallel::map(batch, |(_, (_, r))| one(r))
}

/// [`import_rows`], calling `progress(rows checked, rows in total)` every 256 rows and at the end.
#[allow(clippy::too_many_arguments)]
pub fn import_rows_with_progress(
    ws: &mut Workspace,
    s: Option<&Session>,
    source: &str,
    source_sha256: &str,
    rows: Rows,
    mut problems: LineProblems,
    base: &Path,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportReport> {
    let now = ws.now();
    let total = rows.len();
    let at = fmt_ts(now);
    ws.store().write(|tx| {
        let actor = match s {
            Some(s) => current_user(tx, s)?.name,
            None => local_actor(),
        };
        let seq = tx.next_event_seq()?;
        let mut report = ImportReport { rows: rows.len(), ..Default::default() };
        let mut seen: HashSet<(Platform, String)> = HashSet::new();
        let mut stored: HashMap<String, ()> = HashMap::new();
        // Screenshots are decoded and hashed a batch of rows at a time, on every core.
        let mut rows = rows.into_iter().enumerate().peekable();
        while rows.peek().is_some() {
        let batch: Vec<(usize, (usize, RawRow))> = rows.by_ref().take(INSPECT_BATCH).collect();
        let inspected = inspect_batch(&batch, base, &stored);
        for ((n, (line, row)), sources) in batch.into_iter().zip(inspected) {
            if n % 256 == 0 {
                progress(n, total);
            }
            let checked = check_row(&row, now);
            // Evidence is checked for every row, so every problem is listed at once.
            let mut evidence: Vec<(String, NewEvidence)> = Vec::new();
            let mut linked: Vec<(String, String)> = Vec::new();
            for source in sources {
                match source {
                    Inspected::Known(name, sha) => linked.push((name, sha)),
                    Inspected::New(name, e) if stored.contains_key(&e.sha256) => linked.push((name, e.sha256)),
                    Inspected::New(name, e) => evidence.push((name, *e)),
                    Inspected::Problem(m) => problems.push((line, m)),
                }
            }
            let item = match checked {
                Ok(item) => item,
                Err(ps) => {
                    problems.extend(ps.into_iter().map(|m| (line, m)));
                    continue;
                }
            };
            let duplicate = |why: &str| (line, format!("{} {} {why}", item.platform, item.url));
            if !seen.insert((item.platform, item.url.clone())) {
                report.skipped.push(duplicate("appears earlier in the file"));
                continue;
            }
            if !problems.is_empty() {
                continue; // keep checking, store nothing
            }
            let search = item_search_text(&item.handle, &item.display_name, &item.url, &item.text);
            let Some(id) = tx.insert_item(&item, &search, &at, seq)? else {
                report.skipped.push(duplicate("is already stored"));
                continue;
            };
            report.imported += 1;
            report.ids = Some(report.ids.map_or((id, id), |(a, _)| (a, id)));
            for (name, e) in evidence {
                tx.store_evidence(&e, &at)?;
                stored.insert(e.sha256.clone(), ());
                linked.push((name, e.sha256));
            }
            for (name, sha) in linked {
                if tx.link_evidence(id, &sha, &name, &actor, &at, seq)? {
                    report.evidence += 1;
                }
            }
        }
        }
        progress(total, total);
        if !problems.is_empty() {
            problems.sort_by_key(|(l, _)| *l);
            // A problem may quote the file: one problem stays on one line, whatever it holds.
            let list: Vec<String> = problems
                .iter()
                .map(|(l, m)| format!("line {l}: {}", crate::model::text::terminal_safe(m)))
                .collect();
            return Err(Error::invalid(format!(
                "{source}: import refused, nothing was stored ({} problem{}):\n  {}",
                list.len(),
                if list.len() == 1 { "" } else { "s" },
                list.join("\n  ")
            )));
        }
        record(tx, now, &actor, "import", None, json!({
            "source": source, "sha256": source_sha256, "rows": report.rows, "imported": report.imported,
            "skipped": report.skipped.len(), "evidence": report.evidence,
            "first_id": report.ids.map(|r| r.0), "last_id": report.ids.map(|r| r.1),
        }))?;
        Ok(report)
    })
}
