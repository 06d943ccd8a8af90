//! The UI's side of the store worker (`gui::worker`): the [`Request`]s the UI sends,
//! the [`Reply`]s it draws, and the [`Backend`] handle that starts the worker thread. The
//! worker owns the store connection and runs every use case off the UI thread.

use chrono::{DateTime, Utc};
use std::path::PathBuf;

use super::opener::Opener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;
use std::time::Duration;

use super::worker::Worker;
use crate::appeals::AppealOutcome;
use crate::clock::Clock;
use crate::model::Platform;
use crate::model::request::Response;
use crate::model::taxonomy::{Ground, Group};
use crate::model::{Changes, EventRow, ProposalRow, QueueFilter, QueueRow};
use crate::model::{Outcome, Role};
use crate::queue::ItemRecord;
use crate::requests::RequestView;
use crate::{Session, import};
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
    /// The team server's doorbell rang: another desk appended to the trail. Sent by the
    /// worker's listener, not by the UI (and not counted as pending).
    Ring,
    /// The UI is done with the worker: end now (the doorbell's listener still holds a
    /// sender, so the channel alone would never close).
    Shutdown,
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
    /// Lift a sign-in lock (admins).
    Unlock { name: String },
    /// Unwrap the signed-in person's signing key again, after its hold ran out.
    UnlockKey { password: String },
    /// Sign (or cosign) a checkpoint of the trail: the lead's close of day.
    Checkpoint,
    /// Load a window of the queue: `filter`'s offset and limit say which rows.
    Queue {
        generation: u64,
        filter: QueueFilter,
        search: String,
    },
    /// Score the possible mirrors of queue rows on screen, for the queue load `generation`;
    /// answered by [`Reply::QueueMarks`].
    ScoreMarks { generation: u64, rows: Vec<MarkAsk> },
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
    /// Approve, naming the packet hash reviewed and the screenshots the lead opened.
    Approve {
        item: i64,
        packet_hash: String,
        opened: Vec<String>,
    },
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
    Mine(DateTime<Utc>),
    /// Someone else holds it.
    Other { by: String, until: DateTime<Utc> },
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
    /// The key fingerprint each signed event was signed with, by sequence.
    pub signed: std::collections::HashMap<i64, String>,
    /// The claim.
    pub claim: ClaimState,
    /// Evidence of the items likely opened next, to decode ahead.
    pub prefetch: Vec<String>,
    /// The item's evidence matching imported hash lists.
    pub hash_matches: Vec<crate::hashlist::HashMatch>,
    /// Appeals of its decisions.
    pub appeals: Vec<crate::model::AppealRow>,
    /// Requests to platforms it is in: (reference, kind).
    pub requests: Vec<(String, String)>,
    /// The words read from each of its screenshots, by SHA-256 (those read so far).
    pub words: std::collections::HashMap<String, Vec<crate::model::ocr::Word>>,
}

/// A queue row whose possible mirrors the table asks the worker to score.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MarkAsk {
    /// Its index in the rows of the queue load asked about.
    pub row: usize,
    /// The item.
    pub item: i64,
    /// Its evidence count when loaded (new evidence means new images to compare).
    pub evidence_count: i64,
}

/// The possible mirrors of one queue row, by the full mirror score.
#[derive(Clone, Debug, PartialEq)]
pub struct RowMarks {
    /// Its index in the rows of the queue load.
    pub row: usize,
    /// The item.
    pub item: i64,
    /// The taken-down items it may mirror, best first.
    pub mirror_of: Vec<i64>,
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
    /// How long it has waited for a lead ("3 h").
    pub waited: String,
    /// How many screenshots it holds.
    pub evidence: usize,
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
    /// A window of the queue: `rows` from row `offset` on, of `total` matching.
    Queue {
        generation: u64,
        offset: usize,
        total: usize,
        rows: Vec<QueueRow>,
    },
    /// An opened or refreshed item.
    Item(Box<ItemView>),
    /// The inbox.
    Inbox(Vec<InboxEntry>),
    /// Users and roles.
    Users(Vec<(String, Role, bool)>),
    /// A proposal was sealed.
    Proposed { item: i64, hash: String },
    /// A proposal was approved or returned.
    Decided { item: i64, what: String },
    /// Something done, to tell the user.
    Done(String),
    /// A refused or failed action, to show.
    Failed(String),
    /// Another desk changed the store: what it did.
    Changed(Changes),
    /// Another desk's long write holds the store (its note), or no longer does (`None`).
    StoreBusy(Option<String>),
    /// The connection to the team server was lost (why), or is back (`None`); the worker
    /// reconnects by itself.
    Connection(Option<String>),
    /// Possible mirrors of queue rows of the load `generation`.
    QueueMarks {
        generation: u64,
        marks: Vec<RowMarks>,
    },
    /// Mirror candidates of an item, with the taken-down items' records.
    Mirrors {
        item: i64,
        candidates: Vec<MirrorView>,
    },
    /// Import progress: checking the file, then storing it.
    ImportProgress(crate::import::Progress),
    /// Import finished: a summary, or the refusal with every problem.
    ImportFinished(Result<import::ImportReport, String>),
    /// Every request to platforms, newest first.
    Requests(Vec<RequestView>),
    /// A request was made: the list, and the new one's reference to select.
    RequestCreated {
        reference: String,
        list: Vec<crate::requests::RequestView>,
    },
    /// The transparency report.
    Report(Box<crate::model::report::Report>),
    /// What the screenshot reader did.
    ScreenshotText(super::reader::News),
}

/// The UI's handle on the worker.
pub struct Backend {
    tx: Sender<Request>,
    rx: Receiver<Reply>,
    pending: Arc<AtomicUsize>,
    thread: Option<JoinHandle<()>>,
}

impl Backend {
    /// Starts the worker on the store `opener` opens. `wake` is called after every reply.
    /// With `read_screenshots`, unread screenshots are read in the background once
    /// someone signs in.
    pub fn start(
        opener: &Opener,
        clock: Clock,
        read_screenshots: bool,
        wake: impl Fn() + Send + Sync + 'static,
    ) -> crate::Result<Backend> {
        let (tx, worker_rx) = channel();
        let (worker_tx, rx) = channel();
        let pending = Arc::new(AtomicUsize::new(0));
        let opener = opener.clone();
        let ring_tx = tx.clone();
        let wake: Arc<dyn Fn() + Send + Sync> = Arc::new(wake);
        let pending_worker = pending.clone();
        // The store is opened (and migrated) on the worker, never on the UI thread.
        let thread = std::thread::Builder::new()
            .name("parakh-store".into())
            .spawn(move || match opener.open() {
                Ok(ws) => {
                    if ws.is_server() {
                        listen_for_rings(opener.clone(), ring_tx);
                    }
                    if let Some(p) = ws.desk_problem() {
                        let _ = worker_tx.send(Reply::Failed(format!(
                            "This store does not agree with what this desk saw of it: {p}. Run `parakh audit verify`"
                        )));
                    }
                    Worker::new(ws.with_clock(clock), opener, worker_tx, wake, pending_worker)
                        .reading_screenshots(read_screenshots)
                        .run(worker_rx)
                }
                Err(e) => {
                    drop(ring_tx);
                    let _ = worker_tx.send(Reply::OpenFailed(e.sentence()));
                    // Answer whatever was asked so nobody waits for ever.
                    for req in worker_rx.iter() {
                        if matches!(req, Request::Shutdown) {
                            break;
                        }
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
        let _ = self.tx.send(Request::Shutdown);
        let (tx, _) = channel();
        self.tx = tx; // disconnects the worker's receiver so its loop ends
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Listens for the team server's doorbell on a connection of its own and passes each ring
/// to the worker; reconnects after a lost connection; ends with the worker.
fn listen_for_rings(opener: Opener, to: Sender<Request>) {
    let _ = std::thread::Builder::new()
        .name("parakh-doorbell".into())
        .spawn(move || {
            loop {
                let Ok(mut bell) = opener.doorbell() else {
                    std::thread::sleep(Duration::from_secs(2));
                    continue;
                };
                loop {
                    match bell.wait(Duration::from_secs(5)) {
                        Ok(true) => {
                            if to.send(Request::Ring).is_err() {
                                return;
                            }
                        }
                        Ok(false) => {}
                        Err(_) => break,
                    }
                }
            }
        });
}
