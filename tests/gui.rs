//! The workstation, driven like a person would: sign in, step through the queue by
//! keyboard, claim, tag, propose, sign out, sign in as a lead, approve, return. These run
//! the real app (store worker and image pool included) in egui_kittest.

mod common;

use common::ui::{press, press_ctrl, settle, sign_in};

use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use parakh::gui::App;
use parakh::gui::app::Screen;
use parakh::gui::backend::ClaimState;
use parakh::model::Status;
use parakh::{Workspace, queue};
use std::path::Path;
use std::time::{Duration, Instant};

fn harness(path: &Path) -> Harness<'static, App> {
    common::ui::harness(path, None, false)
}

fn sign_out(h: &mut Harness<'static, App>) {
    h.get_by_label("File").click();
    settle(h);
    h.get_by_label("Sign out").click();
    settle(h);
    assert!(matches!(h.state().screen, Screen::SignIn(_)));
}

/// The first item still new in the queue's order.
fn first_new(ws: &mut Workspace) -> i64 {
    let filter = parakh::model::QueueFilter {
        statuses: vec![Status::New],
        ..Default::default()
    };
    queue::list(ws, filter, None).unwrap()[0].item.id
}

fn demo(n: usize) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    parakh::demo::create(&path, n).unwrap();
    (dir, path)
}

/// Presses J until the selected queue row satisfies `want`; returns its item id.
fn step_to(h: &mut Harness<'static, App>, want: impl Fn(&parakh::model::QueueRow) -> bool) -> i64 {
    for _ in 0..200 {
        let desk = h.state().desk().unwrap();
        if let Some(r) = desk.queue.selected.and_then(|i| desk.queue.row(i))
            && want(r)
        {
            return r.item.id;
        }
        press(h, Key::J);
    }
    panic!("no queue row matched");
}

#[test]
fn a_reviewer_decides_by_keyboard_and_a_lead_approves() {
    let (_dir, path) = demo(40);
    let mut h = harness(&path);
    sign_in(&mut h, "ayesha", "parakh-ayesha");

    // Step down the queue by keyboard to a new item with evidence, and back up once.
    let first = h.state().desk().unwrap().queue.selected;
    press(&mut h, Key::J);
    assert_eq!(
        h.state().desk().unwrap().queue.selected,
        first.map(|i| i + 1)
    );
    press(&mut h, Key::K);
    assert_eq!(h.state().desk().unwrap().queue.selected, first);
    let id = step_to(&mut h, |r| {
        r.item.status == Status::New && r.evidence_count > 0
    });
    let shown = h.state().desk().unwrap().item.as_ref().unwrap();
    assert_eq!(shown.record.item.id, id, "J previews the selected item");
    assert_eq!(
        shown.claim,
        ClaimState::ReadOnly,
        "previewing does not claim"
    );

    // Enter opens it for review: a claim.
    press(&mut h, Key::Enter);
    let desk = h.state().desk().unwrap();
    assert!(matches!(
        desk.item.as_ref().unwrap().claim,
        ClaimState::Mine(_)
    ));
    // Evidence opens veiled.
    assert!(
        h.query_by_label_contains("Screenshot veiled for your wellbeing")
            .is_some()
    );

    // G: find a group, Enter tags the first match. L: the same for a legal ground.
    press(&mut h, Key::G);
    h.get_by_label("Find a group (G)")
        .type_text("Pakistani Taliban");
    settle(&mut h);
    press(&mut h, Key::Enter);
    press(&mut h, Key::Escape);
    press(&mut h, Key::L);
    h.get_by_label("Find a legal ground (L)")
        .type_text("Glorification");
    settle(&mut h);
    press(&mut h, Key::Enter);
    press(&mut h, Key::Escape);
    let tags: Vec<String> = h
        .state()
        .desk()
        .unwrap()
        .item
        .as_ref()
        .unwrap()
        .record
        .tags
        .iter()
        .map(|t| t.id.clone())
        .collect();
    assert_eq!(tags, ["ttp", "peca-9"]);

    // No outcome is chosen in advance: the reviewer picks one.
    assert_eq!(h.state().desk().unwrap().form.outcome, None);
    press(&mut h, Key::T);
    // The missing rationale is shown before submitting, and submitting is refused until it is given.
    assert!(h.query_by_label_contains("a rationale").is_some());
    press(&mut h, Key::W);
    h.get_by_label("Rationale (W)")
        .type_text("Screenshot shows the group's logo and a call to join.");
    settle(&mut h);
    press_ctrl(&mut h, Key::Enter);
    let next = h
        .state()
        .desk()
        .unwrap()
        .item
        .as_ref()
        .map(|v| v.record.item.id);
    assert_ne!(next, Some(id), "Submit & next moves on");
    let mut ws = Workspace::open(&path).unwrap();
    assert_eq!(
        queue::record(&mut ws, id).unwrap().item.status,
        Status::Proposed
    );
    sign_out(&mut h);

    // A lead approves it from the inbox.
    sign_in(&mut h, "sana", "parakh-sana");
    let inbox = &h.state().desk().unwrap().inbox;
    let pos = inbox
        .iter()
        .position(|e| e.proposal.item_id == id)
        .expect("the proposal is in the inbox");
    for _ in 0..pos {
        press(&mut h, Key::J);
    }
    assert_eq!(
        h.state()
            .desk()
            .unwrap()
            .item
            .as_ref()
            .unwrap()
            .record
            .item
            .id,
        id
    );
    // A bare A never approves; Ctrl+Shift+A does, once every screenshot was opened.
    press(&mut h, Key::A);
    assert_eq!(
        queue::record(&mut ws, id).unwrap().item.status,
        Status::Proposed
    );
    common::ui::open_every_screenshot(&mut h);
    common::ui::press_ctrl_shift(&mut h, Key::A);
    let rec = queue::record(&mut ws, id).unwrap();
    assert_eq!(rec.item.status, Status::Approved);
    assert_eq!(rec.decisions[0].approval.as_ref().unwrap().approver, "sana");
    assert!(parakh::audit::verify(&mut ws).unwrap().ok());
}

#[test]
fn a_lead_cannot_approve_their_own_proposal_and_returns_need_a_reason() {
    let (_dir, path) = demo(60);
    {
        // Make sure Sana has a proposal of her own waiting.
        let mut ws = Workspace::open(&path).unwrap();
        let sana = parakh::auth::login(&mut ws, "sana", "parakh-sana").unwrap();
        let id = first_new(&mut ws);
        parakh::review::claim(&mut ws, &sana, id).unwrap();
        parakh::review::propose(
            &mut ws,
            &sana,
            id,
            parakh::model::Outcome::NoViolation,
            "news report",
        )
        .unwrap();
    }
    let mut h = harness(&path);
    sign_in(&mut h, "sana", "parakh-sana");
    let inbox = h.state().desk().unwrap().inbox.clone();
    let own = Some(
        inbox
            .iter()
            .position(|e| e.proposal.proposer == "sana")
            .expect("Sana's own proposal"),
    );
    let other = inbox
        .iter()
        .position(|e| e.proposal.proposer != "sana")
        .expect("someone else's proposal");
    let mut ws = Workspace::open(&path).unwrap();

    if let Some(own) = own {
        for _ in 0..own {
            press(&mut h, Key::J);
        }
        let item = inbox[own].proposal.item_id;
        // The inbox entry and the decision panel both say why; no Approve button is offered.
        let why = "four-eyes: you proposed this decision";
        assert_eq!(h.query_all_by_label_contains(why).count(), 2);
        assert!(h.query_by_label_contains("Approve Ctrl+Shift+A").is_none());
        press(&mut h, Key::A);
        assert_eq!(
            queue::record(&mut ws, item).unwrap().item.status,
            Status::Proposed,
            "own proposal stays pending"
        );
        press(&mut h, Key::K);
        for _ in 0..own {
            press(&mut h, Key::K);
        }
    }
    // Return another reviewer's proposal with a reason: the item goes back to review.
    for _ in 0..other {
        press(&mut h, Key::J);
    }
    let item = inbox[other].proposal.item_id;
    assert_eq!(
        h.state()
            .desk()
            .unwrap()
            .item
            .as_ref()
            .unwrap()
            .record
            .item
            .id,
        item
    );
    press(&mut h, Key::R);
    h.get_by_label("Reason for returning (required)")
        .type_text("Attach a screenshot that shows the profile header.");
    settle(&mut h);
    press_ctrl(&mut h, Key::R);
    let rec = queue::record(&mut ws, item).unwrap();
    assert_eq!(rec.item.status, Status::Returned);
    assert_eq!(
        rec.decisions
            .last()
            .unwrap()
            .returned
            .as_ref()
            .unwrap()
            .reason,
        "Attach a screenshot that shows the profile header."
    );
}

#[test]
fn a_wrong_password_is_refused_on_screen_and_audited() {
    let (_dir, path) = demo(5);
    let mut h = harness(&path);
    settle(&mut h);
    h.get_by_label("User").focus();
    h.get_by_label("User").type_text("bilal");
    h.get_by_label("Password").focus();
    h.get_by_label("Password").type_text("not-his-password");
    h.step();
    press(&mut h, Key::Enter);
    assert!(
        h.query_by_label_contains("wrong user name or password")
            .is_some()
    );
    assert!(matches!(h.state().screen, Screen::SignIn(_)));
    let mut ws = Workspace::open(&path).unwrap();
    let failed = parakh::audit::log(&mut ws, None)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "login_failed")
        .count();
    assert_eq!(failed, 1);
}

#[test]
fn two_windows_see_each_others_claims() {
    let (_dir, path) = demo(20);
    let mut a = harness(&path);
    let mut b = harness(&path);
    sign_in(&mut a, "ayesha", "parakh-ayesha");
    sign_in(&mut b, "bilal", "parakh-bilal");
    let id = step_to(&mut a, |r| r.item.status == Status::New);
    press(&mut a, Key::Enter);
    // Bilal's window learns of Ayesha's claim without doing anything.
    let start = Instant::now();
    loop {
        b.step();
        let seen = b
            .state()
            .desk()
            .unwrap()
            .queue
            .rows
            .iter()
            .any(|r| r.item.id == id && r.item.claimed_by.as_deref() == Some("ayesha"));
        if seen {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the other window never saw the claim"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // And cannot take it.
    let pos = b
        .state()
        .desk()
        .unwrap()
        .queue
        .rows
        .iter()
        .position(|r| r.item.id == id)
        .unwrap();
    let sel = b.state().desk().unwrap().queue.selected.unwrap_or(0);
    let key = if pos >= sel { Key::J } else { Key::K };
    for _ in 0..pos.abs_diff(sel) {
        press(&mut b, key);
    }
    press(&mut b, Key::Enter);
    assert!(matches!(
        b.state().desk().unwrap().item.as_ref().unwrap().claim,
        ClaimState::Other { .. } | ClaimState::Failed(_)
    ));
}

#[test]
fn a_file_that_is_not_a_store_is_named_on_the_welcome_screen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.db");
    std::fs::write(&path, b"these are not the records you are looking for").unwrap();
    let mut h = harness(&path);
    settle(&mut h);
    assert!(matches!(h.state().screen, Screen::Welcome(_)));
    assert!(
        h.query_all_by_label_contains("is not a Parakh store")
            .count()
            >= 1
    );
}

#[test]
fn the_welcome_screen_opens_a_demo_in_one_click() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fresh.db");
    let mut h = harness(&path);
    settle(&mut h);
    assert!(matches!(h.state().screen, Screen::Welcome(_)));
    h.get_by_label("Open demo workspace").click();
    settle(&mut h);
    assert!(matches!(h.state().screen, Screen::SignIn(_)));
    assert!(
        h.query_by_label("parakh-ayesha").is_some(),
        "the demo passwords are shown"
    );
    sign_in(&mut h, "ayesha", "parakh-ayesha");
    assert_eq!(
        h.state().desk().unwrap().queue.total,
        parakh::demo::DEFAULT_ITEMS
    );
}

#[test]
fn evidence_matching_a_hash_list_is_flagged_on_screen() {
    let (_dir, path) = demo(5);
    let vectors =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/pdq-vectors");
    let id = {
        let mut ws = Workspace::open(&path).unwrap();
        let bilal = parakh::auth::login(&mut ws, "bilal", "parakh-bilal").unwrap();
        let sana = parakh::auth::login(&mut ws, "sana", "parakh-sana").unwrap();
        let id = first_new(&mut ws);
        parakh::review::claim(&mut ws, &bilal, id).unwrap();
        parakh::evidence::attach(
            &mut ws,
            &bilal,
            id,
            &[vectors.join("images/dih__bridge-1-original.jpg")],
        )
        .unwrap();
        parakh::review::release(&mut ws, &bilal, id).unwrap();
        let text = std::fs::read_to_string(vectors.join("expected.json")).unwrap();
        let all: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
        let hash = all
            .iter()
            .find(|e| e["file"] == "dih__bridge-1-original.jpg")
            .unwrap()["pdq"]
            .as_str()
            .unwrap()
            .to_string();
        let list = _dir.path().join("known.csv");
        std::fs::write(&list, format!("hash,label\n{hash},synthetic-known-image\n")).unwrap();
        parakh::hashlist::import(&mut ws, &sana, &list, "exchange").unwrap();
        id
    };
    let mut h = harness(&path);
    sign_in(&mut h, "ayesha", "parakh-ayesha");
    step_to(&mut h, |r| r.item.id == id);
    let shown = "matches known content in list 'exchange' (synthetic-known-image) at 0 bits";
    assert_eq!(
        h.query_all_by_label_contains(shown).count(),
        1,
        "the item says it matches"
    );
    // Stepping to that screenshot (]) shows it there too.
    for _ in 0..3 {
        press(&mut h, Key::CloseBracket);
        if h.query_all_by_label_contains(shown).count() == 2 {
            return;
        }
    }
    panic!("the matching screenshot does not say so");
}

#[test]
fn a_possible_mirror_is_compared_side_by_side_and_confirmed_by_keyboard() {
    let (_dir, path) = demo(5);
    let (original, mirror) = {
        let mut ws = Workspace::open(&path).unwrap();
        let ids = import_into(&mut ws, &["ttp_media", "ttp.media_2"]);
        let (a, b) = (ids[0], ids[1]);
        take_down(
            &mut ws,
            path.parent().unwrap(),
            a,
            ["ttp", "peca-10"],
            5,
            "farhan",
        );
        (a, b)
    };
    let mut h = harness(&path);
    sign_in(&mut h, "ayesha", "parakh-ayesha");
    step_to(&mut h, |r| r.item.id == mirror);
    assert!(
        h.query_by_label_contains(&format!("Possible mirror of #{original} — score"))
            .is_some()
    );
    press(&mut h, Key::Enter);
    press_ctrl(&mut h, Key::M);
    let mut ws = Workspace::open(&path).unwrap();
    let rec = queue::record(&mut ws, mirror).unwrap();
    let tags: Vec<&str> = rec.tags.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        tags,
        ["ttp", "peca-10"],
        "the earlier decision's tags are copied"
    );
    assert!(parakh::mirrors::verdicts(&mut ws, mirror).unwrap()[0].confirmed);
    // At 900 points the comparison starts folded, leaving the evidence on screen; M opens it.
    assert!(h.query_by_label_contains("Confirmed as a mirror").is_none());
    press(&mut h, Key::M);
    assert!(h.query_by_label_contains("Confirmed as a mirror").is_some());
}

#[test]
fn the_queue_marks_a_mirror_found_only_by_its_screenshot() {
    let (_dir, path) = demo(5);
    let dir = path.parent().unwrap().to_path_buf();
    let (original, mirror) = {
        let mut ws = Workspace::open(&path).unwrap();
        let ids = import_into(&mut ws, &["ttp_media", "qalam_roshni"]);
        take_down(&mut ws, &dir, ids[0], ["ttp", "peca-10"], 5, "farhan");
        // The same screenshot on an account whose handle shares nothing with the original.
        let bilal = parakh::auth::login(&mut ws, "bilal", "parakh-bilal").unwrap();
        parakh::review::claim(&mut ws, &bilal, ids[1]).unwrap();
        let shot = dir.join("again.png");
        std::fs::write(&shot, common::blocks_png(160, 120, 5)).unwrap();
        parakh::evidence::attach(&mut ws, &bilal, ids[1], &[shot]).unwrap();
        parakh::review::release(&mut ws, &bilal, ids[1]).unwrap();
        let quick = queue::list(&mut ws, Default::default(), None).unwrap();
        let row = quick.iter().find(|r| r.item.id == ids[1]).unwrap();
        assert!(
            row.mirror_of.is_empty(),
            "the store's quick mark compares keys only"
        );
        (ids[0], ids[1])
    };
    let mut h = harness(&path);
    sign_in(&mut h, "ayesha", "parakh-ayesha");
    settle(&mut h);
    let desk = h.state().desk().unwrap();
    let row = |id: i64| desk.queue.rows.iter().find(|r| r.item.id == id).unwrap();
    assert_eq!(
        row(mirror).mirror_of,
        [original],
        "scored in the background"
    );
    assert!(
        row(original).mirror_of.is_empty(),
        "a taken-down account is not its own mirror"
    );
    // Every quick mark (same look-alike key) survives the full score.
    let mut ws = Workspace::open(&path).unwrap();
    let quick = queue::list(&mut ws, Default::default(), None).unwrap();
    let keyed: Vec<_> = quick.iter().filter(|r| !r.mirror_of.is_empty()).collect();
    assert!(!keyed.is_empty(), "the demo has look-alike accounts");
    for q in keyed {
        let scored = &row(q.item.id).mirror_of;
        assert!(
            q.mirror_of.iter().all(|id| scored.contains(id)),
            "#{}: {:?} lost from {scored:?}",
            q.item.id,
            q.mirror_of
        );
    }
}

/// Imports items with these handles (Telegram channels) into a demo store; their ids.
fn import_into(ws: &mut Workspace, handles: &[&str]) -> Vec<i64> {
    let admin = parakh::auth::login(ws, "admin", "parakh-admin").unwrap();
    let rows = handles
        .iter()
        .enumerate()
        .map(|(i, h)| (i + 2, common::row(h)))
        .collect();
    let r = parakh::import::import_rows(ws, Some(&admin), "t", "0", rows, vec![], Path::new(""))
        .unwrap();
    let (a, b) = r.ids.unwrap();
    (a..=b).collect()
}

/// Bilal claims `id`, attaches a generated screenshot (written into `dir`), tags it with
/// a group and a ground and proposes a takedown; `lead` approves it.
fn take_down(
    ws: &mut Workspace,
    dir: &Path,
    id: i64,
    [group, ground]: [&str; 2],
    seed: u8,
    lead: &str,
) {
    let bilal = parakh::auth::login(ws, "bilal", "parakh-bilal").unwrap();
    let lead = parakh::auth::login(ws, lead, &format!("parakh-{lead}")).unwrap();
    parakh::review::claim(ws, &bilal, id).unwrap();
    let shot = dir.join(format!("shot-{id}.png"));
    std::fs::write(&shot, common::blocks_png(160, 120, u32::from(seed))).unwrap();
    parakh::evidence::attach(ws, &bilal, id, &[shot]).unwrap();
    parakh::review::tag(ws, &bilal, id, &[group.into()], &[ground.into()], &[], &[]).unwrap();
    parakh::review::propose(ws, &bilal, id, parakh::model::Outcome::Takedown, "logo").unwrap();
    parakh::review::approve(ws, &lead, id, None).unwrap();
}

/// The demo store with one more approved takedown on Telegram that no request holds yet,
/// put into a new request; returns its reference.
fn with_unsent_request(path: &Path) -> String {
    let mut ws = Workspace::open(path).unwrap();
    let id = import_into(&mut ws, &["fresh_channel"])[0];
    take_down(
        &mut ws,
        path.parent().unwrap(),
        id,
        ["bla", "peca-9"],
        9,
        "sana",
    );
    let sana = parakh::auth::login(&mut ws, "sana", "parakh-sana").unwrap();
    parakh::requests::create(
        &mut ws,
        &sana,
        parakh::model::Platform::Telegram,
        false,
        None,
    )
    .unwrap()
}

#[test]
fn overdue_requests_stand_out_and_a_request_is_sent_and_answered_on_screen() {
    let (_dir, path) = demo(80);
    let reference = with_unsent_request(&path);
    let overdue = {
        let mut ws = Workspace::open(&path).unwrap();
        parakh::requests::list(&mut ws, true).unwrap().len()
    };
    assert!(overdue > 0, "the demo has overdue requests");
    let mut h = harness(&path);
    sign_in(&mut h, "sana", "parakh-sana");
    assert!(
        h.query_by_label(&format!("Requests · {overdue} overdue"))
            .is_some(),
        "the menu bar counts overdue requests"
    );
    press(&mut h, Key::F2);
    {
        let desk = h.state().desk().unwrap();
        assert_eq!(desk.view, parakh::gui::desk::View::Requests);
        assert_eq!(desk.requests.list[0].standing, "overdue", "overdue first");
    }
    assert!(h.query_all_by_label("OVERDUE").count() >= overdue);
    // J steps through the requests by keyboard.
    let first = h.state().desk().unwrap().requests.selected.clone();
    press(&mut h, Key::J);
    let second = h.state().desk().unwrap().requests.selected.clone();
    assert_ne!(first, second);
    assert_eq!(
        second.as_ref(),
        Some(&h.state().desk().unwrap().requests.list[1].request.reference)
    );
    // The list row (drawn first; the detail's heading may carry the same text).
    h.get_all_by_label(&reference).next().unwrap().click();
    settle(&mut h);
    assert_eq!(
        h.state().desk().unwrap().requests.selected.as_ref(),
        Some(&reference)
    );
    h.get_by_label("Channel").focus();
    h.get_by_label("Channel")
        .type_text("law-enforcement portal");
    settle(&mut h);
    h.get_by_label("Mark sent now").click();
    settle(&mut h);
    // One control records the chosen response (removed, by default) for the chosen item.
    h.get_by_label("Record response").click();
    settle(&mut h);
    let mut ws = Workspace::open(&path).unwrap();
    let v = parakh::requests::show(&mut ws, &reference).unwrap();
    assert_eq!(v.request.sent.unwrap().channel, "law-enforcement portal");
    assert_eq!(v.responses[0].response, "removed");
    assert_eq!(v.responses[0].recorded_by, "sana");
    assert_eq!(v.standing, "answered");

    // The report screen draws the dashboard for this year.
    press(&mut h, Key::F3);
    let shown = h
        .state()
        .desk()
        .unwrap()
        .report
        .report
        .clone()
        .expect("a report");
    let year = chrono::Utc::now().date_naive();
    let from = chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&year), 1, 1).unwrap();
    let expected = parakh::report::compute(&mut ws, from, year).unwrap();
    assert_eq!(shown.items_received, expected.items_received);
    assert_eq!(shown.requests, expected.requests);
    assert!(h.query_by_label("items received").is_some());
    assert!(h.query_by_label("Decisions by outcome").is_some());
}

#[test]
fn an_appeal_is_recorded_from_the_decision_panel() {
    let (_dir, path) = demo(80);
    let mut h = harness(&path);
    sign_in(&mut h, "zara", "parakh-zara");
    let item = step_to(&mut h, |r| r.item.status == Status::Approved);
    settle(&mut h);
    // The section sits below the tag lists in the decision panel: scroll to it first.
    h.get_by_label("Record an appeal of this decision")
        .scroll_to_me();
    settle(&mut h);
    h.get_by_label("Record an appeal of this decision").click();
    settle(&mut h);
    for (label, text) in [
        ("Appellant", "counsel for the holder"),
        ("Appeal reference", "APL-77"),
        ("Appellant's grounds", "a news outlet"),
    ] {
        h.get_by_label(label).focus();
        h.get_by_label(label).type_text(text);
        settle(&mut h);
    }
    h.get_by_label("Record appeal").scroll_to_me();
    settle(&mut h);
    h.get_by_label("Record appeal").click();
    settle(&mut h);
    let mut ws = Workspace::open(&path).unwrap();
    let appeals = parakh::appeals::list(&mut ws, Some(item)).unwrap();
    assert_eq!(appeals.len(), 1);
    assert_eq!(
        (appeals[0].reference.as_str(), appeals[0].filed_by.as_str()),
        ("APL-77", "zara")
    );
    assert_eq!(
        queue::record(&mut ws, item).unwrap().item.status,
        Status::Appealed
    );
}

#[test]
fn a_second_lead_approves_an_appeal_outcome_from_the_decision_panel() {
    let (_dir, path) = demo(80);
    let users = ["sana", "farhan", "ayesha", "bilal", "zara"];
    let (item, lead, appeal) = {
        let mut ws = Workspace::open(&path).unwrap();
        let login = |ws: &mut Workspace, n: &str| {
            parakh::auth::login(ws, n, &format!("parakh-{n}")).unwrap()
        };
        let sessions: Vec<_> = users.iter().map(|n| login(&mut ws, n)).collect();
        // A takedown decided by one lead, where the other lead took no part.
        let events = parakh::audit::log(&mut ws, None).unwrap();
        let approvals: Vec<_> = events.iter().filter(|e| e.action == "approve").collect();
        let mut chosen = None;
        for e in approvals {
            let item = e.item.unwrap();
            let rec = queue::record(&mut ws, item).unwrap();
            let d = rec.decisions.last().unwrap();
            let approver = &d.approval.as_ref().unwrap().approver;
            if rec.item.status != Status::Approved
                || d.proposal.outcome != parakh::model::Outcome::Takedown
                || !parakh::appeals::list(&mut ws, Some(item))
                    .unwrap()
                    .is_empty()
            {
                continue;
            }
            let other = ["sana", "farhan"]
                .into_iter()
                .find(|l| l != approver)
                .unwrap();
            if other != d.proposal.proposer {
                let reviewer = ["ayesha", "bilal", "zara"]
                    .into_iter()
                    .find(|r| *r != d.proposal.proposer)
                    .unwrap();
                chosen = Some((item, other, reviewer));
                break;
            }
        }
        let (item, other, reviewer) = chosen.expect("a takedown the other lead took no part in");
        let r = &sessions[users.iter().position(|u| *u == reviewer).unwrap()];
        let appeal =
            parakh::appeals::file(&mut ws, r, item, "counsel", "APL-9", "news outlet").unwrap();
        parakh::appeals::propose(
            &mut ws,
            r,
            appeal,
            parakh::appeals::AppealOutcome::Overturned,
            "reports on the group, does not support it",
        )
        .unwrap();
        (item, other, appeal)
    };
    let mut h = harness(&path);
    sign_in(&mut h, lead, &format!("parakh-{lead}"));
    press(&mut h, Key::Q);
    step_to(&mut h, |r| r.item.id == item);
    settle(&mut h);
    h.get_by_label("Approve: overturned").scroll_to_me();
    settle(&mut h);
    h.get_by_label("Approve: overturned").click();
    settle(&mut h);
    let mut ws = Workspace::open(&path).unwrap();
    let a = &parakh::appeals::list(&mut ws, Some(item)).unwrap()[0];
    assert_eq!(a.id, appeal);
    assert_eq!(a.outcomes[0].state, "approved");
    assert_eq!(a.outcomes[0].approved.as_ref().unwrap().lead, lead);
    let requests = parakh::requests::of_item(&mut ws, item).unwrap();
    assert!(
        requests.iter().any(|(_, kind)| kind == "reinstatement"),
        "{requests:?}"
    );
    // Told in the status bar, and listed in the panel.
    assert!(
        h.query_all_by_label_contains("reinstatement request RIR-")
            .count()
            >= 2
    );
}

#[test]
fn two_leads_close_the_day_with_a_cosigned_checkpoint() {
    let (_dir, path) = demo(5);
    let mut h = harness(&path);
    for (lead, pw) in [("sana", "parakh-sana"), ("farhan", "parakh-farhan")] {
        sign_in(&mut h, lead, pw);
        h.get_by_label("File").click();
        settle(&mut h);
        h.get_by_label("Close of day: sign a checkpoint").click();
        settle(&mut h);
        h.get_by_label("File").click();
        settle(&mut h);
        h.get_by_label("Sign out").click();
        settle(&mut h);
    }
    let mut ws = Workspace::open(&path).unwrap();
    let cp = parakh::checkpoint::newest(&mut ws)
        .unwrap()
        .expect("a checkpoint");
    let signers: Vec<&str> = cp.signatures.iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(signers, ["sana", "farhan"]);
    assert!(
        parakh::audit::verify_with(&mut ws, &[("note".into(), cp)])
            .unwrap()
            .ok()
    );
}
