//! A workspace: one open store, the clock, and the signed-in person's session.

use chrono::{DateTime, Utc};
use serde_json::Value;
use std::path::{Path, PathBuf};

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::model::{Role, canonical};
use crate::store::{Store, Tx};
use crate::taxonomy;

/// The actor name recorded for events the program makes itself (store creation).
pub const SYSTEM_ACTOR: &str = "system";

/// Who is acting. Obtained only from [`crate::auth::login`]; the role is re-read from the
/// store at every action, so a role change takes effect at once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// User id.
    pub user_id: i64,
    /// User name.
    pub name: String,
    /// Role at sign-in.
    pub role: Role,
}

/// An open store plus the clock every use case reads time from.
pub struct Workspace {
    store: Store,
    /// On a team server, each signed-in person's own connection (their login), by user id:
    /// what they do runs and is recorded under it. Empty on a file.
    logins: std::collections::HashMap<i64, Store>,
    clock: Clock,
    keys: crate::keys::KeyRing,
    state_dir: PathBuf,
    desk_problem: Option<String>,
}

impl Workspace {
    /// A workspace on `store`, with the system clock and this desk's records of stores.
    fn over(store: Store) -> Workspace {
        Workspace {
            store,
            logins: Default::default(),
            clock: Clock::System,
            keys: Default::default(),
            state_dir: crate::witness::default_dir(),
            desk_problem: None,
        }
    }

    /// Opens an existing store.
    pub fn open(path: &Path) -> Result<Self> {
        let mut ws = Workspace::over(Store::open(path, false)?);
        ws.refresh_derived()?;
        crate::auth::record_legacy_credentials(&mut ws)?;
        ws.record_legacy_items()?;
        ws.check_desk()?;
        Ok(ws)
    }

    /// Opens a team server's store at `url` as the person `name` with `password` (a URL
    /// without a login of its own).
    pub fn open_as(url: &str, name: &str, password: &str) -> Result<Self> {
        let mut ws = Workspace::over(Store::connect(url, Some((name, password)))?);
        ws.refresh_derived()?;
        ws.check_desk()?;
        Ok(ws)
    }

    /// Records the reported fields of items stored before their digests were kept, once,
    /// in an `items_recorded` event (see [`crate::audit`]).
    fn record_legacy_items(&mut self) -> Result<()> {
        // Done once per store, as the version marker says: no scan of the items at each open.
        if self.store.read(|tx| tx.derived_version("item_digests"))? >= 1 {
            return Ok(());
        }
        let now = self.now();
        self.store.write(|tx| {
            let missing = tx.record_missing_item_digests()?;
            tx.set_derived_version("item_digests", 1)?;
            let (Some(first), Some(last)) = (missing.first(), missing.last()) else {
                return Ok(());
            };
            let mut digest = crate::model::item::ItemsDigest::default();
            for (id, d) in &missing {
                digest.add(*id, d);
            }
            record(
                tx,
                now,
                SYSTEM_ACTOR,
                "items_recorded",
                None,
                serde_json::json!({
                    "first_id": first.0, "last_id": last.0, "count": missing.len(),
                    "items_sha256": digest.finish(),
                }),
            )?;
            Ok(())
        })
    }

    /// Recomputes the items' search text and handle keys if they were computed by an
    /// earlier definition (see [`crate::model::text::DERIVED_TEXT_VERSION`]).
    fn refresh_derived(&mut self) -> Result<()> {
        use crate::model::text::{DERIVED_TEXT_VERSION, handle_key, item_search_text};
        // A read first: opening must not wait for, or block, another desk's write.
        if self.store.read(|tx| tx.derived_version("item_text"))? >= DERIVED_TEXT_VERSION {
            return Ok(());
        }
        self.store.write(|tx| {
            if tx.derived_version("item_text")? >= DERIVED_TEXT_VERSION {
                return Ok(());
            }
            tx.recompute_item_text(|h, n, u, t| (item_search_text(h, n, u, t), handle_key(h)))?;
            tx.set_derived_version("item_text", DERIVED_TEXT_VERSION)
        })
    }

    /// Opens the store at `path`, creating it with the default taxonomy if needed.
    /// Idempotent: an initialised store is left as it is. Returns whether anything was created.
    pub fn init(path: &Path) -> Result<(Self, bool)> {
        let mut ws = Workspace::over(Store::open(path, true)?);
        ws.refresh_derived()?;
        crate::auth::record_legacy_credentials(&mut ws)?;
        ws.record_legacy_items()?;
        let created = taxonomy::install_default(&mut ws)?;
        ws.check_desk()?;
        Ok((ws, created))
    }

    /// Replaces the clock (tests use a manual one).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The clock.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Now, by the workspace clock.
    ///
    /// On a team server the system clock is corrected to the server's, so claims' leases
    /// and the times in the trail agree across desks whose clocks do not.
    pub fn now(&self) -> DateTime<Utc> {
        match self.clock {
            Clock::System => self.clock.now() + self.store.clock_offset(),
            Clock::Manual(_) => self.clock.now(),
        }
    }

    /// The store file.
    pub fn path(&self) -> &Path {
        self.store.path()
    }

    /// The newest event's sequence number (see [`Store::head_seq`]).
    pub fn head_seq(&mut self) -> Result<i64> {
        self.store.head_seq()
    }

    /// What any desk changed since event `seen` (see [`Store::changes_since`]).
    pub fn changes_since(&mut self, seen: i64) -> Result<crate::model::Changes> {
        self.store.changes_since(seen)
    }

    /// Keeps this desk's records of what it has seen of stores in `dir` instead of the
    /// platform data directory (see [`crate::witness`]), and checks the store against them.
    pub fn with_state_dir(mut self, dir: &Path) -> Self {
        self.state_dir = dir.to_path_buf();
        self.desk_problem = None;
        let _ = self.check_desk();
        self
    }

    /// Where this desk's records of stores are kept.
    pub fn state_dir(&self) -> &Path {
        &self.state_dir
    }

    /// What this desk found wrong when it opened the store: the newest events it had seen
    /// are gone or different (the tail cut off, an older copy put back, history rewritten).
    pub fn desk_problem(&self) -> Option<&str> {
        self.desk_problem.as_deref()
    }

    /// Compares the store with the newest chain head this desk has seen of it, and records
    /// the current head when it extends that one.
    pub(crate) fn check_desk(&mut self) -> Result<Option<String>> {
        let dir = self.state_dir.clone();
        let (store, seen, head, at_seen) = self.store.read(|tx| {
            let store = tx.store_identity()?;
            let seen = crate::witness::seen_head(&dir, &store);
            let at_seen = match &seen {
                Some(h) => tx.event_hash(h.seq)?,
                None => None,
            };
            Ok((store, seen, tx.chain_head()?, at_seen))
        })?;
        let problem = seen.and_then(|s| match at_seen {
            None => Some(format!(
                "this desk has seen event #{} of this store, and it is gone: the newest events were deleted or an older copy of the file was put back",
                s.seq
            )),
            Some(h) if h != s.hash => Some(format!(
                "event #{} of this store is not the one this desk saw: the trail was rewritten",
                s.seq
            )),
            Some(_) => None,
        });
        if problem.is_none() {
            let _ = crate::witness::record_head(
                &dir,
                &store,
                &crate::witness::Head {
                    seq: head.0,
                    hash: head.1,
                },
            );
        } else {
            self.desk_problem = problem.clone();
        }
        Ok(problem)
    }

    /// The unwrapped signing key of `s`, for one signed act (see [`crate::keys::KeyRing`]).
    pub(crate) fn signer(&mut self, s: &Session) -> Result<crate::keys::Signer> {
        self.keys.take(s.user_id, &s.name)
    }

    /// Sets how long an unwrapped signing key is held after its last use on this workspace
    /// (default [`crate::keys::KEY_HOLD`]).
    pub fn with_key_hold(mut self, hold: std::time::Duration) -> Self {
        self.keys.set_hold(hold);
        self
    }

    /// The keys unwrapped on this workspace.
    pub(crate) fn keyring(&mut self) -> &mut crate::keys::KeyRing {
        &mut self.keys
    }

    /// The store, for use cases: on a server, the connection of the URL's own login.
    pub(crate) fn store(&mut self) -> &mut Store {
        &mut self.store
    }

    /// The store as `s` acts on it: on a team server, the connection made with their own
    /// login at sign-in; on a file, the one store.
    pub(crate) fn store_as(&mut self, s: &Session) -> &mut Store {
        if self.logins.contains_key(&s.user_id) {
            self.logins.get_mut(&s.user_id).expect("checked")
        } else {
            &mut self.store
        }
    }

    /// [`Workspace::store_as`] for an optional session ([`Workspace::store`] without one).
    pub(crate) fn store_as_opt(&mut self, s: Option<&Session>) -> &mut Store {
        match s {
            Some(s) => self.store_as(s),
            None => &mut self.store,
        }
    }

    /// Runs `f` with `person` in place of the workspace's own connection (a sign-in on a
    /// server, before the session exists), then keeps `person` as the connection of the
    /// session `f` returns.
    pub(crate) fn signing_in(
        &mut self,
        person: Store,
        f: impl FnOnce(&mut Workspace) -> Result<Session>,
    ) -> Result<Session> {
        let base = std::mem::replace(&mut self.store, person);
        let out = f(self);
        let person = std::mem::replace(&mut self.store, base);
        let s = out?;
        self.logins.insert(s.user_id, person);
        Ok(s)
    }

    /// Whether the store is a team server.
    pub fn is_server(&self) -> bool {
        self.store.is_server()
    }

    /// Where the store is, for people (a path, or a server URL without its password).
    pub fn location(&self) -> String {
        self.store.location()
    }

    /// The default store location: the platform data directory, e.g.
    /// `~/.local/share/parakh/parakh.db` on Linux.
    pub fn default_path() -> Result<PathBuf> {
        directories::ProjectDirs::from("", "", "parakh")
            .map(|d| d.data_dir().join("parakh.db"))
            .ok_or_else(|| {
                Error::invalid("cannot find a home directory for the default store; pass --db PATH")
            })
    }
}

impl Drop for Workspace {
    /// Notes the newest chain head this desk has seen, so a trail cut short or put back
    /// to an older copy afterwards is found when the desk opens it again.
    fn drop(&mut self) {
        if self.desk_problem.is_none() {
            let _ = self.check_desk();
        }
    }
}

/// Appends an audit event with a JSON payload, stored canonically.
pub(crate) fn record(
    tx: &Tx,
    at: DateTime<Utc>,
    actor: &str,
    action: &str,
    item: Option<i64>,
    payload: Value,
) -> Result<i64> {
    tx.append_event(at, actor, action, item, &canonical::to_string(&payload))
}
