//! PDQ hashes of evidence, and imported hash lists of known content.

use super::Tx;
use super::sql::Row;
use crate::error::Result;
use crate::model::{HashListRow, ListEntry, MirrorVerdict, TakenDown};
use crate::pdq::{Dihedral, PdqHash};
use chrono::{DateTime, Utc};

pub(super) fn to_hash(bytes: &[u8]) -> PdqHash {
    let mut w = [0u16; 16];
    for (i, pair) in bytes.chunks(2).take(16).enumerate() {
        w[15 - i] = u16::from_be_bytes([pair[0], pair[1]]);
    }
    PdqHash(w)
}

impl Tx<'_> {
    /// Stores the eight orientation hashes of evidence (once).
    pub fn store_evidence_pdq(&self, sha256: &str, hashes: &Dihedral, quality: u32) -> Result<()> {
        for (n, h) in hashes.iter().enumerate() {
            self.exec(
                "INSERT INTO evidence_pdq (sha256, orientation, hash, quality) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT DO NOTHING",
                crate::args![sha256, n as i64, h.to_bytes().to_vec(), quality],
            )?;
        }
        Ok(())
    }

    /// The orientation hashes and quality of evidence, if it was hashed.
    pub fn evidence_pdq(&self, sha256: &str) -> Result<Option<(Vec<PdqHash>, u32)>> {
        let rows: Vec<(Vec<u8>, u32)> = self.rows(
            "SELECT hash, quality FROM evidence_pdq WHERE sha256 = ?1 ORDER BY orientation",
            crate::args![sha256],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if rows.is_empty() {
            return Ok(None);
        }
        let quality = rows[0].1;
        Ok(Some((
            rows.iter().map(|(b, _)| to_hash(b)).collect(),
            quality,
        )))
    }

    /// The orientation hashes of evidence whose hash is strong enough to compare (quality
    /// at least [`crate::pdq::MIN_QUALITY`]); none if it was not hashed or is too weak.
    pub fn comparable_evidence_pdq(&self, sha256: &str) -> Result<Option<Vec<PdqHash>>> {
        Ok(self
            .evidence_pdq(sha256)?
            .filter(|(_, quality)| *quality >= crate::pdq::MIN_QUALITY)
            .map(|(hashes, _)| hashes))
    }

    /// Creates a hash list and returns its id.
    pub fn insert_hash_list(
        &self,
        name: &str,
        sha: &str,
        at: DateTime<Utc>,
        by: &str,
        seq: i64,
    ) -> Result<i64> {
        self.insert_id(
            "INSERT INTO hash_lists (name, source_sha256, imported_at, imported_by, event_seq) VALUES (?1, ?2, ?3, ?4, ?5)",
            crate::args![name, sha, at, by, seq],
        )
    }

    /// Whether a hash list of this name exists.
    pub fn hash_list_exists(&self, name: &str) -> Result<bool> {
        self.value(
            "SELECT EXISTS (SELECT 1 FROM hash_lists WHERE name = ?1)",
            crate::args![name],
        )
    }

    /// Adds a hash to a list.
    pub fn insert_hash_list_entry(
        &self,
        list: i64,
        hash: &PdqHash,
        label: &str,
        source: &str,
    ) -> Result<()> {
        self.exec(
            "INSERT INTO hash_list_entries (list_id, hash, label, source) VALUES (?1, ?2, ?3, ?4)",
            crate::args![list, hash.to_bytes().to_vec(), label, source],
        )?;
        Ok(())
    }

    /// Every hash of every list.
    pub fn hash_list_entries(&self) -> Result<Vec<ListEntry>> {
        self.rows(
            "SELECT l.name, e.hash, e.label, e.source FROM hash_list_entries e JOIN hash_lists l ON l.id = e.list_id",
            crate::args![],
            |r| {
                let bytes: Vec<u8> = r.get(1)?;
                Ok(ListEntry {
                    list: r.get(0)?,
                    hash: to_hash(&bytes),
                    label: r.get(2)?,
                    source: r.get(3)?,
                })
            },
        )
    }
}

impl Tx<'_> {
    /// Changes whenever the set of standing takedowns can have changed: the newest approval
    /// and the newest appeal approval (both tables are append-only). Text read later from a
    /// taken-down account's screenshots joins the pool when it is next built: counting
    /// readings here rebuilt the pool after every screenshot the background reader read.
    pub fn takedown_generation(&self) -> Result<(i64, i64)> {
        self.row(
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM approvals),
                    (SELECT COALESCE(MAX(rowid), 0) FROM appeal_approvals)",
            crate::args![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?
        .ok_or_else(|| crate::error::Error::Db("no row from the takedown generation".into()))
    }

    /// Every item with an approved takedown decision that stands (not overturned on appeal),
    /// with its evidence hashes.
    pub fn taken_down(&self) -> Result<Vec<TakenDown>> {
        // `IN (view)` reads the standing takedowns once; a correlated `EXISTS` per item led
        // SQLite to walk every approved takedown for each of 100,000 items (minutes).
        let mut out: Vec<TakenDown> = self.rows(
            "SELECT i.id, i.platform, i.handle, i.handle_key, i.display_name, i.text FROM items i
              WHERE i.id IN (SELECT item_id FROM standing_takedowns)
              ORDER BY i.id",
            crate::args![],
            |r| {
                Ok(TakenDown {
                    id: r.get(0)?,
                    platform: r.get(1)?,
                    handle: r.get(2)?,
                    handle_key: r.get(3)?,
                    display_name: r.get(4)?,
                    text: r.get(5)?,
                    image_text: String::new(),
                    hashes: Vec::new(),
                })
            },
        )?;
        for t in &mut out {
            let rows: Vec<Vec<u8>> = self.rows(
                "SELECT p.hash FROM item_evidence l JOIN evidence_pdq p ON p.sha256 = l.sha256 AND p.orientation = 0
                  WHERE l.item_id = ?1 AND p.quality >= ?2",
                crate::args![t.id, crate::pdq::MIN_QUALITY],
                |r| r.get(0),
            )?;
            t.hashes = rows.iter().map(|b| to_hash(b)).collect();
            let text: Vec<String> = self.rows(
                "SELECT x.text FROM item_evidence l JOIN evidence_text x ON x.sha256 = l.sha256
                  WHERE l.item_id = ?1 ORDER BY l.attached_at, l.rowid",
                crate::args![t.id],
                |r| r.get(0),
            )?;
            t.image_text = text.join("\n");
        }
        Ok(out)
    }
}

/// A verdict from the columns `of_item_id, confirmed, score, decided_by, decided_at`
/// starting at `at`.
fn verdict_from(r: &Row, at: usize) -> Result<MirrorVerdict> {
    Ok(MirrorVerdict {
        of_item: r.get(at)?,
        confirmed: r.get(at + 1)?,
        score: r.get(at + 2)?,
        decided_by: r.get(at + 3)?,
        decided_at: r.get(at + 4)?,
    })
}

impl Tx<'_> {
    /// Records a verdict.
    #[allow(clippy::too_many_arguments)]
    pub fn insert_mirror_verdict(
        &self,
        item: i64,
        of: i64,
        confirmed: bool,
        score: f64,
        by: &str,
        at: DateTime<Utc>,
        seq: i64,
    ) -> Result<()> {
        self.exec(
            "INSERT INTO mirror_verdicts (item_id, of_item_id, confirmed, score, decided_by, decided_at, event_seq)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            crate::args![item, of, confirmed, score, by, at, seq],
        )?;
        Ok(())
    }

    /// The verdicts on an item, oldest first.
    pub fn mirror_verdicts(&self, item: i64) -> Result<Vec<MirrorVerdict>> {
        self.rows(
            "SELECT of_item_id, confirmed, score, decided_by, decided_at FROM mirror_verdicts WHERE item_id = ?1 ORDER BY rowid",
            crate::args![item],
            |r| verdict_from(r, 0),
        )
    }
}

impl Tx<'_> {
    /// Every hash list.
    pub fn hash_lists(&self) -> Result<Vec<HashListRow>> {
        self.rows(
            "SELECT id, name, source_sha256, imported_by, event_seq FROM hash_lists ORDER BY id",
            crate::args![],
            |r| {
                Ok(HashListRow {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    source_sha256: r.get(2)?,
                    imported_by: r.get(3)?,
                    event_seq: r.get(4)?,
                })
            },
        )
    }

    /// The entries of one list, in the order imported: (hash, label, source).
    pub fn hash_list_rows(&self, list: i64) -> Result<Vec<(PdqHash, String, String)>> {
        self.rows(
            "SELECT hash, label, source FROM hash_list_entries WHERE list_id = ?1 ORDER BY rowid",
            crate::args![list],
            |r| {
                let bytes: Vec<u8> = r.get(0)?;
                Ok((to_hash(&bytes), r.get(1)?, r.get(2)?))
            },
        )
    }

    /// Every mirror verdict with its item and event: (item, verdict, event seq).
    pub fn all_mirror_verdicts(&self) -> Result<Vec<(i64, MirrorVerdict, i64)>> {
        self.rows(
            "SELECT item_id, of_item_id, confirmed, score, decided_by, decided_at, event_seq
               FROM mirror_verdicts ORDER BY rowid",
            crate::args![],
            |r| Ok((r.get(0)?, verdict_from(r, 1)?, r.get(6)?)),
        )
    }
}
