//! Invented account handles and the ways mirror accounts disguise them, for the mirror
//! evaluation and benchmarks. Handles are built from invented syllables, never taken from
//! real accounts.

use rand::Rng;
use rand::seq::IndexedRandom;

const ONSETS: &[&str] = &[
    "b", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "q", "r", "s", "t", "v", "z", "sh",
    "kh", "gh", "ch", "th",
];
const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "aa", "ee", "ai", "oo"];
const CODAS: &[&str] = &["", "", "", "n", "r", "m", "l", "z", "st"];
const WORDS: &[&str] = &[
    "media", "news", "voice", "press", "post", "wire", "desk", "front",
];

fn word(rng: &mut impl Rng, syllables: usize) -> String {
    (0..syllables)
        .map(|_| {
            format!(
                "{}{}{}",
                ONSETS.choose(rng).expect("non-empty"),
                VOWELS.choose(rng).expect("non-empty"),
                CODAS.choose(rng).expect("non-empty")
            )
        })
        .collect()
}

/// An invented handle such as `kheeron_media` or `zaimurvost`.
pub fn invented_handle(rng: &mut impl Rng) -> String {
    let syllables = rng.random_range(2..=3);
    let stem = word(rng, syllables);
    match rng.random_range(0..3) {
        0 => stem,
        1 => format!("{stem}_{}", WORDS.choose(rng).expect("non-empty")),
        _ => format!("{}_{}", word(rng, 2), stem),
    }
}

/// An invented display name: two capitalised invented words.
pub fn invented_name(rng: &mut impl Rng) -> String {
    let cap = |w: String| {
        let mut c = w.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect::<String>())
            .unwrap_or_default()
    };
    format!("{} {}", cap(word(rng, 2)), cap(word(rng, 2)))
}

/// A way a mirror account disguises the handle it copies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Disguise {
    /// Latin letters swapped for Cyrillic, Greek or full-width look-alikes.
    Homoglyph,
    /// Letters swapped for digits (o→0, l→1, e→3, a→4, s→5, t→7).
    Leetspeak,
    /// Separators added or moved (`_`, `.`, `-`).
    Separators,
    /// Digits appended.
    Digits,
    /// Two neighbouring letters swapped.
    Transposition,
    /// A letter doubled.
    Repeat,
    /// Two of the above at once.
    Combined,
}

impl Disguise {
    /// Every disguise, in the order reports list them.
    pub const ALL: [Disguise; 7] = [
        Disguise::Homoglyph,
        Disguise::Leetspeak,
        Disguise::Separators,
        Disguise::Digits,
        Disguise::Transposition,
        Disguise::Repeat,
        Disguise::Combined,
    ];

    /// Its name in reports.
    pub fn label(self) -> &'static str {
        match self {
            Disguise::Homoglyph => "homoglyphs",
            Disguise::Leetspeak => "leetspeak",
            Disguise::Separators => "separators",
            Disguise::Digits => "digits",
            Disguise::Transposition => "transposition",
            Disguise::Repeat => "repeated letter",
            Disguise::Combined => "two combined",
        }
    }
}

fn homoglyph<R: Rng>(c: char, rng: &mut R) -> Option<char> {
    let options: &[char] = match c {
        'a' => &['а', 'ａ'],
        'e' => &['е', 'ｅ'],
        'o' => &['о', 'ο', 'ｏ'],
        'p' => &['р', 'ｐ'],
        'c' => &['с'],
        'x' => &['х'],
        'y' => &['у'],
        'i' => &['і', 'ｉ'],
        's' => &['ѕ', 'ｓ'],
        'h' => &['һ'],
        'j' => &['ј'],
        'k' => &['ｋ'],
        'm' => &['ｍ'],
        'n' => &['ｎ'],
        't' => &['ｔ'],
        _ => return None,
    };
    options.choose(rng).copied()
}

fn leet(c: char) -> Option<char> {
    Some(match c {
        'o' => '0',
        'l' => '1',
        'e' => '3',
        'a' => '4',
        's' => '5',
        't' => '7',
        _ => return None,
    })
}

/// Replaces about half of the letters `f` has a replacement for (at least one, if any).
fn substitute<R: Rng>(handle: &str, rng: &mut R, f: fn(char, &mut R) -> Option<char>) -> String {
    let chars: Vec<char> = handle.chars().collect();
    let options: Vec<usize> = (0..chars.len())
        .filter(|&i| f(chars[i], rng).is_some())
        .collect();
    let mut out = chars.clone();
    for &i in &options {
        if rng.random_bool(0.5) {
            out[i] = f(chars[i], rng).expect("has a replacement");
        }
    }
    if out == chars
        && let Some(&i) = options.choose(rng)
    {
        out[i] = f(chars[i], rng).expect("has a replacement");
    }
    out.into_iter().collect()
}

/// `handle` disguised one way (the result may equal `handle` only if no letter of it
/// can take the disguise).
pub fn disguise(handle: &str, how: Disguise, rng: &mut impl Rng) -> String {
    match how {
        Disguise::Homoglyph => substitute(handle, rng, homoglyph),
        Disguise::Leetspeak => substitute(handle, rng, |c, _| leet(c)),
        Disguise::Separators => {
            let mut chars: Vec<char> = handle.chars().filter(|c| c.is_alphanumeric()).collect();
            let n = rng.random_range(1..=2);
            for _ in 0..n {
                let at = rng.random_range(1..chars.len());
                chars.insert(at, *['_', '.', '-'].choose(rng).expect("non-empty"));
            }
            chars.into_iter().collect()
        }
        Disguise::Digits => {
            let n = rng.random_range(1..=4);
            let digits: String = (0..n)
                .map(|_| char::from(b'0' + rng.random_range(0..10)))
                .collect();
            format!("{handle}{digits}")
        }
        Disguise::Transposition => {
            let chars: Vec<char> = handle.chars().collect();
            let pairs: Vec<usize> = (0..chars.len() - 1)
                .filter(|&i| {
                    chars[i] != chars[i + 1]
                        && chars[i].is_alphabetic()
                        && chars[i + 1].is_alphabetic()
                })
                .collect();
            let mut out = chars.clone();
            if let Some(&i) = pairs.choose(rng) {
                out.swap(i, i + 1);
            }
            out.into_iter().collect()
        }
        Disguise::Repeat => {
            let chars: Vec<char> = handle.chars().collect();
            let letters: Vec<usize> = (0..chars.len())
                .filter(|&i| chars[i].is_alphabetic())
                .collect();
            let i = *letters.choose(rng).expect("handles have letters");
            let mut out = chars.clone();
            out.insert(i, chars[i]);
            out.into_iter().collect()
        }
        Disguise::Combined => {
            let simple = &Disguise::ALL[..6];
            let a = *simple.choose(rng).expect("non-empty");
            let others: Vec<Disguise> = simple.iter().copied().filter(|&d| d != a).collect();
            let b = *others.choose(rng).expect("non-empty");
            // Homoglyphs last, so the others act on plain letters.
            let (first, second) = if a == Disguise::Homoglyph {
                (b, a)
            } else {
                (a, b)
            };
            let once = disguise(handle, first, rng);
            disguise(&once, second, rng)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::text::handle_key;
    use rand::{SeedableRng, rngs::StdRng};

    #[test]
    fn disguises_change_the_handle_and_the_key_folds_the_folding_ones_back() {
        let mut rng = StdRng::seed_from_u64(1);
        let handle = "kheeron_tasolmedia";
        for how in Disguise::ALL {
            let d = disguise(handle, how, &mut rng);
            assert_ne!(d, handle, "{how:?}");
        }
        for how in [
            Disguise::Homoglyph,
            Disguise::Separators,
            Disguise::Digits,
            Disguise::Repeat,
        ] {
            let d = disguise(handle, how, &mut rng);
            assert_eq!(handle_key(&d), handle_key(handle), "{how:?}: {d}");
        }
        let h = disguise(handle, Disguise::Homoglyph, &mut rng);
        assert!(!h.is_ascii(), "{h}");
    }

    #[test]
    fn invented_handles_vary() {
        let mut rng = StdRng::seed_from_u64(2);
        let set: std::collections::HashSet<String> =
            (0..1000).map(|_| invented_handle(&mut rng)).collect();
        assert!(set.len() > 990);
    }
}
