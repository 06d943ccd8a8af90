//! The signed-in desk: queue or approvals inbox on the left, the item in the middle,
//! tagging and deciding on the right. Panels push [`Action`]s; `Desk::act` turns them
//! into requests to the store worker.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::app::Notice;
use super::backend::{Backend, ClaimState, InboxEntry, ItemView, Reply, Request, TaxonomyView};
use super::dialogs::Dialogs;
use super::images::Images;
use super::reader::News;
use super::settings::UserSettings;
use super::viewer::Viewer;
use super::{decide_panel, item_panel, keys, queue_panel};
use crate::Session;
use crate::model::packet::Packet;
use crate::model::{Outcome, Role, Status};
use crate::model::{QueueFilter, QueueRow, QueueSort};

/// Which list the left panel shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    /// The review queue.
    Queue,
    /// Proposals waiting for a lead.
    Inbox,
}

/// Which screen the desk shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// Queue or inbox, the item, the decision.
    Desk,
    /// Requests to platforms.
    Requests,
    /// The transparency report.
    Report,
}

/// A widget to focus on the next frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    /// The queue's search box.
    Search,
    /// The group filter of the tagging panel.
    Groups,
    /// The legal-ground filter of the tagging panel.
    Grounds,
    /// The rationale box.
    Rationale,
    /// The return-reason box.
    ReturnReason,
}

/// Something a panel asks the desk to do.
#[derive(Debug)]
pub enum Action {
    /// Select a row of the current list and preview it.
    Select(usize),
    /// Open the selected item for review (claims it).
    Open,
    /// Select the next row.
    Next,
    /// Move the selection by this many rows (Page Up/Down; Home and End go all the way),
    /// stopping at the first and last.
    Step(isize),
    /// Select the previous row.
    Prev,
    /// Reload the queue (filters changed).
    Requery,
    /// The inbox's filters changed.
    FilterInbox,
    /// Sort the queue by a column (again to reverse).
    Sort(QueueSort),
    /// Add or remove tags on the open item.
    Tag {
        add_groups: Vec<String>,
        add_grounds: Vec<String>,
        remove_groups: Vec<String>,
        remove_grounds: Vec<String>,
    },
    /// Propose the decision and go to the next item.
    SubmitAndNext,
    /// Approve the open proposal.
    Approve,
    /// Ask for a reason to return the open proposal.
    StartReturn,
    /// Return the open proposal with the typed reason.
    ConfirmReturn,
    /// Attach files to the open item.
    Attach(Vec<PathBuf>),
    /// Import an item file.
    Import(PathBuf),
    /// Export approved decisions.
    Export(PathBuf),
    /// Open another store.
    OpenStore(PathBuf),
    /// Show the queue or the inbox.
    SwitchTab(Tab),
    /// Sign out.
    SignOut,
    /// An admin's user management request.
    Admin(Request),
    /// Confirm (true) or reject the first undecided mirror candidate of the open item.
    MirrorVerdict(bool),
    /// Show another screen.
    SwitchView(View),
    /// Send a request to the worker as it is.
    Send(Request),
    /// The queue table shows row `n` (the middle of what is on screen): load the window
    /// around it when it is not loaded.
    QueueWindow(usize),
}

/// The queue list and its filters.
#[derive(Default)]
pub struct QueueState {
    /// Filters and order.
    pub filter: QueueFilter,
    /// "Only mine".
    pub mine: bool,
    /// The search text.
    pub search: String,
    /// The window of rows last loaded: rows `start..start + rows.len()` of the `total`
    /// that match. Only a window is ever loaded, so a million items cost what a screen does.
    pub rows: Vec<QueueRow>,
    /// The place of the window's first row among all that match.
    pub start: usize,
    /// How many items match the filter and search.
    pub total: usize,
    /// The selected row, by its place among all that match.
    pub selected: Option<usize>,
    /// Generation of the newest request; replies to older ones are dropped.
    pub generation: u64,
    /// Generation of the rows shown.
    pub loaded: u64,
    /// Replies from this generation on answer a new filter, sort or search: they start at
    /// the top of their results.
    pub restart_from: u64,
    /// Scroll the table to this row on the next frame.
    pub scroll_to: Option<usize>,
    /// Items whose full mirror score the table has asked of the worker since the rows
    /// were loaded (it asks for the rows it draws).
    pub asked: std::collections::HashSet<i64>,
    /// The row the next load starts at.
    pub wanted: usize,
}

/// Rows loaded at a time: some twenty screens, so stepping and scrolling nearby never
/// waits, while a million matching items cost no more than this.
pub const WINDOW: usize = 600;

impl QueueState {
    /// Row `i` (its place among all that match), when it is in the window loaded.
    pub fn row(&self, i: usize) -> Option<&QueueRow> {
        i.checked_sub(self.start).and_then(|k| self.rows.get(k))
    }

    fn row_mut(&mut self, i: usize) -> Option<&mut QueueRow> {
        i.checked_sub(self.start).and_then(|k| self.rows.get_mut(k))
    }

    /// The place of item `id`, when it is in the window loaded.
    pub fn position(&self, id: i64) -> Option<usize> {
        self.rows
            .iter()
            .position(|r| r.item.id == id)
            .map(|k| self.start + k)
    }
}

/// The decision being prepared for the open item.
#[derive(Default)]
pub struct DecisionForm {
    /// The item it belongs to.
    pub item: i64,
    /// Outcome chosen by the reviewer; none until they choose (nothing is pre-selected).
    pub outcome: Option<Outcome>,
    /// Rationale typed.
    pub rationale: String,
    /// Group search.
    pub group_query: String,
    /// Ground search.
    pub ground_query: String,
    /// Reason for returning (leads).
    pub return_reason: String,
    /// Whether the return-reason box is open.
    pub returning: bool,
}

/// An import running in the background.
#[derive(Default)]
pub struct ImportState {
    /// Rows checked, rows in file.
    pub progress: Option<crate::import::Progress>,
    /// The outcome, when finished.
    pub result: Option<Result<crate::import::ImportReport, String>>,
}

/// What the app must do after a desk frame.
#[derive(Default)]
pub struct DeskOutput {
    /// Open this store instead.
    pub open_store: Option<PathBuf>,
}

/// The signed-in desk.
pub struct Desk {
    /// Who is signed in.
    pub session: Session,
    /// Which store is open, for the status bar (a file's path, a server without password).
    pub store: String,
    /// The current taxonomy.
    pub taxonomy: TaxonomyView,
    /// This user's settings.
    pub settings: UserSettings,
    /// Queue or inbox.
    pub tab: Tab,
    /// The queue.
    pub queue: QueueState,
    /// The approvals inbox as shown (after its filters).
    pub inbox: Vec<InboxEntry>,
    /// Every proposal waiting, as last loaded.
    pub inbox_all: Vec<InboxEntry>,
    /// Scroll the inbox to the selected card on the next frame.
    pub inbox_scroll: bool,
    /// Inbox filters: only this platform, only this outcome.
    pub inbox_filter: (Option<crate::model::Platform>, Option<Outcome>),
    /// Selected inbox row.
    pub inbox_selected: Option<usize>,
    /// The item shown.
    pub item: Option<ItemView>,
    /// The item being loaded.
    pub opening: Option<i64>,
    /// The decision form.
    pub form: DecisionForm,
    /// The evidence viewer.
    pub viewer: Viewer,
    /// Open windows.
    pub dialogs: Dialogs,
    /// Focus to move on the next frame.
    pub focus: Option<Focus>,
    /// A proposal, approval or return is on its way.
    pub submitting: bool,
    /// A refusal or error, shown in full where the person is looking until they act.
    pub problem: Option<String>,
    /// Another desk's long write that holds the store, while it lasts.
    pub store_busy: Option<String>,
    /// Why screenshot text is not being read on this machine, until dismissed (said once).
    pub reading_unavailable: Option<String>,
    /// Screenshots whose text is still to be read, as the reader last said.
    pub unread_screenshots: Option<usize>,
    /// Why the team server cannot be reached, while it cannot.
    pub connection_lost: Option<String>,
    /// A different item was just loaded: panels scroll back to their top.
    pub new_item: bool,
    /// Open the next open item at or after this queue position once the queue reloads
    /// (after Submit & next).
    advance_after: Option<usize>,
    /// The background import.
    pub import: Option<ImportState>,
    /// Users and roles (admins).
    pub users: Vec<(String, Role, bool)>,
    /// Mirror candidates of the open item.
    pub mirrors: Vec<super::backend::MirrorView>,
    /// Whether the first mirror comparison is open; `None` until the item view decides
    /// from the room it has (folded when it would push the evidence off the screen).
    pub mirrors_open: Option<bool>,
    /// The evidence viewer fills the window (F); Esc or F again leaves it.
    pub large_view: bool,
    /// The screen shown.
    pub view: View,
    /// The requests screen.
    pub requests: super::requests_screen::RequestsScreen,
    /// The report screen.
    pub report: super::report_screen::ReportScreen,
    /// The appeal forms of the open item.
    pub appeal: super::appeal_panel::AppealForm,
    last_active: Instant,
}

impl Desk {
    /// A desk for `session`.
    pub fn new(session: Session, taxonomy: TaxonomyView, settings: UserSettings) -> Desk {
        let tab = if session.role == Role::Lead {
            Tab::Inbox
        } else {
            Tab::Queue
        };
        Desk {
            store: String::new(),
            session,
            taxonomy,
            settings,
            tab,
            queue: QueueState::default(),
            inbox: Vec::new(),
            inbox_all: Vec::new(),
            inbox_filter: (None, None),
            inbox_scroll: false,
            inbox_selected: None,
            item: None,
            opening: None,
            form: DecisionForm::default(),
            viewer: Viewer::default(),
            dialogs: Dialogs::default(),
            focus: None,
            submitting: false,
            problem: None,
            store_busy: None,
            reading_unavailable: None,
            unread_screenshots: None,
            connection_lost: None,
            new_item: false,
            advance_after: None,
            import: None,
            users: Vec::new(),
            mirrors: Vec::new(),
            mirrors_open: None,
            large_view: false,
            view: View::Desk,
            requests: Default::default(),
            report: super::report_screen::ReportScreen::new(chrono::Utc::now().date_naive()),
            appeal: Default::default(),
            last_active: Instant::now() - Duration::from_secs(600),
        }
    }

    /// Loads the first lists.
    pub fn start(&self, b: &Backend) {
        b.send(self.queue_request(1));
        b.send(Request::Requests);
        if self.session.role == Role::Lead {
            b.send(Request::Inbox);
        }
    }

    fn queue_request(&self, generation: u64) -> Request {
        let mut filter = self.queue.filter.clone();
        filter.claimed_by = self.queue.mine.then_some(self.session.user_id);
        filter.offset = self.queue.wanted as i64;
        filter.limit = Some(WINDOW as i64);
        Request::Queue {
            generation,
            filter,
            search: self.queue.search.clone(),
        }
    }

    fn requery(&mut self, b: &Backend) {
        self.queue.generation += 1;
        b.send(self.queue_request(self.queue.generation));
    }

    /// A new filter, sort or search: its results start at the top.
    fn requery_from_top(&mut self, b: &Backend) {
        self.queue.wanted = 0;
        self.requery(b);
        self.queue.restart_from = self.queue.generation;
    }

    /// Loads the window around row `at` when it is not loaded, or close to the window's
    /// edge with more rows beyond.
    pub fn window_around(&mut self, at: usize, b: &Backend) {
        let q = &self.queue;
        let end = q.start + q.rows.len();
        let near_start = q.start > 0 && at < q.start + WINDOW / 8;
        let near_end = end < q.total && at + WINDOW / 8 >= end;
        let want = at.saturating_sub(WINDOW / 3);
        if (near_start || near_end || at < q.start || at >= end) && want != q.wanted {
            self.queue.wanted = want;
            self.requery(b);
        }
    }

    /// Whether the desk waits for nothing.
    pub fn idle(&self) -> bool {
        self.queue.loaded == self.queue.generation.max(1)
            && self.opening.is_none()
            && !self.submitting
            && self.import.as_ref().is_none_or(|i| i.result.is_some())
    }

    /// A request failed: stop waiting for it.
    pub fn failed(&mut self) {
        self.submitting = false;
        self.opening = None;
        self.advance_after = None;
    }

    /// The id of the selected row's item in the current list.
    pub fn selected_item(&self) -> Option<i64> {
        match self.tab {
            Tab::Queue => self
                .queue
                .selected
                .and_then(|i| self.queue.row(i))
                .map(|r| r.item.id),
            Tab::Inbox => self
                .inbox_selected
                .and_then(|i| self.inbox.get(i))
                .map(|e| e.proposal.item_id),
        }
    }

    fn list_len(&self) -> usize {
        match self.tab {
            Tab::Queue => self.queue.total,
            Tab::Inbox => self.inbox.len(),
        }
    }

    /// The items after the selected one, to prefetch.
    fn upcoming(&self) -> Vec<i64> {
        let (sel, ids): (Option<usize>, Vec<i64>) = match self.tab {
            Tab::Queue => (
                self.queue
                    .selected
                    .map(|s| s.saturating_sub(self.queue.start)),
                self.queue.rows.iter().map(|r| r.item.id).collect(),
            ),
            Tab::Inbox => (
                self.inbox_selected,
                self.inbox.iter().map(|e| e.proposal.item_id).collect(),
            ),
        };
        let start = sel.map_or(0, |s| s + 1);
        ids.into_iter().skip(start).take(2).collect()
    }

    fn open_selected(&mut self, b: &Backend, claim: bool) {
        if let Some(id) = self.selected_item() {
            self.opening = Some(id);
            b.send(Request::Open {
                item: id,
                claim: claim && self.tab == Tab::Queue,
                prefetch: self.upcoming(),
            });
        }
    }

    fn select(&mut self, index: usize, b: &Backend) {
        if index >= self.list_len() {
            return;
        }
        match self.tab {
            Tab::Queue => {
                self.queue.selected = Some(index);
                self.queue.scroll_to = Some(index);
                self.window_around(index, b);
            }
            Tab::Inbox => {
                self.inbox_selected = Some(index);
                self.inbox_scroll = true;
            }
        }
        self.open_selected(b, false);
    }

    /// Makes the item shown agree with the highlighted row: opens the selected row's item
    /// when another is shown (or none), shows nothing when no row is selected.
    fn show_selected(&mut self, b: &Backend) {
        let want = self.selected_item();
        let shown = self
            .opening
            .or(self.item.as_ref().map(|v| v.record.item.id));
        if want == shown {
            return;
        }
        match want {
            Some(_) => self.open_selected(b, false),
            None if self.holds_claim() => {}
            None => {
                self.item = None;
                self.opening = None;
                b.send(Request::Close);
            }
        }
    }

    /// The inbox entries that pass its filters.
    fn filtered_inbox(&self) -> Vec<InboxEntry> {
        let (platform, outcome) = self.inbox_filter;
        self.inbox_all
            .iter()
            .filter(|e| platform.is_none_or(|p| e.platform == p.as_str()))
            .filter(|e| outcome.is_none_or(|o| e.proposal.outcome == o))
            .cloned()
            .collect()
    }

    /// Whether the signed-in user holds the open item's claim.
    pub fn holds_claim(&self) -> bool {
        self.item
            .as_ref()
            .is_some_and(|v| matches!(v.claim, ClaimState::Mine(_)))
    }

    /// Applies a worker reply; may return a notice to show.
    pub fn apply(
        &mut self,
        reply: Reply,
        b: &Backend,
        images: Option<&mut Images>,
    ) -> Option<Notice> {
        let note = |text: String, error: bool| {
            Some(Notice {
                text,
                error,
                at: Instant::now(),
            })
        };
        match reply {
            Reply::Queue {
                generation,
                offset,
                total,
                rows,
            } => {
                if generation < self.queue.generation {
                    return None;
                }
                let keep = self.selected_item_in_queue();
                let at = self.queue.selected;
                self.queue.rows = rows;
                self.queue.start = offset;
                self.queue.total = total;
                self.queue.loaded = generation;
                self.queue.asked.clear();
                let first = (total > 0).then_some(0);
                let end = offset + self.queue.rows.len();
                self.queue.selected =
                    if generation >= self.queue.restart_from && self.queue.restart_from > 0 {
                        // A new filter, sort or search starts at the top of its results.
                        self.queue.restart_from = 0;
                        first
                    } else if at.is_some_and(|i| i < offset || i >= end) && at < Some(total) {
                        // The selection is outside this window (scrolled away): it stays.
                        at
                    } else {
                        // A refresh keeps the selected item; when it left the list, the same
                        // place, unless the desk holds the item open (then no row is highlighted
                        // rather than another item's).
                        let kept = keep.and_then(|id| self.queue.position(id));
                        let held = self.holds_claim() && self.tab == Tab::Queue;
                        match kept {
                            Some(k) => Some(k),
                            None if held => None,
                            None => at
                                .map(|i| i.min(total.saturating_sub(1)))
                                .filter(|_| total > 0)
                                .or(first),
                        }
                    };
                self.queue.scroll_to = self.queue.selected;
                if let Some(from) = self.advance_after.take() {
                    // Submit & next: the first item still open for review from the same place
                    // on (in the window loaded around it).
                    let open = |(_, r): &(usize, &QueueRow)| is_open(r.item.status);
                    let rows = &self.queue.rows;
                    let next = rows
                        .iter()
                        .enumerate()
                        .skip(from.saturating_sub(offset))
                        .find(open)
                        .or_else(|| rows.iter().enumerate().find(open));
                    if let Some((n, _)) = next {
                        self.queue.selected = Some(offset + n);
                        self.queue.scroll_to = Some(offset + n);
                        self.open_selected(b, true);
                        return None;
                    }
                }
                if self.tab == Tab::Queue {
                    self.show_selected(b);
                }
                None
            }
            Reply::Inbox(entries) => {
                let keep = self
                    .inbox_selected
                    .and_then(|i| self.inbox.get(i))
                    .map(|e| e.proposal.id);
                self.inbox_all = entries;
                self.inbox = self.filtered_inbox();
                self.inbox_selected = keep
                    .and_then(|id| self.inbox.iter().position(|e| e.proposal.id == id))
                    .or(if self.inbox.is_empty() { None } else { Some(0) });
                if self.tab == Tab::Inbox {
                    self.show_selected(b);
                }
                None
            }
            Reply::Item(view) => {
                if self.opening.is_some_and(|id| id != view.record.item.id) {
                    return None; // a newer item was asked for
                }
                self.opening = None;
                let id = view.record.item.id;
                if self.form.item != id {
                    self.mirrors.clear();
                    self.mirrors_open = None;
                    // A returned item: the earlier rationale is there to revise (its groups
                    // and grounds are still tagged); the outcome is the reviewer's to choose.
                    let earlier = view
                        .record
                        .decisions
                        .last()
                        .filter(|d| d.returned.is_some())
                        .filter(|_| {
                            matches!(view.record.item.status, Status::Returned | Status::InReview)
                        })
                        .map(|d| d.proposal.rationale.clone());
                    self.form = DecisionForm {
                        item: id,
                        rationale: earlier.unwrap_or_default(),
                        ..DecisionForm::default()
                    };
                    self.viewer = Viewer::default();
                    // Found by a search inside a screenshot: that screenshot shows first.
                    let terms = crate::model::text::search_words(&self.queue.search);
                    if let Some(i) = view.record.evidence.iter().position(|e| {
                        view.words.get(&e.sha256).is_some_and(|w| {
                            !crate::model::ocr::matching_words(w, &terms).is_empty()
                        })
                    }) {
                        self.viewer.index = i;
                    }
                    self.new_item = true;
                }
                if let Some(images) = images {
                    for e in &view.record.evidence {
                        images.request(&e.sha256, true);
                    }
                    for sha in &view.prefetch {
                        images.request(sha, false);
                    }
                }
                // Keep the queue row in step with what this desk just did to the item.
                let it = &view.record.item;
                let stale = self.queue.rows.iter().any(|r| {
                    r.item.id == id
                        && (r.item.status != it.status
                            || r.item.claimed_by != it.claimed_by
                            || r.evidence_count != view.record.evidence.len() as i64)
                });
                if stale {
                    self.requery(b);
                }
                let failed = match &view.claim {
                    ClaimState::Failed(e) => Some(e.clone()),
                    _ => None,
                };
                self.item = Some(*view);
                if let Some(e) = &failed {
                    self.problem = Some(e.clone());
                }
                failed.and_then(|e| note(e, true))
            }
            Reply::Proposed { item, hash } => {
                self.submitting = false;
                self.advance_after = Some(self.queue.selected.unwrap_or(0));
                self.item = None;
                self.requery(b);
                note(
                    format!(
                        "proposed a decision on #{item}; sealed packet {}…",
                        &hash[..16]
                    ),
                    false,
                )
            }
            Reply::Decided { item, what } => {
                self.submitting = false;
                self.form.returning = false;
                self.form.return_reason.clear();
                self.item = None;
                self.inbox_all.retain(|e| e.proposal.item_id != item);
                let pos = self.inbox.iter().position(|e| e.proposal.item_id == item);
                if let Some(p) = pos {
                    self.inbox.remove(p);
                    if self.inbox.is_empty() {
                        self.inbox_selected = None;
                    } else {
                        self.inbox_selected = Some(p.min(self.inbox.len() - 1));
                        self.open_selected(b, false);
                    }
                }
                b.send(Request::Inbox);
                self.requery(b);
                note(what, false)
            }
            Reply::StoreBusy(note) => {
                self.store_busy = note;
                None
            }
            Reply::ScreenshotText(News::Unavailable(why)) => {
                self.reading_unavailable = Some(why);
                None
            }
            Reply::ScreenshotText(News::Read { shas, unread }) => {
                self.unread_screenshots = Some(unread);
                // The open item's screenshot now has words to find and highlight; a
                // search may now find items by it.
                if let Some(v) = &self.item
                    && self.opening.is_none()
                    && v.record.evidence.iter().any(|e| shas.contains(&e.sha256))
                {
                    self.opening = Some(v.record.item.id);
                    b.send(Request::Open {
                        item: v.record.item.id,
                        claim: false,
                        prefetch: Vec::new(),
                    });
                }
                if !self.queue.search.trim().is_empty() {
                    self.requery(b);
                }
                None
            }
            Reply::Connection(lost) => {
                let back = self.connection_lost.is_some() && lost.is_none();
                self.connection_lost = lost;
                if back {
                    // What other desks did meanwhile.
                    self.requery(b);
                }
                None
            }
            Reply::Changed(changes) => {
                // Only what the other desks' events touch is read again.
                self.requery(b);
                if changes.any_action("request_") {
                    b.send(Request::Requests);
                }
                if self.view == View::Report
                    && let Some(r) = self.report.request()
                {
                    b.send(r);
                }
                if self.session.role == Role::Lead {
                    b.send(Request::Inbox);
                }
                if let Some(v) = &self.item
                    && self.opening.is_none()
                    && changes.touches_item(v.record.item.id)
                {
                    self.opening = Some(v.record.item.id);
                    b.send(Request::Open {
                        item: v.record.item.id,
                        claim: false,
                        prefetch: Vec::new(),
                    });
                }
                None
            }
            Reply::QueueMarks { generation, marks } => {
                if generation == self.queue.loaded {
                    for m in marks {
                        if let Some(r) = self.queue.row_mut(m.row)
                            && r.item.id == m.item
                        {
                            r.mirror_of = m.mirror_of;
                        }
                    }
                }
                None
            }
            Reply::Mirrors { item, candidates } => {
                if self.item.as_ref().is_some_and(|v| v.record.item.id == item) {
                    if let Some(images) = images {
                        for m in &candidates {
                            if let Some(e) = m.original.evidence.first() {
                                images.request(&e.sha256, false);
                            }
                        }
                    }
                    self.mirrors = candidates;
                }
                None
            }
            Reply::Users(users) => {
                self.users = users;
                None
            }
            Reply::Requests(list) => {
                self.requests.load(list);
                None
            }
            Reply::RequestCreated { reference, list } => {
                self.requests.selected = Some(reference);
                self.requests.load(list);
                None
            }
            Reply::Report(r) => {
                self.report.report = Some(*r);
                None
            }
            Reply::ImportProgress(p) => {
                if let Some(i) = &mut self.import {
                    i.progress = Some(p);
                }
                None
            }
            Reply::ImportFinished(result) => {
                let ok = result.is_ok();
                if let Some(i) = &mut self.import {
                    i.result = Some(result);
                }
                if ok {
                    self.requery(b);
                }
                None
            }
            _ => None,
        }
    }

    fn selected_item_in_queue(&self) -> Option<i64> {
        self.queue
            .selected
            .and_then(|i| self.queue.row(i))
            .map(|r| r.item.id)
    }

    /// Carries out one action. Acting clears the last problem shown; an action refused
    /// here says why instead of doing nothing.
    fn act(&mut self, a: Action, b: &Backend, out: &mut DeskOutput) {
        let item = self.item.as_ref().map(|v| v.record.item.id);
        if !matches!(
            a,
            Action::Send(Request::ScoreMarks { .. }) | Action::QueueWindow(_)
        ) {
            self.problem = None;
        }
        match a {
            Action::Select(i) => self.select(i, b),
            Action::Open => self.open_selected(b, true),
            Action::Next => {
                let cur = match self.tab {
                    Tab::Queue => self.queue.selected,
                    Tab::Inbox => self.inbox_selected,
                };
                self.select(cur.map_or(0, |c| c + 1), b);
            }
            Action::Prev => {
                let cur = match self.tab {
                    Tab::Queue => self.queue.selected,
                    Tab::Inbox => self.inbox_selected,
                };
                if let Some(c) = cur.filter(|c| *c > 0) {
                    self.select(c - 1, b);
                }
            }
            Action::Step(by) => {
                let cur = match self.tab {
                    Tab::Queue => self.queue.selected,
                    Tab::Inbox => self.inbox_selected,
                };
                let last = self.list_len().saturating_sub(1) as isize;
                if last >= 0 {
                    let to = (cur.map_or(0, |c| c as isize) + by).clamp(0, last);
                    self.select(to as usize, b);
                }
            }
            Action::Requery => self.requery_from_top(b),
            Action::FilterInbox => {
                // A new filter starts at the top of its results.
                self.inbox = self.filtered_inbox();
                self.inbox_selected = (!self.inbox.is_empty()).then_some(0);
                self.show_selected(b);
            }
            Action::Sort(s) => {
                if self.queue.filter.sort == s {
                    self.queue.filter.descending = !self.queue.filter.descending;
                } else {
                    self.queue.filter.sort = s;
                    self.queue.filter.descending = false;
                }
                self.requery_from_top(b);
            }
            Action::Tag {
                add_groups,
                add_grounds,
                remove_groups,
                remove_grounds,
            } => {
                if let Some(item) = item {
                    b.send(Request::Tag {
                        item,
                        add_groups,
                        add_grounds,
                        remove_groups,
                        remove_grounds,
                    });
                }
            }
            Action::SubmitAndNext => match self.submit_blocker() {
                Some(why) => self.problem = Some(why),
                None => {
                    if let (Some(item), Some(outcome)) = (item, self.form.outcome) {
                        self.submitting = true;
                        b.send(Request::Propose {
                            item,
                            outcome,
                            rationale: self.form.rationale.clone(),
                        });
                    }
                }
            },
            Action::Approve => match self.approve_blocker() {
                Some(why) => self.problem = Some(why),
                None => {
                    if let (Some(item), Some(p)) = (item, self.pending_proposal()) {
                        self.submitting = true;
                        b.send(Request::Approve {
                            item,
                            packet_hash: p,
                            opened: self.viewer.opened.iter().cloned().collect(),
                        });
                    }
                }
            },
            Action::StartReturn => match self.decide_blocker("return") {
                Some(why) => self.problem = Some(why),
                None => {
                    self.form.returning = true;
                    self.focus = Some(Focus::ReturnReason);
                }
            },
            Action::ConfirmReturn => {
                let why = self.decide_blocker("return").or_else(|| {
                    if !self.form.returning {
                        Some("Nothing was returned: press R (or Return…) and write the reason first.".into())
                    } else if self.form.return_reason.trim().is_empty() {
                        Some("Nothing was returned: write the reason for returning first; the reviewer reads it.".into())
                    } else {
                        None
                    }
                });
                match why {
                    Some(why) => self.problem = Some(why),
                    None => {
                        if let Some(item) = item {
                            self.submitting = true;
                            b.send(Request::Return {
                                item,
                                reason: self.form.return_reason.clone(),
                            });
                        }
                    }
                }
            }
            Action::Attach(files) => {
                if let Some(item) = item {
                    b.send(Request::Attach { item, files });
                }
            }
            Action::Import(path) => {
                self.import = Some(ImportState::default());
                b.send(Request::Import { path });
            }
            Action::Export(path) => b.send(Request::Export { path }),
            Action::OpenStore(path) => out.open_store = Some(path),
            Action::SwitchView(view) => {
                if view == View::Requests {
                    b.send(Request::Requests);
                }
                if view == View::Report
                    && let Some(r) = self.report.request()
                {
                    b.send(r);
                }
                self.view = view;
            }
            Action::Send(r) => b.send(r),
            Action::QueueWindow(n) => self.window_around(n, b),
            Action::SwitchTab(tab) => {
                self.view = View::Desk;
                if tab == self.tab || (tab == Tab::Inbox && self.session.role != Role::Lead) {
                    return;
                }
                self.tab = tab;
                self.item = None;
                b.send(Request::Close);
                if tab == Tab::Inbox {
                    b.send(Request::Inbox);
                }
                self.open_selected(b, false);
            }
            Action::SignOut => b.send(Request::SignOut),
            Action::Admin(r) => b.send(r),
            Action::MirrorVerdict(confirm) => {
                let next = self
                    .mirrors
                    .iter()
                    .find(|m| m.verdict.is_none())
                    .map(|m| m.candidate.item);
                if let (Some(item), Some(of)) = (item, next)
                    && self.holds_claim()
                {
                    b.send(Request::MirrorVerdict { item, of, confirm });
                }
            }
        }
    }

    /// Why Submit & next cannot propose now, in a sentence; `None` when it can.
    pub fn submit_blocker(&self) -> Option<String> {
        let v = self.item.as_ref()?;
        if self.submitting {
            return Some("A decision is already on its way; wait for it.".into());
        }
        if !self.holds_claim() {
            return Some(format!(
                "Nothing was submitted: open #{} for review first (Enter claims it).",
                v.record.item.id
            ));
        }
        let Some(outcome) = self.form.outcome else {
            return Some("Nothing was submitted: choose an outcome first (T takedown, N no violation, E insufficient evidence).".into());
        };
        let grounds = v.record.tags.iter().filter(|t| t.kind == "ground").count();
        let missing = Packet::missing(
            outcome,
            v.record.evidence.len(),
            grounds,
            &self.form.rationale,
        );
        if missing.is_empty() {
            None
        } else {
            Some(format!(
                "Nothing was submitted: a {outcome} decision needs {}.",
                missing.join(" and ")
            ))
        }
    }

    /// Why the signed-in person may not approve or return (`verb`) the open item's proposal
    /// now; `None` when they may.
    pub fn decide_blocker(&self, verb: &str) -> Option<String> {
        if self.session.role != Role::Lead {
            return Some(format!(
                "Only a lead can {verb} a proposal; you are signed in as {}.",
                self.session.role
            ));
        }
        let Some(v) = self.item.as_ref() else {
            return Some(format!("Select a proposal in the inbox (I) to {verb} it."));
        };
        let Some(p) = v.record.pending() else {
            return Some(format!(
                "#{} has no proposal waiting for a lead; there is nothing to {verb}.",
                v.record.item.id
            ));
        };
        if self.submitting {
            return Some("A decision is already on its way; wait for it.".into());
        }
        crate::review::may_decide(&self.session, p, verb)
            .err()
            .map(|why| crate::error::as_sentence(&why))
    }

    /// Why the open proposal cannot be approved now; `None` when it can. A lead approves
    /// only after opening every screenshot of the packet in the viewer.
    pub fn approve_blocker(&self) -> Option<String> {
        if let Some(why) = self.decide_blocker("approve") {
            return Some(why);
        }
        let v = self.item.as_ref()?;
        let total = v.record.evidence.len();
        let unseen =
            crate::review::not_opened(v.record.evidence.iter().map(|e| e.sha256.as_str()), |sha| {
                self.viewer.opened.contains(sha)
            })
            .len();
        (unseen > 0).then(|| {
            format!(
                "Open every screenshot before approving: {unseen} of {total} not opened yet \
                 (click them or step with [ and ]; lifting the veil stays your choice)."
            )
        })
    }

    /// The packet hash of the open item's pending proposal.
    pub fn pending_proposal(&self) -> Option<String> {
        let p = self.item.as_ref()?.record.pending()?;
        Some(p.packet_hash.clone())
    }

    /// Draws the desk and applies what the panels asked for.
    pub fn show(
        &mut self,
        ui: &mut egui::Ui,
        b: &Backend,
        images: &mut Images,
        notices: &[Notice],
    ) -> DeskOutput {
        let mut actions = Vec::new();
        let reveal_held = keys::handle(ui.ctx(), self, &mut actions);
        self.dropped_files(ui.ctx(), &mut actions);
        if ui.ctx().input(|i| !i.events.is_empty())
            && self.last_active.elapsed() > Duration::from_secs(60)
            && self.holds_claim()
        {
            self.last_active = Instant::now();
            b.send(Request::Active);
        }

        egui::Panel::top("menu").show(ui, |ui| super::dialogs::menu_bar(ui, self, &mut actions));
        problem_banner(ui, self);
        egui::Panel::bottom("status").show(ui, |ui| status_bar(ui, self, images, notices));
        if self.view != View::Desk {
            let role = self.session.role;
            let zone = self.settings.utc_offset_minutes;
            egui::CentralPanel::default().show(ui, |ui| match self.view {
                View::Requests => {
                    super::requests_screen::show(ui, &mut self.requests, role, zone, &mut actions)
                }
                _ => super::report_screen::show(ui, &mut self.report, &mut actions),
            });
            super::dialogs::windows(ui.ctx(), self, &mut actions);
            let mut out = DeskOutput::default();
            for a in actions {
                self.act(a, b, &mut out);
            }
            return out;
        }
        if self.large_view && self.item.is_some() {
            // The evidence alone, in the whole window, with the same veil and keys.
            egui::CentralPanel::default()
                .show(ui, |ui| item_panel::large(ui, self, images, reveal_held));
        } else {
            self.large_view = false;
            self.side_panels(ui, &mut actions);
            egui::CentralPanel::default().show(ui, |ui| {
                item_panel::show(ui, self, images, reveal_held, &mut actions)
            });
        }
        super::dialogs::windows(ui.ctx(), self, &mut actions);

        let mut out = DeskOutput::default();
        for a in actions {
            self.act(a, b, &mut out);
        }
        out
    }

    /// The queue (or inbox) on the left and the decision on the right. Their widths are
    /// capped by the window's so the item and its evidence always keep room, from 1024
    /// points wide up; with wide evidence (Z) the queue folds away and the decision
    /// column narrows. Contents wrap or scroll inside a panel rather than widen it.
    fn side_panels(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let width = ui.available_width();
        let wide = self.settings.wide_evidence;
        if !wide {
            let max = (width * 0.44).max(240.0);
            egui::Panel::left("list")
                .resizable(true)
                .default_size(
                    (width * if width < 1200.0 { 0.32 } else { 0.38 }).clamp(240.0, 700.0),
                )
                .size_range(240.0..=max)
                .show(ui, |ui| match self.tab {
                    Tab::Queue => queue_panel::show(ui, self, actions),
                    Tab::Inbox => queue_panel::inbox(ui, self, actions),
                });
        }
        let max = (width * if wide { 0.28 } else { 0.32 }).max(260.0);
        egui::Panel::right(if wide { "decide-narrow" } else { "decide" })
            .resizable(true)
            .default_size((width * 0.27).clamp(260.0, 420.0))
            .size_range(260.0..=max)
            .show(ui, |ui| {
                decide_panel::show(ui, self, actions);
            });
    }

    fn dropped_files(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let files: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if files.is_empty() {
            return;
        }
        if self.holds_claim() {
            actions.push(Action::Attach(files));
        } else {
            self.dialogs.message =
                Some("Open an item for review (Enter) before dropping screenshots on it.".into());
        }
    }
}

/// The last refusal or error, in full, across the top of the window until the person acts
/// or dismisses it (Esc).
fn problem_banner(ui: &mut egui::Ui, desk: &mut Desk) {
    if let Some(why) = &desk.connection_lost {
        let frame = egui::Frame::new()
            .fill(super::theme::WARN.gamma_multiply(0.25))
            .stroke(egui::Stroke::new(1.5, super::theme::WARN))
            .inner_margin(egui::Margin::symmetric(10, 6));
        egui::Panel::top("connection_lost").frame(frame).show(ui, |ui| {
            ui.label(egui::RichText::new(
                "The connection to the team server is lost. Parakh reconnects by itself; what you typed stays here, and nothing is saved until the connection is back.",
            ).strong())
            .on_hover_text(why.as_str());
        });
    }
    if let Some(note) = &desk.store_busy {
        let frame = egui::Frame::new()
            .fill(super::theme::WARN.gamma_multiply(0.12))
            .inner_margin(egui::Margin::symmetric(10, 4));
        egui::Panel::top("store_busy").frame(frame).show(ui, |ui| {
            ui.label(format!(
                "Another desk is writing: {note}. Reading goes on; claims and decisions wait until it is stored (up to {} s each, then they are refused and can be tried again).",
                crate::store::BUSY_TIMEOUT.as_secs()
            ));
        });
    }
    if let Some(why) = desk.reading_unavailable.clone() {
        let frame = egui::Frame::new()
            .fill(super::theme::WARN.gamma_multiply(0.12))
            .inner_margin(egui::Margin::symmetric(10, 4));
        egui::Panel::top("reading_unavailable")
            .frame(frame)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    let dismiss = ui.button("Dismiss");
                    ui.add(egui::Label::new(why).wrap());
                    if dismiss.clicked() {
                        // Said once: the reader says it once a sign-in.
                        desk.reading_unavailable = None;
                    }
                });
            });
    }
    let Some(text) = desk.problem.clone() else {
        return;
    };
    let frame = egui::Frame::new()
        .fill(super::theme::WARN.gamma_multiply(0.25))
        .stroke(egui::Stroke::new(1.5, super::theme::WARN))
        .inner_margin(egui::Margin::symmetric(10, 6));
    egui::Panel::top("problem").frame(frame).show(ui, |ui| {
        ui.horizontal(|ui| {
            let dismiss = ui.button("Dismiss (Esc)");
            ui.add(egui::Label::new(egui::RichText::new(text).strong()).wrap());
            if dismiss.clicked() {
                desk.problem = None;
            }
        });
    });
}

/// "1 item", "2 items".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn is_open(s: Status) -> bool {
    matches!(s, Status::New | Status::Returned)
}

fn status_bar(ui: &mut egui::Ui, desk: &Desk, images: &Images, notices: &[Notice]) {
    ui.horizontal(|ui| {
        if let Some(n) = notices.last() {
            let colour = if n.error {
                super::theme::WARN
            } else {
                super::theme::OK
            };
            ui.colored_label(colour, &n.text);
        } else {
            ui.label(egui::RichText::new("Ready").color(super::theme::MUTED));
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.label(
                egui::RichText::new(format!("images {} MB", images.bytes() / (1024 * 1024)))
                    .color(super::theme::MUTED),
            );
            ui.separator();
            // A file by its name (the whole path on hover), a server by its URL.
            let shown = if desk.store.contains("://") {
                format!("Team server: {}", desk.store)
            } else {
                let name = std::path::Path::new(&desk.store)
                    .file_name()
                    .map_or(desk.store.clone(), |n| n.to_string_lossy().into_owned());
                format!("Desk file: {name}")
            };
            ui.label(egui::RichText::new(shown).color(super::theme::MUTED))
                .on_hover_text(format!(
                    "The store this workstation has open: {}",
                    desk.store
                ));
            ui.separator();
            if let Some(n) = desk.unread_screenshots.filter(|n| *n > 0) {
                ui.label(
                    egui::RichText::new(format!(
                        "reading screenshot text: {}",
                        plural(n, "image", "images") + " to go"
                    ))
                    .color(super::theme::MUTED),
                )
                .on_hover_text(
                    "Tesseract reads the text inside screenshots in the background, so search finds it",
                );
                ui.separator();
            }
            ui.label(
                egui::RichText::new(plural(desk.queue.total, "item", "items") + " in view")
                    .color(super::theme::MUTED),
            );
            if desk.session.role == Role::Lead {
                ui.separator();
                ui.label(
                    egui::RichText::new(format!("{} waiting for approval", desk.inbox_all.len()))
                        .color(super::theme::MUTED),
                );
            }
        });
    });
}
