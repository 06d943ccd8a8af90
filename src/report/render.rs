//! Renderings of a [`Report`]: long-format CSV for spreadsheets and scripts, and one
//! self-contained HTML file (inline CSS and SVG charts, no scripts, nothing fetched) for
//! publication and print.

use std::fmt::Write as _;

use crate::model::report::{Count, Durations, PlatformRequests, Report};

use super::svg::{self, Bar, Group, ValueFormat, escape};

/// The names of the outcomes in the order the report shows them.
const OUTCOMES: [&str; 3] = ["Takedown", "No violation", "Insufficient evidence"];

/// How a platform id is shown: `whatsapp` → `WhatsApp`; unknown ids as given.
pub fn platform_label(id: &str) -> String {
    match id {
        "facebook" => "Facebook",
        "instagram" => "Instagram",
        "whatsapp" => "WhatsApp",
        "x" => "X",
        "telegram" => "Telegram",
        "tiktok" => "TikTok",
        "youtube" => "YouTube",
        "other" => "Other",
        other => other,
    }
    .to_string()
}

/// How an outcome id is shown: `no_violation` → `No violation`; unknown ids as given.
pub fn outcome_label(id: &str) -> String {
    match id {
        "takedown" => OUTCOMES[0],
        "no_violation" => OUTCOMES[1],
        "insufficient_evidence" => OUTCOMES[2],
        other => other,
    }
    .to_string()
}

// ---------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------

/// The report as long-format CSV: a `section,label,value` header, then one row per figure
/// (`period,from,2026-01-01`, `decisions_by_platform,telegram/takedown,2`,
/// `requests/telegram,share_removed,0.5` …). Missing values are empty fields; shares are
/// fractions with up to 4 decimals, hours have up to 2.
pub fn csv(report: &Report) -> String {
    let mut rows: Vec<[String; 3]> = Vec::new();
    let mut row = |section: &str, label: &str, value: String| {
        rows.push([section.to_string(), label.to_string(), value]);
    };

    row("period", "from", report.from.clone());
    row("period", "to", report.to.clone());
    row(
        "period",
        "generated_at",
        crate::clock::fmt_ts(report.generated_at),
    );
    row("items", "received", report.items_received.to_string());
    for c in &report.decisions_by_outcome {
        row("decisions_by_outcome", &c.label, c.count.to_string());
    }
    for p in &report.decisions_by_platform {
        for (outcome, n) in [
            ("takedown", p.takedown),
            ("no_violation", p.no_violation),
            ("insufficient_evidence", p.insufficient_evidence),
        ] {
            let label = format!("{}/{outcome}", p.platform);
            row("decisions_by_platform", &label, n.to_string());
        }
    }
    for c in &report.takedowns_by_group {
        row("takedowns_by_group", &c.label, c.count.to_string());
    }
    for c in &report.takedowns_by_ground {
        row("takedowns_by_ground", &c.label, c.count.to_string());
    }
    for (section, d) in [
        ("report_to_proposal", &report.report_to_proposal),
        ("proposal_to_approval", &report.proposal_to_approval),
    ] {
        row(section, "median_hours", hours_field(d.median_hours));
        row(section, "p90_hours", hours_field(d.p90_hours));
        row(section, "count", d.count.to_string());
    }
    row("proposals", "made", report.proposals.to_string());
    row(
        "proposals",
        "returned",
        report.proposals_returned.to_string(),
    );
    row(
        "proposals",
        "share_returned",
        share_field(report.share_returned),
    );
    row("appeals", "filed", report.appeals.to_string());
    row("appeals", "decided", report.appeals_decided.to_string());
    row(
        "appeals",
        "overturned",
        report.appeals_overturned.to_string(),
    );
    row(
        "appeals",
        "share_overturned",
        share_field(report.share_overturned),
    );
    for r in &report.requests {
        let section = format!("requests/{}", r.platform);
        row(&section, "sent", r.requests_sent.to_string());
        row(&section, "items_requested", r.items_requested.to_string());
        row(&section, "items_removed", r.items_removed.to_string());
        row(&section, "share_removed", share_field(r.share_removed));
        row(
            &section,
            "median_hours_to_removal",
            hours_field(r.median_hours_to_removal),
        );
        row(&section, "overdue", r.requests_overdue.to_string());
        row(&section, "share_overdue", share_field(r.share_overdue));
    }
    for (name, fp) in &report.lead_keys {
        row("lead_keys", name, fp.clone());
    }
    if let Some(note) = &report.checkpoint {
        row("audit_trail", "checkpoint", note.clone());
    }

    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["section", "label", "value"])
        .expect("writing CSV to memory cannot fail");
    for r in &rows {
        w.write_record(
            r.iter()
                .map(|c| crate::model::text::csv_cell(c).into_owned()),
        )
        .expect("writing CSV to memory cannot fail");
    }
    let bytes = w.into_inner().expect("writing CSV to memory cannot fail");
    String::from_utf8(bytes).expect("CSV of strings is UTF-8")
}

/// A share as a fraction with up to 4 decimals; empty when missing.
fn share_field(v: Option<f64>) -> String {
    v.filter(|v| v.is_finite())
        .map(|v| svg::trim_decimals(v, 4))
        .unwrap_or_default()
}

/// Hours with up to 2 decimals; empty when missing.
fn hours_field(v: Option<f64>) -> String {
    v.filter(|v| v.is_finite())
        .map(|v| svg::trim_decimals(v, 2))
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------------------

/// Print-friendly styles: A4 margins, and tables and charts kept whole on a page.
const STYLE: &str = r#"
:root { color-scheme: light; }
body { font-family: system-ui, sans-serif; color: #000; background: #fff; line-height: 1.4;
       max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #999; padding-bottom: 0.2rem; }
.generated, .note { color: #333; font-size: 0.9rem; }
dl.summary { display: grid; grid-template-columns: max-content auto; gap: 0.25rem 1.5rem; }
dl.summary dt { font-weight: 600; }
dl.summary dd { margin: 0; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; margin: 0.75rem 0; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #bbb; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
thead th { background: #eee; }
td.num, th.num { text-align: right; }
td.empty { color: #555; font-style: italic; }
figure { margin: 0.75rem 0; }
figure svg { display: block; max-width: 100%; height: auto; }
@page { size: A4; margin: 20mm 18mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  table, figure, svg, dl.summary, tr { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
}
"#;

/// The report as one self-contained HTML5 file: a summary, then per topic a table and an
/// inline SVG chart. No scripts, no external resources; every text value is escaped.
pub fn html(report: &Report) -> String {
    let title = format!(
        "Parakh transparency report, {} – {}",
        report.from, report.to
    );
    let mut h = String::new();
    let _ = write!(
        h,
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{t}</title>
<style>{STYLE}</style>
</head>
<body>
<header>
<h1>{t}</h1>
<p class="generated">Generated at <time datetime="{g}">{g}</time>. Period: {f} to {to}, inclusive (UTC).</p>
</header>
"#,
        t = escape(&title),
        g = escape(&crate::clock::fmt_ts(report.generated_at)),
        f = escape(&report.from),
        to = escape(&report.to),
    );

    summary(&mut h, report);
    decisions_by_outcome(&mut h, report);
    decisions_by_platform(&mut h, report);
    counts_section(
        &mut h,
        "takedowns-by-group",
        "Takedowns by group",
        "Group",
        &report.takedowns_by_group,
        Some(
            "An item may be tagged with several groups, so these can add up to more than the takedowns.",
        ),
    );
    counts_section(
        &mut h,
        "takedowns-by-ground",
        "Takedowns by legal ground",
        "Legal ground",
        &report.takedowns_by_ground,
        Some(
            "A takedown may cite several grounds, so these can add up to more than the takedowns.",
        ),
    );
    timings(&mut h, report);
    proposals(&mut h, report);
    appeals(&mut h, report);
    requests(&mut h, report);
    lead_keys(&mut h, report);
    checkpoint(&mut h, report);

    h.push_str("</body>\n</html>\n");
    h
}

/// A count as text.
fn num(n: u64) -> String {
    n.to_string()
}

/// A share as a percentage, or a dash.
fn pct(v: Option<f64>) -> String {
    match v.filter(|v| v.is_finite()) {
        Some(_) => ValueFormat::Percent.format(v),
        None => "—".to_string(),
    }
}

/// Hours for people, or a dash.
fn hrs(v: Option<f64>) -> String {
    match v.filter(|v| v.is_finite()) {
        Some(v) => svg::format_hours(v),
        None => "—".to_string(),
    }
}

/// Opens a section with its heading.
fn open_section(h: &mut String, id: &str, heading: &str) {
    let _ = write!(
        h,
        "<section id=\"{}\">\n<h2>{}</h2>\n",
        escape(id),
        escape(heading)
    );
}

/// Writes a table: header cells (`(text, numeric)`), then rows of already-escaped cells.
/// An empty table gets one row saying there is no data.
fn table(h: &mut String, head: &[(&str, bool)], rows: &[Vec<String>]) {
    h.push_str("<table>\n<thead><tr>");
    for (text, numeric) in head {
        let class = if *numeric { " class=\"num\"" } else { "" };
        let _ = write!(h, "<th scope=\"col\"{class}>{}</th>", escape(text));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    if rows.is_empty() {
        let _ = writeln!(
            h,
            "<tr><td colspan=\"{}\" class=\"empty\">{}</td></tr>",
            head.len(),
            svg::NO_DATA
        );
    }
    for row in rows {
        h.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            if i == 0 {
                let _ = write!(h, "<th scope=\"row\"><bdi>{cell}</bdi></th>");
            } else if head.get(i).is_some_and(|(_, n)| *n) {
                let _ = write!(h, "<td class=\"num\">{cell}</td>");
            } else {
                let _ = write!(h, "<td>{cell}</td>");
            }
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");
}

/// Wraps a chart in a figure.
fn figure(h: &mut String, chart: &str) {
    let _ = writeln!(h, "<figure>{chart}</figure>");
}

/// A short explanatory note.
fn note(h: &mut String, text: &str) {
    let _ = writeln!(h, "<p class=\"note\">{}</p>", escape(text));
}

fn summary(h: &mut String, r: &Report) {
    let decisions: u64 = r.decisions_by_outcome.iter().map(|c| c.count).sum();
    let takedowns: u64 = r
        .decisions_by_outcome
        .iter()
        .filter(|c| c.label == "takedown")
        .map(|c| c.count)
        .sum();
    let sent: u64 = r.requests.iter().map(|p| p.requests_sent).sum();
    let requested: u64 = r.requests.iter().map(|p| p.items_requested).sum();
    let removed: u64 = r.requests.iter().map(|p| p.items_removed).sum();
    let overdue: u64 = r.requests.iter().map(|p| p.requests_overdue).sum();

    open_section(h, "summary", "Summary");
    h.push_str("<dl class=\"summary\">\n");
    let items = [
        ("Items received", num(r.items_received)),
        ("Decisions approved", num(decisions)),
        ("Takedowns approved", num(takedowns)),
        (
            "Proposals returned to review",
            format!(
                "{} of {} ({})",
                r.proposals_returned,
                r.proposals,
                pct(r.share_returned)
            ),
        ),
        ("Appeals filed", num(r.appeals)),
        (
            "Appeals overturned",
            format!(
                "{} of {} decided ({})",
                r.appeals_overturned,
                r.appeals_decided,
                pct(r.share_overturned)
            ),
        ),
        ("Takedown requests sent", num(sent)),
        (
            "Items removed by platforms",
            format!("{removed} of {requested} requested"),
        ),
        ("Requests overdue", num(overdue)),
        (
            "Median time, report to proposal",
            hrs(r.report_to_proposal.median_hours),
        ),
        (
            "Median time, proposal to approval",
            hrs(r.proposal_to_approval.median_hours),
        ),
    ];
    for (dt, dd) in items {
        let _ = writeln!(h, "<dt>{}</dt><dd>{}</dd>", escape(dt), escape(&dd));
    }
    h.push_str("</dl>\n</section>\n");
}

fn decisions_by_outcome(h: &mut String, r: &Report) {
    let total: u64 = r.decisions_by_outcome.iter().map(|c| c.count).sum();
    open_section(h, "decisions-by-outcome", "Decisions by outcome");
    let rows: Vec<Vec<String>> = r
        .decisions_by_outcome
        .iter()
        .map(|c| {
            let share = (total > 0).then(|| c.count as f64 / total as f64);
            vec![
                escape(&outcome_label(&c.label)),
                num(c.count),
                escape(&pct(share)),
            ]
        })
        .collect();
    table(
        h,
        &[("Outcome", false), ("Decisions", true), ("Share", true)],
        &rows,
    );
    let bars: Vec<Bar> = r
        .decisions_by_outcome
        .iter()
        .map(|c| Bar::new(outcome_label(&c.label), c.count as f64))
        .collect();
    figure(
        h,
        &svg::bar_chart("Decisions by outcome", &bars, ValueFormat::Number),
    );
    h.push_str("</section>\n");
}

fn decisions_by_platform(h: &mut String, r: &Report) {
    open_section(h, "decisions-by-platform", "Decisions by platform");
    let rows: Vec<Vec<String>> = r
        .decisions_by_platform
        .iter()
        .map(|p| {
            vec![
                escape(&platform_label(&p.platform)),
                num(p.takedown),
                num(p.no_violation),
                num(p.insufficient_evidence),
                num(p.takedown + p.no_violation + p.insufficient_evidence),
            ]
        })
        .collect();
    table(
        h,
        &[
            ("Platform", false),
            (OUTCOMES[0], true),
            (OUTCOMES[1], true),
            (OUTCOMES[2], true),
            ("Total", true),
        ],
        &rows,
    );
    let groups: Vec<Group> = r
        .decisions_by_platform
        .iter()
        .map(|p| Group {
            label: platform_label(&p.platform),
            values: vec![
                Some(p.takedown as f64),
                Some(p.no_violation as f64),
                Some(p.insufficient_evidence as f64),
            ],
        })
        .collect();
    figure(
        h,
        &svg::grouped_bar_chart(
            "Decisions by platform and outcome",
            &OUTCOMES,
            &groups,
            ValueFormat::Number,
        ),
    );
    h.push_str("</section>\n");
}

/// A section of labelled counts shown as given (groups, grounds): a table and a bar chart.
fn counts_section(
    h: &mut String,
    id: &str,
    heading: &str,
    column: &str,
    counts: &[Count],
    explanation: Option<&str>,
) {
    open_section(h, id, heading);
    if let Some(text) = explanation {
        note(h, text);
    }
    let rows: Vec<Vec<String>> = counts
        .iter()
        .map(|c| vec![escape(c.shown()), num(c.count)])
        .collect();
    table(h, &[(column, false), ("Takedowns", true)], &rows);
    let bars: Vec<Bar> = counts
        .iter()
        .map(|c| Bar::new(c.shown().to_string(), c.count as f64))
        .collect();
    figure(h, &svg::bar_chart(heading, &bars, ValueFormat::Number));
    h.push_str("</section>\n");
}

fn timings(h: &mut String, r: &Report) {
    let spans: [(&str, &Durations); 2] = [
        ("Report to proposal", &r.report_to_proposal),
        ("Proposal to approval", &r.proposal_to_approval),
    ];
    open_section(h, "timings", "Time to decision");
    note(
        h,
        "Hours from an item's report to its first proposal (proposals made in the period), \
         and from proposal to approval (approvals in the period). The 90th percentile is \
         the time within which nine in ten were done.",
    );
    let rows: Vec<Vec<String>> = spans
        .iter()
        .map(|(name, d)| {
            vec![
                escape(name),
                num(d.count),
                escape(&hrs(d.median_hours)),
                escape(&hrs(d.p90_hours)),
            ]
        })
        .collect();
    table(
        h,
        &[
            ("Interval", false),
            ("Count", true),
            ("Median", true),
            ("90th percentile", true),
        ],
        &rows,
    );
    let groups: Vec<Group> = spans
        .iter()
        .map(|(name, d)| Group {
            label: (*name).to_string(),
            values: vec![d.median_hours, d.p90_hours],
        })
        .collect();
    figure(
        h,
        &svg::grouped_bar_chart(
            "Time to decision, in hours",
            &["Median", "90th percentile"],
            &groups,
            ValueFormat::Hours,
        ),
    );
    h.push_str("</section>\n");
}

fn proposals(h: &mut String, r: &Report) {
    open_section(h, "proposals", "Proposals returned to review");
    note(
        h,
        "A proposal is returned when the approving officer sends it back for more review \
         instead of approving it.",
    );
    table(
        h,
        &[("Figure", false), ("Value", true)],
        &[
            vec!["Proposals made".into(), num(r.proposals)],
            vec!["Returned to review".into(), num(r.proposals_returned)],
            vec!["Share returned".into(), escape(&pct(r.share_returned))],
        ],
    );
    let bars = [
        Bar::new("Proposals made", r.proposals as f64),
        Bar::new("Returned to review", r.proposals_returned as f64),
    ];
    figure(
        h,
        &svg::bar_chart("Proposals returned to review", &bars, ValueFormat::Number),
    );
    h.push_str("</section>\n");
}

fn appeals(h: &mut String, r: &Report) {
    open_section(h, "appeals", "Appeals");
    note(
        h,
        "Appeals filed in the period, and appeal outcomes approved in the period (which may \
         concern appeals filed earlier).",
    );
    table(
        h,
        &[("Figure", false), ("Value", true)],
        &[
            vec!["Appeals filed".into(), num(r.appeals)],
            vec!["Appeals decided".into(), num(r.appeals_decided)],
            vec!["Decisions overturned".into(), num(r.appeals_overturned)],
            vec![
                "Share of decided appeals overturned".into(),
                escape(&pct(r.share_overturned)),
            ],
        ],
    );
    let bars = [
        Bar::new("Filed", r.appeals as f64),
        Bar::new("Decided", r.appeals_decided as f64),
        Bar::new("Overturned", r.appeals_overturned as f64),
    ];
    figure(h, &svg::bar_chart("Appeals", &bars, ValueFormat::Number));
    h.push_str("</section>\n");
}

fn checkpoint(h: &mut String, r: &Report) {
    open_section(h, "checkpoint", "Checkpoint of the audit trail");
    match &r.checkpoint {
        None => note(h, "No lead has signed a checkpoint of the audit trail yet."),
        Some(text) => {
            note(
                h,
                "The trail as two leads certified it: its size and Merkle root, and their \
                 signatures. Keep a copy (or scan the code); `parakh audit verify --checkpoint FILE` \
                 proves that a later trail extends it.",
            );
            let _ = writeln!(h, "<pre class=\"checkpoint\">{}</pre>", escape(text));
            if let Ok(code) = qrcode::QrCode::new(text.as_bytes()) {
                let svg = code
                    .render::<qrcode::render::svg::Color>()
                    .min_dimensions(180, 180)
                    .quiet_zone(true)
                    .build();
                let svg = svg.trim_start_matches(|c| c != '<').replacen(
                    "<?xml version=\"1.0\" standalone=\"yes\"?>",
                    "",
                    1,
                );
                let _ = writeln!(
                    h,
                    "<figure class=\"qr\" aria-label=\"The checkpoint as a QR code\">{svg}</figure>"
                );
            }
        }
    }
    h.push_str("</section>\n");
}

fn lead_keys(h: &mut String, r: &Report) {
    open_section(h, "lead-keys", "Leads' signing keys");
    note(
        h,
        "Every approval is signed with its lead's key. Compare these fingerprints with a copy \
         kept outside the store (`parakh user list`); `parakh audit verify` checks each signature.",
    );
    let rows: Vec<Vec<String>> = r
        .lead_keys
        .iter()
        .map(|(n, fp)| vec![escape(n), format!("<code>{}</code>", escape(fp))])
        .collect();
    table(h, &[("Lead", false), ("Key fingerprint", false)], &rows);
    h.push_str("</section>\n");
}

fn requests(h: &mut String, r: &Report) {
    open_section(h, "requests", "Takedown requests to platforms");
    note(
        h,
        "A request is overdue when the platform has not removed or refused every item in it \
         within its response window.",
    );
    let rows: Vec<Vec<String>> = r
        .requests
        .iter()
        .map(|p: &PlatformRequests| {
            vec![
                escape(&platform_label(&p.platform)),
                num(p.requests_sent),
                num(p.items_requested),
                num(p.items_removed),
                escape(&pct(p.share_removed)),
                escape(&hrs(p.median_hours_to_removal)),
                num(p.requests_overdue),
                escape(&pct(p.share_overdue)),
            ]
        })
        .collect();
    table(
        h,
        &[
            ("Platform", false),
            ("Requests sent", true),
            ("Items requested", true),
            ("Items removed", true),
            ("Share removed", true),
            ("Median time to removal", true),
            ("Requests overdue", true),
            ("Share overdue", true),
        ],
        &rows,
    );
    let removed: Vec<Bar> = r
        .requests
        .iter()
        .map(|p| Bar::maybe(platform_label(&p.platform), p.share_removed))
        .collect();
    let overdue: Vec<Bar> = r
        .requests
        .iter()
        .map(|p| Bar::maybe(platform_label(&p.platform), p.share_overdue))
        .collect();
    let _ = writeln!(h, "<h3>Share of requested items removed</h3>");
    figure(
        h,
        &svg::bar_chart(
            "Share of requested items removed, by platform",
            &removed,
            ValueFormat::Percent,
        ),
    );
    let _ = writeln!(h, "<h3>Share of requests overdue</h3>");
    figure(
        h,
        &svg::bar_chart(
            "Share of requests overdue, by platform",
            &overdue,
            ValueFormat::Percent,
        ),
    );
    h.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::report::PlatformOutcomes;

    fn count(label: &str, count: u64) -> Count {
        Count {
            label: label.to_string(),
            count,
            name: String::new(),
        }
    }

    fn sample() -> Report {
        Report {
            from: "2026-01-01".into(),
            to: "2026-01-31".into(),
            generated_at: crate::clock::parse_ts("2026-02-01T09:00:00.000Z").unwrap(),
            items_received: 42,
            decisions_by_outcome: vec![
                count("takedown", 3),
                count("no_violation", 2),
                count("insufficient_evidence", 1),
            ],
            decisions_by_platform: vec![
                PlatformOutcomes {
                    platform: "telegram".into(),
                    takedown: 2,
                    no_violation: 1,
                    insufficient_evidence: 0,
                },
                PlatformOutcomes {
                    platform: "whatsapp".into(),
                    takedown: 1,
                    no_violation: 1,
                    insufficient_evidence: 1,
                },
            ],
            takedowns_by_group: vec![
                Count {
                    name: "TTP".into(),
                    ..count("ttp", 2)
                },
                count("a<b&\"c\"", 1),
            ],
            takedowns_by_ground: vec![],
            report_to_proposal: Durations {
                count: 4,
                median_hours: Some(5.5),
                p90_hours: Some(51.2),
            },
            proposal_to_approval: Durations {
                count: 0,
                median_hours: None,
                p90_hours: None,
            },
            proposals: 4,
            proposals_returned: 1,
            share_returned: Some(0.25),
            appeals: 2,
            appeals_decided: 1,
            appeals_overturned: 1,
            share_overturned: Some(1.0),
            requests: vec![
                PlatformRequests {
                    platform: "telegram".into(),
                    requests_sent: 3,
                    items_requested: 10,
                    items_removed: 3,
                    share_removed: Some(0.1 + 0.2),
                    median_hours_to_removal: Some(1.0 / 3.0),
                    requests_overdue: 1,
                    share_overdue: Some(1.0 / 3.0),
                },
                PlatformRequests {
                    platform: "x".into(),
                    requests_sent: 0,
                    items_requested: 0,
                    items_removed: 0,
                    share_removed: None,
                    median_hours_to_removal: None,
                    requests_overdue: 0,
                    share_overdue: None,
                },
            ],
            lead_keys: vec![(
                "sana".into(),
                "3f2a 9c01 77aa 0b1c 5d6e 7f80 9a0b 1c2d".into(),
            )],
            checkpoint: None,
        }
    }

    /// The CSV's records, parsed back with the csv crate (header checked separately).
    fn parse(csv_text: &str) -> (Vec<String>, Vec<[String; 3]>) {
        let mut rdr = csv::Reader::from_reader(csv_text.as_bytes());
        let header = rdr.headers().unwrap().iter().map(str::to_string).collect();
        let rows = rdr
            .records()
            .map(|r| {
                let r = r.unwrap();
                assert_eq!(r.len(), 3, "{r:?}");
                [r[0].to_string(), r[1].to_string(), r[2].to_string()]
            })
            .collect();
        (header, rows)
    }

    fn value<'a>(rows: &'a [[String; 3]], section: &str, label: &str) -> Vec<&'a str> {
        rows.iter()
            .filter(|r| r[0] == section && r[1] == label)
            .map(|r| r[2].as_str())
            .collect()
    }

    #[test]
    fn csv_parses_back_with_one_row_per_figure() {
        let (header, rows) = parse(&csv(&sample()));
        assert_eq!(header, ["section", "label", "value"]);
        assert_eq!(rows[0], ["period", "from", "2026-01-01"].map(String::from));
        assert_eq!(value(&rows, "period", "to"), ["2026-01-31"]);
        assert_eq!(value(&rows, "items", "received"), ["42"]);
        assert_eq!(value(&rows, "decisions_by_outcome", "takedown"), ["3"]);
        assert_eq!(
            value(&rows, "decisions_by_platform", "telegram/takedown"),
            ["2"]
        );
        assert_eq!(
            value(
                &rows,
                "decisions_by_platform",
                "whatsapp/insufficient_evidence"
            ),
            ["1"]
        );
        assert_eq!(value(&rows, "takedowns_by_group", "ttp"), ["2"]);
        // A label with quotes and commas' neighbours survives the round trip.
        assert_eq!(value(&rows, "takedowns_by_group", "a<b&\"c\""), ["1"]);
        assert!(rows.iter().all(|r| r[0] != "takedowns_by_ground"));
        assert_eq!(value(&rows, "report_to_proposal", "median_hours"), ["5.5"]);
        assert_eq!(value(&rows, "report_to_proposal", "p90_hours"), ["51.2"]);
        assert_eq!(value(&rows, "report_to_proposal", "count"), ["4"]);
        // None is an empty field, not "None", "NaN" or a missing row.
        assert_eq!(value(&rows, "proposal_to_approval", "median_hours"), [""]);
        assert_eq!(value(&rows, "proposal_to_approval", "count"), ["0"]);
        assert_eq!(value(&rows, "proposals", "share_returned"), ["0.25"]);
        assert_eq!(value(&rows, "appeals", "share_overturned"), ["1"]);
        // Float noise is rounded away: 0.1 + 0.2 and 1/3.
        assert_eq!(value(&rows, "requests/telegram", "share_removed"), ["0.3"]);
        assert_eq!(
            value(&rows, "requests/telegram", "share_overdue"),
            ["0.3333"]
        );
        assert_eq!(
            value(&rows, "requests/telegram", "median_hours_to_removal"),
            ["0.33"]
        );
        assert_eq!(value(&rows, "requests/telegram", "sent"), ["3"]);
        assert_eq!(value(&rows, "requests/x", "share_removed"), [""]);
        // 3 period + 1 items + 3 outcomes + 6 platform/outcome + 2 groups + 0 grounds
        // + 6 timings + 3 proposals + 4 appeals + 2 × 7 requests + 1 lead key.
        assert_eq!(
            value(&rows, "lead_keys", "sana"),
            ["3f2a 9c01 77aa 0b1c 5d6e 7f80 9a0b 1c2d"]
        );
        assert_eq!(rows.len(), 3 + 1 + 3 + 6 + 2 + 6 + 3 + 4 + 14 + 1);
    }

    #[test]
    fn html_is_self_contained_escaped_and_has_every_chart() {
        let page = html(&sample());
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(page.contains("<meta charset=\"utf-8\">"));
        assert!(
            page.contains("<title>Parakh transparency report, 2026-01-01 – 2026-01-31</title>")
        );
        assert!(page.contains("2026-02-01T09:00:00.000Z"));
        // Outcome, platform, group, ground, timings, proposals, appeals, share removed,
        // share overdue.
        assert_eq!(page.matches("<svg").count(), 9);
        assert_eq!(page.matches("</svg>").count(), 9);
        assert!(!page.to_ascii_lowercase().contains("<script"));
        let svg_ns = "http://www.w3.org/2000/svg";
        let without_ns = page.replace(svg_ns, "");
        assert!(!without_ns.contains("http://") && !without_ns.contains("https://"));
        assert!(!without_ns.contains("url("));
        assert!(page.contains("a&lt;b&amp;&quot;c&quot;"));
        let groups = section(&page, "takedowns-by-group");
        assert!(
            groups.contains(">TTP<") && !groups.contains(">ttp<"),
            "{groups}"
        );
        assert!(!page.contains("a<b"));
        // The empty list of grounds: both its table and its chart say so.
        let grounds = section(&page, "takedowns-by-ground");
        assert!(grounds.contains("<svg"));
        assert_eq!(grounds.matches("No data for this period").count(), 2);
        // Labels are shown for people, figures formatted.
        assert!(page.contains("WhatsApp"));
        assert!(page.contains("Insufficient evidence"));
        assert!(page.contains("5.5 h"));
        assert!(page.contains("2 d 3 h"));
        assert!(page.contains("25%"));
        assert!(page.contains("@media print"));
        assert!(section(&page, "decisions-by-outcome").contains(">Takedown</"));
        assert!(!section(&page, "decisions-by-outcome").contains("No data"));
    }

    /// The text of the section with `id`.
    fn section<'a>(page: &'a str, id: &str) -> &'a str {
        let start = page
            .find(&format!("<section id=\"{id}\">"))
            .unwrap_or_else(|| panic!("no section {id}"));
        let end = start + page[start..].find("</section>").unwrap();
        &page[start..end]
    }

    #[test]
    fn an_empty_report_renders_without_charts_of_nothing() {
        let page = html(&Report::default());
        assert_eq!(page.matches("<svg").count(), 9);
        assert!(section(&page, "decisions-by-platform").contains("No data for this period"));
        assert!(section(&page, "requests").contains("No data for this period"));
        let (_, rows) = parse(&csv(&Report::default()));
        assert_eq!(value(&rows, "proposals", "share_returned"), [""]);
    }
}
