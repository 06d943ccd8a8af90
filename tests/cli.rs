//! The `parakh` binary: the documented interface, its output and its exit codes
//! (0 ok, 1 error, 2 usage, 3 authentication, 4 rule, 5 integrity).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Cli {
    dir: tempfile::TempDir,
    db: PathBuf,
}

impl Cli {
    fn new() -> Cli {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("store.db");
        Cli { dir, db }
    }

    fn run(&self, as_user: Option<(&str, &str)>, args: &[&str]) -> Output {
        let mut c = Command::new(env!("CARGO_BIN_EXE_parakh"));
        c.arg("--db")
            .arg(&self.db)
            .args(args)
            .env_remove("PARAKH_PASSWORD")
            .env_remove("PARAKH_DB");
        if let Some((name, pw)) = as_user {
            c.args(["--as", name]).env("PARAKH_PASSWORD", pw);
        }
        c.output().unwrap()
    }

    /// Runs and asserts the exit code; returns stdout.
    #[track_caller]
    fn expect(&self, code: i32, as_user: Option<(&str, &str)>, args: &[&str]) -> String {
        let out = self.run(as_user, args);
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert_eq!(
            out.status.code(),
            Some(code),
            "parakh {args:?}\nstdout:\n{stdout}\nstderr:\n{stderr}"
        );
        if code != 0 {
            assert!(
                stderr.starts_with("parakh: ") || code == 2,
                "errors are named on stderr: {stderr}"
            );
        }
        format!("{stdout}{stderr}")
    }

    fn add_user(&self, by: Option<(&str, &str)>, name: &str, role: &str) {
        let mut c = Command::new(env!("CARGO_BIN_EXE_parakh"));
        c.arg("--db")
            .arg(&self.db)
            .args(["user", "add", name, "--role", role])
            .env("PARAKH_NEW_PASSWORD", format!("{name}-password"));
        if let Some((n, pw)) = by {
            c.args(["--as", n]).env("PARAKH_PASSWORD", pw);
        }
        let out = c.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

const ADMIN: (&str, &str) = ("root", "root-password");
const LEAD: (&str, &str) = ("lina", "lina-password");
const LEAD2: (&str, &str) = ("omar", "omar-password");
const REV: (&str, &str) = ("rafi", "rafi-password");
const REV2: (&str, &str) = ("saba", "saba-password");

fn staffed() -> Cli {
    let c = Cli::new();
    assert!(c.expect(0, None, &["init"]).contains("created"));
    assert!(c.expect(0, None, &["init"]).contains("already initialised"));
    c.add_user(None, "root", "admin");
    c.add_user(Some(ADMIN), "lina", "lead");
    c.add_user(Some(ADMIN), "omar", "lead");
    c.add_user(Some(ADMIN), "rafi", "reviewer");
    c.add_user(Some(ADMIN), "saba", "reviewer");
    c.file("shot.png", &common::png(48, 32, 7));
    let csv = "platform,kind,handle,display_name,url,text,language,followers,reported_at,source_ref,evidence\n\
               telegram,channel,sada_media,صدائے حق,https://t.me/sada_media,اعلان: اگلے جمعہ کو اجتماع,ur,5400,2026-10-01T10:00:00Z,CTD-7,shot.png\n\
               x,account,river_news,River News,https://x.com/river_news,daily news,en,12,2026-10-02T10:00:00Z,CTD-8,\n\
               youtube,channel,qalam_tv,Qalam TV,https://youtube.com/@qalam_tv,videos,en,,2026-10-03T10:00:00Z,CTD-9,\n";
    c.file("items.csv", csv.as_bytes());
    let out = c.expect(
        0,
        Some(ADMIN),
        &["import", c.dir.path().join("items.csv").to_str().unwrap()],
    );
    assert!(out.contains("imported 3 items, skipped 0"), "{out}");
    c
}

fn json(out: &str) -> serde_json::Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("not JSON ({e}):\n{out}"))
}

#[test]
fn a_decision_goes_through_the_command_line_with_four_eyes() {
    let c = staffed();
    let q = json(&c.expect(0, None, &["queue", "--json"]));
    let items = q.as_array().unwrap();
    assert_eq!(items.len(), 3);
    for field in [
        "id",
        "status",
        "platform",
        "kind",
        "handle",
        "display_name",
        "url",
        "text",
        "language",
        "followers",
        "reported_at",
        "source_ref",
    ] {
        assert!(
            items[0].get(field).is_some(),
            "queue JSON lacks {field}: {}",
            items[0]
        );
    }
    let sada = items.iter().find(|i| i["handle"] == "sada_media").unwrap()["id"]
        .as_i64()
        .unwrap()
        .to_string();

    assert!(
        c.expect(0, Some(REV), &["claim", &sada])
            .contains("claimed")
    );
    assert!(
        c.expect(4, Some(REV2), &["claim", &sada])
            .contains("claimed by rafi")
    );
    assert!(
        c.expect(
            4,
            Some(REV),
            &[
                "propose",
                &sada,
                "--outcome",
                "takedown",
                "--rationale",
                "logo shown"
            ]
        )
        .contains("legal ground")
    );
    let tagged = c.expect(
        0,
        Some(REV),
        &[
            "tag", &sada, "--group", "ttp", "--ground", "peca-9", "--ground", "ata-11w",
        ],
    );
    assert!(
        tagged.contains("group:ttp@v1") && tagged.contains("ground:ata-11w@v1"),
        "{tagged}"
    );
    c.expect(1, Some(REV), &["tag", &sada, "--group", "nosuchgroup"]);
    let proposed = c.expect(
        0,
        Some(REV),
        &[
            "propose",
            &sada,
            "--outcome",
            "takedown",
            "--rationale",
            "logo shown soliciting support",
        ],
    );
    let hash = proposed.split_whitespace().last().unwrap().to_string();
    assert_eq!(hash.len(), 64);

    assert!(
        c.expect(4, Some(REV2), &["approve", &sada])
            .contains("only a lead")
    );
    assert!(
        c.expect(
            4,
            Some(LEAD),
            &["approve", &sada, "--packet", &"0".repeat(64)]
        )
        .contains("stale packet")
    );
    c.expect(3, Some(("lina", "not her password")), &["approve", &sada]);
    assert!(
        c.expect(0, Some(LEAD), &["approve", &sada, "--packet", &hash])
            .contains("approved")
    );

    let shown = json(&c.expect(0, None, &["show", &sada, "--json"]));
    assert_eq!(shown["status"], "approved");
    assert_eq!(shown["tags"].as_array().unwrap().len(), 3);
    assert_eq!(shown["evidence"][0]["mime"], "image/png");
    assert_eq!(shown["decisions"][0]["approval"]["approver"], "lina");
    assert_eq!(
        shown["decisions"][0]["proposal"]["packet_hash"],
        hash.as_str()
    );
    assert!(
        c.expect(0, None, &["show", &sada])
            .contains("approved by lina")
    );

    let out = c.dir.path().join("decisions.csv");
    assert!(
        c.expect(
            0,
            None,
            &["export", "decisions", "--out", out.to_str().unwrap()]
        )
        .contains("exported 1")
    );
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(
        csv.contains("https://t.me/sada_media") && csv.contains(&hash) && csv.contains("ttp@1"),
        "{csv}"
    );
    let out = c.dir.path().join("decisions.jsonl");
    c.expect(
        0,
        None,
        &["export", "decisions", "--out", out.to_str().unwrap()],
    );
    let line = json(
        std::fs::read_to_string(&out)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    );
    assert_eq!(line["approver"], "lina");

    let log = c.expect(0, None, &["audit", "log", &sada]);
    for action in ["claim", "tag", "propose", "approve"] {
        assert!(log.contains(action), "{action} missing:\n{log}");
    }
    assert_eq!(
        json(&c.expect(0, None, &["audit", "log", "--json"]))
            .as_array()
            .unwrap()[0]["action"],
        "taxonomy_import"
    );
    assert!(
        c.expect(0, None, &["audit", "verify"])
            .contains("audit trail verified")
    );
}

#[test]
fn self_approval_and_return_through_the_command_line() {
    let c = staffed();
    let id = "2";
    c.expect(0, Some(LEAD), &["claim", id]);
    c.expect(
        0,
        Some(LEAD),
        &[
            "propose",
            id,
            "--outcome",
            "no_violation",
            "--rationale",
            "news reporting",
        ],
    );
    assert!(
        c.expect(4, Some(LEAD), &["approve", id])
            .contains("four-eyes")
    );
    assert!(
        c.expect(4, Some(ADMIN), &["approve", id])
            .contains("only a lead")
    );
    c.expect(2, Some(LEAD2), &["return", id]);
    c.expect(4, Some(LEAD2), &["return", id, "--reason", " "]);
    c.expect(
        0,
        Some(LEAD2),
        &["return", id, "--reason", "say which posts you read"],
    );
    let q = json(&c.expect(0, None, &["queue", "--status", "returned", "--json"]));
    assert_eq!(q.as_array().unwrap().len(), 1);
    c.expect(0, Some(REV), &["claim", id]);
    assert_eq!(
        json(&c.expect(0, None, &["queue", "--status", "in_review", "--json"]))
            .as_array()
            .unwrap()
            .len(),
        1
    );
    c.expect(0, Some(REV), &["release", id]);
    c.expect(4, Some(REV), &["release", id]);
}

#[test]
fn queue_filters_and_search() {
    let c = staffed();
    let ids = |args: &[&str]| -> Vec<String> {
        let mut a = vec!["queue", "--json"];
        a.extend_from_slice(args);
        json(&c.expect(0, None, &a))
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["handle"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&["--platform", "x"]), ["river_news"]);
    assert_eq!(ids(&["--search", "qalam"]), ["qalam_tv"]);
    assert_eq!(ids(&["--search", "اجتماع"]), ["sada_media"]);
    assert_eq!(ids(&["--search", "RIVER news"]), ["river_news"]);
    assert_eq!(ids(&["--limit", "2"]).len(), 2);
    assert_eq!(ids(&["--status", "approved"]).len(), 0);
    assert!(ids(&["--search", "\"unbalanced OR"]).is_empty());
    c.expect(1, None, &["queue", "--platform", "myspace"]);
    assert!(c.expect(0, None, &["queue"]).contains("3 items"));
}

#[test]
fn authentication_and_usage_errors_have_their_exit_codes() {
    let c = staffed();
    c.expect(3, Some(("rafi", "wrong")), &["claim", "1"]);
    c.expect(3, Some(("nobody", "whatever-pass")), &["claim", "1"]);
    assert!(c.expect(2, None, &["claim", "1"]).contains("--as"));
    c.expect(2, None, &["claim", "banana"]);
    c.expect(2, None, &["frobnicate"]);
    c.expect(1, Some(REV), &["claim", "999"]);
    // Reading without a password on a non-terminal is an authentication refusal.
    let out = Command::new(env!("CARGO_BIN_EXE_parakh"))
        .arg("--db")
        .arg(&c.db)
        .args(["claim", "1", "--as", "rafi"])
        .env_remove("PARAKH_PASSWORD")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    // A non-admin cannot add users; without --as only the first user may be added.
    let add = |by: Option<(&str, &str)>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_parakh"));
        cmd.arg("--db")
            .arg(&c.db)
            .args(["user", "add", "eve", "--role", "lead"])
            .env("PARAKH_NEW_PASSWORD", "eve-password");
        if let Some((n, p)) = by {
            cmd.args(["--as", n]).env("PARAKH_PASSWORD", p);
        }
        cmd.output().unwrap().status.code()
    };
    assert_eq!(add(Some(REV)), Some(4));
    assert_eq!(add(None), Some(3));
    c.expect(1, Some(LEAD), &["taxonomy", "import", "/nonexistent.toml"]);
    let tax = c.file("tax.toml", parakh::taxonomy::DEFAULT_TAXONOMY.as_bytes());
    assert!(
        c.expect(4, Some(REV), &["taxonomy", "import", tax.to_str().unwrap()])
            .contains("only a lead")
    );
    assert!(
        c.expect(
            0,
            Some(LEAD),
            &["taxonomy", "import", tax.to_str().unwrap()]
        )
        .contains("version 2")
    );
}

#[test]
fn a_missing_store_is_named_and_the_db_variable_is_honoured() {
    let c = Cli::new();
    assert!(c.expect(1, None, &["queue"]).contains("no Parakh store"));
    let other = c.dir.path().join("env.db");
    let out = Command::new(env!("CARGO_BIN_EXE_parakh"))
        .arg("init")
        .env("PARAKH_DB", &other)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(Path::new(&other).exists());
}

#[test]
fn tampering_makes_verify_exit_5_naming_the_sequence_number() {
    let c = staffed();
    c.expect(0, Some(REV), &["claim", "1"]);
    c.expect(0, Some(REV), &["release", "1"]);
    let conn = rusqlite::Connection::open(&c.db).unwrap();
    conn.execute_batch("DROP TRIGGER audit_events_no_update; UPDATE audit_events SET actor = 'saba' WHERE action = 'release';").unwrap();
    let seq: i64 = conn
        .query_row(
            "SELECT seq FROM audit_events WHERE action = 'release'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let out = c.expect(5, None, &["audit", "verify"]);
    assert!(out.contains(&format!("BROKEN at #{seq}")), "{out}");
}

#[test]
fn corrupt_evidence_makes_show_exit_5() {
    let c = staffed();
    let conn = rusqlite::Connection::open(&c.db).unwrap();
    conn.execute_batch(
        "DROP TRIGGER evidence_data_no_update; UPDATE evidence_data SET data = X'00010203';",
    )
    .unwrap();
    let sha: String = conn
        .query_row("SELECT sha256 FROM evidence", [], |r| r.get(0))
        .unwrap();
    assert!(c.expect(5, None, &["show", "1"]).contains("corrupt"));
    let out = c.dir.path().join("x.png");
    c.expect(
        5,
        None,
        &["evidence", "get", &sha, "--out", out.to_str().unwrap()],
    );
    assert!(!out.exists(), "corrupt evidence is never written out");
}

#[test]
fn attach_through_the_command_line_refuses_bad_images() {
    let c = staffed();
    c.expect(0, Some(REV), &["claim", "2"]);
    let good = c.file("g.png", &common::png(32, 32, 3));
    let bad = c.file("b.jpg", b"\xff\xd8\xff\xe0 truncated jpeg");
    let out = c.expect(
        1,
        Some(REV),
        &["attach", "2", good.to_str().unwrap(), bad.to_str().unwrap()],
    );
    assert!(out.contains("b.jpg") && out.contains("corrupt"), "{out}");
    assert!(
        c.expect(0, Some(REV), &["attach", "2", good.to_str().unwrap()])
            .contains("attached")
    );
    assert_eq!(
        json(&c.expect(0, None, &["show", "2", "--json"]))["evidence"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn the_demo_store_is_complete_and_verifies() {
    let c = Cli::new();
    let out = c.expect(0, None, &["demo", "--items", "80"]);
    assert!(
        out.contains("parakh-sana") && out.contains("80 items"),
        "{out}"
    );
    let q = json(&c.expect(0, None, &["queue", "--json"]));
    let statuses: std::collections::HashSet<&str> = q
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["status"].as_str().unwrap())
        .collect();
    for s in ["new", "in_review", "proposed", "approved", "returned"] {
        assert!(statuses.contains(s), "demo lacks {s} items: {statuses:?}");
    }
    let platforms: std::collections::HashSet<&str> = q
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["platform"].as_str().unwrap())
        .collect();
    assert!(platforms.len() >= 7, "{platforms:?}");
    c.expect(0, None, &["audit", "verify"]);
    c.expect(0, Some(("sana", "parakh-sana")), &["queue", "--limit", "1"]);
    assert!(c.expect(4, None, &["demo"]).contains("already has users"));
}

#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    let mut d = common::desk();
    let handles: Vec<String> = (0..3000).map(|i| format!("pipe_channel_{i}")).collect();
    d.items(&handles.iter().map(String::as_str).collect::<Vec<_>>());
    drop(d.ws);
    let mut child = Command::new(env!("CARGO_BIN_EXE_parakh"))
        .args(["queue", "--limit", "3000"])
        .env("PARAKH_DB", &d.path)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read a little, as `head` would, then close the pipe.
    let mut first = [0u8; 64];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out.status.success(), "the listing did not finish");
}
