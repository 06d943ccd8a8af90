//! Evidence files: stored once per SHA-256, linked to items.

use super::Tx;
use crate::args;
use crate::error::Result;
use crate::model::{EvidenceMeta, NewEvidence};
use chrono::{DateTime, Utc};

impl Tx<'_> {
    /// Stores evidence bytes unless the same SHA-256 is already stored.
    pub fn store_evidence(&self, e: &NewEvidence, at: DateTime<Utc>) -> Result<()> {
        let n = self.exec(
            "INSERT INTO evidence (sha256, mime, size, width, height, thumb_width, thumb_height, stored_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (sha256) DO NOTHING",
            args![e.sha256, e.mime, e.data.len() as i64, e.width, e.height, e.thumb_width, e.thumb_height, at],
        )?;
        if n == 1 {
            self.exec(
                "INSERT INTO evidence_data (sha256, thumb, data) VALUES (?1, ?2, ?3)",
                args![e.sha256, e.thumb, e.data],
            )?;
            self.store_evidence_pdq(&e.sha256, &e.pdq.0, e.pdq.1)?;
        }
        Ok(())
    }

    /// Links stored evidence to an item; `false` if it was already linked.
    pub fn link_evidence(
        &self,
        item: i64,
        sha256: &str,
        file_name: &str,
        by: &str,
        at: DateTime<Utc>,
        seq: i64,
    ) -> Result<bool> {
        let n = self.exec(
            "INSERT INTO item_evidence (item_id, sha256, file_name, attached_by, attached_at, event_seq)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (item_id, sha256) DO NOTHING",
            args![item, sha256, file_name, by, at, seq],
        )?;
        Ok(n == 1)
    }

    /// The evidence of one item, in attachment order.
    pub fn item_evidence(&self, item: i64) -> Result<Vec<EvidenceMeta>> {
        self.rows(
            "SELECT e.sha256, e.mime, e.size, e.width, e.height, l.file_name, l.attached_by, l.attached_at, l.event_seq
               FROM item_evidence l JOIN evidence e ON e.sha256 = l.sha256
              WHERE l.item_id = ?1 ORDER BY l.attached_at, l.rowid",
            args![item],
            |r| {
                Ok(EvidenceMeta {
                    sha256: r.get(0)?,
                    mime: r.get(1)?,
                    size: r.get(2)?,
                    width: r.get(3)?,
                    height: r.get(4)?,
                    file_name: r.get(5)?,
                    attached_by: r.get(6)?,
                    attached_at: r.get(7)?,
                    event_seq: r.get(8)?,
                })
            },
        )
    }

    /// The original bytes and MIME type of stored evidence, unchecked.
    pub fn evidence_data(&self, sha256: &str) -> Result<Option<(Vec<u8>, String)>> {
        self.row(
            "SELECT d.data, e.mime FROM evidence_data d JOIN evidence e ON e.sha256 = d.sha256 WHERE d.sha256 = ?1",
            args![sha256],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    /// The PNG thumbnail of stored evidence.
    pub fn evidence_thumb(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        self.row(
            "SELECT thumb FROM evidence_data WHERE sha256 = ?1",
            args![sha256],
            |r| r.get(0),
        )
    }

    /// Every stored SHA-256 key, for integrity checks.
    pub fn evidence_keys(&self) -> Result<Vec<String>> {
        self.rows(
            "SELECT sha256 FROM evidence_data ORDER BY sha256",
            args![],
            |r| r.get(0),
        )
    }

    /// Every evidence link: (item, sha256, attached_by, event_seq).
    pub fn evidence_links(&self) -> Result<Vec<(i64, String, String, i64)>> {
        self.rows(
            "SELECT item_id, sha256, attached_by, event_seq FROM item_evidence ORDER BY rowid",
            args![],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
    }
}
