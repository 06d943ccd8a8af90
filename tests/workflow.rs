//! The review workflow and the four-eyes rule, through the library.

mod common;

use chrono::Duration;
use common::*;
use parakh::model::{Outcome, Role, Status};
use parakh::{audit, auth, evidence, queue, review, taxonomy};

#[test]
fn a_second_reviewer_cannot_claim_until_the_lease_ends_or_is_released() {
    let mut d = desk();
    let id = d.items(&["alpha"])[0];
    let c = review::claim(&mut d.ws, &d.rev, id).unwrap();
    assert_eq!(c.until, d.clock.now() + review::LEASE);
    assert_rule(review::claim(&mut d.ws, &d.rev2, id), "claimed by rev");
    assert_eq!(
        queue::record(&mut d.ws, id).unwrap().item.status,
        Status::InReview
    );

    // Renewal by the holder extends the lease.
    d.clock.advance(Duration::minutes(10));
    let renewed = review::claim(&mut d.ws, &d.rev, id).unwrap();
    assert!(renewed.renewed);
    d.clock.advance(Duration::minutes(10));
    assert_rule(review::claim(&mut d.ws, &d.rev2, id), "claimed by rev");

    // After the lease runs out, the item is open again and someone else may take it.
    d.clock.advance(Duration::minutes(6));
    let rec = queue::record(&mut d.ws, id).unwrap();
    assert_eq!(rec.item.status, Status::New);
    assert_eq!(rec.item.claimed_by, None);
    review::claim(&mut d.ws, &d.rev2, id).unwrap();
    // The expired holder can no longer change the item.
    assert_rule(
        review::tag(&mut d.ws, &d.rev, id, &["ttp".into()], &[], &[], &[]),
        "claimed by rev2",
    );

    review::release(&mut d.ws, &d.rev2, id).unwrap();
    assert_rule(review::release(&mut d.ws, &d.rev2, id), "do not hold");
    review::claim(&mut d.ws, &d.rev, id).unwrap();
}

#[test]
fn changes_need_a_live_claim() {
    let mut d = desk();
    let id = d.items(&["alpha"])[0];
    assert_rule(
        review::tag(&mut d.ws, &d.rev, id, &["ttp".into()], &[], &[], &[]),
        "claim item",
    );
    let f = d.file("a.png", &png(20, 20, 3));
    assert_rule(evidence::attach(&mut d.ws, &d.rev, id, &[f]), "claim item");
    assert_rule(
        review::propose(&mut d.ws, &d.rev, id, Outcome::NoViolation, "fine"),
        "claim item",
    );
    // Admins take no part in review.
    assert_rule(
        review::claim(&mut d.ws, &d.admin, id),
        "only reviewers and leads",
    );
}

#[test]
fn a_takedown_needs_evidence_a_ground_and_a_rationale() {
    let mut d = desk();
    let id = d.items(&["alpha"])[0];
    review::claim(&mut d.ws, &d.rev, id).unwrap();
    assert_rule(
        review::propose(&mut d.ws, &d.rev, id, Outcome::Takedown, "why"),
        "at least one piece of evidence",
    );
    review::tag(&mut d.ws, &d.rev, id, &["ttp".into()], &[], &[], &[]).unwrap();
    let f = d.file("a.png", &png(20, 20, 3));
    evidence::attach(&mut d.ws, &d.rev, id, &[f]).unwrap();
    assert_rule(
        review::propose(&mut d.ws, &d.rev, id, Outcome::Takedown, "why"),
        "at least one legal ground",
    );
    review::tag(&mut d.ws, &d.rev, id, &[], &["peca-9".into()], &[], &[]).unwrap();
    assert_rule(
        review::propose(&mut d.ws, &d.rev, id, Outcome::Takedown, "   "),
        "a rationale",
    );
    assert_rule(
        review::propose(&mut d.ws, &d.rev, id, Outcome::NoViolation, ""),
        "a rationale",
    );
    assert_eq!(
        review::missing(&mut d.ws, id, Outcome::Takedown, "why").unwrap(),
        Vec::<&str>::new()
    );
    let (packet, hash) = review::propose(&mut d.ws, &d.rev, id, Outcome::Takedown, "why").unwrap();
    assert_eq!(packet.hash(), hash);
    assert_eq!(packet.groups[0].id, "ttp");
    assert_eq!(packet.grounds[0].id, "peca-9");
    assert_eq!(packet.evidence.len(), 1);
    let rec = queue::record(&mut d.ws, id).unwrap();
    assert_eq!(rec.item.status, Status::Proposed);
    assert_eq!(rec.item.claimed_by, None, "proposing releases the claim");
    // A sealed item cannot change until a lead returns it.
    assert_rule(review::claim(&mut d.ws, &d.rev, id), "not open for review");
}

#[test]
fn nobody_approves_their_own_proposal_and_only_leads_approve() {
    let mut d = desk();
    let ids = d.items(&["alpha", "beta"]);
    d.propose_takedown(&d.lead.clone(), ids[0], 1);
    assert_rule(
        review::approve(&mut d.ws, &d.lead, ids[0], None),
        "four-eyes",
    );
    assert_rule(
        review::approve(&mut d.ws, &d.rev, ids[0], None),
        "only a lead",
    );
    assert_rule(
        review::approve(&mut d.ws, &d.admin, ids[0], None),
        "only a lead",
    );
    assert_rule(
        review::return_item(&mut d.ws, &d.lead, ids[0], "own"),
        "four-eyes",
    );
    let inbox = review::inbox(&mut d.ws).unwrap();
    assert_eq!(inbox.len(), 1);
    assert!(
        review::may_decide(&d.lead, &inbox[0], "approve")
            .unwrap_err()
            .contains("four-eyes")
    );
    assert!(review::may_decide(&d.lead2, &inbox[0], "approve").is_ok());
    review::approve(&mut d.ws, &d.lead2, ids[0], None).unwrap();
    assert_eq!(
        queue::record(&mut d.ws, ids[0]).unwrap().item.status,
        Status::Approved
    );
    assert_rule(
        review::approve(&mut d.ws, &d.lead2, ids[0], None),
        "no proposal waiting",
    );

    // The lead role is checked at the moment of approval, not at sign-in.
    d.propose_takedown(&d.rev.clone(), ids[1], 2);
    auth::set_role(&mut d.ws, &d.admin, "lead2", Role::Reviewer).unwrap();
    assert_rule(
        review::approve(&mut d.ws, &d.lead2, ids[1], None),
        "only a lead",
    );
    review::approve(&mut d.ws, &d.lead, ids[1], None).unwrap();
}

#[test]
fn approval_of_a_stale_packet_is_refused() {
    let mut d = desk();
    let id = d.items(&["alpha"])[0];
    let first = d.propose_takedown(&d.rev.clone(), id, 1);
    review::return_item(&mut d.ws, &d.lead, id, "add the second screenshot").unwrap();
    let rec = queue::record(&mut d.ws, id).unwrap();
    assert_eq!(rec.item.status, Status::Returned);
    assert_eq!(
        rec.decisions[0].returned.as_ref().unwrap().reason,
        "add the second screenshot"
    );
    let second = d.propose_takedown(&d.rev.clone(), id, 2);
    assert_ne!(first, second);
    assert_rule(
        review::approve(&mut d.ws, &d.lead2, id, Some(&first)),
        "stale packet",
    );

    // Changing the packet's content behind the library's back also makes it stale.
    let raw = d.bypass();
    raw.execute(
        "INSERT INTO item_grounds (item_id, ground_id, taxonomy_version, tagged_by, tagged_at, event_seq)
         VALUES (?1, 'ata-11w', 1, 'rev', '2026-11-01T09:00:00.000Z', 1)",
        parakh::args![id],
    )
    .unwrap();
    assert_rule(
        review::approve(&mut d.ws, &d.lead2, id, Some(&second)),
        "changed since the decision was sealed",
    );
    raw.execute(
        "DELETE FROM item_grounds WHERE ground_id = 'ata-11w'",
        parakh::args![],
    )
    .unwrap();
    assert_eq!(
        review::approve(&mut d.ws, &d.lead2, id, Some(&second)).unwrap(),
        second
    );
}

#[test]
fn returning_needs_a_reason_and_puts_the_item_back_in_review() {
    let mut d = desk();
    let id = d.items(&["alpha"])[0];
    d.propose_takedown(&d.rev.clone(), id, 1);
    assert_rule(
        review::return_item(&mut d.ws, &d.lead, id, "  "),
        "needs a reason",
    );
    review::return_item(&mut d.ws, &d.lead, id, "wrong ground").unwrap();
    review::claim(&mut d.ws, &d.rev2, id).unwrap();
    review::tag(
        &mut d.ws,
        &d.rev2,
        id,
        &[],
        &["ata-11w".into()],
        &[],
        &["peca-9".into()],
    )
    .unwrap();
    review::propose(&mut d.ws, &d.rev2, id, Outcome::Takedown, "reworked").unwrap();
    review::approve(&mut d.ws, &d.lead, id, None).unwrap();
    let rec = queue::record(&mut d.ws, id).unwrap();
    assert_eq!(rec.decisions.len(), 2);
    assert_eq!(rec.decisions[1].approval.as_ref().unwrap().approver, "lead");
}

/// A new item claimed by the reviewer and tagged with these groups and grounds.
fn tagged_item(d: &mut Desk, groups: &[&str], grounds: &[&str]) -> i64 {
    let id = d.items(&["alpha"])[0];
    let rev = d.rev.clone();
    review::claim(&mut d.ws, &rev, id).unwrap();
    let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    review::tag(&mut d.ws, &rev, id, &ids(groups), &ids(grounds), &[], &[]).unwrap();
    id
}

#[test]
fn ground_labels_cite_numbered_sections_with_s_and_points_as_written() {
    let mut d = desk();
    let id = tagged_item(&mut d, &[], &["peca-9", "nap-11"]);
    let tags = queue::record(&mut d.ws, id).unwrap().tags;
    let label = |id: &str| tags.iter().find(|t| t.id == id).unwrap().label.clone();
    assert_eq!(
        (label("peca-9"), label("nap-11")),
        (
            "Prevention of Electronic Crimes Act 2016 s.9".to_string(),
            "National Action Plan 2014 point 11".to_string()
        )
    );
}

#[test]
fn tags_keep_the_taxonomy_version_they_were_made_under() {
    let mut d = desk();
    let id = tagged_item(&mut d, &["ttp"], &["peca-9"]);
    let v2 = taxonomy::DEFAULT_TAXONOMY.replace(
        "list_version = \"2025-11 default",
        "list_version = \"2026-01 unit list",
    ) + "\n[[group]]\nid = \"newgrp\"\nshort = \"NG\"\nname = \"New Group\"\nverified = false\n";
    let file = d.file("tax.toml", v2.as_bytes());
    assert_rule(taxonomy::import(&mut d.ws, &d.rev, &file), "only a lead");
    assert_eq!(taxonomy::import(&mut d.ws, &d.lead, &file).unwrap(), 2);
    review::tag(&mut d.ws, &d.rev, id, &["newgrp".into()], &[], &[], &[]).unwrap();
    let tags = queue::record(&mut d.ws, id).unwrap().tags;
    let version = |id: &str| tags.iter().find(|t| t.id == id).unwrap().taxonomy_version;
    assert_eq!(
        (version("ttp"), version("peca-9"), version("newgrp")),
        (1, 1, 2)
    );
    let f = d.file("a.png", &png(20, 20, 3));
    evidence::attach(&mut d.ws, &d.rev, id, &[f]).unwrap();
    let (packet, _) = review::propose(&mut d.ws, &d.rev, id, Outcome::Takedown, "why").unwrap();
    assert_eq!(
        packet
            .groups
            .iter()
            .map(|g| g.taxonomy_version)
            .collect::<Vec<_>>(),
        vec![2, 1]
    );
    // A malformed taxonomy file is refused whole.
    let bad = d.file("bad.toml", b"list_version = \"x\"\n[[group]]\nid = \"Bad Id\"\nshort = \"B\"\nname = \"B\"\nverified = true\n");
    assert!(
        matches!(taxonomy::import(&mut d.ws, &d.lead, &bad), Err(parakh::Error::Invalid(m)) if m.contains("Bad Id") && m.contains("no [[ground]]"))
    );
    assert!(audit::verify(&mut d.ws).unwrap().ok());
}

#[test]
fn sign_in_and_user_management_follow_the_roles() {
    let mut d = desk();
    assert!(matches!(
        auth::login(&mut d.ws, "rev", "wrong password"),
        Err(parakh::Error::Auth(_))
    ));
    assert!(matches!(
        auth::login(&mut d.ws, "nobody", PW),
        Err(parakh::Error::Auth(_))
    ));
    let failed: Vec<_> = audit::log(&mut d.ws, None)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "login_failed")
        .collect();
    // On a desk the program checks passwords and audits failures; on a team server the
    // server refuses the login before any connection exists, and its log holds the failure.
    let audited = if on_server() { 0 } else { 2 };
    assert_eq!(failed.len(), audited, "failed sign-ins are audited");
    assert_rule(
        auth::add_user(&mut d.ws, Some(&d.lead), "x", Role::Reviewer, PW),
        "only an admin",
    );
    assert!(matches!(
        auth::add_user(&mut d.ws, None, "x", Role::Admin, PW),
        Err(parakh::Error::Auth(_))
    ));
    assert!(matches!(
        auth::add_user(&mut d.ws, Some(&d.admin), "x", Role::Reviewer, "short"),
        Err(parakh::Error::Invalid(_))
    ));
    assert_rule(
        auth::set_role(&mut d.ws, &d.admin, "admin", Role::Lead),
        "last admin",
    );
    let hash: String = d
        .bypass()
        .value(
            "SELECT password_hash FROM users WHERE name = 'rev'",
            parakh::args![],
        )
        .unwrap();
    assert!(hash.starts_with("$argon2id$") && !hash.contains(PW));
}

#[test]
fn a_new_store_needs_an_admin_first() {
    let dir = tempfile::tempdir().unwrap();
    let (mut ws, _) = parakh::Workspace::init(&dir.path().join("s.db")).unwrap();
    assert_rule(
        auth::add_user(&mut ws, None, "first", Role::Lead, PW),
        "must be an admin",
    );
    auth::add_user(&mut ws, None, "first", Role::Admin, PW).unwrap();
    // init is idempotent.
    let (_, created) = parakh::Workspace::init(&dir.path().join("s.db")).unwrap();
    assert!(!created);
}

#[test]
fn every_action_is_on_the_audit_trail() {
    let mut d = desk();
    let id = d.items(&["alpha"])[0];
    d.propose_takedown(&d.rev.clone(), id, 1);
    review::approve(&mut d.ws, &d.lead, id, None).unwrap();
    let actions: Vec<String> = audit::log(&mut d.ws, Some(id))
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, ["claim", "attach", "tag", "propose", "approve"]);
    let all: Vec<String> = audit::log(&mut d.ws, None)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for a in ["taxonomy_import", "user_add", "login", "import"] {
        assert!(all.iter().any(|x| x == a), "{a} missing from {all:?}");
    }
    let v = audit::verify(&mut d.ws).unwrap();
    assert!(v.ok(), "{:?}", v.problems);
    assert_eq!(v.head.unwrap().0, all.len() as i64);
}

#[test]
fn a_desk_whose_lease_ran_out_and_was_taken_meanwhile_cannot_propose() {
    let mut d = desk();
    let ids = d.items(&["alpha", "bravo"]);
    let (rev, rev2) = (d.rev.clone(), d.rev2.clone());
    let why = "the channel reposts news reports only";

    // Lease runs out, nobody takes the item: the holder's renewal keeps the generation.
    let first = review::claim(&mut d.ws, &rev, ids[0]).unwrap().generation;
    d.clock.advance(Duration::minutes(16));
    let again = review::claim(&mut d.ws, &rev, ids[0]).unwrap();
    assert!(!again.renewed);
    assert_eq!(again.generation, first);
    review::propose_fenced(
        &mut d.ws,
        &rev,
        ids[0],
        Outcome::NoViolation,
        why,
        Some(first),
    )
    .unwrap();

    // Lease runs out, another reviewer takes the item and lets it go; the first desk claims
    // it back, but the work it began under its first claim is refused.
    let first = review::claim(&mut d.ws, &rev, ids[1]).unwrap().generation;
    d.clock.advance(Duration::minutes(16));
    let taken = review::claim(&mut d.ws, &rev2, ids[1]).unwrap().generation;
    assert_ne!(taken, first);
    review::release(&mut d.ws, &rev2, ids[1]).unwrap();
    let back = review::claim(&mut d.ws, &rev, ids[1]).unwrap().generation;
    assert_ne!(back, first);
    assert_rule(
        review::propose_fenced(
            &mut d.ws,
            &rev,
            ids[1],
            Outcome::NoViolation,
            why,
            Some(first),
        ),
        "claimed by someone else since you began",
    );
    // Under the claim it holds now, it may.
    review::propose_fenced(
        &mut d.ws,
        &rev,
        ids[1],
        Outcome::NoViolation,
        why,
        Some(back),
    )
    .unwrap();
    assert!(audit::verify(&mut d.ws).unwrap().ok());
}

#[test]
fn changes_since_an_event_say_who_did_what_to_which_item() {
    let mut d = desk();
    let id = d.items(&["alpha"])[0];
    let rev = d.rev.clone();
    let seen = d.ws.head_seq().unwrap();
    assert!(d.ws.changes_since(seen).unwrap().is_empty());
    review::claim(&mut d.ws, &rev, id).unwrap();
    review::release(&mut d.ws, &rev, id).unwrap();
    let c = d.ws.changes_since(seen).unwrap();
    assert!(c.complete);
    let listed: Vec<_> = c
        .events
        .iter()
        .map(|e| (e.actor.as_str(), e.action.as_str(), e.item))
        .collect();
    assert_eq!(
        listed,
        [
            (rev.name.as_str(), "claim", Some(id)),
            (rev.name.as_str(), "release", Some(id))
        ]
    );
    assert_eq!(c.head, d.ws.head_seq().unwrap());
    assert!(c.touches_item(id) && c.changes_work());
    assert!(d.ws.changes_since(c.head).unwrap().is_empty());

    // Too many to list, or a trail shorter than the desk saw: re-read everything.
    for _ in 0..=parakh::store::CHANGES_LISTED / 2 {
        review::claim(&mut d.ws, &rev, id).unwrap();
        review::release(&mut d.ws, &rev, id).unwrap();
    }
    let many = d.ws.changes_since(c.head).unwrap();
    assert!(!many.complete && many.events.len() == parakh::store::CHANGES_LISTED);
    assert_eq!(many.head, d.ws.head_seq().unwrap());
    assert!(!d.ws.changes_since(many.head + 10).unwrap().complete);
}
