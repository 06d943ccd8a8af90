//! Text normalisation shared by the search index and search queries.

/// The normalised form of text for the search index and for queries. The same function
/// runs at index time and at query time, so a search typed in either spelling finds both:
///
/// - Arabic and Urdu letter variants meet: yeh (ي ى ې ۍ → ی), kaf (ك → ک), heh and the
///   Urdu hehs (ه ھ ۀ ۃ ة → ہ), alef forms (أ إ آ ٱ → ا), waw with hamza (ؤ → و);
/// - diacritics (harakat, superscript alef, Quranic marks), tatweel and zero-width joiners
///   are removed;
/// - Arabic-Indic and Urdu (extended) digits become ASCII digits;
/// - everything is lower-cased.
pub fn search_fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let mapped = match c {
            'ي' | 'ى' | 'ې' | 'ۍ' | 'ی' => 'ی',
            'ك' => 'ک',
            'ه' | 'ھ' | 'ۀ' | 'ۃ' | 'ة' | 'ہ' => 'ہ',
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ؤ' => 'و',
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            // Harakat and other combining marks of the Arabic script, tatweel, joiners.
            '\u{0610}'..='\u{061A}'
            | '\u{064B}'..='\u{065F}'
            | '\u{0670}'
            | '\u{06D6}'..='\u{06DC}'
            | '\u{06DF}'..='\u{06E8}'
            | '\u{06EA}'..='\u{06ED}'
            | '\u{0640}'
            | '\u{200C}'
            | '\u{200D}' => continue,
            other => {
                out.extend(other.to_lowercase());
                continue;
            }
        };
        out.push(mapped);
    }
    out
}

/// The words of a search as the store matches them: folded by [`search_fold`], split at
/// whitespace.
pub fn search_words(query: &str) -> Vec<String> {
    search_fold(query)
        .split_whitespace()
        .map(String::from)
        .collect()
}

/// The text indexed for an item: handle, display name, URL and body, folded.
pub fn item_search_text(handle: &str, display_name: &str, url: &str, text: &str) -> String {
    search_fold(&format!("{handle}\n{display_name}\n{url}\n{text}"))
}

/// The UTS #39 confusable skeleton of a lower-cased name: two names with the same skeleton
/// look alike (`ѕana` with a Cyrillic s, and `sana`). Digits and separators count, unlike in
/// [`handle_key`]: `rev` and `rev2` are different people.
pub fn name_skeleton(name: &str) -> String {
    unicode_security::confusable_detection::skeleton(&name.trim().to_lowercase()).collect()
}

/// Version of [`handle_key`] and [`search_fold`]; stores keep the version their derived
/// columns were computed with and recompute them when it changes.
pub const DERIVED_TEXT_VERSION: i64 = 2;

/// A key under which look-alike handles meet: Unicode NFKC; lower case; trailing digits and
/// separators dropped (`ttp_media2` → `ttp_media`); UTS #39 confusable skeleton (Cyrillic
/// and other look-alike letters become their Latin prototypes); combining marks stripped;
/// leetspeak folded (0→o, 1→l, 3→e, 4→a, 5→s, 7→t); separators dropped; repeated letters
/// collapsed. `t_t_p.medіa_` (Cyrillic і), `TTP-Media2` and `ttp_media` all give the same
/// key (`tprnedia`: skeletons write `m` as `rn`).
pub fn handle_key(handle: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    let nfkc: String = handle.nfkc().collect::<String>().to_lowercase();
    let trimmed = nfkc.trim_end_matches(|c: char| c.is_ascii_digit() || !c.is_alphanumeric());
    let skeleton: String = unicode_security::confusable_detection::skeleton(trimmed).collect();
    let mut out = String::with_capacity(skeleton.len());
    let mut prev = None;
    for c in skeleton
        .to_lowercase()
        .nfd()
        .filter(|c| !is_combining_mark(*c))
    {
        let c = match c {
            '0' => 'o',
            '1' => 'l',
            '3' => 'e',
            '4' => 'a',
            '5' => 's',
            '7' => 't',
            c => c,
        };
        if !c.is_alphanumeric() || prev == Some(c) {
            continue;
        }
        prev = Some(c);
        out.push(c);
    }
    out
}

/// A CSV cell that a spreadsheet will not run: text beginning with `=`, `+`, `-`, `@`, a
/// tab or a carriage return gets a leading apostrophe (OWASP's rule against CSV injection),
/// so a handle like `=HYPERLINK(…)` reads as text. Other text is unchanged.
pub fn csv_cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Whether `c` could change how a terminal shows the text around it: control characters
/// (C0, DEL, C1: escape sequences, newlines, carriage returns) and the invisible bidi
/// controls (embeddings, overrides, isolates, marks) that reorder what follows them.
pub fn is_unsafe_for_terminal(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

/// Untrusted text (handles, item text, names, reasons) made safe to print to a terminal:
/// each character that [`is_unsafe_for_terminal`] is written as a visible `\u{…}` escape
/// (and a backslash as `\\`, so an escape cannot be faked), so a handle cannot move the
/// cursor, colour the screen, start a new line or reverse the text after it. Urdu letters
/// and the zero-width joiners they need are unchanged.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    escape_for_terminal(text, false)
}

/// [`terminal_safe`] for a message of several lines that Parakh wrote itself (a list of
/// import problems): its line breaks stay, every other unsafe character is escaped. The
/// untrusted parts of such a message are escaped with [`terminal_safe`] when it is built.
pub fn terminal_safe_lines(text: &str) -> std::borrow::Cow<'_, str> {
    escape_for_terminal(text, true)
}

fn escape_for_terminal(text: &str, keep_newlines: bool) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c == '\\' && !keep_newlines)
            || (is_unsafe_for_terminal(c) && !(keep_newlines && c == '\n'))
    };
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c == '\\' && !keep_newlines {
            out.push_str("\\\\");
        } else if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// One word of a search-result snippet, and whether it matched a word of the search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnippetWord {
    /// The word as written (punctuation included).
    pub text: String,
    /// Whether it matched.
    pub matched: bool,
}

/// Why `fields` matched the search `query`: the words around the first one that a word of
/// the query begins (both folded as the index folds them, as the search matches prefixes),
/// at most `context` words before it and twice that after, with "…" where words were left
/// out. Empty when no word of `fields` matches (the match was elsewhere, such as the URL).
pub fn match_snippet(fields: &[&str], query: &str, context: usize) -> Vec<SnippetWord> {
    let terms: Vec<String> = search_fold(query)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    if terms.is_empty() {
        return Vec::new();
    }
    let is_match = |w: &str| {
        let folded = search_fold(w);
        let core = folded.trim_matches(|c: char| !c.is_alphanumeric());
        !core.is_empty() && terms.iter().any(|t| core.starts_with(t.as_str()))
    };
    for field in fields {
        let words: Vec<&str> = field.split_whitespace().collect();
        let Some(first) = words.iter().position(|w| is_match(w)) else {
            continue;
        };
        let start = first.saturating_sub(context);
        let end = (first + 1 + 2 * context).min(words.len());
        let mut out: Vec<SnippetWord> = Vec::new();
        let ellipsis = || SnippetWord {
            text: "…".into(),
            matched: false,
        };
        if start > 0 {
            out.push(ellipsis());
        }
        for w in &words[start..end] {
            out.push(SnippetWord {
                text: (*w).to_string(),
                matched: is_match(w),
            });
        }
        if end < words.len() {
            out.push(ellipsis());
        }
        return out;
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_that_a_spreadsheet_would_run_are_neutralised() {
        for bad in ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(csv_cell(bad), format!("'{bad}"));
        }
        assert_eq!(csv_cell("ttp_media"), "ttp_media");
        assert_eq!(csv_cell("چینل"), "چینل");
        assert_eq!(csv_cell(""), "");
    }

    #[test]
    fn a_snippet_shows_the_matching_words_in_their_context() {
        let text = "one two three four five join the ranks today seven eight nine ten";
        let s = match_snippet(&["handle", text], "JOIN rank", 2);
        let words: Vec<(&str, bool)> = s.iter().map(|w| (w.text.as_str(), w.matched)).collect();
        assert_eq!(
            words,
            [
                ("…", false),
                ("four", false),
                ("five", false),
                ("join", true),
                ("the", false),
                ("ranks", true),
                ("today", false),
                ("seven", false),
                ("…", false)
            ]
        );
        // Urdu, in another spelling of the same word (Arabic kaf and yeh).
        let s = match_snippet(&["ہمارے ساتھ شامل ہوں"], "شامل", 3);
        assert!(s.iter().any(|w| w.matched && w.text == "شامل"));
        let s = match_snippet(&["كتاب"], "کتاب", 3);
        assert!(s[0].matched);
        assert!(match_snippet(&["nothing here"], "absent", 3).is_empty());
        assert!(match_snippet(&["text"], "  ", 3).is_empty());
    }

    #[test]
    fn arabic_and_urdu_spellings_fold_together() {
        // Arabic kaf and yeh against Urdu keheh and Farsi yeh.
        assert_eq!(search_fold("كتاب علي"), search_fold("کتاب علی"));
        // Heh variants: Arabic heh, Urdu heh goal, heh doachashmee.
        assert_eq!(search_fold("پاكستانه"), search_fold("پاکستانہ"));
        assert_eq!(search_fold("ھم"), search_fold("ہم"));
        // Alef forms, diacritics and tatweel.
        assert_eq!(search_fold("أحمد"), search_fold("احمد"));
        assert_eq!(search_fold("مُحَمَّد"), search_fold("محمد"));
        assert_eq!(search_fold("پیـــغام"), search_fold("پیغام"));
        // Digits in three scripts.
        assert_eq!(search_fold("۲۰۲۶ ٢٠٢٦ 2026"), "2026 2026 2026");
        assert_eq!(search_fold("TTP Media"), "ttp media");
    }

    #[test]
    fn handle_keys_fold_look_alikes() {
        let key = handle_key("ttp_media");
        assert_eq!(key, "tprnedia", "UTS #39 skeletons write m as rn");
        for variant in [
            "TTP_Media2",
            "ttp.media_",
            "t_t_p_media",
            "ttp_medіa",          // Cyrillic і
            "ttр_mеdia",          // Cyrillic р and е
            "ｔｔｐ＿ｍｅｄｉａ", // full-width
            "7tp_m3dia",          // leetspeak (trailing digits are dropped before folding)
            "tttp__mediaa99",
            "ttp_médiá", // accents
        ] {
            assert_eq!(handle_key(variant), key, "{variant}");
        }
        assert_ne!(
            handle_key("ttp_medla"),
            key,
            "a different letter is for the similarity score, not the key"
        );
        assert_ne!(handle_key("bla_news"), key);
    }
}
