//! Taxonomy use cases: the shipped default, lead imports of replacement files, look-ups.

use serde_json::json;
use std::path::Path;

use crate::error::{Error, Result};
use crate::model::Role;
use crate::model::TaxonomyVersion;
use crate::model::canonical::sha256_hex;
use crate::model::taxonomy::{Ground, Group, Taxonomy};
use crate::workspace::{SYSTEM_ACTOR, Session, Workspace, record};

/// The default taxonomy shipped in `assets/taxonomy.toml`.
pub const DEFAULT_TAXONOMY: &str = include_str!("../assets/taxonomy.toml");

/// Installs the default taxonomy as version 1 if the store has none. Returns whether it did.
pub fn install_default(ws: &mut Workspace) -> Result<bool> {
    let t = Taxonomy::parse(DEFAULT_TAXONOMY)?;
    let now = ws.now();
    ws.store().write(|tx| {
        if tx.current_taxonomy()?.is_some() {
            return Ok(false);
        }
        let sha = sha256_hex(DEFAULT_TAXONOMY.as_bytes());
        let seq = tx.next_event_seq()?;
        let version = tx.insert_taxonomy(&t, DEFAULT_TAXONOMY, &sha, now, SYSTEM_ACTOR, seq)?;
        record(
            tx,
            now,
            SYSTEM_ACTOR,
            "taxonomy_import",
            None,
            payload(&t, version, &sha, "default"),
        )?;
        Ok(true)
    })
}

fn payload(t: &Taxonomy, version: i64, sha: &str, source: &str) -> serde_json::Value {
    json!({
        "version": version, "label": t.list_version, "sha256": sha, "source": source,
        "groups": t.groups.len(), "grounds": t.grounds.len(),
    })
}

/// Imports a replacement taxonomy file as a new version. Leads only. Existing tags keep
/// pointing at the version they were made under.
pub fn import(ws: &mut Workspace, s: &Session, path: &Path) -> Result<i64> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
    let t = Taxonomy::parse(&text)?;
    let now = ws.now();
    let signer = ws.signer(s)?;
    ws.store_as(s).write(|tx| {
        let me = crate::auth::current_user(tx, s)?;
        if me.role != Role::Lead {
            return Err(Error::rule(format!(
                "only a lead may import a taxonomy ('{}' is {})",
                me.name, me.role
            )));
        }
        let sha = sha256_hex(text.as_bytes());
        let seq = tx.next_event_seq()?;
        let version = tx.insert_taxonomy(&t, &text, &sha, now, &me.name, seq)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        crate::keys::record_signed(
            tx,
            &signer,
            now,
            "taxonomy_import",
            None,
            payload(&t, version, &sha, &name),
            None,
        )?;
        Ok(version)
    })
}

/// The current taxonomy: its version, groups and grounds.
pub fn current(ws: &mut Workspace) -> Result<(TaxonomyVersion, Vec<Group>, Vec<Ground>)> {
    ws.store().read(|tx| {
        let v = tx
            .current_taxonomy()?
            .ok_or_else(|| Error::NotFound("taxonomy (run `parakh init`)".into()))?;
        Ok((v.clone(), tx.groups(v.version)?, tx.grounds(v.version)?))
    })
}
