//! The store worker: one thread that owns the store connection, answers the UI's
//! [`Request`]s with [`Reply`]s, notices commits by other windows or desks (SQLite's data
//! version) and renews the open item's claim while the reviewer is active.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use super::backend::{
    ClaimState, InboxEntry, ItemView, MarkAsk, POLL, Reply, Request, TaxonomyView,
};
use crate::model::{ProposalState, Role, Status};
use crate::requests::RequestView;
use crate::{Session, Workspace, auth, evidence, export, import, queue, review, taxonomy};

/// The worker's state: the store connection, the session and what it still owes the UI.
pub(super) struct Worker {
    pub(super) ws: Workspace,
    pub(super) path: PathBuf,
    /// Opens further connections as the person signed in (imports run on their own).
    pub(super) opener: super::opener::Opener,
    pub(super) session: Option<Session>,
    pub(super) held: Option<i64>,
    /// The generation of the held claim when this desk took it: a propose is fenced by it.
    pub(super) held_generation: Option<i64>,
    /// Accounts with an approved takedown, kept until the store changes.
    pub(super) pool: Option<crate::mirrors::Pool>,
    /// The open item whose mirror candidates are still to be found.
    pub(super) deferred_mirrors: Option<i64>,
    /// Queue rows on screen whose possible mirrors are still to be scored, with the queue
    /// load they belong to.
    pub(super) deferred_marks: Option<(u64, Vec<MarkAsk>)>,
    /// Possible mirrors already scored against `pool`: item → (its evidence count then,
    /// the taken-down items it may mirror). Emptied whenever the pool is rebuilt.
    pub(super) marks: HashMap<i64, (i64, Vec<i64>)>,
    pub(super) out: Sender<Reply>,
    pub(super) wake: Arc<dyn Fn() + Send + Sync>,
    pub(super) pending: Arc<AtomicUsize>,
    /// Whether screenshots are read in the background after sign-in.
    pub(super) read_screenshots: bool,
    /// Stops the screenshot reader of the person signed in.
    pub(super) reader: Option<Arc<AtomicBool>>,
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.stop_reader();
    }
}

impl Worker {
    /// A worker on `ws` that answers on `out`, calls `wake` after each reply and counts
    /// down `pending` for every request answered.
    pub(super) fn new(
        ws: Workspace,
        opener: super::opener::Opener,
        out: Sender<Reply>,
        wake: Arc<dyn Fn() + Send + Sync>,
        pending: Arc<AtomicUsize>,
    ) -> Worker {
        Worker {
            ws,
            path: opener.path().to_path_buf(),
            opener,
            session: None,
            held: None,
            held_generation: None,
            pool: None,
            deferred_mirrors: None,
            deferred_marks: None,
            marks: HashMap::new(),
            out,
            wake,
            pending,
            read_screenshots: false,
            reader: None,
        }
    }

    /// With `on`, reads unread screenshots in the background once someone signs in.
    pub(super) fn reading_screenshots(mut self, on: bool) -> Worker {
        self.read_screenshots = on;
        self
    }

    /// Answers requests until the UI's end of the channel is dropped.
    pub(super) fn run(mut self, rx: Receiver<Request>) {
        let mut seen = self.ws.head_seq().unwrap_or(0);
        let mut busy: Option<String> = None;
        let mut last_poll = Instant::now();
        let mut lost: Option<String> = None;
        loop {
            // Mirror candidates wait until no newer request does: stepping through the queue
            // never waits for the search of an item already left behind.
            let wait = if self.deferred_mirrors.is_some() || self.deferred_marks.is_some() {
                Duration::ZERO
            } else {
                POLL
            };
            let mut rung = false;
            match rx.recv_timeout(wait) {
                Ok(Request::Ring) => rung = true,
                Ok(Request::Shutdown) => break,
                Ok(req) => {
                    if matches!(
                        req,
                        Request::Open { .. } | Request::Close | Request::SignOut
                    ) && self.deferred_mirrors.take().is_some()
                    {
                        self.pending.fetch_sub(1, Ordering::SeqCst);
                    }
                    if matches!(req, Request::SignOut) && self.deferred_marks.take().is_some() {
                        self.pending.fetch_sub(1, Ordering::SeqCst);
                    }
                    let before = self.ws.head_seq().ok();
                    let reply = self.handle(req);
                    self.skip_own_events(&mut seen, before);
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
                    } else if self.deferred_marks.is_some() {
                        self.score_queue_batch();
                    }
                }
                Err(RecvTimeoutError::Disconnected) => break,
            }
            if rung || last_poll.elapsed() >= POLL {
                last_poll = Instant::now();
                let note = crate::store::busy::read_note(&self.path);
                if note != busy {
                    busy = note.clone();
                    self.send(Some(Reply::StoreBusy(note)));
                    (self.wake)();
                }
                match self.ws.changes_since(seen) {
                    Ok(changes) => {
                        if lost.take().is_some() {
                            self.send(Some(Reply::Connection(None)));
                            (self.wake)();
                        }
                        if !changes.is_empty() {
                            seen = changes.head;
                            if self.session.is_some() && changes.changes_work() {
                                self.send(Some(Reply::Changed(changes)));
                                (self.wake)();
                            }
                        }
                    }
                    // A team server gone away: say so once, then reconnect at each poll.
                    Err(e) if self.ws.is_server() => {
                        if lost.is_none() {
                            lost = Some(e.sentence());
                            self.send(Some(Reply::Connection(lost.clone())));
                            (self.wake)();
                        }
                        self.reconnect();
                    }
                    Err(_) => {}
                }
            }
        }
        self.release_held();
    }

    /// After this desk acted, counts the events it appended itself (by its person, since
    /// `before`) as seen, so its own claim or decision does not come back as another
    /// desk's change; anything another desk appended meanwhile stays news.
    fn skip_own_events(&mut self, seen: &mut i64, before: Option<i64>) {
        let (Some(before), Some(me)) = (before, self.session.as_ref().map(|s| s.name.clone()))
        else {
            return;
        };
        if let Ok(changes) = self.ws.changes_since(*seen) {
            let head = changes.head;
            if changes.complete && changes.without_own(&me, before, head).events.is_empty() {
                *seen = head;
            }
        }
    }

    /// Opens the team server again as the person signed in, with their session and key,
    /// after the connection was lost; leaves things as they are while it cannot.
    fn reconnect(&mut self) {
        let Ok(mut ws) = self.opener.open() else {
            return;
        };
        if let (Some(s), Some((name, password))) = (&self.session, self.opener.login()) {
            match crate::auth::login(&mut ws, name, password) {
                Ok(again) if again.user_id == s.user_id => {}
                _ => return,
            }
        }
        let clock = self.ws.clock().clone();
        self.ws = ws.with_clock(clock);
    }

    /// Sends a reply, if there is one.
    pub(super) fn send(&self, r: Option<Reply>) {
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
            // Rings are taken in the run loop, never as requests.
            Request::Ring | Request::Shutdown => return Ok(None),
            Request::StoreInfo => Reply::StoreInfo {
                users: auth::list_users(ws).map_err(|e| e.sentence())?,
            },
            Request::SignIn { name, password } => match auth::login(ws, &name, &password) {
                Ok(session) => {
                    self.session = Some(session.clone());
                    let taxonomy = load_taxonomy(&mut self.ws)?;
                    self.start_reader(&session);
                    Reply::SignedIn { session, taxonomy }
                }
                Err(e) => Reply::SignInFailed(e.sentence()),
            },
            Request::CreateFirstAdmin { name, password } => {
                auth::add_user(ws, None, &name, Role::Admin, &password)
                    .map_err(|e| e.sentence())?;
                return self.try_handle(Request::SignIn { name, password });
            }
            Request::SignOut => {
                self.stop_reader();
                self.release_held();
                if let Some(s) = self.session.take() {
                    auth::sign_out(&mut self.ws, &s);
                }
                Reply::SignedOut
            }
            Request::Users => {
                Reply::Users(auth::list_users_with_locks(ws).map_err(|e| e.sentence())?)
            }
            Request::UnlockKey { password } => {
                let s = self.session()?;
                auth::unlock_signing_key(&mut self.ws, &s, &password).map_err(|e| e.sentence())?;
                Reply::Done("Signing key unlocked: try the act again.".into())
            }
            Request::Checkpoint => {
                let s = self.session()?;
                let done = crate::checkpoint::sign(&mut self.ws, &s).map_err(|e| e.sentence())?;
                Reply::Done(match done {
                    crate::checkpoint::Signed::New(c) => format!(
                        "Checkpoint of {} events signed; a second lead cosigns it with their close of day.",
                        c.size
                    ),
                    crate::checkpoint::Signed::Cosigned(c) => format!(
                        "Checkpoint of {} events cosigned: two leads have certified the trail. `parakh audit checkpoint --out FILE` writes it for keeping.",
                        c.size
                    ),
                })
            }
            Request::Unlock { name } => {
                let s = self.session()?;
                auth::unlock(&mut self.ws, &s, &name).map_err(|e| e.sentence())?;
                Reply::Users(auth::list_users_with_locks(&mut self.ws).map_err(|e| e.sentence())?)
            }
            Request::AddUser {
                name,
                role,
                password,
            } => {
                let s = self.session()?;
                auth::add_user(&mut self.ws, Some(&s), &name, role, &password)
                    .map_err(|e| e.sentence())?;
                Reply::Users(auth::list_users_with_locks(&mut self.ws).map_err(|e| e.sentence())?)
            }
            Request::SetRole { name, role } => {
                let s = self.session()?;
                auth::set_role(&mut self.ws, &s, &name, role).map_err(|e| e.sentence())?;
                Reply::Users(auth::list_users_with_locks(&mut self.ws).map_err(|e| e.sentence())?)
            }
            Request::Queue {
                generation,
                filter,
                search,
            } => {
                let search = (!search.trim().is_empty()).then_some(search.as_str());
                let offset = filter.offset.max(0) as usize;
                let (mut rows, total) =
                    queue::window(ws, filter, search).map_err(|e| e.sentence())?;
                self.mark_queue(&mut rows);
                Reply::Queue {
                    generation,
                    offset,
                    total: total as usize,
                    rows,
                }
            }
            Request::ScoreMarks { generation, rows } => {
                return Ok(self.score_marks(generation, rows));
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
                    .map_err(|e| e.sentence())?;
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
                .map_err(|e| e.sentence())?;
                Reply::Item(Box::new(self.open(item, false, &[])?))
            }
            Request::Attach { item, files } => {
                let s = self.session()?;
                let n = files.len();
                evidence::attach(&mut self.ws, &s, item, &files).map_err(|e| e.sentence())?;
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
                let generation = self.held_generation.filter(|_| self.held == Some(item));
                let (_, hash) =
                    review::propose_fenced(&mut self.ws, &s, item, outcome, &rationale, generation)
                        .map_err(|e| e.sentence())?;
                if self.held == Some(item) {
                    self.held = None; // proposing released it
                }
                Reply::Proposed { item, hash }
            }
            Request::Approve {
                item,
                packet_hash,
                opened,
            } => {
                let s = self.session()?;
                review::approve_after_viewing(&mut self.ws, &s, item, &packet_hash, &opened)
                    .map_err(|e| e.sentence())?;
                Reply::Decided {
                    item,
                    what: format!("approved #{item}"),
                }
            }
            Request::Return { item, reason } => {
                let s = self.session()?;
                review::return_item(&mut self.ws, &s, item, &reason).map_err(|e| e.sentence())?;
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
                let s = self.session()?;
                let n = export::write_decisions(&mut self.ws, Some(&s), &path, false)
                    .map_err(|e| e.sentence())?;
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
                    .map_err(|e| e.sentence())?;
                self.send(Some(Reply::Done(format!("created request {r}"))));
                Reply::RequestCreated {
                    reference: r.to_string(),
                    list: self.requests()?,
                }
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
                .map_err(|e| e.sentence())?;
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
                .map_err(|e| e.sentence())?;
                Reply::Requests(self.requests()?)
            }
            Request::ExportRequest { reference, out } => {
                let s = self.session()?;
                let dest = crate::requests::export(&mut self.ws, Some(&s), &reference, &out)
                    .map_err(|e| e.sentence())?;
                Reply::Done(format!(
                    "exported {reference} as a BagIt bag to {}",
                    dest.display()
                ))
            }
            Request::Report { from, to } => Reply::Report(Box::new(
                crate::report::compute(&mut self.ws, from, to).map_err(|e| e.sentence())?,
            )),
            Request::WriteReport { from, to, out } => {
                let r = crate::report::compute(&mut self.ws, from, to).map_err(|e| e.sentence())?;
                let s = self.session()?;
                crate::report::write(&mut self.ws, Some(&s), &r, &out, false)
                    .map_err(|e| e.sentence())?;
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
                    .map_err(|e| e.sentence())?;
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
                    .map_err(|e| e.sentence())?;
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
                        .map_err(|e| e.sentence())?;
                    self.send(Some(Reply::Done(match made {
                        Some(r) => format!("appeal decided; reinstatement request {r} created"),
                        None => "appeal decided".into(),
                    })));
                } else {
                    crate::appeals::return_outcome(&mut self.ws, &s, appeal, &reason)
                        .map_err(|e| e.sentence())?;
                }
                Reply::Item(Box::new(self.open(item, false, &[])?))
            }
        }))
    }

    fn open(&mut self, item: i64, claim: bool, prefetch: &[i64]) -> Result<ItemView, String> {
        let s = self.session()?;
        let mut claim_state = None;
        if claim && s.role.reviews() {
            let record = queue::record(&mut self.ws, item).map_err(|e| e.sentence())?;
            let open = matches!(record.item.status, Status::New | Status::Returned)
                || (record.item.status == Status::InReview
                    && record.item.claimed_by.as_deref() == Some(&s.name));
            if open {
                match review::claim(&mut self.ws, &s, item) {
                    Ok(c) => {
                        self.held = Some(item);
                        self.held_generation = Some(c.generation);
                    }
                    Err(e) => claim_state = Some(ClaimState::Failed(e.sentence())),
                }
            }
        }
        let record = queue::record(&mut self.ws, item).map_err(|e| e.sentence())?;
        let events = crate::audit::log(&mut self.ws, Some(item)).map_err(|e| e.sentence())?;
        let signed = crate::audit::signed_with(&mut self.ws, &events).map_err(|e| e.sentence())?;
        let claim = claim_state.unwrap_or_else(|| {
            match (&record.item.claimed_by, record.item.lease_until) {
                (Some(by), Some(until)) if by == &s.name => ClaimState::Mine(until),
                (Some(by), Some(until)) => ClaimState::Other {
                    by: by.clone(),
                    until,
                },
                _ => ClaimState::ReadOnly,
            }
        });
        if let ClaimState::Mine(_) = claim
            && self.held != Some(item)
        {
            self.held = Some(item);
            self.held_generation = review::claim_generation(&mut self.ws, item).ok();
        }
        let mut next = Vec::new();
        for id in prefetch {
            if let Ok(r) = queue::record(&mut self.ws, *id) {
                next.extend(r.evidence.into_iter().map(|e| e.sha256));
            }
        }
        let hash_matches =
            crate::hashlist::matches(&mut self.ws, item).map_err(|e| e.sentence())?;
        let appeals = crate::appeals::list(&mut self.ws, Some(item)).map_err(|e| e.sentence())?;
        let requests = crate::requests::of_item(&mut self.ws, item).map_err(|e| e.sentence())?;
        let mut words = HashMap::new();
        for e in &record.evidence {
            let w = crate::ocr::words(&mut self.ws, &e.sha256).map_err(|e| e.sentence())?;
            if !w.is_empty() {
                words.insert(e.sha256.clone(), w);
            }
        }
        Ok(ItemView {
            record,
            events,
            signed,
            claim,
            prefetch: next,
            hash_matches,
            appeals,
            requests,
            words,
        })
    }

    fn requests(&mut self) -> Result<Vec<RequestView>, String> {
        crate::requests::list(&mut self.ws, false).map_err(|e| e.sentence())
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
                // Renewed: if it changed hands meanwhile, the generation kept from the
                // first claim fences this desk's propose.
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

    /// Starts reading the text of unread screenshots in the background as `s`.
    fn start_reader(&mut self, s: &Session) {
        self.stop_reader();
        if !self.read_screenshots {
            return;
        }
        let stop = Arc::new(AtomicBool::new(false));
        super::reader::spawn(
            self.opener.clone(),
            s.clone(),
            self.out.clone(),
            self.wake.clone(),
            stop.clone(),
        );
        self.reader = Some(stop);
    }

    fn stop_reader(&mut self) {
        if let Some(stop) = self.reader.take() {
            stop.store(true, Ordering::SeqCst);
        }
    }

    fn spawn_import(&self, s: Session, path: PathBuf) {
        let out = self.out.clone();
        let wake = self.wake.clone();
        let store = self.opener.clone();
        std::thread::spawn(move || {
            let result = store.open().and_then(|mut ws| {
                let mut last = Instant::now();
                import::import_file_with_progress(&mut ws, Some(&s), &path, &mut |p| {
                    let step = matches!(p, import::Progress::Storing { stored: 0, .. });
                    if step || last.elapsed() > Duration::from_millis(100) {
                        last = Instant::now();
                        let _ = out.send(Reply::ImportProgress(p));
                        wake();
                    }
                })
            });
            let _ = out.send(Reply::ImportFinished(result.map_err(|e| e.sentence())));
            wake();
        });
    }
}

fn load_taxonomy(ws: &mut Workspace) -> Result<TaxonomyView, String> {
    let (v, groups, grounds) = taxonomy::current(ws).map_err(|e| e.sentence())?;
    Ok(TaxonomyView {
        version: v.version,
        label: v.label,
        groups,
        grounds,
    })
}

fn inbox(ws: &mut Workspace, s: &Session) -> Result<Vec<InboxEntry>, String> {
    let proposals = review::inbox(ws).map_err(|e| e.sentence())?;
    let now = ws.now();
    proposals
        .into_iter()
        .filter(|p| p.state == ProposalState::Pending)
        .map(|p| {
            let r = queue::record(ws, p.item_id).map_err(|e| e.sentence())?;
            Ok(InboxEntry {
                blocked: review::may_decide(s, &p, "approve").err(),
                waited: super::time::waited(p.proposed_at, now),
                evidence: r.evidence.len(),
                proposal: p,
                handle: r.item.fields.handle,
                display_name: r.item.fields.display_name,
                platform: r.item.fields.platform.to_string(),
            })
        })
        .collect()
}
