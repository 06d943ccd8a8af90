//! How the workstation's threads open the store: a desk's file, or a team server as the
//! person signed in (each thread its own connection under their login).

use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

use crate::Workspace;
use crate::error::Result;
use crate::store::postgres;

/// What a thread needs to open the store.
#[derive(Clone)]
pub struct Opener {
    path: PathBuf,
    /// On a server: the person's login and password, kept while they are signed in so the
    /// image decoders and imports can connect as them too.
    login: Option<(String, Zeroizing<String>)>,
}

impl Opener {
    /// A desk's store file (or a server URL that names its own login).
    pub fn file(path: &Path) -> Opener {
        Opener {
            path: path.to_path_buf(),
            login: None,
        }
    }

    /// A team server at `url`, as `name` with `password`.
    pub fn server(url: &str, name: &str, password: &str) -> Opener {
        Opener {
            path: PathBuf::from(url),
            login: Some((name.to_string(), Zeroizing::new(password.to_string()))),
        }
    }

    /// Whether `path` is a team server's URL.
    pub fn is_server(path: &Path) -> bool {
        path.to_str().is_some_and(postgres::is_url)
    }

    /// Whether `path` is a server URL that names no login, so the store opens only once
    /// someone signs in.
    pub fn needs_login(path: &Path) -> bool {
        path.to_str()
            .is_some_and(|u| postgres::is_url(u) && !postgres::names_login(u))
    }

    /// The person's login and password, on a server.
    pub fn login(&self) -> Option<(&str, &str)> {
        self.login.as_ref().map(|(n, p)| (n.as_str(), p.as_str()))
    }

    /// The store's path (a URL for a server).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A listener for the team server's doorbell, as the person signed in.
    pub fn doorbell(&self) -> Result<postgres::Doorbell> {
        let url = self.path.to_str().unwrap_or_default();
        postgres::Doorbell::listen(url, self.login())
    }

    /// Opens the store.
    pub fn open(&self) -> Result<Workspace> {
        match (&self.login, self.path.to_str()) {
            (Some((name, pw)), Some(url)) => Workspace::open_as(url, name, pw),
            _ => Workspace::open(&self.path),
        }
    }
}

/// Where a store is, for people: the file's path, or the server's URL without a password.
pub fn location(path: &Path) -> String {
    match path.to_str() {
        Some(u) if postgres::is_url(u) => postgres::redacted(u),
        _ => path.display().to_string(),
    }
}
