//! Shared set-up for the integration tests: a fresh store with users of every role, a
//! manual clock, generated images and a raw SQLite connection for tampering.
#![allow(dead_code)]

pub mod forge;
pub mod pg;
pub mod ui;

use chrono::TimeZone;
use image::{ImageFormat, Rgb, RgbImage};
use parakh::clock::Clock;
use parakh::import::{RawRow, import_rows};
use parakh::model::Role;
use parakh::store::sql::Value;
use parakh::{Session, Workspace, auth};
use std::io::Cursor;
use std::path::PathBuf;

pub const PW: &str = "correct horse battery";

/// Whether this test binary runs its tests on a team server: the conformance suite
/// (tests/conformance_postgres.rs) runs the same test files as the desk's binaries, on
/// PostgreSQL.
pub fn on_server() -> bool {
    env!("CARGO_CRATE_NAME") == "conformance_postgres"
}

/// A store in a temporary folder (or, in the conformance suite, a fresh database on the
/// tests' server) with an admin, two leads and two reviewers signed in.
pub struct Desk {
    pub dir: tempfile::TempDir,
    /// The store's file, or its server URL as a path.
    pub path: PathBuf,
    /// Held while the test signs the server's logins in.
    pub logins: Option<pg::FileLock>,
    pub ws: Workspace,
    pub clock: Clock,
    pub admin: Session,
    pub lead: Session,
    pub lead2: Session,
    pub rev: Session,
    pub rev2: Session,
}

pub fn desk() -> Desk {
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::manual(chrono::Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap());
    let (path, mut ws, logins) = if on_server() {
        let logins = pg::logins();
        let url = pg::fresh_url();
        parakh::server::init(&url, "admin", PW).unwrap();
        let ws = Workspace::open(std::path::Path::new(&url)).unwrap();
        (
            PathBuf::from(url),
            ws.with_clock(clock.clone()),
            Some(logins),
        )
    } else {
        let path = dir.path().join("parakh.db");
        let (ws, created) = Workspace::init(&path).unwrap();
        assert!(created);
        let mut ws = ws.with_clock(clock.clone());
        auth::add_user(&mut ws, None, "admin", Role::Admin, PW).unwrap();
        (path, ws, None)
    };
    let admin = auth::login(&mut ws, "admin", PW).unwrap();
    for (name, role) in [
        ("lead", Role::Lead),
        ("lead2", Role::Lead),
        ("rev", Role::Reviewer),
        ("rev2", Role::Reviewer),
    ] {
        auth::add_user(&mut ws, Some(&admin), name, role, PW).unwrap();
    }
    let mut login = |n: &str| auth::login(&mut ws, n, PW).unwrap();
    let (lead, lead2, rev, rev2) = (login("lead"), login("lead2"), login("rev"), login("rev2"));
    Desk {
        dir,
        path,
        logins,
        ws,
        clock,
        admin,
        lead,
        lead2,
        rev,
        rev2,
    }
}

/// A PNG of `w`×`h` whose pixels depend on `seed`.
pub fn png(w: u32, h: u32, seed: u8) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, y| {
        Rgb([
            (x as u8).wrapping_mul(seed),
            (y as u8).wrapping_add(seed),
            seed,
        ])
    });
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .unwrap();
    out
}

/// A PNG of 8×8-pixel blocks of pseudo-random greys from `seed`: detailed enough for a PDQ
/// hash of full quality.
pub fn blocks_png(w: u32, h: u32, seed: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, y| {
        let mut v = (x / 8).wrapping_mul(73_856_093) ^ (y / 8).wrapping_mul(19_349_663) ^ seed;
        v = v.wrapping_mul(2_654_435_761);
        let g = (v >> 24) as u8;
        Rgb([g, g, g])
    });
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .unwrap();
    out
}

/// A PNG of one flat grey: a PDQ hash of it has quality 0, too weak to compare.
pub fn flat_png(w: u32, h: u32, grey: u8) -> Vec<u8> {
    let img = RgbImage::from_pixel(w, h, Rgb([grey, grey, grey]));
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .unwrap();
    out
}

/// A plain import row.
pub fn row(handle: &str) -> RawRow {
    RawRow {
        platform: "telegram".into(),
        kind: "channel".into(),
        handle: handle.into(),
        display_name: format!("{handle} display"),
        url: format!("https://t.me/{handle}"),
        text: "synthetic test text".into(),
        language: "en".into(),
        reported_at: "2026-10-30T08:00:00Z".into(),
        source_ref: "TEST-1".into(),
        ..Default::default()
    }
}

impl Desk {
    /// Imports items with these handles (as the admin) and returns their ids.
    pub fn items(&mut self, handles: &[&str]) -> Vec<i64> {
        self.import(handles.iter().map(|h| row(h)).collect())
    }

    /// Imports these rows (as the admin) and returns their ids.
    pub fn import(&mut self, rows: Vec<RawRow>) -> Vec<i64> {
        let rows = rows
            .into_iter()
            .enumerate()
            .map(|(i, r)| (i + 2, r))
            .collect();
        let admin = self.admin.clone();
        let r = import_rows(
            &mut self.ws,
            Some(&admin),
            "test",
            "00",
            rows,
            Vec::new(),
            std::path::Path::new(""),
        )
        .unwrap();
        let (a, b) = r.ids.unwrap();
        (a..=b).collect()
    }

    /// Writes a file into the desk's folder and returns its path.
    pub fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    /// A raw connection that ignores the library, with foreign keys off as the stock
    /// `sqlite3` shell starts.
    pub fn raw(&self) -> rusqlite::Connection {
        let c = rusqlite::Connection::open(&self.path).unwrap();
        c.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
        c
    }

    /// Builds a takedown request to Telegram as `lead` from the approved takedowns there
    /// and exports it as a bag; returns the bag's folder.
    pub fn telegram_bag(&mut self, lead: &Session) -> PathBuf {
        let reference = parakh::requests::create(
            &mut self.ws,
            lead,
            parakh::model::Platform::Telegram,
            false,
            None,
        )
        .unwrap();
        let bag = self.dir.path().join("bag");
        parakh::requests::export(&mut self.ws, Some(lead), &reference, &bag).unwrap();
        bag
    }

    /// Claims, attaches an image, tags and proposes a takedown as `who`; returns the packet hash.
    pub fn propose_takedown(&mut self, who: &Session, item: i64, seed: u8) -> String {
        self.propose_takedown_with(who, item, &png(40, 30, seed))
    }

    /// Like [`Desk::propose_takedown`], with `image` (PNG bytes) as the evidence.
    pub fn propose_takedown_with(&mut self, who: &Session, item: i64, image: &[u8]) -> String {
        use parakh::{evidence, review};
        review::claim(&mut self.ws, who, item).unwrap();
        let name = format!(
            "shot-{item}-{}.png",
            &parakh::model::canonical::sha256_hex(image)[..12]
        );
        let f = self.file(&name, image);
        evidence::attach(&mut self.ws, who, item, &[f]).unwrap();
        review::tag(
            &mut self.ws,
            who,
            item,
            &["ttp".into()],
            &["peca-9".into()],
            &[],
            &[],
        )
        .unwrap();
        let (_, hash) = review::propose(
            &mut self.ws,
            who,
            item,
            parakh::model::Outcome::Takedown,
            "screenshots show the group's logo soliciting support",
        )
        .unwrap();
        hash
    }
}

/// Asserts `r` is a rule refusal whose message contains `needle`.
#[track_caller]
pub fn assert_rule<T: std::fmt::Debug>(r: parakh::Result<T>, needle: &str) {
    match r {
        Err(parakh::Error::Rule(m)) => {
            assert!(m.contains(needle), "rule message {m:?} lacks {needle:?}")
        }
        other => panic!("expected a rule refusal containing {needle:?}, got {other:?}"),
    }
}

/// The highest resident size, in KiB, of any child process this test process has waited
/// for (`getrusage(RUSAGE_CHILDREN)`): a child's whole peak, its start-up included.
pub fn children_peak_kb() -> u64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr());
        usage.assume_init()
    };
    usage.ru_maxrss as u64
}

/// What `audit verify` finds wrong, in words.
pub fn problems(ws: &mut Workspace) -> Vec<String> {
    parakh::audit::verify(ws)
        .unwrap()
        .problems
        .into_iter()
        .map(|p| p.what)
        .collect()
}

/// Asserts that one of `found` contains `needle`.
#[track_caller]
pub fn assert_among(found: &[String], needle: &str) {
    assert!(
        found.iter().any(|p| p.contains(needle)),
        "{needle:?} not among {found:#?}"
    );
}

/// Asserts that `audit verify` finds a problem containing `needle`.
#[track_caller]
pub fn assert_problem(d: &mut Desk, needle: &str) {
    assert_among(&problems(&mut d.ws), needle);
}

/// Runs the `parakh` binary on the store at `db` with `args`; asserts it succeeded and
/// returns what it printed.
#[track_caller]
pub fn run_parakh(db: &std::path::Path, args: &[&std::ffi::OsStr]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_parakh"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("PARAKH_PASSWORD")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "parakh {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A connection that ignores the program, on either store: what someone who skips
/// Parakh can do (the file with the `sqlite3` shell, foreign keys off; on a team server,
/// its superuser). The database's own rules still hold on both.
pub enum Bypass {
    /// The store file.
    File(rusqlite::Connection),
    /// The server's superuser.
    Server(std::cell::RefCell<postgres::Client>),
}

impl Bypass {
    /// Runs one statement with `?N` arguments; returns rows changed.
    pub fn execute(&self, sql: &str, args: &[Value]) -> parakh::Result<u64> {
        match self {
            Bypass::File(c) => Ok(c.execute(sql, rusqlite::params_from_iter(args))? as u64),
            Bypass::Server(c) => {
                let sql = parakh::store::sql::dollar_placeholders(sql);
                let params: Vec<&(dyn postgres::types::ToSql + Sync)> =
                    args.iter().map(|a| a as _).collect();
                c.borrow_mut()
                    .execute(sql.as_str(), &params)
                    .map_err(parakh::store::postgres::pg_error)
            }
        }
    }

    /// Runs several statements.
    pub fn execute_batch(&self, sql: &str) -> parakh::Result<()> {
        match self {
            Bypass::File(c) => Ok(c.execute_batch(sql)?),
            Bypass::Server(c) => c
                .borrow_mut()
                .batch_execute(sql)
                .map_err(parakh::store::postgres::pg_error),
        }
    }

    /// Runs one statement with foreign keys unenforced, as the file's connection always
    /// runs them (foreign keys off, as the `sqlite3` shell starts). On the server it runs in
    /// the superuser's replica mode (`session_replication_role`), which skips foreign-key
    /// checks and also every trigger for this statement: use it only where the triggers
    /// that could refuse the statement were dropped (disabled) already.
    pub fn execute_without_foreign_keys(&self, sql: &str, args: &[Value]) -> parakh::Result<u64> {
        match self {
            Bypass::File(_) => self.execute(sql, args),
            Bypass::Server(_) => {
                self.execute_batch("SET session_replication_role = replica")?;
                let r = self.execute(sql, args);
                self.execute_batch("RESET session_replication_role")?;
                r
            }
        }
    }

    /// Every row of a query, each read by `f` (as the store's own queries read them).
    pub fn rows<T>(
        &self,
        sql: &str,
        args: &[Value],
        mut f: impl FnMut(&parakh::store::sql::Row) -> parakh::Result<T>,
    ) -> parakh::Result<Vec<T>> {
        let rows: Vec<Vec<Value>> = match self {
            Bypass::File(c) => {
                let mut st = c.prepare(sql)?;
                let n = st.column_count();
                st.query_map(rusqlite::params_from_iter(args), |r| {
                    (0..n).map(|i| Ok(file_value(r.get_ref(i)?))).collect()
                })?
                .collect::<Result<_, _>>()?
            }
            Bypass::Server(c) => {
                let sql = parakh::store::sql::dollar_placeholders(sql);
                let params: Vec<&(dyn postgres::types::ToSql + Sync)> =
                    args.iter().map(|a| a as _).collect();
                c.borrow_mut()
                    .query(sql.as_str(), &params)
                    .map_err(parakh::store::postgres::pg_error)?
                    .iter()
                    .map(|r| (0..r.len()).map(|i| r.get::<_, Value>(i)).collect())
                    .collect()
            }
        };
        rows.iter()
            .map(|v| f(&parakh::store::sql::Row::new(v)))
            .collect()
    }

    /// The one row of a query, read by `f`.
    pub fn row<T>(
        &self,
        sql: &str,
        args: &[Value],
        f: impl FnMut(&parakh::store::sql::Row) -> parakh::Result<T>,
    ) -> parakh::Result<T> {
        self.rows(sql, args, f)?
            .into_iter()
            .next()
            .ok_or_else(|| parakh::Error::NotFound(format!("no row from {sql}")))
    }

    /// Switches trigger `name` on `table` off, as someone with the keys to the database
    /// would: a file's trigger is dropped, a server's disabled (the same effect).
    pub fn switch_off(&self, table: &str, name: &str) {
        self.execute_batch(&switch_off(table, name)).unwrap();
    }

    /// The first column of the first row of a query.
    pub fn value<T: parakh::store::sql::FromValue>(
        &self,
        sql: &str,
        args: &[Value],
    ) -> parakh::Result<T> {
        let v = match self {
            Bypass::File(c) => c.query_row(sql, rusqlite::params_from_iter(args), |r| {
                Ok(file_value(r.get_ref(0)?))
            })?,
            Bypass::Server(c) => {
                let sql = parakh::store::sql::dollar_placeholders(sql);
                let params: Vec<&(dyn postgres::types::ToSql + Sync)> =
                    args.iter().map(|a| a as _).collect();
                c.borrow_mut()
                    .query_one(sql.as_str(), &params)
                    .map_err(parakh::store::postgres::pg_error)?
                    .get::<_, Value>(0)
            }
        };
        T::from_value(&v).map_err(parakh::Error::Db)
    }
}

fn file_value(v: rusqlite::types::ValueRef) -> Value {
    match v {
        rusqlite::types::ValueRef::Null => Value::Null,
        rusqlite::types::ValueRef::Integer(i) => Value::Int(i),
        rusqlite::types::ValueRef::Real(f) => Value::Real(f),
        rusqlite::types::ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        rusqlite::types::ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

/// The SQL that switches trigger `name` on `table` off (see [`Bypass::switch_off`]).
pub fn switch_off(table: &str, name: &str) -> String {
    if on_server() {
        format!("ALTER TABLE {table} DISABLE TRIGGER {name};")
    } else {
        format!("DROP TRIGGER IF EXISTS {name};")
    }
}

/// A copy of a whole store as it stood, as a backup holds it (see [`Desk::copy_store`]).
pub struct StoreCopy(String);

impl Desk {
    /// Copies the store as a backup would: a file with `VACUUM INTO`, a server's database
    /// as a template copy (which needs the desk's connections closed: the desk signs its
    /// people in again afterwards).
    pub fn copy_store(&mut self) -> StoreCopy {
        if on_server() {
            let url = self.path.to_str().unwrap().to_string();
            let copy = format!("{}_copy", pg::database_of(&url));
            let mut admin = pg::superuser(&pg::url_of("postgres"));
            pg::close_connections(&mut admin, &url);
            admin
                .batch_execute(&format!(
                    "CREATE DATABASE {copy} TEMPLATE {}",
                    pg::database_of(&url)
                ))
                .unwrap();
            self.sign_in_again();
            StoreCopy(copy)
        } else {
            let copy = self.dir.path().join("old-copy.db");
            self.bypass()
                .execute("VACUUM INTO ?1", &[Value::Text(copy.display().to_string())])
                .unwrap();
            StoreCopy(copy.display().to_string())
        }
    }

    /// Puts `copy` back in place of the store, as restoring an old backup would: the
    /// desk's workspace is closed first and `self.ws` left on a blank file of its own; open
    /// the store again afterwards.
    pub fn put_back(&mut self, copy: StoreCopy) {
        let blank = self.dir.path().join("blank.db");
        drop(std::mem::replace(
            &mut self.ws,
            Workspace::init(&blank).unwrap().0,
        ));
        if on_server() {
            let url = self.path.to_str().unwrap().to_string();
            let db = pg::database_of(&url);
            let mut admin = pg::superuser(&pg::url_of("postgres"));
            pg::close_connections(&mut admin, &url);
            // Two statements, two calls: one batch would be one transaction, and DROP
            // DATABASE runs outside any.
            admin.batch_execute(&format!("DROP DATABASE {db}")).unwrap();
            admin
                .batch_execute(&format!("ALTER DATABASE {} RENAME TO {db}", copy.0))
                .unwrap();
        } else {
            for suffix in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", self.path.display()));
            }
            std::fs::copy(&copy.0, &self.path).unwrap();
        }
    }

    /// Opens the store again and signs everyone in anew (their sessions replaced).
    fn sign_in_again(&mut self) {
        self.ws = Workspace::open(&self.path)
            .unwrap()
            .with_clock(self.clock.clone());
        let ws = &mut self.ws;
        let mut login = |n: &str| auth::login(ws, n, PW).unwrap();
        let (admin, lead, lead2, rev, rev2) = (
            login("admin"),
            login("lead"),
            login("lead2"),
            login("rev"),
            login("rev2"),
        );
        (self.admin, self.lead, self.lead2, self.rev, self.rev2) = (admin, lead, lead2, rev, rev2);
    }

    /// See [`Bypass`].
    pub fn bypass(&self) -> Bypass {
        if on_server() {
            Bypass::Server(std::cell::RefCell::new(pg::superuser(
                self.path.to_str().unwrap(),
            )))
        } else {
            Bypass::File(self.raw())
        }
    }
}
