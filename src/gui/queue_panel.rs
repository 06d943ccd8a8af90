//! The left panel: the queue (filters, search, a virtualised table) or the leads' inbox.

use egui_extras::{Column, TableBuilder};

use super::backend::{MarkAsk, Request};
use super::bidi_label::BidiLabel;
use super::desk::{Action, Desk, Focus};
use super::text_box::TextBox;
use super::theme;
use crate::model::QueueSort;
use crate::model::{Outcome, Platform, Status};

/// Draws the queue.
pub fn show(ui: &mut egui::Ui, desk: &mut Desk, actions: &mut Vec<Action>) {
    tabs(ui, desk, actions);
    let q = &mut desk.queue;
    ui.horizontal(|ui| {
        let label = ui.label("Search");
        let edit = ui
            .add(
                TextBox::singleline(&mut q.search)
                    .id_salt("search")
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
            q.filter.statuses.clone(),
            q.filter.platform,
            q.filter.group.clone(),
            q.mine,
        );
        let label = ui.label("Status");
        let chosen = if q.filter.statuses.is_empty() {
            "any status".to_string()
        } else {
            q.filter
                .statuses
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        egui::ComboBox::from_id_salt("status")
            .selected_text(chosen)
            .width(130.0)
            .show_ui(ui, |ui| {
                // Several can be picked: an item matches any of them.
                if ui
                    .selectable_label(q.filter.statuses.is_empty(), "any status")
                    .clicked()
                {
                    q.filter.statuses.clear();
                }
                for s in Status::ALL {
                    let mut on = q.filter.statuses.contains(s);
                    if ui.checkbox(&mut on, s.as_str()).changed() {
                        if on {
                            q.filter.statuses.push(*s);
                        } else {
                            q.filter.statuses.retain(|x| x != s);
                        }
                    }
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
                q.filter.statuses.clone(),
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
        let inbox = format!("Approvals inbox (I) · {}", desk.inbox_all.len());
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
    // While a search is on, each row says why it matched (the matching words, highlighted)
    // in place of the reported, assigned and id columns.
    let search = desk.queue.search.trim().to_string();
    let searching = !search.is_empty();
    let row_h = 24.0;
    let zone = desk.settings.utc_offset_minutes;
    // Rows drawn whose full mirror score has not been asked of the worker yet.
    let mut unasked = Vec::new();
    let mut drawn: Option<(usize, usize)> = None;
    let scroll_to = desk.queue.scroll_to.take();
    // A narrow list drops the least needed columns (their facts stay on the row's hover
    // and in the item view) rather than cutting the table off.
    let width = ui.available_width();
    // Each optional column is added only where handle and name keep about 200 points.
    let cols = Columns {
        platform: width >= 445.0,
        reported: !searching && width >= 535.0,
        assigned: !searching && width >= 625.0,
        id: !searching && width >= 670.0,
    };
    let mut builder = TableBuilder::new(ui)
        .id_salt("queue-table")
        .striped(true)
        .sense(egui::Sense::click())
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::exact(22.0))
        .column(Column::exact(30.0));
    if cols.platform {
        builder = builder.column(Column::exact(72.0).clip(true));
    }
    // Handle and name share what is left; in a search, the matched words take the most.
    builder = builder
        .column(Column::remainder().at_least(60.0).clip(true))
        .column(Column::remainder().at_least(50.0).clip(true))
        .column(Column::exact(70.0).clip(true));
    if searching {
        builder = builder.column(Column::remainder().at_least(120.0).clip(true));
    }
    if cols.reported {
        builder = builder.column(Column::exact(82.0).clip(true));
    }
    if cols.assigned {
        builder = builder.column(Column::exact(80.0).clip(true));
    }
    if cols.id {
        builder = builder.column(Column::exact(40.0).clip(true));
    }
    builder = builder.min_scrolled_height(0.0);
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
            if cols.platform {
                h.col(|ui| sort_header(ui, desk, "Platform", QueueSort::Platform, actions));
            }
            h.col(|ui| sort_header(ui, desk, "Handle", QueueSort::Handle, actions));
            h.col(|ui| sort_header(ui, desk, "Name", QueueSort::DisplayName, actions));
            h.col(|ui| sort_header(ui, desk, "Status", QueueSort::Status, actions));
            if searching {
                h.col(|ui| {
                    ui.label(egui::RichText::new("Why it matched").strong());
                });
            }
            if cols.reported {
                h.col(|ui| sort_header(ui, desk, "Reported", QueueSort::Reported, actions));
            }
            if cols.assigned {
                h.col(|ui| sort_header(ui, desk, "Assigned to", QueueSort::Assignee, actions));
            }
            if cols.id {
                h.col(|ui| sort_header(ui, desk, "#", QueueSort::Id, actions));
            }
        })
        .body(|body| {
            let q = &desk.queue;
            let selected = q.selected;
            let asked = &q.asked;
            let columns = 5
                + usize::from(cols.platform)
                + usize::from(searching)
                + usize::from(cols.reported)
                + usize::from(cols.assigned)
                + usize::from(cols.id);
            // Only the rows on screen are drawn; those outside the window loaded show as
            // "…" until the worker sends the window around them.
            body.rows(row_h, q.total, |mut row| {
                let i = row.index();
                drawn = Some(drawn.map_or((i, i), |(a, b): (usize, usize)| (a.min(i), b.max(i))));
                let Some(r) = q.row(i) else {
                    for _ in 0..columns {
                        row.col(|ui| {
                            ui.label(egui::RichText::new("…").color(theme::MUTED));
                        });
                    }
                    return;
                };
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
                    if r.in_image {
                        marks.push('◆');
                    }
                    let resp = ui.label(marks);
                    let mut why = Vec::new();
                    if !r.mirror_of.is_empty() {
                        why.push(format!(
                            "possible mirror of {}",
                            r.mirror_of
                                .iter()
                                .map(|i| format!("#{i}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ));
                    }
                    if r.in_image {
                        why.push("found by text read from its screenshots".to_string());
                    }
                    if !why.is_empty() {
                        resp.on_hover_text(why.join("\n"));
                    }
                });
                if cols.platform {
                    row.col(|ui| {
                        ui.add(egui::Label::new(theme::platform(it.fields.platform)).truncate());
                    });
                }
                row.col(|ui| {
                    ui.add(BidiLabel::new(&it.fields.handle).truncate());
                });
                row.col(|ui| {
                    ui.add(BidiLabel::new(&it.fields.display_name).truncate());
                });
                row.col(|ui| {
                    ui.add(
                        egui::Label::new(
                            egui::RichText::new(it.status.as_str()).color(theme::status(it.status)),
                        )
                        .truncate(),
                    );
                });
                if searching {
                    row.col(|ui| {
                        let f = &it.fields;
                        let words = crate::model::text::match_snippet(
                            &[&f.text, &f.display_name, &f.handle],
                            &search,
                            3,
                        );
                        snippet(ui, &words, &f.url, r.in_image);
                    });
                }
                let reported = it.fields.reported_at;
                if cols.reported {
                    row.col(|ui| {
                        let day = super::time::local(reported, zone);
                        let day = day.split(',').next().unwrap_or_default().to_string();
                        ui.add(egui::Label::new(day).truncate());
                    });
                }
                if cols.assigned {
                    row.col(|ui| {
                        ui.add(egui::Label::new(it.claimed_by.as_deref().unwrap_or("")).truncate());
                    });
                }
                if cols.id {
                    row.col(|ui| {
                        ui.label(egui::RichText::new(it.id.to_string()).color(theme::MUTED));
                    });
                }
                let resp = row.response().on_hover_text(format!(
                    "#{} · {} {} · reported {} · {}",
                    it.id,
                    theme::platform(it.fields.platform),
                    it.fields.kind,
                    super::time::local(reported, zone),
                    it.claimed_by
                        .as_deref()
                        .map_or("not assigned".to_string(), |u| format!("assigned to {u}"))
                ));
                if resp.clicked() {
                    actions.push(Action::Select(i));
                }
                if resp.double_clicked() {
                    actions.push(Action::Open);
                }
            });
        });
    if let Some((first, last)) = drawn {
        actions.push(Action::QueueWindow((first + last) / 2));
    }
    if !unasked.is_empty() {
        desk.queue.asked.extend(unasked.iter().map(|a| a.item));
        actions.push(Action::Send(Request::ScoreMarks {
            generation: desk.queue.loaded,
            rows: unasked,
        }));
    }
    if desk.queue.total == 0 && desk.queue.loaded > 0 {
        ui.label(egui::RichText::new("No items match.").color(theme::MUTED));
    }
}

/// Which optional columns the queue has room for.
struct Columns {
    platform: bool,
    reported: bool,
    assigned: bool,
    id: bool,
}

/// The words that made a row match, the matching ones highlighted, in reading order: a
/// right-to-left snippet is laid out from the right. Where no word of the text matched,
/// the match was in the text read from a screenshot (`in_image`) or else in the URL.
fn snippet(
    ui: &mut egui::Ui,
    words: &[crate::model::text::SnippetWord],
    url: &str,
    in_image: bool,
) {
    if words.is_empty() && in_image {
        let shown = egui::RichText::new("◆ in the text of a screenshot").color(theme::MUTED);
        ui.add(egui::Label::new(shown).truncate())
            .on_hover_text("Read from the item's screenshots; open it to see the words outlined");
        return;
    }
    if words.is_empty() {
        ui.add(
            egui::Label::new(egui::RichText::new(format!("in the URL: {url}")).color(theme::MUTED))
                .truncate(),
        );
        return;
    }
    let rtl = words
        .iter()
        .find_map(|w| crate::model::bidi::first_strong_rtl(&w.text));
    let layout = if rtl == Some(true) {
        egui::Layout::right_to_left(egui::Align::Center)
    } else {
        egui::Layout::left_to_right(egui::Align::Center)
    };
    ui.with_layout(layout, |ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        for w in words {
            let mut text = egui::RichText::new(&w.text);
            if w.matched {
                text = text
                    .strong()
                    .background_color(ui.visuals().selection.bg_fill.gamma_multiply(0.6));
            } else {
                text = text.color(theme::MUTED);
            }
            ui.add(egui::Label::new(text).extend());
        }
    });
}

/// Draws the leads' approvals inbox: compact cards, oldest first, with how long each has
/// waited; filtered by platform and outcome.
pub fn inbox(ui: &mut egui::Ui, desk: &mut Desk, actions: &mut Vec<Action>) {
    tabs(ui, desk, actions);
    ui.horizontal_wrapped(|ui| {
        let before = desk.inbox_filter;
        let (platform, outcome) = &mut desk.inbox_filter;
        let label = ui.label("Platform");
        egui::ComboBox::from_id_salt("inbox-platform")
            .selected_text(platform.map_or("any platform", theme::platform))
            .show_ui(ui, |ui| {
                ui.selectable_value(platform, None, "any platform");
                for p in Platform::ALL {
                    ui.selectable_value(platform, Some(*p), theme::platform(*p));
                }
            })
            .response
            .labelled_by(label.id);
        let label = ui.label("Outcome");
        egui::ComboBox::from_id_salt("inbox-outcome")
            .selected_text(outcome.map_or("any outcome", |o| o.as_str()))
            .show_ui(ui, |ui| {
                ui.selectable_value(outcome, None, "any outcome");
                for o in Outcome::ALL {
                    ui.selectable_value(outcome, Some(*o), o.as_str());
                }
            })
            .response
            .labelled_by(label.id);
        if desk.inbox_filter != before {
            actions.push(Action::FilterInbox);
        }
    });
    ui.label(
        egui::RichText::new(format!(
            "{} shown of {} waiting, oldest first",
            desk.inbox.len(),
            desk.inbox_all.len()
        ))
        .color(theme::MUTED)
        .small(),
    );
    ui.separator();
    if desk.inbox.is_empty() {
        ui.label(if desk.inbox_all.is_empty() {
            "Nothing waits for approval."
        } else {
            "No proposal matches these filters."
        });
        return;
    }
    egui::ScrollArea::vertical()
        .id_salt("inbox")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.spacing_mut().item_spacing.y = 2.0;
            for (i, e) in desk.inbox.iter().enumerate() {
                let selected = desk.inbox_selected == Some(i);
                let frame = egui::Frame::new()
                    .inner_margin(egui::Margin::symmetric(6, 3))
                    .corner_radius(3.0)
                    .fill(if selected {
                        ui.visuals().selection.bg_fill.gamma_multiply(0.4)
                    } else {
                        ui.visuals().faint_bg_color
                    });
                let resp = frame
                    .show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.horizontal(|ui| {
                            ui.label(egui::RichText::new(&e.waited).strong())
                                .on_hover_text("waiting for a lead since it was proposed");
                            ui.label(egui::RichText::new(e.proposal.outcome.as_str()).strong());
                            ui.label(theme::platform_named(&e.platform));
                            ui.add(BidiLabel::new(&format!("@{}", e.handle)).truncate());
                        });
                        ui.horizontal(|ui| {
                            let muted =
                                |s: String| egui::RichText::new(s).color(theme::MUTED).small();
                            ui.label(muted(format!("#{}", e.proposal.item_id)));
                            ui.label(muted(format!("by {}", e.proposal.proposer)));
                            ui.label(muted(format!("{} screenshot(s)", e.evidence)));
                            if let Some(why) = &e.blocked {
                                ui.add(
                                    egui::Label::new(
                                        egui::RichText::new(why).color(theme::WARN).small(),
                                    )
                                    .truncate(),
                                );
                            }
                        });
                    })
                    .response
                    .interact(egui::Sense::click());
                if selected && desk.inbox_scroll {
                    resp.scroll_to_me(None);
                }
                if resp.clicked() {
                    actions.push(Action::Select(i));
                }
            }
        });
    desk.inbox_scroll = false;
}
