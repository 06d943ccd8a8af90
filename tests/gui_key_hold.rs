//! The workstation when a signing key's hold has run out: the next signed act opens a
//! prompt for the password, and after it the act goes through. In a binary of its own, as
//! it sets the hold for the whole process (to one signed act per sign-in).

mod common;

use common::ui::*;
use egui_kittest::kittest::Queryable;
use parakh::Workspace;

fn close_of_day(h: &mut egui_kittest::Harness<'static, parakh::gui::App>) {
    h.get_by_label("File").click();
    settle(h);
    h.get_by_label("Close of day: sign a checkpoint").click();
    settle(h);
}

#[test]
fn a_put_away_key_is_unlocked_again_with_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    parakh::demo::create(&path, 5).unwrap();
    // SAFETY: the only test of this binary; the demo's threads have ended and the
    // workstation's have not started.
    unsafe { std::env::set_var("PARAKH_KEY_HOLD_MINUTES", "0") };
    let mut h = harness(&path, None, false);
    sign_in(&mut h, "sana", "parakh-sana");
    close_of_day(&mut h); // the one act the sign-in allows
    assert!(h.query_by_label("Unlock your signing key").is_none());
    close_of_day(&mut h);
    assert!(
        h.query_by_label("Unlock your signing key").is_some(),
        "the prompt opens"
    );
    h.get_by_label("Password").type_text("parakh-sana");
    h.step();
    press(&mut h, egui::Key::Enter);
    assert!(h.query_by_label("Unlock your signing key").is_none());
    close_of_day(&mut h);
    let mut ws = Workspace::open(&path).unwrap();
    let signed = parakh::audit::log(&mut ws, None)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "checkpoint" && e.actor == "sana")
        .count();
    assert_eq!(signed, 2, "the first act, and the one after unlocking");
}
