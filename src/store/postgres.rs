//! The PostgreSQL backend: a unit's shared server. Each person connects as their own login
//! role, so the server's triggers know who acts (`session_user`); the tables, triggers and
//! grants are owned by `parakh_owner`, a role nobody logs in as
//! (`postgres_schema.sql`). Writes take one transaction-scoped advisory lock first, so
//! writers follow one another as on a single desk's file and the audit chain stays one
//! gapless line; reads run in a repeatable-read snapshot.

use bytes::BytesMut;
use postgres::types::{FromSql, IsNull, ToSql, Type};
use postgres::{Client, IsolationLevel, Statement};
use std::cell::RefCell;
use std::collections::HashMap;

use super::postgres_tls::Target;
use super::sql::{Conn, Dialect, Row, Value, dollar_placeholders};
use crate::error::{Error, Result};

/// The schema a new server database gets, at [`SCHEMA_VERSION`].
pub const SCHEMA: &str = include_str!("postgres_schema.sql");

/// What takes a server's schema from version `i + 1` to `i + 2`, run after [`SCHEMA`].
pub const UPGRADES: &[&str] = &[include_str!("postgres_v2.sql")];

/// The schema version this program writes on a server.
pub const SCHEMA_VERSION: i64 = 1 + UPGRADES.len() as i64;

/// The advisory lock every write transaction holds (the chain's writers' turn).
const WRITE_LOCK: i64 = 0x5052_4B48;

/// Rows fetched at a time by a streaming query.
const BATCH: i32 = 512;

/// Whether `--db` names a server rather than a file.
pub fn is_url(s: &str) -> bool {
    s.starts_with("postgres://") || s.starts_with("postgresql://")
}

/// Creates the database `url` names unless it exists, connecting to the server's
/// `postgres` database as the URL's login (which must be allowed to create databases).
/// Returns whether it was created.
pub fn create_database(url: &str) -> Result<bool> {
    let target = Target::parse(url)?;
    let config = &target.config;
    let name = config
        .get_dbname()
        .ok_or_else(|| Error::Usage(format!("{} names no database", redacted(url))))?
        .to_string();
    let mut admin = config.clone();
    admin.dbname("postgres");
    let mut client = target.connect(&admin).map_err(|e| connect_error(url, e))?;
    let exists = client
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
        .map_err(pg_error)?
        .is_some();
    if exists {
        return Ok(false);
    }
    let quoted = format!("\"{}\"", name.replace('"', "\"\""));
    client
        .batch_execute(&format!(
            "CREATE DATABASE {quoted} ENCODING 'UTF8' TEMPLATE template0"
        ))
        .map_err(pg_error)?;
    Ok(true)
}

/// Whether `url` names a login (a user in the URL or `user=`).
pub fn names_login(url: &str) -> bool {
    Target::parse(url)
        .map(|t| t.config)
        .is_ok_and(|c| c.get_user().is_some_and(|u| !u.is_empty()))
}

/// An open connection to the server.
pub struct Db {
    client: Client,
    /// The server's clock minus this machine's, measured at connecting.
    clock_offset: chrono::Duration,
    statements: HashMap<String, Statement>,
    url: String,
    login: String,
}

/// An open transaction on the server.
pub struct PgTx<'c> {
    tx: RefCell<postgres::Transaction<'c>>,
    statements: RefCell<&'c mut HashMap<String, Statement>>,
}

impl Db {
    /// Connects to the database `url` names (a libpq URL), as `login` with `password`
    /// when given (a person signing in) or as the URL's own user otherwise, and checks that
    /// it holds a Parakh schema this program knows.
    pub fn connect(url: &str, login: Option<(&str, &str)>) -> Result<Db> {
        let db = Db::connect_unchecked(url, login)?;
        let mut db = db;
        let version = db.schema_version()?;
        if version == 0 {
            return Err(Error::NotFound(format!(
                "no Parakh store on {} (set one up with `parakh server init`)",
                redacted(url)
            )));
        }
        if version < SCHEMA_VERSION {
            return Err(Error::invalid(format!(
                "{} has schema version {version}, older than this program's ({SCHEMA_VERSION}); the set-up login brings it up to date with `parakh server init`",
                redacted(url)
            )));
        }
        if version > SCHEMA_VERSION {
            return Err(Error::invalid(format!(
                "{} has schema version {version}, newer than this program knows ({SCHEMA_VERSION}); update Parakh",
                redacted(url)
            )));
        }
        Ok(db)
    }

    /// Connects without looking at the schema (set-up).
    pub fn connect_unchecked(url: &str, login: Option<(&str, &str)>) -> Result<Db> {
        let target = Target::parse(url)?;
        let mut config = target.config.clone();
        if let Some((user, password)) = login {
            config.user(user).password(password);
        }
        config.application_name("parakh");
        config.connect_timeout(std::time::Duration::from_secs(10));
        let login = config.get_user().unwrap_or("").to_string();
        let mut client = target.connect(&config).map_err(|e| connect_error(url, e))?;
        client
            .batch_execute("SET TIME ZONE 'UTC'; SET lock_timeout = '10s'")
            .map_err(pg_error)?;
        // The server's clock, against this machine's, halfway through the round trip.
        let before = chrono::Utc::now();
        let server: chrono::DateTime<chrono::Utc> = client
            .query_one("SELECT clock_timestamp()", &[])
            .map_err(pg_error)?
            .get(0);
        let after = chrono::Utc::now();
        let clock_offset = server - (before + (after - before) / 2);
        Ok(Db {
            client,
            clock_offset,
            statements: HashMap::new(),
            url: url.to_string(),
            login,
        })
    }

    /// The server and database, without any password.
    pub fn location(&self) -> String {
        redacted(&self.url)
    }

    /// The URL connected to, with its password.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// How far the server's clock is ahead of this machine's (behind when negative).
    pub fn clock_offset(&self) -> chrono::Duration {
        self.clock_offset
    }

    /// The login this connection acts as.
    pub fn login(&self) -> &str {
        &self.login
    }

    /// The schema version on the server (0 when there is no Parakh schema).
    pub fn schema_version(&mut self) -> Result<i64> {
        let has = self
            .client
            .query_one(
                "SELECT to_regclass('public.schema_version') IS NOT NULL",
                &[],
            )
            .map_err(pg_error)?;
        if !has.get::<_, bool>(0) {
            return Ok(0);
        }
        let row = self
            .client
            .query_one("SELECT version FROM schema_version", &[])
            .map_err(pg_error)?;
        Ok(row.get(0))
    }

    /// Creates the schema if there is none, or brings an older one up to date (as the
    /// set-up login, inside one transaction). Returns whether it was created.
    pub fn install_schema(&mut self) -> Result<bool> {
        let version = self.schema_version()?;
        if version >= SCHEMA_VERSION {
            return Ok(false);
        }
        let mut tx = self.client.transaction().map_err(pg_error)?;
        if version == 0 {
            tx.batch_execute(SCHEMA).map_err(pg_error)?;
        }
        for upgrade in &UPGRADES[(version.max(1) - 1) as usize..] {
            tx.batch_execute(upgrade).map_err(pg_error)?;
        }
        tx.commit().map_err(pg_error)?;
        Ok(version == 0)
    }

    /// The newest event's sequence number, outside a transaction: one read of the chain
    /// head, which every desk's append moves.
    pub fn head_seq(&mut self) -> Result<i64> {
        let row = self
            .client
            .query_one("SELECT seq FROM chain_head", &[])
            .map_err(pg_error)?;
        Ok(row.get(0))
    }

    /// Begins a transaction: a read-only repeatable-read snapshot for reading; for
    /// writing, read committed after taking the writers' lock.
    pub fn begin(&mut self, write: bool) -> Result<PgTx<'_>> {
        let tx = if write {
            let mut tx = self
                .client
                .build_transaction()
                .isolation_level(IsolationLevel::ReadCommitted)
                .start()
                .map_err(pg_error)?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
                .map_err(pg_error)?;
            tx
        } else {
            self.client
                .build_transaction()
                .isolation_level(IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()
                .map_err(pg_error)?
        };
        Ok(PgTx {
            tx: RefCell::new(tx),
            statements: RefCell::new(&mut self.statements),
        })
    }
}

impl PgTx<'_> {
    /// Commits the transaction.
    pub fn commit(self) -> Result<()> {
        self.tx.into_inner().commit().map_err(pg_error)
    }

    fn statement(&self, sql: &str) -> Result<Statement> {
        if let Some(st) = self.statements.borrow().get(sql) {
            return Ok(st.clone());
        }
        let st = self
            .tx
            .borrow_mut()
            .prepare(&dollar_placeholders(sql))
            .map_err(|e| match pg_error(e) {
                Error::Db(m) => Error::Db(format!(
                    "{m} (in: {})",
                    sql.split_whitespace().collect::<Vec<_>>().join(" ")
                )),
                other => other,
            })?;
        self.statements
            .borrow_mut()
            .insert(sql.to_string(), st.clone());
        Ok(st)
    }
}

fn bind(args: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    args.iter().map(|a| a as &(dyn ToSql + Sync)).collect()
}

impl Conn for PgTx<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn execute(&self, sql: &str, args: &[Value]) -> Result<u64> {
        let st = self.statement(sql)?;
        self.tx
            .borrow_mut()
            .execute(&st, &bind(args))
            .map_err(pg_error)
    }

    fn query(
        &self,
        sql: &str,
        args: &[Value],
        f: &mut dyn FnMut(&Row) -> Result<bool>,
    ) -> Result<()> {
        let st = self.statement(sql)?;
        let portal = self
            .tx
            .borrow_mut()
            .bind(&st, &bind(args))
            .map_err(pg_error)?;
        let mut values = Vec::new();
        loop {
            // Fetched a batch at a time, the borrow released before `f` runs, so `f` may
            // run other statements of the transaction between batches.
            let rows = self
                .tx
                .borrow_mut()
                .query_portal(&portal, BATCH)
                .map_err(pg_error)?;
            let last = rows.len() < BATCH as usize;
            for r in &rows {
                values.clear();
                for i in 0..r.len() {
                    values.push(r.try_get::<_, Value>(i).map_err(pg_error)?);
                }
                if !f(&Row::new(&values))? {
                    return Ok(());
                }
            }
            if last {
                return Ok(());
            }
        }
    }
}

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        let wrong = || -> Box<dyn std::error::Error + Sync + Send> {
            format!("cannot bind {self:?} to a {ty} parameter").into()
        };
        match (self, ty) {
            (Value::Null, _) => Ok(IsNull::Yes),
            (Value::Int(i), &Type::INT8) => i.to_sql(ty, out),
            (Value::Int(i), &Type::INT4) => i32::try_from(*i)?.to_sql(ty, out),
            (Value::Int(i), &Type::INT2) => i16::try_from(*i)?.to_sql(ty, out),
            (Value::Int(i), &Type::BOOL) => (*i != 0).to_sql(ty, out),
            (Value::Int(i), &Type::FLOAT8) => (*i as f64).to_sql(ty, out),
            (Value::Int(i), &Type::TEXT | &Type::VARCHAR | &Type::UNKNOWN) => {
                i.to_string().to_sql(&Type::TEXT, out)
            }
            (Value::Real(f), &Type::FLOAT8) => f.to_sql(ty, out),
            (Value::Real(f), &Type::FLOAT4) => (*f as f32).to_sql(ty, out),
            (Value::Text(s), &Type::TEXT | &Type::VARCHAR | &Type::BPCHAR | &Type::NAME) => {
                s.to_sql(ty, out)
            }
            (Value::Text(s), &Type::UNKNOWN) => s.to_sql(&Type::TEXT, out),
            (Value::Blob(b), &Type::BYTEA) => b.as_slice().to_sql(ty, out),
            _ => Err(wrong()),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

impl<'a> FromSql<'a> for Value {
    fn from_sql(
        ty: &Type,
        raw: &'a [u8],
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(match *ty {
            Type::INT8 => Value::Int(i64::from_sql(ty, raw)?),
            Type::INT4 => Value::Int(i32::from_sql(ty, raw)?.into()),
            Type::INT2 => Value::Int(i16::from_sql(ty, raw)?.into()),
            Type::OID => Value::Int(u32::from_sql(ty, raw)?.into()),
            Type::BOOL => Value::Int(bool::from_sql(ty, raw)?.into()),
            Type::FLOAT8 => Value::Real(f64::from_sql(ty, raw)?),
            Type::FLOAT4 => Value::Real(f32::from_sql(ty, raw)?.into()),
            Type::BYTEA => Value::Blob(raw.to_vec()),
            Type::TIMESTAMPTZ => Value::Text(crate::clock::fmt_ts(
                chrono::DateTime::<chrono::Utc>::from_sql(ty, raw)?,
            )),
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
                Value::Text(String::from_sql(&Type::TEXT, raw)?)
            }
            _ => return Err(format!("a column of type {ty} (cast it in the query)").into()),
        })
    }

    fn from_sql_null(
        _: &Type,
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Value::Null)
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// The error for a failed statement: a trigger's refusal becomes the matching kind (see
/// [`Error::from_database`]); a serialisation failure or deadlock means another desk's
/// write got in the way.
pub fn pg_error(e: postgres::Error) -> Error {
    if let Some(db) = e.as_db_error() {
        let code = db.code().code();
        if code == "40001" || code == "40P01" || code == "55P03" {
            return Error::Contended(db.message().to_string());
        }
        if code == "42501" {
            return Error::Rule(format!("the server refused: {}", db.message()));
        }
        return Error::from_database(db.message());
    }
    if e.is_closed() {
        return Error::Db(format!("the connection to the team server was lost: {e}"));
    }
    Error::Db(e.to_string())
}

fn connect_error(url: &str, e: postgres::Error) -> Error {
    let text = match e.as_db_error() {
        Some(db) => db.message().to_string(),
        None => {
            let mut s = e.to_string();
            let mut src = std::error::Error::source(&e);
            while let Some(inner) = src {
                s = format!("{s}: {inner}");
                src = inner.source();
            }
            s
        }
    };
    if text.contains("password authentication failed") || text.contains("no password") {
        return Error::Auth(format!("the team server refused the sign-in: {text}"));
    }
    Error::Db(format!(
        "cannot reach the team server {}: {text}",
        redacted(url)
    ))
}

/// `url` with any password replaced by `***` (in the user part or a `password=` query
/// parameter). Works on libpq's URLs, which may leave the host empty (`postgres://u:p@/db?host=/run`).
pub fn redacted(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return "the team server".to_string();
    };
    let rest = &url[scheme_end..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rfind('@') {
        Some(at) => {
            let (user, host) = authority.split_at(at);
            match user.split_once(':') {
                Some((name, _)) => format!("{name}:***{host}"),
                None => authority.to_string(),
            }
        }
        None => authority.to_string(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let q: Vec<String> = query
                .split('&')
                .map(|kv| match kv.split_once('=') {
                    Some(("password", _)) => "password=***".to_string(),
                    _ => kv.to_string(),
                })
                .collect();
            format!("{path}?{}", q.join("&"))
        }
        None => tail.to_string(),
    };
    format!("{}{authority}{tail}", &url[..scheme_end])
}

/// `url` naming the database `db` instead of its own.
pub fn with_database(url: &str, db: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_string();
    };
    let rest = &url[scheme_end..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let after = &rest[authority_end..];
    let query = after.find('?').map_or("", |q| &after[q..]);
    format!(
        "{}{}/{db}{query}",
        &url[..scheme_end],
        &rest[..authority_end]
    )
}

/// A connection that listens for the trail's doorbell: the server rings it (`NOTIFY
/// parakh_trail`) when any desk appends an event. A ring only says "read again"; what
/// changed is always read from the tables.
pub struct Doorbell {
    client: Client,
}

impl Doorbell {
    /// Listens on the server at `url`, as `login` or the URL's own.
    pub fn listen(url: &str, login: Option<(&str, &str)>) -> Result<Doorbell> {
        let mut db = Db::connect(url, login)?;
        db.client
            .batch_execute("LISTEN parakh_trail")
            .map_err(pg_error)?;
        Ok(Doorbell { client: db.client })
    }

    /// Waits up to `timeout` for a ring; whether one came (several come as one).
    pub fn wait(&mut self, timeout: std::time::Duration) -> Result<bool> {
        use postgres::fallible_iterator::FallibleIterator;
        let rang = {
            let mut n = self.client.notifications();
            let rang = n.timeout_iter(timeout).next().map_err(pg_error)?.is_some();
            // Take whatever else arrived with it.
            while n.iter().next().map_err(pg_error)?.is_some() {}
            rang
        };
        if self.client.is_closed() {
            return Err(Error::Db(
                "the connection to the team server was lost".into(),
            ));
        }
        Ok(rang)
    }
}

/// What a copy moved: rows by table, the chain head, and the people given logins.
pub type Copied = (Vec<(String, u64)>, (i64, String), Vec<String>);

/// Copies every row of the desk's store `desk` into the empty Parakh database at `url`
/// (its schema installed), in one transaction, as the rows are: the triggers that admitted
/// them on the desk are not run again (`session_replication_role = replica`, which only a
/// superuser may set), the chain head and the id sequences are set after them, and each
/// person gets a login in the group of their role, without a password.
pub fn copy_from(desk: &mut super::Store, url: &str) -> Result<Copied> {
    let mut db = Db::connect(url, None)?;
    let mut tx = db.client.transaction().map_err(pg_error)?;
    tx.batch_execute("SET LOCAL session_replication_role = replica")
        .map_err(|e| {
            Error::Auth(format!(
                "copying a store needs the server's superuser in the URL: {}",
                pg_error(e)
            ))
        })?;
    let held: i64 = tx
        .query_one("SELECT count(*) FROM audit_events", &[])
        .map_err(pg_error)?
        .get(0);
    if held > 0 {
        return Err(Error::rule(format!(
            "{} already holds a trail of {held} events; copy into a new database",
            redacted(url)
        )));
    }
    let tables: Vec<String> = tx
        .query(
            "SELECT table_name::text FROM information_schema.tables
              WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
                AND table_name NOT IN ('chain_head', 'schema_version') ORDER BY table_name",
            &[],
        )
        .map_err(pg_error)?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut counts = Vec::new();
    for table in &tables {
        let cols: Vec<String> = tx
            .query(
                "SELECT column_name::text FROM information_schema.columns
                  WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
                &[table],
            )
            .map_err(pg_error)?
            .iter()
            .map(|r| r.get(0))
            .collect();
        // The rows the schema made itself (the store's identity, derived versions) give way
        // to the desk's.
        tx.execute(&format!("DELETE FROM {table}"), &[])
            .map_err(pg_error)?;
        let list = cols.join(", ");
        let marks: Vec<String> = (1..=cols.len()).map(|i| format!("${i}")).collect();
        let insert = tx
            .prepare(&format!(
                "INSERT INTO {table} ({list}) VALUES ({})",
                marks.join(", ")
            ))
            .map_err(pg_error)?;
        let mut n = 0u64;
        desk.read(|d| {
            d.each(&format!("SELECT {list} FROM {table}"), &[], |r| {
                let values = (0..cols.len())
                    .map(|i| r.get::<Value>(i))
                    .collect::<Result<Vec<_>>>()?;
                tx.execute(&insert, &bind(&values)).map_err(pg_error)?;
                n += 1;
                Ok(true)
            })
        })?;
        counts.push((table.clone(), n));
    }
    let head = desk.read(|d| d.chain_head())?;
    tx.execute(
        "UPDATE chain_head SET seq = $1, hash = $2",
        &[&head.0, &head.1],
    )
    .map_err(pg_error)?;
    tx.batch_execute(
        "DO $seq$ DECLARE c RECORD; BEGIN
           FOR c IN SELECT table_name, column_name FROM information_schema.columns
                     WHERE table_schema = 'public' AND is_identity = 'YES' LOOP
             EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, %L), coalesce(max(%I), 0) + 1, false) FROM %I',
                            'public.' || c.table_name, c.column_name, c.column_name, c.table_name);
           END LOOP; END $seq$",
    )
    .map_err(pg_error)?;
    let people: Vec<(String, String)> = tx
        .query("SELECT name, role FROM users ORDER BY id", &[])
        .map_err(pg_error)?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let mut logins = Vec::new();
    for (name, role) in people {
        let exists = tx
            .query_opt(
                "SELECT pg_has_role(rolname, 'parakh_desk', 'MEMBER') AND NOT rolsuper
                   FROM pg_roles WHERE rolname = $1",
                &[&name],
            )
            .map_err(pg_error)?;
        match exists.map(|r| r.get::<_, bool>(0)) {
            Some(false) => {
                return Err(Error::rule(format!(
                    "the server has a login named {name} that is not a Parakh person's; rename it before copying"
                )));
            }
            // A login of the same person from elsewhere on the server keeps no password
            // from there: an admin of this unit sets it.
            Some(true) => {
                tx.batch_execute(&format!(
                    "ALTER ROLE \"{}\" LOGIN PASSWORD NULL",
                    name.replace('"', "\"\"")
                ))
                .map_err(pg_error)?;
            }
            None => {
                tx.batch_execute(&format!(
                    "CREATE ROLE \"{}\" LOGIN IN ROLE parakh_desk",
                    name.replace('"', "\"\"")
                ))
                .map_err(pg_error)?;
            }
        }
        for group in ["reviewer", "lead", "admin"] {
            let verb = if group == role { "GRANT" } else { "REVOKE" };
            let dir = if group == role { "TO" } else { "FROM" };
            tx.batch_execute(&format!(
                "{verb} parakh_{group} {dir} \"{}\"",
                name.replace('"', "\"\"")
            ))
            .map_err(pg_error)?;
        }
        logins.push(name);
    }
    tx.commit().map_err(pg_error)?;
    Ok((counts, head, logins))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_show() {
        assert_eq!(
            redacted("postgres://sana:secret@db.unit:5432/parakh"),
            "postgres://sana:***@db.unit:5432/parakh"
        );
        assert_eq!(
            redacted("postgres:///parakh?host=/run/pg&password=secret"),
            "postgres:///parakh?host=/run/pg&password=***"
        );
        assert_eq!(
            redacted("postgres://postgres:pw@/postgres?host=%2Ftmp%2Fs"),
            "postgres://postgres:***@/postgres?host=%2Ftmp%2Fs"
        );
        assert_eq!(
            with_database("postgres://postgres:pw@/postgres?host=%2Ftmp%2Fs", "unit"),
            "postgres://postgres:pw@/unit?host=%2Ftmp%2Fs"
        );
        assert_eq!(
            with_database("postgres://h:5432", "unit"),
            "postgres://h:5432/unit"
        );
        assert!(is_url("postgresql://x/y") && !is_url("/tmp/parakh.db"));
    }
}
