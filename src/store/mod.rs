//! The store: transactions and every SQL statement of the program. Use cases open a
//! transaction with [`Store::read`] or [`Store::write`] and call the query methods of
//! [`Tx`]; nothing outside this module sees SQL or knows which database is behind it.
//!
//! Each query is written once, in `Tx`'s methods, against the small core of [`sql`]
//! (run a statement, run a query row by row). A backend implements that core, opens and
//! upgrades its own schema (with the database rules as triggers) and begins transactions:
//! [`sqlite`] for one desk's file, [`postgres`] for a unit's shared server.

mod appeals;
mod audit;
pub mod busy;
mod decisions;
mod evidence;
mod items;
mod keys;
mod logins;
pub mod migrations;
mod ocr;
mod pdq;
pub mod postgres;
pub mod postgres_tls;
mod queue;
mod report;
mod requests;
pub mod sql;
pub mod sqlite;
pub mod staging;
mod tags;
mod taxonomy;
mod users;

use std::path::Path;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::model::{Change, Changes};
use sql::{Conn, Dialect, FromValue, Row, Value};

/// At most this many events are listed by [`Store::changes_since`]; more means "re-read
/// everything".
pub const CHANGES_LISTED: usize = 500;

/// How long a writer waits for another desk's transaction before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

pub use sqlite::APPLICATION_ID;

/// An open store: one desk's file or a unit's server.
pub struct Store {
    db: Backend,
}

enum Backend {
    Sqlite(sqlite::Db),
    Postgres(Box<postgres::Db>),
}

/// One transaction. All queries are methods of this type.
pub struct Tx<'a> {
    c: &'a dyn Conn,
}

impl Store {
    /// Opens the store at `path`, creating the file if `create` and it does not exist, and
    /// brings the schema up to date. A `postgres://` URL in place of the path connects to a
    /// team server as the URL's login instead (see [`Store::connect`]).
    pub fn open(path: &Path, create: bool) -> Result<Store> {
        if let Some(url) = path.to_str().filter(|s| postgres::is_url(s)) {
            return Store::connect(url, None);
        }
        Ok(Store {
            db: Backend::Sqlite(sqlite::Db::open(path, create)?),
        })
    }

    /// Connects to a team server, as `login` (name and password) or as the URL's own login.
    pub fn connect(url: &str, login: Option<(&str, &str)>) -> Result<Store> {
        Ok(Store {
            db: Backend::Postgres(Box::new(postgres::Db::connect(url, login)?)),
        })
    }

    /// A second connection to the same team server, as `name` with `password` (which the
    /// server checks); `None` for a file, where the program signs people in itself.
    pub fn connect_as(&self, name: &str, password: &str) -> Result<Option<Store>> {
        match &self.db {
            Backend::Sqlite(_) => Ok(None),
            Backend::Postgres(db) => Ok(Some(Store {
                db: Backend::Postgres(Box::new(postgres::Db::connect(
                    db.url(),
                    Some((name, password)),
                )?)),
            })),
        }
    }

    /// Where the store is, for people: the file's path or the server's URL without a
    /// password.
    pub fn location(&self) -> String {
        match &self.db {
            Backend::Sqlite(db) => db.path().display().to_string(),
            Backend::Postgres(db) => db.location(),
        }
    }

    /// The store's file; for a server, its URL without a password (which is no file).
    pub fn path(&self) -> &Path {
        match &self.db {
            Backend::Sqlite(db) => db.path(),
            Backend::Postgres(_) => Path::new(""),
        }
    }

    /// How far the store's clock is ahead of this machine's: on a team server, the
    /// server's (measured at connecting), so leases and event times of every desk follow
    /// one clock; zero for a file.
    pub fn clock_offset(&self) -> chrono::Duration {
        match &self.db {
            Backend::Sqlite(_) => chrono::Duration::zero(),
            Backend::Postgres(db) => db.clock_offset(),
        }
    }

    /// Whether this is a team server rather than one desk's file.
    pub fn is_server(&self) -> bool {
        matches!(self.db, Backend::Postgres(_))
    }

    /// The login a server connection acts as (`None` for a file, where the program signs
    /// people in itself).
    pub fn server_login(&self) -> Option<&str> {
        match &self.db {
            Backend::Sqlite(_) => None,
            Backend::Postgres(db) => Some(db.login()),
        }
    }

    /// The schema version of the open store.
    pub fn schema_version(&mut self) -> Result<i64> {
        match &mut self.db {
            Backend::Sqlite(db) => db.schema_version(),
            Backend::Postgres(db) => db.schema_version(),
        }
    }

    /// The newest event's sequence number (0 for an empty trail): one cheap read, which
    /// also tells whether a server's connection still stands.
    pub fn head_seq(&mut self) -> Result<i64> {
        match &mut self.db {
            Backend::Sqlite(db) => db.head_seq(),
            Backend::Postgres(db) => db.head_seq(),
        }
    }

    /// What changed since event `seen`, from any desk: the events appended after it (at
    /// most [`CHANGES_LISTED`]; beyond that, or when the trail is shorter than `seen`,
    /// `complete` is false). Costs one read of the head when nothing changed.
    pub fn changes_since(&mut self, seen: i64) -> Result<Changes> {
        let head = self.head_seq()?;
        if head == seen {
            return Ok(Changes {
                head,
                events: Vec::new(),
                complete: true,
            });
        }
        if head < seen {
            return Ok(Changes {
                head,
                events: Vec::new(),
                complete: false,
            });
        }
        let events = self.read(|tx| tx.changes_after(seen, CHANGES_LISTED + 1))?;
        let complete = events.len() <= CHANGES_LISTED;
        let events: Vec<Change> = events.into_iter().take(CHANGES_LISTED).collect();
        let head = if complete {
            events.last().map_or(head, |c| c.seq.max(head))
        } else {
            head
        };
        Ok(Changes {
            head,
            events,
            complete,
        })
    }

    /// Runs `f` in a read transaction (a consistent snapshot).
    pub fn read<T>(&mut self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        match &mut self.db {
            Backend::Sqlite(db) => {
                let c = db.begin(false)?;
                f(&Tx { c: &c })
            }
            Backend::Postgres(db) => {
                let c = db.begin(false)?;
                let out = f(&Tx { c: &c })?;
                c.commit()?;
                Ok(out)
            }
        }
    }

    /// Runs `f` in a write transaction, committing if it returns `Ok` and rolling back
    /// otherwise: every write of one action lands together or not at all.
    pub fn write<T>(&mut self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        match &mut self.db {
            Backend::Sqlite(db) => {
                let c = db.begin(true)?;
                let out = f(&Tx { c: &c })?;
                c.commit()?;
                Ok(out)
            }
            Backend::Postgres(db) => {
                let c = db.begin(true)?;
                let out = f(&Tx { c: &c })?;
                c.commit()?;
                Ok(out)
            }
        }
    }
}

impl<'a> Tx<'a> {
    /// A transaction over a backend's open connection.
    pub fn over(c: &'a dyn Conn) -> Self {
        Tx { c }
    }

    /// The SQL dialect of the backend.
    pub fn dialect(&self) -> Dialect {
        self.c.dialect()
    }

    /// Runs one statement; returns the number of rows it changed.
    pub(crate) fn exec(&self, sql: &str, args: &[Value]) -> Result<u64> {
        self.c.execute(sql, args)
    }

    /// Every row of a query, each turned into a `T` by `f`.
    pub(crate) fn rows<T>(
        &self,
        sql: &str,
        args: &[Value],
        mut f: impl FnMut(&Row) -> Result<T>,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.c.query(sql, args, &mut |r| {
            out.push(f(r)?);
            Ok(true)
        })?;
        Ok(out)
    }

    /// The first row of a query, if any, turned into a `T` by `f`.
    pub(crate) fn row<T>(
        &self,
        sql: &str,
        args: &[Value],
        f: impl FnOnce(&Row) -> Result<T>,
    ) -> Result<Option<T>> {
        let mut f = Some(f);
        let mut out = None;
        self.c.query(sql, args, &mut |r| {
            if let Some(f) = f.take() {
                out = Some(f(r)?);
            }
            Ok(false)
        })?;
        Ok(out)
    }

    /// The first column of the one row a query returns (an aggregate, a lookup that must
    /// succeed).
    pub(crate) fn value<T: FromValue>(&self, sql: &str, args: &[Value]) -> Result<T> {
        self.row(sql, args, |r| r.get(0))?
            .ok_or_else(|| Error::Db(format!("no row from: {sql}")))
    }

    /// Visits each row of a query until `f` returns `false`, without holding them all.
    pub(crate) fn each(
        &self,
        sql: &str,
        args: &[Value],
        mut f: impl FnMut(&Row) -> Result<bool>,
    ) -> Result<()> {
        self.c.query(sql, args, &mut f)
    }

    /// Runs an `INSERT` and returns the `id` of the row it made; `None` when it made
    /// none (`ON CONFLICT DO NOTHING`).
    pub(crate) fn insert(&self, sql: &str, args: &[Value]) -> Result<Option<i64>> {
        self.row(&format!("{sql} RETURNING id"), args, |r| r.get(0))
    }

    /// Like [`Tx::insert`], for a statement that always makes its row.
    pub(crate) fn insert_id(&self, sql: &str, args: &[Value]) -> Result<i64> {
        self.insert(sql, args)?
            .ok_or_else(|| Error::Db(format!("no row made by: {sql}")))
    }
}
