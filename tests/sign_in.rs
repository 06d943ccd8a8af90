//! Names and sign-in under attack: hostile names never reach the trail or the terminal as
//! they were typed, look-alike and weak credentials are refused, guessing is slowed and
//! locked, and credentials cannot be swapped between users behind the program's back.

mod common;

use chrono::Duration;
use common::*;
use parakh::model::Role;
use parakh::{Error, audit, auth};

fn auth_refused<T: std::fmt::Debug>(r: parakh::Result<T>, needle: &str) {
    match r {
        Err(Error::Auth(m)) => assert!(m.contains(needle), "{m:?} lacks {needle:?}"),
        other => panic!("expected a sign-in refusal containing {needle:?}, got {other:?}"),
    }
}

fn actions(d: &mut Desk) -> Vec<String> {
    audit::log(&mut d.ws, None)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

#[test]
fn a_hostile_name_never_reaches_the_trail_as_typed() {
    let mut d = desk();
    let hostile = format!(
        "lead\n  999  2026-11-01T09:00:00Z  lead  approve  #1\u{1b}[2K\u{202e}{}",
        "x".repeat(128 * 1024)
    );
    auth_refused(
        auth::login(&mut d.ws, &hostile, "whatever"),
        "user names are",
    );
    let e = audit::log(&mut d.ws, None).unwrap().pop().unwrap();
    assert_eq!((e.action.as_str(), e.actor.as_str()), ("login_failed", "?"));
    assert!(
        e.payload.len() < 600,
        "the trail keeps a short form: {}",
        e.payload.len()
    );
    for raw in ['\n', '\u{1b}', '\u{202e}'] {
        assert!(!e.payload.contains(raw), "{:?} is stored raw", raw);
    }
    assert!(e.payload.contains("\\\\u{202e}"), "{}", e.payload);
}

#[test]
fn the_terminal_never_receives_control_or_bidi_characters_from_stored_text() {
    let mut d = desk();
    let mut r = row("abc\u{202e}gnp.exe");
    r.display_name = "name\u{1b}]0;owned\u{7}".into();
    r.text = "line one\nFAKE  line\r\u{1b}[31mred".into();
    let id = d.import(vec![r])[0];
    for args in [
        vec!["show".to_string(), id.to_string()],
        vec!["queue".into()],
        vec!["audit".into(), "log".into()],
    ] {
        let argv: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_ref()).collect();
        let text = run_parakh(&d.path, &argv);
        for bad in ['\u{1b}', '\u{202e}', '\u{7}', '\r'] {
            assert!(
                !text.contains(bad),
                "parakh {args:?} printed {bad:?} raw:\n{text}"
            );
        }
        if args[0] == "show" {
            assert!(text.contains("abc\\u{202e}gnp.exe"), "{text}");
            assert!(
                !text.contains("\nFAKE"),
                "item text cannot start a line: {text}"
            );
        }
    }
}

#[test]
fn look_alike_names_and_weak_passwords_are_refused() {
    let mut d = desk();
    let admin = d.admin.clone();
    auth::add_user(&mut d.ws, Some(&admin), "sana", Role::Lead, PW).unwrap();
    match auth::add_user(&mut d.ws, Some(&admin), "\u{0455}ana", Role::Lead, PW) {
        Err(Error::Rule(m)) => assert!(m.contains("looks like the existing user 'sana'"), "{m}"),
        other => panic!("a Cyrillic look-alike was added: {other:?}"),
    }
    auth::add_user(&mut d.ws, Some(&admin), "sana2", Role::Reviewer, PW)
        .expect("a digit makes another name");
    for (pw, why) in [
        ("        ", "blank"),
        ("aaaaaaaaaa", "too few"),
        ("password123", "best-known"),
        ("farid2026", "user name"),
    ] {
        match auth::add_user(&mut d.ws, Some(&admin), "farid", Role::Reviewer, pw) {
            Err(Error::Invalid(m)) => assert!(m.contains(why), "{pw:?}: {m}"),
            other => panic!("{pw:?} was accepted: {other:?}"),
        }
    }
    for bad in ["farid\u{202e}", "far\nid", "far\0id", "far id"] {
        assert!(
            auth::add_user(&mut d.ws, Some(&admin), bad, Role::Reviewer, PW).is_err(),
            "{bad:?}"
        );
    }
}

#[test]
fn guessing_is_slowed_then_locked_until_an_admin_unlocks() {
    let mut d = desk();
    let wrong = "not the password";
    for _ in 0..3 {
        auth_refused(
            auth::login(&mut d.ws, "lead", wrong),
            "wrong user name or password",
        );
    }
    // The fourth attempt comes too soon: refused before the password is looked at.
    auth_refused(auth::login(&mut d.ws, "lead", PW), "try again in 2 seconds");
    d.clock.advance(Duration::seconds(2));
    auth_refused(auth::login(&mut d.ws, "lead", wrong), "wrong user name");
    auth_refused(auth::login(&mut d.ws, "lead", PW), "try again in 4 seconds");
    for _ in 4..10 {
        d.clock.advance(Duration::seconds(300));
        auth_refused(auth::login(&mut d.ws, "lead", wrong), "wrong user name");
    }
    d.clock.advance(Duration::hours(5));
    auth_refused(
        auth::login(&mut d.ws, "lead", PW),
        "is locked after 10 failed sign-ins",
    );
    // Fifty fast guesses on an unknown name get no further than on a real one.
    let mut refused_early = 0;
    for _ in 0..50 {
        if let Err(Error::Auth(m)) = auth::login(&mut d.ws, "nobody", wrong) {
            refused_early += usize::from(m.contains("try again"));
        }
    }
    assert_eq!(refused_early, 47);

    let lead2 = d.lead2.clone();
    assert!(
        auth::unlock(&mut d.ws, &lead2, "lead").is_err(),
        "only an admin unlocks"
    );
    let admin = d.admin.clone();
    auth::unlock(&mut d.ws, &admin, "lead").unwrap();
    auth::login(&mut d.ws, "lead", PW).expect("unlocked");
    let a = actions(&mut d);
    let count = |name: &str| a.iter().filter(|x| *x == name).count();
    assert_eq!(count("user_locked"), 1);
    assert_eq!(count("user_unlock"), 1);
    assert!(count("login_refused") >= 3 + 47);
    assert!(audit::verify(&mut d.ws).unwrap().problems.is_empty());
}

#[test]
fn one_desk_guessing_many_names_is_slowed_as_a_whole() {
    let mut d = desk();
    for i in 0..parakh::auth::throttle::DESK_FAILURES {
        let _ = auth::login(&mut d.ws, &format!("guess{i}"), "not the password");
    }
    auth_refused(auth::login(&mut d.ws, "rev", PW), "from this desk");
    d.clock
        .advance(Duration::seconds(parakh::auth::throttle::DESK_WINDOW_SECS));
    auth::login(&mut d.ws, "rev", PW).expect("the window has passed");
}

#[test]
fn credentials_cannot_be_swapped_between_users() {
    let mut d = desk();
    let raw = d.raw();
    let swap = "UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE name = 'rev') WHERE name = 'lead'";
    let refused = raw.execute(swap, []).unwrap_err().to_string();
    assert!(
        refused.contains("change only through an event"),
        "{refused}"
    );
    assert!(
        raw.execute("DELETE FROM users WHERE name = 'rev2'", [])
            .is_err()
    );

    raw.execute_batch("DROP TRIGGER users_credentials_guarded")
        .unwrap();
    raw.execute(swap, []).unwrap();
    match auth::login(&mut d.ws, "lead", PW) {
        Err(Error::Integrity(m)) => {
            assert!(m.contains("not the one the audit trail recorded"), "{m}")
        }
        other => panic!("signed in with a swapped hash: {other:?}"),
    }
    // Pointing the row at the other user's event as well does not help.
    raw.execute(
        "UPDATE users SET credential_seq = (SELECT credential_seq FROM users WHERE name = 'rev') WHERE name = 'lead'",
        [],
    )
    .unwrap();
    assert!(matches!(
        auth::login(&mut d.ws, "lead", PW),
        Err(Error::Integrity(_))
    ));
    let v = audit::verify(&mut d.ws).unwrap();
    assert!(
        v.problems
            .iter()
            .any(|p| p.what.contains("user 'lead': the stored password hash")),
        "{:?}",
        v.problems
    );
}
