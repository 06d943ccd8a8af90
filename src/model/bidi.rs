//! Bidirectional text for display. egui shapes Arabic script (joining, ligatures, marks) but
//! lays every line out left to right. This module applies the Unicode Bidirectional
//! Algorithm (`unicode-bidi`) per paragraph: lines are broken in logical order first, then
//! each line's runs are put in visual order, as pieces the caller draws left to right.
//! Right-to-left runs are split into words, in visual order, each left to the shaper; no text
//! is reversed or reshaped here. Handles, URLs and e-mail addresses are isolated so they read
//! left to right inside right-to-left text.

use unicode_bidi::BidiInfo;

/// One shaping unit, in visual order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    /// The text, in logical order (the shaper orders its glyphs).
    pub text: String,
    /// Whether the piece is right-to-left.
    pub rtl: bool,
}

/// One display line: its pieces from left to right, and its paragraph's direction
/// (right-to-left paragraphs are right-aligned).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct VisualLine {
    /// Pieces, left to right.
    pub pieces: Vec<Piece>,
    /// Whether the paragraph is right-to-left.
    pub rtl: bool,
}

impl VisualLine {
    /// The line's text as displayed, left to right (for tests and accessibility checks).
    pub fn visual_words(&self) -> Vec<&str> {
        self.pieces
            .iter()
            .map(|p| p.text.trim())
            .filter(|t| !t.is_empty())
            .collect()
    }
}

const LRI: char = '\u{2066}';
const PDI: char = '\u{2069}';

/// Whether `c` is a strong right-to-left letter (Hebrew, Arabic, Syriac, Thaana, N'Ko and
/// the Arabic presentation forms).
pub fn is_rtl_char(c: char) -> bool {
    matches!(c as u32,
        0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF)
}

/// The direction of the first strong letter of `s`: `Some(true)` right to left, `Some(false)`
/// left to right, `None` for text without letters (like a browser's `dir=auto`).
pub fn first_strong_rtl(s: &str) -> Option<bool> {
    s.chars().find_map(|c| {
        if is_rtl_char(c) && c.is_alphabetic() {
            Some(true)
        } else if c.is_alphabetic() {
            Some(false)
        } else {
            None
        }
    })
}

/// Whether `s` contains right-to-left letters.
pub fn has_rtl(s: &str) -> bool {
    s.chars().any(is_rtl_char)
}

/// Whether a word is a handle, URL, e-mail address or a number with separators (phone
/// number, date, time), which must read left to right even inside right-to-left text. (By
/// the UBA alone, "0300-1234567" after Urdu letters shows as "1234567-0300".)
fn is_ltr_token(word: &str) -> bool {
    let w = word
        .trim_matches(|c: char| matches!(c, '(' | ')' | '[' | ']' | ',' | '،' | '۔' | '"' | '\''));
    if w.chars().count() < 2 || has_rtl(w) {
        return false;
    }
    let link = w.starts_with('@')
        || w.starts_with("http://")
        || w.starts_with("https://")
        || w.starts_with("www.");
    let email = w.contains('@') && w.contains('.');
    let separator = |c: char| matches!(c, '-' | '+' | '/' | ':' | '.');
    let number = w.chars().any(|c| c.is_ascii_digit())
        && w.chars().any(separator)
        && w.chars().all(|c| c.is_ascii_digit() || separator(c));
    link || email || number
}

/// Wraps handles, URLs and e-mail addresses in left-to-right isolates.
fn isolate_ltr_tokens(para: &str) -> String {
    if !has_rtl(para) {
        return para.to_string();
    }
    let mut out = String::with_capacity(para.len() + 16);
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if is_ltr_token(word) {
            out.push(LRI);
            out.push_str(word);
            out.push(PDI);
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in para.chars() {
        if c.is_whitespace() {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// `text` as the display lays it out: in each line that holds right-to-left letters,
/// handles, URLs, e-mail addresses and numbers with separators wrapped in left-to-right
/// isolates (U+2066 … U+2069). The text box lays its text out the same way.
pub fn isolate_tokens(text: &str) -> String {
    text.split('\n')
        .map(isolate_ltr_tokens)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether `c` is one of the isolates [`isolate_tokens`] adds.
pub fn is_added_isolate(c: char) -> bool {
    c == LRI || c == PDI
}

/// Whether `c` is an explicit direction control: an isolate, an embedding or override, or
/// a left-to-right or right-to-left mark.
pub fn is_control(c: char) -> bool {
    matches!(c, '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}')
}

fn strip_controls(s: &str) -> String {
    s.chars().filter(|c| !is_control(*c)).collect()
}

/// Splits `s` into words with their following whitespace, as byte ranges.
fn tokens(s: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_space = false;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            in_space = true;
        } else if in_space {
            out.push(start..i);
            start = i;
            in_space = false;
        }
    }
    if start < s.len() {
        out.push(start..s.len());
    }
    out
}

/// The Unicode Bidirectional Algorithm's answer for one paragraph on one line, as the
/// display layout computes it: the paragraph level, each character's resolved level (after
/// rule L1) and the characters' visual order (rule L2), by character index. The
/// conformance tests compare this with Unicode's own BidiTest.txt and BidiCharacterTest.txt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    /// The paragraph embedding level (0 left to right, 1 right to left).
    pub paragraph_level: u8,
    /// Each character's level.
    pub levels: Vec<u8>,
    /// Character indices, left to right on screen.
    pub order: Vec<usize>,
}

/// Resolves `text` as one line: `rtl` forces the paragraph direction, `None` takes it from
/// the first strong letter. Several paragraphs (separated by U+2029 or a newline) are
/// resolved each at its own level and put one after another.
pub fn resolve(text: &str, rtl: Option<bool>) -> Resolved {
    let level = rtl.map(|r| {
        if r {
            unicode_bidi::Level::rtl()
        } else {
            unicode_bidi::Level::ltr()
        }
    });
    let bidi = BidiInfo::new(text, level);
    let mut out = Resolved {
        paragraph_level: bidi.paragraphs.first().map_or(0, |p| p.level.number()),
        levels: Vec::new(),
        order: Vec::new(),
    };
    for para in &bidi.paragraphs {
        let first_char = text[..para.range.start].chars().count();
        let levels = bidi.reordered_levels_per_char(para, para.range.clone());
        out.order.extend(
            BidiInfo::reorder_visual(&levels)
                .into_iter()
                .map(|i| first_char + i),
        );
        out.levels.extend(levels.iter().map(|l| l.number()));
    }
    out
}

/// Lays `text` out for display. `max_width` (in the caller's units) wraps lines; `measure`
/// gives the width of a piece of text. Each `\n` starts a new paragraph.
pub fn layout(
    text: &str,
    max_width: Option<f32>,
    measure: &mut dyn FnMut(&str) -> f32,
) -> Vec<VisualLine> {
    let mut lines = Vec::new();
    for raw in text.split('\n') {
        let raw = raw.trim_end_matches('\r');
        if raw.trim().is_empty() {
            lines.push(VisualLine::default());
            continue;
        }
        let para = isolate_ltr_tokens(raw);
        let bidi = BidiInfo::new(&para, None);
        for info in &bidi.paragraphs {
            let rtl = info.level.is_rtl();
            // Break into lines in logical order.
            let mut ranges = Vec::new();
            let mut start = info.range.start;
            let mut width = 0.0;
            for t in tokens(&para[info.range.clone()]) {
                let t = (t.start + info.range.start)..(t.end + info.range.start);
                let w = measure(&strip_controls(&para[t.clone()]));
                if let Some(max) = max_width
                    && width + w > max
                    && t.start > start
                {
                    ranges.push(start..t.start);
                    start = t.start;
                    width = 0.0;
                }
                width += w;
            }
            ranges.push(start..info.range.end);
            for range in ranges {
                let trimmed = para[range.clone()].trim_end();
                let range = range.start..range.start + trimmed.len();
                if range.is_empty() {
                    lines.push(VisualLine {
                        pieces: Vec::new(),
                        rtl,
                    });
                    continue;
                }
                let (levels, runs) = bidi.visual_runs(info, range);
                let mut pieces = Vec::new();
                for run in runs {
                    let run_rtl = levels[run.start].is_rtl();
                    let run_text = &para[run];
                    if run_rtl {
                        // Words of a right-to-left run, right to left; each word stays in
                        // logical order for the shaper.
                        for t in tokens(run_text).into_iter().rev() {
                            let chunk = &run_text[t];
                            let word = chunk.trim_end();
                            let space = &chunk[word.len()..];
                            if !space.is_empty() {
                                pieces.push(Piece {
                                    text: strip_controls(space),
                                    rtl: true,
                                });
                            }
                            if !word.is_empty() {
                                pieces.push(Piece {
                                    text: strip_controls(word),
                                    rtl: true,
                                });
                            }
                        }
                    } else {
                        let t = strip_controls(run_text);
                        if !t.is_empty() {
                            pieces.push(Piece {
                                text: t,
                                rtl: false,
                            });
                        }
                    }
                }
                pieces.retain(|p| !p.text.is_empty());
                lines.push(VisualLine { pieces, rtl });
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> f32 {
        s.chars().count() as f32
    }

    fn one_line(text: &str) -> VisualLine {
        let lines = layout(text, None, &mut chars);
        assert_eq!(lines.len(), 1, "{lines:?}");
        lines.into_iter().next().unwrap()
    }

    #[test]
    fn an_urdu_line_reads_right_to_left_word_by_word() {
        let l = one_line("ہمارا چینل جوائن کریں");
        assert!(l.rtl);
        assert_eq!(l.visual_words(), ["کریں", "جوائن", "چینل", "ہمارا"]);
    }

    #[test]
    fn digits_inside_urdu_keep_their_order() {
        let l = one_line("سال 2026 میں 15 اکاؤنٹس");
        assert!(l.rtl);
        assert_eq!(l.visual_words(), ["اکاؤنٹس", "15", "میں", "2026", "سال"]);
        let l = one_line("رابطہ 0300-1234567 پر کریں");
        assert_eq!(l.visual_words(), ["کریں", "پر", "0300-1234567", "رابطہ"]);
    }

    #[test]
    fn an_english_handle_and_url_inside_urdu_read_left_to_right() {
        let l = one_line("ہمارا چینل @ttp_media جوائن کریں");
        assert_eq!(
            l.visual_words(),
            ["کریں", "جوائن", "@ttp_media", "چینل", "ہمارا"]
        );
        let l = one_line("لنک https://t.me/sada_e_haq پر");
        assert_eq!(l.visual_words(), ["پر", "https://t.me/sada_e_haq", "لنک"]);
    }

    #[test]
    fn an_urdu_phrase_inside_english_reads_right_to_left_in_place() {
        let l = one_line("Join صدائے حق today");
        assert!(!l.rtl);
        assert_eq!(l.visual_words(), ["Join", "حق", "صدائے", "today"]);
    }

    #[test]
    fn the_paragraph_direction_follows_the_first_strong_letter() {
        assert!(!one_line("2026: Pakistan نیوز").rtl);
        assert!(one_line("2026 نیوز Pakistan").rtl);
        assert!(!one_line("plain English").rtl);
    }

    #[test]
    fn wrapping_breaks_lines_in_logical_order_first() {
        // Ten Urdu words, wrapped at a width of about three words: the first line holds the
        // first three words (read right to left), not the last three.
        let words = [
            "ایک", "دو", "تین", "چار", "پانچ", "چھ", "سات", "آٹھ", "نو", "دس",
        ];
        let text = words.join(" ");
        let lines = layout(&text, Some(14.0), &mut chars);
        assert!(lines.len() >= 3);
        assert!(lines.iter().all(|l| l.rtl));
        assert_eq!(lines[0].visual_words(), ["تین", "دو", "ایک"]);
        let flat: Vec<&str> = lines
            .iter()
            .flat_map(|l| l.visual_words().into_iter().rev())
            .collect();
        assert_eq!(
            flat, words,
            "reading each line right to left, top to bottom, gives the text"
        );
    }

    #[test]
    fn paragraphs_keep_their_own_direction_and_blank_lines() {
        let lines = layout("English first\n\nپھر اردو", None, &mut chars);
        assert_eq!(lines.len(), 3);
        assert!(!lines[0].rtl && lines[1].pieces.is_empty() && lines[2].rtl);
        assert_eq!(lines[2].visual_words(), ["اردو", "پھر"]);
    }

    #[test]
    fn spaces_are_kept_once() {
        let l = one_line("سال 2026 میں");
        let text: String = l.pieces.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            text.chars().filter(|c| *c == ' ').count(),
            2,
            "{:?}",
            l.pieces
        );
    }

    #[test]
    fn no_control_characters_reach_the_pieces() {
        let l = one_line("چینل @ttp_media");
        assert!(l.pieces.iter().all(|p| {
            !p.text
                .chars()
                .any(|c| ('\u{2066}'..='\u{2069}').contains(&c))
        }));
    }
}
