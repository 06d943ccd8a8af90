//! The workstation for a long day, driven like a person would: no final decision from a
//! stray key, no approval before the evidence was opened, no outcome chosen in advance, a
//! returned item's reason first, the highlighted row always the item shown, and every
//! panel reachable on a small screen.

mod common;

use common::ui::{
    harness_sized, open_every_screenshot, press, press_ctrl, press_ctrl_shift, settle, sign_in,
};
use common::{PW, blocks_png};

use egui::{Event, Key};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use parakh::gui::App;
use parakh::model::{Outcome, Status};
use parakh::{audit, evidence, queue, review};

const RETURN_REASON: &str = "Attach a screenshot that shows the profile header too.";
const EARLIER_RATIONALE: &str = "screenshots show the group's logo soliciting support";

/// A store where `rev` proposed a takedown of item A with two screenshots, item B was
/// returned by `lead` with a reason, and item C is new. Returns the desk and (A, B, C).
fn fixture() -> (common::Desk, [i64; 3]) {
    let mut d = common::desk();
    let ids = d.items(&["alpha_channel", "bravo_channel", "charlie_channel"]);
    let (a, b, c) = (ids[0], ids[1], ids[2]);
    let rev = d.rev.clone();
    review::claim(&mut d.ws, &rev, a).unwrap();
    let shots = [
        d.file("a1.png", &blocks_png(160, 120, 11)),
        d.file("a2.png", &blocks_png(160, 120, 12)),
    ];
    evidence::attach(&mut d.ws, &rev, a, &shots).unwrap();
    review::tag(
        &mut d.ws,
        &rev,
        a,
        &["ttp".into()],
        &["peca-9".into()],
        &[],
        &[],
    )
    .unwrap();
    review::propose(
        &mut d.ws,
        &rev,
        a,
        Outcome::Takedown,
        "logo and a call to join",
    )
    .unwrap();
    d.propose_takedown(&rev, b, 21);
    let lead = d.lead.clone();
    review::return_item(&mut d.ws, &lead, b, RETURN_REASON).unwrap();
    (d, [a, b, c])
}

fn harness(d: &common::Desk, size: (f32, f32)) -> Harness<'static, App> {
    harness_sized(&d.path, None, false, egui::vec2(size.0, size.1))
}

/// A harness of `size` with `who` signed in and `item` selected (J until it shows), opened
/// for review with Enter when `claim`.
fn open_as(
    d: &common::Desk,
    who: &str,
    size: (f32, f32),
    item: i64,
    claim: bool,
) -> Harness<'static, App> {
    let mut h = harness(d, size);
    sign_in(&mut h, who, PW);
    while shown(&h) != Some(item) {
        press(&mut h, Key::J);
    }
    if claim {
        press(&mut h, Key::Enter);
    }
    h
}

/// The refusal the desk shows; fails when it shows none.
fn problem(h: &Harness<'static, App>) -> String {
    h.state()
        .desk()
        .unwrap()
        .problem
        .clone()
        .expect("a problem is shown")
}

fn shown(h: &Harness<'static, App>) -> Option<i64> {
    h.state().desk()?.item.as_ref().map(|v| v.record.item.id)
}

/// Types `text` as keys and text events, as stray typing outside a text box would.
fn type_stray(h: &mut Harness<'static, App>, text: &str) {
    for c in text.chars() {
        if let Some(key) = Key::from_name(&c.to_ascii_uppercase().to_string()) {
            h.key_press(key);
        }
        h.event(Event::Text(c.to_string()));
        h.step();
    }
    settle(h);
}

#[test]
fn stray_letters_never_approve_and_approval_waits_for_every_screenshot() {
    let (mut d, [a, ..]) = fixture();
    let mut h = harness(&d, (1440.0, 900.0));
    sign_in(&mut h, "lead", PW);
    assert_eq!(shown(&h), Some(a), "the inbox opens on the only proposal");

    // One of the two screenshots is drawn: the approve control says why it is unavailable.
    let why = "Open every screenshot before approving: 1 of 2 not opened yet";
    assert!(h.query_by_label_contains(why).is_some());
    let approve = h.get_by_role_and_label(egui::accesskit::Role::Button, "Approve Ctrl+Shift+A");
    assert!(approve.accesskit_node().is_disabled());
    press_ctrl_shift(&mut h, Key::A);
    assert_eq!(
        queue::record(&mut d.ws, a).unwrap().item.status,
        Status::Proposed
    );
    let problem = problem(&h);
    assert!(problem.contains(why), "{problem}");

    // A handle typed while the focus slipped off the search box decides nothing.
    press(&mut h, Key::Escape);
    type_stray(&mut h, "sana raza approved it");
    press(&mut h, Key::Escape);
    press(&mut h, Key::Escape);
    let rec = queue::record(&mut d.ws, a).unwrap();
    assert_eq!(rec.item.status, Status::Proposed, "stray typing decided");
    assert!(rec.decisions[0].approval.is_none() && rec.decisions[0].returned.is_none());

    // Back on the proposal, the second screenshot opened: now Ctrl+Shift+A approves.
    press(&mut h, Key::I);
    assert_eq!(shown(&h), Some(a));
    open_every_screenshot(&mut h);
    assert_eq!(h.state().desk().unwrap().approve_blocker(), None);
    press_ctrl_shift(&mut h, Key::A);
    let rec = queue::record(&mut d.ws, a).unwrap();
    assert_eq!(rec.item.status, Status::Approved);
    assert_eq!(rec.decisions[0].approval.as_ref().unwrap().approver, "lead");

    // The approval's audit event names the screenshots the lead opened.
    let events = audit::log(&mut d.ws, Some(a)).unwrap();
    let approve = events.iter().find(|e| e.action == "approve").unwrap();
    let payload: serde_json::Value = serde_json::from_str(&approve.payload).unwrap();
    let mut opened: Vec<String> = payload["opened_evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let mut all: Vec<String> = rec.evidence.iter().map(|e| e.sha256.clone()).collect();
    opened.sort();
    all.sort();
    assert_eq!(opened, all);
    assert!(audit::verify(&mut d.ws).unwrap().ok());
}

#[test]
fn a_reviewer_pressing_a_is_told_only_a_lead_approves() {
    let (_d, _) = fixture();
    let mut h = harness(&_d, (1440.0, 900.0));
    sign_in(&mut h, "rev", PW);
    press(&mut h, Key::A);
    let problem = problem(&h);
    assert!(problem.contains("Only a lead can approve"), "{problem}");
    assert!(
        h.query_by_label_contains("Only a lead can approve")
            .is_some()
    );
    // The next act clears it.
    press(&mut h, Key::J);
    assert!(h.state().desk().unwrap().problem.is_none());
}

#[test]
fn returning_needs_a_written_reason_and_says_so() {
    let (mut d, [a, ..]) = fixture();
    let mut h = harness(&d, (1440.0, 900.0));
    sign_in(&mut h, "lead", PW);
    press_ctrl(&mut h, Key::R);
    let problem = problem(&h);
    assert!(problem.contains("write the reason"), "{problem}");
    assert_eq!(
        queue::record(&mut d.ws, a).unwrap().item.status,
        Status::Proposed
    );
    press(&mut h, Key::R);
    h.get_by_label("Reason for returning (required)")
        .type_text("Blurred; attach the original.");
    settle(&mut h);
    press_ctrl(&mut h, Key::R);
    assert_eq!(
        queue::record(&mut d.ws, a).unwrap().item.status,
        Status::Returned
    );
}

#[test]
fn no_outcome_is_chosen_until_the_reviewer_chooses() {
    let (mut d, [_, _, c]) = fixture();
    let mut h = open_as(&d, "rev", (1440.0, 900.0), c, true);
    assert_eq!(h.state().desk().unwrap().form.outcome, None);
    for label in [
        "Takedown (T)",
        "No violation (N)",
        "Insufficient evidence (E)",
    ] {
        let radio = h.get_by_label(label);
        assert_ne!(
            radio.accesskit_node().toggled(),
            Some(egui::accesskit::Toggled::True),
            "{label} is chosen in advance"
        );
    }
    press(&mut h, Key::W);
    h.get_by_label("Rationale (W)")
        .type_text("A news channel reporting on the group.");
    settle(&mut h);
    press(&mut h, Key::Escape);
    press_ctrl(&mut h, Key::Enter);
    let problem = problem(&h);
    assert!(problem.contains("choose an outcome"), "{problem}");
    assert_eq!(
        queue::record(&mut d.ws, c).unwrap().item.status,
        Status::InReview
    );
    press(&mut h, Key::N);
    press_ctrl(&mut h, Key::Enter);
    assert_eq!(
        queue::record(&mut d.ws, c).unwrap().item.status,
        Status::Proposed
    );
}

#[test]
fn a_returned_item_shows_the_reason_first_and_the_earlier_rationale_to_revise() {
    let (d, [_, b, _]) = fixture();
    let h = open_as(&d, "rev", (1440.0, 900.0), b, true);
    // The reason stands at the top of the decision panel (and again in the history).
    let reason = h
        .query_all_by_label(RETURN_REASON)
        .map(|n| n.rect())
        .min_by(|a, b| a.top().total_cmp(&b.top()))
        .expect("the lead's reason is shown");
    let groups = h.get_by_label("Group affiliation").rect();
    assert!(
        reason.top() < groups.top(),
        "the reason stands above the tags"
    );
    assert!(h.query_by_label("Returned for another look").is_some());
    let form = &h.state().desk().unwrap().form;
    assert_eq!(form.rationale, EARLIER_RATIONALE);
    assert_eq!(form.outcome, None);
}

#[test]
fn the_highlighted_row_is_the_item_shown_after_sort_search_and_fast_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    parakh::demo::create(&path, 60).unwrap();
    let mut h = harness_sized(&path, None, false, egui::vec2(1440.0, 900.0));
    sign_in(&mut h, "ayesha", "parakh-ayesha");
    let agree = |h: &Harness<'static, App>, what: &str| {
        let desk = h.state().desk().unwrap();
        let row = desk
            .queue
            .selected
            .map(|i| desk.queue.row(i).unwrap().item.id);
        assert_eq!(row, shown(h), "{what}: highlighted row and item disagree");
        row
    };
    // Move down, then sort: the new order starts at its top, and shows that row.
    for _ in 0..5 {
        press(&mut h, Key::J);
    }
    h.get_by_label("Handle").click();
    settle(&mut h);
    assert_eq!(
        h.state().desk().unwrap().queue.selected,
        Some(0),
        "a sort starts at the top"
    );
    agree(&h, "sort");
    // Search: the first result is highlighted and shown.
    press(&mut h, Key::J);
    press(&mut h, Key::Slash);
    h.get_by_label("Search").type_text("channel");
    settle(&mut h);
    assert_eq!(
        h.state().desk().unwrap().queue.selected,
        Some(0),
        "a search starts at the top"
    );
    agree(&h, "search");
    assert!(h.query_by_label("Why it matched").is_some());
    h.get_by_label("Clear").click();
    settle(&mut h);
    press(&mut h, Key::Escape);
    agree(&h, "cleared search");
    // Ten J presses in one frame move ten rows.
    for _ in 0..10 {
        h.key_press(Key::J);
    }
    settle(&mut h);
    assert_eq!(h.state().desk().unwrap().queue.selected, Some(10));
    agree(&h, "fast keys");
}

#[test]
fn every_panel_is_reachable_at_1024_by_640() {
    let (_d, [a, ..]) = fixture();
    let mut h = harness(&_d, (1024.0, 640.0));
    sign_in(&mut h, "lead", PW);
    assert_eq!(shown(&h), Some(a));
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1024.0, 640.0));
    // The list, the item with its evidence, and the decision, side by side on screen.
    let list = h.get_by_label_contains("Approvals inbox").rect();
    let evidence = h.get_by_label("Fit (0)").rect();
    let decision = h.get_by_label("Proposed decision").rect();
    for (what, r) in [
        ("list", list),
        ("evidence", evidence),
        ("decision", decision),
    ] {
        assert!(
            screen.contains_rect(r),
            "{what} at {r:?} is off the 1024×640 screen"
        );
    }
    assert!(list.right() <= evidence.left() && evidence.right() <= decision.left());
    // The evidence column keeps room for a screenshot.
    let viewer_width = decision.left() - list.right();
    assert!(
        viewer_width >= 330.0,
        "evidence column only {viewer_width} wide"
    );
    // The large view gives the screenshot the whole window, and F comes back.
    press(&mut h, Key::F);
    assert!(h.state().desk().unwrap().large_view);
    assert!(h.query_by_label("Proposed decision").is_none());
    press(&mut h, Key::F);
    assert!(h.query_by_label("Proposed decision").is_some());
}

#[test]
fn the_taxonomy_pickers_stay_inside_the_decision_column() {
    // An untagged item lists every group and ground; long names are cut, never widening
    // the column over the evidence.
    let (d, [_, _, c]) = fixture();
    let mut h = open_as(&d, "rev", (1024.0, 640.0), c, true);
    // The lists fold until asked for: G shows the groups.
    assert!(
        h.query_by_label_contains("Balochistan Liberation")
            .is_none()
    );
    press(&mut h, Key::G);
    let heading = h.get_by_label("Group affiliation").rect();
    let fit = h.query_by_label("Fit (0)").map(|n| n.rect());
    let rows: Vec<egui::Rect> = h
        .query_all_by_label_contains("Balochistan Liberation")
        .map(|n| n.rect())
        .collect();
    assert!(!rows.is_empty(), "the group list is shown");
    for row in rows {
        assert!(
            row.right() <= 1024.0,
            "a group row runs off the screen: {row:?}"
        );
        assert!(row.left() >= heading.left() - 1.0);
    }
    // Unverified entries carry a mark beside their name; it stays on screen too.
    press(&mut h, Key::Escape);
    press(&mut h, Key::L);
    let marks: Vec<egui::Rect> = h
        .query_all_by_label("unverified")
        .map(|n| n.rect())
        .collect();
    assert!(!marks.is_empty());
    for m in marks {
        assert!(
            m.right() <= 1024.0,
            "an 'unverified' mark runs off the screen: {m:?}"
        );
    }
    if let Some(fit) = fit {
        assert!(
            fit.right() <= heading.left(),
            "the item view overlaps the decision column"
        );
    }
    // The item without evidence still says where screenshots go, inside its column.
    let list_right = h.get_by_label("Search").rect().right();
    assert!(list_right < heading.left());
}

#[test]
fn an_item_with_a_final_decision_shows_its_summary_first() {
    let (mut d, [a, ..]) = fixture();
    let lead = d.lead.clone();
    review::approve(&mut d.ws, &lead, a, None).unwrap();
    let h = open_as(&d, "rev2", (1440.0, 900.0), a, false);
    let summary = h.get_by_label("Final decision: takedown").rect();
    let groups = h.get_by_label("Group affiliation").rect();
    assert!(summary.top() < groups.top());
    assert!(h.query_by_label_contains("approved by lead, ").is_some());
    assert!(h.query_by_label_contains("proposed by rev, ").is_some());
    assert!(h.query_by_label_contains("grounds: ").is_some());
}

#[test]
fn an_urdu_rationale_is_written_in_a_box_that_reads_right_to_left() {
    let (mut d, [_, _, c]) = fixture();
    let mut h = open_as(&d, "rev", (1440.0, 900.0), c, true);
    press(&mut h, Key::W);
    let typed = "اس چینل کا نمبر 0300-1234567 ہے";
    for ch in typed.chars() {
        h.get_by_label("Rationale (W)").type_text(&ch.to_string());
        h.step();
    }
    settle(&mut h);
    let value = |h: &Harness<'static, App>| h.get_by_label("Rationale (W)").value();
    assert_eq!(value(&h).as_deref(), Some(typed));
    // A keyboard sends keys beside the text: inside the box they are letters, not choices.
    for key in [Key::T, Key::N, Key::E] {
        press(&mut h, key);
    }
    assert_eq!(
        h.state().desk().unwrap().form.outcome,
        None,
        "no outcome chosen while typing"
    );
    // No "Reads as:" line: the box itself reads right.
    assert!(h.query_by_label_contains("Reads as").is_none());
    // Home goes to the right edge, where Urdu starts: what is typed there comes first.
    press(&mut h, Key::Home);
    h.get_by_label("Rationale (W)").type_text("ثبوت ");
    settle(&mut h);
    let with_prefix = format!("ثبوت {typed}");
    assert_eq!(value(&h).as_deref(), Some(with_prefix.as_str()));
    // Ctrl+Z takes the word back; Ctrl+Y puts it again.
    press_ctrl(&mut h, Key::Z);
    assert_eq!(value(&h).as_deref(), Some(typed));
    press_ctrl(&mut h, Key::Y);
    assert_eq!(value(&h).as_deref(), Some(with_prefix.as_str()));
    // Shift+End selects to the line's left edge (the box wraps in the decision column);
    // Ctrl+Shift+End to the end of the text, and a paste replaces the selection.
    press(&mut h, Key::Home);
    h.key_press_modifiers(egui::Modifiers::SHIFT, Key::End);
    settle(&mut h);
    let first_line = h.state().desk().unwrap().form.rationale.clone();
    assert_eq!(first_line, with_prefix, "selecting changes nothing");
    h.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, Key::End);
    h.event(Event::Paste("نیا متن".into()));
    settle(&mut h);
    assert_eq!(value(&h).as_deref(), Some("نیا متن"));
    // Escape leaves the box, like egui's own; the letters then work as keys again.
    press(&mut h, Key::Escape);
    press(&mut h, Key::N);
    press_ctrl(&mut h, Key::Enter);
    let item = queue::record(&mut d.ws, c).unwrap();
    assert_eq!(item.item.status, Status::Proposed);
    assert_eq!(
        item.decisions.last().map(|x| x.proposal.rationale.as_str()),
        Some("نیا متن")
    );
}
