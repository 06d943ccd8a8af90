//! Checking one row of an import: the fields, the time, the URL, the evidence paths.

use std::path::{Path, PathBuf};

use super::RawRow;
use crate::clock::{fmt_ts, parse_ts};
use crate::error::{Error, Result};
use crate::model::item::PRIORITY_RANGE;
use crate::model::{ItemKind, NewItem, Platform};

fn int_field(
    v: &Option<serde_json::Value>,
    name: &str,
) -> std::result::Result<Option<i64>, String> {
    match v {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| format!("{name} '{n}' is not a whole number")),
        Some(serde_json::Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(serde_json::Value::String(s)) => s
            .trim()
            .replace([',', '_'], "")
            .parse::<i64>()
            .map(Some)
            .map_err(|_| format!("{name} '{s}' is not a whole number")),
        Some(other) => Err(format!("{name} {other} is not a whole number")),
    }
}

/// Checks one row; returns the item or every problem with it.
pub fn check_row(
    row: &RawRow,
    now: chrono::DateTime<chrono::Utc>,
) -> std::result::Result<NewItem, Vec<String>> {
    let mut p = Vec::new();
    let platform = row
        .platform
        .parse::<Platform>()
        .map_err(|e| p.push(e.to_string()))
        .ok();
    let kind = row
        .kind
        .parse::<ItemKind>()
        .map_err(|e| p.push(e.to_string()))
        .ok();
    if row.handle.trim().is_empty() {
        p.push("handle is empty".into());
    }
    let url = row.url.trim();
    match url::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {}
        Ok(_) => p.push(format!("url '{url}' must be an http or https address")),
        Err(e) => p.push(format!("url '{url}' is not a URL ({e})")),
    }
    let reported_at = if row.reported_at.trim().is_empty() {
        p.push("reported_at is empty".into());
        None
    } else {
        parse_ts(&row.reported_at)
            .map_err(|e| p.push(e.to_string()))
            .ok()
            .filter(|t| {
                // A report cannot come from the future; a day's leeway covers clocks and zones.
                let late = *t > now + chrono::Duration::days(1);
                if late {
                    p.push(format!(
                        "reported_at {} is in the future (more than a day after {})",
                        row.reported_at.trim(),
                        fmt_ts(now)
                    ));
                }
                !late
            })
    };
    let followers = int_field(&row.followers, "followers")
        .map_err(|e| p.push(e))
        .ok()
        .flatten();
    if followers.is_some_and(|f| f < 0) {
        p.push("followers cannot be negative".into());
    }
    let priority = int_field(&row.priority, "priority")
        .map_err(|e| p.push(e))
        .ok()
        .flatten()
        .unwrap_or(3);
    if !PRIORITY_RANGE.contains(&priority) {
        p.push(format!("priority {priority} is outside 1-5"));
    }
    if !p.is_empty() {
        return Err(p);
    }
    Ok(NewItem {
        platform: platform.expect("checked"),
        kind: kind.expect("checked"),
        handle: row.handle.trim().to_string(),
        display_name: row.display_name.trim().to_string(),
        url: crate::model::url::normalise(url),
        reported_url: url.to_string(),
        text: row.text.trim().to_string(),
        language: row.language.trim().to_string(),
        followers,
        reported_at: reported_at.expect("checked"),
        source_ref: row.source_ref.trim().to_string(),
        priority,
    })
}

/// The file an import row's evidence path names, which must lie inside the import file's
/// folder `base` once links are followed. Absolute paths, `..` and links leading out are
/// refused without looking at (or saying anything about) what lies outside.
pub(super) fn confined(base: &Path, p: &str) -> Result<PathBuf> {
    let outside = || {
        Error::invalid(format!(
            "'{p}' is outside the import file's folder; evidence paths are relative to it and stay inside it"
        ))
    };
    let rel = Path::new(p);
    if rel.is_absolute()
        || rel.components().any(|c| {
            !matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            )
        })
    {
        return Err(outside());
    }
    let base = if base.as_os_str().is_empty() {
        Path::new(".")
    } else {
        base
    };
    let root = std::fs::canonicalize(base)
        .map_err(|e| Error::io(format!("finding the folder {}", base.display()), e))?;
    let full = std::fs::canonicalize(root.join(rel)).map_err(|_| {
        Error::invalid(format!("'{p}' cannot be found in the import file's folder"))
    })?;
    if !full.starts_with(&root) {
        return Err(outside());
    }
    Ok(full)
}
