//! Driving the real workstation in egui_kittest: a harness, waiting for the app to settle,
//! key presses, signing in.

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use parakh::clock::Clock;
use parakh::gui::App;
use parakh::gui::app::Screen;
use parakh::gui::settings::Remembered;
use std::path::Path;
use std::time::{Duration, Instant};

/// A 1440×900 harness running the app on the store at `path`. `clock` fixes the worker's
/// time (for images that must not change); `render` sets up the CPU renderer for snapshots.
pub fn harness(path: &Path, clock: Option<Clock>, render: bool) -> Harness<'static, App> {
    harness_sized(path, clock, render, egui::vec2(1440.0, 900.0))
}

/// [`harness`] with a window of `size` points.
pub fn harness_sized(
    path: &Path,
    clock: Option<Clock>,
    render: bool,
    size: egui::Vec2,
) -> Harness<'static, App> {
    harness_of(
        App::new(Some(path.to_path_buf()), Remembered::default()).without_screenshot_reader(),
        clock,
        render,
        size,
    )
}

/// A harness of `app` (which reads screenshots unless told not to).
pub fn harness_of(
    mut app: App,
    clock: Option<Clock>,
    render: bool,
    size: egui::Vec2,
) -> Harness<'static, App> {
    if let Some(c) = clock {
        app = app.with_clock(c);
    }
    let builder = Harness::builder().with_size(size).with_max_steps(200);
    let builder = if render { builder.wgpu() } else { builder };
    builder.build_ui_state(|ui, app: &mut App| app.show(ui), app)
}

/// Steps frames until the app waits for nothing (worker replies, decodes) and the UI is
/// calm. The time limit only guards against a hang.
pub fn settle(h: &mut Harness<'static, App>) {
    let start = Instant::now();
    let mut calm = 0;
    while calm < 3 {
        h.step();
        if h.state().idle() {
            calm += 1;
        } else {
            calm = 0;
            std::thread::sleep(Duration::from_millis(2));
        }
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "the app did not settle"
        );
    }
    h.run_steps(2);
}

/// Presses a key and waits for the app to settle.
pub fn press(h: &mut Harness<'static, App>, key: Key) {
    h.key_press(key);
    settle(h);
}

/// Signs in from the sign-in screen.
pub fn sign_in(h: &mut Harness<'static, App>, name: &str, password: &str) {
    settle(h);
    assert!(
        matches!(h.state().screen, Screen::SignIn(_)),
        "expected the sign-in screen"
    );
    submit_sign_in(h, name, password);
    let desk = h.state().desk().expect("signed in");
    assert_eq!(desk.session.name, name);
}

/// Presses `key` with Ctrl (Cmd on a Mac), and waits for the app to settle.
pub fn press_ctrl(h: &mut Harness<'static, App>, key: Key) {
    h.key_press_modifiers(Modifiers::COMMAND, key);
    settle(h);
}

/// Presses `key` with Ctrl (Cmd on a Mac) and Shift, and waits for the app to settle.
pub fn press_ctrl_shift(h: &mut Harness<'static, App>, key: Key) {
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, key);
    settle(h);
}

/// Steps through every screenshot of the open item with `]`, so each is drawn once.
pub fn open_every_screenshot(h: &mut Harness<'static, App>) {
    let n = h
        .state()
        .desk()
        .and_then(|d| d.item.as_ref())
        .map_or(0, |v| v.record.evidence.len());
    for _ in 1..n {
        press(h, Key::CloseBracket);
    }
}

/// Tries to sign in with a password that is refused; stays on the sign-in screen with the
/// name still filled in and the refusal shown.
pub fn sign_in_expecting_refusal(h: &mut Harness<'static, App>, name: &str, password: &str) {
    settle(h);
    submit_sign_in(h, name, password);
    assert!(
        matches!(h.state().screen, Screen::SignIn(_)),
        "a refused sign-in stays on the sign-in screen"
    );
    h.get_by_label_contains("Sign-in refused");
}

/// Types `name` and `password` into the sign-in screen and presses Enter.
fn submit_sign_in(h: &mut Harness<'static, App>, name: &str, password: &str) {
    h.get_by_label("User").focus();
    h.step();
    // The last user's name is prefilled: select it so typing replaces it.
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.step();
    h.get_by_label("User").type_text(name);
    h.get_by_label("Password").focus();
    h.get_by_label("Password").type_text(password);
    h.step();
    press(h, Key::Enter);
}
