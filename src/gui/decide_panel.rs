//! The right panel: group and legal-ground tags, the decision with its requirements and
//! packet summary, the lead's approve / return, and the item's history.

use super::backend::ClaimState;
use super::bidi_label::BidiLabel;
use super::desk::{Action, Desk, Focus};
use super::theme;
use crate::model::packet::Packet;
use crate::model::{Outcome, ProposalState, Role, Status};
use crate::store::TagRow;

/// Draws the panel.
pub fn show(ui: &mut egui::Ui, desk: &mut Desk, actions: &mut Vec<Action>) {
    let Some(view) = desk.item.clone() else {
        ui.label(egui::RichText::new("No item open.").color(theme::MUTED));
        return;
    };
    egui::ScrollArea::vertical()
        .id_salt("decide")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let editable = matches!(view.claim, ClaimState::Mine(_));
            let tags = &view.record.tags;
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
            history(ui, &view);
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
    egui::ScrollArea::vertical()
        .id_salt("groups")
        .max_height(150.0)
        .show(ui, |ui| {
            for (n, g) in hits.iter().enumerate() {
                let tagged = tags.iter().any(|t| t.kind == "group" && t.id == g.id);
                ui.horizontal(|ui| {
                    let enter = n == 0
                        && edit.lost_focus()
                        && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    let (resp, clicked) = toggle(ui, editable, tagged, g.short.clone(), enter);
                    ui.vertical(|ui| {
                        ui.add(egui::Label::new(&g.name).wrap());
                        ui.horizontal_wrapped(|ui| {
                            if let Some(d) = &g.proscribed {
                                let text = format!("proscribed {d}");
                                ui.label(egui::RichText::new(text).color(theme::MUTED).small());
                            }
                            if !g.verified {
                                ui.label(
                                    egui::RichText::new("unverified").color(theme::WARN).small(),
                                );
                            }
                        });
                    });
                    if !g.aliases.is_empty() {
                        resp.on_hover_ui(|ui| {
                            ui.label("Also known as");
                            for a in &g.aliases {
                                ui.add(BidiLabel::new(a));
                            }
                        });
                    }
                    if clicked {
                        let id = &g.id;
                        actions.push(tag_action("group", id, !tagged));
                    }
                });
            }
        });
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
    egui::ScrollArea::vertical()
        .id_salt("grounds")
        .max_height(170.0)
        .show(ui, |ui| {
            for (n, g) in hits.iter().enumerate() {
                let tagged = tags.iter().any(|t| t.kind == "ground" && t.id == g.id);
                ui.horizontal(|ui| {
                    let enter = n == 0
                        && edit.lost_focus()
                        && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    let (resp, clicked) = toggle(ui, editable, tagged, g.cited_section(), enter);
                    ui.vertical(|ui| {
                        ui.add(egui::Label::new(&g.title).wrap());
                        ui.horizontal_wrapped(|ui| {
                            ui.label(egui::RichText::new(&g.statute).color(theme::MUTED).small());
                            if !g.verified {
                                ui.label(
                                    egui::RichText::new("unverified").color(theme::WARN).small(),
                                );
                            }
                        });
                    });
                    if let Some(s) = &g.summary {
                        resp.on_hover_text(s);
                    }
                    if clicked {
                        let id = &g.id;
                        actions.push(tag_action("ground", id, !tagged));
                    }
                });
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
        ui.horizontal(|ui| {
            ui.radio_value(&mut desk.form.outcome, Outcome::Takedown, "Takedown (T)");
            ui.radio_value(
                &mut desk.form.outcome,
                Outcome::NoViolation,
                "No violation (N)",
            );
        });
        ui.radio_value(
            &mut desk.form.outcome,
            Outcome::InsufficientEvidence,
            "Insufficient evidence (E)",
        );
        let label = ui.label("Rationale (W)");
        let edit = ui
            .add(
                egui::TextEdit::multiline(&mut desk.form.rationale)
                    .desired_rows(3)
                    .desired_width(f32::INFINITY)
                    .hint_text("what the evidence shows and why the grounds apply"),
            )
            .labelled_by(label.id);
        if desk.focus == Some(Focus::Rationale) {
            edit.request_focus();
            desk.focus = None;
        }
        reads_as(ui, &desk.form.rationale);
    });
    let evidence = view.record.evidence.len();
    let grounds = view
        .record
        .tags
        .iter()
        .filter(|t| t.kind == "ground")
        .count();
    let missing = Packet::missing(desk.form.outcome, evidence, grounds, &desk.form.rationale);
    let needs: Vec<(&str, bool)> = match desk.form.outcome {
        Outcome::Takedown => vec![
            ("at least one piece of evidence", evidence > 0),
            ("at least one legal ground", grounds > 0),
            ("a rationale", !desk.form.rationale.trim().is_empty()),
        ],
        _ => vec![("a rationale", !desk.form.rationale.trim().is_empty())],
    };
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
                    .map(|t| format!("{}@v{}", t.id, t.taxonomy_version))
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
            row(ui, "outcome", desk.form.outcome.as_str().to_string());
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
    let can = editable && missing.is_empty() && !desk.submitting;
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
    let Some(d) = view
        .record
        .decisions
        .iter()
        .rev()
        .find(|d| d.proposal.state == ProposalState::Pending)
    else {
        return;
    };
    let p = &d.proposal;
    ui.heading("Proposed decision");
    ui.label(format!(
        "{} proposed by {} at {}",
        p.outcome,
        p.proposer,
        &p.proposed_at[..16]
    ));
    ui.add(BidiLabel::new(&p.rationale));
    ui.horizontal(|ui| {
        ui.label("packet");
        ui.monospace(egui::RichText::new(&p.packet_hash).size(11.0));
    });
    egui::CollapsingHeader::new("Sealed packet")
        .default_open(false)
        .show(ui, |ui| {
            let pretty = serde_json::from_str::<serde_json::Value>(&p.packet)
                .and_then(|v| serde_json::to_string_pretty(&v))
                .unwrap_or_else(|_| p.packet.clone());
            let mono = egui::FontId::monospace(11.0);
            for line in pretty.lines() {
                ui.add(BidiLabel::new(line).font(mono.clone()));
            }
        });
    if desk.session.role != Role::Lead {
        ui.label(egui::RichText::new("Waiting for a lead's approval.").color(theme::MUTED));
        return;
    }
    if let Err(why) = crate::review::may_approve(&desk.session, p) {
        ui.colored_label(theme::WARN, why);
        return;
    }
    ui.horizontal(|ui| {
        if ui
            .add_enabled(
                !desk.submitting,
                egui::Button::new(egui::RichText::new("Approve").strong()).shortcut_text("A"),
            )
            .clicked()
        {
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
    if desk.form.returning {
        let label = ui.label("Reason for returning (required)");
        let edit = ui
            .add(
                egui::TextEdit::multiline(&mut desk.form.return_reason)
                    .desired_rows(2)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        if desk.focus == Some(Focus::ReturnReason) {
            edit.request_focus();
            desk.focus = None;
        }
        reads_as(ui, &desk.form.return_reason);
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
                .clicked()
                || (ok && ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::R)));
            if send {
                actions.push(Action::ConfirmReturn);
            }
            if ui.button("Cancel").clicked() {
                desk.form.returning = false;
            }
        });
    }
}

fn history(ui: &mut egui::Ui, view: &super::backend::ItemView) {
    egui::CollapsingHeader::new(format!("History · {} events", view.events.len()))
        .default_open(true)
        .show(ui, |ui| {
            for e in view.events.iter().rev() {
                let p: serde_json::Value = serde_json::from_str(&e.payload).unwrap_or_default();
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        egui::RichText::new(&e.at[..16.min(e.at.len())])
                            .color(theme::MUTED)
                            .small(),
                    );
                    ui.label(egui::RichText::new(&e.actor).strong());
                    ui.label(&e.action);
                    if let Some(h) = p["packet_hash"].as_str() {
                        ui.monospace(egui::RichText::new(&h[..16]).size(11.0))
                            .on_hover_text(h);
                    }
                    if let Some(o) = p["outcome"].as_str() {
                        ui.label(o);
                    }
                });
                if let Some(r) = p["reason"].as_str() {
                    ui.add(BidiLabel::new(r).color(theme::MUTED));
                }
            }
        });
}

/// egui's text boxes lay right-to-left text out left to right while it is typed; what is
/// stored is the text as typed, in logical order. Under a box holding Urdu, show how it reads.
fn reads_as(ui: &mut egui::Ui, text: &str) {
    if crate::model::bidi::has_rtl(text) {
        ui.label(egui::RichText::new("Reads as:").color(theme::MUTED).small());
        ui.add(BidiLabel::new(text));
    }
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
