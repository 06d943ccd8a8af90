//! The review workstation: an eframe/egui window over the same use cases as the command
//! line. Panels draw state and push [`desk::Action`]s; the app applies them by sending
//! requests to the store worker ([`backend`]); the frame never waits on SQLite, decoding
//! or hashing. Screenshots decode on a worker pool into a budgeted texture cache
//! ([`images`]).

pub mod app;
mod appeal_panel;
pub mod backend;
pub mod bidi_label;
pub mod dashboard;
mod decide_panel;
pub mod desk;
mod dialogs;
pub mod fonts;
pub mod images;
mod item_panel;
mod keys;
mod mirror_panel;
mod mirror_work;
pub mod opener;
mod queue_panel;
mod reader;
mod report_screen;
mod requests_screen;
mod screens;
pub mod settings;
pub mod text_box;
mod theme;
pub mod time;
mod viewer;
mod worker;

pub use app::App;

use std::path::PathBuf;

/// Opens the workstation window on the store at `db` (or the default location) and runs
/// until it is closed.
pub fn run(db: Option<PathBuf>) -> crate::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Parakh")
            .with_inner_size([1440.0, 900.0])
            .with_min_inner_size([960.0, 600.0])
            .with_drag_and_drop(true),
        persist_window: true,
        // Only the bundled fonts: every desk renders alike, and nothing depends on what a
        // machine happens to have installed.
        system_font_fallback: false,
        renderer: eframe::Renderer::Glow,
        ..Default::default()
    };
    eframe::run_native(
        "Parakh",
        options,
        Box::new(move |cc| {
            let remembered = cc
                .storage
                .and_then(|s| eframe::get_value::<settings::Remembered>(s, settings::STORAGE_KEY))
                .unwrap_or_default();
            Ok(Box::new(app::App::new(db, remembered)))
        }),
    )
    .map_err(|e| crate::Error::invalid(format!("cannot open the workstation window: {e}")))
}
