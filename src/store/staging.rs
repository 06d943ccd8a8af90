//! An import's staging area: a private temporary database on disk (deleted when it is
//! dropped) that holds the checked rows and the decoded evidence of an import while the
//! file is read, so that reading, decoding and hashing happen before the store's write
//! lock is taken, and memory stays bounded however large the file.

use rusqlite::{Connection, params};

use crate::error::{Error, Result};
use crate::model::NewEvidence;
use crate::model::NewItem;

/// Checked rows and decoded evidence waiting to be stored.
pub struct Staging {
    conn: Connection,
}

/// One staged row: its line, the item, its search text and its evidence (file name, hash).
pub struct StagedRow {
    /// Line in the import file.
    pub line: usize,
    /// The checked item.
    pub item: NewItem,
    /// Its search text, computed while staging.
    pub search: String,
    /// Its evidence: (file name, SHA-256).
    pub evidence: Vec<(String, String)>,
}

impl Staging {
    /// A new, empty staging area.
    pub fn new() -> Result<Staging> {
        // An empty file name: SQLite's private temporary database, removed on close.
        let conn = Connection::open("")?;
        conn.execute_batch(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
             CREATE TABLE rows (line INTEGER PRIMARY KEY, item TEXT NOT NULL, search TEXT NOT NULL);
             CREATE TABLE links (line INTEGER NOT NULL, pos INTEGER NOT NULL, name TEXT NOT NULL,
                                 sha256 TEXT NOT NULL, PRIMARY KEY (line, pos));
             CREATE TABLE evidence (sha256 TEXT PRIMARY KEY, mime TEXT NOT NULL, data BLOB NOT NULL,
                                    width INTEGER NOT NULL, height INTEGER NOT NULL, thumb BLOB NOT NULL,
                                    thumb_width INTEGER NOT NULL, thumb_height INTEGER NOT NULL,
                                    pdq BLOB NOT NULL, quality INTEGER NOT NULL);
             BEGIN;",
        )?;
        Ok(Staging { conn })
    }

    /// Stages a checked row and the names and hashes of its evidence.
    pub fn put_row(
        &self,
        line: usize,
        item: &NewItem,
        search: &str,
        evidence: &[(String, String)],
    ) -> Result<()> {
        let json = serde_json::to_string(item).map_err(|e| Error::invalid(e.to_string()))?;
        self.conn
            .prepare_cached("INSERT INTO rows (line, item, search) VALUES (?1, ?2, ?3)")?
            .execute(params![line as i64, json, search])?;
        let mut st = self.conn.prepare_cached(
            "INSERT INTO links (line, pos, name, sha256) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (pos, (name, sha)) in evidence.iter().enumerate() {
            st.execute(params![line as i64, pos as i64, name, sha])?;
        }
        Ok(())
    }

    /// Stages decoded evidence (once per hash).
    pub fn put_evidence(&self, e: &NewEvidence) -> Result<()> {
        let pdq: Vec<u8> = e.pdq.0.iter().flat_map(|h| h.to_bytes()).collect();
        self.conn
            .prepare_cached(
                "INSERT INTO evidence (sha256, mime, data, width, height, thumb, thumb_width, thumb_height, pdq, quality)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT DO NOTHING",
            )?
            .execute(params![
                e.sha256, e.mime, e.data, e.width, e.height, e.thumb, e.thumb_width, e.thumb_height, pdq, e.pdq.1
            ])?;
        Ok(())
    }

    /// Staged evidence, as it was decoded.
    pub fn evidence(&self, sha256: &str) -> Result<Option<NewEvidence>> {
        let mut st = self.conn.prepare_cached(
            "SELECT mime, data, width, height, thumb, thumb_width, thumb_height, pdq, quality
               FROM evidence WHERE sha256 = ?1",
        )?;
        let mut rows = st.query([sha256])?;
        let Some(r) = rows.next()? else {
            return Ok(None);
        };
        let mime: String = r.get(0)?;
        let pdq: Vec<u8> = r.get(7)?;
        let mut hashes = [crate::pdq::PdqHash([0; 16]); 8];
        for (h, bytes) in hashes.iter_mut().zip(pdq.chunks(32)) {
            *h = super::pdq::to_hash(bytes);
        }
        Ok(Some(NewEvidence {
            sha256: sha256.to_string(),
            mime: crate::evidence::known_mime(&mime),
            data: r.get(1)?,
            width: r.get(2)?,
            height: r.get(3)?,
            thumb: r.get(4)?,
            thumb_width: r.get(5)?,
            thumb_height: r.get(6)?,
            pdq: (hashes, r.get(8)?),
        }))
    }

    /// Calls `f` with each staged row in line order, until it returns `false`.
    pub fn for_each_row(&self, mut f: impl FnMut(StagedRow) -> Result<bool>) -> Result<()> {
        let mut rows = self
            .conn
            .prepare("SELECT line, item, search FROM rows ORDER BY line")?;
        let mut links = self
            .conn
            .prepare("SELECT name, sha256 FROM links WHERE line = ?1 ORDER BY pos")?;
        let mut it = rows.query([])?;
        while let Some(r) = it.next()? {
            let line: i64 = r.get(0)?;
            let json: String = r.get(1)?;
            let item: NewItem = serde_json::from_str(&json)
                .map_err(|e| Error::Integrity(format!("staged row {line}: {e}")))?;
            let evidence = links
                .query_map([line], |l| Ok((l.get(0)?, l.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let row = StagedRow {
                line: line as usize,
                item,
                search: r.get(2)?,
                evidence,
            };
            if !f(row)? {
                break;
            }
        }
        Ok(())
    }
}
