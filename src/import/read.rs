//! Reading an import file one row at a time: CSV with a header row, or JSON Lines. Each
//! row or syntax problem comes with its line number; nothing holds the whole file.

use serde::Deserialize;
use serde_json::json;
use std::io::{BufRead, BufReader, Read};

use super::{COLUMNS, EvidenceSource, REQUIRED, RawRow};

/// One thing read from an import file.
#[allow(clippy::large_enum_variant)] // entries pass one at a time; boxing buys nothing
pub enum Entry {
    /// A row as read, not yet checked.
    Row(usize, RawRow),
    /// A syntax problem on a line.
    Problem(usize, String),
}

/// The rows of a CSV file with a header row naming [`COLUMNS`].
pub fn csv_entries<R: Read + 'static>(input: R) -> Box<dyn Iterator<Item = Entry>> {
    let mut rdr = csv::ReaderBuilder::new().flexible(false).from_reader(input);
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            let p = Entry::Problem(1, format!("cannot read the header row: {e}"));
            return Box::new(std::iter::once(p));
        }
    };
    let names: Vec<String> = headers
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let mut problems = Vec::new();
    for n in &names {
        if !COLUMNS.contains(&n.as_str()) {
            problems.push(Entry::Problem(
                1,
                format!("unknown column '{n}' (known: {})", COLUMNS.join(", ")),
            ));
        }
    }
    for r in REQUIRED {
        if !names.iter().any(|n| n == r) {
            problems.push(Entry::Problem(1, format!("missing required column '{r}'")));
        }
    }
    if !problems.is_empty() {
        return Box::new(problems.into_iter());
    }
    Box::new(rdr.into_records().map(move |rec| match rec {
        Ok(rec) => {
            let line = rec.position().map_or(0, |p| p.line() as usize);
            Entry::Row(line, csv_row(&names, &rec))
        }
        Err(e) => {
            let line = e.position().map_or(0, |p| p.line() as usize);
            Entry::Problem(line, format!("malformed CSV: {e}"))
        }
    }))
}

fn csv_row(names: &[String], rec: &csv::StringRecord) -> RawRow {
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
    row
}

#[derive(Deserialize)]
struct JsonRow {
    #[serde(flatten)]
    row: RawRow,
    #[serde(default)]
    evidence: Vec<String>,
}

/// The rows of a JSON Lines file: one object per line, blank lines skipped. A byte-order
/// mark at the start is allowed, as spreadsheet programs write one; a line that is not
/// UTF-8 is a problem on that line.
pub fn jsonl_entries<R: Read + 'static>(input: R) -> Box<dyn Iterator<Item = Entry>> {
    let lines = BufReader::new(input).split(b'\n');
    Box::new(lines.enumerate().filter_map(|(i, raw)| {
        let line_no = i + 1;
        let raw = match raw {
            Ok(r) => r,
            Err(e) => return Some(Entry::Problem(line_no, format!("cannot be read: {e}"))),
        };
        let mut raw = raw.as_slice();
        if line_no == 1 {
            raw = raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw);
        }
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let line = match std::str::from_utf8(raw) {
            Ok(l) => l,
            Err(e) => {
                let at = e.valid_up_to() + 1;
                let why = format!("not UTF-8 text (invalid byte at column {at})");
                return Some(Entry::Problem(line_no, why));
            }
        };
        (!line.trim().is_empty()).then(|| json_row(line_no, line))
    }))
}

fn json_row(line_no: usize, line: &str) -> Entry {
    let mut value: serde_json::Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => return Entry::Problem(line_no, format!("not valid JSON: {e}")),
    };
    if let Some(obj) = value.as_object_mut() {
        let unknown: Vec<String> = obj
            .keys()
            .filter(|k| !COLUMNS.contains(&k.as_str()))
            .map(|k| format!("'{k}'"))
            .collect();
        if !unknown.is_empty() {
            let s = if unknown.len() == 1 { "" } else { "s" };
            return Entry::Problem(line_no, format!("unknown field{s} {}", unknown.join(", ")));
        }
        obj.retain(|k, _| COLUMNS.contains(&k.as_str()));
    }
    match serde_json::from_value::<JsonRow>(value) {
        Ok(j) => {
            let mut row = j.row;
            row.evidence = j.evidence.into_iter().map(EvidenceSource::Path).collect();
            Entry::Row(line_no, row)
        }
        Err(e) => Entry::Problem(line_no, format!("wrong field type: {e}")),
    }
}
