//! A unit on one team server: many desks at once, each person under their own login, and
//! the server refusing what the program would refuse when a desk skips the program.

mod common;

use common::pg;
use parakh::model::Role;
use parakh::{Workspace, audit, auth, review, server};
use std::path::Path;

const PW: &str = common::PW;

/// A fresh database with an admin, leads `lead1`… and reviewers `rev1`…; returns its URL.
fn unit(leads: usize, reviewers: usize) -> (String, pg::FileLock) {
    let logins = pg::logins();
    let url = pg::fresh_url();
    server::init(&url, "admin", PW).unwrap();
    let mut ws = Workspace::open(Path::new(&url)).unwrap();
    let admin = auth::login(&mut ws, "admin", PW).unwrap();
    for i in 1..=leads {
        auth::add_user(&mut ws, Some(&admin), &format!("lead{i}"), Role::Lead, PW).unwrap();
    }
    for i in 1..=reviewers {
        auth::add_user(
            &mut ws,
            Some(&admin),
            &format!("rev{i}"),
            Role::Reviewer,
            PW,
        )
        .unwrap();
    }
    (url, logins)
}

/// A desk: its own connection, one person signed in.
fn at_desk(url: &str, who: &str) -> (Workspace, parakh::Session) {
    let mut ws = Workspace::open(Path::new(url)).unwrap();
    let s = auth::login(&mut ws, who, PW).unwrap();
    (ws, s)
}

fn import(url: &str, n: usize) -> Vec<i64> {
    let (mut ws, admin) = at_desk(url, "admin");
    let rows = (0..n)
        .map(|i| (i + 2, common::row(&format!("account_{i}"))))
        .collect();
    let r = parakh::import::import_rows(
        &mut ws,
        Some(&admin),
        "test",
        "00",
        rows,
        Vec::new(),
        Path::new(""),
    )
    .unwrap();
    let (a, b) = r.ids.unwrap();
    (a..=b).collect()
}

fn refused(c: &mut postgres::Client, sql: &str, needle: &str) {
    match c.batch_execute(sql) {
        Ok(()) => panic!("the server accepted: {sql}"),
        Err(e) => {
            let msg = e
                .as_db_error()
                .map(|d| d.message().to_string())
                .unwrap_or(e.to_string());
            assert!(
                msg.contains(needle),
                "{sql}\nrefused with {msg:?}, not {needle:?}"
            );
        }
    }
}

#[test]
fn a_reviewers_login_cannot_approve_or_touch_the_trail_with_plain_sql() {
    let (url, _l) = unit(1, 1);
    let ids = import(&url, 1);
    let mut c = pg::as_login(&url, "rev1", PW);
    let me: i64 = c
        .query_one("SELECT id FROM users WHERE name = 'rev1'", &[])
        .unwrap()
        .get(0);
    refused(
        &mut c,
        &format!(
            "INSERT INTO approvals (proposal_id, approver_id, packet_hash, approved_at, event_seq)
             VALUES (1, {me}, repeat('0', 64), '2026-11-01T09:00:00Z', 1)"
        ),
        "lead role",
    );
    refused(
        &mut c,
        "UPDATE audit_events SET actor = 'x'",
        "permission denied",
    );
    refused(&mut c, "DELETE FROM audit_events", "permission denied");
    refused(&mut c, "TRUNCATE audit_events", "permission denied");
    refused(
        &mut c,
        &format!("UPDATE items SET status = 'approved' WHERE id = {}", ids[0]),
        "only through an approved proposal",
    );
    refused(
        &mut c,
        "UPDATE users SET role = 'lead' WHERE name = 'rev1'",
        "only an admin",
    );
    refused(
        &mut c,
        "ALTER TABLE approvals DISABLE TRIGGER ALL",
        "must be owner",
    );
    refused(&mut c, "DROP TABLE audit_events", "must be owner");
    let head: i64 = c
        .query_one("SELECT seq FROM chain_head", &[])
        .unwrap()
        .get(0);
    refused(
        &mut c,
        &format!(
            "INSERT INTO audit_events (seq, at, actor, action, item_id, payload, prev_hash, hash)
             VALUES ({}, 'x', 'lead1', 'approve', NULL, '{{}}', repeat('0', 64), repeat('1', 64))",
            head + 1
        ),
        "recorded under the login that acts",
    );
    // Nothing of that reached the trail.
    let (mut ws, _) = at_desk(&url, "lead1");
    assert!(audit::verify(&mut ws).unwrap().ok());
}

#[test]
fn every_action_is_recorded_under_the_login_that_took_it() {
    let (url, _l) = unit(1, 1);
    let ids = import(&url, 1);
    let (mut rws, rev) = at_desk(&url, "rev1");
    review::claim(&mut rws, &rev, ids[0]).unwrap();
    let mut c = pg::superuser(&url);
    let claim = c
        .query_one(
            "SELECT actor FROM audit_events WHERE action = 'claim' ORDER BY seq DESC LIMIT 1",
            &[],
        )
        .unwrap();
    assert_eq!(claim.get::<_, String>(0), "rev1");
    let login: String = c
        .query_one(
            "SELECT usename::text FROM pg_stat_activity WHERE usename = 'rev1' LIMIT 1",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(
        login, "rev1",
        "the reviewer's desk is connected as her own login"
    );
}

#[test]
fn eight_desks_claiming_at_once_never_claim_the_same_item() {
    let (url, _l) = unit(0, 8);
    let ids = import(&url, 40);
    let claimed: Vec<Vec<i64>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (1..=8)
            .map(|d| {
                let url = url.clone();
                let ids = ids.clone();
                scope.spawn(move || {
                    let (mut ws, s) = at_desk(&url, &format!("rev{d}"));
                    let mut mine = Vec::new();
                    // Each desk tries every item, from a different starting point.
                    for k in 0..ids.len() {
                        let id = ids[(k + d * 5) % ids.len()];
                        if review::claim(&mut ws, &s, id).is_ok() {
                            mine.push(id);
                        }
                    }
                    mine
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut all: Vec<i64> = claimed.concat();
    let total = all.len();
    all.sort();
    all.dedup();
    assert_eq!(total, all.len(), "an item was claimed by two desks");
    assert_eq!(all.len(), ids.len(), "every item was claimed by someone");
    let (mut ws, _) = at_desk(&url, "admin");
    let v = audit::verify(&mut ws).unwrap();
    assert!(v.ok(), "{:?}", v.problems);
}

#[test]
fn a_chain_written_by_eight_desks_at_once_verifies() {
    let (url, _l) = unit(0, 8);
    let ids = import(&url, 16);
    let before = {
        let (mut ws, _) = at_desk(&url, "admin");
        audit::verify(&mut ws).unwrap().events
    };
    std::thread::scope(|scope| {
        for d in 1..=8usize {
            let url = url.clone();
            let mine = [ids[2 * (d - 1)], ids[2 * (d - 1) + 1]];
            scope.spawn(move || {
                let (mut ws, s) = at_desk(&url, &format!("rev{d}"));
                for _ in 0..5 {
                    for id in mine {
                        review::claim(&mut ws, &s, id).unwrap();
                        review::release(&mut ws, &s, id).unwrap();
                    }
                }
            });
        }
    });
    let (mut ws, _) = at_desk(&url, "admin");
    let v = audit::verify(&mut ws).unwrap();
    assert!(v.ok(), "{:?}", v.problems);
    // Each desk's 20 events, plus the admin's sign-in, in one gapless line.
    assert_eq!(v.events, before + 8 * 20 + 8 + 1);
}

#[test]
fn a_desk_sees_another_desks_decision() {
    let (url, _l) = unit(1, 1);
    let ids = import(&url, 1);
    let (mut lws, _lead) = at_desk(&url, "lead1");
    let seen = lws.head_seq().unwrap();
    let (mut rws, rev) = at_desk(&url, "rev1");
    review::claim(&mut rws, &rev, ids[0]).unwrap();
    let changes = lws.changes_since(seen).unwrap();
    let claims: Vec<_> = changes
        .events
        .iter()
        .filter(|e| e.action == "claim")
        .map(|e| (e.actor.as_str(), e.item))
        .collect();
    assert_eq!(
        claims,
        [("rev1", Some(ids[0]))],
        "the lead's desk hears whose claim"
    );
    assert!(changes.touches_item(ids[0]));
    let item = parakh::queue::record(&mut lws, ids[0]).unwrap();
    assert_eq!(item.item.claimed_by.as_deref(), Some("rev1"));
}

#[test]
fn a_desks_store_moves_to_the_server_with_its_trail_intact() {
    // A desk's file with decisions, appeals' raw material and signatures on it.
    let mut d = common::desk();
    let ids = d.items(&["alpha", "bravo"]);
    let rev = d.rev.clone();
    let hash = d.propose_takedown(&rev, ids[0], 3);
    let lead = d.lead.clone();
    review::approve(&mut d.ws, &lead, ids[0], Some(&hash)).unwrap();
    let desk_head = audit::verify(&mut d.ws).unwrap().head.unwrap();
    let desk_events = audit::log(&mut d.ws, None).unwrap();
    drop(d.ws);

    let _l = pg::logins();
    let url = pg::fresh_url();
    assert!(matches!(
        server::copy(&d.path, &url, "admin", "not the password"),
        Err(parakh::Error::Auth(_))
    ));
    let r = server::copy(&d.path, &url, "admin", PW).unwrap();
    assert_eq!(r.head, desk_head);
    assert!(r.logins.contains(&"rev".to_string()) && !r.logins.contains(&"admin".to_string()));

    // The copy's trail is the desk's, event for event, then the copy's own event.
    let (mut ws, admin) = at_desk(&url, "admin");
    let v = audit::verify(&mut ws).unwrap();
    assert!(v.ok(), "{:?}", v.problems);
    let copied = audit::log(&mut ws, None).unwrap();
    assert_eq!(&copied[..desk_events.len()], &desk_events[..]);
    assert_eq!(copied[desk_events.len()].action, "copied_from");

    // The others sign in once an admin has set their logins' passwords; the work goes on.
    auth::reset_password(&mut ws, &admin, "lead2", "a new long password 1").unwrap();
    let mut lws = Workspace::open(Path::new(&url)).unwrap();
    let lead2 = auth::login(&mut lws, "lead2", "a new long password 1").unwrap();
    assert!(matches!(
        auth::login(&mut lws, "rev", PW),
        Err(parakh::Error::Auth(_))
    ));
    let rec = parakh::queue::record(&mut lws, ids[0]).unwrap();
    assert_eq!(rec.item.status, parakh::model::Status::Approved);
    assert_eq!(lead2.role, Role::Lead);
    let v = audit::verify(&mut lws).unwrap();
    assert!(v.ok(), "{:?}", v.problems);

    // Copying again onto a database that holds a trail is refused.
    assert!(matches!(
        server::copy(&d.path, &url, "admin", PW),
        Err(parakh::Error::Rule(_))
    ));
}

/// `url` without its login: what a desk is given, each person signing in with `--as`.
fn without_login(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    let rest = rest.split_once('@').map_or(rest, |(_, r)| r);
    format!("{scheme}://{rest}")
}

fn parakh(db: &str, env: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_parakh"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("PARAKH_PASSWORD")
        .env_remove("PARAKH_NEW_PASSWORD")
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

#[test]
fn the_command_line_sets_up_a_server_and_each_person_acts_as_their_login() {
    let _l = pg::logins();
    let url = pg::fresh_url();
    let init = |expect: &str| {
        let out = parakh(
            &url,
            &[("PARAKH_NEW_PASSWORD", PW)],
            &["server", "init", "--admin", "admin"],
        );
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(text.contains(expect), "{text}");
        assert!(
            !text.contains(url.split(':').nth(2).unwrap().split('@').next().unwrap()),
            "the password is never printed: {text}"
        );
    };
    init("database created, schema installed, first admin admin added");
    init("database present, schema present, users present");

    let desk = without_login(&url);
    let add = parakh(
        &desk,
        &[
            ("PARAKH_PASSWORD", PW),
            ("PARAKH_NEW_PASSWORD", "sana's own long password"),
        ],
        &["--as", "admin", "user", "add", "sana", "--role", "reviewer"],
    );
    assert!(
        add.status.success(),
        "{}",
        String::from_utf8_lossy(&add.stderr)
    );
    let queue = parakh(
        &desk,
        &[("PARAKH_PASSWORD", "sana's own long password")],
        &["--as", "sana", "queue"],
    );
    assert!(
        queue.status.success(),
        "{}",
        String::from_utf8_lossy(&queue.stderr)
    );
    let wrong = parakh(
        &desk,
        &[("PARAKH_PASSWORD", "not it")],
        &["--as", "sana", "queue"],
    );
    assert_eq!(
        wrong.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&wrong.stderr)
    );
    let refused = parakh(
        &desk,
        &[
            ("PARAKH_PASSWORD", "sana's own long password"),
            ("PARAKH_NEW_PASSWORD", "another long password"),
        ],
        &["--as", "sana", "user", "add", "zara", "--role", "lead"],
    );
    assert_eq!(
        refused.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let verify = parakh(&url, &[], &["audit", "verify"]);
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stderr)
    );
}

#[test]
fn the_workstation_connects_to_a_team_server_and_sees_another_desk_within_a_second() {
    use common::ui;
    use egui_kittest::kittest::Queryable;
    let (url, _l) = unit(0, 2);
    let ids = import(&url, 3);
    let dir = tempfile::tempdir().unwrap();
    let mut h = ui::harness(&dir.path().join("none.db"), None, false);
    ui::settle(&mut h);
    h.get_by_label("Connect to a team server…").click();
    ui::settle(&mut h);
    h.get_by_label("Server:").focus();
    h.get_by_label("Server:").type_text(&without_login(&url));
    h.step();
    h.get_by_label("Connect").click();
    ui::settle(&mut h);
    // A wrong password is the server's refusal, and the name stays for another try.
    ui::sign_in_expecting_refusal(&mut h, "rev1", "not the password");
    ui::sign_in(&mut h, "rev1", PW);
    let desk = h.state().desk().unwrap();
    assert!(desk.store.starts_with("postgres://"), "{}", desk.store);
    assert!(!desk.store.contains(PW));
    h.get_by_label_contains("Team server: ");

    // Another desk claims an item; this one shows it within a second or so.
    let (mut other, rev2) = at_desk(&url, "rev2");
    review::claim(&mut other, &rev2, ids[1]).unwrap();
    let start = std::time::Instant::now();
    loop {
        h.step();
        let seen = h
            .state()
            .desk()
            .unwrap()
            .queue
            .rows
            .iter()
            .any(|r| r.item.id == ids[1] && r.item.claimed_by.as_deref() == Some("rev2"));
        if seen {
            break;
        }
        assert!(
            start.elapsed().as_secs_f32() < 3.0,
            "another desk's claim did not show"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(
        start.elapsed().as_secs_f32() < 1.5,
        "took {:?}",
        start.elapsed()
    );
}

#[test]
fn a_desk_reaches_the_server_over_verified_tls_and_refuses_a_server_it_cannot_verify() {
    let _l = pg::logins();
    let tls = pg::tls_server();
    let db = format!("parakh_tls_{:x}", rand::random::<u32>());
    let url = parakh::store::postgres::with_database(&tls, &db);
    server::init(&url, "admin", PW).unwrap();
    let (mut ws, _) = at_desk(&url, "admin");
    assert!(audit::verify(&mut ws).unwrap().ok());
    // The server sees the desk's connections encrypted.
    let mut c = pg::superuser(&pg::url_of(&db));
    let plain: i64 = c
        .query_one(
            "SELECT count(*) FROM pg_stat_activity a JOIN pg_stat_ssl s ON s.pid = a.pid
              WHERE a.datname = $1 AND a.application_name = 'parakh' AND NOT s.ssl",
            &[&db],
        )
        .unwrap()
        .get(0);
    let encrypted: i64 = c
        .query_one(
            "SELECT count(*) FROM pg_stat_activity a JOIN pg_stat_ssl s ON s.pid = a.pid
              WHERE a.datname = $1 AND a.application_name = 'parakh' AND s.ssl",
            &[&db],
        )
        .unwrap()
        .get(0);
    assert_eq!(plain, 0);
    assert!(
        encrypted >= 2,
        "the desk's own and its person's connection: {encrypted}"
    );

    // A certificate that does not chain to the named CA is refused before anything is sent.
    let (base, query) = url.split_once('?').unwrap();
    let ca = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("sslrootcert="))
        .unwrap();
    let wrong_ca = ca.replace("ca.crt", "server.crt");
    let wrong = format!("{base}?sslmode=verify-full&sslrootcert={wrong_ca}");
    match Workspace::open(Path::new(&wrong)) {
        Err(e) => assert!(e.to_string().contains("team server"), "{e}"),
        Ok(_) => panic!("connected to a server whose certificate it could not verify"),
    }
}

#[test]
fn the_server_rings_a_listening_desk_when_another_desk_appends_to_the_trail() {
    use parakh::store::postgres::Doorbell;
    use std::time::{Duration, Instant};
    let (url, _l) = unit(0, 2);
    let ids = import(&url, 1);
    let mut bell = Doorbell::listen(&url, Some(("rev1", PW))).unwrap();
    assert!(
        !bell.wait(Duration::from_millis(200)).unwrap(),
        "no ring while nothing happens"
    );
    let (mut other, rev2) = at_desk(&url, "rev2");
    let start = Instant::now();
    review::claim(&mut other, &rev2, ids[0]).unwrap();
    assert!(
        bell.wait(Duration::from_secs(3)).unwrap(),
        "the claim rang the bell"
    );
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn a_version_1_server_is_refused_by_desks_until_server_init_brings_it_up_to_date() {
    let _logins = pg::logins();
    let url = pg::fresh_url();
    parakh::store::postgres::create_database(&url).unwrap();
    // A server set up by the Parakh of schema version 1, before screenshot text.
    let mut su = pg::superuser(&url);
    let mut tx = su.transaction().unwrap();
    tx.batch_execute(parakh::store::postgres::SCHEMA).unwrap();
    tx.commit().unwrap();
    let version = |su: &mut postgres::Client| -> i64 {
        su.query_one("SELECT version FROM schema_version", &[])
            .unwrap()
            .get(0)
    };
    assert_eq!(version(&mut su), 1);
    let e = Workspace::open(Path::new(&url))
        .err()
        .expect("refused")
        .to_string();
    assert!(
        e.contains("older than this program's") && e.contains("parakh server init"),
        "{e}"
    );
    server::init(&url, "admin", PW).unwrap();
    assert_eq!(version(&mut su), parakh::store::postgres::SCHEMA_VERSION);
    let mut ws = Workspace::open(Path::new(&url)).unwrap();
    let admin = auth::login(&mut ws, "admin", PW).unwrap();
    auth::add_user(&mut ws, Some(&admin), "rev1", Role::Reviewer, PW).unwrap();
    // A person's login may store a reading under its own name only, and delete none.
    let mut rev = pg::as_login(&url, "rev1", PW);
    let refused = rev
        .execute(
            "INSERT INTO evidence_text (sha256, engine, models, prepared, outcome, text, search_text, seconds, read_at, read_by)
             VALUES ('x', 'e', 'm', 'p', 'read', '', '', 0, 't', 'admin')",
            &[],
        )
        .unwrap_err();
    let refused = format!("{refused:?}");
    assert!(refused.contains("stored under the login"), "{refused}");
    let refused = rev.execute("DELETE FROM evidence_words", &[]).unwrap_err();
    let refused = format!("{refused:?}");
    assert!(refused.contains("permission denied"), "{refused}");
    // Run again, it changes nothing.
    server::init(&url, "admin", PW).unwrap();
    assert_eq!(version(&mut su), parakh::store::postgres::SCHEMA_VERSION);
}
