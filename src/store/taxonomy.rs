//! Taxonomy versions, groups and grounds.

use super::Tx;
use crate::args;
use crate::error::Result;
use crate::model::TaxonomyVersion;
use crate::model::taxonomy::{Ground, Group, Taxonomy};
use chrono::{DateTime, Utc};

impl Tx<'_> {
    /// The newest taxonomy version, if any.
    pub fn current_taxonomy(&self) -> Result<Option<TaxonomyVersion>> {
        self.row(
            "SELECT version, label, source_sha256, imported_at, imported_by FROM taxonomy_versions
              ORDER BY version DESC LIMIT 1",
            args![],
            |r| {
                Ok(TaxonomyVersion {
                    version: r.get(0)?,
                    label: r.get(1)?,
                    source_sha256: r.get(2)?,
                    imported_at: r.get(3)?,
                    imported_by: r.get(4)?,
                })
            },
        )
    }

    /// Stores a taxonomy as a new version and returns its number.
    pub fn insert_taxonomy(
        &self,
        t: &Taxonomy,
        source: &str,
        sha: &str,
        at: DateTime<Utc>,
        by: &str,
        seq: i64,
    ) -> Result<i64> {
        // The key of taxonomy_versions is `version`, not `id`.
        let version: i64 = self.value(
            "INSERT INTO taxonomy_versions (label, source_sha256, source, imported_at, imported_by, event_seq)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING version",
            args![t.list_version, sha, source, at, by, seq],
        )?;
        for g in &t.groups {
            self.exec(
                "INSERT INTO groups (version, id, short, name, aliases, proscribed, designations, note, verified)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                args![
                    version,
                    g.id,
                    g.short,
                    g.name,
                    serde_json::to_string(&g.aliases).expect("strings serialise"),
                    g.proscribed,
                    serde_json::to_string(&g.other_designations).expect("strings serialise"),
                    g.note,
                    g.verified
                ],
            )?;
        }
        for g in &t.grounds {
            self.exec(
                "INSERT INTO grounds (version, id, statute, section, title, summary, verified)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                args![
                    version, g.id, g.statute, g.section, g.title, g.summary, g.verified
                ],
            )?;
        }
        Ok(version)
    }

    /// The groups of one taxonomy version, by short name.
    pub fn groups(&self, version: i64) -> Result<Vec<Group>> {
        self.rows(
            "SELECT id, short, name, aliases, proscribed, designations, note, verified FROM groups
              WHERE version = ?1 ORDER BY short COLLATE NOCASE",
            args![version],
            |r| {
                let aliases: String = r.get(3)?;
                let designations: String = r.get(5)?;
                Ok(Group {
                    id: r.get(0)?,
                    short: r.get(1)?,
                    name: r.get(2)?,
                    aliases: serde_json::from_str(&aliases).unwrap_or_default(),
                    proscribed: r.get(4)?,
                    other_designations: serde_json::from_str(&designations).unwrap_or_default(),
                    note: r.get(6)?,
                    verified: r.get(7)?,
                })
            },
        )
    }

    /// The legal grounds of one taxonomy version, by statute and section.
    pub fn grounds(&self, version: i64) -> Result<Vec<Ground>> {
        self.rows(
            "SELECT id, statute, section, title, summary, verified FROM grounds WHERE version = ?1 ORDER BY rowid",
            args![version],
            |r| {
                Ok(Ground {
                    id: r.get(0)?,
                    statute: r.get(1)?,
                    section: r.get(2)?,
                    title: r.get(3)?,
                    summary: r.get(4)?,
                    verified: r.get(5)?,
                })
            },
        )
    }
}

impl Tx<'_> {
    /// The source text of the newest taxonomy version, if any.
    pub fn current_taxonomy_source(&self) -> Result<Option<String>> {
        self.row(
            "SELECT source FROM taxonomy_versions ORDER BY version DESC LIMIT 1",
            args![],
            |r| r.get(0),
        )
    }
}
