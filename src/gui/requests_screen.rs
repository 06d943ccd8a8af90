//! The requests screen: takedown and reinstatement requests to platforms, overdue ones
//! first and in red; a lead builds new ones; anyone recording the traffic marks a request
//! sent, records each item's response, and exports the BagIt bag.

use std::path::PathBuf;

use super::backend::Request;
use super::desk::Action;
use super::text_box::TextBox;
use super::theme;
use super::time::local;
use crate::model::request::Response;
use crate::model::{Platform, Role};
use crate::requests::RequestView;

/// State of the requests screen.
pub struct RequestsScreen {
    /// Every request, as last loaded (newest first).
    pub list: Vec<RequestView>,
    /// The selected request's reference.
    pub selected: Option<String>,
    /// Platform of a new request.
    pub platform: Platform,
    /// Whether a new request is an emergency.
    pub emergency: bool,
    /// Channel typed for "mark sent".
    pub channel: String,
    /// The platform's ticket number typed for "mark sent".
    pub platform_ref: String,
    /// Response chosen per item.
    pub response: Response,
    /// Note typed for a response.
    pub note: String,
    /// Folder typed for the export.
    pub export_dir: String,
    /// The item a response is recorded for.
    pub respond_to: Option<i64>,
    /// A folder dialog on its way: the chosen folder, or why there is none.
    picking: Option<std::sync::mpsc::Receiver<Result<PathBuf, String>>>,
    /// Why the folder dialog could not be used.
    pub pick_problem: Option<String>,
}

impl Default for RequestsScreen {
    fn default() -> Self {
        RequestsScreen {
            list: Vec::new(),
            selected: None,
            platform: Platform::Telegram,
            emergency: false,
            channel: String::new(),
            platform_ref: String::new(),
            response: Response::Removed,
            note: String::new(),
            export_dir: String::new(),
            respond_to: None,
            picking: None,
            pick_problem: None,
        }
    }
}

impl RequestsScreen {
    /// Selects the request `delta` rows below (above, if negative) the selected one.
    pub fn step(&mut self, delta: isize) {
        if self.list.is_empty() {
            return;
        }
        let at = self
            .selected
            .as_ref()
            .and_then(|r| self.list.iter().position(|v| &v.request.reference == r))
            .unwrap_or(0);
        let next = (at as isize + delta).clamp(0, self.list.len() as isize - 1) as usize;
        self.selected = Some(self.list[next].request.reference.clone());
    }

    /// How many requests are overdue.
    pub fn overdue(&self) -> usize {
        self.list.iter().filter(|v| v.standing == "overdue").count()
    }

    /// Takes a freshly loaded list, keeping the selection (or selecting the most urgent).
    pub fn load(&mut self, list: Vec<RequestView>) {
        self.list = list;
        // Overdue first, then waiting, drafts, answered; newest first within each.
        let rank = |s: &str| match s {
            "overdue" => 0,
            "waiting" => 1,
            "draft" => 2,
            _ => 3,
        };
        self.list
            .sort_by_key(|v| (rank(&v.standing), -v.request.id));
        let keep = self
            .selected
            .as_ref()
            .is_some_and(|r| self.list.iter().any(|v| &v.request.reference == r));
        if !keep {
            self.selected = self.list.first().map(|v| v.request.reference.clone());
        }
    }
}

fn standing_text(v: &RequestView) -> egui::RichText {
    let t = egui::RichText::new(v.standing.to_uppercase()).strong();
    match v.standing.as_str() {
        "overdue" => t.color(theme::WARN),
        "answered" => t.color(theme::OK),
        "draft" => t.color(theme::MUTED),
        _ => t,
    }
}

fn labelled_text(ui: &mut egui::Ui, label: &str, text: &mut String, width: f32) {
    let l = ui.label(label);
    ui.add(
        TextBox::singleline(text)
            .id_salt(label)
            .desired_width(width),
    )
    .labelled_by(l.id);
}

/// Draws the screen.
pub fn show(
    ui: &mut egui::Ui,
    s: &mut RequestsScreen,
    role: Role,
    zone: i32,
    actions: &mut Vec<Action>,
) {
    if let Some(rx) = &s.picking
        && let Ok(result) = rx.try_recv()
    {
        s.picking = None;
        match result {
            Ok(folder) => {
                let reference = s.selected.clone().unwrap_or_default();
                s.export_dir = folder.join(reference).display().to_string();
                s.pick_problem = None;
            }
            Err(why) => s.pick_problem = Some(why),
        }
    }
    ui.horizontal(|ui| {
        ui.heading("Requests to platforms");
        let overdue = s.overdue();
        if overdue > 0 {
            ui.label(
                egui::RichText::new(format!("{overdue} overdue"))
                    .strong()
                    .color(theme::WARN),
            );
        }
        if ui.button("Reload").clicked() {
            actions.push(Action::Send(Request::Requests));
        }
    });
    if role == Role::Lead {
        ui.horizontal(|ui| {
            ui.label("New takedown request to");
            egui::ComboBox::from_id_salt("new-request-platform")
                .selected_text(theme::platform(s.platform))
                .show_ui(ui, |ui| {
                    for &p in Platform::ALL {
                        ui.selectable_value(&mut s.platform, p, theme::platform(p));
                    }
                });
            ui.checkbox(&mut s.emergency, "emergency (shorter window)");
            if ui
                .button("Create from approved takedowns")
                .on_hover_text("Every approved takedown on this platform not yet in a request")
                .clicked()
            {
                actions.push(Action::Send(Request::CreateRequest {
                    platform: s.platform,
                    emergency: s.emergency,
                }));
            }
        });
    }
    ui.separator();
    if s.list.is_empty() {
        ui.label(egui::RichText::new("No requests yet.").color(theme::MUTED));
        return;
    }
    egui::Panel::left("request-list")
        .resizable(true)
        .default_size(620.0)
        .show(ui, |ui| list(ui, s, zone));
    egui::CentralPanel::default().show(ui, |ui| {
        let Some(v) = s
            .selected
            .as_ref()
            .and_then(|r| s.list.iter().find(|v| &v.request.reference == r))
            .cloned()
        else {
            return;
        };
        egui::ScrollArea::vertical()
            .id_salt("request-detail")
            .auto_shrink([false, false])
            .show(ui, |ui| detail(ui, s, &v, zone, actions));
    });
}

fn list(ui: &mut egui::Ui, s: &mut RequestsScreen, zone: i32) {
    egui::ScrollArea::vertical()
        .id_salt("request-rows")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            egui::Grid::new("requests")
                .striped(true)
                .num_columns(6)
                .spacing([14.0, 6.0])
                .show(ui, |ui| {
                    for h in ["Reference", "Platform", "Items", "Standing", "Due", ""] {
                        ui.label(egui::RichText::new(h).strong());
                    }
                    ui.end_row();
                    let mut pick = None;
                    for v in &s.list {
                        let r = &v.request;
                        let chosen = s.selected.as_deref() == Some(r.reference.as_str());
                        if ui.selectable_label(chosen, &r.reference).clicked() {
                            pick = Some(r.reference.clone());
                        }
                        ui.label(format!(
                            "{}{}",
                            crate::report::render::platform_label(&r.platform),
                            if r.kind == "reinstatement" {
                                " (reinstate)"
                            } else {
                                ""
                            }
                        ));
                        ui.label(v.items.len().to_string());
                        ui.label(standing_text(v));
                        ui.label(
                            r.sent
                                .as_ref()
                                .map_or("—".into(), |x| local(x.due_at, zone)),
                        );
                        ui.label(if r.emergency {
                            egui::RichText::new("EMERGENCY").color(theme::WARN)
                        } else {
                            egui::RichText::new("")
                        });
                        ui.end_row();
                    }
                    if let Some(p) = pick {
                        s.selected = Some(p);
                    }
                });
        });
}

fn detail(
    ui: &mut egui::Ui,
    s: &mut RequestsScreen,
    v: &RequestView,
    zone: i32,
    actions: &mut Vec<Action>,
) {
    let r = &v.request;
    ui.horizontal(|ui| {
        ui.heading(&r.reference);
        ui.label(standing_text(v));
    });
    ui.label(format!(
        "{} request to {} · {} item(s) · response window {} hours{}",
        r.kind,
        crate::report::render::platform_label(&r.platform),
        v.items.len(),
        r.window_hours,
        if r.emergency { " (emergency)" } else { "" }
    ));
    ui.label(
        egui::RichText::new(format!(
            "made by {} at {}",
            r.created_by,
            local(r.created_at, zone)
        ))
        .color(theme::MUTED),
    );
    ui.add_space(6.0);
    match &r.sent {
        None => {
            ui.label("Not sent yet. Once it has gone out, record how:");
            ui.horizontal(|ui| {
                labelled_text(ui, "Channel", &mut s.channel, 220.0);
                labelled_text(ui, "Platform ticket", &mut s.platform_ref, 140.0);
                let ready = !s.channel.trim().is_empty();
                if ui
                    .add_enabled(ready, egui::Button::new("Mark sent now"))
                    .clicked()
                {
                    actions.push(Action::Send(Request::MarkSent {
                        reference: r.reference.clone(),
                        channel: s.channel.trim().to_string(),
                        platform_ref: s.platform_ref.trim().to_string(),
                    }));
                }
            });
        }
        Some(x) => {
            ui.label(format!(
                "Sent {} via {}{}; response due by {}",
                local(x.sent_at, zone),
                x.channel,
                if x.platform_ref.is_empty() {
                    String::new()
                } else {
                    format!(" (ticket {})", x.platform_ref)
                },
                local(x.due_at, zone)
            ));
        }
    }
    ui.separator();
    ui.strong("Items");
    // Items still without a final answer can take a response; the first is the default.
    let open: Vec<i64> = v
        .items
        .iter()
        .filter(|i| {
            !i.latest
                .as_deref()
                .and_then(|x| x.parse::<Response>().ok())
                .is_some_and(Response::is_final)
        })
        .map(|i| i.item)
        .collect();
    if s.respond_to.is_none_or(|i| !open.contains(&i)) {
        s.respond_to = open.first().copied();
    }
    egui::Grid::new("request-items")
        .striped(true)
        .num_columns(3)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            for i in &v.items {
                ui.label(format!("#{}", i.item));
                ui.label(&i.handle);
                let latest = i.latest.as_deref().unwrap_or("no response yet");
                let final_ = !open.contains(&i.item);
                ui.label(if final_ {
                    egui::RichText::new(latest).color(theme::OK)
                } else if v.standing == "overdue" {
                    egui::RichText::new(latest).color(theme::WARN)
                } else {
                    egui::RichText::new(latest)
                });
                ui.end_row();
            }
        });
    if r.sent.is_some() && !open.is_empty() {
        ui.add_space(4.0);
        ui.horizontal_wrapped(|ui| {
            let l = ui.label("Record a response for");
            egui::ComboBox::from_id_salt("response-item")
                .selected_text(s.respond_to.map_or(String::new(), |i| format!("#{i}")))
                .show_ui(ui, |ui| {
                    for i in v.items.iter().filter(|i| open.contains(&i.item)) {
                        let text = format!("#{} @{}", i.item, i.handle);
                        ui.selectable_value(&mut s.respond_to, Some(i.item), text);
                    }
                })
                .response
                .labelled_by(l.id);
            let l = ui.label("response");
            let kind = crate::model::request::RequestKind::parse(&r.kind);
            if kind.is_some_and(|k| !s.response.fits(k))
                && let Some(first) = Response::ALL
                    .iter()
                    .find(|x| kind.is_some_and(|k| x.fits(k)))
            {
                s.response = *first;
            }
            egui::ComboBox::from_id_salt("response-kind")
                .selected_text(s.response.as_str())
                .show_ui(ui, |ui| {
                    for x in Response::ALL {
                        if kind.is_some_and(|k| x.fits(k)) {
                            ui.selectable_value(&mut s.response, x, x.as_str());
                        }
                    }
                })
                .response
                .labelled_by(l.id);
            labelled_text(ui, "Note", &mut s.note, 220.0);
            if let Some(item) = s.respond_to
                && ui
                    .button("Record response")
                    .on_hover_text("Records the chosen response for the chosen item, now")
                    .clicked()
            {
                actions.push(Action::Send(Request::Respond {
                    reference: r.reference.clone(),
                    item,
                    response: s.response,
                    note: s.note.trim().to_string(),
                }));
            }
        });
    } else if r.sent.is_some() {
        ui.label(egui::RichText::new("Every item has a final answer.").color(theme::MUTED));
    }
    ui.separator();
    ui.horizontal_wrapped(|ui| {
        labelled_text(
            ui,
            "Export as a BagIt bag into the new folder",
            &mut s.export_dir,
            300.0,
        );
        if ui
            .add_enabled(s.picking.is_none(), egui::Button::new("Choose folder…"))
            .on_hover_text("The bag is written into a new folder named after the request, inside the folder chosen")
            .clicked()
        {
            s.picking = Some(pick_folder(ui.ctx()));
        }
        let ready = !s.export_dir.trim().is_empty();
        if ui.add_enabled(ready, egui::Button::new("Export")).clicked() {
            actions.push(Action::Send(Request::ExportRequest {
                reference: r.reference.clone(),
                out: PathBuf::from(s.export_dir.trim()),
            }));
        }
    });
    if let Some(why) = &s.pick_problem {
        ui.colored_label(theme::WARN, why);
    }
    if !v.responses.is_empty() {
        ui.separator();
        ui.strong("Responses recorded");
        for x in &v.responses {
            ui.label(format!("{}  {}", local(x.responded_at, zone), x.describe()));
        }
    }
}

/// Asks the desktop's folder dialog (through the XDG portal) for a folder, on a thread of
/// its own so the frame never waits for it.
fn pick_folder(ctx: &egui::Context) -> std::sync::mpsc::Receiver<Result<PathBuf, String>> {
    let (tx, rx) = std::sync::mpsc::channel();
    let ctx = ctx.clone();
    std::thread::spawn(move || {
        let chosen = rfd::FileDialog::new()
            .set_title("Export the request's bag into…")
            .pick_folder()
            .ok_or_else(|| {
                "No folder was chosen (where this desktop has no file dialog, type the path)."
                    .to_string()
            });
        let _ = tx.send(chosen);
        ctx.request_repaint();
    });
    rx
}
