//! A demo store full of synthetic data: users with printed passwords, items on every
//! platform in every state, generated screenshots. Everything goes through the same use
//! cases as real work, so the demo's audit trail verifies like a real one.

mod cards;
pub mod content;
pub mod handles;

pub use cards::{CardSpec, card, card_png};

use chrono::Duration;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::path::Path;
use std::sync::Arc;

use crate::auth;
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::import::{EvidenceSource, RawRow};
use crate::model::canonical::sha256_hex;
use crate::model::{ItemKind, Outcome, Platform, Role};
use crate::review;
use crate::workspace::{Session, Workspace};

/// The demo users: (name, role, password). The passwords are printed and shown on the
/// welcome screen: a demo store is for trying Parakh, never for real work.
pub const USERS: &[(&str, Role, &str)] = &[
    ("admin", Role::Admin, "parakh-admin"),
    ("sana", Role::Lead, "parakh-sana"),
    ("farhan", Role::Lead, "parakh-farhan"),
    ("ayesha", Role::Reviewer, "parakh-ayesha"),
    ("bilal", Role::Reviewer, "parakh-bilal"),
    ("zara", Role::Reviewer, "parakh-zara"),
];

/// Default number of demo items.
pub const DEFAULT_ITEMS: usize = 500;

/// What the demo made.
#[derive(Clone, Debug, Default)]
pub struct DemoSummary {
    /// Items imported.
    pub items: usize,
    /// Evidence links made.
    pub evidence: usize,
    /// Decisions approved.
    pub approved: usize,
    /// Decisions waiting for a lead.
    pub proposed: usize,
    /// Decisions returned.
    pub returned: usize,
    /// Items under a live claim.
    pub in_review: usize,
    /// Takedown requests sent to platforms.
    pub requests: usize,
    /// Appeals recorded.
    pub appeals: usize,
}

fn url_for(p: Platform, kind: ItemKind, handle: &str, n: usize) -> String {
    let base = match p {
        Platform::Facebook => format!("https://www.facebook.com/{handle}"),
        Platform::Instagram => format!("https://www.instagram.com/{handle}"),
        Platform::Whatsapp => format!("https://whatsapp.com/channel/{handle}"),
        Platform::X => format!("https://x.com/{handle}"),
        Platform::Telegram => format!("https://t.me/{handle}"),
        Platform::Tiktok => format!("https://www.tiktok.com/@{handle}"),
        Platform::Youtube => format!("https://www.youtube.com/@{handle}"),
        Platform::Other => format!("https://forum.example.net/u/{handle}"),
    };
    if kind == ItemKind::Post {
        format!("{base}/posts/{n}")
    } else {
        base
    }
}

/// An invented mobile number for a handle, the same for handles with the same look-alike
/// key (FNV-1a of the key; `0300-` numbers are Pakistani mobile numbers, these are made up).
fn demo_phone(handle: &str) -> String {
    let key = crate::model::text::handle_key(handle);
    let hash = key.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    format!("0300-{:07}", hash % 10_000_000)
}

/// Makes `n` synthetic import rows with generated screenshots.
pub fn rows(n: usize, seed: u64, now: chrono::DateTime<chrono::Utc>) -> Vec<(usize, RawRow)> {
    rows_with_progress(n, seed, now, &|_, _| {})
}

/// A screenshot card still to be drawn: what it shows, and where it goes.
struct PendingCard {
    row: usize,
    file: String,
    platform: Platform,
    handle: String,
    name: &'static str,
    lines: Vec<String>,
    seed: u64,
}

/// Draws the cards on every core; `progress` hears (cards drawn, cards in all).
fn draw_cards(cards: &[PendingCard], progress: &(dyn Fn(usize, usize) + Sync)) -> Vec<Vec<u8>> {
    let done = std::sync::atomic::AtomicUsize::new(0);
    crate::parallel::map(cards, |c| {
        let lines: Vec<&str> = c.lines.iter().map(String::as_str).collect();
        let png = card_png(&CardSpec {
            platform: c.platform,
            handle: &c.handle,
            name: c.name,
            lines: &lines,
            face: crate::typeset::UrduFace::Nastaliq,
            picture: true,
            seed: c.seed,
        });
        let k = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if k.is_multiple_of(16) || k == cards.len() {
            progress(k, cards.len());
        }
        png
    })
}

/// [`rows`], telling `progress` how many screenshot cards are drawn of how many.
pub fn rows_with_progress(
    n: usize,
    seed: u64,
    now: chrono::DateTime<chrono::Utc>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<(usize, RawRow)> {
    // Rows are made in one pass (the generator's order fixes the content); the cards they
    // need are drawn afterwards on every core and put in place.
    let mut pending: Vec<PendingCard> = Vec::new();
    let mut pooled_refs: Vec<(usize, String, usize)> = Vec::new();
    let mut rng = StdRng::seed_from_u64(seed);
    // Small demos get a card per item; big ones share a pool so generation stays quick.
    let pooled = n > 2000;
    let mut pooled_cards = 0usize;
    let mut used = std::collections::HashSet::new();
    let mut rows = (0..n)
        .map(|i| {
            let platform = Platform::ALL[rng.random_range(0..Platform::ALL.len() - 1)];
            let kind = match platform {
                Platform::Telegram | Platform::Whatsapp => {
                    [ItemKind::Channel, ItemKind::Group][rng.random_range(0..2)]
                }
                _ => [ItemKind::Account, ItemKind::Account, ItemKind::Post][rng.random_range(0..3)],
            };
            // Invent a handle not yet used on this platform.
            let handle = loop {
                let stem = content::STEMS[rng.random_range(0..content::STEMS.len())];
                let h = match rng.random_range(0..5) {
                    0 if used.len() < content::STEMS.len() * 7 => stem.to_string(),
                    0 | 1 => format!("{stem}{}", rng.random_range(1..1000)),
                    2 => format!("{stem}_{}", rng.random_range(1..100)),
                    3 => format!("{}{}", stem.replace('_', ""), rng.random_range(10..10_000)),
                    _ => format!(
                        "{stem}_{}{}",
                        ["pk", "official", "live", "tv", "updates"][rng.random_range(0..5)],
                        rng.random_range(1..100)
                    ),
                };
                if used.insert((platform, h.clone())) {
                    break h;
                }
            };
            let urdu = rng.random_bool(0.6);
            let display_name = if urdu {
                content::NAMES_UR[rng.random_range(0..content::NAMES_UR.len())].to_string()
            } else {
                content::NAMES_EN[rng.random_range(0..content::NAMES_EN.len())].to_string()
            };
            let text = if urdu {
                content::TEXT_UR[rng.random_range(0..content::TEXT_UR.len())]
            } else {
                content::TEXT_EN[rng.random_range(0..content::TEXT_EN.len())]
            };
            if rng.random_bool(0.75) {
                let count = rng.random_range(1..=3);
                for k in 0..count {
                    let file = format!("screenshot-{i}-{k}.png");
                    if pooled && pooled_cards >= 256 {
                        // A card drawn for an earlier item, shown again.
                        pooled_refs.push((i, file, rng.random_range(0..pooled_cards)));
                    } else {
                        // Another post of the account's, in its language: text that only
                        // the screenshot holds.
                        let name = rng.random_range(0..content::NAMES_EN.len());
                        let post = rng.random_range(0..content::TEXT_EN.len());
                        let (name, post) = if urdu {
                            (
                                content::NAMES_UR[name % content::NAMES_UR.len()],
                                content::TEXT_UR[post % content::TEXT_UR.len()],
                            )
                        } else {
                            (content::NAMES_EN[name], content::TEXT_EN[post])
                        };
                        pending.push(PendingCard {
                            row: i,
                            file,
                            platform,
                            handle: handle.clone(),
                            name,
                            lines: vec![post.replace("0300-0000000", &demo_phone(&handle))],
                            seed: rng.random(),
                        });
                        if pooled {
                            pooled_cards += 1;
                        }
                    }
                }
            }
            let evidence = Vec::new();
            // Look-alike accounts of one stem share a number, as a network's mirrors do;
            // unrelated accounts do not.
            let text = text.replace("0300-0000000", &demo_phone(&handle));
            let row = RawRow {
                platform: platform.to_string(),
                kind: kind.to_string(),
                url: url_for(platform, kind, &handle, i),
                handle,
                display_name,
                text: text.to_string(),
                language: if urdu { "ur".into() } else { "en".into() },
                followers: Some(serde_json::json!(rng.random_range(0..250_000))),
                reported_at: crate::clock::fmt_ts(
                    now - Duration::minutes(rng.random_range(60..60 * 24 * 60)),
                ),
                source_ref: format!(
                    "{}-2026-{:05}",
                    ["CTD", "FIA-CCW", "PTA"][rng.random_range(0..3)],
                    1000 + i
                ),
                priority: Some(serde_json::json!(
                    [1, 2, 2, 3, 3, 3, 4, 5][rng.random_range(0..8)]
                )),
                evidence,
            };
            (i + 2, row)
        })
        .collect::<Vec<_>>();
    let drawn: Vec<Arc<Vec<u8>>> = draw_cards(&pending, progress)
        .into_iter()
        .map(Arc::new)
        .collect();
    // Pooled cards are the first ones drawn, in order.
    for (card, png) in pending.iter().zip(&drawn) {
        rows[card.row]
            .1
            .evidence
            .push(EvidenceSource::Bytes(card.file.clone(), png.clone()));
    }
    for (row, file, k) in pooled_refs {
        rows[row]
            .1
            .evidence
            .push(EvidenceSource::Bytes(file, drawn[k].clone()));
    }
    rows
}

/// Fills an empty store at `path` with `n` demo items and the demo users.
pub fn create(path: &Path, n: usize) -> Result<DemoSummary> {
    create_at(path, n, Clock::System)
}

/// How far back, in days, the demo's history starts: reports, decisions, requests to
/// platforms, their responses and appeals, ending before `now`.
const HISTORY: i64 = 16;

/// [`create`] with the demo's history ending at `clock`'s now (tests use a fixed one); its
/// events are spread over the `HISTORY` days before.
pub fn create_at(path: &Path, n: usize, clock: Clock) -> Result<DemoSummary> {
    create_with_progress(path, n, clock, &|_, _| {})
}

/// [`create_at`], telling `progress` what it is doing and how far along it is (0 to 1):
/// drawing the screenshots, importing the items, then the review history.
pub fn create_with_progress(
    path: &Path,
    n: usize,
    clock: Clock,
    progress: &(dyn Fn(&str, f32) + Sync),
) -> Result<DemoSummary> {
    let (ws, _) = Workspace::init(path)?;
    let end = clock.now();
    let history = Clock::manual(end - Duration::days(HISTORY));
    let mut ws = ws.with_clock(history.clone());
    if auth::list_users(&mut ws)?.iter().any(|_| true) {
        return Err(Error::rule(format!(
            "{} already has users; a demo needs a new, empty store",
            path.display()
        )));
    }
    let (admin_name, _, admin_pw) = USERS[0];
    // Synthetic people get seeded keys, so the demo comes out the same every time.
    let key = |name: &str| {
        use sha2::Digest;
        crate::keys::from_seed(
            name,
            sha2::Sha256::digest(format!("parakh demo key {name}")).into(),
        )
    };
    auth::add_user_with_key(
        &mut ws,
        None,
        admin_name,
        Role::Admin,
        admin_pw,
        key(admin_name),
    )?;
    let admin = auth::login(&mut ws, admin_name, admin_pw)?;
    for (name, role, pw) in &USERS[1..] {
        auth::add_user_with_key(&mut ws, Some(&admin), name, *role, pw, key(name))?;
    }
    let sessions: Vec<Session> = USERS[1..]
        .iter()
        .map(|(name, _, pw)| auth::login(&mut ws, name, pw))
        .collect::<Result<_>>()?;
    let (leads, reviewers) = sessions.split_at(2);
    let rows = rows_with_progress(n, 0x5eed_0000 + n as u64, ws.now(), &|done, all| {
        progress(
            "Drawing the synthetic screenshots",
            0.45 * done as f32 / all.max(1) as f32,
        )
    });
    let report = crate::import::import_rows_with_progress(
        &mut ws,
        Some(&sessions[0]),
        "demo",
        &sha256_hex(b"demo"),
        rows,
        Vec::new(),
        Path::new(""),
        &mut |p| {
            progress(
                "Importing the items and hashing their screenshots",
                0.45 + 0.4 * p.fraction(),
            )
        },
    )?;
    progress("Reviews, requests and appeals", 0.85);
    let mut summary = DemoSummary {
        items: report.imported,
        evidence: report.evidence,
        ..Default::default()
    };
    let Some((first, last)) = report.ids else {
        return Ok(summary);
    };
    let mut rng = StdRng::seed_from_u64(7);
    // Eight days of review, in steps that fit however many items there are (about a
    // quarter of them are decided, with two steps each).
    let step = Duration::minutes(8 * 24 * 60 / (n as i64 / 2 + 1)).max(Duration::seconds(1));
    let deadline = history.now() + Duration::days(8);
    // Times come from their own generator, so the demo's content does not depend on them.
    let mut time_rng = StdRng::seed_from_u64(11);
    let mut tick = |_: &mut StdRng| {
        let rng = &mut time_rng;
        let by = step / 2 + step * rng.random_range(0..100) / 100;
        if history.now() + by <= deadline {
            history.advance(by);
        }
    };
    let mut in_review = Vec::new();
    let groups = ["ttp", "bla", "blf", "iskp", "jua", "lej", "bra", "hgbg"];
    let grounds = [
        "peca-9", "peca-10", "peca-12", "ata-11w", "ata-11f", "nap-11", "nap-14",
    ];
    for id in first..=last {
        let roll = rng.random_range(0..100);
        if roll >= 26 {
            continue;
        }
        // Mostly reviewers propose; now and then a lead does, so the inbox shows the four-eyes rule.
        let proposer = if rng.random_bool(0.15) {
            &leads[rng.random_range(0..2)]
        } else {
            &reviewers[rng.random_range(0..3)]
        };
        if roll >= 22 {
            // Claimed at the end, so the claims are live when the demo opens.
            in_review.push((proposer.clone(), id));
            continue;
        }
        tick(&mut rng);
        review::claim(&mut ws, proposer, id)?;
        let has_evidence = !crate::queue::record(&mut ws, id)?.evidence.is_empty();
        let outcome = if has_evidence && rng.random_bool(0.75) {
            Outcome::Takedown
        } else {
            Outcome::NoViolation
        };
        if outcome == Outcome::Takedown {
            let g = vec![groups[rng.random_range(0..groups.len())].to_string()];
            let mut gr = vec![grounds[rng.random_range(0..grounds.len())].to_string()];
            if rng.random_bool(0.4) {
                gr.push("ata-11b".into());
            }
            review::tag(&mut ws, proposer, id, &g, &gr, &[], &[])?;
        }
        let rationale = if outcome == Outcome::Takedown {
            content::RATIONALES[rng.random_range(0..3)]
        } else {
            content::RATIONALES[rng.random_range(3..5)]
        };
        review::propose(&mut ws, proposer, id, outcome, rationale)?;
        let lead = leads
            .iter()
            .find(|l| l.user_id != proposer.user_id)
            .expect("two leads");
        tick(&mut rng);
        if roll < 12 {
            review::approve(&mut ws, lead, id, None)?;
            summary.approved += 1;
        } else if roll < 18 {
            summary.proposed += 1;
        } else {
            let reason =
                content::RETURN_REASONS[rng.random_range(0..content::RETURN_REASONS.len())];
            review::return_item(&mut ws, lead, id, reason)?;
            summary.returned += 1;
        }
    }
    history.advance(Duration::days(1));
    platform_history(&mut ws, &history, leads, reviewers, &mut rng, &mut summary)?;
    let mut ws = ws.with_clock(clock);
    debug_assert!(history.now() <= end, "the demo's history ends before now");
    for (who, id) in in_review {
        review::claim(&mut ws, &who, id)?;
        summary.in_review += 1;
    }
    Ok(summary)
}

/// Requests to every platform with approved takedowns (Telegram's as an emergency), sent
/// within hours; platform responses over the following four days, some late and some not at
/// all, so the requests screen shows every standing; and two appeals, one overturned (with
/// its reinstatement request) and one waiting for review.
fn platform_history(
    ws: &mut Workspace,
    clock: &Clock,
    leads: &[Session],
    reviewers: &[Session],
    rng: &mut StdRng,
    summary: &mut DemoSummary,
) -> Result<()> {
    use crate::model::request::Response;
    let mut sent = Vec::new();
    for &platform in Platform::ALL {
        let emergency = platform == Platform::Telegram;
        let reference = match crate::requests::create(ws, &leads[0], platform, emergency, None) {
            Ok(r) => r,
            Err(Error::Rule(_)) => continue, // no approved takedown on this platform
            Err(e) => return Err(e),
        };
        clock.advance(Duration::minutes(rng.random_range(20..180)));
        let channel = [
            "law-enforcement portal",
            "e-mail to the platform's legal team",
            "PTA liaison",
        ][rng.random_range(0..3)];
        crate::requests::mark_sent(ws, &reviewers[0], &reference, channel, "", None)?;
        summary.requests += 1;
        sent.push((reference, clock.now()));
    }
    // Each item's responses, in time order, up to four days after sending.
    let mut responses = Vec::new();
    for (reference, at) in &sent {
        // Some platforms answer every item in time; others slowly, or not at all.
        let diligent = rng.random_bool(0.5);
        let (rolls, late) = if diligent { (70, 40) } else { (100, 90) };
        for item in crate::requests::show(ws, reference)?.items {
            let roll = rng.random_range(0..rolls);
            let hours = |rng: &mut StdRng, a: i64, b: i64| {
                *at + Duration::minutes(rng.random_range(a * 60..b * 60))
            };
            if roll < 80 {
                responses.push((
                    hours(rng, 1, 6),
                    reference.clone(),
                    item.item,
                    Response::Acknowledged,
                ));
            }
            if roll < 55 {
                responses.push((
                    hours(rng, 6, late),
                    reference.clone(),
                    item.item,
                    Response::Removed,
                ));
            } else if roll < 70 {
                responses.push((
                    hours(rng, 10, 60),
                    reference.clone(),
                    item.item,
                    Response::Refused,
                ));
            }
        }
    }
    responses.sort_by_key(|r| r.0);
    let end = clock.now() + Duration::days(4);
    for (t, reference, item, response) in responses.into_iter().filter(|r| r.0 <= end) {
        if t > clock.now() {
            clock.advance(t - clock.now());
        }
        let note = if response == Response::Refused {
            "does not violate our community standards"
        } else {
            ""
        };
        crate::requests::record_response(
            ws,
            &reviewers[1],
            &reference,
            item,
            response,
            None,
            note,
        )?;
    }
    clock.advance(end - clock.now());
    // Appeals of two takedowns whose deciders leave a lead and a reviewer free to decide them.
    let mut appealed = 0;
    for d in ws.store().read(|tx| tx.decisions(None))? {
        let Some(a) = &d.approval else { continue };
        if d.proposal.outcome != Outcome::Takedown || appealed == 2 {
            continue;
        }
        let Some(lead) = leads
            .iter()
            .find(|l| l.user_id != a.approver_id && l.user_id != d.proposal.proposer_id)
        else {
            continue;
        };
        let reviewer = reviewers
            .iter()
            .find(|r| r.user_id != d.proposal.proposer_id)
            .expect("three reviewers");
        clock.advance(Duration::hours(3));
        let appeal = crate::appeals::file(
            ws,
            reviewer,
            d.proposal.item_id,
            "counsel for the account holder",
            &format!("APL-2026-{:03}", 11 + appealed),
            "The account is a news outlet; the posts report on the group and do not support it.",
        )?;
        if appealed == 0 {
            clock.advance(Duration::hours(5));
            crate::appeals::propose(
                ws,
                reviewer,
                appeal,
                crate::appeals::AppealOutcome::Overturned,
                "The posts quote the group's statements in news reports with commentary; they neither glorify nor solicit support.",
            )?;
            clock.advance(Duration::hours(2));
            crate::appeals::approve(ws, lead, appeal)?;
        }
        summary.appeals += 1;
        appealed += 1;
    }
    Ok(())
}
