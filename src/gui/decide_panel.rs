//! The right panel: group and legal-ground tags, the decision with its requirements and
//! packet summary, the lead's approve / return, and the item's history.

use super::backend::ClaimState;
use super::bidi_label::BidiLabel;
use super::desk::{Action, Desk, Focus};
use super::text_box::TextBox;
use super::theme;
use crate::model::TagRow;
use crate::model::packet::Packet;
use crate::model::{Outcome, Role, Status};

/// Draws the panel.
pub fn show(ui: &mut egui::Ui, desk: &mut Desk, actions: &mut Vec<Action>) {
    let Some(view) = desk.item.clone() else {
        ui.label(egui::RichText::new("No item open.").color(theme::MUTED));
        return;
    };
    let mut scroll = egui::ScrollArea::vertical()
        .id_salt("decide")
        .auto_shrink([false, false]);
    if std::mem::take(&mut desk.new_item) {
        // Each new item starts at the top of the panel.
        scroll = scroll.vertical_scroll_offset(0.0);
    }
    scroll.show(ui, |ui| {
        let editable = matches!(view.claim, ClaimState::Mine(_));
        let tags = &view.record.tags;
        returned_reason(ui, desk, &view);
        final_summary(ui, desk, &view);
        if view.record.item.status == Status::Proposed {
            review_section(ui, desk, &view, actions);
            ui.separator();
        }
        // A final decision: its requests and appeals come first.
        let settled = matches!(view.record.item.status, Status::Approved | Status::Appealed);
        if settled {
            super::appeal_panel::show(ui, desk, &view, actions);
            ui.separator();
        }
        ui.heading("Group affiliation");
        tag_chips(ui, tags, "group", editable, actions);
        groups(ui, desk, tags, editable, actions);
        ui.separator();
        ui.heading("Legal grounds");
        tag_chips(ui, tags, "ground", editable, actions);
        grounds(ui, desk, tags, editable, actions);
        ui.separator();
        if editable || matches!(view.record.item.status, Status::New | Status::Returned) {
            decision(ui, desk, &view, editable, actions);
            ui.separator();
        }
        if !settled {
            super::appeal_panel::show(ui, desk, &view, actions);
        }
        history(ui, &view, desk.settings.utc_offset_minutes);
    });
}

fn tag_chips(
    ui: &mut egui::Ui,
    tags: &[TagRow],
    kind: &str,
    editable: bool,
    actions: &mut Vec<Action>,
) {
    ui.horizontal_wrapped(|ui| {
        let mine: Vec<&TagRow> = tags.iter().filter(|t| t.kind == kind).collect();
        if mine.is_empty() {
            ui.label(egui::RichText::new("none").color(theme::MUTED));
        }
        for t in mine {
            let text = format!(
                "{} · v{}{}",
                t.label,
                t.taxonomy_version,
                if t.verified { "" } else { " · unverified" }
            );
            let resp = ui
                .add_enabled(editable, egui::Button::new(format!("{text}  ✖")).small())
                .on_hover_text(&t.title);
            if resp.clicked() {
                let id = &t.id;
                actions.push(tag_action(kind, id, false));
            }
        }
    });
}

fn matches(query: &str, fields: &[&str]) -> bool {
    let q = query.trim().to_lowercase();
    q.is_empty() || fields.iter().any(|f| f.to_lowercase().contains(&q))
}

fn groups(
    ui: &mut egui::Ui,
    desk: &mut Desk,
    tags: &[TagRow],
    editable: bool,
    actions: &mut Vec<Action>,
) {
    let label = ui.label("Find a group (G)");
    let edit = ui
        .add(
            egui::TextEdit::singleline(&mut desk.form.group_query)
                .hint_text("name, short name or alias")
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    if desk.focus == Some(Focus::Groups) {
        edit.request_focus();
        desk.focus = None;
    }
    let query = desk.form.group_query.clone();
    let hits: Vec<_> = desk
        .taxonomy
        .groups
        .iter()
        .filter(|g| {
            let mut fields = vec![g.id.as_str(), g.short.as_str(), g.name.as_str()];
            fields.extend(g.aliases.iter().map(String::as_str));
            matches(&query, &fields)
        })
        .collect();
    if !picker_open(ui, &edit, &query, "groups") {
        return;
    }
    picker_list(ui, "groups", hits.len(), |ui, n| {
        let g = hits[n];
        let tagged = tags.iter().any(|t| t.kind == "group" && t.id == g.id);
        let enter = n == 0 && edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let (resp, clicked) = toggle(ui, editable, tagged, g.short.clone(), enter);
        let mut detail = g.name.clone();
        if let Some(d) = &g.proscribed {
            detail.push_str(&format!(" · proscribed {d}"));
        }
        // The name last: cut with "…", it takes what the row has left.
        if !g.verified {
            ui.label(egui::RichText::new("unverified").color(theme::WARN).small());
        }
        ui.add(egui::Label::new(&g.name).truncate());
        resp.on_hover_ui(|ui| {
            ui.label(detail);
            if !g.aliases.is_empty() {
                ui.label("Also known as");
                for a in &g.aliases {
                    ui.add(BidiLabel::new(a));
                }
            }
        });
        if clicked {
            actions.push(tag_action("group", &g.id, !tagged));
        }
    });
}

/// Whether a taxonomy picker's list shows: while its box has the focus (G, L or a click)
/// or holds a search, or while the pointer is over the list. Folded otherwise, so the
/// decision and the history stay on screen.
fn picker_open(ui: &egui::Ui, edit: &egui::Response, query: &str, id: &str) -> bool {
    let hovered_id = ui.make_persistent_id(("picker-hovered", id));
    let hovered = ui.data(|d| d.get_temp::<bool>(hovered_id).unwrap_or(false));
    edit.has_focus() || !query.trim().is_empty() || hovered
}

/// A picker's matches, one compact row each, about eight rows tall.
fn picker_list(ui: &mut egui::Ui, id: &str, n: usize, mut row: impl FnMut(&mut egui::Ui, usize)) {
    let rows = egui::ScrollArea::vertical()
        .id_salt(id)
        .max_height(8.0 * 24.0)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            ui.spacing_mut().item_spacing.y = 2.0;
            ui.spacing_mut().button_padding.y = 1.0;
            for i in 0..n {
                ui.horizontal(|ui| row(ui, i));
            }
        });
    let hovered = ui.rect_contains_pointer(rows.inner_rect);
    let hovered_id = ui.make_persistent_id(("picker-hovered", id));
    ui.data_mut(|d| d.insert_temp(hovered_id, hovered));
}

fn grounds(
    ui: &mut egui::Ui,
    desk: &mut Desk,
    tags: &[TagRow],
    editable: bool,
    actions: &mut Vec<Action>,
) {
    let label = ui.label("Find a legal ground (L)");
    let edit = ui
        .add(
            egui::TextEdit::singleline(&mut desk.form.ground_query)
                .hint_text("statute, section or title")
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    if desk.focus == Some(Focus::Grounds) {
        edit.request_focus();
        desk.focus = None;
    }
    let query = desk.form.ground_query.clone();
    let hits: Vec<_> = desk
        .taxonomy
        .grounds
        .iter()
        .filter(|g| matches(&query, &[&g.id, &g.statute, &g.section, &g.title]))
        .collect();
    if !picker_open(ui, &edit, &query, "grounds") {
        return;
    }
    picker_list(ui, "grounds", hits.len(), |ui, n| {
        let g = hits[n];
        let tagged = tags.iter().any(|t| t.kind == "ground" && t.id == g.id);
        let enter = n == 0 && edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let (resp, clicked) = toggle(ui, editable, tagged, g.cited_section(), enter);
        if !g.verified {
            ui.label(egui::RichText::new("unverified").color(theme::WARN).small());
        }
        ui.add(egui::Label::new(&g.title).truncate());
        let detail = match &g.summary {
            Some(sm) => format!("{} — {}\n{sm}", g.statute, g.title),
            None => format!("{} — {}", g.statute, g.title),
        };
        resp.on_hover_text(detail);
        if clicked {
            actions.push(tag_action("ground", &g.id, !tagged));
        }
    });
}

fn decision(
    ui: &mut egui::Ui,
    desk: &mut Desk,
    view: &super::backend::ItemView,
    editable: bool,
    actions: &mut Vec<Action>,
) {
    ui.heading("Decision");
    if !editable {
        ui.label(
            egui::RichText::new("Open the item for review (Enter) to decide.").color(theme::MUTED),
        );
    }
    ui.add_enabled_ui(editable, |ui| {
        ui.horizontal_wrapped(|ui| {
            let outcome = &mut desk.form.outcome;
            ui.radio_value(outcome, Some(Outcome::Takedown), "Takedown (T)");
            ui.radio_value(outcome, Some(Outcome::NoViolation), "No violation (N)");
            ui.radio_value(
                outcome,
                Some(Outcome::InsufficientEvidence),
                "Insufficient evidence (E)",
            );
        });
        let label = ui.label("Rationale (W)");
        let edit = ui
            .add(
                TextBox::multiline(&mut desk.form.rationale)
                    .id_salt("rationale")
                    .desired_rows(3)
                    .desired_width(f32::INFINITY)
                    .hint_text("what the evidence shows and why the grounds apply"),
            )
            .labelled_by(label.id);
        if desk.focus == Some(Focus::Rationale) {
            edit.request_focus();
            desk.focus = None;
        }
        if edit.changed() {
            desk.problem = None; // what it said may no longer hold
        }
    });
    let evidence = view.record.evidence.len();
    let grounds = view
        .record
        .tags
        .iter()
        .filter(|t| t.kind == "ground")
        .count();
    let mut needs: Vec<(&str, bool)> =
        vec![("an outcome (T, N or E)", desk.form.outcome.is_some())];
    // Until an outcome is chosen, the needs every outcome shares.
    let outcome = desk.form.outcome.unwrap_or(Outcome::NoViolation);
    needs.extend(Packet::requirements(
        outcome,
        evidence,
        grounds,
        &desk.form.rationale,
    ));
    for (what, ok) in needs {
        let (mark, colour) = if ok {
            ("✔", theme::OK)
        } else {
            ("✖", theme::WARN)
        };
        ui.colored_label(colour, format!("{mark} {what}"));
    }
    egui::CollapsingHeader::new("Packet to be sealed")
        .default_open(true)
        .show(ui, |ui| {
            let tags = |kind: &str| -> String {
                let v: Vec<String> = view
                    .record
                    .tags
                    .iter()
                    .filter(|t| t.kind == kind)
                    .map(|t| format!("{} (taxonomy v{})", t.label, t.taxonomy_version))
                    .collect();
                if v.is_empty() {
                    "—".into()
                } else {
                    v.join(", ")
                }
            };
            let row = |ui: &mut egui::Ui, k: &str, v: String| {
                ui.horizontal_wrapped(|ui| {
                    ui.label(egui::RichText::new(k).color(theme::MUTED));
                    ui.add(egui::Label::new(v).wrap());
                });
            };
            let outcome = desk
                .form
                .outcome
                .map_or("— (not chosen yet)", |o| o.as_str());
            row(ui, "outcome", outcome.to_string());
            row(ui, "groups", tags("group"));
            row(ui, "grounds", tags("ground"));
            let hashes: Vec<&str> = view
                .record
                .evidence
                .iter()
                .map(|e| &e.sha256[..10])
                .collect();
            row(
                ui,
                "evidence",
                format!("{evidence} file(s) {}", hashes.join(" ")),
            );
            row(ui, "proposer", desk.session.name.clone());
        });
    let can = desk.submit_blocker().is_none();
    let button = ui.add_enabled(
        can,
        egui::Button::new(egui::RichText::new("Submit & next").strong())
            .shortcut_text("Ctrl+Enter")
            .min_size(egui::vec2(180.0, 30.0)),
    );
    if button.clicked() {
        actions.push(Action::SubmitAndNext);
    }
    if desk.submitting {
        ui.spinner();
    }
}

fn review_section(
    ui: &mut egui::Ui,
    desk: &mut Desk,
    view: &super::backend::ItemView,
    actions: &mut Vec<Action>,
) {
    let Some(p) = view.record.pending() else {
        return;
    };
    ui.heading("Proposed decision");
    let zone = desk.settings.utc_offset_minutes;
    ui.label(egui::RichText::new(format!("{} proposed by {}", p.outcome, p.proposer)).strong());
    super::time::label(ui, "", p.proposed_at, zone);
    ui.add(BidiLabel::new(&p.rationale));
    // A packet hash is one long word: it wraps inside the panel instead of widening it.
    ui.add(
        egui::Label::new(
            egui::RichText::new(format!("packet {}", p.packet_hash))
                .monospace()
                .size(11.0),
        )
        .wrap_mode(egui::TextWrapMode::Wrap),
    );
    egui::CollapsingHeader::new("Sealed packet")
        .default_open(false)
        .show(ui, |ui| {
            let pretty = serde_json::from_str::<serde_json::Value>(&p.packet)
                .and_then(|v| serde_json::to_string_pretty(&v))
                .unwrap_or_else(|_| p.packet.clone());
            let mono = egui::FontId::monospace(11.0);
            // One line per line of the packet; hashes and URLs do not break, so the packet
            // scrolls sideways inside the panel instead of being cut off.
            egui::ScrollArea::horizontal()
                .id_salt("sealed-packet")
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    for line in pretty.lines() {
                        ui.add(BidiLabel::new(line).font(mono.clone()).single_line());
                    }
                });
        });
    if desk.session.role != Role::Lead {
        ui.label(egui::RichText::new("Waiting for a lead's approval.").color(theme::MUTED));
        return;
    }
    if let Err(why) = crate::review::may_decide(&desk.session, p, "approve") {
        ui.colored_label(theme::WARN, why);
        return;
    }
    let blocked = desk.approve_blocker();
    ui.horizontal(|ui| {
        let approve = ui
            .add_enabled(
                blocked.is_none(),
                egui::Button::new(egui::RichText::new("Approve").strong())
                    .shortcut_text("Ctrl+Shift+A"),
            )
            .on_disabled_hover_text(blocked.clone().unwrap_or_default());
        if approve.clicked() {
            actions.push(Action::Approve);
        }
        if ui
            .add_enabled(
                !desk.submitting,
                egui::Button::new("Return…").shortcut_text("R"),
            )
            .clicked()
        {
            actions.push(Action::StartReturn);
        }
    });
    if let Some(why) = &blocked {
        ui.add(egui::Label::new(egui::RichText::new(why).color(theme::MUTED)).wrap());
    }
    if desk.form.returning {
        let label = ui.label("Reason for returning (required)");
        let edit = ui
            .add(
                TextBox::multiline(&mut desk.form.return_reason)
                    .id_salt("return_reason")
                    .desired_rows(2)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        if desk.focus == Some(Focus::ReturnReason) {
            edit.request_focus();
            desk.focus = None;
        }
        if edit.changed() {
            desk.problem = None;
        }
        let ok = !desk.form.return_reason.trim().is_empty();
        if !ok {
            ui.colored_label(theme::WARN, "✖ a reason");
        }
        ui.horizontal(|ui| {
            let send = ui
                .add_enabled(
                    ok && !desk.submitting,
                    egui::Button::new("Return to review").shortcut_text("Ctrl+R"),
                )
                .clicked();
            if send {
                actions.push(Action::ConfirmReturn);
            }
            if ui.button("Cancel").clicked() {
                desk.form.returning = false;
            }
        });
    }
}

/// On a returned item, the lead's reason comes first: it is what the reviewer must act on.
fn returned_reason(ui: &mut egui::Ui, desk: &Desk, view: &super::backend::ItemView) {
    // Returned, whether or not someone holds it now (a claimed item reads "in review").
    if !matches!(view.record.item.status, Status::Returned | Status::InReview) {
        return;
    }
    let Some((d, r)) = view
        .record
        .decisions
        .last()
        .and_then(|d| d.returned.as_ref().map(|r| (d, r)))
    else {
        return;
    };
    warn_frame(ui, |ui| {
        ui.label(egui::RichText::new("Returned for another look").strong());
        let zone = desk.settings.utc_offset_minutes;
        super::time::label(
            ui,
            &format!(
                "{} returned the {} proposal by {}, ",
                r.lead, d.proposal.outcome, d.proposal.proposer
            ),
            r.returned_at,
            zone,
        );
        ui.add(BidiLabel::new(&r.reason));
        ui.label(
            egui::RichText::new("The earlier rationale is filled in below to revise; its groups and grounds are still tagged.")
                .color(theme::MUTED)
                .small(),
        );
    });
    ui.add_space(4.0);
}

/// An item with a final decision: what was decided, by whom, when and on which grounds.
fn final_summary(ui: &mut egui::Ui, desk: &Desk, view: &super::backend::ItemView) {
    let Some((d, a)) = view
        .record
        .decisions
        .iter()
        .rev()
        .find_map(|d| d.approval.as_ref().map(|a| (d, a)))
    else {
        return;
    };
    let zone = desk.settings.utc_offset_minutes;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(egui::RichText::new(format!("Final decision: {}", d.proposal.outcome)).strong());
        super::time::label(
            ui,
            &format!("proposed by {}, ", d.proposal.proposer),
            d.proposal.proposed_at,
            zone,
        );
        super::time::label(
            ui,
            &format!("approved by {}, ", a.approver),
            a.approved_at,
            zone,
        );
        let grounds: Vec<String> = match serde_json::from_str::<Packet>(&d.proposal.packet) {
            Ok(p) => p.grounds.iter().map(|g| g.label.clone()).collect(),
            Err(_) => Vec::new(),
        };
        if !grounds.is_empty() {
            ui.add(egui::Label::new(format!("grounds: {}", grounds.join("; "))).wrap());
        }
    });
    ui.add_space(4.0);
}

fn warn_frame(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui)) {
    egui::Frame::group(ui.style())
        .stroke(egui::Stroke::new(1.5, theme::WARN))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            add(ui);
        });
}

fn history(ui: &mut egui::Ui, view: &super::backend::ItemView, zone: i32) {
    egui::CollapsingHeader::new(format!(
        "History · {}",
        super::desk::plural(view.events.len(), "event", "events")
    ))
    .default_open(true)
    .show(ui, |ui| {
        for e in view.events.iter().rev() {
            let p: serde_json::Value = serde_json::from_str(&e.payload).unwrap_or_default();
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    egui::RichText::new(super::time::local(e.at, zone))
                        .color(theme::MUTED)
                        .small(),
                )
                .on_hover_text(format!("{} (UTC)", e.at));
                ui.label(egui::RichText::new(&e.actor).strong());
                ui.label(&e.action);
                if let Some(h) = p["packet_hash"].as_str() {
                    ui.monospace(egui::RichText::new(&h[..16]).size(11.0))
                        .on_hover_text(h);
                }
                if let Some(o) = p["outcome"].as_str() {
                    ui.label(o);
                }
                if let Some(fp) = view.signed.get(&e.seq) {
                    let short: String = fp.chars().take(4).collect();
                    ui.add(
                        egui::Label::new(
                            egui::RichText::new(format!("key {short}…"))
                                .color(theme::MUTED)
                                .small(),
                        )
                        .extend(),
                    )
                    .on_hover_text(format!(
                        "signed by {} with key {fp}; `parakh user list` prints everyone's",
                        e.actor
                    ));
                }
            });
            if let Some(r) = p["reason"].as_str() {
                ui.add(BidiLabel::new(r).color(theme::MUTED));
            }
        }
    });
}

/// The action that adds (`add`) or removes one group or legal ground.
fn tag_action(kind: &str, id: &str, add: bool) -> Action {
    let one = vec![id.to_string()];
    let (mut add_groups, mut add_grounds, mut remove_groups, mut remove_grounds) =
        (vec![], vec![], vec![], vec![]);
    match (kind == "group", add) {
        (true, true) => add_groups = one,
        (true, false) => remove_groups = one,
        (false, true) => add_grounds = one,
        (false, false) => remove_grounds = one,
    }
    Action::Tag {
        add_groups,
        add_grounds,
        remove_groups,
        remove_grounds,
    }
}

/// A taxonomy entry's toggle button, ticked when the item carries the entry. `enter` (Enter
/// pressed in the search box, for the first match) activates it like a click.
fn toggle(
    ui: &mut egui::Ui,
    editable: bool,
    tagged: bool,
    label: String,
    enter: bool,
) -> (egui::Response, bool) {
    let mark = if tagged { "☑" } else { "☐" };
    let button = egui::Button::new(format!("{mark} {label}")).min_size(egui::vec2(86.0, 0.0));
    let resp = ui.add_enabled(editable, button);
    let clicked = resp.clicked() || (editable && enter);
    (resp, clicked)
}
