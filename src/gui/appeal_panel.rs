//! Appeals in the decision panel: the requests an item is in, its appeals with their
//! outcomes, and the step the signed-in person may take — record an appeal, propose an
//! outcome (not the original maker or checker), approve or return it (a second lead).

use super::backend::{ItemView, Request};
use super::desk::{Action, Desk};
use super::text_box::TextBox;
use super::theme;
use crate::appeals::AppealOutcome;
use crate::model::AppealRow;
use crate::model::Role;

/// What the appeal forms hold.
pub struct AppealForm {
    /// The item the form belongs to.
    pub item: i64,
    /// Who appeals.
    pub appellant: String,
    /// The appeal's reference.
    pub reference: String,
    /// The appellant's grounds.
    pub grounds: String,
    /// The outcome proposed.
    pub outcome: AppealOutcome,
    /// Reasons for it.
    pub reasons: String,
    /// Reason to return an outcome.
    pub return_reason: String,
}

impl Default for AppealForm {
    fn default() -> Self {
        AppealForm {
            item: 0,
            appellant: String::new(),
            reference: String::new(),
            grounds: String::new(),
            outcome: AppealOutcome::Upheld,
            reasons: String::new(),
            return_reason: String::new(),
        }
    }
}

fn field(ui: &mut egui::Ui, label: &str, text: &mut String, multiline: bool) {
    let l = ui.label(label);
    let edit = if multiline {
        TextBox::multiline(text).desired_rows(2)
    } else {
        TextBox::singleline(text)
    };
    ui.add(edit.id_salt(label).desired_width(f32::INFINITY))
        .labelled_by(l.id);
}

/// The maker and checker of the decision an appeal is about.
fn deciders(view: &ItemView, a: &AppealRow) -> (String, Option<String>) {
    view.record
        .decisions
        .iter()
        .find(|d| d.proposal.id == a.proposal_id)
        .map(|d| {
            (
                d.proposal.proposer.clone(),
                d.approval.as_ref().map(|x| x.approver.clone()),
            )
        })
        .unwrap_or_default()
}

/// Draws the section, if the item has a final decision.
pub fn show(ui: &mut egui::Ui, desk: &mut Desk, view: &ItemView, actions: &mut Vec<Action>) {
    let item = view.record.item.id;
    let final_decision = view
        .record
        .decisions
        .iter()
        .rev()
        .find(|d| d.approval.is_some());
    let Some(last) = final_decision else {
        return;
    };
    if !matches!(
        view.record.item.status,
        crate::model::Status::Approved | crate::model::Status::Appealed
    ) {
        // Sent back to review after an appeal: the new decision comes first.
        ui.separator();
    }
    if desk.appeal.item != item {
        desk.appeal = AppealForm {
            item,
            ..AppealForm::default()
        };
    }
    ui.heading("Requests and appeals");
    if view.requests.is_empty() {
        ui.label(egui::RichText::new("In no request to the platform yet.").color(theme::MUTED));
    } else {
        for (r, kind) in &view.requests {
            ui.label(format!("{kind} request {r}"));
        }
    }
    let me = desk.session.name.clone();
    let role = desk.session.role;
    let may_review = matches!(role, Role::Reviewer | Role::Lead);
    for a in &view.appeals {
        ui.add_space(4.0);
        ui.strong(format!(
            "Appeal {} by {} ({})",
            a.id, a.appellant, a.reference
        ));
        ui.label(&a.grounds);
        ui.label(
            egui::RichText::new(format!("recorded by {} at {}", a.filed_by, a.filed_at))
                .color(theme::MUTED),
        );
        for o in &a.outcomes {
            let mut line = format!(
                "{} proposed by {}: {} — {}",
                o.outcome, o.proposer, o.reasons, o.state
            );
            if let Some(c) = &o.approved {
                let at = super::time::local(c.at, desk.settings.utc_offset_minutes);
                line.push_str(&format!(" by {} at {at}", c.lead));
            }
            if let Some(c) = &o.returned {
                line.push_str(&format!(" by {}: {}", c.lead, c.reason));
            }
            ui.label(line);
        }
        let (maker, checker) = deciders(view, a);
        let original = me.eq_ignore_ascii_case(&maker)
            || checker
                .as_deref()
                .is_some_and(|c| me.eq_ignore_ascii_case(c));
        let pending = a.outcomes.iter().find(|o| o.state == "pending");
        let decided = a.outcomes.iter().any(|o| o.state == "approved");
        if decided {
            continue;
        }
        if original {
            ui.label(
                egui::RichText::new(format!(
                    "You made or checked the decision under appeal (maker {maker}, checker {}): someone else reviews it.",
                    checker.as_deref().unwrap_or("—")
                ))
                .color(theme::MUTED),
            );
            continue;
        }
        let f = &mut desk.appeal;
        match pending {
            None if may_review => {
                ui.horizontal(|ui| {
                    ui.radio_value(&mut f.outcome, AppealOutcome::Upheld, "Uphold");
                    ui.radio_value(&mut f.outcome, AppealOutcome::Overturned, "Overturn");
                });
                field(ui, "Reasons", &mut f.reasons, true);
                let ready = !f.reasons.trim().is_empty();
                if ui
                    .add_enabled(ready, egui::Button::new("Propose outcome"))
                    .clicked()
                {
                    actions.push(Action::Send(Request::ProposeAppeal {
                        item,
                        appeal: a.id,
                        outcome: f.outcome,
                        reasons: f.reasons.trim().to_string(),
                    }));
                    f.reasons.clear();
                }
            }
            Some(o) if role == Role::Lead && !o.proposer.eq_ignore_ascii_case(&me) => {
                ui.horizontal(|ui| {
                    if ui.button(format!("Approve: {}", o.outcome)).clicked() {
                        actions.push(Action::Send(Request::DecideAppeal {
                            item,
                            appeal: a.id,
                            approve: true,
                            reason: String::new(),
                        }));
                    }
                });
                field(ui, "Reason to return it", &mut f.return_reason, false);
                let ready = !f.return_reason.trim().is_empty();
                if ui
                    .add_enabled(ready, egui::Button::new("Return outcome"))
                    .clicked()
                {
                    actions.push(Action::Send(Request::DecideAppeal {
                        item,
                        appeal: a.id,
                        approve: false,
                        reason: f.return_reason.trim().to_string(),
                    }));
                    f.return_reason.clear();
                }
            }
            Some(o) => {
                ui.label(
                    egui::RichText::new(format!(
                        "Waiting for a lead other than {} to approve.",
                        o.proposer
                    ))
                    .color(theme::MUTED),
                );
            }
            None => {}
        }
    }
    let appealed = view
        .appeals
        .iter()
        .any(|a| a.proposal_id == last.proposal.id);
    if !appealed && may_review {
        ui.add_space(4.0);
        egui::CollapsingHeader::new("Record an appeal of this decision")
            .id_salt(("appeal-form", item))
            .show(ui, |ui| {
                let f = &mut desk.appeal;
                field(ui, "Appellant", &mut f.appellant, false);
                field(ui, "Appeal reference", &mut f.reference, false);
                field(ui, "Appellant's grounds", &mut f.grounds, true);
                let ready = [&f.appellant, &f.reference, &f.grounds]
                    .iter()
                    .all(|t| !t.trim().is_empty());
                if ui
                    .add_enabled(ready, egui::Button::new("Record appeal"))
                    .clicked()
                {
                    actions.push(Action::Send(Request::FileAppeal {
                        item,
                        appellant: f.appellant.trim().to_string(),
                        reference: f.reference.trim().to_string(),
                        grounds: f.grounds.trim().to_string(),
                    }));
                }
            });
    }
}
