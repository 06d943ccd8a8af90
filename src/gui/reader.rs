//! The screenshot reader: a thread of its own, started at sign-in, that reads the text of
//! stored screenshots not read yet (Tesseract, one image at a time, at low priority so the
//! desk keeps a core) and tells the desk what it read. It never holds up the store worker:
//! it has its own connection and writes each reading in a transaction of its own.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::time::Duration;

use super::backend::Reply;
use super::opener::Opener;
use crate::Session;
use crate::ocr::{self, Tesseract};

/// What the reader tells the desk.
#[derive(Clone, Debug, PartialEq)]
pub enum News {
    /// Screenshot text cannot be read on this machine: the notice to show, once.
    Unavailable(String),
    /// These images were read; `unread` are still waiting.
    Read { shas: Vec<String>, unread: usize },
}

/// How often the reader looks for newly stored screenshots when it has read them all.
const IDLE: Duration = Duration::from_secs(5);

/// Starts the reader for `session`; it stops when `stop` is set or the desk is gone.
pub fn spawn(
    opener: Opener,
    session: Session,
    out: Sender<Reply>,
    wake: Arc<dyn Fn() + Send + Sync>,
    stop: Arc<AtomicBool>,
) {
    let _ = std::thread::Builder::new()
        .name("screenshot reader".into())
        .spawn(move || {
            let tell = |news: News| {
                let sent = out.send(Reply::ScreenshotText(news)).is_ok();
                wake();
                sent
            };
            let engine = match Tesseract::find() {
                Ok(engine) => engine,
                Err(why) => {
                    tell(News::Unavailable(ocr::unavailable(&why)));
                    return;
                }
            };
            let Ok(mut ws) = opener.open() else {
                return;
            };
            while !stop.load(Ordering::SeqCst) {
                let next = ws.store().read(|tx| tx.unread_evidence(false, 1));
                let Ok(shas) = next else {
                    return;
                };
                if shas.is_empty() {
                    idle(&stop);
                    continue;
                }
                if ocr::read_stored(&mut ws, &session, &engine, &shas, &mut |_, _| {}).is_err() {
                    // Signed out, or the store went away: the desk says so; try later.
                    idle(&stop);
                    continue;
                }
                let unread = ws.store().read(|tx| tx.unread_count()).unwrap_or(0) as usize;
                if !tell(News::Read { shas, unread }) {
                    return;
                }
            }
        });
}

fn idle(stop: &AtomicBool) {
    let step = Duration::from_millis(200);
    let mut waited = Duration::ZERO;
    while waited < IDLE && !stop.load(Ordering::SeqCst) {
        std::thread::sleep(step);
        waited += step;
    }
}
