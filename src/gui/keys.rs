//! Keyboard shortcuts: one table, shown by `?`, and one handler.

use egui::{Key, Modifiers};

use super::desk::{Action, Desk, Focus, Tab, View};
use crate::model::Role;

/// Rows Page Up and Page Down move.
const PAGE: isize = 20;

/// Every shortcut: keys and what they do.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("J / ↓", "next item"),
    ("K / ↑", "previous item"),
    ("Page Up / Page Down", "20 items up or down"),
    ("Home / End", "first or last item"),
    ("Enter", "open the selected item for review (claims it)"),
    ("/", "search the queue"),
    ("Space (hold)", "reveal the blurred screenshot"),
    ("V", "reveal or veil the screenshot"),
    ("U", "show Urdu in Nastaliq or Naskh"),
    ("[ / ]", "previous / next screenshot"),
    ("+ / −", "zoom in / out"),
    ("0", "fit the screenshot"),
    ("1", "screenshot at 1:1"),
    (
        "F",
        "the screenshot in the whole window, and back (Esc too)",
    ),
    (
        "Z",
        "wide evidence: the queue folds away, the decision narrows (kept)",
    ),
    ("M", "open or fold the mirror comparison"),
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
    (
        "Ctrl+Shift+A",
        "approve the proposal (leads; once every screenshot was opened)",
    ),
    ("R", "write a reason to return the proposal (leads)"),
    ("Ctrl+R", "return the proposal with the reason written"),
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
            let down = count(ctx, Key::J) + count(ctx, Key::ArrowDown);
            let up = count(ctx, Key::K) + count(ctx, Key::ArrowUp);
            if down != up {
                desk.requests.step(down as isize - up as isize);
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
    // Decisions are never a bare letter: approve and return need Ctrl.
    if ctx.input_mut(|i| i.consume_key(command_shift, Key::A)) {
        actions.push(Action::Approve);
    }
    if ctx.input_mut(|i| i.consume_key(Modifiers::COMMAND, Key::R)) {
        actions.push(Action::ConfirmReturn);
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
        } else if desk.problem.is_some() {
            desk.problem = None;
        } else if desk.large_view {
            desk.large_view = false;
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
    // Every press counts: two presses that arrive in one frame move two rows.
    for _ in 0..count(ctx, Key::J) + count(ctx, Key::ArrowDown) {
        actions.push(Action::Next);
    }
    for _ in 0..count(ctx, Key::K) + count(ctx, Key::ArrowUp) {
        actions.push(Action::Prev);
    }
    if pressed(Key::PageDown) {
        actions.push(Action::Step(PAGE));
    }
    if pressed(Key::PageUp) {
        actions.push(Action::Step(-PAGE));
    }
    if pressed(Key::Home) {
        actions.push(Action::Step(isize::MIN / 2));
    }
    if pressed(Key::End) {
        actions.push(Action::Step(isize::MAX / 2));
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
        desk.form.outcome = Some(crate::model::Outcome::Takedown);
    }
    if pressed(Key::N) {
        desk.form.outcome = Some(crate::model::Outcome::NoViolation);
    }
    if pressed(Key::E) {
        desk.form.outcome = Some(crate::model::Outcome::InsufficientEvidence);
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
    if pressed(Key::F) {
        desk.large_view = !desk.large_view && desk.item.is_some();
    }
    if pressed(Key::Z) {
        desk.settings.wide_evidence = !desk.settings.wide_evidence;
    }
    if pressed(Key::M) {
        desk.mirrors_open = Some(!desk.mirrors_open.unwrap_or(true));
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
    if pressed(Key::A) {
        // A bare letter never decides; say what does.
        desk.problem = Some(if lead {
            "Nothing was approved: approving takes Ctrl+Shift+A (or the Approve button), so that stray typing never decides.".into()
        } else {
            desk.decide_blocker("approve").unwrap_or_default()
        });
    }
    if pressed(Key::R) {
        actions.push(Action::StartReturn);
    }
    if pressed(Key::Questionmark) || ctx.input_mut(|i| i.consume_key(Modifiers::SHIFT, Key::Slash))
    {
        desk.dialogs.shortcuts_open = !desk.dialogs.shortcuts_open;
    }
    ctx.input(|i| i.key_down(Key::Space))
}

/// How many times `key` was pressed without modifiers this frame, consuming the presses.
fn count(ctx: &egui::Context, key: Key) -> usize {
    ctx.input_mut(|i| i.count_and_consume_key(Modifiers::NONE, key))
}
