//! Setting up a unit's team server: the database, the schema with its rules, roles and
//! grants, and the first admin's login. Run with the server owner's URL (a login that may
//! create databases and roles); repeating it is harmless.

use std::path::Path;

use crate::auth;
use crate::error::Result;
use crate::model::Role;
use crate::store::postgres;
use crate::workspace::Workspace;

/// What `server init` did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InitReport {
    /// The database was created.
    pub created_database: bool,
    /// The schema was installed.
    pub created_schema: bool,
    /// The first admin was added.
    pub added_admin: bool,
}

/// Creates the database `url` names if it does not exist, its schema, the default
/// taxonomy, and `admin` as the first admin with `password` (when the store has no users
/// yet). Returns what it did.
pub fn init(url: &str, admin: &str, password: &str) -> Result<InitReport> {
    let created_database = postgres::create_database(url)?;
    let created_schema = postgres::Db::connect_unchecked(url, None)?.install_schema()?;
    let (mut ws, _) = Workspace::init(Path::new(url))?;
    let added_admin = if auth::list_users(&mut ws)?.is_empty() {
        auth::add_user(&mut ws, None, admin, Role::Admin, password)?;
        true
    } else {
        false
    };
    Ok(InitReport {
        created_database,
        created_schema,
        added_admin,
    })
}

/// What `server copy` moved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopyReport {
    /// Rows copied, by table.
    pub rows: Vec<(String, u64)>,
    /// The desk's chain head, now the copy's event before its `copied_from` event.
    pub head: (i64, String),
    /// People given a login without a password (an admin sets them: `parakh user reset`).
    pub logins: Vec<String>,
}

/// Moves the store file `from` onto the empty server database `to` (created if missing)
/// with its audit chain, signatures, checkpoints' origin and every row as they are, then
/// records a `copied_from` event after the desk's last one. Each person gets a login in
/// the group of their role, without a password, except `admin`, an admin of the desk who
/// proves it with their desk password, which becomes their login's: they then set the
/// others' (`parakh user reset`). All or nothing; needs the server's superuser (the rows
/// are written as they were, without re-running the rules that admitted them on the
/// desk, which the copy's `audit verify` checks instead).
pub fn copy(from: &Path, to: &str, admin: &str, password: &str) -> Result<CopyReport> {
    let mut desk = crate::store::Store::open(from, false)?;
    if desk.is_server() {
        return Err(crate::error::Error::Usage(
            "server copy moves a store file: --from FILE.db".into(),
        ));
    }
    let proven = desk
        .read(|tx| tx.user_by_name(admin))?
        .filter(|u| u.role == Role::Admin && auth::password_matches(password, &u.password_hash));
    let Some(admin_row) = proven else {
        return Err(crate::error::Error::Auth(format!(
            "'{admin}' is not an admin of {} with that password",
            from.display()
        )));
    };
    postgres::create_database(to)?;
    postgres::Db::connect_unchecked(to, None)?.install_schema()?;
    let (rows, head, mut logins) = postgres::copy_from(&mut desk, to)?;
    let mut ws = Workspace::open(Path::new(to))?;
    ws.store()
        .write(|tx| tx.set_login_password(&admin_row.name, password))?;
    logins.retain(|n| !n.eq_ignore_ascii_case(&admin_row.name));
    let now = ws.now();
    let identity = ws.store().read(|tx| tx.store_identity())?;
    ws.store().write(|tx| {
        crate::workspace::record(
            tx,
            now,
            crate::workspace::SYSTEM_ACTOR,
            "copied_from",
            None,
            serde_json::json!({
                "store": identity,
                "head_seq": head.0,
                "head_hash": head.1,
                "file": from.file_name().map(|f| f.to_string_lossy().into_owned()),
            }),
        )
    })?;
    Ok(CopyReport { rows, head, logins })
}
