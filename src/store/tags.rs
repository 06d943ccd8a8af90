//! Group and legal-ground tags on items.

use super::Tx;
use super::sql::Row;
use crate::args;
use crate::error::Result;
use crate::model::taxonomy::cite_section;
use crate::model::{TagLink, TagRow};
use chrono::{DateTime, Utc};

impl Tx<'_> {
    /// The tags of an item: groups first, then grounds, each by id.
    pub fn item_tags(&self, item: i64) -> Result<Vec<TagRow>> {
        let mut out = self.rows(
            "SELECT t.group_id, g.short, g.name, t.taxonomy_version, g.verified, t.tagged_by, t.tagged_at, t.event_seq
               FROM item_groups t JOIN groups g ON g.version = t.taxonomy_version AND g.id = t.group_id
              WHERE t.item_id = ?1 ORDER BY t.group_id",
            args![item],
            |r| tag_from_row("group", r),
        )?;
        out.extend(self.rows(
            "SELECT t.ground_id, g.statute, g.title, t.taxonomy_version, g.verified,
                    t.tagged_by, t.tagged_at, t.event_seq, g.section
               FROM item_grounds t JOIN grounds g ON g.version = t.taxonomy_version AND g.id = t.ground_id
              WHERE t.item_id = ?1 ORDER BY t.ground_id",
            args![item],
            |r| {
                // The label: the statute and the section as cited (`PECA 2016 s.9`).
                let mut tag = tag_from_row("ground", r)?;
                let section: String = r.get(8)?;
                tag.label = format!("{} {}", tag.label, cite_section(&section));
                Ok(tag)
            },
        )?);
        Ok(out)
    }

    /// Adds a tag; `false` if the item already carries it.
    #[allow(clippy::too_many_arguments)]
    pub fn insert_tag(
        &self,
        kind: &str,
        item: i64,
        id: &str,
        version: i64,
        by: &str,
        at: DateTime<Utc>,
        seq: i64,
    ) -> Result<bool> {
        let sql = if kind == "group" {
            "INSERT INTO item_groups (item_id, group_id, taxonomy_version, tagged_by, tagged_at, event_seq)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING"
        } else {
            "INSERT INTO item_grounds (item_id, ground_id, taxonomy_version, tagged_by, tagged_at, event_seq)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING"
        };
        Ok(self.exec(sql, args![item, id, version, by, at, seq])? == 1)
    }

    /// Removes a tag; `false` if the item did not carry it.
    pub fn delete_tag(&self, kind: &str, item: i64, id: &str) -> Result<bool> {
        let sql = if kind == "group" {
            "DELETE FROM item_groups WHERE item_id = ?1 AND group_id = ?2"
        } else {
            "DELETE FROM item_grounds WHERE item_id = ?1 AND ground_id = ?2"
        };
        Ok(self.exec(sql, args![item, id])? == 1)
    }

    /// Every tag of every item, for integrity checks.
    pub fn all_tags(&self) -> Result<Vec<TagLink>> {
        let mut out = Vec::new();
        for (kind, sql) in [
            (
                "group",
                "SELECT item_id, group_id, taxonomy_version, tagged_by, event_seq FROM item_groups ORDER BY rowid",
            ),
            (
                "ground",
                "SELECT item_id, ground_id, taxonomy_version, tagged_by, event_seq FROM item_grounds ORDER BY rowid",
            ),
        ] {
            out.extend(self.rows(sql, args![], |r| {
                Ok(TagLink {
                    kind,
                    item: r.get(0)?,
                    id: r.get(1)?,
                    version: r.get(2)?,
                    by: r.get(3)?,
                    event_seq: r.get(4)?,
                })
            })?);
        }
        Ok(out)
    }
}

fn tag_from_row(kind: &'static str, r: &Row) -> Result<TagRow> {
    Ok(TagRow {
        kind,
        id: r.get(0)?,
        label: r.get(1)?,
        title: r.get(2)?,
        taxonomy_version: r.get(3)?,
        verified: r.get(4)?,
        tagged_by: r.get(5)?,
        tagged_at: r.get(6)?,
        event_seq: r.get(7)?,
    })
}
