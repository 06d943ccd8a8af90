//! Appeals: recorded by a reviewer, reviewed by someone who neither made nor checked the
//! decision, decided with four eyes; overturning a takedown creates a reinstatement request.

mod common;

use common::*;
use parakh::appeals::{self, AppealOutcome};
use parakh::model::{Outcome, Status};
use parakh::{audit, mirrors, queue, requests, review};

/// An item taken down: proposed by rev, approved by lead.
fn taken_down() -> (Desk, i64) {
    let mut d = desk();
    let id = d.items(&["appealed_channel"])[0];
    d.propose_takedown(&d.rev.clone(), id, 5);
    review::approve(&mut d.ws, &d.lead, id, None).unwrap();
    (d, id)
}

/// A takedown request to Telegram holding the item, sent by the lead; its reference.
fn send_request(d: &mut Desk) -> String {
    let r = requests::create(
        &mut d.ws,
        &d.lead,
        parakh::model::Platform::Telegram,
        false,
        None,
    )
    .unwrap();
    requests::mark_sent(&mut d.ws, &d.lead, &r, "portal", "", None).unwrap();
    r
}

/// Rev2 (neither maker nor checker) records an appeal of the item's final decision and
/// proposes `outcome`; the appeal's id.
fn appeal_proposed(d: &mut Desk, id: i64, outcome: AppealOutcome) -> i64 {
    let appeal = appeals::file(
        &mut d.ws,
        &d.rev2,
        id,
        "counsel for the holder",
        "L-1",
        "a news outlet",
    )
    .unwrap();
    appeals::propose(
        &mut d.ws,
        &d.rev2,
        appeal,
        outcome,
        "the posts report on the group",
    )
    .unwrap();
    appeal
}

fn status(d: &mut Desk, id: i64) -> Status {
    queue::record(&mut d.ws, id).unwrap().item.status
}

#[test]
fn the_maker_and_the_checker_may_not_review_or_decide_the_appeal() {
    let (mut d, id) = taken_down();
    let other = d.items(&["undecided"])[0];
    assert_rule(
        appeals::file(
            &mut d.ws,
            &d.rev2,
            other,
            "the account holder",
            "L-1",
            "not ours",
        ),
        "no final decision",
    );
    assert_rule(
        appeals::file(&mut d.ws, &d.rev2, id, "the account holder", "", "grounds"),
        "reference",
    );
    let appeal = appeals::file(
        &mut d.ws,
        &d.rev2,
        id,
        "the account holder",
        "L-2026-17",
        "the channel reports news, it does not support the group",
    )
    .unwrap();
    assert_eq!(status(&mut d, id), Status::Appealed);
    assert_rule(
        appeals::file(&mut d.ws, &d.rev2, id, "again", "L-2", "again"),
        "already appealed",
    );
    assert_rule(
        appeals::propose(&mut d.ws, &d.rev, appeal, AppealOutcome::Overturned, "x"),
        "'rev' made the decision under appeal",
    );
    assert_rule(
        appeals::propose(&mut d.ws, &d.lead, appeal, AppealOutcome::Overturned, "x"),
        "'lead' checked the decision under appeal",
    );
    // The store refuses it too, whatever the caller.
    let raw = d.bypass();
    let err = raw
        .execute(
            "INSERT INTO appeal_decisions (appeal_id, outcome, reasons, proposer_id, proposed_at, event_seq)
             SELECT ?1, 'upheld', 'r', id, '2026-11-01T09:00:00.000Z', 1 FROM users WHERE name = 'lead'",
            parakh::args![appeal],
        )
        .unwrap_err();
    assert!(
        err.to_string().contains("neither made nor checked"),
        "{err}"
    );
    appeals::propose(
        &mut d.ws,
        &d.rev2,
        appeal,
        AppealOutcome::Overturned,
        "the posts quote the group in news reports",
    )
    .unwrap();
    assert_rule(
        appeals::propose(&mut d.ws, &d.lead2, appeal, AppealOutcome::Upheld, "y"),
        "already has a pending outcome",
    );
    assert_rule(appeals::approve(&mut d.ws, &d.rev2, appeal), "only a lead");
    assert_rule(
        appeals::approve(&mut d.ws, &d.lead, appeal),
        "'lead' checked",
    );
    let err = raw
        .execute(
            "INSERT INTO appeal_approvals (decision_id, approver_id, approved_at, event_seq)
             SELECT d.id, u.id, '2026-11-01T09:00:00.000Z', 1 FROM appeal_decisions d, users u WHERE u.name = 'lead'",
            parakh::args![],
        )
        .unwrap_err();
    assert!(
        err.to_string().contains("neither made nor checked"),
        "{err}"
    );
    let v = audit::verify(&mut d.ws).unwrap();
    assert!(v.ok(), "{:?}", v.problems);
}

#[test]
fn overturning_a_takedown_creates_a_reinstatement_request_and_ends_its_standing() {
    let (mut d, id) = taken_down();
    send_request(&mut d);
    assert_eq!(mirrors::pool(&mut d.ws).unwrap().len(), 1);
    let appeal = appeal_proposed(&mut d, id, AppealOutcome::Overturned);
    let reinstatement = appeals::approve(&mut d.ws, &d.lead2, appeal)
        .unwrap()
        .expect("a reinstatement request");
    assert_eq!(reinstatement, "RIR-2026-0001");
    let v = requests::show(&mut d.ws, &reinstatement).unwrap();
    assert_eq!(
        (
            v.request.kind.as_str(),
            v.items[0].item,
            v.request.created_by.as_str()
        ),
        ("reinstatement", id, "lead2")
    );
    assert_eq!(status(&mut d, id), Status::Approved);
    assert_eq!(
        mirrors::pool(&mut d.ws).unwrap().len(),
        0,
        "an overturned takedown no longer counts"
    );
    let list = appeals::list(&mut d.ws, Some(id)).unwrap();
    let o = &list[0].outcomes[0];
    assert_eq!(
        (o.outcome.as_str(), o.state.as_str()),
        ("overturned", "approved")
    );
    assert_eq!(o.approved.as_ref().unwrap().lead, "lead2");
    let actions: Vec<String> = audit::log(&mut d.ws, Some(id))
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for a in ["appeal_file", "appeal_propose", "appeal_approve"] {
        assert!(actions.contains(&a.to_string()), "{a} in {actions:?}");
    }
    let v = audit::verify(&mut d.ws).unwrap();
    assert!(v.ok(), "{:?}", v.problems);
}

#[test]
fn a_returned_outcome_is_reviewed_again_and_an_upheld_one_restores_the_decision() {
    let (mut d, id) = taken_down();
    let appeal = appeal_proposed(&mut d, id, AppealOutcome::Upheld);
    assert_rule(
        appeals::return_outcome(&mut d.ws, &d.lead2, appeal, " "),
        "needs a reason",
    );
    appeals::return_outcome(
        &mut d.ws,
        &d.lead2,
        appeal,
        "say which screenshot shows the logo",
    )
    .unwrap();
    appeals::propose(
        &mut d.ws,
        &d.rev2,
        appeal,
        AppealOutcome::Upheld,
        "screenshot 1 shows the group's logo",
    )
    .unwrap();
    assert_eq!(appeals::approve(&mut d.ws, &d.lead2, appeal).unwrap(), None);
    assert_eq!(status(&mut d, id), Status::Approved);
    assert_eq!(
        mirrors::pool(&mut d.ws).unwrap().len(),
        1,
        "an upheld takedown still stands"
    );
    let outcomes = &appeals::list(&mut d.ws, Some(id)).unwrap()[0].outcomes;
    assert_eq!(
        outcomes
            .iter()
            .map(|o| o.state.as_str())
            .collect::<Vec<_>>(),
        ["returned", "approved"]
    );
    let v = audit::verify(&mut d.ws).unwrap();
    assert!(v.ok(), "{:?}", v.problems);
}

#[test]
fn overturning_a_decision_not_to_act_sends_the_item_back_to_review() {
    let mut d = desk();
    let id = d.items(&["reported_twice"])[0];
    review::claim(&mut d.ws, &d.rev, id).unwrap();
    review::propose(
        &mut d.ws,
        &d.rev,
        id,
        Outcome::NoViolation,
        "commentary, no support",
    )
    .unwrap();
    review::approve(&mut d.ws, &d.lead, id, None).unwrap();
    let appeal = appeal_proposed(&mut d, id, AppealOutcome::Overturned);
    assert_eq!(appeals::approve(&mut d.ws, &d.lead2, appeal).unwrap(), None);
    assert_eq!(status(&mut d, id), Status::Returned);
}

#[test]
fn a_flipped_appeal_outcome_or_response_is_found_by_audit_verify() {
    let (mut d, id) = taken_down();
    let r = send_request(&mut d);
    requests::record_response(
        &mut d.ws,
        &d.rev,
        &r,
        id,
        parakh::model::request::Response::Refused,
        None,
        "",
    )
    .unwrap();
    let appeal = appeal_proposed(&mut d, id, AppealOutcome::Upheld);
    appeals::approve(&mut d.ws, &d.lead2, appeal).unwrap();
    assert!(audit::verify(&mut d.ws).unwrap().ok());
    // Someone with the keys to the database switches the rule off and edits the outcome.
    let switch_off = if on_server() {
        "ALTER TABLE appeal_decisions DISABLE TRIGGER appeal_decisions_state_change;"
    } else {
        "DROP TRIGGER appeal_decisions_state_change;"
    };
    d.bypass()
        .execute_batch(&format!(
            "{switch_off} UPDATE appeal_decisions SET outcome = 'overturned';"
        ))
        .unwrap();
    let v = audit::verify(&mut d.ws).unwrap();
    assert!(
        v.problems.iter().any(|p| p.what.contains("of appeal")),
        "{:?}",
        v.problems
    );
    let switch_off = if on_server() {
        "ALTER TABLE request_responses DISABLE TRIGGER request_responses_no_change;"
    } else {
        "DROP TRIGGER request_responses_no_change;"
    };
    d.bypass()
        .execute_batch(&format!(
            "UPDATE appeal_decisions SET outcome = 'upheld';
             {switch_off} UPDATE request_responses SET response = 'removed';"
        ))
        .unwrap();
    let v = audit::verify(&mut d.ws).unwrap();
    assert_eq!(v.problems.len(), 1, "{:?}", v.problems);
    assert!(
        v.problems[0].what.contains("response on #"),
        "{:?}",
        v.problems
    );
}
