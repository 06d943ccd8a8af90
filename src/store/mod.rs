//! The SQLite store: connection set-up, migrations, transactions, and every SQL statement
//! of the program. Use cases open a transaction with [`Store::read`] or [`Store::write`] and
//! call the query methods of [`Tx`]; nothing outside this module sees SQL.
//!
//! A second backend (a shared PostgreSQL server) would implement the same [`Tx`] methods.

mod appeals;
mod audit;
pub mod busy;
mod decisions;
mod evidence;
mod items;
mod keys;
pub mod migrations;
mod pdq;
mod report;
mod requests;
pub mod staging;
mod tags;
mod taxonomy;
mod users;

pub use appeals::{AppealOutcomeRow, AppealRow};
pub use audit::EventRow;
pub use decisions::{ApprovalRow, DecisionRow, ProposalRow, ReturnRow};
pub use evidence::{EvidenceMeta, NewEvidence};
pub use items::{QueueFilter, QueueRow, QueueSort};
pub use keys::{KeyRow, SignatureRow};
pub use pdq::{HashListRow, ListEntry, MirrorVerdict, TakenDown};
pub use report::{ApprovedRow, ProposalTiming};
pub use requests::{RequestItemRow, RequestRow, ResponseRow, SendRow};
pub use tags::{TagLink, TagRow};
pub use taxonomy::TaxonomyVersion;
pub use users::{FailureCount, UserRow};

use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{Error, Result};

/// How long a writer waits for another desk's transaction before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The mark in every Parakh store's header (`PRAGMA application_id`), "PRKH" in ASCII.
/// A file with another mark, or an unmarked file that is not an earlier Parakh store, is
/// refused and left as it is.
pub const APPLICATION_ID: i32 = 0x5052_4B48;

/// An open store file.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// One transaction. All queries are methods of this type.
pub struct Tx<'a> {
    tx: rusqlite::Transaction<'a>,
}

impl Store {
    /// Opens the store at `path`, creating the file if `create` and it does not exist, and
    /// brings the schema up to date.
    pub fn open(path: &Path, create: bool) -> Result<Store> {
        if !create && !path.exists() {
            return Err(Error::NotFound(format!(
                "no Parakh store at {} (create one with `parakh init` or `parakh demo`)",
                path.display()
            )));
        }
        if create
            && let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
        }
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        if create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let conn = Connection::open_with_flags(path, flags)
            .map_err(|e| Error::invalid(format!("cannot open store {}: {e}", path.display())))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let marked = check_own(&conn, path, create)?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(|e| {
                Error::invalid(format!("{} is not a Parakh store: {e}", path.display()))
            })?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::invalid(format!(
                "{} cannot use write-ahead logging (mode {mode})",
                path.display()
            )));
        }
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.migrate()?;
        if !marked {
            let tx = store
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID}"))?;
            tx.commit()?;
        }
        Ok(store)
    }

    /// The file this store lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    fn migrate(&mut self) -> Result<()> {
        let current = self.schema_version()? as usize;
        if current > migrations::MIGRATIONS.len() {
            return Err(Error::invalid(format!(
                "{} has schema version {current}, newer than this program knows ({}); update Parakh",
                self.path.display(),
                migrations::MIGRATIONS.len()
            )));
        }
        for (i, sql) in migrations::MIGRATIONS.iter().enumerate().skip(current) {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Another desk may have migrated while we waited for the lock.
            let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if now as usize > i {
                continue;
            }
            tx.execute_batch(sql)?;
            tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1))?;
            tx.commit()?;
        }
        Ok(())
    }

    /// A number that changes whenever another connection (another window or desk)
    /// commits to the store; the GUI polls it to refresh what it shows.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// Runs `f` in a read transaction (a consistent snapshot).
    pub fn read<T>(&mut self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        let tx = Tx {
            tx: self
                .conn
                .transaction_with_behavior(TransactionBehavior::Deferred)?,
        };
        f(&tx)
    }

    /// Runs `f` in a write transaction, committing if it returns `Ok` and rolling back
    /// otherwise: every write of one action lands together or not at all.
    pub fn write<T>(&mut self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        let begun = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate);
        let tx = match begun {
            Ok(tx) => Tx { tx },
            Err(e) => return Err(busy_or(&self.path, e)),
        };
        let out = f(&tx)?;
        tx.tx.commit()?;
        Ok(out)
    }
}

/// Refuses a file that is not a Parakh store before anything is written to it. Accepts a
/// marked store, an unmarked store of an earlier Parakh (schema version set, its tables
/// present), and, when `create`, a database with nothing in it. Returns whether the file
/// already carries the mark.
fn check_own(conn: &Connection, path: &Path, create: bool) -> Result<bool> {
    let not_sqlite = |e: rusqlite::Error| {
        Error::invalid(format!(
            "{} is not a Parakh store (not an SQLite database: {e})",
            path.display()
        ))
    };
    let app: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(not_sqlite)?;
    if app == APPLICATION_ID {
        return Ok(true);
    }
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let objects: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    let parakh_tables: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('audit_events', 'items', 'users')",
        [],
        |r| r.get(0),
    )?;
    let refuse = |why: &str| {
        Err(Error::invalid(format!(
            "{} is not a Parakh store ({why}); Parakh leaves it as it is",
            path.display()
        )))
    };
    if app != 0 {
        return refuse(&format!(
            "it belongs to another program, application id {app:#x}"
        ));
    }
    if version > 0 && parakh_tables == 3 {
        return Ok(false);
    }
    if objects == 0 && version == 0 {
        if create {
            return Ok(false);
        }
        return refuse("it is empty; create a store with `parakh init` or `parakh demo`");
    }
    refuse("it is another program's SQLite database")
}

/// A failure to begin a write: when another desk's long write has put up its note, the
/// error names it.
fn busy_or(path: &Path, e: rusqlite::Error) -> Error {
    let busy = matches!(&e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::DatabaseBusy);
    match busy.then(|| busy::read_note(path)).flatten() {
        Some(note) => Error::Busy(note),
        None => e.into(),
    }
}

/// Turns "no row" into `None`.
pub(crate) fn optional<T>(r: rusqlite::Result<T>) -> Result<Option<T>> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(rusqlite::Error::QueryReturnedNoRows) => Ok(None),
        Err(e) => Err(e.into()),
    }
}
