//! Columns computed in Rust (search text, handle keys) are recomputed when a store was
//! written by an earlier definition of them.

mod common;

use common::*;
use parakh::{Workspace, queue};

#[test]
fn stale_search_text_and_handle_keys_are_recomputed_on_open() {
    let mut d = desk();
    let id = d.items(&["ttp_media"])[0];
    let raw = d.raw();
    // As an older program would have left them.
    raw.execute(
        "UPDATE items SET search_text = 'stale', handle_key = 'stale' WHERE id = ?1",
        [id],
    )
    .unwrap();
    raw.execute("UPDATE derived_versions SET version = 1", [])
        .unwrap();
    assert!(
        queue::list(&mut d.ws, Default::default(), Some("ttp_media"))
            .unwrap()
            .is_empty()
    );

    let mut ws = Workspace::open(&d.path).unwrap();
    let key: String = raw
        .query_row("SELECT handle_key FROM items WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(key, parakh::model::text::handle_key("ttp_media"));
    let found = queue::list(&mut ws, Default::default(), Some("ttp_media")).unwrap();
    assert_eq!(
        found.len(),
        1,
        "the search index follows the recomputed text"
    );
    let version: i64 = raw
        .query_row(
            "SELECT version FROM derived_versions WHERE name = 'item_text'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(version, parakh::model::text::DERIVED_TEXT_VERSION);
}

#[test]
fn items_from_before_digests_are_recorded_once_and_then_verify() {
    let mut d = desk();
    d.items(&["older_one", "older_two"]);
    let raw = d.raw();
    // As a store from before item digests were kept.
    raw.execute_batch(
        "DROP TRIGGER items_fields_fixed; UPDATE items SET fields_sha256 = NULL;
         DELETE FROM derived_versions WHERE name = 'item_digests';",
    )
    .unwrap();
    let mut ws = Workspace::open(&d.path).unwrap();
    let recorded = |ws: &mut Workspace| {
        parakh::audit::log(ws, None)
            .unwrap()
            .into_iter()
            .filter(|e| e.action == "items_recorded")
            .count()
    };
    assert_eq!(recorded(&mut ws), 1);
    assert!(parakh::audit::verify(&mut ws).unwrap().ok());
    drop(ws);
    let mut ws = Workspace::open(&d.path).unwrap();
    assert_eq!(recorded(&mut ws), 1, "only once");
}
