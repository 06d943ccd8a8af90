//! The editing model of the text box, without egui: the text, the selection and the layout,
//! kept by `parley`'s [`PlainEditor`], which applies the Unicode Bidirectional Algorithm to
//! the layout and moves the caret in visual order. What parley leaves to its caller is kept
//! here: the bundled fonts, undo and redo, and one operation type that the widget translates
//! egui's events into and the tests call directly.
//!
//! The editor holds the text as the display widget lays it out ([`bidi::isolate_tokens`]):
//! handles, URLs and numbers with separators inside Urdu are wrapped in left-to-right
//! isolates, so "0300-1234567" after Urdu letters reads as typed, not as "1234567-0300" as
//! the algorithm alone (and a browser) would show it. Those isolates are the box's own: they
//! are added after every edit and never reach the caller's text, and every offset this
//! module gives out counts the caller's text only. (Isolates a person types or pastes are
//! dropped with them: they are invisible, and hostile text uses them to disguise itself.)

use parley::{
    Affinity, Alignment, BaseDirection, BoundingBox, Cursor, FontFamily, Layout, LineHeight,
    PlainEditor, PlainEditorDriver, Selection, StyleProperty,
};
use std::ops::Range;

use crate::gui::fonts::UrduFace;
use crate::model::bidi;

pub use crate::typeset::Brush;

/// What every box shares: the bundled fonts (never the system's) and parley's scratch
/// space, as every other piece of text Parakh lays out without egui.
pub use crate::typeset::Typesetter as Shaper;

/// Where the caret goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Motion {
    /// One character to the left on screen (forward in right-to-left text).
    Left,
    /// One character to the right on screen.
    Right,
    /// One word to the left on screen.
    WordLeft,
    /// One word to the right on screen.
    WordRight,
    /// The edge of the line where reading begins (the right edge of a right-to-left line).
    LineStart,
    /// The edge of the line where reading ends.
    LineEnd,
    /// The line above.
    Up,
    /// The line below.
    Down,
    /// The start of the text.
    TextStart,
    /// The end of the text.
    TextEnd,
}

/// One thing a person does to the box, in layout coordinates (points from its top left).
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// Types or pastes text over the selection.
    Insert(String),
    /// Moves the caret; `extend` (Shift) moves only the selection's focus.
    Move(Motion, bool),
    /// Deletes the selection, or the character (`word`: the word) before the caret.
    Backspace { word: bool },
    /// Deletes the selection, or the character (word) after the caret.
    Delete { word: bool },
    /// Selects everything.
    SelectAll,
    /// A press at a point: places the caret, or with `extend` (Shift) extends the selection.
    Press { x: f32, y: f32, extend: bool },
    /// A drag to a point after a press: extends the selection to it.
    Drag { x: f32, y: f32 },
    /// A double click: selects the word at a point.
    SelectWord { x: f32, y: f32 },
    /// A triple click: selects the line at a point.
    SelectLine { x: f32, y: f32 },
    /// Undoes the last edit.
    Undo,
    /// Redoes what was undone.
    Redo,
    /// An input method's text being composed, with the selection inside it (byte offsets).
    Preedit(String, Option<(usize, usize)>),
    /// An input method's final text, replacing what was being composed.
    Commit(String),
}

/// A state to return to: the text and the selection's anchor and focus (byte offsets).
#[derive(Clone, Debug, PartialEq)]
struct Snapshot {
    text: String,
    anchor: usize,
    focus: usize,
}

/// Undo and redo. Typing is one step until a space, a move or another kind of edit.
#[derive(Default)]
struct History {
    undo: Vec<Snapshot>,
    redo: Vec<Snapshot>,
    typing: bool,
}

/// How many steps undo goes back.
const UNDO_STEPS: usize = 200;

/// One text box's editor.
pub struct Engine {
    editor: PlainEditor<Brush>,
    history: History,
    face: UrduFace,
    size: f32,
    multiline: bool,
    /// Whether tokens are isolated (off only to test parley's algorithm alone).
    isolate: bool,
}

impl Engine {
    /// An editor holding `text`, at `size` points, Arabic script in `face`.
    pub fn new(text: &str, size: f32, face: UrduFace, multiline: bool) -> Self {
        let mut editor = PlainEditor::new(size);
        editor.set_text(&bidi::isolate_tokens(text));
        editor.set_base_direction(BaseDirection::Auto);
        editor.set_alignment(Alignment::Start);
        let mut engine = Engine {
            editor,
            history: History::default(),
            face,
            size,
            multiline,
            isolate: true,
        };
        engine.style();
        engine
    }

    fn style(&mut self) {
        let styles = self.editor.edit_styles();
        styles.insert(StyleProperty::FontFamily(FontFamily::Source(
            self.face.families().into(),
        )));
        styles.insert(StyleProperty::FontSize(self.size));
        styles.insert(StyleProperty::LineHeight(LineHeight::Absolute(
            self.face.line_height(self.size),
        )));
    }

    /// Changes the face or size (the reviewer's settings).
    pub fn set_font(&mut self, face: UrduFace, size: f32) {
        if (face, size) != (self.face, self.size) {
            self.face = face;
            self.size = size;
            self.style();
        }
    }

    /// Forces the paragraph direction (`Some(true)`: right to left), or takes it from the
    /// first strong letter (`None`, the default, like a browser's `dir=auto`).
    pub fn set_direction(&mut self, rtl: Option<bool>) {
        self.editor.set_base_direction(match rtl {
            None => BaseDirection::Auto,
            Some(true) => BaseDirection::Rtl,
            Some(false) => BaseDirection::Ltr,
        });
    }

    /// An editor that lays `text` out by the algorithm alone, without isolating tokens or
    /// dropping isolates (for the conformance tests, which measure parley's algorithm).
    pub fn plain(text: &str, size: f32, face: UrduFace, multiline: bool) -> Self {
        let mut e = Engine::new("", size, face, multiline);
        e.isolate = false;
        e.editor.set_text(text);
        e
    }

    fn shown(&self, text: &str) -> String {
        if self.isolate {
            bidi::isolate_tokens(text)
        } else {
            text.to_string()
        }
    }

    fn strip(&self, shown: &str) -> String {
        if self.isolate {
            shown
                .chars()
                .filter(|c| !bidi::is_added_isolate(*c))
                .collect()
        } else {
            shown.to_string()
        }
    }

    /// The caller's offset of an offset into the shown text.
    fn to_text(&self, shown: usize) -> usize {
        let raw = self.editor.raw_text();
        if !self.isolate {
            return shown;
        }
        let shown = shown.min(raw.len());
        shown
            - raw[..shown]
                .chars()
                .filter(|c| bidi::is_added_isolate(*c))
                .map(char::len_utf8)
                .sum::<usize>()
    }

    /// The shown offset of the caller's offset `at`: inside an isolate that starts or ends
    /// there, so typing at a token's edge extends the token.
    fn to_shown(&self, at: usize) -> usize {
        let raw = self.editor.raw_text();
        if !self.isolate {
            return at.min(raw.len());
        }
        let mut seen = 0;
        for (i, c) in raw.char_indices() {
            if bidi::is_added_isolate(c) {
                if seen == at && c != '\u{2066}' {
                    return i; // before a closing isolate
                }
                continue;
            }
            if seen == at {
                return i;
            }
            seen += c.len_utf8();
        }
        raw.len()
    }

    /// Lays the text out again with its tokens isolated, keeping the selection.
    fn reisolate(&mut self, shaper: &mut Shaper) {
        if !self.isolate || self.editor.is_composing() {
            return;
        }
        let text = self.text();
        let shown = self.shown(&text);
        if shown == self.editor.raw_text() {
            return;
        }
        let sel = self.editor.raw_selection();
        let (anchor, focus) = (
            self.to_text(sel.anchor().index()),
            self.to_text(sel.focus().index()),
        );
        self.editor.set_text(&shown);
        self.select(shaper, anchor, focus);
    }

    /// Selects from `anchor` to `focus` (the caller's offsets).
    fn select(&mut self, shaper: &mut Shaper, anchor: usize, focus: usize) {
        let (a, f) = (self.to_shown(anchor), self.to_shown(focus));
        let raw = self.editor.raw_text().to_string();
        let layout = self.layout(shaper);
        // Before a closing isolate the caret belongs to the token's last letter, not to the
        // isolate (drawn at the far side of the token).
        let cursor = |i: usize| {
            let affinity = if raw[i..].starts_with('\u{2069}') {
                Affinity::Upstream
            } else {
                Affinity::Downstream
            };
            Cursor::from_byte_index(layout, i, affinity)
        };
        let selection = Selection::new(cursor(a), cursor(f));
        self.driver(shaper).set_selection(selection);
    }

    /// Wraps lines at `width` points (multi-line boxes), or never (`None`).
    pub fn set_width(&mut self, width: Option<f32>) {
        self.editor.set_width(width);
    }

    /// The text, without what an input method is still composing.
    pub fn text(&self) -> String {
        self.strip(&self.editor.text().to_string())
    }

    /// The text including what is being composed.
    pub fn raw_text(&self) -> String {
        self.strip(self.editor.raw_text())
    }

    /// The text as laid out (with the box's isolates), which the drawn image depends on.
    pub fn shown_text(&self) -> &str {
        self.editor.raw_text()
    }

    /// Replaces the whole text (the form was cleared or loaded): the caret goes to the end
    /// and the history starts again.
    pub fn set_text(&mut self, shaper: &mut Shaper, text: &str) {
        let shown = self.shown(text);
        self.editor.set_text(&shown);
        self.history = History::default();
        self.driver(shaper).move_to_text_end();
    }

    /// The selected byte range (empty: the caret), in the raw text.
    pub fn selection(&self) -> Range<usize> {
        let r = self.editor.raw_selection().text_range();
        self.to_text(r.start)..self.to_text(r.end)
    }

    /// The byte offset of the caret (the selection's focus).
    pub fn caret(&self) -> usize {
        self.to_text(self.editor.raw_selection().focus().index())
    }

    fn anchor(&self) -> usize {
        self.to_text(self.editor.raw_selection().anchor().index())
    }

    /// The selected text, if any.
    pub fn selected_text(&self) -> Option<String> {
        self.editor.selected_text().map(|s| self.strip(s))
    }

    /// Whether an input method is composing.
    pub fn is_composing(&self) -> bool {
        self.editor.is_composing()
    }

    /// The byte range being composed.
    pub fn compose_range(&self) -> Option<Range<usize>> {
        self.editor
            .raw_compose()
            .clone()
            .map(|r| self.to_text(r.start)..self.to_text(r.end))
    }

    fn driver<'a>(&'a mut self, shaper: &'a mut Shaper) -> PlainEditorDriver<'a, Brush> {
        self.editor.driver(&mut shaper.fonts, &mut shaper.layouts)
    }

    /// The laid-out text, up to date.
    pub fn layout(&mut self, shaper: &mut Shaper) -> &Layout<Brush> {
        self.editor.layout(&mut shaper.fonts, &mut shaper.layouts)
    }

    /// Whether the paragraph reads right to left (from its first strong letter).
    pub fn is_rtl(&mut self, shaper: &mut Shaper) -> bool {
        self.layout(shaper).is_rtl()
    }

    /// The caret's rectangle, `width` wide, when it shows.
    pub fn caret_rect(&mut self, shaper: &mut Shaper, width: f32) -> Option<BoundingBox> {
        self.layout(shaper);
        self.editor.cursor_geometry(width)
    }

    /// The rectangles of the selection, one per line piece.
    pub fn selection_rects(&mut self, shaper: &mut Shaper) -> Vec<BoundingBox> {
        self.layout(shaper);
        self.editor
            .selection_geometry()
            .into_iter()
            .map(|(b, _)| b)
            .collect()
    }

    /// The rectangle around what is being composed, or around the caret.
    pub fn ime_rect(&mut self, shaper: &mut Shaper) -> BoundingBox {
        self.layout(shaper);
        self.editor.ime_cursor_area()
    }

    /// The rectangles under what an input method is composing.
    pub fn compose_rects(&mut self, shaper: &mut Shaper) -> Vec<BoundingBox> {
        let Some(r) = self.editor.raw_compose().clone() else {
            return Vec::new();
        };
        let layout = self.layout(shaper);
        Selection::new(
            Cursor::from_byte_index(layout, r.start, Affinity::Downstream),
            Cursor::from_byte_index(layout, r.end, Affinity::Upstream),
        )
        .geometry(layout)
        .into_iter()
        .map(|(b, _)| b)
        .collect()
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot {
            text: self.text(),
            anchor: self.anchor(),
            focus: self.caret(),
        }
    }

    fn restore(&mut self, shaper: &mut Shaper, s: &Snapshot) {
        let shown = self.shown(&s.text);
        self.editor.set_text(&shown);
        self.select(shaper, s.anchor, s.focus);
    }

    /// Notes the state before an edit; `typing` edits after a typing edit join it.
    fn before_edit(&mut self, typing: bool) {
        if !(typing && self.history.typing) {
            let s = self.snapshot();
            if self.history.undo.last() != Some(&s) {
                self.history.undo.push(s);
                if self.history.undo.len() > UNDO_STEPS {
                    self.history.undo.remove(0);
                }
            }
        }
        self.history.typing = typing;
        self.history.redo.clear();
    }

    /// Moves the caret (or the selection's focus) to the left or right end of its line.
    fn line_edge(&mut self, shaper: &mut Shaper, right: bool, extend: bool) {
        self.layout(shaper);
        let Some(caret) = self.editor.cursor_geometry(1.0) else {
            return;
        };
        let y = ((caret.y0 + caret.y1) / 2.0) as f32;
        let layout = self.layout(shaper);
        let Some(m) = layout
            .lines()
            .map(|l| *l.metrics())
            .find(|m| y >= m.block_min_coord && y <= m.block_max_coord)
        else {
            return;
        };
        let x = if right {
            m.offset + m.advance - 0.01
        } else {
            m.offset + 0.01
        };
        let mut d = self.driver(shaper);
        if extend {
            d.extend_selection_to_point(x, y);
        } else {
            d.move_to_point(x, y);
        }
    }

    fn step(&mut self, shaper: &mut Shaper, m: Motion, extend: bool) {
        self.history.typing = false;
        if matches!(m, Motion::LineStart | Motion::LineEnd) {
            let rtl = self.layout(shaper).is_rtl();
            self.line_edge(shaper, (m == Motion::LineStart) == rtl, extend);
            return;
        }
        let mut d = self.driver(shaper);
        match (m, extend) {
            (Motion::Left, false) => d.move_left(),
            (Motion::Left, true) => d.select_left(),
            (Motion::Right, false) => d.move_right(),
            (Motion::Right, true) => d.select_right(),
            (Motion::WordLeft, false) => d.move_word_left(),
            (Motion::WordLeft, true) => d.select_word_left(),
            (Motion::WordRight, false) => d.move_word_right(),
            (Motion::WordRight, true) => d.select_word_right(),
            // The line's ends on screen, where reading starts and where it ends, whichever
            // logical offsets those are in mixed text: taken above.
            (Motion::LineStart | Motion::LineEnd, _) => {}
            (Motion::Up, false) => d.move_up(),
            (Motion::Up, true) => d.select_up(),
            (Motion::Down, false) => d.move_down(),
            (Motion::Down, true) => d.select_down(),
            (Motion::TextStart, false) => d.move_to_text_start(),
            (Motion::TextStart, true) => d.select_to_text_start(),
            (Motion::TextEnd, false) => d.move_to_text_end(),
            (Motion::TextEnd, true) => d.select_to_text_end(),
        }
    }

    /// Applies one operation; returns whether the text changed.
    pub fn apply(&mut self, shaper: &mut Shaper, op: Op) -> bool {
        let before = self.raw_text();
        if let Op::Move(m, extend) = op {
            // A step over one of the box's own isolates moves nothing the person can see:
            // take the next step too.
            for _ in 0..4 {
                let at = (
                    self.anchor(),
                    self.caret(),
                    self.editor.raw_selection().focus().index(),
                );
                self.step(shaper, m, extend);
                let now = (
                    self.anchor(),
                    self.caret(),
                    self.editor.raw_selection().focus().index(),
                );
                if now.2 == at.2 || (now.0, now.1) != (at.0, at.1) {
                    break;
                }
            }
            return false;
        }
        match op {
            Op::Insert(s) => {
                let s = if self.multiline {
                    s.replace("\r\n", "\n")
                } else {
                    s.replace(['\r', '\n'], " ")
                };
                if s.is_empty() {
                    return false;
                }
                let ends_word = s.chars().all(char::is_whitespace);
                self.before_edit(s.chars().count() == 1 && !ends_word);
                self.driver(shaper).insert_or_replace_selection(&s);
            }
            Op::Move(..) => unreachable!("moves are taken above"),
            Op::Backspace { word } => {
                self.before_edit(false);
                let mut d = self.driver(shaper);
                if word {
                    d.backdelete_word()
                } else {
                    d.backdelete()
                }
            }
            Op::Delete { word } => {
                self.before_edit(false);
                let mut d = self.driver(shaper);
                if word { d.delete_word() } else { d.delete() }
            }
            Op::SelectAll => {
                self.history.typing = false;
                self.driver(shaper).select_all();
            }
            Op::Press { x, y, extend } => {
                self.history.typing = false;
                let mut d = self.driver(shaper);
                if extend {
                    d.shift_click_extension(x, y);
                } else {
                    d.move_to_point(x, y);
                }
            }
            Op::Drag { x, y } => self.driver(shaper).extend_selection_to_point(x, y),
            Op::SelectWord { x, y } => self.driver(shaper).select_word_at_point(x, y),
            Op::SelectLine { x, y } => self.driver(shaper).select_hard_line_at_point(x, y),
            Op::Undo => {
                if let Some(s) = self.history.undo.pop() {
                    let now = self.snapshot();
                    self.history.redo.push(now);
                    self.restore(shaper, &s);
                }
                self.history.typing = false;
            }
            Op::Redo => {
                if let Some(s) = self.history.redo.pop() {
                    let now = self.snapshot();
                    self.history.undo.push(now);
                    self.restore(shaper, &s);
                }
                self.history.typing = false;
            }
            Op::Preedit(s, cursor) => {
                if s.is_empty() {
                    self.driver(shaper).clear_compose();
                } else {
                    if !self.editor.is_composing() {
                        self.before_edit(false);
                    }
                    let cursor = cursor.filter(|c| c.0 <= s.len() && c.1 <= s.len());
                    self.driver(shaper).set_compose(&s, cursor);
                }
            }
            Op::Commit(s) => {
                let mut d = self.driver(shaper);
                d.clear_compose();
                if !s.is_empty() {
                    d.insert_or_replace_selection(&s);
                }
            }
        }
        self.reisolate(shaper);
        self.raw_text() != before
    }

    /// The characters of the text in the order they are seen on screen, left to right, line
    /// by line, with each one's direction: what the conformance tests compare with Unicode's.
    /// Characters inside one cluster (a letter and its marks) follow their run's direction.
    pub fn visual_order(&mut self, shaper: &mut Shaper) -> Vec<(usize, bool)> {
        let text = self.editor.raw_text().to_string();
        let isolate = self.isolate;
        let layout = self.layout(shaper);
        let mut out = Vec::new();
        for line in layout.lines() {
            for run in line.runs() {
                let rtl = run.is_rtl();
                for cluster in run.visual_clusters() {
                    let range = cluster.text_range();
                    let mut chars: Vec<usize> = text[range.clone()]
                        .char_indices()
                        .filter(|(_, c)| !(isolate && bidi::is_added_isolate(*c)))
                        .map(|(i, _)| range.start + i)
                        .collect();
                    if rtl {
                        chars.reverse();
                    }
                    out.extend(chars.into_iter().map(|i| (i, rtl)));
                }
            }
        }
        out.into_iter()
            .map(|(i, rtl)| (self.to_text(i), rtl))
            .collect()
    }
}

#[cfg(test)]
mod tests;
