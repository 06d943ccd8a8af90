//! The queue: which items match a filter and a search, in which order, a window of rows
//! at a time, and how many match in all.

use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};

use super::Tx;
use super::items::{ITEM_COLUMNS, ITEM_FROM, item_from_row};
use super::sql::{Dialect, Value};
use crate::clock::fmt_ts;
use crate::error::{Error, Result};
use crate::model::{Item, QueueFilter, QueueRow, QueueSort, Status};

/// `values` appended to `args`, and their placeholders as a list ("?4,?5,?6").
fn placeholders(args: &mut Vec<Value>, values: impl Iterator<Item = Value>) -> String {
    let mut list = Vec::new();
    for v in values {
        args.push(v);
        list.push(format!("?{}", args.len()));
    }
    list.join(",")
}

/// What a filter selects, as SQL.
struct Selection {
    args: Vec<Value>,
    wheres: String,
    in_image: String,
}

impl Tx<'_> {
    /// The `WHERE` clause of the queue for `filter` (`now` bound as `?1`), its arguments,
    /// and the expression telling whether a row matched the search only with the text of
    /// its screenshots.
    fn selection(&self, filter: &QueueFilter, now: DateTime<Utc>) -> Selection {
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
        // `?1` (now) is bound whether or not the filter reads it, and a server must know
        // every argument's type: this always-true condition names it.
        wheres.push("CAST(?1 AS TEXT) IS NOT NULL".into());
        let wheres = format!("WHERE {}", wheres.join(" AND "));
        Selection {
            args,
            wheres,
            in_image,
        }
    }

    /// The queue: items matching `filter`, in its order, from its offset and at most its
    /// limit of them, with their evidence counts. Only those rows are read: the marks of
    /// each (evidence, taken-down look-alikes) are looked up per row, never for all.
    pub fn queue(&self, filter: &QueueFilter, now: DateTime<Utc>) -> Result<Vec<QueueRow>> {
        let postgres = self.dialect() == Dialect::Postgres;
        let Selection {
            mut args,
            wheres,
            in_image,
        } = self.selection(filter, now);
        let mut arg = |v: Value| {
            args.push(v);
            format!("?{}", args.len())
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
        // First the window's ids, in order: the sort reads only what it orders by, so the
        // per-row marks below are worked out for the window's rows alone, never for every
        // match (a handle shared by thousands of items made that minutes at 100,000).
        let sql = format!(
            "SELECT i.id, {in_image} {ITEM_FROM} {wheres} ORDER BY {order} LIMIT {limit} OFFSET {offset}"
        );
        let page: Vec<(i64, bool)> = self
            .rows(&sql, &args, |r| Ok((r.get(0)?, r.get::<i64>(1)? == 1)))
            .map_err(fts_error)?;
        if page.is_empty() {
            return Ok(Vec::new());
        }
        let mut args = vec![Value::Text(fmt_ts(now))];
        let ids = placeholders(&mut args, page.iter().map(|(id, _)| Value::Int(*id)));
        let mut found: HashMap<i64, (Item, i64, String)> = self
            .rows(
                &format!(
                    "{ITEM_COLUMNS}, (SELECT COUNT(*) FROM item_evidence e WHERE e.item_id = i.id), i.handle_key
                     {ITEM_FROM} WHERE i.id IN ({ids})"
                ),
                &args,
                |r| Ok((item_from_row(r)?, r.get(16)?, r.get(17)?)),
            )?
            .into_iter()
            .map(|(item, evidence, key)| (item.id, (item, evidence, key)))
            .collect();
        let taken = self.taken_down_by_key(found.values().map(|(_, _, k)| k.as_str()))?;
        Ok(page
            .into_iter()
            .filter_map(|(id, in_image)| {
                let (item, evidence_count, key) = found.remove(&id)?;
                let mirror_of = taken
                    .get(&key)
                    .map(|of| of.iter().copied().filter(|t| *t != id).collect())
                    .unwrap_or_default();
                Some(QueueRow {
                    item,
                    evidence_count,
                    in_image,
                    mirror_of,
                })
            })
            .collect())
    }

    /// The items with a standing takedown whose look-alike key is one of `keys`, by key.
    fn taken_down_by_key<'k>(
        &self,
        keys: impl Iterator<Item = &'k str>,
    ) -> Result<HashMap<String, Vec<i64>>> {
        let keys: HashSet<&str> = keys.filter(|k| !k.is_empty()).collect();
        let mut out: HashMap<String, Vec<i64>> = HashMap::new();
        if keys.is_empty() {
            return Ok(out);
        }
        let mut args = Vec::new();
        let list = placeholders(&mut args, keys.iter().map(|k| Value::Text(k.to_string())));
        let rows: Vec<(String, i64)> = self.rows(
            &format!(
                "SELECT t.handle_key, t.id FROM items t WHERE t.handle_key IN ({list})
                   AND EXISTS (SELECT 1 FROM standing_takedowns p WHERE p.item_id = t.id)
                 ORDER BY t.id"
            ),
            &args,
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        for (k, id) in rows {
            out.entry(k).or_default().push(id);
        }
        Ok(out)
    }

    /// How many items match `filter` (its order, offset and limit aside).
    pub fn queue_count(&self, filter: &QueueFilter, now: DateTime<Utc>) -> Result<i64> {
        let Selection { args, wheres, .. } = self.selection(filter, now);
        let sql = format!("SELECT COUNT(*) FROM items i {wheres}");
        self.value(&sql, &args).map_err(fts_error)
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
