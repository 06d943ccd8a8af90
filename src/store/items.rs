//! Items, claims and the queue.

use crate::model::{QueueFilter, QueueRow, QueueSort};
use chrono::{DateTime, Utc};

use super::Tx;
use super::sql::{Dialect, Row, Value};
use crate::args;
use crate::clock::fmt_ts;
use crate::error::{Error, Result};
use crate::model::text::handle_key;
use crate::model::{Item, ItemKind, NewItem, Platform, Status};

/// Columns of an item as read, with the derived status computed against `now`, which
/// every statement using them binds as `?1`.
const ITEM_COLUMNS: &str =
    "SELECT i.id, i.platform, i.kind, i.handle, i.display_name, i.url, i.text, i.language,
       i.followers, i.reported_at, i.source_ref, i.priority, i.status,
       CASE WHEN i.lease_until > ?1 THEN u.name END,
       CASE WHEN i.lease_until > ?1 THEN i.lease_until END,
       coalesce(i.reported_url, i.url)";
const ITEM_FROM: &str = "FROM items i LEFT JOIN users u ON u.id = i.claimed_by";

fn item_from_row(r: &Row) -> Result<Item> {
    let claimed_by: Option<String> = r.get(13)?;
    let mut status: Status = r.parse(12)?;
    if claimed_by.is_some() && matches!(status, Status::New | Status::Returned) {
        status = Status::InReview;
    }
    Ok(Item {
        id: r.get(0)?,
        fields: NewItem {
            platform: r.parse::<Platform>(1)?,
            kind: r.parse::<ItemKind>(2)?,
            handle: r.get(3)?,
            display_name: r.get(4)?,
            url: r.get(5)?,
            reported_url: r.get(15)?,
            text: r.get(6)?,
            language: r.get(7)?,
            followers: r.get(8)?,
            reported_at: r.get(9)?,
            source_ref: r.get(10)?,
            priority: r.get(11)?,
        },
        status,
        claimed_by,
        lease_until: r.get(14)?,
    })
}

impl Tx<'_> {
    /// Inserts an item; `Ok(None)` if (platform, url) is already stored.
    pub fn insert_item(
        &self,
        item: &NewItem,
        search_text: &str,
        at: DateTime<Utc>,
        created_seq: i64,
    ) -> Result<Option<i64>> {
        self.insert(
            "INSERT INTO items (platform, kind, handle, display_name, url, text, language, followers,
                                reported_at, source_ref, priority, search_text, created_at, created_seq, handle_key,
                                reported_url, fields_sha256)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
             ON CONFLICT (platform, url) DO NOTHING",
            args![
                item.platform.as_str(),
                item.kind.as_str(),
                item.handle,
                item.display_name,
                item.url,
                item.text,
                item.language,
                item.followers,
                fmt_ts(item.reported_at),
                item.source_ref,
                item.priority,
                search_text,
                at,
                created_seq,
                handle_key(&item.handle),
                (item.reported_url != item.url).then_some(&item.reported_url),
                item.digest()
            ],
        )
    }

    /// One item, with its status derived at `now`.
    pub fn item(&self, id: i64, now: DateTime<Utc>) -> Result<Item> {
        self.row(
            &format!("{ITEM_COLUMNS} {ITEM_FROM} WHERE i.id = ?2"),
            args![fmt_ts(now), id],
            item_from_row,
        )?
        .ok_or_else(|| Error::NotFound(format!("item #{id}")))
    }

    /// The claim on an item as stored, live or not: (user id, lease end).
    pub fn claim_of(&self, id: i64) -> Result<Option<(i64, DateTime<Utc>)>> {
        self.row(
            "SELECT claimed_by, lease_until FROM items WHERE id = ?1 AND claimed_by IS NOT NULL",
            args![id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    /// Sets or clears the claim on an item.
    pub fn set_claim(&self, id: i64, claim: Option<(i64, DateTime<Utc>)>) -> Result<()> {
        let (user, until) = claim.map_or((None, None), |(u, t)| (Some(u), Some(t)));
        self.exec(
            "UPDATE items SET claimed_by = ?2, lease_until = ?3 WHERE id = ?1",
            args![id, user, until],
        )?;
        Ok(())
    }

    /// The generation of an item's claim (see migration 13).
    pub fn claim_generation(&self, id: i64) -> Result<i64> {
        self.value(
            "SELECT claim_gen FROM items WHERE id = ?1",
            crate::args![id],
        )
    }

    /// Moves an item's claim to its next generation; returns it.
    pub fn next_claim_generation(&self, id: i64) -> Result<i64> {
        self.exec(
            "UPDATE items SET claim_gen = claim_gen + 1 WHERE id = ?1",
            crate::args![id],
        )?;
        self.claim_generation(id)
    }

    /// Sets the stored status of an item.
    pub fn set_item_status(&self, id: i64, status: Status) -> Result<()> {
        self.exec(
            "UPDATE items SET status = ?2 WHERE id = ?1",
            args![id, status.as_str()],
        )?;
        Ok(())
    }

    /// Number of items stored.
    pub fn item_count(&self) -> Result<i64> {
        self.value("SELECT COUNT(*) FROM items", args![])
    }

    /// The queue: items matching `filter`, in its order, with their evidence counts.
    pub fn queue(&self, filter: &QueueFilter, now: DateTime<Utc>) -> Result<Vec<QueueRow>> {
        let postgres = self.dialect() == Dialect::Postgres;
        // `now` is `?1`, as in ITEM_COLUMNS; `arg` adds the others and names their place.
        let mut args: Vec<Value> = vec![Value::Text(fmt_ts(now))];
        let mut arg = |v: Value| {
            args.push(v);
            format!("?{}", args.len())
        };
        let mut wheres: Vec<String> = Vec::new();
        if !filter.statuses.is_empty() {
            let any: Vec<String> = filter
                .statuses
                .iter()
                .map(|status| match status {
                    Status::InReview => {
                        "(i.status IN ('new','returned') AND i.lease_until > ?1)".to_string()
                    }
                    Status::New | Status::Returned => format!(
                        "(i.status = '{}' AND (i.lease_until IS NULL OR i.lease_until <= ?1))",
                        status.as_str()
                    ),
                    // A fixed word of the enum, never user text.
                    other => format!("i.status = '{}'", other.as_str()),
                })
                .collect();
            wheres.push(format!("({})", any.join(" OR ")));
        }
        if let Some(p) = filter.platform {
            wheres.push(format!(
                "i.platform = {}",
                arg(Value::Text(p.as_str().into()))
            ));
        }
        if let Some(g) = &filter.group {
            wheres.push(format!(
                "EXISTS (SELECT 1 FROM item_groups g WHERE g.item_id = i.id AND g.group_id = {})",
                arg(Value::Text(g.clone()))
            ));
        }
        if let Some(u) = filter.claimed_by {
            wheres.push(format!(
                "i.claimed_by = {} AND i.lease_until > ?1",
                arg(Value::Int(u))
            ));
        }
        let terms: Vec<&str> = filter
            .search
            .iter()
            .map(String::as_str)
            .filter(|t| !t.is_empty())
            .collect();
        // Every word must occur, each at the beginning of a word, in the item's own text or
        // in the text read from one of its screenshots. `own` tells whether the item's own
        // text holds them all (else the match was, at least in part, inside an image).
        let mut own = Vec::new();
        if postgres {
            for term in &terms {
                // A term with punctuation inside ("kafila_news") is words in a row, as
                // FTS5 reads it.
                let words: Vec<&str> = term
                    .split(|c: char| c.is_whitespace() || c.is_ascii_punctuation())
                    .filter(|w| !w.is_empty())
                    .collect();
                if words.is_empty() {
                    continue;
                }
                let like = arg(Value::Text(format!("% {}%", escape_like(&words.join(" ")))));
                // Words begin after a space, a line break or ASCII punctuation, as
                // FTS5's tokenizer splits them (near enough; see the README).
                let words = |column: &str| {
                    format!(
                        "(' ' || regexp_replace({column}, '[[:space:][:punct:]]+', ' ', 'g')) LIKE {like} ESCAPE '\\'"
                    )
                };
                own.push(words("i.search_text"));
                wheres.push(format!(
                    "({} OR EXISTS (SELECT 1 FROM item_evidence l JOIN evidence_text x ON x.sha256 = l.sha256
                                     WHERE l.item_id = i.id AND {}))",
                    words("i.search_text"),
                    words("x.search_text")
                ));
            }
        } else if let Some(all) = fts_expression(&terms) {
            let all = arg(Value::Text(all));
            own.push(format!(
                "i.id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH {all})"
            ));
            for term in &terms {
                let q = arg(Value::Text(fts_expression(&[*term]).expect("one term")));
                wheres.push(format!(
                    "(i.id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH {q})
                      OR i.id IN (SELECT l.item_id FROM item_evidence l JOIN evidence_text x ON x.sha256 = l.sha256
                                   WHERE x.id IN (SELECT rowid FROM evidence_text_fts WHERE evidence_text_fts MATCH {q})))"
                ));
            }
        }
        let in_image = if own.is_empty() {
            "0".to_string()
        } else {
            format!("CASE WHEN {} THEN 0 ELSE 1 END", own.join(" AND "))
        };
        let order = match filter.sort {
            QueueSort::Priority => "i.priority {d}, i.reported_at {d}, i.id {d}",
            QueueSort::Reported => "i.reported_at {d}, i.id {d}",
            QueueSort::Platform => "i.platform {d}, i.priority, i.id",
            QueueSort::Handle => "i.handle COLLATE NOCASE {d}, i.id",
            QueueSort::DisplayName => "i.display_name COLLATE NOCASE {d}, i.id",
            QueueSort::Status => "i.status {d}, i.priority, i.id",
            QueueSort::Assignee => {
                "(CASE WHEN i.lease_until > ?1 THEN u.name END) {d} NULLS LAST, i.id"
            }
            QueueSort::Id => "i.id {d}",
        }
        .replace("{d}", if filter.descending { "DESC" } else { "ASC" });
        // No limit: -1 for SQLite, NULL for PostgreSQL (which refuses a negative one).
        let limit = match filter.limit {
            Some(n) => Value::Int(n),
            None if postgres => Value::Null,
            None => Value::Int(-1),
        };
        let limit = arg(limit);
        let offset = arg(Value::Int(filter.offset));
        let ids = if postgres {
            "string_agg(CAST(t.id AS TEXT), ',')"
        } else {
            "group_concat(t.id)"
        };
        let sql = format!(
            "WITH taken_down AS MATERIALIZED (
                 SELECT t.handle_key AS k, {ids} AS ids FROM standing_takedowns p JOIN items t ON t.id = p.item_id
                  WHERE t.handle_key <> '' GROUP BY t.handle_key)
             {ITEM_COLUMNS}, (SELECT COUNT(*) FROM item_evidence e WHERE e.item_id = i.id),
                    (SELECT ids FROM taken_down WHERE k = i.handle_key), {in_image}
             {ITEM_FROM} {} ORDER BY {order} LIMIT {limit} OFFSET {offset}",
            if wheres.is_empty() {
                String::new()
            } else {
                format!("WHERE {}", wheres.join(" AND "))
            },
        );
        self.rows(&sql, &args, |r| {
            let mirrors: Option<String> = r.get(17)?;
            let item = item_from_row(r)?;
            let own = item.id;
            Ok(QueueRow {
                item,
                evidence_count: r.get(16)?,
                in_image: r.get::<i64>(18)? == 1,
                mirror_of: mirrors
                    .map(|m| {
                        m.split(',')
                            .filter_map(|x| x.parse().ok())
                            .filter(|id| *id != own)
                            .collect()
                    })
                    .unwrap_or_default(),
            })
        })
        .map_err(fts_error)
    }
}

/// The FTS5 match expression for SQLite's search index: every word must occur, each as a
/// prefix, quotes escaped so no input can inject FTS5 syntax. `None` for no words.
fn fts_expression(terms: &[&str]) -> Option<String> {
    let terms: Vec<String> = terms
        .iter()
        .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// `s` with the wildcards of `LIKE … ESCAPE '\'` (`%`, `_` and the escape itself) escaped.
fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// SQLite's FTS5 refuses a match expression it cannot parse; that is the searcher's input.
fn fts_error(e: Error) -> Error {
    match e {
        Error::Db(m) if m.contains("fts5") => {
            Error::invalid(format!("search text cannot be understood: {m}"))
        }
        e => e,
    }
}

impl Tx<'_> {
    /// Calls `f` with every item's id, stored fields and recorded digest, in id order.
    pub fn for_each_item_fields(
        &self,
        mut f: impl FnMut(i64, &NewItem, Option<&str>),
    ) -> Result<()> {
        // The derived status is not wanted: `now` is bound as the empty text.
        self.each(
            &format!("{ITEM_COLUMNS}, i.fields_sha256 {ITEM_FROM} ORDER BY i.id"),
            args![""],
            |r| {
                let item = item_from_row(r)?;
                let digest: Option<String> = r.get(16)?;
                f(item.id, &item.fields, digest.as_deref());
                Ok(true)
            },
        )
    }

    /// Sets the digest of items stored before digests were kept; returns (id, digest) of
    /// each, in id order.
    pub fn record_missing_item_digests(&self) -> Result<Vec<(i64, String)>> {
        let mut missing = Vec::new();
        self.for_each_item_fields(|id, f, d| {
            if d.is_none() {
                missing.push((id, f.digest()));
            }
        })?;
        for (id, d) in &missing {
            self.exec(
                "UPDATE items SET fields_sha256 = ?2 WHERE id = ?1",
                args![id, d],
            )?;
        }
        Ok(missing)
    }

    /// Every item with the event that created it: (id, created_seq).
    pub fn item_origins(&self) -> Result<Vec<(i64, i64)>> {
        self.rows(
            "SELECT id, created_seq FROM items ORDER BY id",
            args![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }
}

impl Tx<'_> {
    /// The version a derived column set was computed with.
    pub fn derived_version(&self, name: &str) -> Result<i64> {
        Ok(self
            .row(
                "SELECT version FROM derived_versions WHERE name = ?1",
                args![name],
                |r| r.get(0),
            )?
            .unwrap_or(0))
    }

    /// Records the version a derived column set was computed with.
    pub fn set_derived_version(&self, name: &str, version: i64) -> Result<()> {
        self.exec(
            "INSERT INTO derived_versions (name, version) VALUES (?1, ?2)
             ON CONFLICT (name) DO UPDATE SET version = excluded.version",
            args![name, version],
        )?;
        Ok(())
    }

    /// Recomputes every item's search text and handle key with `f(handle, name, url, text)`.
    pub fn recompute_item_text(
        &self,
        f: impl Fn(&str, &str, &str, &str) -> (String, String),
    ) -> Result<usize> {
        let rows: Vec<(i64, String, String, String, String)> = self.rows(
            "SELECT id, handle, display_name, url, text FROM items",
            args![],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )?;
        for (id, handle, name, url, text) in &rows {
            let (search, key) = f(handle, name, url, text);
            self.exec(
                "UPDATE items SET search_text = ?2, handle_key = ?3 WHERE id = ?1",
                args![id, search, key],
            )?;
        }
        Ok(rows.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fts_expression_quotes_every_term() {
        assert_eq!(
            fts_expression(&["ttp", "media"]),
            Some("\"ttp\"* \"media\"*".into())
        );
        assert_eq!(
            fts_expression(&["a\"b", "or"]),
            Some("\"a\"\"b\"* \"or\"*".into())
        );
        assert_eq!(fts_expression(&[]), None);
    }

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(escape_like("50%_a\\b"), "50\\%\\_a\\\\b");
        assert_eq!(escape_like("ttp"), "ttp");
    }
}
