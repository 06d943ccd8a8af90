//! Item URLs as stored: one spelling per address, so the same account reported twice with
//! different tracking tails or letter case is found as a duplicate.

/// Query parameters that only say who shared a link or where it was clicked, never what
/// it points at (`utm_*` are matched by prefix).
const TRACKING: &[&str] = &[
    "fbclid", "gclid", "dclid", "msclkid", "igshid", "igsh", "si", "mibextid", "ref_src",
    "ref_url", "_rdr", "__tn__", "__cft__",
];

fn is_tracking(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.starts_with("utm_") || TRACKING.contains(&key.as_str())
}

/// The stored form of an http(s) URL: scheme and host in lower case (as the URL standard
/// writes them), the default port dropped, tracking parameters removed, and a trailing
/// slash dropped from a path other than the root. Anything that does not parse as an
/// absolute URL is returned trimmed, unchanged (the importer refuses it separately).
pub fn normalise(url: &str) -> String {
    let trimmed = url.trim();
    let Ok(mut u) = url::Url::parse(trimmed) else {
        return trimmed.to_string();
    };
    if u.query().is_some() {
        let kept: Vec<(String, String)> = u
            .query_pairs()
            .filter(|(k, _)| !is_tracking(k))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        if kept.is_empty() {
            u.set_query(None);
        } else {
            u.query_pairs_mut().clear().extend_pairs(kept);
        }
    }
    let path = u.path().to_string();
    if path.len() > 1 && path.ends_with('/') {
        u.set_path(path.trim_end_matches('/'));
    }
    u.to_string()
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn spellings_of_one_address_meet() {
        let want = "https://t.me/sada_media";
        for spelling in [
            "https://t.me/sada_media",
            "HTTPS://T.ME/sada_media/",
            "https://t.me:443/sada_media?utm_source=wa&utm_medium=share",
            " https://t.me/sada_media/?fbclid=IwAR0abc ",
        ] {
            assert_eq!(normalise(spelling), want, "{spelling}");
        }
        assert_eq!(
            normalise("https://www.instagram.com/p/Cx1/?igshid=MzRl&hl=ur"),
            "https://www.instagram.com/p/Cx1?hl=ur"
        );
        assert_eq!(
            normalise("https://youtu.be/abc?si=xyz&t=42"),
            "https://youtu.be/abc?t=42"
        );
        // The path keeps its case: handles can be case-sensitive.
        assert_eq!(
            normalise("https://x.com/Sada_Media"),
            "https://x.com/Sada_Media"
        );
        assert_eq!(normalise("https://x.com/"), "https://x.com/");
        assert_eq!(normalise("not a url"), "not a url");
    }
}
