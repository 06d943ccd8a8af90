//! `audit verify` replays the trail and re-checks the rules from it alone, and checks each
//! item's reported fields against the import that stored them. Each case is what an
//! attacker with write access to the file would do: drop the triggers, write the rows,
//! and append a matching event with the chain recomputed, so that every row is backed.

mod common;

use common::forge::{forge, forge_approval};
use common::*;
use parakh::args;
use parakh::review;
use serde_json::json;

#[test]
fn a_self_approval_with_every_row_backed_is_found() {
    let mut d = desk();
    let item = d.items(&["self_approved"])[0];
    let lead = d.lead.clone();
    // A lead may review; here the lead proposes and then approves the proposal himself.
    d.propose_takedown(&lead, item, 3);
    forge_approval(&d, item, "lead");
    assert_problem(
        &mut d,
        "approve by lead: lead made proposal 1 and may not decide it (four eyes)",
    );
}

#[test]
fn an_approval_by_a_reviewer_is_found_and_roles_are_taken_as_they_stood() {
    let mut d = desk();
    let items = d.items(&["by_reviewer", "by_former_lead"]);
    let rev = d.rev.clone();
    d.propose_takedown(&rev, items[0], 4);
    forge_approval(&d, items[0], "rev2");
    assert_problem(
        &mut d,
        "rev2 held the reviewer role at that point of the trail, not lead",
    );

    // A real approval by a lead later demoted is no problem: the role at the time counts.
    // (One desk at a time: on a server the desks share the people's logins.)
    drop(d);
    let mut d = desk();
    let (rev, lead, admin) = (d.rev.clone(), d.lead.clone(), d.admin.clone());
    let item = d.items(&["fine"])[0];
    d.propose_takedown(&rev, item, 5);
    review::approve(&mut d.ws, &lead, item, None).unwrap();
    parakh::auth::set_role(&mut d.ws, &admin, "lead", parakh::model::Role::Reviewer).unwrap();
    assert_eq!(problems(&mut d.ws), Vec::<String>::new());
}

#[test]
fn a_takedown_without_evidence_or_ground_and_steps_out_of_order_are_found() {
    let mut d = desk();
    let item = d.items(&["bare"])[0];
    let conn = d.bypass();
    // A proposal event with no claim before it, naming no evidence and no ground.
    forge(
        &conn,
        "rev",
        "propose",
        Some(item),
        json!({
            "proposal": 77, "outcome": "takedown", "packet_hash": "00", "groups": 0, "grounds": 0, "evidence": 0,
        }),
    );
    // An approval of a proposal the trail never made.
    forge(
        &conn,
        "lead",
        "approve",
        Some(item),
        json!({"proposal": 78, "packet_hash": "11", "outcome": "takedown"}),
    );
    for needle in [
        "propose by rev: proposed on item #1 without holding a live claim on it",
        "proposed a takedown with no evidence",
        "proposed a takedown with no grounds",
        "approve by lead: closed proposal 78, which the trail never proposed",
    ] {
        assert_problem(&mut d, needle);
    }
}

#[test]
fn an_appeal_decided_by_an_original_decider_is_found() {
    let mut d = desk();
    let item = d.items(&["appealed"])[0];
    let (rev, lead) = (d.rev.clone(), d.lead.clone());
    d.propose_takedown(&rev, item, 6);
    review::approve(&mut d.ws, &lead, item, None).unwrap();
    let appeal =
        parakh::appeals::file(&mut d.ws, &rev, item, "Owner", "APL-1", "not ours").unwrap();
    let conn = d.bypass();
    // The approver of the decision reviews its appeal.
    forge(
        &conn,
        "lead",
        "appeal_propose",
        Some(item),
        json!({
            "appeal": appeal, "outcome_id": 9, "outcome": "overturned", "reasons": "r",
        }),
    );
    assert_problem(
        &mut d,
        &format!("lead made or checked the decision under appeal {appeal}"),
    );
}

#[test]
fn an_item_pointed_at_another_account_is_found_and_requests_carry_the_sealed_url() {
    let mut d = desk();
    let item = d.items(&["sealed_account"])[0];
    let (rev, lead) = (d.rev.clone(), d.lead.clone());
    d.propose_takedown(&rev, item, 7);
    review::approve(&mut d.ws, &lead, item, None).unwrap();
    let conn = d.bypass();
    let moved = conn.execute(
        "UPDATE items SET url = 'https://t.me/innocent' WHERE id = ?1",
        args![item],
    );
    assert!(
        moved
            .unwrap_err()
            .to_string()
            .contains("reported fields are never edited")
    );

    conn.switch_off("items", "items_fields_fixed");
    conn.execute(
        "UPDATE items SET url = 'https://t.me/innocent', handle = 'innocent' WHERE id = ?1",
        args![item],
    )
    .unwrap();
    assert_problem(
        &mut d,
        "item #1: its reported fields were edited after it was stored (it now points at https://t.me/innocent)",
    );
    // Rewriting the digest column as well does not help: the import's event covers it.
    let digest: String = conn
        .row(
            "SELECT fields_sha256 FROM items WHERE id = ?1",
            args![item],
            |r| r.get(0),
        )
        .unwrap();
    let mut fields = parakh::queue::record(&mut d.ws, item).unwrap().item.fields;
    assert_ne!(fields.digest(), digest);
    fields.url = "https://t.me/innocent".into();
    conn.execute(
        "UPDATE items SET fields_sha256 = ?2 WHERE id = ?1",
        args![item, fields.digest()],
    )
    .unwrap();
    assert_problem(&mut d, "that event #");

    let bag = d.telegram_bag(&lead);
    let summary = std::fs::read_to_string(bag.join("data/request.json")).unwrap();
    assert!(summary.contains("https://t.me/sealed_account"), "{summary}");
    assert!(
        !summary.contains("innocent"),
        "the request carries the live row: {summary}"
    );
}
