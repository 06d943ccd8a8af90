//! egui's input events as the text box's operations, with egui's own box's key bindings:
//! Ctrl moves and deletes by word, Shift extends the selection, Ctrl+Home and Ctrl+End go to
//! the ends of the text, Ctrl+Z undoes and Ctrl+Y or Ctrl+Shift+Z redoes, Enter ends a
//! one-line box and starts a line in a multi-line one, Escape leaves the box, and Tab is left
//! to egui to move the focus on.

use egui::{Event, ImeEvent, Key, Modifiers};

use super::engine::{Motion, Op};

/// What an event asks of the box.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Change the text or the selection.
    Edit(Op),
    /// Copy the selection to the clipboard.
    Copy,
    /// Copy the selection and delete it.
    Cut,
    /// Give up the focus (Escape, or Enter in a one-line box).
    Leave,
    /// Nothing.
    None,
}

/// The action for one event. `owns_ime`: the input method is talking to this box.
pub fn translate(event: &Event, multiline: bool, owns_ime: bool) -> Action {
    match event {
        Event::Text(t) if !t.is_empty() && t != "\n" && t != "\r" => {
            Action::Edit(Op::Insert(t.clone()))
        }
        Event::Paste(t) if !t.is_empty() => Action::Edit(Op::Insert(t.clone())),
        Event::Copy => Action::Copy,
        Event::Cut => Action::Cut,
        Event::Key {
            key,
            pressed: true,
            modifiers,
            ..
        } => key_action(*key, *modifiers, multiline),
        Event::Ime(ime) if owns_ime => match ime {
            ImeEvent::Preedit {
                text,
                active_range_chars,
            } => {
                let bytes = active_range_chars
                    .as_ref()
                    .map(|r| (byte_of_char(text, r.start), byte_of_char(text, r.end)));
                Action::Edit(Op::Preedit(text.clone(), bytes))
            }
            ImeEvent::Commit(t) if t != "\n" && t != "\r" => Action::Edit(Op::Commit(t.clone())),
            _ => Action::None,
        },
        _ => Action::None,
    }
}

fn byte_of_char(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i)
}

fn key_action(key: Key, m: Modifiers, multiline: bool) -> Action {
    let word = if cfg!(target_os = "macos") {
        m.alt
    } else {
        m.command
    };
    let extend = m.shift;
    let motion = |motion| Action::Edit(Op::Move(motion, extend));
    match key {
        Key::ArrowLeft if word => motion(Motion::WordLeft),
        Key::ArrowLeft => motion(Motion::Left),
        Key::ArrowRight if word => motion(Motion::WordRight),
        Key::ArrowRight => motion(Motion::Right),
        Key::ArrowUp if multiline => motion(Motion::Up),
        Key::ArrowDown if multiline => motion(Motion::Down),
        Key::Home if m.command => motion(Motion::TextStart),
        Key::Home => motion(Motion::LineStart),
        Key::End if m.command => motion(Motion::TextEnd),
        Key::End => motion(Motion::LineEnd),
        Key::Backspace => Action::Edit(Op::Backspace { word }),
        Key::Delete => Action::Edit(Op::Delete { word }),
        Key::A if m.command => Action::Edit(Op::SelectAll),
        Key::Z if m.command && m.shift => Action::Edit(Op::Redo),
        Key::Z if m.command => Action::Edit(Op::Undo),
        Key::Y if m.command => Action::Edit(Op::Redo),
        Key::Enter if multiline => Action::Edit(Op::Insert("\n".into())),
        Key::Enter | Key::Escape => Action::Leave,
        _ => Action::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(key: Key, modifiers: Modifiers) -> Event {
        Event::Key {
            key,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers,
        }
    }

    #[test]
    fn keys_map_as_in_egui_s_own_box() {
        let none = Modifiers::NONE;
        assert_eq!(
            translate(&key(Key::ArrowLeft, Modifiers::SHIFT), false, false),
            Action::Edit(Op::Move(Motion::Left, true))
        );
        assert_eq!(
            translate(&key(Key::ArrowRight, Modifiers::COMMAND), false, false),
            Action::Edit(Op::Move(Motion::WordRight, false))
        );
        assert_eq!(
            translate(&key(Key::Home, none), false, false),
            Action::Edit(Op::Move(Motion::LineStart, false))
        );
        assert_eq!(
            translate(&key(Key::End, Modifiers::COMMAND), true, false),
            Action::Edit(Op::Move(Motion::TextEnd, false))
        );
        assert_eq!(
            translate(&key(Key::Enter, none), false, false),
            Action::Leave
        );
        assert_eq!(
            translate(&key(Key::Enter, none), true, false),
            Action::Edit(Op::Insert("\n".into()))
        );
        assert_eq!(
            translate(&key(Key::Escape, none), true, false),
            Action::Leave
        );
        assert_eq!(translate(&key(Key::Tab, none), true, false), Action::None);
        assert_eq!(
            translate(&key(Key::Z, Modifiers::COMMAND), true, false),
            Action::Edit(Op::Undo)
        );
        assert_eq!(
            translate(
                &key(Key::Z, Modifiers::COMMAND | Modifiers::SHIFT),
                true,
                false
            ),
            Action::Edit(Op::Redo)
        );
        assert_eq!(
            translate(&key(Key::ArrowUp, none), false, false),
            Action::None
        );
    }

    #[test]
    fn input_method_text_is_taken_only_when_the_box_owns_it() {
        let pre = Event::Ime(ImeEvent::Preedit {
            text: "اُرد".into(),
            active_range_chars: Some(1..2),
        });
        assert_eq!(translate(&pre, true, false), Action::None);
        // One character in is two bytes into Arabic script.
        assert_eq!(
            translate(&pre, true, true),
            Action::Edit(Op::Preedit("اُرد".into(), Some((2, 4))))
        );
        let commit = Event::Ime(ImeEvent::Commit("اردو".into()));
        assert_eq!(
            translate(&commit, true, true),
            Action::Edit(Op::Commit("اردو".into()))
        );
    }
}
