//! Store files: only Parakh's own files are opened, nothing else is turned into a store,
//! and reading never waits for another desk's write.

mod common;

use common::*;
use parakh::store::APPLICATION_ID;
use parakh::{Error, Workspace, queue};

fn refused(r: parakh::Result<impl Sized>, needle: &str) {
    match r {
        Err(Error::Invalid(m)) => assert!(m.contains(needle), "{m:?} lacks {needle:?}"),
        Err(e) => panic!("expected a refusal containing {needle:?}, got {e:?}"),
        Ok(_) => panic!("expected a refusal containing {needle:?}, the file was opened"),
    }
}

fn mark(d: &Desk) -> i32 {
    d.raw()
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_new_store_carries_parakhs_mark() {
    let d = desk();
    assert_eq!(mark(&d), APPLICATION_ID);
}

#[test]
fn an_empty_file_is_not_opened_as_a_store_and_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.db");
    std::fs::write(&path, b"").unwrap();
    refused(Workspace::open(&path), "it is empty");
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
}

#[test]
fn another_programs_database_is_refused_unchanged_even_by_init() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x');")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    refused(Workspace::open(&path), "another program's SQLite database");
    refused(Workspace::init(&path), "another program's SQLite database");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the file is untouched"
    );

    let marked = dir.path().join("marked.db");
    {
        let c = rusqlite::Connection::open(&marked).unwrap();
        c.execute_batch("PRAGMA application_id = 1234; PRAGMA user_version = 3;")
            .unwrap();
    }
    refused(Workspace::open(&marked), "application id 0x4d2");

    let text = dir.path().join("notes.db");
    std::fs::write(
        &text,
        "not a database at all, just some words in a file".repeat(40),
    )
    .unwrap();
    refused(Workspace::open(&text), "not an SQLite database");
}

#[test]
fn a_store_of_an_earlier_parakh_without_the_mark_is_opened_and_marked() {
    let d = desk();
    d.raw().execute_batch("PRAGMA application_id = 0").unwrap();
    let _ws = Workspace::open(&d.path).unwrap();
    assert_eq!(mark(&d), APPLICATION_ID);
}

#[test]
fn opening_and_reading_do_not_wait_for_another_desks_write() {
    let mut d = desk();
    d.items(&["ttp_media", "bla_voice"]);
    // Another desk holds the write lock (a long import, say) for the whole test.
    let writer = d.raw();
    writer.execute_batch("BEGIN IMMEDIATE").unwrap();
    writer
        .execute("UPDATE items SET text = text WHERE id = 1", [])
        .unwrap();
    let mut ws = Workspace::open(&d.path).expect("opening needs no write lock");
    let rows = queue::list(&mut ws, Default::default(), None).expect("reading needs no write lock");
    assert_eq!(rows.len(), 2);
    writer.execute_batch("ROLLBACK").unwrap();
}
