//! Screenshot text on the command line: `attach` reads what it attached before it returns,
//! `parakh ocr --pending` reads what is still unread, `queue --search` and `show` tell what
//! was found in a screenshot, and without Tesseract everything works as before and says
//! once why the text is not read.

mod common;

use common::*;
use parakh::demo::{CardSpec, card_png};
use parakh::model::Platform;
use parakh::typeset::UrduFace;
use std::process::Command;

/// Runs `parakh` on the desk's store as the reviewer; (exit code, stdout, stderr).
fn parakh(d: &Desk, tesseract: Option<&str>, args: &[&str]) -> (i32, String, String) {
    let mut c = Command::new(env!("CARGO_BIN_EXE_parakh"));
    c.arg("--db")
        .arg(&d.path)
        .args(["--as", &d.rev.name])
        .args(args)
        .env("PARAKH_PASSWORD", PW)
        .env_remove("PARAKH_DB");
    match tesseract {
        Some(p) => c.env("PARAKH_TESSERACT", p),
        None => c.env_remove("PARAKH_TESSERACT"),
    };
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn screenshot(d: &Desk, name: &str, line: &str) -> String {
    let png = card_png(&CardSpec {
        platform: Platform::Telegram,
        handle: "kafila_news",
        name: "Kafila News",
        lines: &[line],
        face: UrduFace::Naskh,
        picture: false,
        seed: 3,
    });
    d.file(name, &png).display().to_string()
}

#[test]
fn attach_reads_the_text_before_it_returns_and_search_says_where_it_was_found() {
    let d = &mut desk();
    let item = d.items(&["kafila_news"])[0];
    // Claimed on the command line, by the clock it runs on.
    assert_eq!(parakh(d, None, &["claim", &item.to_string()]).0, 0);
    let file = screenshot(d, "shot.png", "Donations through easypaisa 0333-4455667");
    let (code, out, err) = parakh(d, None, &["attach", &item.to_string(), &file]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("attached "), "{out}");
    assert!(out.contains("read the text of 1 screenshot"), "{out}");
    let (_, out, _) = parakh(d, None, &["queue", "--search", "easypaisa"]);
    assert!(
        out.contains("kafila_news") && out.contains("[found in a screenshot]"),
        "{out}"
    );
    let (_, out, _) = parakh(d, None, &["queue", "--search", "kafila"]);
    assert!(
        out.contains("kafila_news") && !out.contains("[found in a screenshot]"),
        "{out}"
    );
    let (_, out, _) = parakh(d, None, &["show", &item.to_string()]);
    assert!(
        out.contains("text read from the image (tesseract "),
        "{out}"
    );
    assert!(out.contains("0333-4455667"), "{out}");
    let (_, json, _) = parakh(d, None, &["show", &item.to_string(), "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["image_text"][0]["outcome"], "read");
}

#[test]
fn without_tesseract_attach_works_says_so_once_and_ocr_pending_reads_later() {
    let d = &mut desk();
    let item = d.items(&["kafila_news"])[0];
    // Claimed on the command line, by the clock it runs on.
    assert_eq!(parakh(d, None, &["claim", &item.to_string()]).0, 0);
    let a = screenshot(d, "a.png", "Donations through easypaisa 0333-4455667");
    let b = screenshot(d, "b.png", "Meeting next Friday at the usual place");
    let missing = d.dir.path().join("no-such-tesseract");
    let missing = missing.to_str().unwrap();
    let (code, out, err) = parakh(d, Some(missing), &["attach", &item.to_string(), &a, &b]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.matches("attached ").count(), 2, "{out}");
    assert_eq!(
        err.matches("Screenshot text is not being read").count(),
        1,
        "said once: {err}"
    );
    assert!(
        err.contains("is not installed") && err.contains("sudo apt install tesseract-ocr"),
        "{err}"
    );
    assert!(err.contains("parakh ocr --pending"), "{err}");
    let (_, out, _) = parakh(d, None, &["queue", "--search", "easypaisa"]);
    assert!(!out.contains("kafila_news"), "{out}");
    let (code, _, err) = parakh(d, Some(missing), &["ocr", "--pending"]);
    assert_eq!(code, 1, "refused plainly: {err}");
    assert!(err.contains("Screenshot text is not being read"), "{err}");
    let (code, out, err) = parakh(d, None, &["ocr", "--pending"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("read the text of 2 screenshots"), "{out}");
    let (_, out, _) = parakh(d, None, &["queue", "--search", "easypaisa"]);
    assert!(out.contains("[found in a screenshot]"), "{out}");
    let (_, out, _) = parakh(d, None, &["ocr", "--pending"]);
    assert!(
        out.contains("read the text of 0 screenshots"),
        "read once: {out}"
    );
}
