//! What a user name and a password must be.

use crate::error::{Error, Result};

/// Shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 8;

/// Longest password accepted (the hash is computed over it in full).
pub const MAX_PASSWORD_LEN: usize = 1024;

/// Whether `name` has the shape of a user name: 1–64 letters, digits, `.`, `_` or `-`.
/// Control characters, bidi overrides, NUL, spaces and newlines never pass.
pub fn well_formed(name: &str) -> bool {
    (1..=64).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// Checks a new user name.
pub fn check_name(name: &str) -> Result<()> {
    if well_formed(name) {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "user name '{}' must be 1-64 letters, digits, '.', '_' or '-'",
            crate::model::text::terminal_safe(&name.chars().take(64).collect::<String>())
        )))
    }
}

/// Passwords refused however they are written (compared case-insensitively).
const COMMON: &[&str] = &[
    "password",
    "password1",
    "password123",
    "passw0rd",
    "12345678",
    "123456789",
    "1234567890",
    "87654321",
    "qwertyui",
    "qwerty123",
    "qwertyuiop",
    "asdfghjk",
    "asdfghjkl",
    "zxcvbnm1",
    "iloveyou",
    "admin123",
    "administrator",
    "letmein1",
    "welcome1",
    "welcome123",
    "abc12345",
    "abcd1234",
    "1q2w3e4r",
    "1qaz2wsx",
    "parakh123",
    "pakistan",
    "pakistan1",
    "pakistan123",
    "islamabad",
    "lahore123",
    "karachi123",
    "changeme",
    "trustno1",
    "sunshine",
    "football",
];

/// Checks a new password: at least [`MIN_PASSWORD_LEN`] characters besides surrounding
/// spaces, not blank, not a handful of repeated characters, not a plain run (`abcdefgh`,
/// `87654321`), not the user's own name, not a well-known password.
pub fn check_password(name: &str, password: &str) -> Result<()> {
    let weak = |why: &str| Err(Error::invalid(format!("password refused: {why}")));
    let trimmed = password.trim();
    let len = trimmed.chars().count();
    if trimmed.is_empty() {
        return weak("it is blank");
    }
    if len < MIN_PASSWORD_LEN {
        return weak(&format!(
            "it must be at least {MIN_PASSWORD_LEN} characters (not counting spaces at its ends)"
        ));
    }
    if password.chars().count() > MAX_PASSWORD_LEN {
        return weak(&format!("it must be at most {MAX_PASSWORD_LEN} characters"));
    }
    if password.chars().any(char::is_control) {
        return weak("it contains control characters");
    }
    let mut distinct: Vec<char> = trimmed.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 4 {
        return weak("it repeats too few different characters");
    }
    let codes: Vec<i64> = trimmed.chars().map(|c| c as i64).collect();
    let steps: Vec<i64> = codes.windows(2).map(|w| w[1] - w[0]).collect();
    if steps.iter().all(|&s| s == 1) || steps.iter().all(|&s| s == -1) {
        return weak("it is a plain run of characters");
    }
    let lower = trimmed.to_lowercase();
    let name = name.trim().to_lowercase();
    let without_digits = lower.trim_end_matches(|c: char| c.is_ascii_digit());
    if !name.is_empty() && (without_digits == name || lower.replace(&name, "").is_empty()) {
        return weak("it is the user name");
    }
    if COMMON.contains(&lower.as_str()) {
        return weak("it is one of the best-known passwords");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passwords_are_refused_and_ordinary_ones_pass() {
        for bad in [
            "        ",
            "",
            "short",
            "aaaaaaaa",
            "abababab",
            "abcdefgh",
            "87654321",
            "Password",
            "PAKISTAN123",
            "lead2026",
            "leadlead",
            "  lead  ",
        ] {
            assert!(check_password("lead", bad).is_err(), "{bad:?} passed");
        }
        for good in ["correct horse battery", "parakh-sana", "ریویو کا دن 42"] {
            assert!(check_password("sana", good).is_ok(), "{good:?} refused");
        }
    }

    #[test]
    fn names_with_controls_or_bidi_overrides_are_ill_formed() {
        for bad in [
            "lead\n",
            "le\u{202e}ad",
            "a\0b",
            "a b",
            "",
            &"x".repeat(65),
            "\u{1b}[31m",
        ] {
            assert!(!well_formed(bad), "{bad:?}");
        }
        for good in ["sana", "farhan.k", "ثناء", "rev-2"] {
            assert!(well_formed(good), "{good:?}");
        }
    }
}
