//! The command line: parses arguments, signs the user in, calls the use cases, prints.

pub mod args;
mod output;
mod requests;

use clap::Parser;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

pub use args::Cli;
use args::{
    AuditCommand, Command, EvidenceCommand, ExportCommand, HashlistCommand, ServerCommand,
    TaxonomyCommand, UserCommand,
};

use crate::error::{Error, Result};
use crate::model::QueueFilter;
use crate::model::text::terminal_safe as t;
use crate::model::{Outcome, Platform, Role, Status};
use crate::workspace::{Session, Workspace};
use crate::{
    audit, auth, demo, evidence, export, hashlist, import, ocr, queue, review, store, taxonomy,
};

/// Parses the process arguments and runs the command; returns the exit code.
/// `gui` opens the workstation when no command is given.
pub fn main(gui: impl FnOnce(Option<PathBuf>) -> Result<()>) -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match cli.command {
        None => gui(cli.db),
        Some(cmd) => {
            quiet_on_closed_pipe();
            run(cli.db, cli.as_user, cmd)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Messages quote names, handles and file contents: nothing in them may steer
            // the terminal (their own line breaks stay, as in a list of import problems).
            let message = e.to_string();
            eprintln!(
                "parakh: {}",
                crate::model::text::terminal_safe_lines(&message)
            );
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

/// A command's output piped into `head` or a pager that quits: end quietly, as other Unix
/// tools do, instead of panicking on the closed pipe. (Rust ignores SIGPIPE by default; the
/// workstation keeps that, so a closed socket is an error it handles, not a kill.)
fn quiet_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: restoring a signal's default disposition before any thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn store_path(db: Option<PathBuf>) -> Result<PathBuf> {
    match db {
        Some(p) => Ok(p),
        None => Workspace::default_path(),
    }
}

/// Reads a secret from an environment variable, or prompts for it on a terminal.
fn secret(var: &str, prompt: &str, confirm: bool) -> Result<String> {
    if let Ok(v) = std::env::var(var) {
        return Ok(v);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::Auth(format!(
            "no password: set {var} or run on a terminal"
        )));
    }
    let first =
        rpassword::prompt_password(prompt).map_err(|e| Error::io("reading the password", e))?;
    if confirm {
        let again = rpassword::prompt_password("Repeat the password: ")
            .map_err(|e| Error::io("reading the password", e))?;
        if again != first {
            return Err(Error::invalid("the passwords do not match"));
        }
    }
    Ok(first)
}

/// One line on what a pass of reading screenshots did.
fn report_reading(done: &ocr::Summary, engine: &ocr::Tesseract) {
    println!(
        "read the text of {} screenshot{} ({} words; {}, {}){}{}",
        done.read,
        if done.read == 1 { "" } else { "s" },
        done.words,
        engine.version,
        engine.models,
        if done.failed > 0 {
            format!("; {} could not be read (see `parakh show`)", done.failed)
        } else {
            String::new()
        },
        if done.skipped > 0 {
            format!("; {} read meanwhile by another desk", done.skipped)
        } else {
            String::new()
        }
    );
}

fn sign_in(ws: &mut Workspace, as_user: Option<&str>) -> Result<Session> {
    let name =
        as_user.ok_or_else(|| Error::Usage("this command acts as a user: add --as NAME".into()))?;
    auth::login(ws, name, &password_of(name)?)
}

/// The password of the person acting (`--as`), asked for once per command.
fn password_of(name: &str) -> Result<String> {
    static ASKED: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    if let Some(p) = ASKED.get() {
        return Ok(p.clone());
    }
    let p = secret("PARAKH_PASSWORD", &format!("Password for {name}: "), false)?;
    Ok(ASKED.get_or_init(|| p).clone())
}

/// Signs in when `--as` was given. Commands that only take data out (and record it) may run
/// without it; they are then recorded as [`crate::import::local_actor`].
fn signed_in_if_named(ws: &mut Workspace, as_user: Option<&str>) -> Result<Option<Session>> {
    as_user.map(|_| sign_in(ws, as_user)).transpose()
}

fn run(db: Option<PathBuf>, as_user: Option<String>, cmd: Command) -> Result<()> {
    let path = store_path(db)?;
    match cmd {
        Command::Init => {
            let (_, created) = Workspace::init(&path)?;
            println!(
                "{} {}",
                if created {
                    "created"
                } else {
                    "already initialised:"
                },
                path.display()
            );
            return Ok(());
        }
        Command::Demo { items } => {
            let s = demo::create(&path, items)?;
            println!("demo store: {}", path.display());
            println!(
                "{} items ({} approved, {} waiting for a lead, {} returned, {} in review), {} evidence links, {} requests to platforms, {} appeals",
                s.items,
                s.approved,
                s.proposed,
                s.returned,
                s.in_review,
                s.evidence,
                s.requests,
                s.appeals
            );
            println!("demo users (synthetic data only; never use these passwords for real work):");
            for (name, role, pw) in demo::USERS {
                println!("  {name:<8} {:<9} password: {pw}", role.as_str());
            }
            return Ok(());
        }
        Command::Hash { files } => return hash_files(&files),
        Command::Server(ServerCommand::Init { admin }) => {
            let url = path
                .to_str()
                .filter(|s| store::postgres::is_url(s))
                .ok_or_else(|| {
                    Error::Usage(
                        "server init needs --db postgres://OWNER:PASSWORD@HOST:PORT/DB".into(),
                    )
                })?;
            let pw = secret(
                "PARAKH_NEW_PASSWORD",
                &format!("New password for {admin}: "),
                true,
            )?;
            let r = crate::server::init(url, &admin, &pw)?;
            let url = store::postgres::redacted(url);
            println!(
                "{}: database {}, schema {}, {}",
                url,
                if r.created_database {
                    "created"
                } else {
                    "present"
                },
                if r.created_schema {
                    "installed"
                } else {
                    "present"
                },
                if r.added_admin {
                    format!("first admin {admin} added")
                } else {
                    "users present".to_string()
                }
            );
            return Ok(());
        }
        Command::Server(ServerCommand::Copy { from, to, admin }) => {
            let pw = secret(
                "PARAKH_PASSWORD",
                &format!("Desk password of {admin}: "),
                false,
            )?;
            let r = crate::server::copy(&from, &to, &admin, &pw)?;
            let rows: u64 = r.rows.iter().map(|(_, n)| n).sum();
            println!(
                "copied {} to {}: {rows} rows in {} tables; the desk's trail ends at event #{} {}",
                from.display(),
                store::postgres::redacted(&to),
                r.rows.len(),
                r.head.0,
                r.head.1
            );
            println!(
                "logins without a password (an admin sets each: parakh user reset NAME): {}",
                r.logins.join(", ")
            );
            return Ok(());
        }
        _ => {}
    }
    // A server URL without a login connects as the person acting, when one is named.
    let server_as = path
        .to_str()
        .filter(|u| store::postgres::is_url(u) && !store::postgres::names_login(u))
        .zip(as_user.as_deref());
    let mut ws = match server_as {
        Some((url, name)) => Workspace::open_as(url, name, &password_of(name)?)?,
        None => Workspace::open(&path)?,
    };
    if let Some(p) = ws.desk_problem() {
        eprintln!(
            "parakh: WARNING: {}; `parakh audit verify` reports it",
            t(p)
        );
    }
    let ws = &mut ws;
    let who = as_user.as_deref();
    match cmd {
        Command::Init | Command::Demo { .. } | Command::Hash { .. } | Command::Server(_) => {
            unreachable!("handled above")
        }
        Command::User(UserCommand::Add { name, role }) => {
            let role: Role = role.parse()?;
            let by = match who {
                Some(_) => Some(sign_in(ws, who)?),
                None => None,
            };
            let pw = secret(
                "PARAKH_NEW_PASSWORD",
                &format!("New password for {name}: "),
                true,
            )?;
            auth::add_user(ws, by.as_ref(), &name, role, &pw)?;
            println!("added {name} ({role})");
        }
        Command::User(UserCommand::Role { name, role }) => {
            let s = sign_in(ws, who)?;
            let role: Role = role.parse()?;
            auth::set_role(ws, &s, &name, role)?;
            println!("{name} is now {role}");
        }
        Command::User(UserCommand::Password) => {
            let name = who.ok_or_else(|| Error::Usage("name yourself with --as NAME".into()))?;
            let old = secret(
                "PARAKH_PASSWORD",
                &format!("Current password for {name}: "),
                false,
            )?;
            let s = auth::login(ws, name, &old)?;
            let new = secret(
                "PARAKH_NEW_PASSWORD",
                &format!("New password for {name}: "),
                true,
            )?;
            auth::change_password(ws, &s, &old, &new)?;
            println!(
                "password of {} changed; signing key wrapped anew",
                t(&s.name)
            );
        }
        Command::User(UserCommand::Reset { name }) => {
            let s = sign_in(ws, who)?;
            let new = secret(
                "PARAKH_NEW_PASSWORD",
                &format!("New password for {name}: "),
                true,
            )?;
            auth::reset_password(ws, &s, &name, &new)?;
            println!(
                "password of {} reset; old signing key revoked, new one enrolled",
                t(&name)
            );
        }
        Command::User(UserCommand::Unlock { name }) => {
            let s = sign_in(ws, who)?;
            auth::unlock(ws, &s, &name)?;
            println!("{name} is unlocked");
        }
        Command::User(UserCommand::List) => {
            let keys = auth::key_fingerprints(ws)?;
            for (name, role, locked) in auth::list_users_with_locks(ws)? {
                let lock = if locked {
                    "  locked (parakh user unlock)"
                } else {
                    ""
                };
                let key = keys
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map_or("no key yet", |(_, f)| f.as_str());
                println!("{:<20} {:<9} key {key}{lock}", t(&name), role.as_str());
            }
        }
        Command::Import { file } => {
            let s = who.map(|_| sign_in(ws, who)).transpose()?;
            let r = import::import_file(ws, s.as_ref(), &file)?;
            println!(
                "imported {} items, skipped {} already stored, {} evidence files linked",
                r.imported,
                r.skipped.len(),
                r.evidence
            );
            for (line, why) in &r.skipped {
                println!("  skipped line {line}: {}", t(why));
            }
        }
        Command::Queue(q) => {
            let filter = QueueFilter {
                statuses: q
                    .status
                    .as_deref()
                    .map(|list| {
                        list.split(',')
                            .map(|s| s.trim().parse::<Status>())
                            .collect()
                    })
                    .transpose()?
                    .unwrap_or_default(),
                platform: q
                    .platform
                    .as_deref()
                    .map(str::parse::<Platform>)
                    .transpose()?,
                group: q.group,
                limit: q.limit,
                ..Default::default()
            };
            let rows = queue::list(ws, filter, q.search.as_deref())?;
            if q.json {
                output::json(&rows)?;
            } else {
                output::queue_table(&rows);
            }
        }
        Command::Show { item, json } => {
            let rec = queue::record(ws, item.0)?;
            let corrupt: Vec<String> = rec
                .evidence
                .iter()
                .filter_map(|e| match evidence::read(ws, &e.sha256) {
                    Err(err @ Error::Integrity(_)) => Some(err.to_string()),
                    _ => None,
                })
                .collect();
            let matches = hashlist::matches(ws, item.0)?;
            let appeals = crate::appeals::list(ws, Some(item.0))?;
            let requests = crate::requests::of_item(ws, item.0)?;
            let pdq: Vec<Option<(crate::pdq::PdqHash, u32)>> = rec
                .evidence
                .iter()
                .map(|e| hashlist::evidence_hash(ws, &e.sha256))
                .collect::<Result<_>>()?;
            if json {
                let mut v =
                    serde_json::to_value(&rec).map_err(|e| Error::invalid(e.to_string()))?;
                if let Some(list) = v["evidence"].as_array_mut() {
                    for (e, p) in list.iter_mut().zip(&pdq) {
                        e["pdq"] = p.map_or(
                            serde_json::Value::Null,
                            |(h, q)| serde_json::json!({ "hash": h.to_hex(), "quality": q }),
                        );
                    }
                }
                v["hash_matches"] =
                    serde_json::to_value(&matches).map_err(|e| Error::invalid(e.to_string()))?;
                v["appeals"] =
                    serde_json::to_value(&appeals).map_err(|e| Error::invalid(e.to_string()))?;
                v["requests"] = requests
                    .iter()
                    .map(|(r, k)| serde_json::json!({"reference": r, "kind": k}))
                    .collect();
                output::json(&v)?;
            } else {
                output::item_record(&rec);
                for (e, p) in rec.evidence.iter().zip(&pdq) {
                    if let Some((h, q)) = p {
                        let weak = if *q < crate::pdq::MIN_QUALITY {
                            "  too weak to compare"
                        } else {
                            ""
                        };
                        println!("  pdq {} quality {q}  ({}){weak}", h, &e.sha256[..12]);
                    }
                }
                for m in &matches {
                    println!(
                        "  MATCH {} in list '{}' ({}{}) at {} bits: evidence {}",
                        m.hash,
                        t(&m.list),
                        if m.label.is_empty() {
                            "no label".into()
                        } else {
                            t(&m.label)
                        },
                        if m.source.is_empty() {
                            String::new()
                        } else {
                            format!(", {}", t(&m.source))
                        },
                        m.distance,
                        &m.sha256[..12]
                    );
                }
                for (r, kind) in &requests {
                    println!("  in {kind} request {r}");
                }
                for a in &appeals {
                    println!(
                        "  appeal {} of decision {} by {} ({}), recorded by {} at {}: {}",
                        a.id,
                        a.proposal_id,
                        t(&a.appellant),
                        t(&a.reference),
                        t(&a.filed_by),
                        a.filed_at,
                        t(&a.grounds)
                    );
                    for o in &a.outcomes {
                        println!(
                            "    {} proposed by {} ({}): {}{}",
                            o.outcome,
                            t(&o.proposer),
                            o.state,
                            t(&o.reasons),
                            o.approved
                                .as_ref()
                                .map(|c| format!(
                                    " — approved by {} at {}",
                                    c.lead,
                                    crate::clock::fmt_ts(c.at)
                                ))
                                .unwrap_or_default()
                        );
                    }
                }
            }
            if !corrupt.is_empty() {
                return Err(Error::Integrity(corrupt.join("; ")));
            }
        }
        Command::Claim { item } => {
            let s = sign_in(ws, who)?;
            let c = review::claim(ws, &s, item.0)?;
            let verb = if c.renewed {
                "renewed claim on"
            } else {
                "claimed"
            };
            println!("{verb} #{} until {}", c.item, crate::clock::fmt_ts(c.until));
        }
        Command::Release { item } => {
            let s = sign_in(ws, who)?;
            review::release(ws, &s, item.0)?;
            println!("released #{}", item.0);
        }
        Command::Tag(t) | Command::Untag(t) if t.groups.is_empty() && t.grounds.is_empty() => {
            return Err(Error::Usage(format!(
                "name at least one --group or --ground for #{}",
                t.item.0
            )));
        }
        Command::Tag(t) => {
            let s = sign_in(ws, who)?;
            let tags = review::tag(ws, &s, t.item.0, &t.groups, &t.grounds, &[], &[])?;
            output::tags_line(t.item.0, &tags);
        }
        Command::Untag(t) => {
            let s = sign_in(ws, who)?;
            let tags = review::tag(ws, &s, t.item.0, &[], &[], &t.groups, &t.grounds)?;
            output::tags_line(t.item.0, &tags);
        }
        Command::Attach { item, files } => {
            let s = sign_in(ws, who)?;
            let attached = evidence::attach(ws, &s, item.0, &files)?;
            for ((sha, new), f) in attached.iter().zip(&files) {
                println!(
                    "{} {sha} {}",
                    if *new { "attached" } else { "already attached" },
                    f.display()
                );
            }
            // Stored first, then read: a reading that fails or is slow never holds up or
            // undoes the attachment.
            let unread: Vec<String> = ws.store().read(|tx| {
                let text = tx.item_image_text(item.0)?;
                Ok(attached
                    .iter()
                    .map(|(sha, _)| sha.clone())
                    .filter(|sha| !text.iter().any(|x| &x.sha256 == sha))
                    .collect())
            })?;
            if !unread.is_empty() {
                match ocr::Tesseract::find() {
                    Ok(engine) => {
                        let done = ocr::read_stored(ws, &s, &engine, &unread, &mut |_, _| {})?;
                        report_reading(&done, &engine);
                    }
                    Err(why) => eprintln!("{}", ocr::unavailable(&why)),
                }
            }
        }
        Command::Ocr {
            pending: _,
            retry_failed,
        } => {
            let s = sign_in(ws, who)?;
            let engine =
                ocr::Tesseract::find().map_err(|why| Error::invalid(ocr::unavailable(&why)))?;
            if !engine.missing.is_empty() {
                eprintln!(
                    "note: Tesseract lacks the model(s) {}; reading with {}",
                    engine.missing.join(", "),
                    engine.models
                );
            }
            let started = std::time::Instant::now();
            let mut last = std::time::Instant::now();
            let done = ocr::read_pending(ws, &s, &engine, retry_failed, &mut |d, of| {
                if last.elapsed().as_millis() >= 500 || d == of {
                    last = std::time::Instant::now();
                    eprintln!("read {d} of {of} screenshots");
                }
            })?;
            report_reading(&done, &engine);
            println!("{:.1} s", started.elapsed().as_secs_f64());
        }
        Command::Propose {
            item,
            outcome,
            rationale,
        } => {
            let outcome: Outcome = outcome.parse()?;
            let s = sign_in(ws, who)?;
            let (_, hash) = review::propose(ws, &s, item.0, outcome, &rationale)?;
            println!("proposed {outcome} on #{}; sealed packet {hash}", item.0);
        }
        Command::Approve { item, packet } => {
            let s = sign_in(ws, who)?;
            let hash = review::approve(ws, &s, item.0, packet.as_deref())?;
            println!("approved #{}; packet {hash}", item.0);
        }
        Command::Return { item, reason } => {
            let s = sign_in(ws, who)?;
            review::return_item(ws, &s, item.0, &reason)?;
            println!("returned #{} to review", item.0);
        }
        Command::Audit(AuditCommand::Checkpoint { out, force }) => {
            let s = sign_in(ws, who)?;
            let (cp, what) = match crate::checkpoint::sign(ws, &s)? {
                crate::checkpoint::Signed::New(cp) => {
                    (cp, "signed a new checkpoint; a second lead must cosign it")
                }
                crate::checkpoint::Signed::Cosigned(cp) => (cp, "cosigned the checkpoint"),
            };
            println!("{what}: {} events, root {}", cp.size, hex::encode(cp.root));
            if let Some(out) = out {
                let what = serde_json::json!({ "kind": "checkpoint", "size": cp.size });
                crate::outfile::write_recorded(
                    ws,
                    Some(&s),
                    &out,
                    cp.note().as_bytes(),
                    force,
                    what,
                )?;
                println!("checkpoint note written to {}", out.display());
            } else {
                print!("{}", cp.note());
            }
        }
        Command::Audit(AuditCommand::Verify { checkpoint }) => {
            let mut given = Vec::new();
            for f in &checkpoint {
                let text = std::fs::read_to_string(f)
                    .map_err(|e| Error::io(format!("reading {}", f.display()), e))?;
                let cp = crate::model::checkpoint::Checkpoint::parse(&text).map_err(|why| {
                    Error::invalid(format!("{}: not a checkpoint note ({why})", f.display()))
                })?;
                given.push((format!("checkpoint {}", f.display()), cp));
            }
            let v = audit::verify_with(ws, &given)?;
            let head = v
                .head
                .as_ref()
                .map_or("none".to_string(), |(s, h)| format!("#{s} {h}"));
            if v.ok() {
                println!(
                    "audit trail verified: {} events, chain head {head}; tables agree",
                    v.events
                );
            } else {
                for p in &v.problems {
                    match p.seq {
                        Some(seq) => println!("BROKEN at #{seq}: {}", p.what),
                        None => println!("BROKEN: {}", p.what),
                    }
                }
                let first = &v.problems[0];
                return Err(Error::Integrity(format!(
                    "audit trail broken{}: {}",
                    first.seq.map(|s| format!(" at #{s}")).unwrap_or_default(),
                    first.what
                )));
            }
        }
        Command::Audit(AuditCommand::Log { item, json }) => {
            let events = audit::log(ws, item.map(|i| i.0))?;
            if json {
                output::json(&events)?;
            } else {
                output::events(&events);
            }
        }
        Command::Taxonomy(TaxonomyCommand::Import { file }) => {
            let s = sign_in(ws, who)?;
            let v = taxonomy::import(ws, &s, &file)?;
            println!("imported taxonomy version {v} from {}", file.display());
        }
        Command::Taxonomy(TaxonomyCommand::Show) => output::taxonomy(&taxonomy::current(ws)?),
        Command::Export(ExportCommand::Decisions { out, force }) => {
            let s = signed_in_if_named(ws, who)?;
            let n = export::write_decisions(ws, s.as_ref(), &out, force)?;
            println!("exported {n} approved decisions to {}", out.display());
        }
        Command::Mirrors {
            item,
            confirm: Some(of),
            ..
        } => {
            let s = sign_in(ws, who)?;
            let tags = crate::mirrors::decide(ws, &s, item.0, of.0, true)?;
            println!(
                "#{} confirmed as a mirror of #{}; tags copied: {}",
                item.0,
                of.0,
                if tags.is_empty() {
                    "none".into()
                } else {
                    tags.join(", ")
                }
            );
        }
        Command::Mirrors {
            item,
            reject: Some(of),
            ..
        } => {
            let s = sign_in(ws, who)?;
            crate::mirrors::decide(ws, &s, item.0, of.0, false)?;
            println!("#{} recorded as not a mirror of #{}", item.0, of.0);
        }
        Command::Mirrors { item, json, .. } => {
            let found = crate::mirrors::candidates(ws, item.0)?;
            if json {
                output::json(&found)?;
            } else if found.is_empty() {
                println!(
                    "no mirror candidates for #{} among taken-down accounts",
                    item.0
                );
            } else {
                for c in &found {
                    println!(
                        "#{:<7} {:>6.1}  {} @{}",
                        c.item,
                        c.score,
                        c.platform,
                        t(&c.handle)
                    );
                    for f in c.fields.iter().filter(|f| f.weight != 0.0) {
                        println!(
                            "           {:>+6.1}  {:<18} {}",
                            f.weight,
                            f.field,
                            t(&f.detail)
                        );
                    }
                }
            }
        }
        Command::Request(cmd) => requests::run_request(ws, who, cmd)?,
        Command::Appeal(cmd) => requests::run_appeal(ws, who, cmd)?,
        Command::Report {
            from,
            to,
            out,
            force,
        } => {
            let s = signed_in_if_named(ws, who)?;
            requests::run_report(ws, s.as_ref(), &from, &to, &out, force)?
        }
        Command::Hashlist(HashlistCommand::Import { file, name }) => {
            let s = sign_in(ws, who)?;
            let n = hashlist::import(ws, &s, &file, &name)?;
            println!("imported {n} hashes into list '{name}'");
        }
        Command::Evidence(EvidenceCommand::Get { sha256, out, force }) => {
            let s = signed_in_if_named(ws, who)?;
            let (mime, len) = evidence::get(ws, s.as_ref(), &sha256, &out, force)?;
            println!(
                "wrote {} ({mime}, {len} bytes, hash checked)",
                out.display()
            );
        }
    }
    Ok(())
}

/// `parakh hash`: one line per file; a file that cannot be hashed is named on stderr and
/// makes the exit code 1, the others are still hashed.
fn hash_files(files: &[PathBuf]) -> Result<()> {
    let mut failed = 0;
    for f in files {
        let name = f.display().to_string();
        match evidence::read_file(f).and_then(|bytes| evidence::decode(&name, &bytes)) {
            Ok(img) => {
                let p = crate::pdq::hash_image(&img);
                println!("{} {} {}", p.hash, p.quality, t(&name));
            }
            Err(e) => {
                let message = e.to_string();
                eprintln!(
                    "parakh: {}",
                    crate::model::text::terminal_safe_lines(&message)
                );
                failed += 1;
            }
        }
    }
    if failed > 0 {
        return Err(Error::invalid(format!(
            "{failed} of {} files could not be hashed",
            files.len()
        )));
    }
    Ok(())
}
