//! Evidence images for the viewer: decoded on a small pool of worker threads (each with
//! its own read connection), uploaded as textures, and kept in a cache with a byte budget
//! that evicts the least recently drawn. Urgent requests (the open item) jump ahead of
//! prefetches (the next items).

use egui::{ColorImage, TextureHandle, TextureOptions};
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex};

use crate::Workspace;

/// Longest side of a full-view texture; larger evidence is downscaled for display only.
pub const MAX_TEXTURE_SIDE: u32 = 4096;
/// Longest side of the veiled (blurred, greyscale) version: tiny, then smoothed when drawn.
pub const VEIL_SIDE: u32 = 24;
/// Texture memory the cache keeps, in bytes.
pub const DEFAULT_BUDGET: usize = 384 * 1024 * 1024;

/// Which picture of a piece of evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// The whole image (downscaled to [`MAX_TEXTURE_SIDE`] at most).
    Full,
    /// The stored thumbnail.
    Thumb,
    /// The veiled version: greyscale and blurred.
    Veil,
}

/// A texture key: evidence hash and kind.
pub type Key = (String, Kind);

enum Decoded {
    Ok(Key, ColorImage),
    Failed(Key, String),
}

struct Jobs {
    queue: Mutex<VecDeque<(String, bool)>>,
    ready: Condvar,
}

/// The decode pool and the texture cache.
pub struct Images {
    jobs: Arc<Jobs>,
    results: Receiver<Decoded>,
    requested: HashSet<String>,
    textures: HashMap<Key, Entry>,
    failures: HashMap<String, String>,
    bytes: usize,
    budget: usize,
    frame: u64,
}

struct Entry {
    texture: TextureHandle,
    size: [usize; 2],
    bytes: usize,
    used: u64,
}

impl Images {
    /// Starts `threads` decoders on the store `opener` opens. `wake` is called when an
    /// image is ready.
    pub fn start(
        opener: &super::opener::Opener,
        threads: usize,
        wake: impl Fn() + Send + Sync + 'static,
    ) -> Images {
        let jobs = Arc::new(Jobs {
            queue: Mutex::new(VecDeque::new()),
            ready: Condvar::new(),
        });
        let (tx, results) = channel();
        let wake = Arc::new(wake);
        for n in 0..threads.max(1) {
            let jobs = jobs.clone();
            let tx: Sender<Decoded> = tx.clone();
            let opener = opener.clone();
            let wake = wake.clone();
            let _ = std::thread::Builder::new()
                .name(format!("parakh-images-{n}"))
                .spawn(move || {
                    let mut ws = opener.open().ok();
                    loop {
                        let sha = {
                            let mut q = jobs.queue.lock().expect("image queue");
                            loop {
                                if let Some((sha, _)) = q.pop_front() {
                                    break sha;
                                }
                                q = jobs.ready.wait(q).expect("image queue");
                            }
                        };
                        if sha.is_empty() {
                            return; // shutdown marker
                        }
                        // A team server's connection that was lost is made again.
                        if ws
                            .as_mut()
                            .is_none_or(|w| w.is_server() && w.head_seq().is_err())
                        {
                            ws = opener.open().ok().or(ws);
                        }
                        let Some(ws) = ws.as_mut() else { return };
                        for d in decode(ws, &sha) {
                            if tx.send(d).is_err() {
                                return;
                            }
                        }
                        wake();
                    }
                });
        }
        Images {
            jobs,
            results,
            requested: HashSet::new(),
            textures: HashMap::new(),
            failures: HashMap::new(),
            bytes: 0,
            budget: DEFAULT_BUDGET,
            frame: 0,
        }
    }

    /// Asks for all pictures of `sha`; `urgent` ones are decoded before prefetches.
    pub fn request(&mut self, sha: &str, urgent: bool) {
        let have = self.textures.contains_key(&(sha.to_string(), Kind::Full));
        if have || self.failures.contains_key(sha) {
            return;
        }
        let mut q = self.jobs.queue.lock().expect("image queue");
        if self.requested.insert(sha.to_string()) {
            if urgent {
                q.push_front((sha.to_string(), true))
            } else {
                q.push_back((sha.to_string(), false))
            }
        } else if urgent && let Some(pos) = q.iter().position(|(s, _)| s == sha) {
            let job = q.remove(pos).expect("position found");
            q.push_front(job);
        }
        drop(q);
        self.jobs.ready.notify_one();
    }

    /// Uploads finished decodes and evicts over budget. Call once per frame.
    pub fn update(&mut self, ctx: &egui::Context) {
        self.frame += 1;
        for d in self.results.try_iter() {
            match d {
                Decoded::Ok(key, image) => {
                    let size = image.size;
                    let bytes = size[0] * size[1] * 4;
                    let texture = ctx.load_texture(
                        format!("{}-{:?}", key.0, key.1),
                        image,
                        TextureOptions::LINEAR,
                    );
                    self.bytes += bytes;
                    if let Some(old) = self.textures.insert(
                        key,
                        Entry {
                            texture,
                            size,
                            bytes,
                            used: self.frame,
                        },
                    ) {
                        self.bytes -= old.bytes;
                    }
                }
                Decoded::Failed(key, message) => {
                    self.requested.remove(&key.0);
                    self.failures.insert(key.0, message);
                }
            }
        }
        if self.bytes > self.budget {
            let mut by_age: Vec<(u64, Key)> = self
                .textures
                .iter()
                .filter(|(_, e)| e.used + 1 < self.frame)
                .map(|(k, e)| (e.used, k.clone()))
                .collect();
            by_age.sort();
            for (_, key) in by_age {
                if self.bytes <= self.budget * 3 / 4 {
                    break;
                }
                if let Some(e) = self.textures.remove(&key) {
                    self.bytes -= e.bytes;
                    if key.1 == Kind::Full {
                        self.requested.remove(&key.0);
                    }
                }
            }
        }
    }

    /// The texture of one picture, if decoded; marks it as drawn this frame.
    pub fn get(&mut self, sha: &str, kind: Kind) -> Option<(egui::TextureId, egui::Vec2)> {
        let e = self.textures.get_mut(&(sha.to_string(), kind))?;
        e.used = self.frame;
        Some((
            e.texture.id(),
            egui::vec2(e.size[0] as f32, e.size[1] as f32),
        ))
    }

    /// Why an image could not be shown (corrupt evidence, for instance).
    pub fn failure(&self, sha: &str) -> Option<&str> {
        self.failures.get(sha).map(String::as_str)
    }

    /// Whether nothing is waiting to be decoded or uploaded.
    pub fn idle(&self) -> bool {
        self.jobs.queue.lock().map(|q| q.is_empty()).unwrap_or(true)
            && self.requested.iter().all(|s| {
                self.textures.contains_key(&(s.clone(), Kind::Full))
                    || self.failures.contains_key(s)
            })
    }

    /// Texture bytes held.
    pub fn bytes(&self) -> usize {
        self.bytes
    }
}

impl Drop for Images {
    fn drop(&mut self) {
        if let Ok(mut q) = self.jobs.queue.lock() {
            q.clear();
            for _ in 0..8 {
                q.push_back((String::new(), true));
            }
        }
        self.jobs.ready.notify_all();
    }
}

fn to_color_image(img: &image::RgbaImage) -> ColorImage {
    ColorImage::from_rgba_unmultiplied([img.width() as usize, img.height() as usize], img.as_raw())
}

/// Reads (hash-checked), decodes under the evidence limits and prepares all three pictures.
fn decode(ws: &mut Workspace, sha: &str) -> Vec<Decoded> {
    let key = |k| (sha.to_string(), k);
    let full = crate::evidence::read(ws, sha)
        .and_then(|(bytes, _)| crate::evidence::decode(&sha[..12], &bytes))
        .map_err(|e| e.to_string());
    let thumb = crate::evidence::thumbnail(ws, sha).and_then(|png| {
        image::load_from_memory(&png).map_err(|e| crate::Error::invalid(e.to_string()))
    });
    match full {
        Ok(img) => {
            let shown = if img.width().max(img.height()) > MAX_TEXTURE_SIDE {
                img.resize(
                    MAX_TEXTURE_SIDE,
                    MAX_TEXTURE_SIDE,
                    image::imageops::FilterType::Triangle,
                )
            } else {
                img
            };
            let thumb = thumb.unwrap_or_else(|_| shown.thumbnail(256, 256));
            let veil = thumb.thumbnail(VEIL_SIDE, VEIL_SIDE).grayscale();
            vec![
                Decoded::Ok(key(Kind::Veil), to_color_image(&veil.to_rgba8())),
                Decoded::Ok(key(Kind::Thumb), to_color_image(&thumb.to_rgba8())),
                Decoded::Ok(key(Kind::Full), to_color_image(&shown.to_rgba8())),
            ]
        }
        Err(e) => vec![Decoded::Failed(key(Kind::Full), e)],
    }
}
