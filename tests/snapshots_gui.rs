//! Snapshot images of the main screens, rendered on the CPU by egui_kittest's wgpu
//! renderer and compared with the images under tests/snapshots. Regenerate with
//! `UPDATE_SNAPSHOTS=1 cargo test --test snapshots_gui` and look at them before committing.

mod common;

use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use parakh::gui::App;
use parakh::gui::settings::Remembered;
use std::path::Path;
use std::time::{Duration, Instant};

fn harness(path: &Path) -> Harness<'static, App> {
    Harness::builder()
        .with_size(egui::vec2(1440.0, 900.0))
        .with_max_steps(200)
        .wgpu()
        .build_ui_state(
            |ui, app: &mut App| app.show(ui),
            App::new(Some(path.to_path_buf()), Remembered::default()).with_clock(fixed_clock()),
        )
}

/// Every timestamp on screen comes from this clock, so the images do not change from run to run.
fn fixed_clock() -> parakh::clock::Clock {
    use chrono::TimeZone;
    parakh::clock::Clock::manual(
        chrono::Utc
            .with_ymd_and_hms(2026, 11, 20, 9, 30, 0)
            .unwrap(),
    )
}

fn settle(h: &mut Harness<'static, App>) {
    let start = Instant::now();
    let mut calm = 0;
    while calm < 3 {
        h.step();
        if h.state().idle() {
            calm += 1;
        } else {
            calm = 0;
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "the app did not settle"
        );
    }
    h.run_steps(2);
}

#[test]
fn main_screens() {
    // A fixed path: the sign-in screen shows it.
    let dir = std::env::temp_dir().join("parakh-snapshots");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("demo.db");
    parakh::demo::create_at(&path, 40, fixed_clock()).unwrap();
    let mut h = harness(&path);
    settle(&mut h);
    h.snapshot("sign_in");
    h.get_by_label("User").type_text("ayesha");
    h.get_by_label("Password").focus();
    h.get_by_label("Password").type_text("parakh-ayesha");
    h.step();
    h.key_press(Key::Enter);
    settle(&mut h);
    // Step to a new item with evidence and open it.
    for _ in 0..40 {
        let desk = h.state().desk().unwrap();
        let row = desk
            .queue
            .selected
            .and_then(|i| desk.queue.rows.get(i))
            .unwrap();
        if row.evidence_count > 0 && row.item.status == parakh::model::Status::New {
            break;
        }
        h.key_press(Key::J);
        settle(&mut h);
    }
    h.key_press(Key::Enter);
    settle(&mut h);
    h.snapshot("queue_and_item_veiled");
    h.key_press(Key::V);
    settle(&mut h);
    h.snapshot("item_revealed");
    h.key_press(Key::Questionmark);
    settle(&mut h);
    h.snapshot("shortcuts");
}
