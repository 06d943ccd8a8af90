//! A note beside the store saying that a long write (an import being stored) holds the
//! write lock, so that other desks can say who they are waiting for instead of only
//! "database is locked". The note is advisory: the lock itself is SQLite's.

use std::fs::{self, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The note's file: the store's name with `.busy` added.
pub fn note_path(store: &Path) -> PathBuf {
    let mut s = store.as_os_str().to_owned();
    s.push(".busy");
    PathBuf::from(s)
}

/// The note, while it is up; removed when dropped.
pub struct BusyNote {
    path: PathBuf,
}

impl BusyNote {
    /// Puts up the note saying `what` holds the store. A note left by a process that died
    /// is replaced. Never fails the write it describes: without a note, others see the
    /// plain "busy" message.
    pub fn put(store: &Path, what: &str) -> BusyNote {
        let path = note_path(store);
        let _ = fs::remove_file(&path);
        let text: String = what.chars().take(500).collect();
        if let Ok(mut f) = OpenOptions::new().write(true).create_new(true).open(&path) {
            let _ = f.write_all(text.as_bytes());
        }
        BusyNote { path }
    }
}

impl Drop for BusyNote {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// What the note says, if one is up (at most 500 characters; a link is not followed).
pub fn read_note(store: &Path) -> Option<String> {
    let path = note_path(store);
    let meta = fs::symlink_metadata(&path).ok()?;
    if !meta.is_file() {
        return None;
    }
    let mut text = String::new();
    fs::File::open(&path)
        .ok()?
        .take(2000)
        .read_to_string(&mut text)
        .ok()?;
    let text: String = text.chars().take(500).collect();
    let text = crate::model::text::terminal_safe(text.trim()).into_owned();
    (!text.is_empty()).then_some(text)
}
