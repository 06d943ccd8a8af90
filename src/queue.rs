//! Reading the work: the queue, full-text search and one item's whole record.

use serde::Serialize;

use crate::error::Result;
use crate::model::Item;
use crate::model::text::search_words;
use crate::model::{DecisionRow, EvidenceMeta, QueueFilter, QueueRow, TagRow};
use crate::workspace::Workspace;

/// Lists the queue. `search` is what a person typed; it is folded the same way as the
/// index, so a search for one spelling finds the others.
pub fn list(
    ws: &mut Workspace,
    mut filter: QueueFilter,
    search: Option<&str>,
) -> Result<Vec<QueueRow>> {
    filter.search = search.map(search_words).unwrap_or_default();
    let now = ws.now();
    ws.store().read(|tx| tx.queue(&filter, now))
}

/// One window of the queue: the rows from `filter.offset` on (at most `filter.limit`), and
/// how many items match in all.
pub fn window(
    ws: &mut Workspace,
    mut filter: QueueFilter,
    search: Option<&str>,
) -> Result<(Vec<QueueRow>, i64)> {
    filter.search = search.map(search_words).unwrap_or_default();
    let now = ws.now();
    ws.store()
        .read(|tx| Ok((tx.queue(&filter, now)?, tx.queue_count(&filter, now)?)))
}

/// An item with everything recorded about it.
#[derive(Clone, Debug, Serialize)]
pub struct ItemRecord {
    /// The item.
    #[serde(flatten)]
    pub item: Item,
    /// Its group and ground tags.
    pub tags: Vec<TagRow>,
    /// Its evidence.
    pub evidence: Vec<EvidenceMeta>,
    /// Its decisions, oldest first.
    pub decisions: Vec<DecisionRow>,
    /// The text read from its screenshots, for those read so far.
    pub image_text: Vec<crate::model::ocr::ImageText>,
}

impl ItemRecord {
    /// The proposal waiting for a lead, while the item is proposed.
    pub fn pending(&self) -> Option<&crate::model::ProposalRow> {
        if self.item.status != crate::model::Status::Proposed {
            return None;
        }
        self.decisions
            .iter()
            .rev()
            .map(|d| &d.proposal)
            .find(|p| p.state == crate::model::ProposalState::Pending)
    }
}

/// One item's whole record.
pub fn record(ws: &mut Workspace, id: i64) -> Result<ItemRecord> {
    let now = ws.now();
    ws.store().read(|tx| {
        Ok(ItemRecord {
            item: tx.item(id, now)?,
            tags: tx.item_tags(id)?,
            evidence: tx.item_evidence(id)?,
            decisions: tx.decisions(Some(id))?,
            image_text: tx.item_image_text(id)?,
        })
    })
}
