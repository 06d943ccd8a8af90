//! Importing items: all or nothing, problems listed by line, duplicates skipped.

mod common;

use common::*;
use parakh::import::import_file;
use parakh::{Error, queue};

const HEADER: &str = "platform,kind,handle,display_name,url,text,language,followers,reported_at,source_ref,evidence\n";

fn count(d: &mut Desk) -> usize {
    queue::list(&mut d.ws, Default::default(), None)
        .unwrap()
        .len()
}

#[test]
fn a_good_csv_imports_with_evidence_and_a_second_run_skips_duplicates() {
    let mut d = desk();
    d.file("a.png", &png(20, 20, 1));
    d.file("b.png", &png(20, 20, 2));
    let csv = format!(
        "{HEADER}telegram,channel,alpha,\"Alpha, Channel\",https://t.me/alpha,\"multi\nline text\",en,1200,2026-10-01T10:00:00+05:00,CTD-1,a.png;b.png\n\
         x,account,beta,بیٹا,https://x.com/beta,یہ ایک نمونہ ہے,ur,,2026-10-02T10:00:00Z,CTD-2,\n"
    );
    let path = d.file("items.csv", csv.as_bytes());
    let admin = d.admin.clone();
    let r = import_file(&mut d.ws, Some(&admin), &path).unwrap();
    assert_eq!((r.imported, r.skipped.len(), r.evidence), (2, 0, 2));
    let rows = queue::list(&mut d.ws, Default::default(), Some("alpha")).unwrap();
    assert_eq!(rows.len(), 1);
    let it = &rows[0].item.fields;
    assert_eq!(
        (it.display_name.as_str(), it.text.as_str(), it.followers),
        ("Alpha, Channel", "multi\nline text", Some(1200))
    );
    assert_eq!(
        parakh::clock::fmt_ts(it.reported_at),
        "2026-10-01T05:00:00.000Z"
    );
    assert_eq!(rows[0].evidence_count, 2);
    let urdu = queue::list(&mut d.ws, Default::default(), Some("نمونہ")).unwrap();
    assert_eq!(urdu[0].item.fields.handle, "beta");

    let r = import_file(&mut d.ws, Some(&admin), &path).unwrap();
    assert_eq!((r.imported, r.skipped.len()), (0, 2));
    assert_eq!(r.skipped[0].0, 2);
    assert_eq!(count(&mut d), 2);
}

#[test]
fn one_bad_row_refuses_the_whole_file_with_every_problem_by_line() {
    let mut d = desk();
    let csv = format!(
        "{HEADER}telegram,channel,ok,,https://t.me/ok,,,,2026-10-01T10:00:00Z,,\n\
         myspace,channel,bad1,,https://t.me/b1,,,,2026-10-01T10:00:00Z,,\n\
         telegram,channel,ok2,,https://t.me/ok2,,,,2026-10-01T10:00:00Z,,\n\
         telegram,page,,,not a url,,,-5,yesterday,,missing.png\n"
    );
    let path = d.file("bad.csv", csv.as_bytes());
    let admin = d.admin.clone();
    match import_file(&mut d.ws, Some(&admin), &path) {
        Err(Error::Invalid(m)) => {
            for needle in [
                "nothing was stored",
                "line 3: unknown platform 'myspace'",
                "line 5: unknown kind 'page'",
                "line 5: handle is empty",
                "line 5: url 'not a url'",
                "line 5: 'yesterday' is not an RFC 3339 timestamp",
                "line 5: followers cannot be negative",
                "line 5: evidence 'missing.png' cannot be found in the import file's folder",
            ] {
                assert!(m.contains(needle), "{needle:?} missing from:\n{m}");
            }
            assert!(!m.contains("line 2:") && !m.contains("line 4:"), "{m}");
        }
        other => panic!("expected the import refused, got {other:?}"),
    }
    assert_eq!(count(&mut d), 0, "nothing is stored when one row is bad");
}

#[test]
fn bad_evidence_refuses_the_import() {
    let mut d = desk();
    d.file("fake.png", b"not really a png");
    let csv =
        format!("{HEADER}telegram,channel,ok,,https://t.me/ok,,,,2026-10-01T10:00:00Z,,fake.png\n");
    let path = d.file("ev.csv", csv.as_bytes());
    let admin = d.admin.clone();
    assert!(
        matches!(import_file(&mut d.ws, Some(&admin), &path), Err(Error::Invalid(m)) if m.contains("line 2: evidence fake.png: not an image"))
    );
    assert_eq!(count(&mut d), 0);
}

#[test]
fn json_lines_import_and_their_errors_name_the_line() {
    let mut d = desk();
    d.file("a.png", &png(20, 20, 1));
    let good = "{\"platform\":\"tiktok\",\"kind\":\"account\",\"handle\":\"gamma\",\"url\":\"https://www.tiktok.com/@gamma\",\"reported_at\":\"2026-10-03T00:00:00Z\",\"followers\":77,\"evidence\":[\"a.png\"]}\n\n{\"platform\":\"youtube\",\"kind\":\"channel\",\"handle\":\"delta\",\"url\":\"https://youtube.com/@delta\",\"reported_at\":\"2026-10-03T00:00:00Z\",\"priority\":1}\n";
    let path = d.file("good.jsonl", good.as_bytes());
    let admin = d.admin.clone();
    let r = import_file(&mut d.ws, Some(&admin), &path).unwrap();
    assert_eq!((r.imported, r.evidence), (2, 1));

    let bad = "{\"platform\":\"x\",\"kind\":\"post\",\"handle\":\"e\",\"url\":\"https://x.com/e/1\",\"reported_at\":\"2026-10-03T00:00:00Z\"}\n{not json\n{\"platform\":\"x\",\"kind\":\"post\",\"handle\":\"f\",\"url\":\"https://x.com/f/1\",\"reported_at\":\"2026-10-03T00:00:00Z\",\"colour\":\"red\"}\n{\"platform\":\"x\",\"kind\":\"post\",\"handle\":\"g\",\"url\":\"https://x.com/g/1\",\"reported_at\":\"2026-10-03T00:00:00Z\",\"priority\":9}\n";
    let path = d.file("bad.jsonl", bad.as_bytes());
    match import_file(&mut d.ws, Some(&admin), &path) {
        Err(Error::Invalid(m)) => {
            assert!(m.contains("line 2: not valid JSON"), "{m}");
            assert!(m.contains("line 3: unknown field 'colour'"), "{m}");
            assert!(m.contains("line 4: priority 9 is outside 1-5"), "{m}");
        }
        other => panic!("expected refusal, got {other:?}"),
    }
    assert_eq!(count(&mut d), 2);
}

#[test]
fn wrong_columns_and_extensions_are_refused() {
    let mut d = desk();
    let admin = d.admin.clone();
    let path = d.file(
        "cols.csv",
        b"platform,kind,handle,link,reported_at\nx,post,a,https://x.com/a,2026-10-03T00:00:00Z\n",
    );
    match import_file(&mut d.ws, Some(&admin), &path) {
        Err(Error::Invalid(m)) => {
            assert!(m.contains("line 1: unknown column 'link'"), "{m}");
            assert!(m.contains("line 1: missing required column 'url'"), "{m}");
        }
        other => panic!("expected refusal, got {other:?}"),
    }
    let path = d.file("items.xlsx", b"whatever");
    assert!(matches!(
        import_file(&mut d.ws, Some(&admin), &path),
        Err(Error::Usage(_))
    ));
}

#[test]
fn a_report_from_the_future_is_refused_by_line() {
    // The desk's clock is 2026-11-01 09:00 UTC: a day ahead is allowed, 9999 is not.
    let mut d = desk();
    let mut far = row("from_the_future");
    far.reported_at = "9999-12-31T00:00:00Z".into();
    let mut soon = row("clock_skew");
    soon.reported_at = "2026-11-02T08:00:00Z".into();
    let admin = d.admin.clone();
    let rows = vec![(2, soon.clone()), (3, far)];
    let r = parakh::import::import_rows(
        &mut d.ws,
        Some(&admin),
        "t",
        "00",
        rows,
        vec![],
        std::path::Path::new(""),
    );
    match r {
        Err(Error::Invalid(m)) => {
            assert!(
                m.contains("line 3: reported_at 9999-12-31T00:00:00Z is in the future"),
                "{m}"
            );
            assert!(!m.contains("line 2"), "{m}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(
        queue::list(&mut d.ws, Default::default(), None)
            .unwrap()
            .is_empty(),
        "nothing stored"
    );
    assert_eq!(
        d.import(vec![soon]).len(),
        1,
        "a report a few hours ahead is accepted"
    );
}

#[test]
fn evidence_paths_stay_inside_the_import_files_folder() {
    let mut d = desk();
    let inside = d.dir.path().join("batch");
    let outside = d.dir.path().join("outside");
    std::fs::create_dir_all(inside.join("shots")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret.png"), png(20, 20, 4)).unwrap();
    std::fs::write(inside.join("shots/ok.png"), png(20, 20, 5)).unwrap();
    std::os::unix::fs::symlink(outside.join("secret.png"), inside.join("link.png")).unwrap();
    std::os::unix::fs::symlink(&outside, inside.join("dirlink")).unwrap();
    let secret = outside.join("secret.png").display().to_string();
    let paths = [
        "../outside/secret.png",
        secret.as_str(),
        "/etc/shadow",
        "link.png",
        "dirlink/secret.png",
        "shots/../../outside/secret.png",
        "/nonexistent/file.png",
    ];
    let mut csv = HEADER.to_string();
    for (i, p) in paths.iter().enumerate() {
        csv.push_str(&format!(
            "telegram,channel,h{i},,https://t.me/h{i},,,,2026-10-01T10:00:00Z,,{p}\n"
        ));
    }
    let path = inside.join("import.csv");
    std::fs::write(&path, csv).unwrap();
    let admin = d.admin.clone();
    let m = match import_file(&mut d.ws, Some(&admin), &path) {
        Err(Error::Invalid(m)) => m,
        other => panic!("expected refusal, got {other:?}"),
    };
    for (i, p) in paths.iter().enumerate() {
        let line = format!(
            "line {}: evidence '{p}' is outside the import file's folder",
            i + 2
        );
        assert!(m.contains(&line), "{line:?} missing from:\n{m}");
    }
    for leak in [
        "not an image",
        "ermission",
        "not a file",
        "cannot be found",
        "No such",
    ] {
        assert!(
            !m.contains(leak),
            "the refusal tells what lies outside ({leak}):\n{m}"
        );
    }
    assert_eq!(count(&mut d), 0);

    // Inside the folder, through a subfolder, is fine.
    let good = format!(
        "{HEADER}telegram,channel,fine,,https://t.me/fine,,,,2026-10-01T10:00:00Z,,shots/./ok.png\n"
    );
    std::fs::write(&path, good).unwrap();
    let r = import_file(&mut d.ws, Some(&admin), &path).unwrap();
    assert_eq!((r.imported, r.evidence), (1, 1));
}

#[test]
fn json_lines_with_a_byte_order_mark_import_and_bad_utf8_is_named_by_line() {
    let mut d = desk();
    let admin = d.admin.clone();
    let line = |h: &str| {
        format!(
            "{{\"platform\":\"x\",\"kind\":\"post\",\"handle\":\"{h}\",\"url\":\"https://x.com/{h}/1\",\"reported_at\":\"2026-10-03T00:00:00Z\"}}\r\n"
        )
    };
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(line("first").as_bytes());
    bom.extend(line("second").as_bytes());
    let path = d.file("bom.jsonl", &bom);
    assert_eq!(
        import_file(&mut d.ws, Some(&admin), &path)
            .unwrap()
            .imported,
        2
    );

    let mut bad = line("third").into_bytes();
    bad.extend(line("fourth").as_bytes());
    bad.extend(b"{\"platform\":\"x\",\"handle\":\"caf\xE9\"}\n");
    bad.extend(line("fifth").as_bytes());
    let path = d.file("bad-utf8.jsonl", &bad);
    match import_file(&mut d.ws, Some(&admin), &path) {
        Err(Error::Invalid(m)) => {
            assert!(
                m.contains("line 3: not UTF-8 text (invalid byte at column 30)"),
                "{m}"
            );
            assert!(!m.contains("line 1:") && !m.contains("line 4:"), "{m}");
        }
        other => panic!("expected refusal, got {other:?}"),
    }
    assert_eq!(count(&mut d), 2);
}

#[test]
fn duplicate_urls_are_found_after_normalising_and_the_reported_form_is_kept() {
    let mut d = desk();
    let admin = d.admin.clone();
    let csv = format!(
        "{HEADER}telegram,channel,sada,,HTTPS://T.ME/sada_media/?utm_source=whatsapp,,,,2026-10-01T10:00:00Z,,\n\
         telegram,channel,sada,,https://t.me/sada_media?fbclid=IwAR0,,,,2026-10-01T10:00:00Z,,\n"
    );
    let path = d.file("dups.csv", csv.as_bytes());
    let r = import_file(&mut d.ws, Some(&admin), &path).unwrap();
    assert_eq!(r.imported, 1);
    assert!(
        r.skipped[0].1.contains("appears earlier in the file"),
        "{:?}",
        r.skipped
    );
    let id = r.ids.unwrap().0;
    let item = parakh::queue::record(&mut d.ws, id).unwrap().item;
    assert_eq!(item.fields.url, "https://t.me/sada_media");
    assert_eq!(
        item.fields.reported_url,
        "HTTPS://T.ME/sada_media/?utm_source=whatsapp"
    );

    let again = format!(
        "{HEADER}telegram,channel,sada,,https://t.me/sada_media/?si=abc,,,,2026-10-02T10:00:00Z,,\n"
    );
    let path = d.file("again.csv", again.as_bytes());
    let r = import_file(&mut d.ws, Some(&admin), &path).unwrap();
    assert_eq!(r.imported, 0);
    assert!(
        r.skipped[0].1.contains("is already stored"),
        "{:?}",
        r.skipped
    );
}
