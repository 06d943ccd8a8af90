//! A workspace: one open store, the clock, and the signed-in person's session.

use chrono::{DateTime, Utc};
use serde_json::Value;
use std::path::{Path, PathBuf};

use crate::clock::{Clock, fmt_ts};
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
    clock: Clock,
    keys: crate::keys::KeyRing,
}

impl Workspace {
    /// Opens an existing store.
    pub fn open(path: &Path) -> Result<Self> {
        let mut ws = Workspace {
            store: Store::open(path, false)?,
            clock: Clock::System,
            keys: Default::default(),
        };
        ws.refresh_derived()?;
        crate::auth::record_legacy_credentials(&mut ws)?;
        ws.record_legacy_items()?;
        Ok(ws)
    }

    /// Records the reported fields of items stored before their digests were kept, once,
    /// in an `items_recorded` event (see [`crate::audit`]).
    fn record_legacy_items(&mut self) -> Result<()> {
        if !self.store.read(|tx| tx.items_without_digest())? {
            return Ok(());
        }
        let now = self.now();
        self.store.write(|tx| {
            let missing = tx.record_missing_item_digests()?;
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
        let mut ws = Workspace {
            store: Store::open(path, true)?,
            clock: Clock::System,
            keys: Default::default(),
        };
        ws.refresh_derived()?;
        crate::auth::record_legacy_credentials(&mut ws)?;
        ws.record_legacy_items()?;
        let created = taxonomy::install_default(&mut ws)?;
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
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The store file.
    pub fn path(&self) -> &Path {
        self.store.path()
    }

    /// Changes whenever another connection commits (see [`Store::data_version`]).
    pub fn data_version(&self) -> Result<i64> {
        self.store.data_version()
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

    /// The store, for use cases.
    pub(crate) fn store(&mut self) -> &mut Store {
        &mut self.store
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

/// Appends an audit event with a JSON payload, stored canonically.
pub(crate) fn record(
    tx: &Tx,
    at: DateTime<Utc>,
    actor: &str,
    action: &str,
    item: Option<i64>,
    payload: Value,
) -> Result<i64> {
    tx.append_event(
        &fmt_ts(at),
        actor,
        action,
        item,
        &canonical::to_string(&payload),
    )
}
