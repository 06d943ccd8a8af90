//! The welcome screen (no store yet) and the sign-in screen.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};

use super::backend::Request;
use super::theme;
use crate::model::Role;
use crate::{Workspace, demo};

/// The welcome screen: open the demo, start an empty workspace, or open an existing one.
pub struct Welcome {
    target: Option<PathBuf>,
    path_text: String,
    /// The team server's URL being typed, while "Connect to a team server…" is open.
    server_text: Option<String>,
    working: Option<(String, Receiver<Result<PathBuf, String>>)>,
    /// What the background job is doing and how far along it is (0 to 1), where it says.
    progress: std::sync::Arc<std::sync::Mutex<Option<(String, f32)>>>,
    /// A problem to show, such as a store that would not open.
    pub error: Option<String>,
}

impl Welcome {
    /// A welcome screen offering to create the store at `target`.
    pub fn new(target: Option<PathBuf>) -> Welcome {
        Welcome {
            path_text: String::new(),
            server_text: None,
            target,
            working: None,
            progress: Default::default(),
            error: None,
        }
    }

    /// Whether a store is being created.
    pub fn busy(&self) -> bool {
        self.working.is_some()
    }

    fn spawn(
        &mut self,
        what: &str,
        job: impl FnOnce() -> Result<PathBuf, String> + Send + 'static,
        ctx: &egui::Context,
    ) {
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let _ = tx.send(job());
            ctx.request_repaint();
        });
        self.error = None;
        if let Ok(mut p) = self.progress.lock() {
            *p = None;
        }
        self.working = Some((what.to_string(), rx));
    }

    /// Draws the screen; returns the store to open once one is ready.
    pub fn show(&mut self, ui: &mut egui::Ui) -> Option<PathBuf> {
        if let Some((_, rx)) = &self.working
            && let Ok(result) = rx.try_recv()
        {
            self.working = None;
            match result {
                Ok(path) => return Some(path),
                Err(e) => self.error = Some(e),
            }
        }
        let mut open = None;
        egui::CentralPanel::default().show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(80.0);
                ui.heading(egui::RichText::new("Parakh").size(34.0));
                ui.label("Review workstation for reported accounts and posts of proscribed groups");
                ui.add_space(30.0);
                let target = self.target.clone();
                match &target {
                    Some(p) => ui.label(format!("No store at {} yet.", p.display())),
                    None => ui.label("No store location is known; type a path below."),
                };
                ui.add_space(16.0);
                if let Some((what, _)) = &self.working {
                    match self.progress.lock().ok().and_then(|p| p.clone()) {
                        Some((step, done)) => {
                            ui.label(what.as_str());
                            ui.add(egui::ProgressBar::new(done).desired_width(360.0).show_percentage());
                            ui.label(egui::RichText::new(step).color(theme::MUTED));
                        }
                        None => {
                            ui.spinner();
                            ui.label(what.as_str());
                        }
                    }
                    return;
                }
                let enabled = target.is_some();
                let demo_btn = ui.add_enabled(enabled, egui::Button::new(egui::RichText::new("Open demo workspace").size(18.0)).min_size(egui::vec2(280.0, 40.0)));
                ui.label(egui::RichText::new("Synthetic items, screenshots and demo users; the passwords are shown on the next screen.").color(theme::MUTED));
                if demo_btn.clicked() {
                    let p = target.clone().expect("enabled only with a target");
                    let progress = self.progress.clone();
                    let ctx = ui.ctx().clone();
                    self.spawn(
                        "Creating the demo workspace…",
                        move || {
                            let report = |step: &str, done: f32| {
                                if let Ok(mut p) = progress.lock() {
                                    *p = Some((step.to_string(), done));
                                }
                                ctx.request_repaint();
                            };
                            demo::create_with_progress(&p, demo::DEFAULT_ITEMS, crate::clock::Clock::System, &report)
                                .map(|_| p)
                                .map_err(|e| e.sentence())
                        },
                        ui.ctx(),
                    );
                }
                ui.add_space(10.0);
                if ui.add_enabled(enabled, egui::Button::new("New empty workspace").min_size(egui::vec2(280.0, 32.0))).clicked() {
                    let p = target.clone().expect("enabled only with a target");
                    self.spawn("Creating the store…", move || Workspace::init(&p).map(|_| p).map_err(|e| e.to_string()), ui.ctx());
                }
                ui.add_space(10.0);
                if ui.add(egui::Button::new("Open existing…").min_size(egui::vec2(280.0, 32.0))).clicked() {
                    self.spawn(
                        "Waiting for the file dialog…",
                        || {
                            rfd::FileDialog::new()
                                .set_title("Open a Parakh store")
                                .add_filter("Parakh store", &["db", "sqlite", "parakh"])
                                .pick_file()
                                .ok_or_else(|| "no file chosen".to_string())
                        },
                        ui.ctx(),
                    );
                }
                ui.add_space(8.0);
                // One row of the text box's height, its label centred on the box.
                let row = egui::vec2(ui.available_width(), 30.0);
                ui.allocate_ui_with_layout(row, egui::Layout::left_to_right(egui::Align::Center), |ui| {
                    ui.add_space((ui.available_width() - 420.0).max(0.0) / 2.0);
                    let label = ui.label("Or a path:");
                    let edit = ui.add(egui::TextEdit::singleline(&mut self.path_text).desired_width(260.0).hint_text("/path/to/parakh.db")).labelled_by(label.id);
                    let go = ui.button("Open").clicked() || (edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)));
                    if go && !self.path_text.trim().is_empty() {
                        let p = PathBuf::from(self.path_text.trim());
                        if p.exists() {
                            open = Some(p);
                        } else {
                            self.error = Some(format!("{} does not exist", p.display()));
                        }
                    }
                });
                ui.add_space(10.0);
                match &mut self.server_text {
                    None => {
                        if ui.add(egui::Button::new("Connect to a team server…").min_size(egui::vec2(280.0, 32.0))).clicked() {
                            self.server_text = Some(String::new());
                        }
                    }
                    Some(url) => {
                        let row = egui::vec2(ui.available_width(), 30.0);
                        let mut go = false;
                        ui.allocate_ui_with_layout(row, egui::Layout::left_to_right(egui::Align::Center), |ui| {
                            ui.add_space((ui.available_width() - 520.0).max(0.0) / 2.0);
                            let label = ui.label("Server:");
                            let edit = ui.add(egui::TextEdit::singleline(url).desired_width(340.0).hint_text("postgres://host:5432/parakh")).labelled_by(label.id);
                            if edit.gained_focus() || url.is_empty() && ui.memory(|m| m.focused().is_none()) {
                                edit.request_focus();
                            }
                            go = ui.button("Connect").clicked() || (edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)));
                        });
                        ui.label(egui::RichText::new("The unit's PostgreSQL server; you sign in with your own login next.").color(theme::MUTED));
                        if go {
                            let u = url.trim().to_string();
                            if crate::store::postgres::is_url(&u) {
                                open = Some(PathBuf::from(u));
                            } else {
                                self.error = Some("a team server's address begins postgres:// (for example postgres://db.unit:5432/parakh)".into());
                            }
                        }
                    }
                }
                if let Some(e) = &self.error {
                    ui.add_space(8.0);
                    ui.colored_label(theme::WARN, e);
                }
            });
        });
        open
    }
}

/// What the sign-in screen asks the app to do.
pub enum SignInAction {
    /// Send this to the store worker.
    Request(Request),
    /// Go back to choose another store.
    OtherStore,
}

/// The sign-in screen.
pub struct SignIn {
    name: String,
    password: String,
    confirm: String,
    users: Option<Vec<(String, Role)>>,
    error: Option<String>,
    /// Waiting for the worker.
    pub busy: bool,
    focus_password: bool,
    focus_user: bool,
}

impl SignIn {
    /// A sign-in screen prefilled with `last_user`.
    pub fn new(last_user: &str) -> SignIn {
        SignIn {
            name: last_user.to_string(),
            password: String::new(),
            confirm: String::new(),
            users: None,
            error: None,
            busy: true,
            focus_password: false,
            focus_user: true,
        }
    }

    /// A sign-in screen for a team server: the server checks the name and password, so
    /// there is no list of users to wait for.
    pub fn for_server(last_user: &str) -> SignIn {
        SignIn {
            busy: false,
            ..SignIn::new(last_user)
        }
    }

    /// The store's users arrived.
    pub fn set_users(&mut self, users: Vec<(String, Role)>) {
        self.users = Some(users);
        self.busy = false;
    }

    /// Signing in was refused.
    pub fn failed(&mut self, e: String) {
        self.error = Some(e);
        self.password.clear();
        self.busy = false;
        self.focus_password = true;
    }

    fn is_demo(&self) -> bool {
        self.users.as_ref().is_some_and(|u| {
            demo::USERS
                .iter()
                .all(|(n, _, _)| u.iter().any(|(m, _)| m == n))
        })
    }

    /// Draws the screen.
    pub fn show(&mut self, ui: &mut egui::Ui, path: &Path) -> Option<SignInAction> {
        let mut action = None;
        let first_admin = self.users.as_ref().is_some_and(Vec::is_empty);
        egui::CentralPanel::default().show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(70.0);
                ui.heading(egui::RichText::new("Parakh").size(30.0));
                ui.label(egui::RichText::new(super::opener::location(path)).color(theme::MUTED));
                ui.add_space(24.0);
                if first_admin {
                    ui.label("This store has no users yet. Create the first one: an admin, who then adds reviewers and leads.");
                    ui.add_space(8.0);
                }
                centered(ui, 340.0, |ui| egui::Grid::new("sign-in").num_columns(2).spacing([12.0, 10.0]).show(ui, |ui| {
                    let l = ui.label("User");
                    let name = ui.add(egui::TextEdit::singleline(&mut self.name).desired_width(240.0)).labelled_by(l.id);
                    // The user box has the focus when the screen comes up, its name selected
                    // so typing replaces it (and while empty, whenever nothing else has it:
                    // never while Tab moves the focus on from a filled-in name).
                    if !self.busy && !name.has_focus() && (std::mem::take(&mut self.focus_user) || (self.name.is_empty() && ui.memory(|m| m.focused().is_none()))) {
                        name.request_focus();
                        select_all(ui, name.id, &self.name);
                    }
                    ui.end_row();
                    let l = ui.label("Password");
                    let pw = ui.add(egui::TextEdit::singleline(&mut self.password).password(true).desired_width(240.0)).labelled_by(l.id);
                    if std::mem::take(&mut self.focus_password) {
                        pw.request_focus();
                    }
                    ui.end_row();
                    if first_admin {
                        let l = ui.label("Repeat password");
                        ui.add(egui::TextEdit::singleline(&mut self.confirm).password(true).desired_width(240.0)).labelled_by(l.id);
                        ui.end_row();
                    }
                }));
                ui.add_space(12.0);
                let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
                let label = if first_admin { "Create admin and sign in" } else { "Sign in" };
                let clicked = ui.add_enabled(!self.busy, egui::Button::new(label).min_size(egui::vec2(200.0, 32.0))).clicked();
                if (clicked || enter) && !self.busy && !self.name.trim().is_empty() {
                    if first_admin && self.password != self.confirm {
                        self.error = Some("the passwords do not match".into());
                    } else {
                        self.busy = true;
                        self.error = None;
                        let (name, password) = (self.name.trim().to_string(), std::mem::take(&mut self.password));
                        self.confirm.clear();
                        action = Some(SignInAction::Request(if first_admin {
                            Request::CreateFirstAdmin { name, password }
                        } else {
                            Request::SignIn { name, password }
                        }));
                    }
                }
                if self.busy {
                    ui.spinner();
                }
                if let Some(e) = &self.error {
                    ui.add_space(8.0);
                    ui.colored_label(theme::WARN, e);
                }
                if self.is_demo() {
                    ui.add_space(24.0);
                    ui.label(egui::RichText::new("Demo workspace: synthetic data only. Demo users:").strong());
                    centered(ui, 330.0, |ui| egui::Grid::new("demo-users").striped(true).show(ui, |ui| {
                        for (name, role, pw) in demo::USERS {
                            ui.label(*name);
                            ui.label(role.as_str());
                            ui.monospace(*pw);
                            if ui.small_button("Use").clicked() {
                                self.name = name.to_string();
                                self.password = pw.to_string();
                            }
                            ui.end_row();
                        }
                    }));
                }
                ui.add_space(24.0);
                if ui.link("Open another store…").clicked() {
                    action = Some(SignInAction::OtherStore);
                }
            });
        });
        action
    }
}

/// Lays `add` out in a column of `width` centred in the available space.
fn centered<R>(ui: &mut egui::Ui, width: f32, add: impl FnOnce(&mut egui::Ui) -> R) -> R {
    ui.horizontal(|ui| {
        ui.add_space(((ui.available_width() - width) / 2.0).max(0.0));
        ui.vertical(|ui| {
            ui.set_max_width(width);
            add(ui)
        })
        .inner
    })
    .inner
}

/// Selects the whole text of the text box `id` (so typing replaces a prefilled name).
fn select_all(ui: &egui::Ui, id: egui::Id, text: &str) {
    let mut state = egui::text_edit::TextEditState::load(ui.ctx(), id).unwrap_or_default();
    state
        .cursor
        .set_char_range(Some(egui::text_selection::CCursorRange::select_all_str(
            text,
        )));
    state.store(ui.ctx(), id);
}
