//! Workstation benchmarks on a 100,000-item demo store: the UI thread's frame time while
//! the queue scrolls, and the time from "next item" (J) to that item's evidence drawn.
//! Run with `cargo bench --bench gui`. The store is built once and kept under target/.

#[path = "../common/mod.rs"]
mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use egui::Key;
use parakh::gui::App;
use parakh::gui::app::Screen;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const ITEMS: usize = 100_000;

fn store() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("demo-{ITEMS}.db"));
    if !path.exists() {
        let tmp = dir.join("building.db");
        let _ = std::fs::remove_file(&tmp);
        let started = Instant::now();
        parakh::demo::create(&tmp, ITEMS).unwrap();
        eprintln!(
            "built a {ITEMS}-item demo store in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        std::fs::rename(&tmp, &path).unwrap();
    }
    path
}

/// Whether the selected item is open and its first screenshot is on screen.
fn evidence_drawn(app: &mut App) -> bool {
    let App { screen, images, .. } = app;
    let (Screen::Desk(desk), Some(images)) = (screen, images) else {
        return false;
    };
    let Some(view) = &desk.item else { return false };
    if Some(view.record.item.id) != desk.selected_item() {
        return false;
    }
    desk.viewer
        .ready(&view.record.evidence, images, desk.settings.veil)
}

fn benches(c: &mut Criterion) {
    let path = store();
    let mut h = common::ui::harness(&path, None, false);
    common::ui::sign_in(&mut h, "ayesha", "parakh-ayesha");
    assert_eq!(h.state().desk().unwrap().queue.rows.len(), ITEMS);

    let mut g = c.benchmark_group("workstation_100k");
    g.sample_size(30);
    // Scroll the queue table one notch per frame, down and then back up.
    let table = egui::pos2(200.0, 500.0);
    let mut frame = 0u64;
    g.bench_function("frame_while_scrolling_queue", |b| {
        b.iter(|| {
            frame += 1;
            let dy = if (frame / 400).is_multiple_of(2) {
                -120.0
            } else {
                120.0
            };
            h.hover_at(table);
            h.event(egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: egui::vec2(0.0, dy),
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Unknown,
                modifiers: egui::Modifiers::NONE,
            });
            h.step();
        })
    });
    // Next item (J) until its first screenshot is drawn; items without evidence count too.
    g.bench_function("next_item_to_evidence_drawn", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                h.key_press(Key::J);
                loop {
                    h.step();
                    if evidence_drawn(h.state_mut()) {
                        break;
                    }
                    std::thread::sleep(Duration::from_micros(200));
                }
                total += start.elapsed();
            }
            total
        })
    });
    g.finish();
}

criterion_group!(gui, benches);
criterion_main!(gui);
