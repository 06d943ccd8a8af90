//! The application: which screen is up, the store worker, the image pool, notices.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::backend::{Backend, Reply, Request};
use super::desk::Desk;
use super::images::Images;
use super::opener::{Opener, location};
use super::screens::{SignIn, Welcome};
use super::settings::Remembered;
use super::{fonts, theme};
use crate::Workspace;
use crate::clock::Clock;

/// A message shown at the bottom of the window for a while.
#[derive(Clone, Debug)]
pub struct Notice {
    /// The text.
    pub text: String,
    /// Whether it reports a refusal or failure.
    pub error: bool,
    /// When it was posted.
    pub at: Instant,
}

/// The screens.
pub enum Screen {
    /// No store yet: demo, new or open.
    Welcome(Welcome),
    /// A store is open; nobody is signed in.
    SignIn(SignIn),
    /// Someone is signed in.
    Desk(Box<Desk>),
}

/// The workstation.
pub struct App {
    /// What is remembered between runs.
    pub remembered: Remembered,
    /// The open store, if any.
    pub path: Option<PathBuf>,
    /// The current screen.
    pub screen: Screen,
    /// The store worker of the open store.
    pub backend: Option<Backend>,
    /// The image pool of the open store.
    pub images: Option<Images>,
    /// Recent notices, newest last.
    pub notices: Vec<Notice>,
    /// The store asked for at start-up, opened on the first frame.
    target: Option<PathBuf>,
    ctx: Option<egui::Context>,
    clock: Clock,
    /// Whether the text of unread screenshots is read in the background after sign-in.
    read_screenshots: bool,
}

impl App {
    /// Builds the app. `db` is the store asked for on the command line; without it the
    /// default location is used. A missing store shows the welcome screen. Fonts, look and
    /// the store are set up on the first frame, on whatever context draws it.
    pub fn new(db: Option<PathBuf>, remembered: Remembered) -> App {
        let target = db.or_else(|| Workspace::default_path().ok());
        App {
            remembered,
            path: None,
            screen: Screen::Welcome(Welcome::new(target.clone())),
            backend: None,
            images: None,
            notices: Vec::new(),
            target,
            ctx: None,
            clock: Clock::System,
            read_screenshots: true,
        }
    }

    /// Replaces the clock the store worker reads time from (tests use a fixed one).
    pub fn with_clock(mut self, clock: Clock) -> App {
        self.clock = clock;
        self
    }

    /// Leaves screenshots unread (tests whose images and timing must not change; the
    /// command line still reads them).
    pub fn without_screenshot_reader(mut self) -> App {
        self.read_screenshots = false;
        self
    }

    fn first_frame(&mut self, ctx: &egui::Context) {
        fonts::install(ctx);
        theme::apply(ctx);
        self.ctx = Some(ctx.clone());
        if let Some(p) = self.target.clone().filter(|p| p.exists()) {
            self.open_store(&p);
        }
    }

    /// Opens the store at `path` and shows the sign-in screen. A team server whose URL
    /// names no login opens only when someone signs in, as them.
    pub fn open_store(&mut self, path: &Path) {
        self.remember_settings();
        self.backend = None;
        self.images = None;
        if self.ctx.is_none() {
            self.target = Some(path.to_path_buf());
            return;
        }
        self.path = Some(path.to_path_buf());
        self.remembered.last_store = Some(path.to_path_buf());
        if Opener::needs_login(path) {
            self.screen = Screen::SignIn(SignIn::for_server(&self.remembered.last_user));
            return;
        }
        if self.start(&Opener::file(path)) {
            if let Some(b) = &self.backend {
                b.send(Request::StoreInfo);
            }
            self.screen = Screen::SignIn(SignIn::new(&self.remembered.last_user));
        } else {
            self.screen = Screen::Welcome(Welcome::new(Some(path.to_path_buf())));
        }
    }

    /// Starts the store worker and the image decoders on what `opener` opens.
    fn start(&mut self, opener: &Opener) -> bool {
        let Some(ctx) = self.ctx.clone() else {
            return false;
        };
        let wake = ctx.clone();
        match Backend::start(
            opener,
            self.clock.clone(),
            self.read_screenshots,
            move || wake.request_repaint(),
        ) {
            Ok(b) => {
                self.backend = Some(b);
                let wake = ctx.clone();
                let threads =
                    std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 3));
                self.images = Some(Images::start(opener, threads, move || {
                    wake.request_repaint()
                }));
                true
            }
            Err(e) => {
                self.notify(
                    format!("cannot open {}: {e}", location(opener.path())),
                    true,
                );
                false
            }
        }
    }

    /// Keeps the signed-in reviewer's settings for the next run (on save, sign-out and store
    /// change; not every frame).
    fn remember_settings(&mut self) {
        if let Screen::Desk(d) = &self.screen {
            self.remembered
                .users
                .insert(d.session.name.clone(), d.settings.clone());
        }
    }

    /// Posts a notice.
    pub fn notify(&mut self, text: impl Into<String>, error: bool) {
        self.notices.push(Notice {
            text: text.into(),
            error,
            at: Instant::now(),
        });
        if self.notices.len() > 20 {
            self.notices.remove(0);
        }
    }

    /// Whether nothing is pending: no request unanswered, no image undecoded, no
    /// background job. Tests wait for this.
    pub fn idle(&self) -> bool {
        let screen_idle = match &self.screen {
            Screen::Welcome(w) => !w.busy(),
            Screen::SignIn(s) => !s.busy,
            Screen::Desk(d) => d.idle(),
        };
        screen_idle
            && self.backend.as_ref().is_none_or(Backend::idle)
            && self.images.as_ref().is_none_or(Images::idle)
    }

    /// The desk, when someone is signed in.
    pub fn desk(&self) -> Option<&Desk> {
        match &self.screen {
            Screen::Desk(d) => Some(d),
            _ => None,
        }
    }

    fn apply_replies(&mut self) {
        let replies = self.backend.as_ref().map(Backend::poll).unwrap_or_default();
        for reply in replies {
            match reply {
                Reply::SignedIn { session, taxonomy } => {
                    self.remembered.last_user = session.name.clone();
                    let settings = self
                        .remembered
                        .users
                        .get(&session.name)
                        .cloned()
                        .unwrap_or_default();
                    let mut desk = Desk::new(session, taxonomy, settings);
                    desk.store = self.path.as_deref().map(location).unwrap_or_default();
                    if let Some(b) = &self.backend {
                        desk.start(b);
                    }
                    self.screen = Screen::Desk(Box::new(desk));
                }
                Reply::SignedOut => {
                    self.remember_settings();
                    self.screen = Screen::SignIn(SignIn::new(&self.remembered.last_user));
                    if let Some(b) = &self.backend {
                        b.send(Request::StoreInfo);
                    }
                }
                Reply::StoreInfo { users } => {
                    if let Screen::SignIn(s) = &mut self.screen {
                        s.set_users(users);
                    }
                }
                Reply::SignInFailed(e) => {
                    if let Screen::SignIn(s) = &mut self.screen {
                        s.failed(e);
                    }
                }
                Reply::Failed(e) => {
                    if let Screen::SignIn(s) = &mut self.screen {
                        s.failed(e.clone());
                    }
                    if let Screen::Desk(d) = &mut self.screen {
                        d.failed();
                        d.problem = Some(e.clone());
                        if e.contains(crate::keys::LOCKED_HINT) {
                            d.dialogs.unlock_key = Some(String::new());
                        }
                    }
                    self.notify(e, true);
                }
                Reply::Done(text) => self.notify(text, false),
                Reply::OpenFailed(e) => {
                    self.backend = None;
                    self.images = None;
                    if self.path.as_deref().is_some_and(Opener::needs_login) {
                        // A sign-in the server refused (or could not reach): try again,
                        // the name still filled in.
                        if let Screen::SignIn(s) = &mut self.screen {
                            s.failed(e);
                        } else {
                            let mut s = SignIn::for_server(&self.remembered.last_user);
                            s.failed(e);
                            self.screen = Screen::SignIn(s);
                        }
                        return;
                    }
                    let path = self.path.take();
                    self.notify(e.clone(), true);
                    let mut welcome = Welcome::new(path);
                    welcome.error = Some(e);
                    self.screen = Screen::Welcome(welcome);
                    return;
                }
                other => {
                    if let (Screen::Desk(d), Some(b)) = (&mut self.screen, &self.backend)
                        && let Some(note) = d.apply(other, b, self.images.as_mut())
                    {
                        self.notices.push(note);
                    }
                }
            }
        }
    }

    /// Draws one frame. Called by eframe and by the UI tests.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        if self.ctx.is_none() {
            self.first_frame(ui.ctx());
        }
        self.apply_replies();
        if let Some(images) = &mut self.images {
            images.update(ui.ctx());
        }
        match &mut self.screen {
            Screen::Welcome(w) => {
                if let Some(path) = w.show(ui) {
                    self.open_store(&path);
                }
            }
            Screen::SignIn(s) => {
                let path = self.path.clone().unwrap_or_default();
                if let Some(action) = s.show(ui, &path) {
                    match action {
                        super::screens::SignInAction::Request(r) => {
                            if self.backend.is_none()
                                && Opener::needs_login(&path)
                                && let Request::SignIn { name, password } = &r
                                && let Some(url) = path.to_str()
                            {
                                let opener = Opener::server(url, name, password);
                                self.start(&opener);
                            }
                            if let Some(b) = &self.backend {
                                b.send(r);
                            }
                        }
                        super::screens::SignInAction::OtherStore => {
                            self.backend = None;
                            self.images = None;
                            self.screen = Screen::Welcome(Welcome::new(self.path.clone()));
                        }
                    }
                }
            }
            Screen::Desk(d) => {
                let (Some(backend), Some(images)) = (&self.backend, &mut self.images) else {
                    return;
                };
                super::text_box::set_face(ui.ctx(), d.settings.urdu_face);
                let out = d.show(ui, backend, images, &self.notices);
                if let Some(path) = out.open_store {
                    self.open_store(&path);
                }
            }
        }
        self.notices.retain(|n| n.at.elapsed().as_secs() < 12);
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
        if !self.notices.is_empty() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs(1));
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.remember_settings();
        eframe::set_value(storage, super::settings::STORAGE_KEY, &self.remembered);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // Dropping the worker releases any claim and ends its thread.
        self.backend = None;
        self.images = None;
    }
}
