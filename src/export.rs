//! Exporting final decisions as CSV or JSON Lines, for reporting and for the record.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use std::path::Path;

use crate::clock::fmt_ts;
use crate::error::{Error, Result};
use crate::model::packet::Packet;
use crate::workspace::{Session, Workspace};

/// One approved decision as exported.
#[derive(Clone, Debug, Serialize)]
pub struct DecisionExport {
    /// Item id.
    pub item: i64,
    /// Platform.
    pub platform: String,
    /// Item URL.
    pub url: String,
    /// Handle.
    pub handle: String,
    /// Outcome.
    pub outcome: String,
    /// Group ids with their taxonomy version (`ttp@1`).
    pub groups: Vec<String>,
    /// Legal ground ids with their taxonomy version (`peca-9@1`).
    pub grounds: Vec<String>,
    /// Evidence SHA-256 hashes.
    pub evidence: Vec<String>,
    /// Rationale.
    pub rationale: String,
    /// Who proposed.
    pub proposer: String,
    /// When.
    #[serde(serialize_with = "crate::clock::ser_ts")]
    pub proposed_at: DateTime<Utc>,
    /// Who approved.
    pub approver: String,
    /// When.
    #[serde(serialize_with = "crate::clock::ser_ts")]
    pub approved_at: DateTime<Utc>,
    /// The sealed packet's hash.
    pub packet_hash: String,
}

/// Every approved decision, oldest first.
pub fn decisions(ws: &mut Workspace) -> Result<Vec<DecisionExport>> {
    let now = ws.now();
    ws.store().read(|tx| {
        let mut out = Vec::new();
        for d in tx.decisions(None)? {
            let Some(a) = d.approval else { continue };
            let p = d.proposal;
            let packet: Packet = serde_json::from_str(&p.packet).map_err(|e| {
                Error::Integrity(format!("proposal {}: sealed packet unreadable: {e}", p.id))
            })?;
            let item = tx.item(p.item_id, now)?;
            let tags = |t: &[crate::model::packet::SealedTag]| {
                t.iter()
                    .map(|t| format!("{}@{}", t.id, t.taxonomy_version))
                    .collect()
            };
            out.push(DecisionExport {
                item: p.item_id,
                platform: item.fields.platform.to_string(),
                url: item.fields.url,
                handle: item.fields.handle,
                outcome: p.outcome.to_string(),
                groups: tags(&packet.groups),
                grounds: tags(&packet.grounds),
                evidence: packet.evidence,
                rationale: p.rationale,
                proposer: p.proposer,
                proposed_at: p.proposed_at,
                approver: a.approver,
                approved_at: a.approved_at,
                packet_hash: p.packet_hash,
            });
        }
        Ok(out)
    })
}

/// Writes approved decisions to `out` (`.csv` or `.jsonl`), whole or not at all, and
/// records the export in the trail (see [`crate::outfile`]). Returns how many were written.
pub fn write_decisions(
    ws: &mut Workspace,
    s: Option<&Session>,
    out: &Path,
    force: bool,
) -> Result<usize> {
    let ext = out
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if !matches!(ext.as_str(), "csv" | "jsonl") {
        return Err(Error::Usage(format!(
            "{}: export files must end in .csv or .jsonl",
            out.display()
        )));
    }
    let rows = decisions(ws)?;
    let mut buf = Vec::new();
    if ext == "csv" {
        let mut w = csv::Writer::from_writer(&mut buf);
        w.write_record([
            "item",
            "platform",
            "url",
            "handle",
            "outcome",
            "groups",
            "grounds",
            "evidence",
            "rationale",
            "proposer",
            "proposed_at",
            "approver",
            "approved_at",
            "packet_hash",
        ])
        .map_err(|e| Error::invalid(e.to_string()))?;
        for r in &rows {
            let cells = [
                &r.item.to_string(),
                &r.platform,
                &r.url,
                &r.handle,
                &r.outcome,
                &r.groups.join(";"),
                &r.grounds.join(";"),
                &r.evidence.join(";"),
                &r.rationale,
                &r.proposer,
                &fmt_ts(r.proposed_at),
                &r.approver,
                &fmt_ts(r.approved_at),
                &r.packet_hash,
            ];
            // Handles, URLs and rationales come from outside: no cell may run as a formula.
            w.write_record(
                cells
                    .iter()
                    .map(|c| crate::model::text::csv_cell(c).into_owned()),
            )
            .map_err(|e| Error::invalid(e.to_string()))?;
        }
        w.flush().map_err(|e| Error::io("writing CSV", e))?;
    } else {
        for r in &rows {
            serde_json::to_writer(&mut buf, r).map_err(|e| Error::invalid(e.to_string()))?;
            buf.push(b'\n');
        }
    }
    let what = json!({ "kind": "decisions", "count": rows.len() });
    crate::outfile::write_recorded(ws, s, out, &buf, force, what)?;
    Ok(rows.len())
}
