//! Search finds Urdu and Arabic text whichever way it was spelled, through the store and
//! through the command line: both fold text the same way at index and at query time.

mod common;

use common::*;
use parakh::queue;

/// Items whose text uses Arabic letter forms, diacritics and Arabic-Indic digits, and one
/// in Urdu forms.
fn seeded() -> (Desk, Vec<i64>) {
    let mut d = desk();
    let texts = [
        ("arabic_forms", "كتاب علي پاكستانه"), // Arabic kaf, yeh, heh
        ("diacritics", "مُحَمَّد کی پیـــغام رسانی"), // harakat and tatweel
        ("digits", "اعلان ٢٠٢٦ اور ۱۵ نئے اکاؤنٹس"), // Arabic-Indic and Urdu digits
        ("urdu_forms", "ہم سب کا پاکستان"),    // Urdu heh goal, keheh, yeh
        ("alef", "أحمد اور إسلام آباد"),        // alef with hamza above, below, madda
    ];
    let rows = texts
        .iter()
        .enumerate()
        .map(|(i, (h, t))| {
            let mut r = row(h);
            r.text = t.to_string();
            r.language = "ur".into();
            (i + 2, r)
        })
        .collect();
    let admin = d.admin.clone();
    let rep = parakh::import::import_rows(
        &mut d.ws,
        Some(&admin),
        "t",
        "00",
        rows,
        vec![],
        std::path::Path::new(""),
    )
    .unwrap();
    let (a, b) = rep.ids.unwrap();
    (d, (a..=b).collect())
}

fn found(d: &mut Desk, q: &str) -> Vec<String> {
    let mut h: Vec<String> = queue::list(&mut d.ws, Default::default(), Some(q))
        .unwrap()
        .into_iter()
        .map(|r| r.item.fields.handle)
        .collect();
    h.sort();
    h
}

#[test]
fn spelling_variants_find_each_other_through_the_store() {
    let (mut d, _) = seeded();
    // Typed with Urdu keheh and Farsi yeh, stored with Arabic kaf and yeh.
    assert_eq!(found(&mut d, "کتاب"), ["arabic_forms"]);
    assert_eq!(found(&mut d, "علی"), ["arabic_forms"]);
    // Urdu heh goal against Arabic heh, both ways.
    assert_eq!(found(&mut d, "پاکستانہ"), ["arabic_forms"]);
    assert_eq!(found(&mut d, "پاكستان"), ["arabic_forms", "urdu_forms"]);
    assert_eq!(found(&mut d, "هم"), ["urdu_forms"]);
    // Without diacritics and tatweel, and with them.
    assert_eq!(found(&mut d, "محمد"), ["diacritics"]);
    assert_eq!(found(&mut d, "پیغام"), ["diacritics"]);
    assert_eq!(found(&mut d, "مُحمّد"), ["diacritics"]);
    // Digits in any script.
    assert_eq!(found(&mut d, "2026"), ["digits"]);
    assert_eq!(found(&mut d, "۲۰۲۶"), ["digits"]);
    assert_eq!(found(&mut d, "15"), ["digits"]);
    // Alef forms.
    assert_eq!(found(&mut d, "احمد"), ["alef"]);
    assert_eq!(found(&mut d, "اسلام"), ["alef"]);
    // And a miss stays a miss.
    assert!(found(&mut d, "لاہور").is_empty());
}

#[test]
fn the_command_line_searches_the_same_way() {
    let (d, _) = seeded();
    let run = |q: &str| -> Vec<String> {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_parakh"))
            .arg("--db")
            .arg(&d.path)
            .args(["queue", "--json", "--search", q])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut h: Vec<String> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["handle"].as_str().unwrap().to_string())
            .collect();
        h.sort();
        h
    };
    assert_eq!(run("کتاب"), ["arabic_forms"]);
    assert_eq!(run("پاكستان"), ["arabic_forms", "urdu_forms"]);
    assert_eq!(run("۲۰۲۶"), ["digits"]);
    assert_eq!(run("محمد"), ["diacritics"]);
    // The stored text keeps its own spelling: folding is for search only.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_parakh"))
        .arg("--db")
        .arg(&d.path)
        .args(["show", "1", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["text"], "كتاب علي پاكستانه");
}
