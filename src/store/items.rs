//! Items, claims and the queue.

use chrono::{DateTime, Utc};
use rusqlite::{ToSql, params};

use super::{Tx, optional};
use crate::clock::{fmt_ts, parse_ts};
use crate::error::{Error, Result};
use crate::model::text::handle_key;
use crate::model::{Item, ItemKind, NewItem, Platform, Status};

/// Columns of an item as read, with the derived status computed against `?now`.
const ITEM_COLUMNS: &str =
    "SELECT i.id, i.platform, i.kind, i.handle, i.display_name, i.url, i.text, i.language,
       i.followers, i.reported_at, i.source_ref, i.priority, i.status,
       CASE WHEN i.lease_until > :now THEN u.name END,
       CASE WHEN i.lease_until > :now THEN i.lease_until END,
       coalesce(i.reported_url, i.url)";
const ITEM_FROM: &str = "FROM items i LEFT JOIN users u ON u.id = i.claimed_by";

fn item_from_row(r: &rusqlite::Row) -> rusqlite::Result<Item> {
    let conv = |i: usize, e: Error| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    };
    let platform: String = r.get(1)?;
    let kind: String = r.get(2)?;
    let reported: String = r.get(9)?;
    let status: String = r.get(12)?;
    let claimed_by: Option<String> = r.get(13)?;
    let lease: Option<String> = r.get(14)?;
    let mut status: Status = status.parse().map_err(|e| conv(12, e))?;
    if claimed_by.is_some() && matches!(status, Status::New | Status::Returned) {
        status = Status::InReview;
    }
    Ok(Item {
        id: r.get(0)?,
        fields: NewItem {
            platform: platform.parse::<Platform>().map_err(|e| conv(1, e))?,
            kind: kind.parse::<ItemKind>().map_err(|e| conv(2, e))?,
            handle: r.get(3)?,
            display_name: r.get(4)?,
            url: r.get(5)?,
            reported_url: r.get(15)?,
            text: r.get(6)?,
            language: r.get(7)?,
            followers: r.get(8)?,
            reported_at: parse_ts(&reported).map_err(|e| conv(9, e))?,
            source_ref: r.get(10)?,
            priority: r.get(11)?,
        },
        status,
        claimed_by,
        lease_until: lease
            .map(|l| parse_ts(&l))
            .transpose()
            .map_err(|e| conv(14, e))?,
    })
}

/// What the queue shows of an item.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct QueueRow {
    /// The item.
    #[serde(flatten)]
    pub item: Item,
    /// Number of evidence files attached.
    pub evidence_count: i64,
    /// Ids of items with a standing takedown whose handle key equals this item's: a quick
    /// mark straight from the store. The workstation then replaces it with every taken-down
    /// account the full mirror score puts at or above the threshold
    /// ([`crate::mirrors::possible_mirrors_in`]), a superset of these.
    pub mirror_of: Vec<i64>,
}

/// Queue ordering.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum QueueSort {
    /// Most urgent first, then oldest report first.
    #[default]
    Priority,
    /// Oldest report first.
    Reported,
    /// By platform, then priority.
    Platform,
    /// By handle.
    Handle,
    /// By display name.
    DisplayName,
    /// By status, then priority.
    Status,
    /// By claim holder.
    Assignee,
    /// By id.
    Id,
}

/// Which items to list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QueueFilter {
    /// Only these statuses, any of them (`in_review` means a live claim); empty for any.
    pub statuses: Vec<Status>,
    /// Only this platform.
    pub platform: Option<Platform>,
    /// Only items tagged with this group.
    pub group: Option<String>,
    /// Only items claimed by this user id.
    pub claimed_by: Option<i64>,
    /// An FTS5 match expression over handle, name, URL and text (already normalised).
    pub fts: Option<String>,
    /// Order.
    pub sort: QueueSort,
    /// Reverse the order.
    pub descending: bool,
    /// At most this many rows.
    pub limit: Option<i64>,
    /// Skip this many rows.
    pub offset: i64,
}

impl Tx<'_> {
    /// Inserts an item; `Ok(None)` if (platform, url) is already stored.
    pub fn insert_item(
        &self,
        item: &NewItem,
        search_text: &str,
        at: &str,
        created_seq: i64,
    ) -> Result<Option<i64>> {
        let n = self.tx.prepare_cached(
            "INSERT INTO items (platform, kind, handle, display_name, url, text, language, followers,
                                reported_at, source_ref, priority, search_text, created_at, created_seq, handle_key,
                                reported_url, fields_sha256)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
             ON CONFLICT (platform, url) DO NOTHING",
        )?.execute(params![
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
            ])?;
        Ok((n == 1).then(|| self.tx.last_insert_rowid()))
    }

    /// One item, with its status derived at `now`.
    pub fn item(&self, id: i64, now: DateTime<Utc>) -> Result<Item> {
        optional(self.tx.query_row(
            &format!("{ITEM_COLUMNS} {ITEM_FROM} WHERE i.id = :id"),
            rusqlite::named_params! {":now": fmt_ts(now), ":id": id},
            item_from_row,
        ))?
        .ok_or_else(|| Error::NotFound(format!("item #{id}")))
    }

    /// The claim on an item as stored, live or not: (user id, lease end).
    pub fn claim_of(&self, id: i64) -> Result<Option<(i64, String)>> {
        optional(self.tx.query_row(
            "SELECT claimed_by, lease_until FROM items WHERE id = ?1 AND claimed_by IS NOT NULL",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        ))
    }

    /// Sets or clears the claim on an item.
    pub fn set_claim(&self, id: i64, claim: Option<(i64, &str)>) -> Result<()> {
        let (user, until) = claim.map_or((None, None), |(u, t)| (Some(u), Some(t)));
        self.tx.execute(
            "UPDATE items SET claimed_by = ?2, lease_until = ?3 WHERE id = ?1",
            params![id, user, until],
        )?;
        Ok(())
    }

    /// Sets the stored status of an item.
    pub fn set_item_status(&self, id: i64, status: Status) -> Result<()> {
        self.tx.execute(
            "UPDATE items SET status = ?2 WHERE id = ?1",
            params![id, status.as_str()],
        )?;
        Ok(())
    }

    /// Number of items stored.
    pub fn item_count(&self) -> Result<i64> {
        Ok(self
            .tx
            .query_row("SELECT COUNT(*) FROM items", [], |r| r.get(0))?)
    }

    /// The queue: items matching `filter`, in its order, with their evidence counts.
    pub fn queue(&self, filter: &QueueFilter, now: DateTime<Utc>) -> Result<Vec<QueueRow>> {
        let now_s = fmt_ts(now);
        let mut wheres: Vec<String> = Vec::new();
        let mut args: Vec<(&str, Box<dyn ToSql>)> = vec![(":now", Box::new(now_s))];
        if !filter.statuses.is_empty() {
            let any: Vec<String> = filter
                .statuses
                .iter()
                .map(|status| match status {
                    Status::InReview => {
                        "(i.status IN ('new','returned') AND i.lease_until > :now)".to_string()
                    }
                    Status::New | Status::Returned => format!(
                        "(i.status = '{}' AND (i.lease_until IS NULL OR i.lease_until <= :now))",
                        status.as_str()
                    ),
                    // A fixed word of the enum, never user text.
                    other => format!("i.status = '{}'", other.as_str()),
                })
                .collect();
            wheres.push(format!("({})", any.join(" OR ")));
        }
        if let Some(p) = filter.platform {
            wheres.push("i.platform = :platform".into());
            args.push((":platform", Box::new(p.as_str())));
        }
        if let Some(g) = &filter.group {
            wheres.push("EXISTS (SELECT 1 FROM item_groups g WHERE g.item_id = i.id AND g.group_id = :group)".into());
            args.push((":group", Box::new(g.clone())));
        }
        if let Some(u) = filter.claimed_by {
            wheres.push("i.claimed_by = :user AND i.lease_until > :now".into());
            args.push((":user", Box::new(u)));
        }
        if let Some(q) = &filter.fts {
            wheres.push("i.id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH :fts)".into());
            args.push((":fts", Box::new(q.clone())));
        }
        let order = match filter.sort {
            QueueSort::Priority => "i.priority {d}, i.reported_at {d}, i.id {d}",
            QueueSort::Reported => "i.reported_at {d}, i.id {d}",
            QueueSort::Platform => "i.platform {d}, i.priority, i.id",
            QueueSort::Handle => "i.handle COLLATE NOCASE {d}, i.id",
            QueueSort::DisplayName => "i.display_name COLLATE NOCASE {d}, i.id",
            QueueSort::Status => "i.status {d}, i.priority, i.id",
            QueueSort::Assignee => {
                "(CASE WHEN i.lease_until > :now THEN u.name END) {d} NULLS LAST, i.id"
            }
            QueueSort::Id => "i.id {d}",
        }
        .replace("{d}", if filter.descending { "DESC" } else { "ASC" });
        let sql = format!(
            "WITH taken_down AS MATERIALIZED (
                 SELECT t.handle_key AS k, group_concat(t.id) AS ids FROM standing_takedowns p JOIN items t ON t.id = p.item_id
                  WHERE t.handle_key <> '' GROUP BY t.handle_key)
             {ITEM_COLUMNS}, (SELECT COUNT(*) FROM item_evidence e WHERE e.item_id = i.id),
                    (SELECT ids FROM taken_down WHERE k = i.handle_key)
             {ITEM_FROM} {} ORDER BY {order} LIMIT :limit OFFSET :offset",
            if wheres.is_empty() {
                String::new()
            } else {
                format!("WHERE {}", wheres.join(" AND "))
            },
        );
        args.push((":limit", Box::new(filter.limit.unwrap_or(-1))));
        args.push((":offset", Box::new(filter.offset)));
        let mut st = self.tx.prepare(&sql)?;
        let params: Vec<(&str, &dyn ToSql)> = args.iter().map(|(k, v)| (*k, v.as_ref())).collect();
        let rows = st
            .query_map(params.as_slice(), |r| {
                let mirrors: Option<String> = r.get(17)?;
                let item = item_from_row(r)?;
                let own = item.id;
                Ok(QueueRow {
                    item,
                    evidence_count: r.get(16)?,
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
            .map_err(fts_error)?
            .collect::<rusqlite::Result<_>>()
            .map_err(fts_error)?;
        Ok(rows)
    }
}

fn fts_error(e: rusqlite::Error) -> Error {
    match &e {
        rusqlite::Error::SqliteFailure(_, Some(m)) if m.contains("fts5") => {
            Error::invalid(format!("search text cannot be understood: {m}"))
        }
        _ => e.into(),
    }
}

impl Tx<'_> {
    /// Calls `f` with every item's id, stored fields and recorded digest, in id order.
    pub fn for_each_item_fields(
        &self,
        mut f: impl FnMut(i64, &NewItem, Option<&str>),
    ) -> Result<()> {
        let mut st = self.tx.prepare(&format!(
            "{ITEM_COLUMNS}, i.fields_sha256 {ITEM_FROM} ORDER BY i.id"
        ))?;
        let mut rows = st.query(rusqlite::named_params! { ":now": "" })?;
        while let Some(r) = rows.next()? {
            let item = item_from_row(r)?;
            let digest: Option<String> = r.get(16)?;
            f(item.id, &item.fields, digest.as_deref());
        }
        Ok(())
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
        let mut st = self
            .tx
            .prepare("UPDATE items SET fields_sha256 = ?2 WHERE id = ?1")?;
        for (id, d) in &missing {
            st.execute(params![id, d])?;
        }
        Ok(missing)
    }

    /// Every item with the event that created it: (id, created_seq).
    pub fn item_origins(&self) -> Result<Vec<(i64, i64)>> {
        let mut st = self
            .tx
            .prepare("SELECT id, created_seq FROM items ORDER BY id")?;
        let rows = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}

impl Tx<'_> {
    /// The version a derived column set was computed with.
    pub fn derived_version(&self, name: &str) -> Result<i64> {
        Ok(optional(self.tx.query_row(
            "SELECT version FROM derived_versions WHERE name = ?1",
            [name],
            |r| r.get(0),
        ))?
        .unwrap_or(0))
    }

    /// Records the version a derived column set was computed with.
    pub fn set_derived_version(&self, name: &str, version: i64) -> Result<()> {
        self.tx.execute(
            "INSERT INTO derived_versions (name, version) VALUES (?1, ?2)
             ON CONFLICT (name) DO UPDATE SET version = excluded.version",
            params![name, version],
        )?;
        Ok(())
    }

    /// Recomputes every item's search text and handle key with `f(handle, name, url, text)`.
    pub fn recompute_item_text(
        &self,
        f: impl Fn(&str, &str, &str, &str) -> (String, String),
    ) -> Result<usize> {
        let mut read = self
            .tx
            .prepare("SELECT id, handle, display_name, url, text FROM items")?;
        let rows: Vec<(i64, String, String, String, String)> = read
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut write = self
            .tx
            .prepare("UPDATE items SET search_text = ?2, handle_key = ?3 WHERE id = ?1")?;
        for (id, handle, name, url, text) in &rows {
            let (search, key) = f(handle, name, url, text);
            write.execute(params![id, search, key])?;
        }
        Ok(rows.len())
    }
}
