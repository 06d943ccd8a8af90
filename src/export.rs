//! Exporting final decisions as CSV or JSON Lines, for reporting and for the record.

use serde::Serialize;
use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};
use crate::model::packet::Packet;
use crate::workspace::Workspace;

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
    pub proposed_at: String,
    /// Who approved.
    pub approver: String,
    /// When.
    pub approved_at: String,
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

/// Writes approved decisions to `out` (`.csv` or `.jsonl`), via a temporary file renamed
/// into place so a failed export never leaves half a file. Returns how many were written.
pub fn write_decisions(ws: &mut Workspace, out: &Path) -> Result<usize> {
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
                &r.proposed_at,
                &r.approver,
                &r.approved_at,
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
    write_atomically(out, &buf)?;
    Ok(rows.len())
}

/// Writes `bytes` to `path` through a temporary file in the same folder.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension(format!(
        "{}.partial",
        path.extension().and_then(|e| e.to_str()).unwrap_or("out")
    ));
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(format!("writing {}", path.display()), e)
    })
}
