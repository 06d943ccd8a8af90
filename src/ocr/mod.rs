//! Reading the text inside screenshots (OCR), after the evidence is stored and never inside
//! an import's or an attachment's transaction: each image is read by Tesseract in a process
//! of its own under time and memory limits, and its reading (words, boxes, confidences,
//! engine version and models) is stored once per SHA-256 in a short transaction of its own.
//! Without Tesseract the program works as before and says so once ([`unavailable`]).

pub mod prepare;
pub mod tesseract;

use std::time::Instant;

use crate::error::Result;
use crate::evidence;
use crate::model::ocr::{Outcome, Reading, Word};
use crate::workspace::{Session, Workspace};
pub use prepare::{CHOSEN, Preparation};
pub use tesseract::Tesseract;

/// The plain notice shown once when screenshot text cannot be read, and how to fix it.
pub fn unavailable(why: &str) -> String {
    format!(
        "Screenshot text is not being read: {why}. Install Tesseract (on Debian or Ubuntu: \
         sudo apt install {}), then run `parakh ocr --pending` to read what was attached meanwhile.",
        tesseract::PACKAGES
    )
}

/// Reads one image's bytes with `engine` in `models`, prepared by `prep`. Never fails: a
/// file the engine cannot read gives a failed reading that says why.
pub fn read_image(
    engine: &Tesseract,
    models: &str,
    prep: Preparation,
    name: &str,
    data: &[u8],
) -> Reading {
    let started = Instant::now();
    let mut reading = Reading {
        engine: engine.version.clone(),
        models: models.to_string(),
        prepared: prep.describe(prep.scale),
        outcome: Outcome::Read,
        problem: None,
        words: Vec::new(),
        seconds: 0.0,
    };
    let result = evidence::decode(name, data)
        .map_err(|e| e.to_string())
        .and_then(|img| {
            let (png, scale) = prep.apply(&img);
            reading.prepared = prep.describe(scale);
            engine
                .read(png, models)
                .map(|words| unscale(words, scale))
                .map_err(|f| format!("Tesseract {f}"))
        });
    match result {
        Ok(words) => reading.words = words,
        Err(problem) => {
            reading.outcome = Outcome::Failed;
            reading.problem = Some(problem);
        }
    }
    reading.seconds = started.elapsed().as_secs_f64();
    reading
}

fn unscale(mut words: Vec<Word>, scale: u32) -> Vec<Word> {
    for w in &mut words {
        w.x /= scale;
        w.y /= scale;
        w.w = w.w.div_ceil(scale);
        w.h = w.h.div_ceil(scale);
    }
    words
}

/// What one pass of reading did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Images read and stored.
    pub read: usize,
    /// Of those, how many the engine failed on (stored as failed, with the reason).
    pub failed: usize,
    /// Words found in all.
    pub words: usize,
    /// Images another desk read first.
    pub skipped: usize,
}

/// Reads the images `shas` (stored evidence) on every core and stores each reading under
/// the person signed in. `progress` hears (done, of).
pub fn read_stored(
    ws: &mut Workspace,
    s: &Session,
    engine: &Tesseract,
    shas: &[String],
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Summary> {
    let mut summary = Summary::default();
    let batch = std::thread::available_parallelism().map_or(2, |n| n.get());
    for chunk in shas.chunks(batch) {
        let mut images = Vec::with_capacity(chunk.len());
        for sha in chunk {
            images.push((sha.clone(), evidence::read(ws, sha)?.0));
        }
        let readings = crate::parallel::map(&images, |(sha, data)| {
            read_image(engine, &engine.models, CHOSEN, sha, data)
        });
        for ((sha, _), r) in images.iter().zip(readings) {
            let now = ws.now();
            let stored = ws
                .store_as(s)
                .write(|tx| tx.store_reading(sha, &r, &s.name, now))?;
            if stored {
                summary.read += 1;
                summary.words += r.words.len();
                summary.failed += usize::from(r.outcome == Outcome::Failed);
            } else {
                summary.skipped += 1;
            }
            progress(summary.read + summary.skipped, shas.len());
        }
    }
    Ok(summary)
}

/// Reads every stored image still unread (with `retry`, also those whose reading failed),
/// a batch at a time so memory stays bounded however many there are.
pub fn read_pending(
    ws: &mut Workspace,
    s: &Session,
    engine: &Tesseract,
    retry: bool,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Summary> {
    let total = ws.store().read(|tx| tx.unread_count())? as usize;
    let mut summary = Summary::default();
    let mut retried: std::collections::HashSet<String> = std::collections::HashSet::new();
    loop {
        let limit = 64 + retried.len() as i64;
        let mut shas = ws.store().read(|tx| tx.unread_evidence(retry, limit))?;
        // A failed image read again and failed again is not tried a third time.
        shas.retain(|s| !retried.contains(s));
        if shas.is_empty() {
            return Ok(summary);
        }
        retried.extend(shas.iter().cloned());
        let done = summary.read + summary.skipped;
        let of = total.max(done + shas.len());
        let part = read_stored(ws, s, engine, &shas, &mut |d, _| progress(done + d, of))?;
        summary.read += part.read;
        summary.failed += part.failed;
        summary.words += part.words;
        summary.skipped += part.skipped;
    }
}

/// The words read from one stored image (none when it is unread).
pub fn words(ws: &mut Workspace, sha256: &str) -> Result<Vec<Word>> {
    ws.store().read(|tx| tx.image_words(sha256))
}
