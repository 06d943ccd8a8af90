//! `parakh request …`, `parakh appeal …` and `parakh report`: requests to platforms,
//! appeals and the transparency report.

use clap::Subcommand;
use std::path::PathBuf;

use super::args::ItemRef;
use super::{output, sign_in};
use crate::appeals::{self, AppealOutcome};
use crate::clock::parse_ts;
use crate::error::Result;
use crate::model::Platform;
use crate::model::request::Response;
use crate::model::text::terminal_safe as t;
use crate::requests::{self, RequestView};
use crate::workspace::{Session, Workspace};

/// `parakh request …`
#[derive(Debug, Subcommand)]
pub enum RequestCommand {
    /// Build a takedown request to one platform from its approved takedowns not yet requested
    /// (leads only). Prints the new reference alone on the last line.
    Create {
        /// The platform.
        #[arg(long)]
        platform: Platform,
        /// Mark it an emergency (the shorter response window).
        #[arg(long)]
        emergency: bool,
        /// Only these items (default: every approved takedown on the platform not yet requested).
        #[arg(long = "item", value_name = "ITEM")]
        items: Vec<ItemRef>,
    },
    /// Export a request as a BagIt bag into a new folder (without --as, recorded as the
    /// operating-system user).
    Export {
        /// The request's reference.
        reference: String,
        /// The folder to create.
        #[arg(long)]
        out: PathBuf,
    },
    /// Record that a request was sent, and through which channel.
    Sent {
        /// The request's reference.
        reference: String,
        /// The channel (the platform's law-enforcement portal, e-mail, liaison …).
        #[arg(long)]
        channel: String,
        /// The platform's ticket or case number.
        #[arg(long, default_value = "")]
        platform_ref: String,
        /// When it was sent (RFC 3339; default: now).
        #[arg(long)]
        at: Option<String>,
    },
    /// Record a platform's response on one item: acknowledged, removed, refused, no_response
    /// or reinstated.
    Respond {
        /// The request's reference.
        reference: String,
        /// The item.
        item: ItemRef,
        /// The response.
        response: Response,
        /// When the platform responded (RFC 3339; default: now).
        #[arg(long)]
        at: Option<String>,
        /// A note (the platform's words, a ticket number).
        #[arg(long, default_value = "")]
        note: String,
    },
    /// List requests, newest first.
    List {
        /// Only requests past their response window with items unanswered.
        #[arg(long)]
        overdue: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show one request with its items and responses.
    Show {
        /// The request's reference.
        reference: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `parakh appeal …`
#[derive(Debug, Subcommand)]
pub enum AppealCommand {
    /// Record an appeal of an item's final decision. Prints the appeal's number last.
    File {
        /// The item.
        item: ItemRef,
        /// Who appeals.
        #[arg(long)]
        appellant: String,
        /// The appeal's reference (letter, case number).
        #[arg(long)]
        reference: String,
        /// The appellant's grounds.
        #[arg(long)]
        grounds: String,
    },
    /// Propose an outcome (by someone who neither made nor checked the decision).
    Propose {
        /// The appeal's number.
        appeal: i64,
        /// upheld or overturned.
        #[arg(long)]
        outcome: AppealOutcome,
        /// The reasons.
        #[arg(long)]
        reasons: String,
    },
    /// Approve the proposed outcome (a second lead, not an original decider).
    Approve {
        /// The appeal's number.
        appeal: i64,
    },
    /// Return the proposed outcome to be reviewed again, with a reason.
    Return {
        /// The appeal's number.
        appeal: i64,
        /// Why.
        #[arg(long)]
        reason: String,
    },
    /// List appeals, all or of one item.
    List {
        /// The item.
        item: Option<ItemRef>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

fn when(at: Option<String>) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
    at.map(|t| parse_ts(&t)).transpose()
}

fn request_line(v: &RequestView) -> String {
    let r = &v.request;
    let sent = match &r.sent {
        Some(s) => format!("sent {} via {}, due {}", s.sent_at, s.channel, s.due_at),
        None => "not sent".into(),
    };
    format!(
        "{:<14} {:<13} {:<10} {:>3} item(s) {:<9} {}{}",
        r.reference,
        r.kind,
        r.platform,
        v.items.len(),
        v.standing.to_uppercase(),
        sent,
        if r.emergency { "  EMERGENCY" } else { "" }
    )
}

/// Runs `parakh request …`.
pub fn run_request(ws: &mut Workspace, who: Option<&str>, cmd: RequestCommand) -> Result<()> {
    match cmd {
        RequestCommand::Create {
            platform,
            emergency,
            items,
        } => {
            let s = sign_in(ws, who)?;
            let ids: Vec<i64> = items.iter().map(|i| i.0).collect();
            let reference = requests::create(
                ws,
                &s,
                platform,
                emergency,
                (!ids.is_empty()).then_some(&ids[..]),
            )?;
            let v = requests::show(ws, &reference)?;
            println!(
                "created {} request to {} with {} item(s), response window {} hours once sent:",
                v.request.kind,
                v.request.platform,
                v.items.len(),
                v.request.window_hours
            );
            for i in &v.items {
                println!("  #{:<7} {}  {}", i.item, t(&i.handle), t(&i.url));
            }
            println!("{reference}");
        }
        RequestCommand::Export { reference, out } => {
            // Exporting changes nothing but the audit trail: without --as it is recorded as
            // the operating-system user, like an import.
            let s = super::signed_in_if_named(ws, who)?;
            let dest = requests::export(ws, s.as_ref(), &reference, &out)?;
            println!("exported {reference} as a BagIt bag: {}", dest.display());
        }
        RequestCommand::Sent {
            reference,
            channel,
            platform_ref,
            at,
        } => {
            let s = sign_in(ws, who)?;
            let due = requests::mark_sent(ws, &s, &reference, &channel, &platform_ref, when(at)?)?;
            println!(
                "{reference} sent via {channel}; response due by {}",
                crate::clock::fmt_ts(due)
            );
        }
        RequestCommand::Respond {
            reference,
            item,
            response,
            at,
            note,
        } => {
            let s = sign_in(ws, who)?;
            requests::record_response(ws, &s, &reference, item.0, response, when(at)?, &note)?;
            println!("{reference}: #{} {response}", item.0);
        }
        RequestCommand::List { overdue, json } => {
            let list = requests::list(ws, overdue)?;
            if json {
                output::json(&list)?;
            } else if list.is_empty() {
                println!(
                    "{}",
                    if overdue {
                        "no overdue requests"
                    } else {
                        "no requests"
                    }
                );
            } else {
                for v in &list {
                    println!("{}", request_line(v));
                }
            }
        }
        RequestCommand::Show { reference, json } => {
            let v = requests::show(ws, &reference)?;
            if json {
                output::json(&v)?;
            } else {
                println!("{}", request_line(&v));
                println!(
                    "made by {} at {}",
                    v.request.created_by, v.request.created_at
                );
                for i in &v.items {
                    println!(
                        "  #{:<7} {:<13} {}  {}",
                        i.item,
                        i.latest.as_deref().unwrap_or("(no response)"),
                        t(&i.handle),
                        t(&i.url)
                    );
                }
                for x in &v.responses {
                    println!("  {}  {}", x.responded_at, t(&x.describe()));
                }
            }
        }
    }
    Ok(())
}

/// Runs `parakh appeal …`.
pub fn run_appeal(ws: &mut Workspace, who: Option<&str>, cmd: AppealCommand) -> Result<()> {
    match cmd {
        AppealCommand::File {
            item,
            appellant,
            reference,
            grounds,
        } => {
            let s = sign_in(ws, who)?;
            let id = appeals::file(ws, &s, item.0, &appellant, &reference, &grounds)?;
            println!(
                "appeal of the decision on #{} recorded; it needs a reviewer who neither made nor checked that decision",
                item.0
            );
            println!("{id}");
        }
        AppealCommand::Propose {
            appeal,
            outcome,
            reasons,
        } => {
            let s = sign_in(ws, who)?;
            appeals::propose(ws, &s, appeal, outcome, &reasons)?;
            println!(
                "appeal {appeal}: '{}' proposed; a second lead must approve it",
                outcome.as_str()
            );
        }
        AppealCommand::Approve { appeal } => {
            let s = sign_in(ws, who)?;
            match appeals::approve(ws, &s, appeal)? {
                Some(r) => println!("appeal {appeal} decided; reinstatement request {r} created"),
                None => println!("appeal {appeal} decided"),
            }
        }
        AppealCommand::Return { appeal, reason } => {
            let s = sign_in(ws, who)?;
            appeals::return_outcome(ws, &s, appeal, &reason)?;
            println!("appeal {appeal}: outcome returned for another review");
        }
        AppealCommand::List { item, json } => {
            let list = appeals::list(ws, item.map(|i| i.0))?;
            if json {
                output::json(&list)?;
            } else if list.is_empty() {
                println!("no appeals");
            } else {
                for a in &list {
                    let state = a
                        .outcomes
                        .last()
                        .map_or("awaiting review".to_string(), |o| {
                            format!("{} ({})", o.outcome, o.state)
                        });
                    println!(
                        "appeal {:<4} #{:<7} decision {:<5} {}  by {} ({}), filed {}",
                        a.id,
                        a.item_id,
                        a.proposal_id,
                        state,
                        t(&a.appellant),
                        t(&a.reference),
                        a.filed_at
                    );
                }
            }
        }
    }
    Ok(())
}

/// Runs `parakh report`.
pub fn run_report(
    ws: &mut Workspace,
    s: Option<&Session>,
    from: &str,
    to: &str,
    out: &std::path::Path,
    force: bool,
) -> Result<()> {
    let report = crate::report::compute(
        ws,
        crate::report::parse_date(from)?,
        crate::report::parse_date(to)?,
    )?;
    crate::report::write(ws, s, &report, out, force)?;
    println!(
        "transparency report {from} – {to}: {} items received, {} decisions; written to {}",
        report.items_received,
        report
            .decisions_by_outcome
            .iter()
            .map(|c| c.count)
            .sum::<u64>(),
        out.display()
    );
    Ok(())
}
