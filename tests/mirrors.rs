//! Mirror candidates: look-alike handles, names, images and contacts of accounts already
//! taken down, scored field by field.

mod common;

use common::*;
use parakh::mirrors::{self, Subject};
use parakh::model::Outcome;
use parakh::model::TakenDown;
use parakh::review;

fn taken(id: i64, handle: &str, name: &str, text: &str) -> TakenDown {
    TakenDown {
        id,
        platform: "telegram".into(),
        handle: handle.into(),
        handle_key: parakh::model::text::handle_key(handle),
        display_name: name.into(),
        text: text.into(),
        image_text: String::new(),
        hashes: vec![],
    }
}

#[test]
fn look_alike_handles_rank_first_and_unrelated_ones_not_at_all() {
    let pool = vec![
        taken(
            1,
            "ttp_media",
            "Umar Media Official",
            "join us t.me/ttp_media_backup 0300-1234567",
        ),
        taken(2, "bla_news", "Balochistan News", ""),
        taken(3, "sada_e_haq", "Sada", ""),
    ];
    let subject = Subject {
        id: 99,
        handle: "t_t_p.medіa_2", // Cyrillic і, separators, trailing digit
        display_name: "umar media",
        text: "new channel: t.me/ttp_media_backup call +92 300 1234567",
        image_text: "",
        hashes: &[],
    };
    let found = mirrors::rank(&subject, &mirrors::Pool::new(pool.clone()));
    assert_eq!(found.iter().map(|c| c.item).collect::<Vec<_>>(), [1]);
    let c = &found[0];
    let field = |n: &str| c.fields.iter().find(|f| f.field == n).unwrap();
    assert!(field("handle_key").agrees && field("handle_key").weight > 0.0);
    assert!(field("display_name").agrees, "{:?}", field("display_name"));
    assert!(field("links").agrees, "{:?}", field("links"));
    assert!((c.score - c.fields.iter().map(|f| f.weight).sum::<f64>()).abs() < 1e-9);
}

#[test]
fn a_typo_handle_is_found_by_similarity_and_common_words_count_for_little() {
    let pool = vec![taken(1, "ttp_media", "Media Official", "")];
    let subject = Subject {
        id: 9,
        handle: "ttp_medla",
        display_name: "News Official",
        text: "",
        image_text: "",
        hashes: &[],
    };
    let found = mirrors::rank(&subject, &mirrors::Pool::new(pool.clone()));
    assert_eq!(found.len(), 1);
    let f = |n: &str| {
        found[0]
            .fields
            .iter()
            .find(|f| f.field == n)
            .unwrap()
            .clone()
    };
    assert!(!f("handle_key").agrees && f("handle_similarity").agrees);
    assert_eq!(
        f("display_name").weight,
        0.0,
        "only common words: no evidence either way"
    );
    let far = Subject {
        id: 9,
        handle: "gardening_tips",
        display_name: "Flowers",
        text: "",
        image_text: "",
        hashes: &[],
    };
    assert!(mirrors::rank(&far, &mirrors::Pool::new(pool)).is_empty());
}

/// Two accounts with unrelated handles: the first taken down with `first` (PNG bytes) as
/// evidence, the second with `second` attached. Their ids.
fn taken_down_and_new(d: &mut Desk, first: &[u8], second: &[u8]) -> [i64; 2] {
    let ids = d.items(&["original_acct", "brand_new_name"]);
    d.propose_takedown_with(&d.rev.clone(), ids[0], first);
    review::approve(&mut d.ws, &d.lead, ids[0], None).unwrap();
    review::claim(&mut d.ws, &d.rev2, ids[1]).unwrap();
    let f = d.file("second.png", second);
    parakh::evidence::attach(&mut d.ws, &d.rev2, ids[1], &[f]).unwrap();
    [ids[0], ids[1]]
}

#[test]
fn a_reposted_screenshot_links_a_new_account_to_a_taken_down_one() {
    let mut d = desk();
    // The same screenshot on both.
    let shot = blocks_png(160, 120, 7);
    let ids = taken_down_and_new(&mut d, &shot, &shot);
    let found = mirrors::candidates(&mut d.ws, ids[1]).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].item, ids[0]);
    assert!(
        found[0]
            .fields
            .iter()
            .any(|f| f.field == "images" && f.agrees)
    );
    // A taken-down account is not its own mirror.
    assert!(mirrors::candidates(&mut d.ws, ids[0]).unwrap().is_empty());
}

#[test]
fn flat_images_too_weak_to_hash_link_nobody() {
    let mut d = desk();
    // Blank screenshots on both: the hashes agree, but a flat image has PDQ quality 0 and
    // says nothing about who posted it.
    let ids = taken_down_and_new(&mut d, &flat_png(64, 64, 120), &flat_png(50, 40, 130));
    assert!(mirrors::candidates(&mut d.ws, ids[1]).unwrap().is_empty());
}

#[test]
fn the_mirrors_command_lists_candidates_as_json() {
    let mut d = desk();
    let ids = d.items(&["ttp_media", "ttp.media_", "unrelated_gardens"]);
    d.propose_takedown(&d.rev.clone(), ids[0], 3);
    review::approve(&mut d.ws, &d.lead, ids[0], None).unwrap();
    let run = |id: i64| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_parakh"))
            .arg("--db")
            .arg(&d.path)
            .args(["mirrors", &id.to_string(), "--json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let v = run(ids[1]);
    assert_eq!(v[0]["item"], ids[0]);
    assert!(v[0]["score"].as_f64().unwrap() >= mirrors::THRESHOLD);
    assert!(
        v[0]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["field"] == "handle_key" && f["agrees"] == true)
    );
    assert_eq!(run(ids[2]).as_array().unwrap().len(), 0);
}

#[test]
fn confirming_a_mirror_copies_the_earlier_grounds_and_still_needs_four_eyes() {
    let mut d = desk();
    let ids = d.items(&["ttp_media", "ttp.media_"]);
    d.propose_takedown(&d.rev.clone(), ids[0], 3);
    review::approve(&mut d.ws, &d.lead, ids[0], None).unwrap();
    // A claim is needed to record a verdict.
    assert_rule(
        mirrors::decide(&mut d.ws, &d.rev2, ids[1], ids[0], true),
        "claim item",
    );
    review::claim(&mut d.ws, &d.rev2, ids[1]).unwrap();
    let tags = mirrors::decide(&mut d.ws, &d.rev2, ids[1], ids[0], true).unwrap();
    assert_eq!(tags, ["ttp", "peca-9"]);
    let rec = parakh::queue::record(&mut d.ws, ids[1]).unwrap();
    assert_eq!(rec.tags.len(), 2);
    assert_eq!(
        rec.item.status,
        parakh::model::Status::InReview,
        "nothing is decided by the confirmation"
    );
    let v = mirrors::verdicts(&mut d.ws, ids[1]).unwrap();
    assert!(v[0].confirmed && v[0].of_item == ids[0] && v[0].decided_by == "rev2");
    let events: Vec<String> = parakh::audit::log(&mut d.ws, Some(ids[1]))
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(events.contains(&"mirror_confirm".to_string()) && events.contains(&"tag".to_string()));
    // It still needs its own proposal and approval by someone else.
    let f = d.file("m.png", &png(30, 30, 9));
    parakh::evidence::attach(&mut d.ws, &d.rev2, ids[1], &[f]).unwrap();
    review::propose(
        &mut d.ws,
        &d.rev2,
        ids[1],
        Outcome::Takedown,
        "mirror of the earlier account",
    )
    .unwrap();
    review::approve(&mut d.ws, &d.lead2, ids[1], None).unwrap();
    // Rejecting is recorded too; a non-takedown cannot be the original.
    let other = d.items(&["someone_else"])[0];
    review::claim(&mut d.ws, &d.rev, other).unwrap();
    assert_rule(
        mirrors::decide(&mut d.ws, &d.rev, other, other, false),
        "no approved takedown",
    );
    mirrors::decide(&mut d.ws, &d.rev, other, ids[0], false).unwrap();
    assert!(!mirrors::verdicts(&mut d.ws, other).unwrap()[0].confirmed);
    assert!(parakh::audit::verify(&mut d.ws).unwrap().ok());
}

#[test]
fn the_pool_stays_current_until_a_takedown_is_approved_or_overturned() {
    let mut d = desk();
    let ids = d.items(&["ttp_media", "other_channel", "third_channel"]);
    d.propose_takedown(&d.rev.clone(), ids[0], 3);
    review::approve(&mut d.ws, &d.lead, ids[0], None).unwrap();
    let pool = mirrors::pool(&mut d.ws).unwrap();
    assert_eq!(pool.len(), 1);
    // Other work — claims, tags, proposals — leaves it current.
    d.propose_takedown(&d.rev2.clone(), ids[1], 4);
    assert!(mirrors::pool_is_current(&mut d.ws, &pool).unwrap());
    review::approve(&mut d.ws, &d.lead, ids[1], None).unwrap();
    assert!(
        !mirrors::pool_is_current(&mut d.ws, &pool).unwrap(),
        "a new takedown"
    );
    let pool = mirrors::pool(&mut d.ws).unwrap();
    assert_eq!(pool.len(), 2);
    let appeal =
        parakh::appeals::file(&mut d.ws, &d.rev, ids[1], "holder", "A-1", "grounds").unwrap();
    parakh::appeals::propose(
        &mut d.ws,
        &d.rev,
        appeal,
        parakh::appeals::AppealOutcome::Overturned,
        "news",
    )
    .unwrap();
    assert!(
        mirrors::pool_is_current(&mut d.ws, &pool).unwrap(),
        "nothing decided yet"
    );
    parakh::appeals::approve(&mut d.ws, &d.lead2, appeal).unwrap();
    assert!(
        !mirrors::pool_is_current(&mut d.ws, &pool).unwrap(),
        "an overturned takedown"
    );
    assert_eq!(mirrors::pool(&mut d.ws).unwrap().len(), 1);
}
