//! Text inside screenshots (OCR): read by Tesseract after the evidence is stored, kept once
//! per SHA-256 with its words and boxes, searched with the items' own text, fed to the
//! mirror search, and never edited. Runs on both stores (the conformance suite includes
//! it). Needs Tesseract with its Urdu and English models: `.ci/run` installs them, and a
//! machine without them fails here rather than skipping.

mod common;

use common::*;
use parakh::demo::{CardSpec, card_png};
use parakh::model::Platform;
use parakh::model::ocr::{Outcome, matching_words};
use parakh::ocr::{self, Tesseract};
use parakh::typeset::UrduFace;
use parakh::{evidence, mirrors, queue, review};

fn engine() -> Tesseract {
    Tesseract::find()
        .unwrap_or_else(|why| panic!("these tests need Tesseract (.ci/run installs it): {why}"))
}

/// A text-only screenshot of a post.
fn screenshot(handle: &str, lines: &[&str], face: UrduFace) -> Vec<u8> {
    card_png(&CardSpec {
        platform: Platform::Telegram,
        handle,
        name: "Kafila News",
        lines,
        face,
        picture: false,
        seed: 7,
    })
}

/// Claims `item` as the reviewer and attaches `png`; returns its SHA-256.
fn attach(d: &mut Desk, item: i64, png: &[u8]) -> String {
    let rev = d.rev.clone();
    review::claim(&mut d.ws, &rev, item).unwrap();
    let f = d.file(&format!("shot-{item}.png"), png);
    evidence::attach(&mut d.ws, &rev, item, &[f]).unwrap()[0]
        .0
        .clone()
}

fn found(d: &mut Desk, q: &str) -> Vec<(i64, bool)> {
    queue::list(&mut d.ws, Default::default(), Some(q))
        .unwrap()
        .into_iter()
        .map(|r| (r.item.id, r.in_image))
        .collect()
}

#[test]
fn text_only_in_a_screenshot_finds_its_item_and_is_read_once() {
    let mut d = desk();
    let ids = d.items(&["kafila_news", "other_account"]);
    let png = screenshot(
        "kafila_news",
        &[
            "Join our channel for daily updates",
            "WhatsApp 0312-9876543",
        ],
        UrduFace::Naskh,
    );
    let sha = attach(&mut d, ids[0], &png);
    assert!(found(&mut d, "channel").is_empty(), "nothing is read yet");
    let rev = d.rev.clone();
    let done = ocr::read_pending(&mut d.ws, &rev, &engine(), false, &mut |_, _| {}).unwrap();
    assert_eq!((done.read, done.failed), (1, 0));
    assert!(done.words >= 8, "{done:?}");
    // Found by a word only the image holds, and marked as found there; by its own handle,
    // not; by both at once, yes (some of the words were in the image).
    assert_eq!(found(&mut d, "channel"), vec![(ids[0], true)]);
    assert_eq!(found(&mut d, "9876543"), vec![(ids[0], true)]);
    assert_eq!(found(&mut d, "kafila_news"), vec![(ids[0], false)]);
    assert_eq!(found(&mut d, "kafila channel"), vec![(ids[0], true)]);
    assert!(found(&mut d, "channel nowhere").is_empty());
    // The reading is stored with the engine, its models and the words' boxes.
    let record = queue::record(&mut d.ws, ids[0]).unwrap();
    let text = &record.image_text[0];
    assert_eq!(text.sha256, sha);
    assert_eq!(text.outcome, Outcome::Read);
    assert!(text.engine.starts_with("tesseract "), "{}", text.engine);
    assert!(text.models.contains("eng"), "{}", text.models);
    assert!(text.text.contains("daily updates"), "{}", text.text);
    let words = ocr::words(&mut d.ws, &sha).unwrap();
    let hits = matching_words(&words, &["channel".into()]);
    assert_eq!(hits.len(), 1);
    let w = &words[hits[0]];
    // The body text is drawn from x = 36, y = 146 on the 720×560 card, one line of 19 px.
    assert!(
        (30..200).contains(&w.x) && (130..200).contains(&w.y),
        "{w:?}"
    );
    assert!(w.h < 40 && w.confidence > 50.0, "{w:?}");
    // The same image on a second item is not read again; it finds that item too.
    let again = attach(&mut d, ids[1], &png);
    assert_eq!(again, sha);
    let done = ocr::read_pending(&mut d.ws, &rev, &engine(), false, &mut |_, _| {}).unwrap();
    assert_eq!(done.read, 0);
    let mut both = found(&mut d, "channel");
    both.sort();
    assert_eq!(both, vec![(ids[0], true), (ids[1], true)]);
}

#[test]
fn urdu_in_a_screenshot_is_found_however_it_is_spelled() {
    let mut d = desk();
    let ids = d.items(&["paigham_e_haq"]);
    let png = screenshot(
        "paigham_e_haq",
        &["ہمارا نیا چینل جوائن کریں"],
        UrduFace::Naskh,
    );
    attach(&mut d, ids[0], &png);
    let rev = d.rev.clone();
    ocr::read_pending(&mut d.ws, &rev, &engine(), false, &mut |_, _| {}).unwrap();
    // Searched in Urdu letters and, for "چینل", in the Arabic letter forms too.
    assert_eq!(found(&mut d, "چینل"), vec![(ids[0], true)]);
    assert_eq!(found(&mut d, "چينل"), vec![(ids[0], true)]);
}

#[test]
fn a_reading_the_engine_fails_on_says_why_and_is_read_again_when_asked() {
    let mut d = desk();
    let ids = d.items(&["kafila_news"]);
    let png = screenshot("kafila_news", &["Join our channel"], UrduFace::Naskh);
    let sha = attach(&mut d, ids[0], &png);
    // An engine that answers for its version and models, then crashes on every image.
    let fake = d.dir.path().join("crashing-tesseract");
    std::fs::write(
        &fake,
        "#!/bin/sh\ncase \"$1\" in\n--version) echo 'tesseract 5.3.0';;\n\
         --list-langs) echo 'List of available languages (1):'; echo eng;;\n\
         *) cat >/dev/null; kill -SEGV $$;;\nesac\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let crashing = Tesseract::at(&fake).unwrap();
    let rev = d.rev.clone();
    let done = ocr::read_pending(&mut d.ws, &rev, &crashing, false, &mut |_, _| {}).unwrap();
    assert_eq!((done.read, done.failed), (1, 1));
    let record = queue::record(&mut d.ws, ids[0]).unwrap();
    assert_eq!(record.image_text[0].outcome, Outcome::Failed);
    let problem = record.image_text[0].problem.clone().unwrap();
    assert!(problem.contains("killed by a signal"), "{problem}");
    // Not tried again unless asked; then the real engine reads it in place.
    let done = ocr::read_pending(&mut d.ws, &rev, &engine(), false, &mut |_, _| {}).unwrap();
    assert_eq!(done.read, 0);
    let done = ocr::read_pending(&mut d.ws, &rev, &engine(), true, &mut |_, _| {}).unwrap();
    assert_eq!((done.read, done.failed), (1, 0));
    assert_eq!(found(&mut d, "channel"), vec![(ids[0], true)]);
    assert!(!ocr::words(&mut d.ws, &sha).unwrap().is_empty());
}

#[test]
fn readings_are_never_edited_or_deleted_behind_the_program() {
    let mut d = desk();
    let ids = d.items(&["kafila_news"]);
    let png = screenshot("kafila_news", &["Join our channel"], UrduFace::Naskh);
    attach(&mut d, ids[0], &png);
    let rev = d.rev.clone();
    ocr::read_pending(&mut d.ws, &rev, &engine(), false, &mut |_, _| {}).unwrap();
    let db = d.bypass();
    for (sql, needle) in [
        (
            "UPDATE evidence_text SET text = 'planted words'",
            "never edited",
        ),
        (
            "UPDATE evidence_text SET search_text = 'planted'",
            "never edited",
        ),
        ("DELETE FROM evidence_text", "never deleted"),
        ("UPDATE evidence_words SET word = 'planted'", "never edited"),
        ("DELETE FROM evidence_words", "never deleted"),
    ] {
        let e = db.execute(sql, &[]).unwrap_err().to_string();
        assert!(e.contains(needle), "{sql}: {e}");
    }
    assert!(found(&mut d, "planted").is_empty());
}

#[test]
fn a_phone_number_read_from_a_taken_down_accounts_screenshot_points_to_its_mirror() {
    let mut d = desk();
    let ids = d.items(&["sada_e_haq"]);
    let rev = d.rev.clone();
    let lead = d.lead.clone();
    let card = screenshot(
        "sada_e_haq",
        &["For the full video message us", "0345-1112223"],
        UrduFace::Naskh,
    );
    d.propose_takedown_with(&rev, ids[0], &card);
    review::approve(&mut d.ws, &lead, ids[0], None).unwrap();
    ocr::read_pending(&mut d.ws, &rev, &engine(), false, &mut |_, _| {}).unwrap();
    // The new account shares nothing with it but the number, written in its bio.
    let mut r = row("naya_rabta");
    r.text = "naya rabta: 0345-1112223".into();
    let new = d.import(vec![r])[0];
    let found = mirrors::candidates(&mut d.ws, new).unwrap();
    let c = found
        .iter()
        .find(|c| c.item == ids[0])
        .unwrap_or_else(|| panic!("{found:#?}"));
    let phones = c.fields.iter().find(|f| f.field == "phones").unwrap();
    assert!(phones.agrees, "{phones:?}");
    assert!(
        phones
            .detail
            .contains("3451112223 (read from a screenshot)"),
        "{}",
        phones.detail
    );
}
