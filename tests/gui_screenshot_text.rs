//! The workstation reads unread screenshots in the background after sign-in, finds an
//! item by words only its screenshot holds, says so in the queue, shows that screenshot
//! first and outlines the words. Needs Tesseract, as `screenshot_text.rs` does.

mod common;

use common::ui::{harness_of, press, settle, sign_in};
use common::*;
use egui::Key;
use egui_kittest::kittest::Queryable;
use parakh::demo::{CardSpec, card_png};
use parakh::gui::App;
use parakh::gui::settings::Remembered;
use parakh::model::Platform;
use parakh::typeset::UrduFace;
use parakh::{evidence, review};
use std::time::{Duration, Instant};

#[test]
fn screenshots_are_read_in_the_background_and_a_search_hit_is_outlined() {
    let mut d = desk();
    let ids = d.items(&["kafila_news", "quiet_account"]);
    let rev = d.rev.clone();
    review::claim(&mut d.ws, &rev, ids[1]).unwrap();
    let card = card_png(&CardSpec {
        platform: Platform::Telegram,
        handle: "quiet_account",
        name: "Quiet Account",
        lines: &["Join our channel for daily updates"],
        face: UrduFace::Naskh,
        picture: false,
        seed: 5,
    });
    // The screenshot with the words second, after one without text.
    let files = [
        d.file("plain.png", &png(60, 40, 3)),
        d.file("card.png", &card),
    ];
    evidence::attach(&mut d.ws, &rev, ids[1], &files).unwrap();
    let app = App::new(Some(d.path.clone()), Remembered::default());
    let mut h = harness_of(app, None, false, egui::vec2(1440.0, 900.0));
    sign_in(&mut h, &d.rev2.name, PW);
    let start = Instant::now();
    while h.state().desk().unwrap().unread_screenshots != Some(0) {
        h.step();
        std::thread::sleep(Duration::from_millis(20));
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "nothing was read"
        );
    }
    assert!(
        h.query_by_label_contains("Screenshot text is not being read")
            .is_none(),
        "Tesseract is installed"
    );
    press(&mut h, Key::Slash);
    h.get_by_label("Search").type_text("channel");
    settle(&mut h);
    let desk = h.state().desk().unwrap();
    let rows: Vec<(i64, bool)> = desk
        .queue
        .rows
        .iter()
        .map(|r| (r.item.id, r.in_image))
        .collect();
    assert_eq!(rows, vec![(ids[1], true)]);
    assert!(
        h.query_by_label_contains("in the text of a screenshot")
            .is_some()
    );
    let desk = h.state().desk().unwrap();
    let shown = desk.item.as_ref().expect("the first result is shown");
    assert_eq!(shown.record.item.id, ids[1]);
    assert_eq!(
        desk.viewer.index, 1,
        "the screenshot holding the match shows first"
    );
    assert!(
        h.query_by_label_contains("1 matching your search (outlined)")
            .is_some()
    );
}
