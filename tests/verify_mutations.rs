//! A property test: any single change to the trail, its signatures or the rows they back,
//! made behind the program's back (triggers dropped), never makes `audit verify` pass and
//! never makes it panic.

mod common;

use common::*;
use parakh::{Workspace, audit, review};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rusqlite::types::Value;

/// (table, column) pairs that verification covers.
const COVERED: &[(&str, &str)] = &[
    ("audit_events", "at"),
    ("audit_events", "actor"),
    ("audit_events", "action"),
    ("audit_events", "item_id"),
    ("audit_events", "payload"),
    ("audit_events", "prev_hash"),
    ("audit_events", "hash"),
    ("event_signatures", "signer"),
    ("event_signatures", "key_fingerprint"),
    ("event_signatures", "signature"),
    ("proposals", "packet"),
    ("proposals", "packet_hash"),
    ("proposals", "proposer_id"),
    ("approvals", "approver_id"),
    ("approvals", "packet_hash"),
    ("items", "url"),
    ("items", "handle"),
    ("items", "platform"),
    ("users", "role"),
    ("users", "password_hash"),
    ("user_keys", "public_key"),
];

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::Integer),
        (0i64..8).prop_map(Value::Integer),
        "[a-z0-9 ]{0,12}".prop_map(Value::Text),
        Just(Value::Text("lead".into())),
        Just(Value::Text("reviewer".into())),
        proptest::collection::vec(any::<u8>(), 0..70).prop_map(Value::Blob),
        Just(Value::Null),
    ]
}

#[test]
fn no_single_change_passes_verify() {
    let mut d = desk();
    let items = d.items(&["mutated_one", "mutated_two"]);
    let (rev, lead) = (d.rev.clone(), d.lead.clone());
    d.propose_takedown(&rev, items[0], 14);
    review::approve(&mut d.ws, &lead, items[0], None).unwrap();
    d.propose_takedown(&rev, items[1], 15);
    assert!(audit::verify(&mut d.ws).unwrap().ok());
    let template = d.dir.path().join("template.db");
    d.raw()
        .execute("VACUUM INTO ?1", [template.to_str().unwrap()])
        .unwrap();

    let case = d.dir.path().join("case.db");
    let state = d.dir.path().join("state");
    let mut runner = TestRunner::new(Config {
        cases: 96,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(
            &(0..COVERED.len(), any::<prop::sample::Index>(), value()),
            |(which, row, new)| {
                let (table, column) = COVERED[which];
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", case.display()));
                }
                std::fs::copy(&template, &case).unwrap();
                let conn = rusqlite::Connection::open(&case).unwrap();
                let triggers: Vec<String> = conn
                    .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'")
                    .unwrap()
                    .query_map([], |r| r.get(0))
                    .unwrap()
                    .map(Result::unwrap)
                    .collect();
                for t in triggers {
                    conn.execute_batch(&format!("DROP TRIGGER \"{t}\""))
                        .unwrap();
                }
                let rowids: Vec<i64> = conn
                    .prepare(&format!("SELECT rowid FROM {table} ORDER BY rowid"))
                    .unwrap()
                    .query_map([], |r| r.get(0))
                    .unwrap()
                    .map(Result::unwrap)
                    .collect();
                let rowid = rowids[row.index(rowids.len())];
                let before: Value = conn
                    .query_row(
                        &format!("SELECT {column} FROM {table} WHERE rowid = ?1"),
                        [rowid],
                        |r| r.get(0),
                    )
                    .unwrap();
                if before == new {
                    return Ok(()); // no change
                }
                // A constraint may refuse the value; then nothing changed either.
                let changed = conn
                    .execute(
                        &format!("UPDATE {table} SET {column} = ?2 WHERE rowid = ?1"),
                        rusqlite::params![rowid, new],
                    )
                    .is_ok();
                drop(conn);
                if !changed {
                    return Ok(());
                }
                let verdict = Workspace::open(&case)
                    .map(|ws| ws.with_state_dir(&state))
                    .and_then(|mut ws| audit::verify(&mut ws));
                if let Ok(v) = verdict {
                    prop_assert!(
                        !v.ok(),
                        "{table}.{column} of row {rowid} changed and verify passed"
                    );
                }
                Ok(())
            },
        )
        .unwrap();
}
