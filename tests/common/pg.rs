//! A team server for the tests: the one named by `PARAKH_TEST_SERVER` (the superuser's URL,
//! as `.ci/postgres` prints it), or else a throwaway cluster this test binary starts with
//! `.ci/postgres` and stops when it exits. Each test gets a fresh database of its own.

use std::os::fd::AsRawFd;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

// A test binary may hold several copies of this module (the conformance suite includes
// each test file with its own `mod common`), so what must be one per process is kept by
// the process id: the cluster's directory and lock files.
static SERVER: OnceLock<String> = OnceLock::new();
static CLUSTER_DIR: OnceLock<PathBuf> = OnceLock::new();

/// An exclusive lock on a file, held until dropped (`flock`, so threads of one process
/// exclude each other too).
pub struct FileLock(std::fs::File);

impl FileLock {
    fn take(path: &str) -> FileLock {
        let f = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .expect("lock file");
        // SAFETY: flock on a descriptor this value owns.
        let r = unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX) };
        assert_eq!(r, 0, "flock {path}");
        FileLock(f)
    }
}

fn per_process(what: &str) -> String {
    format!("/tmp/parakh-pg-{}{what}", std::process::id())
}

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".ci/postgres")
}

extern "C" fn stop_cluster() {
    if let Some(dir) = CLUSTER_DIR.get() {
        let _ = Command::new(script()).arg("stop").arg(dir).output();
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// The superuser's URL of the tests' server.
pub fn server() -> &'static str {
    SERVER.get_or_init(|| {
        if let Ok(url) = std::env::var("PARAKH_TEST_SERVER") {
            return url;
        }
        let _one_at_a_time = FileLock::take(&per_process(".start"));
        let dir = PathBuf::from(per_process(""));
        let out = Command::new(script())
            .arg("start")
            .arg(&dir)
            .output()
            .expect("run .ci/postgres");
        assert!(
            out.status.success(),
            "no PostgreSQL server for the tests (set PARAKH_TEST_SERVER or install PostgreSQL): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        CLUSTER_DIR.set(dir).unwrap();
        let _ = std::fs::remove_file(per_process(".start"));
        // SAFETY: registering a plain function to run at exit.
        unsafe { libc::atexit(stop_cluster) };
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    })
}

/// `server()` with its database replaced by `db`.
pub fn url_of(db: &str) -> String {
    parakh::store::postgres::with_database(server(), db)
}

/// A URL for a database of its own that does not exist yet (`server init` creates it).
pub fn fresh_url() -> String {
    let nonce: u64 = rand::random();
    url_of(&format!("parakh_t{}_{nonce:x}", std::process::id()))
}

/// People's logins belong to the whole server, so tests that sign the same names in take
/// turns: this is held for the test's whole desk.
pub fn logins() -> FileLock {
    FileLock::take(&per_process(".logins"))
}

/// The name of `url`'s database.
pub fn database_of(url: &str) -> String {
    let config: postgres::Config = url.parse().unwrap();
    config.get_dbname().unwrap().to_string()
}

/// Ends every other connection to `url`'s database (a copy or a restore needs them gone).
pub fn close_connections(admin: &mut postgres::Client, url: &str) {
    admin
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
              WHERE datname = $1 AND pid <> pg_backend_pid()",
            &[&database_of(url)],
        )
        .unwrap();
}

/// A superuser's connection to `url`'s database, which ignores the program: what a person
/// with the server's keys, or a desk skipping the program, could do.
pub fn superuser(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).expect("superuser connection")
}

/// A connection to `url`'s database as `login` with `password`, outside the program.
pub fn as_login(url: &str, login: &str, password: &str) -> postgres::Client {
    let mut config: postgres::Config = url.parse().unwrap();
    config.user(login).password(password);
    config.connect(postgres::NoTls).expect("login connection")
}

/// The tests' server over TLS on loopback, verified against the cluster's own CA: from
/// `PARAKH_TEST_SERVER_TLS`, or the cluster this binary started.
pub fn tls_server() -> String {
    if let Ok(url) = std::env::var("PARAKH_TEST_SERVER_TLS") {
        return url;
    }
    assert!(
        std::env::var("PARAKH_TEST_SERVER").is_err(),
        "PARAKH_TEST_SERVER is set without PARAKH_TEST_SERVER_TLS (the same server over TLS, as .ci/postgres writes it to DIR/tls-url)"
    );
    server();
    let dir = CLUSTER_DIR.get().expect("the tests' cluster");
    std::fs::read_to_string(dir.join("tls-url"))
        .expect("the cluster's tls-url")
        .trim()
        .to_string()
}
