//! The display layout (`model::bidi`) and the text box (`gui::text_box`) against Unicode's
//! own conformance files for the Bidirectional Algorithm, BidiTest.txt (sequences of bidi
//! classes, each tried at the paragraph directions it lists) and BidiCharacterTest.txt
//! (real characters, brackets included). Debian's `unicode-data` installs them under
//! /usr/share/unicode; `.ci/run` installs it.
//!
//! The display layout is compared on the paragraph level, every character's resolved level
//! and the visual order. parley, under the box, tells each run's direction but not its level
//! number, so the box is compared on every character's direction and the visual order (the
//! order follows from the levels, so a wrong level shows there). Characters the algorithm
//! removes (rule X9: embeddings, overrides, boundary neutrals; `x` in the files) are left out
//! of both comparisons, as the files say. Cases either cannot pass are listed with the
//! reason below, and a listed case that passes fails the test, so the list stays true.

use parakh::gui::fonts::UrduFace;
use parakh::gui::text_box::{Engine, Shaper};
use parakh::model::bidi;

const DIR: &str = "/usr/share/unicode";

fn read(name: &str) -> String {
    let path = format!("{DIR}/{name}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("{path}: {e}; install Debian's unicode-data package (.ci/run does)")
    })
}

/// One case: the text, the paragraph direction asked for (`None`: from the first strong
/// letter), the expected levels (`None`: removed by X9) and visual order (char indices).
struct Case {
    file: &'static str,
    line: usize,
    text: Vec<char>,
    rtl: Option<bool>,
    levels: Vec<Option<u8>>,
    order: Vec<usize>,
}

impl Case {
    fn string(&self) -> String {
        self.text.iter().collect()
    }
    fn name(&self) -> String {
        let dir = match self.rtl {
            None => "auto",
            Some(true) => "rtl",
            Some(false) => "ltr",
        };
        let cps: Vec<String> = self
            .text
            .iter()
            .map(|c| format!("{:04X}", *c as u32))
            .collect();
        format!("{}:{} ({dir}) {}", self.file, self.line, cps.join(" "))
    }
}

fn levels(field: &str) -> Vec<Option<u8>> {
    field
        .split_whitespace()
        .map(|l| {
            if l == "x" {
                None
            } else {
                Some(l.parse().expect("a level"))
            }
        })
        .collect()
}

fn order(field: &str) -> Vec<usize> {
    field
        .split_whitespace()
        .map(|i| i.parse().expect("an index"))
        .collect()
}

fn character_cases() -> Vec<Case> {
    let mut out = Vec::new();
    for (n, line) in read("BidiCharacterTest.txt").lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split(';').collect();
        let text = f[0]
            .split_whitespace()
            .map(|h| char::from_u32(u32::from_str_radix(h, 16).unwrap()).unwrap())
            .collect();
        let rtl = match f[1] {
            "0" => Some(false),
            "1" => Some(true),
            _ => None,
        };
        out.push(Case {
            file: "BidiCharacterTest.txt",
            line: n + 1,
            text,
            rtl,
            levels: levels(f[3]),
            order: order(f[4]),
        });
    }
    out
}

/// A character of each bidi class, as the file's readers are told to pick.
fn of_class(class: &str) -> char {
    match class {
        "L" => 'a',
        "R" => '\u{05D0}',
        "AL" => '\u{0627}',
        "EN" => '1',
        "ES" => '+',
        "ET" => '$',
        "AN" => '\u{0661}',
        "CS" => ',',
        "NSM" => '\u{0300}',
        "BN" => '\u{00AD}',
        "B" => '\u{2029}',
        "S" => '\t',
        "WS" => ' ',
        "ON" => '!',
        "LRE" => '\u{202A}',
        "RLE" => '\u{202B}',
        "PDF" => '\u{202C}',
        "LRO" => '\u{202D}',
        "RLO" => '\u{202E}',
        "LRI" => '\u{2066}',
        "RLI" => '\u{2067}',
        "FSI" => '\u{2068}',
        "PDI" => '\u{2069}',
        other => panic!("unknown bidi class {other}"),
    }
}

fn class_cases() -> Vec<Case> {
    let mut out = Vec::new();
    let (mut lv, mut ord) = (Vec::new(), Vec::new());
    for (n, line) in read("BidiTest.txt").lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if let Some(l) = line.strip_prefix("@Levels:") {
            lv = levels(l);
            continue;
        }
        if let Some(o) = line.strip_prefix("@Reorder:") {
            ord = order(o);
            continue;
        }
        if line.starts_with('@') {
            continue;
        }
        let (classes, bits) = line.split_once(';').expect("classes; bitset");
        let text: Vec<char> = classes.split_whitespace().map(of_class).collect();
        let bits: u8 = bits.trim().parse().expect("a bitset");
        for (bit, rtl) in [(1, None), (2, Some(false)), (4, Some(true))] {
            if bits & bit != 0 {
                out.push(Case {
                    file: "BidiTest.txt",
                    line: n + 1,
                    text: text.clone(),
                    rtl,
                    levels: lv.clone(),
                    order: ord.clone(),
                });
            }
        }
    }
    out
}

fn check_display(case: &Case) -> Result<(), String> {
    let r = bidi::resolve(&case.string(), case.rtl);
    for (i, want) in case.levels.iter().enumerate() {
        if let Some(want) = want
            && r.levels.get(i) != Some(want)
        {
            return Err(format!("level of #{i}: {:?}, not {want}", r.levels.get(i)));
        }
    }
    let got: Vec<usize> = r
        .order
        .into_iter()
        .filter(|i| case.levels[*i].is_some())
        .collect();
    if got != case.order {
        return Err(format!("order {got:?}, not {:?}", case.order));
    }
    Ok(())
}

/// The characters rule L1 puts back at the paragraph level: segment and paragraph
/// separators, and whitespace and isolate marks before one or at the end of the line
/// (characters X9 removes do not interrupt such a sequence).
fn reset_by_l1(text: &[char]) -> Vec<bool> {
    use unicode_bidi::BidiClass::*;
    let mut out = vec![false; text.len()];
    let mut trailing = true;
    for (i, c) in text.iter().enumerate().rev() {
        match unicode_bidi::bidi_class(*c) {
            S | B => {
                out[i] = true;
                trailing = true;
            }
            WS | FSI | LRI | RLI | PDI if trailing => out[i] = true,
            BN | LRE | RLE | LRO | RLO | PDF => out[i] = trailing,
            _ => trailing = false,
        }
    }
    out
}

fn check_box(case: &Case, shaper: &mut Shaper) -> Result<(), String> {
    check_box_but(case, shaper, &vec![false; case.text.len()])
}

/// [`check_box`], leaving the characters marked in `skip` out.
fn check_box_but(case: &Case, shaper: &mut Shaper, skip: &[bool]) -> Result<(), String> {
    let text = case.string();
    let mut e = Engine::plain(&text, 15.0, UrduFace::Naskh, false);
    e.set_direction(case.rtl);
    let char_of: std::collections::HashMap<usize, usize> = text
        .char_indices()
        .enumerate()
        .map(|(ci, (b, _))| (b, ci))
        .collect();
    let mut got = Vec::new();
    for (byte, rtl) in e.visual_order(shaper) {
        let Some(&i) = char_of.get(&byte) else {
            return Err(format!(
                "the layout names byte {byte}, not a character's start"
            ));
        };
        let Some(want) = case.levels[i] else { continue };
        if skip[i] {
            continue;
        }
        if rtl != (want % 2 == 1) {
            return Err(format!(
                "direction of #{i}: {}, level {want}",
                if rtl { "rtl" } else { "ltr" }
            ));
        }
        got.push(i);
    }
    let want: Vec<usize> = case.order.iter().copied().filter(|i| !skip[*i]).collect();
    if got != want {
        return Err(format!("order {got:?}, not {want:?}"));
    }
    Ok(())
}

/// Runs every case. A failure passes only if `explain` names a reason it has checked (the
/// case passes once what the reason covers is left out); there is no list to go stale.
fn conform(
    cases: &[Case],
    what: &str,
    mut check: impl FnMut(&Case) -> Result<(), String>,
    mut explain: impl FnMut(&Case) -> Option<&'static str>,
) {
    let mut unexplained = Vec::new();
    let mut explained: std::collections::BTreeMap<&str, usize> = Default::default();
    for case in cases {
        if let Err(e) = check(case) {
            match explain(case) {
                Some(why) => *explained.entry(why).or_default() += 1,
                None => unexplained.push(format!("{}: {e}", case.name())),
            }
        }
    }
    eprintln!(
        "{what}: {} cases; explained gaps: {explained:?}",
        cases.len()
    );
    assert!(
        unexplained.is_empty(),
        "{what}: {} cases fail, e.g.\n{}",
        unexplained.len(),
        unexplained
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn no_gaps(_: &Case) -> Option<&'static str> {
    None
}

/// parley applies rule L1 to whitespace at a line's end by letting it hang outside the line
/// when it breaks lines, not by giving it the paragraph's level: such whitespace (and the
/// isolate marks and separators L1 also resets) keeps its run's direction and place. It is
/// invisible, and the caret still moves over it in order.
const L1_WHITESPACE: &str =
    "L1: trailing whitespace, isolates and separators keep their run's direction";

fn box_gaps(case: &Case, shaper: &mut Shaper) -> Option<&'static str> {
    let reset = reset_by_l1(&case.text);
    (reset.iter().any(|r| *r) && check_box_but(case, shaper, &reset).is_ok())
        .then_some(L1_WHITESPACE)
}

#[test]
fn the_display_layout_passes_bidi_character_test() {
    conform(
        &character_cases(),
        "display, BidiCharacterTest",
        check_display,
        no_gaps,
    );
}

#[test]
fn the_display_layout_passes_bidi_test() {
    conform(&class_cases(), "display, BidiTest", check_display, no_gaps);
}

#[test]
fn the_text_box_passes_bidi_character_test() {
    let mut shaper = Shaper::new();
    let mut again = Shaper::new();
    conform(
        &character_cases(),
        "box, BidiCharacterTest",
        |c| check_box(c, &mut shaper),
        |c| box_gaps(c, &mut again),
    );
}

#[test]
fn the_text_box_passes_bidi_test() {
    let mut shaper = Shaper::new();
    let mut again = Shaper::new();
    conform(
        &class_cases(),
        "box, BidiTest",
        |c| check_box(c, &mut shaper),
        |c| box_gaps(c, &mut again),
    );
}
