//! Signed decisions: an approval that the chain and the rows agree with is still reported
//! as forged unless it carries a valid signature of a lead's key as the trail enrolled it;
//! keys cannot be swapped, weakened or moved between people.

mod common;

use common::forge::{forge, forge_approval};
use common::*;
use parakh::args;
use parakh::keys::{self, Signer};
use parakh::model::KeyRow;
use parakh::model::signing::Act;
use parakh::{Error, auth, review};
use serde_json::json;

fn key_row(d: &mut Desk, name: &str) -> KeyRow {
    keys::stored_key(&mut d.ws, name).unwrap().expect("a key")
}

/// Adds a signature by `signer` (claiming to be `as_name`) to event `seq`, computed over
/// the act as the event states it.
fn sign_event(conn: &Bypass, seq: i64, signer: &Signer, as_name: &str, subject: &str) {
    let (action, at): (String, String) = conn
        .row(
            "SELECT action, at FROM audit_events WHERE seq = ?1",
            args![seq],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let head: (i64, String) = conn
        .row(
            "SELECT seq, hash FROM audit_events WHERE seq = ?1",
            args![seq - 1],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let act = Act {
        act: &action,
        subject,
        signer: as_name,
        key: &signer.fingerprint,
        at: parakh::clock::parse_ts(&at).unwrap(),
        head_seq: head.0,
        head_hash: &head.1,
    };
    conn.execute(
        "INSERT INTO event_signatures (seq, signer, key_fingerprint, signature) VALUES (?1, ?2, ?3, ?4)",
        args![seq, as_name, signer.fingerprint, signer.sign_message(&act.message())],
    )
    .unwrap();
}

fn packet_of(conn: &Bypass, item: i64) -> String {
    conn.row(
        "SELECT packet_hash FROM proposals WHERE item_id = ?1",
        args![item],
        |r| r.get(0),
    )
    .unwrap()
}

/// A desk with a reviewer's takedown proposal on one item, waiting for a lead.
fn pending() -> (Desk, i64) {
    let mut d = desk();
    let item = d.items(&["pending_account"])[0];
    let rev = d.rev.clone();
    d.propose_takedown(&rev, item, 9);
    (d, item)
}

#[test]
fn real_decisions_verify() {
    let (mut d, item) = pending();
    let lead = d.lead.clone();
    review::approve(&mut d.ws, &lead, item, None).unwrap();
    assert_eq!(problems(&mut d.ws), Vec::<String>::new());
    let signed: i64 = d
        .bypass()
        .row(
            "SELECT count(*) FROM event_signatures s JOIN audit_events e ON e.seq = s.seq WHERE e.action IN ('propose', 'approve')",
            args![],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(signed, 2);
}

#[test]
fn an_unsigned_approval_in_a_leads_name_is_reported_as_forged() {
    let (mut d, item) = pending();
    forge_approval(&d, item, "lead");
    assert_problem(
        &mut d,
        "approve by lead: it carries no signature of lead: forged",
    );
}

#[test]
fn an_approval_signed_by_another_person_or_a_random_key_is_found() {
    let (mut d, item) = pending();
    let conn = d.bypass();
    let seq = forge_approval(&d, item, "lead");
    let lead2 = keys::unwrap(&key_row(&mut d, "lead2"), "lead2", PW).unwrap();
    sign_event(&conn, seq, &lead2, "lead", &packet_of(&conn, item));
    assert_problem(&mut d, "which is not lead's key at that point");

    // One desk at a time: on a server the desks share the people's logins.
    drop(conn);
    drop(d);
    let (mut d, item) = pending();
    let conn = d.bypass();
    let seq = forge_approval(&d, item, "lead");
    let random = keys::generate("lead");
    sign_event(&conn, seq, &random, "lead", &packet_of(&conn, item));
    assert_problem(&mut d, "which is not lead's key at that point");
}

#[test]
fn a_signature_replayed_onto_another_packet_or_edited_does_not_verify() {
    let (mut d, item) = pending();
    let lead = d.lead.clone();
    let other = d.items(&["second_account"])[0];
    let rev = d.rev.clone();
    d.propose_takedown(&rev, other, 10);
    review::approve(&mut d.ws, &lead, item, None).unwrap();
    let conn = d.bypass();
    // The lead's real signature, copied onto a forged approval of the other packet.
    let (sig, fp): (Vec<u8>, String) = conn
        .row(
            "SELECT s.signature, s.key_fingerprint FROM event_signatures s JOIN audit_events e ON e.seq = s.seq
              WHERE e.action = 'approve'",
            args![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let seq = forge_approval(&d, other, "lead");
    conn.execute(
        "INSERT INTO event_signatures (seq, signer, key_fingerprint, signature) VALUES (?1, 'lead', ?2, ?3)",
        args![seq, fp, sig],
    )
    .unwrap();
    assert_problem(&mut d, "approve by lead: its signature does not verify");

    // Flipping one bit of a real signature is found too.
    drop(conn);
    drop(d);
    let (mut d, item) = pending();
    let lead = d.lead.clone();
    review::approve(&mut d.ws, &lead, item, None).unwrap();
    let conn = d.bypass();
    conn.switch_off("event_signatures", "event_signatures_no_update");
    let seq: i64 = conn
        .row(
            "SELECT seq FROM audit_events WHERE action = 'approve'",
            args![],
            |r| r.get(0),
        )
        .unwrap();
    let mut sig: Vec<u8> = conn
        .row(
            "SELECT signature FROM event_signatures WHERE seq = ?1",
            args![seq],
            |r| r.get(0),
        )
        .unwrap();
    sig[5] ^= 1;
    conn.execute(
        "UPDATE event_signatures SET signature = ?2 WHERE seq = ?1",
        args![seq, sig],
    )
    .unwrap();
    assert_problem(&mut d, "approve by lead: its signature does not verify");
}

#[test]
fn an_approval_signed_with_the_proposers_key_is_found() {
    // The proposer signs his own approval: four eyes on the rows, one key on the acts.
    let (mut d, item) = pending();
    let conn = d.bypass();
    let seq = forge_approval(&d, item, "rev");
    let rev = keys::unwrap(&key_row(&mut d, "rev"), "rev", PW).unwrap();
    sign_event(&conn, seq, &rev, "rev", &packet_of(&conn, item));
    assert_problem(
        &mut d,
        "approve by rev: the approver signed with the proposer's own key",
    );
    assert_problem(
        &mut d,
        "rev made proposal 1 and may not decide it (four eyes)",
    );
}

#[test]
fn a_swapped_or_weak_public_key_is_found_and_refused_at_sign_in() {
    let mut d = desk();
    let conn = d.bypass();
    let swap = "UPDATE user_keys SET public_key = (SELECT public_key FROM user_keys k JOIN users u ON u.id = k.user_id WHERE u.name = 'rev')
                 WHERE user_id = (SELECT id FROM users WHERE name = 'lead')";
    assert!(
        conn.execute(swap, args![]).is_err(),
        "the public part of a key never changes"
    );

    conn.switch_off("user_keys", "user_keys_fixed");
    // Put the attacker's own key in the lead's row, wrapped under a password he knows.
    let attacker = keys::generate("lead");
    let row = keys::wrap(&attacker, 0, "attacker's own password").unwrap();
    conn.execute(
        "UPDATE user_keys SET public_key = ?1, fingerprint = ?2, wrapped = ?3, nonce = ?4, salt = ?5
          WHERE user_id = (SELECT id FROM users WHERE name = 'lead')",
        args![row.public_key, row.fingerprint, row.wrapped, row.nonce, row.salt],
    )
    .unwrap();
    match auth::login(&mut d.ws, "lead", PW) {
        Err(Error::Integrity(m)) => {
            assert!(m.contains("not the one the audit trail enrolled"), "{m}")
        }
        other => panic!("signed in with a swapped key: {other:?}"),
    }
    assert_problem(
        &mut d,
        "user 'lead': the stored signing key is not the one the trail enrolled",
    );

    // A forged enrolment of a weak (small-order) key.
    let mut weak = [0u8; 32];
    weak[0] = 1; // the identity point, of order one
    forge(
        &conn,
        "rev2",
        "key_enrol",
        None,
        json!({
            "name": "rev2", "public_key": hex::encode(weak), "fingerprint": "x",
            "kdf": {"m_kib": 65536, "passes": 3, "lanes": 1},
        }),
    );
    assert_problem(
        &mut d,
        "key_enrol by rev2: the enrolled public key is a weak key",
    );
}

#[test]
fn a_key_blob_opens_only_for_its_person_with_their_password_and_full_parameters() {
    let mut d = desk();
    let conn = d.bypass();
    let row = key_row(&mut d, "lead");
    assert!(keys::unwrap(&row, "lead", PW).is_ok());
    assert!(matches!(
        keys::unwrap(&row, "lead", "not the password"),
        Err(Error::Auth(_))
    ));
    // Moved to another person: the associated data names the person.
    assert!(matches!(
        keys::unwrap(&row, "lead2", PW),
        Err(Error::Auth(_))
    ));
    // Re-wrapped with weaker parameters (the table refuses them; a crafted row is refused too).
    let lowered = "UPDATE user_keys SET kdf_m = 1024 WHERE id = ?1";
    assert!(conn.execute(lowered, args![row.id]).is_err());
    let weak = KeyRow {
        kdf: (1024, 1, 1),
        ..row.clone()
    };
    match keys::unwrap(&weak, "lead", PW) {
        Err(Error::Integrity(m)) => assert!(m.contains("below the minimum"), "{m}"),
        other => panic!("opened with lowered parameters: {other:?}"),
    }
}

#[test]
fn a_key_put_away_after_its_hold_must_be_unlocked_again() {
    let (d, item) = pending();
    let mut ws = parakh::Workspace::open(&d.path)
        .unwrap()
        .with_clock(d.clock.clone())
        .with_key_hold(std::time::Duration::ZERO);
    let lead = auth::login(&mut ws, "lead", PW).unwrap();
    review::return_item(&mut ws, &lead, item, "needs a second screenshot")
        .expect("one act per sign-in");
    match review::approve(&mut ws, &lead, item, None) {
        Err(Error::Auth(m)) => assert!(m.contains("sign in again to sign"), "{m}"),
        other => panic!("signed without an unlocked key: {other:?}"),
    }
}

#[test]
fn fingerprints_are_printed_and_written_into_bags_and_reports() {
    let (mut d, item) = pending();
    let lead = d.lead.clone();
    review::approve(&mut d.ws, &lead, item, None).unwrap();
    let keys = auth::key_fingerprints(&mut d.ws).unwrap();
    let fp = |name: &str| keys.iter().find(|(n, _)| n == name).unwrap().1.clone();
    assert_ne!(fp("lead"), fp("rev"));

    let bag = d.telegram_bag(&lead);
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(bag.join("data/request.json")).unwrap())
            .unwrap();
    let decision = &summary["items"][0]["decision"];
    assert_eq!(decision["approver_key"], fp("lead").as_str());
    assert_eq!(decision["proposer_key"], fp("rev").as_str());

    let report = parakh::report::compute(
        &mut d.ws,
        parakh::report::parse_date("2026-10-01").unwrap(),
        parakh::report::parse_date("2026-11-30").unwrap(),
    )
    .unwrap();
    assert!(report.lead_keys.contains(&("lead".to_string(), fp("lead"))));
    assert!(
        !report.lead_keys.iter().any(|(n, _)| n == "rev"),
        "only leads' keys"
    );

    let text = run_parakh(&d.path, &["user".as_ref(), "list".as_ref()]);
    assert!(
        text.lines()
            .any(|l| l.starts_with("lead ") && l.contains(&fp("lead"))),
        "{text}"
    );
}

#[test]
fn a_password_change_rewraps_the_key_and_a_reset_enrols_a_new_one() {
    let (mut d, item) = pending();
    let lead = d.lead.clone();
    review::approve(&mut d.ws, &lead, item, None).unwrap();
    let before = key_row(&mut d, "lead");

    auth::change_password(&mut d.ws, &lead, PW, "a different long phrase").unwrap();
    let after = key_row(&mut d, "lead");
    assert_eq!(after.public_key, before.public_key, "the public key stays");
    assert_ne!(after.wrapped, before.wrapped);
    assert!(keys::unwrap(&after, "lead", PW).is_err());
    assert!(auth::login(&mut d.ws, "lead", PW).is_err());
    auth::login(&mut d.ws, "lead", "a different long phrase").unwrap();
    assert_eq!(problems(&mut d.ws), Vec::<String>::new());

    // Forgotten: the admin resets it; the old key is revoked, a new one enrolled.
    let admin = d.admin.clone();
    auth::reset_password(&mut d.ws, &admin, "lead", "chosen by the admin today").unwrap();
    let new = key_row(&mut d, "lead");
    assert_ne!(new.public_key, before.public_key);
    let lead = auth::login(&mut d.ws, "lead", "chosen by the admin today").unwrap();
    let other = d.items(&["after_reset"])[0];
    let rev2 = d.rev2.clone();
    d.propose_takedown(&rev2, other, 11);
    review::approve(&mut d.ws, &lead, other, None).unwrap();
    // The approval made with the old key still verifies, and so does the new one.
    assert_eq!(problems(&mut d.ws), Vec::<String>::new());

    // A revocation by someone who is not an admin is found.
    let conn = d.bypass();
    forge(
        &conn,
        "rev",
        "key_revoke",
        None,
        json!({"name": "lead", "fingerprint": new.fingerprint}),
    );
    assert_problem(
        &mut d,
        "key_revoke by rev: revoked lead's key without being an admin",
    );
}
