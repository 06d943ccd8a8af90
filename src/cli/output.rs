//! Printing for people (tables) and for programs (JSON).

use serde::Serialize;

use crate::clock::fmt_ts;
use crate::error::{Error, Result};
use crate::model::ocr::Outcome;
use crate::model::taxonomy::{Ground, Group};
use crate::model::text::terminal_safe as t;
use crate::model::{EventRow, QueueRow, TagRow, TaxonomyVersion};
use crate::queue::ItemRecord;

/// Prints pretty JSON.
pub fn json<T: Serialize + ?Sized>(v: &T) -> Result<()> {
    let s = serde_json::to_string_pretty(v)
        .map_err(|e| Error::invalid(format!("cannot write JSON: {e}")))?;
    println!("{s}");
    Ok(())
}

/// Cuts `s` to at most `n` characters, marking the cut; what is left is safe to print.
fn cut(s: &str, n: usize) -> String {
    let one_line = t(&s.replace(['\n', '\r', '\t'], " ")).into_owned();
    if one_line.chars().count() <= n {
        one_line
    } else {
        format!("{}…", one_line.chars().take(n - 1).collect::<String>())
    }
}

/// The queue as a table.
pub fn queue_table(rows: &[QueueRow]) {
    println!(
        "{:>7}  {:>3}  {:<9}  {:<7}  {:<9}  {:<24}  {:<22}  {:<10}  {:>3}  CLAIMED BY",
        "ID", "PRI", "PLATFORM", "KIND", "STATUS", "HANDLE", "NAME", "REPORTED", "EVI"
    );
    for r in rows {
        let i = &r.item;
        println!(
            "{:>7}  {:>3}  {:<9}  {:<7}  {:<9}  {:<24}  {:<22}  {:<10}  {:>3}  {}{}",
            i.id,
            i.fields.priority,
            i.fields.platform.as_str(),
            i.fields.kind.as_str(),
            i.status.as_str(),
            cut(&i.fields.handle, 24),
            cut(&i.fields.display_name, 22),
            i.fields.reported_at.format("%Y-%m-%d"),
            r.evidence_count,
            t(i.claimed_by.as_deref().unwrap_or("")),
            if r.in_image {
                "  [found in a screenshot]"
            } else {
                ""
            }
        );
    }
    println!(
        "{} item{}",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    );
}

/// One item's record.
pub fn item_record(r: &ItemRecord) {
    let i = &r.item;
    let f = &i.fields;
    println!(
        "#{}  {} {}  @{}  {}",
        i.id,
        f.platform,
        f.kind,
        t(&f.handle),
        t(&f.display_name)
    );
    println!("  url:        {}", t(&f.url));
    if f.reported_url != f.url {
        println!("  as given:   {}", t(&f.reported_url));
    }
    println!("  status:     {}", i.status);
    if let (Some(by), Some(until)) = (&i.claimed_by, i.lease_until) {
        println!("  claimed by: {} until {}", t(by), fmt_ts(until));
    }
    println!(
        "  reported:   {}  source: {}  priority: {}",
        fmt_ts(f.reported_at),
        t(&f.source_ref),
        f.priority
    );
    println!(
        "  followers:  {}  language: {}",
        f.followers.map_or("-".into(), |n| n.to_string()),
        t(&f.language)
    );
    println!("  text:       {}", t(&f.text));
    println!("tags:");
    for tag in &r.tags {
        println!(
            "  {} {} ({}: {}) taxonomy v{}{}",
            tag.kind,
            tag.id,
            t(&tag.label),
            t(&tag.title),
            tag.taxonomy_version,
            if tag.verified { "" } else { " [unverified]" }
        );
    }
    println!("evidence:");
    for e in &r.evidence {
        println!(
            "  {} {} {}x{} {} bytes  {} by {} at {}",
            e.sha256,
            e.mime,
            e.width,
            e.height,
            e.size,
            t(&e.file_name),
            t(&e.attached_by),
            e.attached_at
        );
        match r.image_text.iter().find(|x| x.sha256 == e.sha256) {
            None => println!("    text: not read yet"),
            Some(x) if x.outcome == Outcome::Failed => println!(
                "    text: could not be read ({})",
                t(x.problem.as_deref().unwrap_or(""))
            ),
            Some(x) if x.text.is_empty() => println!("    text: none found ({})", x.engine),
            Some(x) => {
                println!("    text read from the image ({}, {}):", x.engine, x.models);
                for line in x.text.lines() {
                    println!("      {}", t(line));
                }
            }
        }
    }
    println!("decisions:");
    for d in &r.decisions {
        let p = &d.proposal;
        println!(
            "  proposal {}: {} by {} at {} [{}]",
            p.id,
            p.outcome,
            t(&p.proposer),
            p.proposed_at,
            p.state
        );
        println!("    packet {}", p.packet_hash);
        println!("    rationale: {}", t(&p.rationale));
        if let Some(a) = &d.approval {
            println!("    approved by {} at {}", t(&a.approver), a.approved_at);
        }
        if let Some(ret) = &d.returned {
            println!(
                "    returned by {} at {}: {}",
                t(&ret.lead),
                ret.returned_at,
                t(&ret.reason)
            );
        }
    }
}

/// An item's tags on one line.
pub fn tags_line(item: i64, tags: &[TagRow]) {
    let list: Vec<String> = tags
        .iter()
        .map(|t| format!("{}:{}@v{}", t.kind, t.id, t.taxonomy_version))
        .collect();
    println!(
        "#{item} tags: {}",
        if list.is_empty() {
            "none".into()
        } else {
            list.join(", ")
        }
    );
}

/// Audit events, one per line.
pub fn events(events: &[EventRow]) {
    for e in events {
        let item = e
            .item
            .map(|i| format!("#{i}"))
            .unwrap_or_else(|| "-".into());
        println!(
            "{:>6}  {}  {:<10}  {:<16}  {:<7}  {}  {}",
            e.seq,
            e.at,
            t(&e.actor),
            t(&e.action),
            item,
            &e.hash[..12],
            t(&e.payload)
        );
    }
}

/// The current taxonomy.
pub fn taxonomy((v, groups, grounds): &(TaxonomyVersion, Vec<Group>, Vec<Ground>)) {
    println!(
        "taxonomy version {}: {} (imported {} by {})",
        v.version,
        t(&v.label),
        v.imported_at,
        t(&v.imported_by)
    );
    println!("groups:");
    for g in groups {
        let unverified = if g.verified { "" } else { " [unverified]" };
        println!(
            "  {:<6} {:<6} {} (proscribed {}){unverified}",
            t(&g.id),
            t(&g.short),
            t(&g.name),
            t(g.proscribed.as_deref().unwrap_or("?"))
        );
    }
    println!("legal grounds:");
    for g in grounds {
        let unverified = if g.verified { "" } else { " [unverified]" };
        println!(
            "  {:<10} {} {}: {}{unverified}",
            t(&g.id),
            t(&g.statute),
            t(&g.cited_section()),
            t(&g.title)
        );
    }
}
