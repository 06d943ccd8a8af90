//! The menu bar and the desk's windows: shortcuts, import, export, users, messages.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};

use super::backend::Request;
use super::desk::{Action, Desk, Tab, View};
use super::fonts::UrduFace;
use super::keys::SHORTCUTS;
use super::theme;
use crate::model::Role;

/// Which windows are open and what they hold.
#[derive(Default)]
pub struct Dialogs {
    /// The shortcut list.
    pub shortcuts_open: bool,
    /// The import window.
    pub import_open: bool,
    /// Path typed in the import window.
    pub import_path: String,
    /// The export window.
    pub export_open: bool,
    /// Path typed in the export window.
    pub export_path: String,
    /// The users window (admins).
    pub users_open: bool,
    /// The prompt to unlock one's signing key again, and the password typed into it.
    pub unlock_key: Option<String>,
    /// New user form: name, role, password.
    pub new_user: (String, Option<Role>, String),
    /// A message to acknowledge.
    pub message: Option<String>,
    /// A file dialog running on its own thread, and which field it fills.
    picking: Option<(Pick, Receiver<Option<PathBuf>>)>,
}

#[derive(Clone, Copy, PartialEq)]
enum Pick {
    Import,
    Export,
    Store,
    Attach,
}

impl Dialogs {
    /// Whether a window that takes the keyboard is open.
    pub fn modal_open(&self) -> bool {
        self.message.is_some() || self.users_open || self.unlock_key.is_some()
    }

    /// Closes the topmost window.
    pub fn close_one(&mut self) {
        if self.message.take().is_some() {
        } else if self.shortcuts_open {
            self.shortcuts_open = false;
        } else if self.import_open {
            self.import_open = false;
        } else if self.export_open {
            self.export_open = false;
        } else {
            self.users_open = false;
        }
    }

    /// Opens the file dialog for evidence to attach to the open item.
    pub fn pick_attachment(&mut self, ctx: &egui::Context) {
        self.pick(Pick::Attach, ctx);
    }

    fn pick(&mut self, what: Pick, ctx: &egui::Context) {
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let d = rfd::FileDialog::new();
            let chosen = match what {
                Pick::Import => d
                    .add_filter("Reported items", &["csv", "jsonl"])
                    .pick_file(),
                Pick::Export => d
                    .add_filter("Decisions", &["csv", "jsonl"])
                    .set_file_name("decisions.csv")
                    .save_file(),
                Pick::Store => d
                    .add_filter("Parakh store", &["db", "sqlite", "parakh"])
                    .pick_file(),
                Pick::Attach => d
                    .add_filter("Screenshots", &["png", "jpg", "jpeg", "webp", "gif"])
                    .pick_file(),
            };
            let _ = tx.send(chosen);
            ctx.request_repaint();
        });
        self.picking = Some((what, rx));
    }
}

/// The menu bar.
pub fn menu_bar(ui: &mut egui::Ui, desk: &mut Desk, actions: &mut Vec<Action>) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            if ui
                .add(egui::Button::new("Import reported items…").shortcut_text("Ctrl+O"))
                .clicked()
            {
                desk.dialogs.import_open = true;
            }
            if ui
                .add(egui::Button::new("Export decisions…").shortcut_text("Ctrl+E"))
                .clicked()
            {
                desk.dialogs.export_open = true;
            }
            if ui
                .add_enabled(desk.holds_claim(), egui::Button::new("Attach evidence…"))
                .clicked()
            {
                desk.dialogs.pick(Pick::Attach, ui.ctx());
            }
            ui.separator();
            if ui
                .add_enabled(
                    desk.session.role == Role::Lead,
                    egui::Button::new("Close of day: sign a checkpoint"),
                )
                .on_hover_text(
                    "Certify the audit trail as it stands; a second lead's close of day cosigns it",
                )
                .clicked()
            {
                actions.push(Action::Admin(Request::Checkpoint));
            }
            ui.separator();
            if ui.button("Open another store…").clicked() {
                desk.dialogs.pick(Pick::Store, ui.ctx());
            }
            if ui.button("Sign out").clicked() {
                actions.push(Action::SignOut);
            }
        });
        ui.menu_button("View", |ui| {
            if ui.button("Queue (Q)").clicked() {
                actions.push(Action::SwitchTab(Tab::Queue));
            }
            if ui
                .add_enabled(
                    desk.session.role == Role::Lead,
                    egui::Button::new("Approvals inbox (I)"),
                )
                .clicked()
            {
                actions.push(Action::SwitchTab(Tab::Inbox));
            }
            ui.separator();
            if ui
                .add(egui::Button::new("Requests to platforms").shortcut_text("F2"))
                .clicked()
            {
                actions.push(Action::SwitchView(View::Requests));
            }
            if ui
                .add(egui::Button::new("Transparency report").shortcut_text("F3"))
                .clicked()
            {
                actions.push(Action::SwitchView(View::Report));
            }
        });
        ui.separator();
        if ui
            .selectable_label(desk.view == View::Desk, "Desk")
            .clicked()
        {
            actions.push(Action::SwitchView(View::Desk));
        }
        let overdue = desk.requests.overdue();
        let requests = if overdue > 0 {
            egui::RichText::new(format!("Requests · {overdue} overdue")).color(super::theme::WARN)
        } else {
            egui::RichText::new("Requests")
        };
        if ui
            .selectable_label(desk.view == View::Requests, requests)
            .clicked()
        {
            actions.push(Action::SwitchView(View::Requests));
        }
        if ui
            .selectable_label(desk.view == View::Report, "Report")
            .clicked()
        {
            actions.push(Action::SwitchView(View::Report));
        }
        ui.menu_button("Settings", |ui| {
            ui.checkbox(
                &mut desk.settings.veil,
                "Open screenshots blurred and greyscale",
            );
            ui.separator();
            ui.label("Urdu text in (U switches)");
            ui.radio_value(
                &mut desk.settings.urdu_face,
                UrduFace::Nastaliq,
                "Nastaliq (Noto Nastaliq Urdu)",
            );
            ui.radio_value(
                &mut desk.settings.urdu_face,
                UrduFace::Naskh,
                "Naskh (Noto Naskh Arabic)",
            );
            ui.separator();
            ui.checkbox(
                &mut desk.settings.wide_evidence,
                "Wide evidence: fold the queue away (Z)",
            );
            ui.separator();
            ui.label("Times shown in");
            for (minutes, name) in super::time::ZONES {
                let text = format!("{name} · {}", super::time::offset_name(*minutes));
                ui.radio_value(&mut desk.settings.utc_offset_minutes, *minutes, text);
            }
        });
        if desk.session.role == Role::Admin && ui.button("Users").clicked() {
            desk.dialogs.users_open = true;
            actions.push(Action::Admin(Request::Users));
        }
        ui.menu_button("Help", |ui| {
            if ui
                .add(egui::Button::new("Keyboard shortcuts").shortcut_text("?"))
                .clicked()
            {
                desk.dialogs.shortcuts_open = true;
            }
        });
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.label(
                egui::RichText::new(format!("{} · {}", desk.session.name, desk.session.role))
                    .strong(),
            );
            ui.label(
                egui::RichText::new(format!("taxonomy v{}", desk.taxonomy.version))
                    .color(theme::MUTED),
            );
        });
    });
}

/// The open windows.
pub fn windows(ctx: &egui::Context, desk: &mut Desk, actions: &mut Vec<Action>) {
    if let Some((what, rx)) = &desk.dialogs.picking
        && let Ok(chosen) = rx.try_recv()
    {
        let what = *what;
        desk.dialogs.picking = None;
        if let Some(p) = chosen {
            match what {
                Pick::Import => desk.dialogs.import_path = p.display().to_string(),
                Pick::Export => desk.dialogs.export_path = p.display().to_string(),
                Pick::Store => actions.push(Action::OpenStore(p)),
                Pick::Attach => actions.push(Action::Attach(vec![p])),
            }
        }
    }
    let mut open = desk.dialogs.shortcuts_open;
    egui::Window::new("Keyboard shortcuts")
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts")
                .striped(true)
                .num_columns(2)
                .show(ui, |ui| {
                    for (keys, what) in SHORTCUTS {
                        ui.monospace(*keys);
                        ui.label(*what);
                        ui.end_row();
                    }
                });
        });
    desk.dialogs.shortcuts_open = open;

    let mut open = desk.dialogs.import_open;
    egui::Window::new("Import reported items").open(&mut open).collapsible(false).default_width(520.0).show(ctx, |ui| {
        ui.label("A .csv or .jsonl file with the columns platform, kind, handle, display_name, url, text, language, followers, reported_at, source_ref, evidence. One bad row refuses the whole file.");
        path_row(ui, &mut desk.dialogs, Pick::Import);
        let busy = desk.import.as_ref().is_some_and(|i| i.result.is_none());
        if ui.add_enabled(!busy && !desk.dialogs.import_path.trim().is_empty(), egui::Button::new("Import")).clicked() {
            actions.push(Action::Import(PathBuf::from(desk.dialogs.import_path.trim())));
        }
        if let Some(state) = &desk.import {
            match &state.result {
                None => {
                    let (frac, text) = state.progress.map_or((0.0, "Opening the file…".to_string()), |p| (p.fraction(), p.describe()));
                    ui.add(egui::ProgressBar::new(frac).text(text).animate(true));
                }
                Some(Ok(r)) => {
                    ui.colored_label(theme::OK, format!("Imported {} items, skipped {} already stored, linked {} evidence files.", r.imported, r.skipped.len(), r.evidence));
                    egui::ScrollArea::vertical().max_height(160.0).show(ui, |ui| {
                        for (line, why) in &r.skipped {
                            ui.label(format!("line {line}: skipped, {why}"));
                        }
                    });
                }
                Some(Err(e)) => {
                    ui.colored_label(theme::WARN, "Refused; nothing was stored:");
                    egui::ScrollArea::vertical().max_height(220.0).show(ui, |ui| {
                        ui.add(egui::Label::new(egui::RichText::new(e).monospace().size(12.0)).wrap());
                    });
                }
            }
        }
    });
    desk.dialogs.import_open = open;

    let mut open = desk.dialogs.export_open;
    egui::Window::new("Export decisions")
        .open(&mut open)
        .collapsible(false)
        .default_width(480.0)
        .show(ctx, |ui| {
            ui.label("Every approved decision, with its packet hash, as .csv or .jsonl.");
            path_row(ui, &mut desk.dialogs, Pick::Export);
            if ui
                .add_enabled(
                    !desk.dialogs.export_path.trim().is_empty(),
                    egui::Button::new("Export"),
                )
                .clicked()
            {
                actions.push(Action::Export(PathBuf::from(
                    desk.dialogs.export_path.trim(),
                )));
            }
        });
    desk.dialogs.export_open = open;

    if desk.dialogs.unlock_key.is_some() {
        unlock_key(ctx, desk, actions);
    }
    if desk.dialogs.users_open {
        users(ctx, desk, actions);
    }
    if let Some(msg) = desk.dialogs.message.clone() {
        egui::Modal::new(egui::Id::unique("parakh-message")).show(ctx, |ui| {
            ui.label(msg);
            if ui.button("OK").clicked() || ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                desk.dialogs.message = None;
            }
        });
    }
}

fn path_row(ui: &mut egui::Ui, d: &mut Dialogs, what: Pick) {
    ui.horizontal(|ui| {
        let label = ui.label("File");
        let field = if what == Pick::Import {
            &mut d.import_path
        } else {
            &mut d.export_path
        };
        ui.add(
            egui::TextEdit::singleline(field)
                .desired_width(320.0)
                .hint_text("/path/to/file.csv"),
        )
        .labelled_by(label.id);
        let picking = d.picking.is_some();
        if ui
            .add_enabled(!picking, egui::Button::new("Browse…"))
            .clicked()
        {
            d.pick(what, ui.ctx());
        }
    });
}

/// Asks for the password again when a signed act found the signing key put away.
fn unlock_key(ctx: &egui::Context, desk: &mut Desk, actions: &mut Vec<Action>) {
    let mut open = true;
    let mut unlock = false;
    let window = egui::Window::new("Unlock your signing key")
        .open(&mut open)
        .collapsible(false)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0]);
    window.show(ctx, |ui| {
        ui.label(
            "Your signing key was put away after a while without a signed act. \
             Enter your password to sign again.",
        );
        let typed = desk.dialogs.unlock_key.get_or_insert_with(String::new);
        let l = ui.label("Password");
        let field = ui
            .add(egui::TextEdit::singleline(typed).password(true))
            .labelled_by(l.id);
        if typed.is_empty() && !field.has_focus() {
            field.request_focus();
        }
        let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let button = ui.add_enabled(!typed.is_empty(), egui::Button::new("Unlock"));
        unlock = !typed.is_empty() && (button.clicked() || enter);
    });
    if unlock && let Some(password) = desk.dialogs.unlock_key.take() {
        actions.push(Action::Admin(Request::UnlockKey { password }));
    } else if !open {
        desk.dialogs.unlock_key = None;
    }
}

fn users(ctx: &egui::Context, desk: &mut Desk, actions: &mut Vec<Action>) {
    let mut open = true;
    egui::Window::new("Users")
        .open(&mut open)
        .collapsible(false)
        .default_width(420.0)
        .show(ctx, |ui| {
            egui::Grid::new("users")
                .striped(true)
                .num_columns(3)
                .show(ui, |ui| {
                    for (name, role, locked) in desk.users.clone() {
                        let l = ui.label(&name);
                        egui::ComboBox::from_id_salt(format!("role-{name}"))
                            .selected_text(role.as_str())
                            .show_ui(ui, |ui| {
                                for r in Role::ALL {
                                    if ui.selectable_label(*r == role, r.as_str()).clicked()
                                        && *r != role
                                    {
                                        actions.push(Action::Admin(Request::SetRole {
                                            name: name.clone(),
                                            role: *r,
                                        }));
                                    }
                                }
                            })
                            .response
                            .labelled_by(l.id);
                        if locked {
                            let b = ui.button("Locked: unlock").on_hover_text(format!(
                                "{name} is locked after {} failed sign-ins in a row",
                                crate::auth::throttle::LOCK_AFTER
                            ));
                            if b.clicked() {
                                actions.push(Action::Admin(Request::Unlock { name: name.clone() }));
                            }
                        } else {
                            ui.label("");
                        }
                        ui.end_row();
                    }
                });
            ui.separator();
            ui.label("Add a user");
            let (name, role, password) = &mut desk.dialogs.new_user;
            egui::Grid::new("new-user").num_columns(2).show(ui, |ui| {
                let l = ui.label("Name");
                ui.add(egui::TextEdit::singleline(name)).labelled_by(l.id);
                ui.end_row();
                let l = ui.label("Role");
                egui::ComboBox::from_id_salt("new-role")
                    .selected_text(role.map_or("choose", |r| r.as_str()))
                    .show_ui(ui, |ui| {
                        for r in Role::ALL {
                            ui.selectable_value(role, Some(*r), r.as_str());
                        }
                    })
                    .response
                    .labelled_by(l.id);
                ui.end_row();
                let l = ui.label("Password");
                ui.add(egui::TextEdit::singleline(password).password(true))
                    .labelled_by(l.id);
                ui.end_row();
            });
            if ui
                .add_enabled(
                    !name.trim().is_empty()
                        && role.is_some()
                        && password.len() >= crate::auth::MIN_PASSWORD_LEN,
                    egui::Button::new("Add user"),
                )
                .clicked()
            {
                actions.push(Action::Admin(Request::AddUser {
                    name: name.trim().to_string(),
                    role: role.expect("checked"),
                    password: std::mem::take(password),
                }));
                name.clear();
            }
        });
    desk.dialogs.users_open = open;
}
