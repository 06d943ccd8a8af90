//! The taxonomy file: proscribed groups and legal grounds, as shipped in
//! `assets/taxonomy.toml` or imported by a lead.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

use crate::error::{Error, Result};

/// A proscribed group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// Stable id, e.g. `ttp`.
    pub id: String,
    /// Short name, e.g. `TTP`.
    pub short: String,
    /// Full name.
    pub name: String,
    /// Other names the group goes by.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Date of proscription in Pakistan (`YYYY-MM-DD`), when known.
    #[serde(default, rename = "proscribed_pk")]
    pub proscribed: Option<String>,
    /// Designations elsewhere (UN, US, UK).
    #[serde(default)]
    pub other_designations: Vec<String>,
    /// Free note.
    #[serde(default)]
    pub note: Option<String>,
    /// Whether the facts were checked against the official text.
    pub verified: bool,
}

/// A legal ground a decision can rest on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ground {
    /// Stable id, e.g. `peca-9`.
    pub id: String,
    /// The statute.
    pub statute: String,
    /// Section, article or point.
    pub section: String,
    /// Short title.
    pub title: String,
    /// What the provision says, in brief.
    #[serde(default)]
    pub summary: Option<String>,
    /// Whether the facts were checked against the official text.
    pub verified: bool,
}

impl Ground {
    /// The section as cited: see [`cite_section`].
    pub fn cited_section(&self) -> String {
        cite_section(&self.section)
    }
}

/// A section as cited: `s.9` for a numbered section, as written otherwise (`point 11` of the
/// National Action Plan).
pub fn cite_section(section: &str) -> String {
    if section.starts_with(|c: char| c.is_ascii_digit()) {
        format!("s.{section}")
    } else {
        section.to_string()
    }
}

/// Platform response windows, in hours.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Platforms {
    /// Display names of the platforms.
    #[serde(default)]
    pub names: Vec<String>,
    /// Ordinary response window.
    pub response_window_hours: u32,
    /// Emergency response window.
    pub emergency_window_hours: u32,
}

/// A whole taxonomy file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Taxonomy {
    /// Label of this list, e.g. `2025-11 default (unofficial compilation)`.
    pub list_version: String,
    /// The groups.
    #[serde(rename = "group", default)]
    pub groups: Vec<Group>,
    /// The grounds.
    #[serde(rename = "ground", default)]
    pub grounds: Vec<Ground>,
    /// Response windows.
    #[serde(default)]
    pub platforms: Option<Platforms>,
}

impl Taxonomy {
    /// Parses and validates a taxonomy TOML file: ids present, lower-case, unique;
    /// dates in `YYYY-MM-DD`; at least one group and one ground.
    pub fn parse(text: &str) -> Result<Self> {
        let t: Taxonomy = toml::from_str(text)
            .map_err(|e| Error::invalid(format!("taxonomy file is not valid: {e}")))?;
        let mut problems = Vec::new();
        if t.list_version.trim().is_empty() {
            problems.push("list_version is empty".to_string());
        }
        if t.groups.is_empty() {
            problems.push("no [[group]] entries".to_string());
        }
        if t.grounds.is_empty() {
            problems.push("no [[ground]] entries".to_string());
        }
        let check_id =
            |kind: &str, id: &str, seen: &mut HashSet<String>, problems: &mut Vec<String>| {
                let ok = !id.is_empty()
                    && id.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'
                    });
                if !ok {
                    problems.push(format!(
                        "{kind} id '{id}' must be lower-case letters, digits, '-' or '_'"
                    ));
                }
                if !seen.insert(id.to_string()) {
                    problems.push(format!("{kind} id '{id}' appears twice"));
                }
            };
        let mut seen = HashSet::new();
        for g in &t.groups {
            check_id("group", &g.id, &mut seen, &mut problems);
            if let Some(d) = &g.proscribed
                && chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err()
            {
                problems.push(format!(
                    "group '{}': proscribed_pk '{d}' is not YYYY-MM-DD",
                    g.id
                ));
            }
            if g.short.trim().is_empty() || g.name.trim().is_empty() {
                problems.push(format!("group '{}': short and name are required", g.id));
            }
        }
        let mut seen = HashSet::new();
        for g in &t.grounds {
            check_id("ground", &g.id, &mut seen, &mut problems);
            if g.statute.trim().is_empty()
                || g.section.trim().is_empty()
                || g.title.trim().is_empty()
            {
                problems.push(format!(
                    "ground '{}': statute, section and title are required",
                    g.id
                ));
            }
        }
        if problems.is_empty() {
            Ok(t)
        } else {
            Err(Error::invalid(format!(
                "taxonomy file refused:\n  {}",
                problems.join("\n  ")
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Ground;

    fn ground(section: &str) -> Ground {
        Ground {
            id: "x".into(),
            statute: "Statute".into(),
            section: section.into(),
            title: "t".into(),
            summary: None,
            verified: true,
        }
    }

    #[test]
    fn numbered_sections_are_cited_with_s_and_others_as_written() {
        assert_eq!(ground("9").cited_section(), "s.9");
        assert_eq!(ground("11-B").cited_section(), "s.11-B");
        assert_eq!(ground("point 11").cited_section(), "point 11");
    }
}

/// One imported taxonomy version.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct TaxonomyVersion {
    /// Version number, from 1.
    pub version: i64,
    /// The file's `list_version` label.
    pub label: String,
    /// SHA-256 of the imported file.
    pub source_sha256: String,
    /// When.
    #[serde(serialize_with = "crate::clock::ser_ts")]
    pub imported_at: DateTime<Utc>,
    /// By whom.
    pub imported_by: String,
}
