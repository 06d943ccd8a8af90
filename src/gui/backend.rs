//! The desk's worker thread. It owns the store connection and runs every use case off the
//! UI thread; the UI sends [`Request`]s and draws the [`Reply`]s. It also notices commits
//! by other windows or desks (SQLite's data version) and renews the open item's claim
//! while the reviewer is active.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::appeals::AppealOutcome;
use crate::clock::Clock;
use crate::model::Platform;
use crate::model::request::Response;
use crate::model::taxonomy::{Ground, Group};
use crate::model::{Outcome, ProposalState, Role, Status};
use crate::queue::ItemRecord;
use crate::requests::RequestView;
use crate::store::{EventRow, ProposalRow, QueueFilter, QueueRow};
use crate::{Session, Workspace, auth, evidence, export, import, queue, review, taxonomy};
use chrono::NaiveDate;

/// How often the worker looks for changes made by other desks.
pub const POLL: Duration = Duration::from_millis(700);

/// What the UI asks for.
#[derive(Debug)]
pub enum Request {
    /// Who the users are (for the sign-in screen: first admin, demo accounts).
    StoreInfo,
    /// Sign in.
    SignIn { name: String, password: String },
    /// Create the first admin of an empty store, then sign in as them.
    CreateFirstAdmin { name: String, password: String },
    /// Sign out, releasing any claim.
    SignOut,
    /// List users (admins).
    Users,
    /// Add a user (admins).
    AddUser {
        name: String,
        role: Role,
        password: String,
    },
    /// Change a role (admins).
    SetRole { name: String, role: Role },
    /// Load the queue.
    Queue {
        generation: u64,
        filter: QueueFilter,
        search: String,
    },
    /// Open an item, claiming it if asked and allowed; releases the claim held before.
    /// `prefetch` names the items likely to be opened next.
    Open {
        item: i64,
        claim: bool,
        prefetch: Vec<i64>,
    },
    /// Leave the open item, releasing its claim.
    Close,
    /// The reviewer is active on the open item: renew its lease if it is running down.
    Active,
    /// Change tags.
    Tag {
        item: i64,
        add_groups: Vec<String>,
        add_grounds: Vec<String>,
        remove_groups: Vec<String>,
        remove_grounds: Vec<String>,
    },
    /// Attach image files.
    Attach { item: i64, files: Vec<PathBuf> },
    /// Seal and propose.
    Propose {
        item: i64,
        outcome: Outcome,
        rationale: String,
    },
    /// Approve, naming the packet hash reviewed.
    Approve { item: i64, packet_hash: String },
    /// Return with a reason.
    Return { item: i64, reason: String },
    /// Confirm or reject "mirror of #of".
    MirrorVerdict { item: i64, of: i64, confirm: bool },
    /// Load the approvals inbox.
    Inbox,
    /// Export approved decisions.
    Export { path: PathBuf },
    /// Import an item file (runs on its own thread).
    Import { path: PathBuf },
    /// Load every request to platforms.
    Requests,
    /// Build a takedown request to a platform from its approved takedowns (leads).
    CreateRequest { platform: Platform, emergency: bool },
    /// Record that a request was sent.
    MarkSent {
        reference: String,
        channel: String,
        platform_ref: String,
    },
    /// Record a platform's response on one item.
    Respond {
        reference: String,
        item: i64,
        response: Response,
        note: String,
    },
    /// Export a request as a BagIt bag into a new folder.
    ExportRequest { reference: String, out: PathBuf },
    /// Compute the transparency report for a period.
    Report { from: NaiveDate, to: NaiveDate },
    /// Write the transparency report for a period to a .csv or .html file.
    WriteReport {
        from: NaiveDate,
        to: NaiveDate,
        out: PathBuf,
    },
    /// Record an appeal of the open item's final decision.
    FileAppeal {
        item: i64,
        appellant: String,
        reference: String,
        grounds: String,
    },
    /// Propose an appeal's outcome.
    ProposeAppeal {
        item: i64,
        appeal: i64,
        outcome: AppealOutcome,
        reasons: String,
    },
    /// Approve (true) or return an appeal's pending outcome.
    DecideAppeal {
        item: i64,
        appeal: i64,
        approve: bool,
        reason: String,
    },
}

/// The taxonomy as the tagging panel shows it.
#[derive(Clone, Debug, Default)]
pub struct TaxonomyView {
    /// Version number.
    pub version: i64,
    /// Label of the list.
    pub label: String,
    /// Groups.
    pub groups: Vec<Group>,
    /// Legal grounds.
    pub grounds: Vec<Ground>,
}

/// The claim on the open item, as far as this desk is concerned.
#[derive(Clone, Debug, PartialEq)]
pub enum ClaimState {
    /// This desk holds it until the given time.
    Mine(String),
    /// Someone else holds it.
    Other { by: String, until: String },
    /// The item is not open for review (proposed, approved …) or the user does not review.
    ReadOnly,
    /// Claiming failed.
    Failed(String),
}

/// An opened item with everything the item view and the decision panel show.
#[derive(Clone, Debug)]
pub struct ItemView {
    /// The item's record.
    pub record: ItemRecord,
    /// Its audit events, oldest first.
    pub events: Vec<EventRow>,
    /// The claim.
    pub claim: ClaimState,
    /// Evidence of the items likely opened next, to decode ahead.
    pub prefetch: Vec<String>,
    /// The item's evidence matching imported hash lists.
    pub hash_matches: Vec<crate::hashlist::HashMatch>,
    /// Appeals of its decisions.
    pub appeals: Vec<crate::store::AppealRow>,
    /// Requests to platforms it is in: (reference, kind).
    pub requests: Vec<(String, String)>,
}

/// A mirror candidate as the item view compares it.
#[derive(Clone, Debug)]
pub struct MirrorView {
    /// The candidate and its per-field scores.
    pub candidate: crate::mirrors::Candidate,
    /// The taken-down item.
    pub original: ItemRecord,
    /// A verdict already recorded on this pair: confirmed (true) or rejected.
    pub verdict: Option<bool>,
}

/// One proposal in the leads' inbox.
#[derive(Clone, Debug)]
pub struct InboxEntry {
    /// The proposal.
    pub proposal: ProposalRow,
    /// The item's handle.
    pub handle: String,
    /// The item's display name.
    pub display_name: String,
    /// The item's platform.
    pub platform: String,
    /// Why the signed-in lead may not approve it, if they may not.
    pub blocked: Option<String>,
}

/// What the worker reports.
#[derive(Debug)]
pub enum Reply {
    /// The store could not be opened.
    OpenFailed(String),
    /// The store's users.
    StoreInfo { users: Vec<(String, Role)> },
    /// Signed in.
    SignedIn {
        session: Session,
        taxonomy: TaxonomyView,
    },
    /// Signing in failed.
    SignInFailed(String),
    /// Signed out.
    SignedOut,
    /// The queue.
    Queue {
        generation: u64,
        rows: Vec<QueueRow>,
    },
    /// An opened or refreshed item.
    Item(Box<ItemView>),
    /// The inbox.
    Inbox(Vec<InboxEntry>),
    /// Users and roles.
    Users(Vec<(String, Role)>),
    /// A proposal was sealed.
    Proposed { item: i64, hash: String },
    /// A proposal was approved or returned.
    Decided { item: i64, what: String },
    /// Something done, to tell the user.
    Done(String),
    /// A refused or failed action, to show.
    Failed(String),
    /// Another desk changed the store.
    Changed,
    /// Mirror candidates of an item, with the taken-down items' records.
    Mirrors {
        item: i64,
        candidates: Vec<MirrorView>,
    },
    /// Import progress: rows checked, rows in file.
    ImportProgress(usize, usize),
    /// Import finished: a summary, or the refusal with every problem.
    ImportFinished(Result<import::ImportReport, String>),
    /// Every request to platforms, newest first.
    Requests(Vec<RequestView>),
    /// The transparency report.
    Report(Box<crate::model::report::Report>),
}

/// The UI's handle on the worker.
pub struct Backend {
    tx: Sender<Request>,
    rx: Receiver<Reply>,
    pending: Arc<AtomicUsize>,
    thread: Option<JoinHandle<()>>,
}

impl Backend {
    /// Starts the worker on the store at `path`. `wake` is called after every reply.
    pub fn start(
        path: &Path,
        clock: Clock,
        wake: impl Fn() + Send + Sync + 'static,
    ) -> crate::Result<Backend> {
        let (tx, worker_rx) = channel();
        let (worker_tx, rx) = channel();
        let pending = Arc::new(AtomicUsize::new(0));
        let path = path.to_path_buf();
        let wake: Arc<dyn Fn() + Send + Sync> = Arc::new(wake);
        let pending_worker = pending.clone();
        // The store is opened (and migrated) on the worker, never on the UI thread.
        let thread = std::thread::Builder::new()
            .name("parakh-store".into())
            .spawn(move || match Workspace::open(&path) {
                Ok(ws) => Worker {
                    ws: ws.with_clock(clock),
                    path,
                    session: None,
                    held: None,
                    pool: None,
                    deferred_mirrors: None,
                    out: worker_tx,
                    wake,
                    pending: pending_worker,
                }
                .run(worker_rx),
                Err(e) => {
                    let _ = worker_tx.send(Reply::OpenFailed(e.to_string()));
                    // Answer whatever was asked so nobody waits for ever.
                    for _ in worker_rx.iter() {
                        pending_worker.fetch_sub(1, Ordering::SeqCst);
                    }
                    wake();
                }
            })
            .map_err(|e| crate::Error::io("starting the store worker", e))?;
        Ok(Backend {
            tx,
            rx,
            pending,
            thread: Some(thread),
        })
    }

    /// Sends a request.
    pub fn send(&self, r: Request) {
        self.pending.fetch_add(1, Ordering::SeqCst);
        if self.tx.send(r).is_err() {
            self.pending.fetch_sub(1, Ordering::SeqCst);
        }
    }

    /// Replies that have arrived.
    pub fn poll(&self) -> Vec<Reply> {
        self.rx.try_iter().collect()
    }

    /// Whether every request sent has been answered.
    pub fn idle(&self) -> bool {
        self.pending.load(Ordering::SeqCst) == 0
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        let _ = self.tx.send(Request::SignOut);
        let (tx, _) = channel();
        self.tx = tx; // disconnects the worker's receiver so its loop ends
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

struct Worker {
    ws: Workspace,
    path: PathBuf,
    session: Option<Session>,
    held: Option<i64>,
    /// Accounts with an approved takedown, kept until the store changes.
    pool: Option<crate::mirrors::Pool>,
    /// The open item whose mirror candidates are still to be found.
    deferred_mirrors: Option<i64>,
    out: Sender<Reply>,
    wake: Arc<dyn Fn() + Send + Sync>,
    pending: Arc<AtomicUsize>,
}

impl Worker {
    fn run(mut self, rx: Receiver<Request>) {
        let mut version = self.ws.data_version().unwrap_or(0);
        let mut last_poll = Instant::now();
        loop {
            // Mirror candidates wait until no newer request does: stepping through the queue
            // never waits for the search of an item already left behind.
            let wait = if self.deferred_mirrors.is_some() {
                Duration::ZERO
            } else {
                POLL
            };
            match rx.recv_timeout(wait) {
                Ok(req) => {
                    if matches!(
                        req,
                        Request::Open { .. } | Request::Close | Request::SignOut
                    ) && self.deferred_mirrors.take().is_some()
                    {
                        self.pending.fetch_sub(1, Ordering::SeqCst);
                    }
                    let reply = self.handle(req);
                    self.send(reply);
                    self.pending.fetch_sub(1, Ordering::SeqCst);
                    (self.wake)();
                }
                Err(RecvTimeoutError::Timeout) => {
                    if let Some(item) = self.deferred_mirrors.take() {
                        let reply = match self.mirrors(item) {
                            Ok(candidates) => Reply::Mirrors { item, candidates },
                            Err(e) => Reply::Failed(e),
                        };
                        self.send(Some(reply));
                        self.pending.fetch_sub(1, Ordering::SeqCst);
                        (self.wake)();
                    }
                }
                Err(RecvTimeoutError::Disconnected) => break,
            }
            if last_poll.elapsed() >= POLL {
                last_poll = Instant::now();
                if let Ok(v) = self.ws.data_version()
                    && v != version
                {
                    version = v;
                    if self.session.is_some() {
                        self.send(Some(Reply::Changed));
                        (self.wake)();
                    }
                }
            }
        }
        self.release_held();
    }

    fn send(&self, r: Option<Reply>) {
        if let Some(r) = r {
            let _ = self.out.send(r);
        }
    }

    fn release_held(&mut self) {
        if let (Some(item), Some(s)) = (self.held.take(), &self.session) {
            let _ = review::release(&mut self.ws, s, item);
        }
    }

    fn session(&self) -> Result<Session, String> {
        self.session
            .clone()
            .ok_or_else(|| "not signed in".to_string())
    }

    fn handle(&mut self, req: Request) -> Option<Reply> {
        match self.try_handle(req) {
            Ok(r) => r,
            Err(e) => Some(Reply::Failed(e)),
        }
    }

    fn try_handle(&mut self, req: Request) -> Result<Option<Reply>, String> {
        let ws = &mut self.ws;
        Ok(Some(match req {
            Request::StoreInfo => Reply::StoreInfo {
                users: auth::list_users(ws).map_err(|e| e.to_string())?,
            },
            Request::SignIn { name, password } => match auth::login(ws, &name, &password) {
                Ok(session) => {
                    self.session = Some(session.clone());
                    Reply::SignedIn {
                        session,
                        taxonomy: load_taxonomy(ws)?,
                    }
                }
                Err(e) => Reply::SignInFailed(e.to_string()),
            },
            Request::CreateFirstAdmin { name, password } => {
                auth::add_user(ws, None, &name, Role::Admin, &password)
                    .map_err(|e| e.to_string())?;
                return self.try_handle(Request::SignIn { name, password });
            }
            Request::SignOut => {
                self.release_held();
                self.session = None;
                Reply::SignedOut
            }
            Request::Users => Reply::Users(auth::list_users(ws).map_err(|e| e.to_string())?),
            Request::AddUser {
                name,
                role,
                password,
            } => {
                let s = self.session()?;
                auth::add_user(&mut self.ws, Some(&s), &name, role, &password)
                    .map_err(|e| e.to_string())?;
                Reply::Users(auth::list_users(&mut self.ws).map_err(|e| e.to_string())?)
            }
            Request::SetRole { name, role } => {
                let s = self.session()?;
                auth::set_role(&mut self.ws, &s, &name, role).map_err(|e| e.to_string())?;
                Reply::Users(auth::list_users(&mut self.ws).map_err(|e| e.to_string())?)
            }
            Request::Queue {
                generation,
                filter,
                search,
            } => {
                let search = (!search.trim().is_empty()).then_some(search.as_str());
                Reply::Queue {
                    generation,
                    rows: queue::list(ws, filter, search).map_err(|e| e.to_string())?,
                }
            }
            Request::Open {
                item,
                claim,
                prefetch,
            } => {
                if self.held.is_some_and(|h| h != item) {
                    self.release_held();
                }
                let view = self.open(item, claim, &prefetch)?;
                // Its mirror candidates follow in a second reply, once nothing newer waits.
                self.defer_mirrors(item);
                Reply::Item(Box::new(view))
            }
            Request::MirrorVerdict { item, of, confirm } => {
                let s = self.session()?;
                crate::mirrors::decide(&mut self.ws, &s, item, of, confirm)
                    .map_err(|e| e.to_string())?;
                let what = if confirm {
                    "confirmed as a mirror of"
                } else {
                    "recorded as not a mirror of"
                };
                self.send(Some(Reply::Done(format!("#{item} {what} #{of}"))));
                let view = self.open(item, false, &[])?;
                self.defer_mirrors(item);
                Reply::Item(Box::new(view))
            }
            Request::Close => {
                self.release_held();
                return Ok(None);
            }
            Request::Active => {
                self.renew_if_running_down();
                return Ok(None);
            }
            Request::Tag {
                item,
                add_groups,
                add_grounds,
                remove_groups,
                remove_grounds,
            } => {
                let s = self.session()?;
                review::tag(
                    &mut self.ws,
                    &s,
                    item,
                    &add_groups,
                    &add_grounds,
                    &remove_groups,
                    &remove_grounds,
                )
                .map_err(|e| e.to_string())?;
                Reply::Item(Box::new(self.open(item, false, &[])?))
            }
            Request::Attach { item, files } => {
                let s = self.session()?;
                let n = files.len();
                evidence::attach(&mut self.ws, &s, item, &files).map_err(|e| e.to_string())?;
                self.send(Some(Reply::Done(format!(
                    "attached {n} file{} to #{item}",
                    if n == 1 { "" } else { "s" }
                ))));
                Reply::Item(Box::new(self.open(item, false, &[])?))
            }
            Request::Propose {
                item,
                outcome,
                rationale,
            } => {
                let s = self.session()?;
                let (_, hash) = review::propose(&mut self.ws, &s, item, outcome, &rationale)
                    .map_err(|e| e.to_string())?;
                if self.held == Some(item) {
                    self.held = None; // proposing released it
                }
                Reply::Proposed { item, hash }
            }
            Request::Approve { item, packet_hash } => {
                let s = self.session()?;
                review::approve(&mut self.ws, &s, item, Some(&packet_hash))
                    .map_err(|e| e.to_string())?;
                Reply::Decided {
                    item,
                    what: format!("approved #{item}"),
                }
            }
            Request::Return { item, reason } => {
                let s = self.session()?;
                review::return_item(&mut self.ws, &s, item, &reason).map_err(|e| e.to_string())?;
                Reply::Decided {
                    item,
                    what: format!("returned #{item} to review"),
                }
            }
            Request::Inbox => {
                let s = self.session()?;
                Reply::Inbox(inbox(&mut self.ws, &s)?)
            }
            Request::Export { path } => {
                let n = export::write_decisions(ws, &path).map_err(|e| e.to_string())?;
                Reply::Done(format!(
                    "exported {n} approved decisions to {}",
                    path.display()
                ))
            }
            Request::Import { path } => {
                let s = self.session()?;
                self.spawn_import(s, path);
                return Ok(None);
            }
            Request::Requests => Reply::Requests(self.requests()?),
            Request::CreateRequest {
                platform,
                emergency,
            } => {
                let s = self.session()?;
                let r = crate::requests::create(&mut self.ws, &s, platform, emergency, None)
                    .map_err(|e| e.to_string())?;
                self.send(Some(Reply::Done(format!("created request {r}"))));
                Reply::Requests(self.requests()?)
            }
            Request::MarkSent {
                reference,
                channel,
                platform_ref,
            } => {
                let s = self.session()?;
                let due = crate::requests::mark_sent(
                    &mut self.ws,
                    &s,
                    &reference,
                    &channel,
                    &platform_ref,
                    None,
                )
                .map_err(|e| e.to_string())?;
                self.send(Some(Reply::Done(format!(
                    "{reference} sent; response due by {}",
                    crate::clock::fmt_ts(due)
                ))));
                Reply::Requests(self.requests()?)
            }
            Request::Respond {
                reference,
                item,
                response,
                note,
            } => {
                let s = self.session()?;
                crate::requests::record_response(
                    &mut self.ws,
                    &s,
                    &reference,
                    item,
                    response,
                    None,
                    &note,
                )
                .map_err(|e| e.to_string())?;
                Reply::Requests(self.requests()?)
            }
            Request::ExportRequest { reference, out } => {
                let s = self.session()?;
                let dest = crate::requests::export(&mut self.ws, &s, &reference, &out)
                    .map_err(|e| e.to_string())?;
                Reply::Done(format!(
                    "exported {reference} as a BagIt bag to {}",
                    dest.display()
                ))
            }
            Request::Report { from, to } => Reply::Report(Box::new(
                crate::report::compute(&mut self.ws, from, to).map_err(|e| e.to_string())?,
            )),
            Request::WriteReport { from, to, out } => {
                let r =
                    crate::report::compute(&mut self.ws, from, to).map_err(|e| e.to_string())?;
                crate::report::write(&r, &out).map_err(|e| e.to_string())?;
                Reply::Done(format!("report written to {}", out.display()))
            }
            Request::FileAppeal {
                item,
                appellant,
                reference,
                grounds,
            } => {
                let s = self.session()?;
                crate::appeals::file(&mut self.ws, &s, item, &appellant, &reference, &grounds)
                    .map_err(|e| e.to_string())?;
                self.send(Some(Reply::Done(format!("appeal of #{item} recorded"))));
                Reply::Item(Box::new(self.open(item, false, &[])?))
            }
            Request::ProposeAppeal {
                item,
                appeal,
                outcome,
                reasons,
            } => {
                let s = self.session()?;
                crate::appeals::propose(&mut self.ws, &s, appeal, outcome, &reasons)
                    .map_err(|e| e.to_string())?;
                Reply::Item(Box::new(self.open(item, false, &[])?))
            }
            Request::DecideAppeal {
                item,
                appeal,
                approve,
                reason,
            } => {
                let s = self.session()?;
                if approve {
                    let made = crate::appeals::approve(&mut self.ws, &s, appeal)
                        .map_err(|e| e.to_string())?;
                    self.send(Some(Reply::Done(match made {
                        Some(r) => format!("appeal decided; reinstatement request {r} created"),
                        None => "appeal decided".into(),
                    })));
                } else {
                    crate::appeals::return_outcome(&mut self.ws, &s, appeal, &reason)
                        .map_err(|e| e.to_string())?;
                }
                Reply::Item(Box::new(self.open(item, false, &[])?))
            }
        }))
    }

    fn open(&mut self, item: i64, claim: bool, prefetch: &[i64]) -> Result<ItemView, String> {
        let s = self.session()?;
        let mut claim_state = None;
        if claim && s.role.reviews() {
            let record = queue::record(&mut self.ws, item).map_err(|e| e.to_string())?;
            let open = matches!(record.item.status, Status::New | Status::Returned)
                || (record.item.status == Status::InReview
                    && record.item.claimed_by.as_deref() == Some(&s.name));
            if open {
                match review::claim(&mut self.ws, &s, item) {
                    Ok(_) => self.held = Some(item),
                    Err(e) => claim_state = Some(ClaimState::Failed(e.to_string())),
                }
            }
        }
        let record = queue::record(&mut self.ws, item).map_err(|e| e.to_string())?;
        let events = crate::audit::log(&mut self.ws, Some(item)).map_err(|e| e.to_string())?;
        let claim = claim_state.unwrap_or_else(|| {
            match (&record.item.claimed_by, record.item.lease_until) {
                (Some(by), Some(until)) if by == &s.name => {
                    ClaimState::Mine(crate::clock::fmt_ts(until))
                }
                (Some(by), Some(until)) => ClaimState::Other {
                    by: by.clone(),
                    until: crate::clock::fmt_ts(until),
                },
                _ => ClaimState::ReadOnly,
            }
        });
        if let ClaimState::Mine(_) = claim {
            self.held = Some(item);
        }
        let mut next = Vec::new();
        for id in prefetch {
            if let Ok(r) = queue::record(&mut self.ws, *id) {
                next.extend(r.evidence.into_iter().map(|e| e.sha256));
            }
        }
        let hash_matches =
            crate::hashlist::matches(&mut self.ws, item).map_err(|e| e.to_string())?;
        let appeals = crate::appeals::list(&mut self.ws, Some(item)).map_err(|e| e.to_string())?;
        let requests = crate::requests::of_item(&mut self.ws, item).map_err(|e| e.to_string())?;
        Ok(ItemView {
            record,
            events,
            claim,
            prefetch: next,
            hash_matches,
            appeals,
            requests,
        })
    }

    fn requests(&mut self) -> Result<Vec<RequestView>, String> {
        crate::requests::list(&mut self.ws, false).map_err(|e| e.to_string())
    }

    fn defer_mirrors(&mut self, item: i64) {
        if self.deferred_mirrors.replace(item).is_none() {
            // Counts as outstanding work until the candidates are sent or superseded.
            self.pending.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn mirrors(&mut self, item: i64) -> Result<Vec<MirrorView>, String> {
        let current = match &self.pool {
            Some(p) => {
                crate::mirrors::pool_is_current(&mut self.ws, p).map_err(|e| e.to_string())?
            }
            None => false,
        };
        if !current {
            self.pool = Some(crate::mirrors::pool(&mut self.ws).map_err(|e| e.to_string())?);
        }
        let Some(pool) = self.pool.as_ref() else {
            return Ok(Vec::new());
        };
        let found =
            crate::mirrors::candidates_in(&mut self.ws, item, pool).map_err(|e| e.to_string())?;
        let verdicts = crate::mirrors::verdicts(&mut self.ws, item).map_err(|e| e.to_string())?;
        found
            .into_iter()
            .take(3)
            .map(|candidate| {
                let original =
                    queue::record(&mut self.ws, candidate.item).map_err(|e| e.to_string())?;
                let verdict = verdicts
                    .iter()
                    .rev()
                    .find(|v| v.of_item == candidate.item)
                    .map(|v| v.confirmed);
                Ok(MirrorView {
                    candidate,
                    original,
                    verdict,
                })
            })
            .collect()
    }

    fn renew_if_running_down(&mut self) {
        let (Some(item), Some(s)) = (self.held, self.session.clone()) else {
            return;
        };
        let Ok(r) = queue::record(&mut self.ws, item) else {
            return;
        };
        let remaining = r.item.lease_until.map(|t| t - self.ws.now());
        if remaining.is_none_or(|d| d < chrono::Duration::minutes(12)) {
            match review::claim(&mut self.ws, &s, item) {
                Ok(_) => {}
                Err(e) => {
                    self.held = None;
                    self.send(Some(Reply::Failed(format!(
                        "your claim on #{item} could not be renewed: {e}"
                    ))));
                }
            }
        }
    }

    fn spawn_import(&self, s: Session, path: PathBuf) {
        let out = self.out.clone();
        let wake = self.wake.clone();
        let store = self.path.clone();
        std::thread::spawn(move || {
            let result = Workspace::open(&store).and_then(|mut ws| {
                let mut last = Instant::now();
                import::import_file_with_progress(&mut ws, Some(&s), &path, &mut |done, total| {
                    if last.elapsed() > Duration::from_millis(100) || done == total {
                        last = Instant::now();
                        let _ = out.send(Reply::ImportProgress(done, total));
                        wake();
                    }
                })
            });
            let _ = out.send(Reply::ImportFinished(result.map_err(|e| e.to_string())));
            wake();
        });
    }
}

fn load_taxonomy(ws: &mut Workspace) -> Result<TaxonomyView, String> {
    let (v, groups, grounds) = taxonomy::current(ws).map_err(|e| e.to_string())?;
    Ok(TaxonomyView {
        version: v.version,
        label: v.label,
        groups,
        grounds,
    })
}

fn inbox(ws: &mut Workspace, s: &Session) -> Result<Vec<InboxEntry>, String> {
    let proposals = review::inbox(ws).map_err(|e| e.to_string())?;
    proposals
        .into_iter()
        .filter(|p| p.state == ProposalState::Pending)
        .map(|p| {
            let r = queue::record(ws, p.item_id).map_err(|e| e.to_string())?;
            Ok(InboxEntry {
                blocked: review::may_approve(s, &p).err(),
                proposal: p,
                handle: r.item.fields.handle,
                display_name: r.item.fields.display_name,
                platform: r.item.fields.platform.to_string(),
            })
        })
        .collect()
}
