//! The worker's mirror searches: the open item's candidates and the queue's "possible
//! mirror" marks, both scored against one pool of taken-down accounts that is rebuilt only
//! when a takedown is approved or an appeal decided.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::backend::{MarkAsk, MirrorView, Reply, RowMarks};
use super::worker::Worker;
use crate::model::QueueRow;
use crate::queue;

/// How long one slice of background queue scoring may hold the worker.
const SLICE: Duration = Duration::from_millis(15);

/// Queue rows scored in one read of the store.
const CHUNK: usize = 4;

impl Worker {
    /// Finds `item`'s mirror candidates once no newer request waits.
    pub(super) fn defer_mirrors(&mut self, item: i64) {
        if self.deferred_mirrors.replace(item).is_none() {
            // Counts as outstanding work until the candidates are sent or superseded.
            self.pending.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// Whether the pool of taken-down accounts is built and still current.
    fn pool_current(&mut self) -> Result<bool, String> {
        match &self.pool {
            Some(p) => crate::mirrors::pool_is_current(&mut self.ws, p).map_err(|e| e.sentence()),
            None => Ok(false),
        }
    }

    /// The pool of taken-down accounts, rebuilt if a takedown was approved or an appeal
    /// decided since it was built (which also forgets every scored queue mark).
    fn ensure_pool(&mut self) -> Result<(), String> {
        if !self.pool_current()? {
            self.marks.clear();
            self.pool = Some(crate::mirrors::pool(&mut self.ws).map_err(|e| e.sentence())?);
        }
        Ok(())
    }

    /// Puts the possible mirrors already scored into freshly loaded queue rows; the others
    /// keep the store's quick mark (the same look-alike key as a standing takedown), which
    /// the full score never drops, since an equal key alone outweighs every field that can
    /// disagree. Scoring still owed to an older load is dropped: its rows are asked again
    /// when drawn.
    pub(super) fn mark_queue(&mut self, rows: &mut [QueueRow]) {
        if self.deferred_marks.take().is_some() {
            self.pending.fetch_sub(1, Ordering::SeqCst);
        }
        if !self.pool_current().unwrap_or(false) {
            return;
        }
        for r in rows.iter_mut() {
            if let Some((evidence, of)) = self.marks.get(&r.item.id)
                && *evidence == r.evidence_count
            {
                r.mirror_of.clone_from(of);
            }
        }
    }

    /// Answers the queue's request for the full mirror score of rows on screen: rows
    /// scored before are answered at once, the others are scored in the background, the
    /// latest asked first.
    pub(super) fn score_marks(&mut self, generation: u64, rows: Vec<MarkAsk>) -> Option<Reply> {
        let current = self.pool_current().unwrap_or(false);
        let mut known = Vec::new();
        let mut unscored = Vec::new();
        for ask in rows {
            match self.marks.get(&ask.item) {
                Some((e, of)) if current && *e == ask.evidence_count => known.push(RowMarks {
                    row: ask.row,
                    item: ask.item,
                    mirror_of: of.clone(),
                }),
                _ => unscored.push(ask),
            }
        }
        if !unscored.is_empty() {
            match &mut self.deferred_marks {
                Some((g, owed)) if *g == generation => owed.extend(unscored),
                Some(owed) => *owed = (generation, unscored),
                None => {
                    self.deferred_marks = Some((generation, unscored));
                    // Outstanding work until scored or superseded.
                    self.pending.fetch_add(1, Ordering::SeqCst);
                }
            }
        }
        (!known.is_empty()).then_some(Reply::QueueMarks {
            generation,
            marks: known,
        })
    }

    /// Scores deferred queue rows for about [`SLICE`] and sends their marks, so a reviewer's
    /// next key press waits for one slice at most, however large the pool.
    pub(super) fn score_queue_batch(&mut self) {
        let started = Instant::now();
        let mut marks = Vec::new();
        let mut failed = None;
        while let Some((_, rows)) = self.deferred_marks.as_mut()
            && !rows.is_empty()
            && started.elapsed() < SLICE
        {
            let chunk = rows.split_off(rows.len().saturating_sub(CHUNK));
            let ids: Vec<i64> = chunk.iter().map(|a| a.item).collect();
            let scored = match (self.ensure_pool(), &self.pool) {
                (Ok(()), Some(pool)) => {
                    crate::mirrors::possible_mirrors_in(&mut self.ws, &ids, pool)
                        .map_err(|e| e.sentence())
                }
                (Err(e), _) => Err(e),
                (Ok(()), None) => Ok(Vec::new()),
            };
            match scored {
                Ok(found) => {
                    for (ask, (_, of)) in chunk.iter().zip(found) {
                        self.marks
                            .insert(ask.item, (ask.evidence_count, of.clone()));
                        marks.push(RowMarks {
                            row: ask.row,
                            item: ask.item,
                            mirror_of: of,
                        });
                    }
                }
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        let Some((generation, rows)) = &self.deferred_marks else {
            return;
        };
        let (generation, done) = (*generation, rows.is_empty() || failed.is_some());
        if !marks.is_empty() {
            self.send(Some(Reply::QueueMarks { generation, marks }));
        }
        if let Some(e) = failed {
            // Said once; this load keeps its quick marks.
            self.send(Some(Reply::Failed(format!(
                "scoring possible mirrors: {e}"
            ))));
        }
        if done {
            self.deferred_marks = None;
            self.pending.fetch_sub(1, Ordering::SeqCst);
        }
        (self.wake)();
    }

    /// The open item's three best mirror candidates, with the taken-down items' records
    /// and any verdict already recorded.
    pub(super) fn mirrors(&mut self, item: i64) -> Result<Vec<MirrorView>, String> {
        self.ensure_pool()?;
        let Some(pool) = self.pool.as_ref() else {
            return Ok(Vec::new());
        };
        let found =
            crate::mirrors::candidates_in(&mut self.ws, item, pool).map_err(|e| e.sentence())?;
        let verdicts = crate::mirrors::verdicts(&mut self.ws, item).map_err(|e| e.sentence())?;
        found
            .into_iter()
            .take(3)
            .map(|candidate| {
                let original =
                    queue::record(&mut self.ws, candidate.item).map_err(|e| e.sentence())?;
                let verdict = verdicts
                    .iter()
                    .rev()
                    .find(|v| v.of_item == candidate.item)
                    .map(|v| v.confirmed);
                Ok(MirrorView {
                    candidate,
                    original,
                    verdict,
                })
            })
            .collect()
    }
}
