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

/// The text indexed for an item: handle, display name, URL and body, folded.
pub fn item_search_text(handle: &str, display_name: &str, url: &str, text: &str) -> String {
    search_fold(&format!("{handle}\n{display_name}\n{url}\n{text}"))
}

/// A key under which look-alike handles meet: lower case, letters and digits only, trailing
/// digits dropped (`TTP_Media2` and `ttp.media` both give `ttpmedia`). An item whose key equals
/// that of an account already taken down is marked as a possible mirror.
pub fn handle_key(handle: &str) -> String {
    let folded: String = handle
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    folded
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .to_string()
}

/// Turns what a person typed into an FTS5 match expression: every word must occur, each
/// as a prefix, quotes escaped so no input can inject FTS5 syntax. `None` for blank input.
pub fn fts_query(input: &str) -> Option<String> {
    let terms: Vec<String> = search_fold(input)
        .split_whitespace()
        .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn handle_keys_fold_separators_case_and_trailing_digits() {
        assert_eq!(handle_key("TTP_Media2"), "ttpmedia");
        assert_eq!(handle_key("ttp.media"), "ttpmedia");
        assert_eq!(handle_key("t_t_p_media_"), "ttpmedia");
        assert_ne!(handle_key("ttp_medla"), "ttpmedia");
    }

    #[test]
    fn fts_query_quotes_every_term() {
        assert_eq!(
            fts_query("  TTP  media "),
            Some("\"ttp\"* \"media\"*".into())
        );
        assert_eq!(fts_query("a\"b OR"), Some("\"a\"\"b\"* \"or\"*".into()));
        assert_eq!(fts_query("   "), None);
    }
}
