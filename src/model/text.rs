//! Text normalisation shared by the search index and search queries.

/// The normalised form of text for the search index and for queries: lower case.
/// The same function runs at index time and at query time, so both sides always agree.
pub fn search_fold(s: &str) -> String {
    s.to_lowercase()
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
