//! The workstation's dashboard for a transparency report: headline figures, bar charts
//! (egui_plot) of decisions, takedowns and platform responses, and the timing figures.
//!
//! Plots are for reading, not exploring: zoom, drag, scroll and box-zoom are off, bars are
//! labelled by name on the vertical axis and carry their value at the end. Nothing here
//! requests a repaint.

use egui::{Align2, Color32, RichText};
use egui_plot::{Bar, BarChart, GridInput, GridMark, Plot, PlotPoint, Text};

use super::theme;
use crate::model::report::{Count, Report};
use crate::report::render::{outcome_label, platform_label};
use crate::report::svg::{NO_DATA, ValueFormat};

/// Height of a plot with up to [`ROWS_AT_MIN_HEIGHT`] bars.
const PLOT_HEIGHT: f32 = 180.0;
/// Above this many bars, plots grow so every bar keeps a readable label.
const ROWS_AT_MIN_HEIGHT: usize = 6;
/// Height added per bar beyond [`ROWS_AT_MIN_HEIGHT`].
const ROW_HEIGHT: f32 = 24.0;
/// Fill of the bars.
const BAR_FILL: Color32 = Color32::from_rgb(91, 127, 166);

/// Draws the dashboard for `report`, inside a vertical scroll area.
pub fn show(ui: &mut egui::Ui, report: &Report) {
    egui::ScrollArea::vertical()
        .id_salt("report_dashboard")
        .auto_shrink([false, true])
        .show(ui, |ui| {
            ui.label(
                RichText::new(format!("Period {} to {}", report.from, report.to))
                    .color(theme::MUTED),
            );
            ui.add_space(4.0);
            headlines(ui, report);
            ui.add_space(12.0);

            let outcomes: Vec<(String, Option<f64>)> = report
                .decisions_by_outcome
                .iter()
                .map(|c| (outcome_label(&c.label), Some(c.count as f64)))
                .collect();
            chart(
                ui,
                "dashboard_outcomes",
                "Decisions by outcome",
                &outcomes,
                ValueFormat::Number,
            );
            chart(
                ui,
                "dashboard_groups",
                "Takedowns by group",
                &as_given(&report.takedowns_by_group),
                ValueFormat::Number,
            );
            chart(
                ui,
                "dashboard_grounds",
                "Takedowns by legal ground",
                &as_given(&report.takedowns_by_ground),
                ValueFormat::Number,
            );
            let removed: Vec<(String, Option<f64>)> = report
                .requests
                .iter()
                .map(|p| (platform_label(&p.platform), p.share_removed))
                .collect();
            chart(
                ui,
                "dashboard_share_removed",
                "Share of requested items removed, by platform",
                &removed,
                ValueFormat::Percent,
            );
            let overdue: Vec<(String, Option<f64>)> = report
                .requests
                .iter()
                .map(|p| (platform_label(&p.platform), p.share_overdue))
                .collect();
            chart(
                ui,
                "dashboard_share_overdue",
                "Share of requests not answered in time, by platform",
                &overdue,
                ValueFormat::Percent,
            );
            timings(ui, report);
        });
}

/// Counts labelled as given (group and ground ids).
fn as_given(counts: &[Count]) -> Vec<(String, Option<f64>)> {
    counts
        .iter()
        .map(|c| (c.shown().to_string(), Some(c.count as f64)))
        .collect()
}

/// The row of headline figures: large numbers with captions.
fn headlines(ui: &mut egui::Ui, report: &Report) {
    let decisions: u64 = report.decisions_by_outcome.iter().map(|c| c.count).sum();
    let overdue: u64 = report.requests.iter().map(|p| p.requests_overdue).sum();
    let sent: u64 = report.requests.iter().map(|p| p.requests_sent).sum();
    let figures = [
        (
            report.items_received.to_string(),
            "items received".to_string(),
        ),
        (decisions.to_string(), "decisions approved".to_string()),
        (
            share(report.share_returned),
            format!("of {} proposals returned to review", report.proposals),
        ),
        (
            report.appeals_overturned.to_string(),
            format!(
                "of {} decided appeals overturned ({})",
                report.appeals_decided,
                share(report.share_overturned)
            ),
        ),
        (
            overdue.to_string(),
            format!("of {sent} takedown requests not answered in time"),
        ),
    ];
    ui.horizontal_wrapped(|ui| {
        for (value, caption) in figures {
            ui.group(|ui| {
                ui.set_min_width(150.0);
                ui.vertical(|ui| {
                    ui.label(RichText::new(value).size(28.0).strong());
                    ui.label(RichText::new(caption).small().color(theme::MUTED));
                });
            });
        }
    });
}

/// A share as a percentage, or a dash.
fn share(v: Option<f64>) -> String {
    match v.filter(|v| v.is_finite()) {
        Some(_) => ValueFormat::Percent.format(v),
        None => "—".to_string(),
    }
}

/// A heading and a horizontal bar chart of `rows` (label, value), first row on top; a
/// muted "no data" line when there are no values.
fn chart(
    ui: &mut egui::Ui,
    id: &'static str,
    heading: &str,
    rows: &[(String, Option<f64>)],
    format: ValueFormat,
) {
    ui.add_space(8.0);
    ui.label(RichText::new(heading).strong());
    let values = || rows.iter().filter_map(|(_, v)| v.filter(|v| v.is_finite()));
    if values().next().is_none() {
        ui.label(RichText::new(NO_DATA).color(theme::MUTED).italics());
        return;
    }

    let n = rows.len();
    // Category i sits at y = n - 1 - i, so the first row is drawn on top.
    let y_of = move |i: usize| (n - 1 - i) as f64;
    let largest = values().fold(0.0_f64, f64::max);
    let x_max = match format {
        ValueFormat::Percent => largest.max(1.0),
        _ if largest > 0.0 => largest,
        _ => 1.0,
    };
    let height = PLOT_HEIGHT + n.saturating_sub(ROWS_AT_MIN_HEIGHT) as f32 * ROW_HEIGHT;

    let labels: Vec<String> = rows.iter().map(|(label, _)| label.clone()).collect();
    let bars: Vec<Bar> = rows
        .iter()
        .enumerate()
        .filter_map(|(i, (label, v))| {
            let v = v.filter(|v| v.is_finite())?;
            Some(
                Bar::new(y_of(i), v)
                    .name(label)
                    .fill(BAR_FILL)
                    .stroke(egui::Stroke::NONE)
                    .width(0.6),
            )
        })
        .collect();
    let texts: Vec<Text> = rows
        .iter()
        .enumerate()
        .map(|(i, (_, v))| {
            let v = v.filter(|v| v.is_finite());
            let x = v.unwrap_or(0.0).max(0.0);
            // A long bar carries its value inside its end, in strong text; a short one
            // just past it. Shares never need room past 100 %.
            let inside = x > x_max * 0.7;
            let text = if inside {
                RichText::new(format!("{}  ", format.format(v)))
                    .size(14.0)
                    .strong()
                    .color(egui::Color32::WHITE)
            } else {
                RichText::new(format!("  {}", format.format(v)))
                    .size(14.0)
                    .strong()
            };
            Text::new("value", PlotPoint::new(x, y_of(i)), text)
                .anchor(if inside {
                    Align2::RIGHT_CENTER
                } else {
                    Align2::LEFT_CENTER
                })
                .allow_hover(false)
                .id((id, i))
        })
        .collect();

    Plot::new(id)
        .height(height)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .allow_axis_zoom_drag(false)
        .show_x(false)
        .show_y(false)
        .show_crosshair(false)
        .show_grid([true, false])
        .sense(egui::Sense::hover())
        .include_x(0.0)
        // The axis ends at the largest value (100 % for shares); values of long bars are
        // printed inside them, so no room is needed past the end.
        .include_x(x_max)
        .include_y(-0.5)
        .include_y(n as f64 - 0.5)
        .y_grid_spacer(move |_: GridInput| {
            (0..n)
                .map(|i| GridMark {
                    value: i as f64,
                    step_size: 1.0,
                })
                .collect()
        })
        .y_axis_formatter(move |mark, _range| {
            let i = mark.value.round();
            if (mark.value - i).abs() > 1e-6 || i < 0.0 || i as usize >= n {
                return String::new();
            }
            labels[n - 1 - i as usize].clone()
        })
        .x_axis_formatter(move |mark, _range| {
            let v = mark.value;
            if v < -1e-9 || v > x_max + 1e-9 {
                return String::new();
            }
            match format {
                ValueFormat::Percent => format!("{}%", (v * 100.0).round()),
                _ if (v - v.round()).abs() > 1e-9 => String::new(),
                _ => format!("{}", v.round()),
            }
        })
        .show(ui, |plot_ui| {
            plot_ui.bar_chart(
                BarChart::new(id, bars)
                    .horizontal()
                    .element_formatter(Box::new(move |bar, _| {
                        format!("{}: {}", bar.name, format.format(Some(bar.value)))
                    })),
            );
            for text in texts {
                plot_ui.text(text);
            }
        });
}

/// The timing figures: count, median and 90th percentile of the two intervals.
fn timings(ui: &mut egui::Ui, report: &Report) {
    ui.add_space(12.0);
    ui.label(RichText::new("Time to decision").strong());
    egui::Grid::new("dashboard_timings")
        .striped(true)
        .num_columns(4)
        .show(ui, |ui| {
            for head in ["Interval", "Count", "Median", "90th percentile"] {
                ui.label(RichText::new(head).color(theme::MUTED));
            }
            ui.end_row();
            for (name, d) in [
                ("Report to proposal", &report.report_to_proposal),
                ("Proposal to approval", &report.proposal_to_approval),
            ] {
                ui.label(name);
                ui.label(d.count.to_string());
                ui.label(hours(d.median_hours));
                ui.label(hours(d.p90_hours));
                ui.end_row();
            }
        });
}

/// Hours for people, or a dash.
fn hours(v: Option<f64>) -> String {
    match v.filter(|v| v.is_finite()) {
        Some(_) => ValueFormat::Hours.format(v),
        None => "—".to_string(),
    }
}
