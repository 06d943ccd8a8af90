//! Items against the events that created them: each row's reported fields must still hash
//! to the digest it was stored with, and the items of each import must still add up to the
//! digest that import's event recorded. An item pointed at another account by plain SQL,
//! with or without its digest column rewritten, is found.

use serde_json::Value;
use std::collections::BTreeMap;

use super::Problem;
use crate::error::Result;
use crate::model::item::ItemsDigest;
use crate::store::Tx;

/// The events that recorded items: `import` and, for items from before digests were
/// kept, `items_recorded`. Keyed by first id: (last id, event, recorded digest, running).
type Ranges = BTreeMap<i64, (i64, i64, String, ItemsDigest)>;

pub(super) fn check_items(tx: &Tx) -> Result<Vec<Problem>> {
    let mut ranges: Ranges = BTreeMap::new();
    tx.for_each_event(|e| {
        if matches!(e.action.as_str(), "import" | "items_recorded") {
            let p: Value = serde_json::from_str(&e.payload).unwrap_or(Value::Null);
            if let (Some(a), Some(b), Some(d)) = (
                p["first_id"].as_i64(),
                p["last_id"].as_i64(),
                p["items_sha256"].as_str(),
            ) {
                ranges.insert(a, (b, e.seq, d.to_string(), ItemsDigest::default()));
            }
        }
        Ok(true)
    })?;
    let mut problems = Vec::new();
    tx.for_each_item_fields(|id, fields, stored| {
        let digest = fields.digest();
        match stored {
            Some(s) if s == digest => {}
            Some(_) => problems.push(Problem {
                seq: None,
                what: format!(
                    "item #{id}: its reported fields were edited after it was stored (it now points at {})",
                    crate::model::text::terminal_safe(&fields.url)
                ),
            }),
            None => problems.push(Problem {
                seq: None,
                what: format!("item #{id}: no digest of its reported fields was recorded"),
            }),
        }
        if let Some((_, (last, _, _, running))) = ranges.range_mut(..=id).next_back()
            && id <= *last
        {
            running.add(id, &digest);
        }
    })?;
    for (first, (last, seq, recorded, running)) in ranges {
        if running.finish() != recorded {
            problems.push(Problem {
                seq: Some(seq),
                what: format!(
                    "the items #{first}–#{last} that event #{seq} recorded no longer match it: an item was edited, added or removed"
                ),
            });
        }
    }
    Ok(problems)
}
