//! Items and claims (the queue is in queue.rs).

use chrono::{DateTime, Utc};

use super::Tx;
use super::sql::Row;
use crate::args;
use crate::clock::fmt_ts;
use crate::error::{Error, Result};
use crate::model::text::handle_key;
use crate::model::{Item, ItemKind, NewItem, Platform, Status};

/// Columns of an item as read, with the derived status computed against `now`, which
/// every statement using them binds as `?1`.
pub(super) const ITEM_COLUMNS: &str =
    "SELECT i.id, i.platform, i.kind, i.handle, i.display_name, i.url, i.text, i.language,
       i.followers, i.reported_at, i.source_ref, i.priority, i.status,
       CASE WHEN i.lease_until > ?1 THEN u.name END,
       CASE WHEN i.lease_until > ?1 THEN i.lease_until END,
       coalesce(i.reported_url, i.url)";
pub(super) const ITEM_FROM: &str = "FROM items i LEFT JOIN users u ON u.id = i.claimed_by";

pub(super) fn item_from_row(r: &Row) -> Result<Item> {
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
