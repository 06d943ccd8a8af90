//! The report screen: a period, the transparency report's dashboard for it, and saving it
//! as CSV or HTML.

use std::path::PathBuf;

use super::backend::Request;
use super::desk::Action;
use super::theme;
use crate::model::report::Report;

/// State of the report screen.
pub struct ReportScreen {
    /// First day typed (YYYY-MM-DD).
    pub from: String,
    /// Last day typed.
    pub to: String,
    /// The report shown.
    pub report: Option<Report>,
    /// A problem with the dates typed.
    pub problem: Option<String>,
    /// File typed for saving (.csv or .html).
    pub out: String,
}

impl ReportScreen {
    /// The current year up to today.
    pub fn new(today: chrono::NaiveDate) -> ReportScreen {
        use chrono::Datelike;
        ReportScreen {
            from: format!("{}-01-01", today.year()),
            to: today.to_string(),
            report: None,
            problem: None,
            out: String::new(),
        }
    }

    /// The request for the typed period, or the problem with it.
    pub fn request(&mut self) -> Option<Request> {
        let parsed = crate::report::parse_date(&self.from)
            .and_then(|f| crate::report::parse_date(&self.to).map(|t| (f, t)));
        match parsed {
            Ok((from, to)) if from <= to => {
                self.problem = None;
                Some(Request::Report { from, to })
            }
            Ok(_) => {
                self.problem = Some("the period ends before it starts".into());
                None
            }
            Err(e) => {
                self.problem = Some(e.to_string());
                None
            }
        }
    }
}

/// Draws the screen.
pub fn show(ui: &mut egui::Ui, s: &mut ReportScreen, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        ui.heading("Transparency report");
        let l = ui.label("From");
        ui.add(egui::TextEdit::singleline(&mut s.from).desired_width(96.0))
            .labelled_by(l.id);
        let l = ui.label("to");
        ui.add(egui::TextEdit::singleline(&mut s.to).desired_width(96.0))
            .labelled_by(l.id);
        if ui.button("Show").clicked()
            && let Some(r) = s.request()
        {
            actions.push(Action::Send(r));
        }
        ui.separator();
        let l = ui.label("Save as");
        ui.add(
            egui::TextEdit::singleline(&mut s.out)
                .hint_text("report.html or report.csv")
                .desired_width(220.0),
        )
        .labelled_by(l.id);
        let ready = s.report.is_some() && !s.out.trim().is_empty();
        if ui.add_enabled(ready, egui::Button::new("Save")).clicked()
            && let Some(Request::Report { from, to }) = s.request()
        {
            actions.push(Action::Send(Request::WriteReport {
                from,
                to,
                out: PathBuf::from(s.out.trim()),
            }));
        }
    });
    if let Some(p) = &s.problem {
        ui.label(egui::RichText::new(p).color(theme::WARN));
    }
    ui.separator();
    match &s.report {
        Some(r) => super::dashboard::show(ui, r),
        None => {
            ui.label(egui::RichText::new("Computing…").color(theme::MUTED));
        }
    }
}
