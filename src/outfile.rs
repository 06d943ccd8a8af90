//! Files Parakh writes for people to take away (decision exports, reports, evidence), and
//! the audit event that records each one leaving.
//!
//! A file is written whole or not at all: into a temporary file created exclusively in the
//! same folder (never following a link), then put in place. An existing file is replaced only
//! when the person asked for it (`--force`); a symbolic link and the open store (or its WAL
//! and shared-memory files) are never written over.

use serde_json::{Value, json};
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::workspace::{Session, Workspace, record};

/// Writes `bytes` to `out` and appends a `data_out` event naming `what` left and where to,
/// in one step: the event is recorded only if the file was put in place, and the file is
/// removed again if the event cannot be recorded. Recorded as the signed-in person or,
/// without a session, as [`crate::import::local_actor`].
pub fn write_recorded(
    ws: &mut Workspace,
    s: Option<&Session>,
    out: &Path,
    bytes: &[u8],
    force: bool,
    what: Value,
) -> Result<()> {
    let target = check_target(ws.path(), out, force)?;
    let replaced = target.exists();
    let tmp = write_temporary(&target, bytes)?;
    let now = ws.now();
    let actor = s.map_or_else(crate::import::local_actor, |s| s.name.clone());
    let mut put = false;
    let done = ws.store_as_opt(s).write(|tx| {
        let payload = json!({
            "what": what,
            "to": target.display().to_string(),
            "bytes": bytes.len(),
            "replaced": replaced,
        });
        record(tx, now, &actor, "data_out", None, payload)?;
        place(&tmp, &target, force)?;
        put = true;
        Ok(())
    });
    if done.is_err() {
        let _ = fs::remove_file(&tmp);
        if put {
            // Put in place, but the commit failed: no unrecorded file is left behind.
            let _ = fs::remove_file(&target);
        }
    }
    done
}

/// Where `out` would be written, refusing links, folders, the open store, and an existing
/// file unless `force`.
fn check_target(store: &Path, out: &Path, force: bool) -> Result<PathBuf> {
    let name = out
        .file_name()
        .ok_or_else(|| Error::invalid(format!("{} names no file", out.display())))?;
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let dir = fs::canonicalize(dir)
        .map_err(|e| Error::io(format!("finding the folder of {}", out.display()), e))?;
    let target = dir.join(name);
    if let Ok(store) = fs::canonicalize(store) {
        let store_files = ["", "-wal", "-shm", "-journal"].map(|suffix| {
            let mut s = store.clone().into_os_string();
            s.push(suffix);
            PathBuf::from(s)
        });
        if store_files.contains(&target) {
            return Err(Error::invalid(format!(
                "{} is the open store; write the file somewhere else",
                out.display()
            )));
        }
    }
    match fs::symlink_metadata(&target) {
        Ok(m) if m.file_type().is_symlink() => Err(Error::invalid(format!(
            "{} is a symbolic link; Parakh does not write through links",
            out.display()
        ))),
        Ok(m) if !m.is_file() => Err(Error::invalid(format!(
            "{} exists and is not a file",
            out.display()
        ))),
        Ok(_) if !force => Err(Error::invalid(format!(
            "{} already exists; choose another name, or replace it with --force",
            out.display()
        ))),
        _ => Ok(target),
    }
}

/// Writes `bytes` to a new temporary file beside `target`; exclusive creation means an
/// existing file or link of that name is never opened.
fn write_temporary(target: &Path, bytes: &[u8]) -> Result<PathBuf> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    for attempt in 0..100u32 {
        let tmp = dir.join(format!(".{name}.partial-{}-{attempt}", std::process::id()));
        let file = OpenOptions::new().write(true).create_new(true).open(&tmp);
        let mut f = match file {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::io(format!("creating {}", tmp.display()), e)),
        };
        let written = f.write_all(bytes).and_then(|()| f.sync_all());
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp);
            return Err(Error::io(format!("writing {}", tmp.display()), e));
        }
        return Ok(tmp);
    }
    Err(Error::invalid(format!(
        "cannot create a temporary file beside {}",
        target.display()
    )))
}

/// Puts the temporary file in place. Without `force` a hard link does it, which fails if a
/// file of that name appeared meanwhile, rather than replacing it.
fn place(tmp: &Path, target: &Path, force: bool) -> Result<()> {
    let placed = if force {
        fs::rename(tmp, target)
    } else {
        match fs::hard_link(tmp, target) {
            Ok(()) => fs::remove_file(tmp),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
            // A file system without hard links: check, then rename.
            Err(_) if target.exists() => Err(std::io::ErrorKind::AlreadyExists.into()),
            Err(_) => fs::rename(tmp, target),
        }
    };
    placed.map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => Error::invalid(format!(
            "{} already exists; choose another name, or replace it with --force",
            target.display()
        )),
        _ => Error::io(format!("writing {}", target.display()), e),
    })
}
