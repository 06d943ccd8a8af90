//! The left panel: the queue (filters, search, a virtualised table) or the leads' inbox.

use egui_extras::{Column, TableBuilder};

use super::backend::{MarkAsk, Request};
use super::bidi_label::BidiLabel;
use super::desk::{Action, Desk, Focus};
use super::theme;
use crate::model::{Platform, Status};
use crate::store::QueueSort;

/// Draws the queue.
pub fn show(ui: &mut egui::Ui, desk: &mut Desk, actions: &mut Vec<Action>) {
    tabs(ui, desk, actions);
    let q = &mut desk.queue;
    ui.horizontal(|ui| {
        let label = ui.label("Search");
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut q.search)
                    .hint_text("handle, name, URL or text  ( / )")
                    .desired_width(ui.available_width() - 70.0),
            )
            .labelled_by(label.id);
        if desk.focus == Some(Focus::Search) {
            edit.request_focus();
            desk.focus = None;
        }
        if edit.changed() {
            actions.push(Action::Requery);
        }
        if !q.search.is_empty() && ui.small_button("Clear").clicked() {
            q.search.clear();
            actions.push(Action::Requery);
        }
    });
    ui.horizontal_wrapped(|ui| {
        let before = (
            q.filter.status,
            q.filter.platform,
            q.filter.group.clone(),
            q.mine,
        );
        let label = ui.label("Status");
        egui::ComboBox::from_id_salt("status")
            .selected_text(q.filter.status.map_or("any status", |s| s.as_str()))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut q.filter.status, None, "any status");
                for s in Status::ALL {
                    ui.selectable_value(&mut q.filter.status, Some(*s), s.as_str());
                }
            })
            .response
            .labelled_by(label.id);
        let label = ui.label("Platform");
        egui::ComboBox::from_id_salt("platform")
            .selected_text(q.filter.platform.map_or("any platform", theme::platform))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut q.filter.platform, None, "any platform");
                for p in Platform::ALL {
                    ui.selectable_value(&mut q.filter.platform, Some(*p), theme::platform(*p));
                }
            })
            .response
            .labelled_by(label.id);
        let groups = &desk.taxonomy.groups;
        let group_label = q
            .filter
            .group
            .as_ref()
            .and_then(|g| groups.iter().find(|x| &x.id == g))
            .map_or("any group".to_string(), |g| g.short.clone());
        let label = ui.label("Group");
        egui::ComboBox::from_id_salt("group")
            .selected_text(group_label)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut q.filter.group, None, "any group");
                for g in groups {
                    ui.selectable_value(
                        &mut q.filter.group,
                        Some(g.id.clone()),
                        format!("{} — {}", g.short, g.name),
                    );
                }
            })
            .response
            .labelled_by(label.id);
        ui.checkbox(&mut q.mine, "mine");
        if before
            != (
                q.filter.status,
                q.filter.platform,
                q.filter.group.clone(),
                q.mine,
            )
        {
            actions.push(Action::Requery);
        }
    });
    ui.separator();
    table(ui, desk, actions);
}

fn tabs(ui: &mut egui::Ui, desk: &Desk, actions: &mut Vec<Action>) {
    if desk.session.role != crate::model::Role::Lead {
        ui.heading("Queue");
        return;
    }
    ui.horizontal(|ui| {
        use super::desk::Tab;
        if ui
            .selectable_label(desk.tab == Tab::Queue, "Queue (Q)")
            .clicked()
        {
            actions.push(Action::SwitchTab(Tab::Queue));
        }
        let inbox = format!("Approvals inbox (I) · {}", desk.inbox.len());
        if ui.selectable_label(desk.tab == Tab::Inbox, inbox).clicked() {
            actions.push(Action::SwitchTab(Tab::Inbox));
        }
    });
}

fn sort_header(
    ui: &mut egui::Ui,
    desk: &Desk,
    title: &str,
    sort: QueueSort,
    actions: &mut Vec<Action>,
) {
    let f = &desk.queue.filter;
    let arrow = if f.sort == sort {
        if f.descending { " ▼" } else { " ▲" }
    } else {
        ""
    };
    if ui
        .add(
            egui::Button::new(egui::RichText::new(format!("{title}{arrow}")).strong()).frame(false),
        )
        .clicked()
    {
        actions.push(Action::Sort(sort));
    }
}

fn table(ui: &mut egui::Ui, desk: &mut Desk, actions: &mut Vec<Action>) {
    let row_h = 24.0;
    // Rows drawn whose full mirror score has not been asked of the worker yet.
    let mut unasked = Vec::new();
    let scroll_to = desk.queue.scroll_to.take();
    let mut builder = TableBuilder::new(ui)
        .id_salt("queue-table")
        .striped(true)
        .sense(egui::Sense::click())
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::exact(26.0))
        .column(Column::exact(30.0))
        .column(Column::initial(70.0).at_least(40.0).clip(true))
        .column(Column::initial(118.0).at_least(60.0).clip(true))
        .column(Column::initial(96.0).at_least(50.0).clip(true))
        .column(Column::initial(68.0).at_least(40.0).clip(true))
        .column(Column::initial(72.0).at_least(50.0).clip(true))
        .column(Column::initial(52.0).at_least(30.0).clip(true))
        .column(Column::remainder().at_least(30.0).clip(true))
        .min_scrolled_height(0.0);
    if let Some(row) = scroll_to {
        builder = builder.scroll_to_row(row, None);
    }
    builder
        .header(22.0, |mut h| {
            h.col(|ui| sort_header(ui, desk, "P", QueueSort::Priority, actions));
            h.col(|ui| {
                ui.label(egui::RichText::new("⚑").strong()).on_hover_text(
                    "Marks: ⚑ possible mirror (a taken-down account scores at or above the \
                         mirror threshold; the item view shows why), ▣ has evidence",
                );
            });
            h.col(|ui| sort_header(ui, desk, "Platform", QueueSort::Platform, actions));
            h.col(|ui| sort_header(ui, desk, "Handle", QueueSort::Handle, actions));
            h.col(|ui| sort_header(ui, desk, "Name", QueueSort::DisplayName, actions));
            h.col(|ui| sort_header(ui, desk, "Status", QueueSort::Status, actions));
            h.col(|ui| sort_header(ui, desk, "Reported", QueueSort::Reported, actions));
            h.col(|ui| sort_header(ui, desk, "Assigned", QueueSort::Assignee, actions));
            h.col(|ui| sort_header(ui, desk, "#", QueueSort::Id, actions));
        })
        .body(|body| {
            let rows = &desk.queue.rows;
            let selected = desk.queue.selected;
            let asked = &desk.queue.asked;
            body.rows(row_h, rows.len(), |mut row| {
                let i = row.index();
                let r = &rows[i];
                let it = &r.item;
                if !asked.contains(&it.id) {
                    unasked.push(MarkAsk {
                        row: i,
                        item: it.id,
                        evidence_count: r.evidence_count,
                    });
                }
                row.set_selected(selected == Some(i));
                row.col(|ui| {
                    ui.label(egui::RichText::new(it.fields.priority.to_string()).strong());
                });
                row.col(|ui| {
                    let mut marks = String::new();
                    if !r.mirror_of.is_empty() {
                        marks.push('⚑');
                    }
                    if r.evidence_count > 0 {
                        marks.push('▣');
                    }
                    let resp = ui.label(marks);
                    if !r.mirror_of.is_empty() {
                        resp.on_hover_text(format!(
                            "possible mirror of {}",
                            r.mirror_of
                                .iter()
                                .map(|i| format!("#{i}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ));
                    }
                });
                row.col(|ui| {
                    ui.label(theme::platform(it.fields.platform));
                });
                row.col(|ui| {
                    ui.add(BidiLabel::new(&it.fields.handle).single_line().fill());
                });
                row.col(|ui| {
                    ui.add(BidiLabel::new(&it.fields.display_name).single_line().fill());
                });
                row.col(|ui| {
                    ui.label(
                        egui::RichText::new(it.status.as_str()).color(theme::status(it.status)),
                    );
                });
                row.col(|ui| {
                    ui.label(it.fields.reported_at.format("%Y-%m-%d").to_string());
                });
                row.col(|ui| {
                    ui.label(it.claimed_by.as_deref().unwrap_or(""));
                });
                row.col(|ui| {
                    ui.label(egui::RichText::new(it.id.to_string()).color(theme::MUTED));
                });
                let resp = row.response();
                if resp.clicked() {
                    actions.push(Action::Select(i));
                }
                if resp.double_clicked() {
                    actions.push(Action::Open);
                }
            });
        });
    if !unasked.is_empty() {
        desk.queue.asked.extend(unasked.iter().map(|a| a.item));
        actions.push(Action::Send(Request::ScoreMarks {
            generation: desk.queue.loaded,
            rows: unasked,
        }));
    }
    if desk.queue.rows.is_empty() && desk.queue.loaded > 0 {
        ui.label(egui::RichText::new("No items match.").color(theme::MUTED));
    }
}

/// Draws the leads' approvals inbox.
pub fn inbox(ui: &mut egui::Ui, desk: &mut Desk, actions: &mut Vec<Action>) {
    tabs(ui, desk, actions);
    ui.label(
        egui::RichText::new(
            "Proposed decisions, oldest first. Select one to see its packet and evidence.",
        )
        .color(theme::MUTED),
    );
    ui.separator();
    if desk.inbox.is_empty() {
        ui.label("Nothing waits for approval.");
        return;
    }
    egui::ScrollArea::vertical()
        .id_salt("inbox")
        .show(ui, |ui| {
            for (i, e) in desk.inbox.iter().enumerate() {
                let selected = desk.inbox_selected == Some(i);
                let frame = egui::Frame::group(ui.style()).fill(if selected {
                    ui.visuals().selection.bg_fill.gamma_multiply(0.4)
                } else {
                    ui.visuals().panel_fill
                });
                let resp = frame
                    .show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.horizontal(|ui| {
                            ui.label(
                                egui::RichText::new(format!("#{}", e.proposal.item_id))
                                    .color(theme::MUTED),
                            );
                            ui.label(egui::RichText::new(e.proposal.outcome.as_str()).strong());
                            ui.label(format!("{} @{}", e.platform, e.handle));
                        });
                        ui.label(format!(
                            "proposed by {} at {}",
                            e.proposal.proposer,
                            &e.proposal.proposed_at[..16]
                        ));
                        if let Some(why) = &e.blocked {
                            ui.colored_label(theme::WARN, why);
                        }
                    })
                    .response
                    .interact(egui::Sense::click());
                if resp.clicked() {
                    actions.push(Action::Select(i));
                }
            }
        });
}
