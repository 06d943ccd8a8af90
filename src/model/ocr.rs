//! Text read from screenshots (OCR): the words, where they stand on the image and how sure
//! the engine was, and what the search and the mirror search take from them.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::text::search_fold;

/// One recognised word and its box, in pixels of the original image.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Word {
    /// The word as read.
    pub text: String,
    /// Which line of the reading it is on, from 0.
    pub line: u32,
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width.
    pub w: u32,
    /// Height.
    pub h: u32,
    /// The engine's confidence, 0 to 100.
    pub confidence: f32,
}

/// Whether a screenshot's text was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Read (possibly finding no text).
    Read,
    /// The engine failed on it (crashed, ran out of time or memory); see the problem.
    Failed,
}

impl Outcome {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Read => "read",
            Outcome::Failed => "failed",
        }
    }

    /// From the stored word.
    pub fn parse(s: &str) -> Outcome {
        if s == "read" {
            Outcome::Read
        } else {
            Outcome::Failed
        }
    }
}

/// One reading of one image, as the engine gave it.
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    /// The engine and its version, e.g. "tesseract 5.3.0".
    pub engine: String,
    /// The models (languages) used, e.g. "urd+eng".
    pub models: String,
    /// How the image was prepared for the engine, e.g. "grey, 2x".
    pub prepared: String,
    /// Read or failed.
    pub outcome: Outcome,
    /// What went wrong, when it failed.
    pub problem: Option<String>,
    /// The words, in reading order.
    pub words: Vec<Word>,
    /// How long the engine took, in seconds.
    pub seconds: f64,
}

impl Reading {
    /// The words as text: a line per line, words apart by spaces.
    pub fn text(&self) -> String {
        text_of(&self.words)
    }
}

/// Words as text: a line per line, words apart by spaces.
pub fn text_of(words: &[Word]) -> String {
    let mut out = String::new();
    let mut line = None;
    for w in words {
        match line {
            Some(l) if l == w.line => out.push(' '),
            Some(_) => out.push('\n'),
            None => {}
        }
        out.push_str(&w.text);
        line = Some(w.line);
    }
    out
}

/// What is stored of one image's reading, without its words.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ImageText {
    /// SHA-256 of the image.
    pub sha256: String,
    /// Engine and version.
    pub engine: String,
    /// Models used.
    pub models: String,
    /// Read or failed.
    pub outcome: Outcome,
    /// What went wrong, when it failed.
    pub problem: Option<String>,
    /// The text, a line per line.
    pub text: String,
    /// When it was read.
    #[serde(serialize_with = "crate::clock::ser_ts")]
    pub read_at: DateTime<Utc>,
}

/// Indexes of the words that begin with one of `terms` (already search-folded), as the
/// search matches them: the boxes to highlight for a search.
pub fn matching_words(words: &[Word], terms: &[String]) -> Vec<usize> {
    words
        .iter()
        .enumerate()
        .filter(|(_, w)| {
            search_fold(&w.text)
                .split(|c: char| c.is_whitespace() || c.is_ascii_punctuation())
                .any(|part| {
                    !part.is_empty()
                        && terms
                            .iter()
                            .any(|t| !t.is_empty() && part.starts_with(t.as_str()))
                })
        })
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, line: u32) -> Word {
        Word {
            text: text.into(),
            line,
            x: 0,
            y: 0,
            w: 1,
            h: 1,
            confidence: 90.0,
        }
    }

    #[test]
    fn lines_and_matches() {
        let words = [word("Join", 0), word("t.me/kafila", 0), word("پیغام", 1)];
        assert_eq!(text_of(&words), "Join t.me/kafila\nپیغام");
        // Search-folded: case and Urdu letter forms meet; a word's parts match as prefixes.
        assert_eq!(matching_words(&words, &["join".into()]), vec![0]);
        assert_eq!(matching_words(&words, &["kafi".into()]), vec![1]);
        assert_eq!(matching_words(&words, &[search_fold("پیغام")]), vec![2]);
        assert!(matching_words(&words, &["oin".into()]).is_empty());
    }
}
