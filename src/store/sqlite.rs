//! The SQLite backend: one desk's store file. Opens and marks the file, upgrades its schema
//! ([`super::migrations`], numbered by `PRAGMA user_version`), begins transactions
//! (`BEGIN IMMEDIATE` for writes: one writer at a time) and runs the core's statements.

use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::path::{Path, PathBuf};

use super::sql::{Conn, Dialect, Row, Value};
use super::{BUSY_TIMEOUT, busy, migrations};
use crate::error::{Error, Result};

/// The mark in every Parakh store's header (`PRAGMA application_id`), "PRKH" in ASCII.
/// A file with another mark, or an unmarked file that is not an earlier Parakh store, is
/// refused and left as it is.
pub const APPLICATION_ID: i32 = 0x5052_4B48;

/// An open store file.
pub struct Db {
    conn: Connection,
    path: PathBuf,
}

/// An open transaction on the file.
pub struct SqliteTx<'c> {
    tx: rusqlite::Transaction<'c>,
}

impl Db {
    /// Opens the store at `path`, creating the file if `create` and it does not exist, and
    /// brings the schema up to date.
    pub fn open(path: &Path, create: bool) -> Result<Db> {
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
        conn.set_prepared_statement_cache_capacity(128);
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
        let mut store = Db {
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

    /// The newest event's sequence number (0 for an empty trail), outside a transaction.
    pub fn head_seq(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT coalesce(max(seq), 0) FROM audit_events", [], |r| {
                r.get(0)
            })?)
    }

    /// Begins a transaction: deferred for reading (a consistent snapshot), immediate for
    /// writing (waits up to [`BUSY_TIMEOUT`] for another writer).
    pub fn begin(&mut self, write: bool) -> Result<SqliteTx<'_>> {
        let behavior = if write {
            TransactionBehavior::Immediate
        } else {
            TransactionBehavior::Deferred
        };
        match self.conn.transaction_with_behavior(behavior) {
            Ok(tx) => Ok(SqliteTx { tx }),
            Err(e) if write => Err(busy_or(&self.path, e)),
            Err(e) => Err(e.into()),
        }
    }
}

impl SqliteTx<'_> {
    /// Commits the transaction.
    pub fn commit(self) -> Result<()> {
        Ok(self.tx.commit()?)
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Int(i) => ValueRef::Integer(*i),
            Value::Real(f) => ValueRef::Real(*f),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
            Value::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

fn value_of(v: rusqlite::types::ValueRef<'_>) -> Value {
    use rusqlite::types::ValueRef;
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Real(f) => Value::Real(f),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

impl Conn for SqliteTx<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn execute(&self, sql: &str, args: &[Value]) -> Result<u64> {
        let mut st = self.tx.prepare_cached(sql)?;
        Ok(st.execute(rusqlite::params_from_iter(args))? as u64)
    }

    fn query(
        &self,
        sql: &str,
        args: &[Value],
        f: &mut dyn FnMut(&Row) -> Result<bool>,
    ) -> Result<()> {
        let mut st = self.tx.prepare_cached(sql)?;
        let n = st.column_count();
        let mut rows = st.query(rusqlite::params_from_iter(args))?;
        let mut values = Vec::with_capacity(n);
        while let Some(r) = rows.next()? {
            values.clear();
            for i in 0..n {
                values.push(value_of(r.get_ref(i)?));
            }
            if !f(&Row::new(&values))? {
                break;
            }
        }
        Ok(())
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
