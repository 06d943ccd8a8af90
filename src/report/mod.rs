//! The transparency report: figures for a period, computed from the store, and their
//! renderings (CSV, and one self-contained HTML file with SVG charts).

pub mod render;
pub mod svg;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Error, Result};
use crate::model::packet::Packet;
use crate::model::report::{Count, Durations, PlatformOutcomes, PlatformRequests, Report};
use crate::model::request::{self, Response};
use crate::workspace::{Session, Workspace};

/// Median (the mean of the middle two for an even count) and 90th percentile (nearest
/// rank) of `hours`.
pub fn durations(mut hours: Vec<f64>) -> Durations {
    hours.sort_by(f64::total_cmp);
    let n = hours.len();
    if n == 0 {
        return Durations::default();
    }
    let median = if n % 2 == 1 {
        hours[n / 2]
    } else {
        (hours[n / 2 - 1] + hours[n / 2]) / 2.0
    };
    let rank = ((0.9 * n as f64).ceil() as usize).clamp(1, n);
    Durations {
        count: n as u64,
        median_hours: Some(median),
        p90_hours: Some(hours[rank - 1]),
    }
}

fn hours_between(a: DateTime<Utc>, b: DateTime<Utc>) -> f64 {
    (b - a).num_milliseconds() as f64 / 3_600_000.0
}

fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn counts(map: BTreeMap<String, u64>) -> Vec<Count> {
    named_counts(
        map.into_iter()
            .map(|(k, n)| (k, (n, String::new())))
            .collect(),
    )
}

/// Counts by taxonomy id, each with the label sealed in the latest decision counted.
fn named_counts(map: BTreeMap<String, (u64, String)>) -> Vec<Count> {
    let mut v: Vec<Count> = map
        .into_iter()
        .map(|(label, (count, name))| Count { label, count, name })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then(a.label.cmp(&b.label)));
    v
}

/// Parses a calendar date (`YYYY-MM-DD`).
pub fn parse_date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| Error::invalid(format!("'{s}' is not a date (YYYY-MM-DD)")))
}

fn start_of(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc()
}

/// The report for the days `from..=to` (UTC), as known now.
fn lead_keys(tx: &crate::store::Tx) -> Result<Vec<(String, String)>> {
    let leads: Vec<String> = tx
        .users()?
        .into_iter()
        .filter(|u| u.role == crate::model::Role::Lead)
        .map(|u| u.name)
        .collect();
    Ok(tx
        .key_fingerprints()?
        .into_iter()
        .filter(|(n, _)| leads.contains(n))
        .collect())
}

pub fn compute(ws: &mut Workspace, from: NaiveDate, to: NaiveDate) -> Result<Report> {
    if to < from {
        return Err(Error::invalid(format!(
            "the period ends ({to}) before it starts ({from})"
        )));
    }
    let now = ws.now();
    let (a, b) = (start_of(from), start_of(to) + Duration::days(1));
    ws.store().read(|tx| {
        let mut r = Report {
            from: from.to_string(),
            to: to.to_string(),
            generated_at: now,
            items_received: tx.count_reported(a, b)?,
            lead_keys: lead_keys(tx)?,
            checkpoint: crate::checkpoint::stored(tx)?
                .into_values()
                .next_back()
                .map(|c| c.note()),
            ..Report::default()
        };

        let mut by_outcome: BTreeMap<String, u64> = BTreeMap::new();
        let mut by_platform: BTreeMap<String, PlatformOutcomes> = BTreeMap::new();
        let (mut groups, mut grounds) = (BTreeMap::new(), BTreeMap::new());
        let mut to_approval = Vec::new();
        for d in tx.approved_between(a, b)? {
            *by_outcome.entry(d.outcome.clone()).or_default() += 1;
            let p = by_platform
                .entry(d.platform.clone())
                .or_insert_with(|| PlatformOutcomes {
                    platform: d.platform.clone(),
                    ..PlatformOutcomes::default()
                });
            match d.outcome.as_str() {
                "takedown" => p.takedown += 1,
                "no_violation" => p.no_violation += 1,
                _ => p.insufficient_evidence += 1,
            }
            if d.outcome == "takedown" {
                let packet: Packet = serde_json::from_str(&d.packet)
                    .map_err(|e| Error::Integrity(format!("a sealed packet is unreadable: {e}")))?;
                for (tags, into) in [(packet.groups, &mut groups), (packet.grounds, &mut grounds)] {
                    for g in tags {
                        let e: &mut (u64, String) = into.entry(g.id).or_default();
                        e.0 += 1;
                        e.1 = g.label;
                    }
                }
            }
            to_approval.push(hours_between(d.proposed_at, d.approved_at));
        }
        r.decisions_by_outcome = counts(by_outcome);
        r.decisions_by_platform = by_platform.into_values().collect();
        r.takedowns_by_group = named_counts(groups);
        r.takedowns_by_ground = named_counts(grounds);
        r.proposal_to_approval = durations(to_approval);

        let proposals = tx.proposals_between(a, b)?;
        r.proposals = proposals.len() as u64;
        r.proposals_returned = proposals.iter().filter(|p| p.state == "returned").count() as u64;
        r.share_returned = share(r.proposals_returned, r.proposals);
        let mut to_proposal = Vec::new();
        for p in proposals.iter().filter(|p| p.first) {
            to_proposal.push(hours_between(p.reported_at, p.proposed_at));
        }
        r.report_to_proposal = durations(to_proposal);

        r.appeals = tx.count_appeals_filed(a, b)?;
        let outcomes = tx.appeal_outcomes_approved_between(a, b)?;
        r.appeals_decided = outcomes.len() as u64;
        r.appeals_overturned = outcomes.iter().filter(|o| *o == "overturned").count() as u64;
        r.share_overturned = share(r.appeals_overturned, r.appeals_decided);

        let mut per: BTreeMap<String, (PlatformRequests, Vec<f64>)> = BTreeMap::new();
        for req in tx.takedown_requests_sent_between(a, b)? {
            let sent = req.sent.as_ref().expect("sent requests only");
            let items: Vec<i64> = tx
                .request_items(req.id)?
                .iter()
                .map(|i| i.item_id)
                .collect();
            let responses = crate::requests::timed(&tx.responses(req.id)?)?;
            let (p, times) = per.entry(req.platform.clone()).or_insert_with(|| {
                (
                    PlatformRequests {
                        platform: req.platform.clone(),
                        ..PlatformRequests::default()
                    },
                    Vec::new(),
                )
            });
            p.requests_sent += 1;
            p.items_requested += items.len() as u64;
            let sent_at = sent.sent_at;
            for &i in &items {
                let removed = responses
                    .iter()
                    .filter(|x| x.item == i && x.response == Response::Removed && x.at <= now)
                    .map(|x| x.at)
                    .min();
                if let Some(t) = removed {
                    p.items_removed += 1;
                    times.push((t - sent_at).num_milliseconds() as f64 / 3_600_000.0);
                }
            }
            if request::missed_window(sent.due_at, &items, &responses, now) {
                p.requests_overdue += 1;
            }
        }
        r.requests = per
            .into_values()
            .map(|(mut p, times)| {
                p.share_removed = share(p.items_removed, p.items_requested);
                p.share_overdue = share(p.requests_overdue, p.requests_sent);
                p.median_hours_to_removal = durations(times).median_hours;
                p
            })
            .collect();
        Ok(r)
    })
}

/// Writes the report to `out`: `.csv` or `.html`, by extension. Written whole or not at all,
/// and recorded in the trail (see [`crate::outfile`]).
pub fn write(
    ws: &mut Workspace,
    s: Option<&Session>,
    report: &crate::model::report::Report,
    out: &Path,
    force: bool,
) -> Result<()> {
    let ext = out
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let text = match ext.as_str() {
        "csv" => render::csv(report),
        "html" | "htm" => render::html(report),
        _ => {
            return Err(Error::Usage(format!(
                "{}: the report is written as .csv or .html",
                out.display()
            )));
        }
    };
    let what = serde_json::json!({
        "kind": "transparency_report",
        "from": report.from,
        "to": report.to,
    });
    crate::outfile::write_recorded(ws, s, out, text.as_bytes(), force, what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_90th_percentile() {
        let d = durations(vec![4.0, 1.0, 3.0, 2.0]);
        assert_eq!(
            (d.count, d.median_hours, d.p90_hours),
            (4, Some(2.5), Some(4.0))
        );
        let d = durations((1..=10).map(f64::from).collect());
        assert_eq!((d.median_hours, d.p90_hours), (Some(5.5), Some(9.0)));
        assert_eq!(durations(vec![]).median_hours, None);
    }
}
