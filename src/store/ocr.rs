//! Text read from screenshots: one reading per SHA-256, its words and boxes.

use super::Tx;
use crate::args;
use crate::error::Result;
use crate::model::ocr::{ImageText, Outcome, Reading, Word};
use crate::model::text::search_fold;
use chrono::{DateTime, Utc};

impl Tx<'_> {
    /// Stores a reading of stored evidence, unless one is stored already that did not fail
    /// (then `false`: another desk read it first). A failed reading is replaced.
    pub fn store_reading(
        &self,
        sha256: &str,
        r: &Reading,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        let text = r.text();
        let n = self.exec(
            "INSERT INTO evidence_text (sha256, engine, models, prepared, outcome, problem, text,
                                        search_text, seconds, read_at, read_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT (sha256) DO UPDATE SET engine = excluded.engine, models = excluded.models,
                 prepared = excluded.prepared, outcome = excluded.outcome, problem = excluded.problem,
                 text = excluded.text, search_text = excluded.search_text,
                 seconds = excluded.seconds, read_at = excluded.read_at, read_by = excluded.read_by
             WHERE evidence_text.outcome = 'failed'",
            args![
                sha256,
                r.engine,
                r.models,
                r.prepared,
                r.outcome.as_str(),
                r.problem,
                text,
                search_fold(&text),
                r.seconds,
                at,
                by
            ],
        )?;
        if n == 0 {
            return Ok(false);
        }
        for (i, w) in r.words.iter().enumerate() {
            self.exec(
                "INSERT INTO evidence_words (sha256, n, line, word, x, y, w, h, confidence)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                args![
                    sha256,
                    i as i64,
                    w.line,
                    w.text,
                    w.x,
                    w.y,
                    w.w,
                    w.h,
                    w.confidence as f64
                ],
            )?;
        }
        Ok(true)
    }

    /// Stored evidence whose text has not been read (and, with `failed`, whose reading
    /// failed), oldest first, at most `limit`.
    pub fn unread_evidence(&self, failed: bool, limit: i64) -> Result<Vec<String>> {
        self.rows(
            "SELECT e.sha256 FROM evidence e LEFT JOIN evidence_text t ON t.sha256 = e.sha256
              WHERE t.sha256 IS NULL OR (?1 = 1 AND t.outcome = 'failed')
              ORDER BY e.stored_at, e.sha256 LIMIT ?2",
            args![failed, limit],
            |r| r.get(0),
        )
    }

    /// How many stored images have no reading yet.
    pub fn unread_count(&self) -> Result<i64> {
        Ok(self
            .row(
                "SELECT COUNT(*) FROM evidence e
                  WHERE NOT EXISTS (SELECT 1 FROM evidence_text t WHERE t.sha256 = e.sha256)",
                args![],
                |r| r.get(0),
            )?
            .unwrap_or(0))
    }

    /// The words read from one image, in reading order.
    pub fn image_words(&self, sha256: &str) -> Result<Vec<Word>> {
        self.rows(
            "SELECT word, line, x, y, w, h, confidence FROM evidence_words WHERE sha256 = ?1 ORDER BY n",
            args![sha256],
            |r| {
                Ok(Word {
                    text: r.get(0)?,
                    line: r.get(1)?,
                    x: r.get(2)?,
                    y: r.get(3)?,
                    w: r.get(4)?,
                    h: r.get(5)?,
                    confidence: r.get::<f64>(6)? as f32,
                })
            },
        )
    }

    /// The readings of an item's evidence, in attachment order (unread images have none).
    pub fn item_image_text(&self, item: i64) -> Result<Vec<ImageText>> {
        self.rows(
            "SELECT t.sha256, t.engine, t.models, t.outcome, t.problem, t.text, t.read_at
               FROM item_evidence l JOIN evidence_text t ON t.sha256 = l.sha256
              WHERE l.item_id = ?1 ORDER BY l.attached_at, l.rowid",
            args![item],
            |r| {
                Ok(ImageText {
                    sha256: r.get(0)?,
                    engine: r.get(1)?,
                    models: r.get(2)?,
                    outcome: Outcome::parse(&r.get::<String>(3)?),
                    problem: r.get(4)?,
                    text: r.get(5)?,
                    read_at: r.get(6)?,
                })
            },
        )
    }
}
