//! A long import streams its rows: its peak memory stays small whatever the file's length.
//! In a test binary of its own, so no other test's memory is counted (see below).

mod common;

use common::{children_peak_kb, run_parakh};

const HEADER: &str = "platform,kind,handle,display_name,url,text,language,followers,reported_at,source_ref,evidence\n";

/// Peak resident memory that importing any file may take, whatever its length, as the
/// README states: rows are streamed and staged on disk, never all held at once.
const IMPORT_MEMORY_BUDGET_MB: u64 = 64;

#[test]
fn a_long_import_streams_its_rows_within_a_small_memory_budget() {
    // A child's peak resident size counts the parent's pages at the moment it is spawned
    // (Linux takes the high-water mark before exec), so this test keeps its own memory
    // small: no signed-in desk, the file written a line at a time.
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    run_parakh(&db, &["init".as_ref()]);
    let rows = 100_000;
    let path = dir.path().join("long.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    f.write_all(HEADER.as_bytes()).unwrap();
    for i in 0..rows {
        writeln!(
            f,
            "telegram,channel,h{i}_media,Name {i},https://t.me/h{i}_media,synthetic text {i} about nothing in particular,en,{i},2026-10-01T10:00:00Z,CMP-{i},"
        )
        .unwrap();
    }
    f.flush().unwrap();
    drop(f);
    let file_mb = std::fs::metadata(&path).unwrap().len() / (1024 * 1024);
    let out = run_parakh(&db, &["import".as_ref(), path.as_os_str()]);
    assert!(out.contains(&format!("imported {rows} items")), "{out}");
    let peak_mb = children_peak_kb() / 1024;
    assert!(
        peak_mb <= IMPORT_MEMORY_BUDGET_MB,
        "importing {rows} rows ({file_mb} MB) peaked at {peak_mb} MB, over the {IMPORT_MEMORY_BUDGET_MB} MB budget"
    );
}
