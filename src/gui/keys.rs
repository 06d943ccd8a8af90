//! Keyboard shortcuts: one table, shown by `?`, and one handler.

use egui::{Key, Modifiers};

use super::desk::{Action, Desk, Focus, Tab, View};
use crate::model::Role;

/// Every shortcut: keys and what they do.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("J / ↓", "next item"),
    ("K / ↑", "previous item"),
    ("Enter", "open the selected item for review (claims it)"),
    ("/", "search the queue"),
    ("Space (hold)", "reveal the blurred screenshot"),
    ("V", "reveal or veil the screenshot"),
    ("U", "show Urdu in Nastaliq or Naskh"),
    ("[ / ]", "previous / next screenshot"),
    ("+ / −", "zoom in / out"),
    ("0", "fit the screenshot"),
    ("1", "screenshot at 1:1"),
    ("G", "find a group"),
    ("L", "find a legal ground"),
    (
        "T / N / E",
        "outcome: takedown / no violation / insufficient evidence",
    ),
    ("W", "write the rationale"),
    ("Ctrl+Enter", "submit the decision and go to the next item"),
    ("Q", "the queue"),
    ("I", "the approvals inbox (leads)"),
    (
        "F2",
        "requests to platforms (overdue first; J / K step through them)",
    ),
    ("F3", "the transparency report"),
    ("A", "approve the proposal (leads)"),
    ("R", "return the proposal with a reason (leads)"),
    ("Ctrl+O", "import reported items"),
    ("Ctrl+Shift+O", "attach evidence to the open item"),
    ("Ctrl+Shift+Q", "sign out"),
    (
        "Ctrl+M",
        "confirm the open item is a mirror of the first candidate (copies its tags)",
    ),
    (
        "Ctrl+Shift+M",
        "record that it is not a mirror of the first candidate",
    ),
    ("Ctrl+E", "export approved decisions"),
    ("Esc", "leave a text box or close a window"),
    ("?", "show these shortcuts"),
];

/// Handles the desk's shortcuts for this frame. Returns whether Space is held (reveal).
pub fn handle(ctx: &egui::Context, desk: &mut Desk, actions: &mut Vec<Action>) -> bool {
    let typing = ctx.text_edit_focused();
    let pressed = |key: Key| ctx.input_mut(|i| i.consume_key(Modifiers::NONE, key));
    if pressed(Key::F2) {
        actions.push(Action::SwitchView(View::Requests));
    }
    if pressed(Key::F3) {
        actions.push(Action::SwitchView(View::Report));
    }
    if desk.view != View::Desk {
        if desk.view == View::Requests && !typing {
            if pressed(Key::J) || pressed(Key::ArrowDown) {
                desk.requests.step(1);
            }
            if pressed(Key::K) || pressed(Key::ArrowUp) {
                desk.requests.step(-1);
            }
        }
        if !typing && pressed(Key::Q) {
            actions.push(Action::SwitchTab(Tab::Queue));
        }
        if !typing && pressed(Key::I) && desk.session.role == Role::Lead {
            actions.push(Action::SwitchTab(Tab::Inbox));
        }
        return false;
    }
    if ctx.input_mut(|i| i.consume_key(Modifiers::COMMAND, Key::Enter)) {
        actions.push(Action::SubmitAndNext);
    }
    let command_shift = Modifiers::COMMAND | Modifiers::SHIFT;
    if ctx.input_mut(|i| i.consume_key(command_shift, Key::O)) && desk.holds_claim() {
        desk.dialogs.pick_attachment(ctx);
    }
    if ctx.input_mut(|i| i.consume_key(command_shift, Key::Q)) {
        actions.push(Action::SignOut);
    }
    if ctx.input_mut(|i| i.consume_key(command_shift, Key::M)) {
        actions.push(Action::MirrorVerdict(false));
    }
    if ctx.input_mut(|i| i.consume_key(Modifiers::COMMAND, Key::M)) {
        actions.push(Action::MirrorVerdict(true));
    }
    if ctx.input_mut(|i| i.consume_key(Modifiers::COMMAND, Key::O)) {
        desk.dialogs.import_open = true;
    }
    if ctx.input_mut(|i| i.consume_key(Modifiers::COMMAND, Key::E)) {
        desk.dialogs.export_open = true;
    }
    if pressed(Key::Escape) {
        if typing {
            ctx.memory_mut(|m| {
                if let Some(id) = m.focused() {
                    m.surrender_focus(id);
                }
            });
        } else {
            desk.dialogs.close_one();
            desk.form.returning = false;
        }
        return false;
    }
    if typing || desk.dialogs.modal_open() {
        return false;
    }
    let lead = desk.session.role == Role::Lead;
    if pressed(Key::J) || pressed(Key::ArrowDown) {
        actions.push(Action::Next);
    }
    if pressed(Key::K) || pressed(Key::ArrowUp) {
        actions.push(Action::Prev);
    }
    if pressed(Key::Enter) {
        actions.push(Action::Open);
    }
    if pressed(Key::Slash) {
        desk.tab = Tab::Queue;
        desk.focus = Some(Focus::Search);
    }
    if pressed(Key::G) {
        desk.focus = Some(Focus::Groups);
    }
    if pressed(Key::L) {
        desk.focus = Some(Focus::Grounds);
    }
    if pressed(Key::W) {
        desk.focus = Some(Focus::Rationale);
    }
    if pressed(Key::T) {
        desk.form.outcome = crate::model::Outcome::Takedown;
    }
    if pressed(Key::N) {
        desk.form.outcome = crate::model::Outcome::NoViolation;
    }
    if pressed(Key::E) {
        desk.form.outcome = crate::model::Outcome::InsufficientEvidence;
    }
    if pressed(Key::Plus) || pressed(Key::Equals) {
        desk.viewer.zoom_by(1.25);
    }
    if pressed(Key::Minus) {
        desk.viewer.zoom_by(0.8);
    }
    if pressed(Key::Num0) {
        desk.viewer.fit();
    }
    if pressed(Key::Num1) {
        desk.viewer.actual_size();
    }
    if pressed(Key::U) {
        use super::fonts::UrduFace;
        desk.settings.urdu_face = match desk.settings.urdu_face {
            UrduFace::Nastaliq => UrduFace::Naskh,
            UrduFace::Naskh => UrduFace::Nastaliq,
        };
    }
    if pressed(Key::V) {
        desk.viewer.toggle_reveal = true;
    }
    if pressed(Key::OpenBracket) {
        desk.viewer.step(-1);
    }
    if pressed(Key::CloseBracket) {
        desk.viewer.step(1);
    }
    if pressed(Key::Q) {
        actions.push(Action::SwitchTab(Tab::Queue));
    }
    if pressed(Key::I) && lead {
        actions.push(Action::SwitchTab(Tab::Inbox));
    }
    if pressed(Key::A) && lead {
        actions.push(Action::Approve);
    }
    if pressed(Key::R) && lead {
        actions.push(Action::StartReturn);
    }
    if pressed(Key::Questionmark) || ctx.input_mut(|i| i.consume_key(Modifiers::SHIFT, Key::Slash))
    {
        desk.dialogs.shortcuts_open = !desk.dialogs.shortcuts_open;
    }
    ctx.input(|i| i.key_down(Key::Space))
}
