//! Snapshot images of the main screens, rendered on the CPU by egui_kittest's wgpu
//! renderer and compared with the images under tests/snapshots. Regenerate with
//! `UPDATE_SNAPSHOTS=1 cargo test --test snapshots_gui` and look at them before committing.

mod common;

use common::ui::settle;

use egui::Key;
use egui_kittest::kittest::Queryable;

/// Every timestamp on screen comes from this clock, so the images do not change from run to run.
fn fixed_clock() -> parakh::clock::Clock {
    use chrono::TimeZone;
    parakh::clock::Clock::manual(
        chrono::Utc
            .with_ymd_and_hms(2026, 11, 20, 9, 30, 0)
            .unwrap(),
    )
}

/// Steps down the queue (J) to a new item with evidence and opens it (Enter).
fn open_new_item_with_evidence(h: &mut egui_kittest::Harness<'static, parakh::gui::App>) {
    for _ in 0..40 {
        let desk = h.state().desk().unwrap();
        let row = desk.queue.selected.and_then(|i| desk.queue.row(i)).unwrap();
        if row.evidence_count > 0 && row.item.status == parakh::model::Status::New {
            break;
        }
        h.key_press(Key::J);
        settle(h);
    }
    h.key_press(Key::Enter);
    settle(h);
}

#[test]
fn main_screens() {
    // A fixed path: the sign-in screen shows it.
    let dir = std::env::temp_dir().join("parakh-snapshots");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("demo.db");
    parakh::demo::create_at(&path, 40, fixed_clock()).unwrap();
    let mut h = common::ui::harness(&path, Some(fixed_clock()), true);
    settle(&mut h);
    h.snapshot("sign_in");
    h.get_by_label("User").type_text("ayesha");
    h.get_by_label("Password").focus();
    h.get_by_label("Password").type_text("parakh-ayesha");
    h.step();
    h.key_press(Key::Enter);
    settle(&mut h);
    // Step to a new item with evidence and open it.
    open_new_item_with_evidence(&mut h);
    h.snapshot("queue_and_item_veiled");
    h.key_press(Key::V);
    settle(&mut h);
    h.snapshot("item_revealed");
    h.key_press(Key::Questionmark);
    settle(&mut h);
    h.snapshot("shortcuts");
}

/// The desk at the smallest supported window and at a large one, for a reviewer with an
/// item open and for a lead with a proposal open.
fn desk_at(size: (f32, f32), name: &str) {
    let dir = std::env::temp_dir().join(format!("parakh-snapshots-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("demo.db");
    parakh::demo::create_at(&path, 40, fixed_clock()).unwrap();
    let mut h =
        common::ui::harness_sized(&path, Some(fixed_clock()), true, egui::vec2(size.0, size.1));
    common::ui::sign_in(&mut h, "ayesha", "parakh-ayesha");
    open_new_item_with_evidence(&mut h);
    h.snapshot(format!("reviewer_{name}"));
    h.get_by_label("File").click();
    settle(&mut h);
    h.get_by_label("Sign out").click();
    settle(&mut h);
    common::ui::sign_in(&mut h, "sana", "parakh-sana");
    h.snapshot(format!("lead_{name}"));
}

#[test]
fn desk_at_1024_by_640() {
    desk_at((1024.0, 640.0), "1024x640");
}

#[test]
fn desk_at_1920_by_1080() {
    desk_at((1920.0, 1080.0), "1920x1080");
}
