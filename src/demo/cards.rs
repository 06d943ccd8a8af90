//! Draws synthetic "screenshots": fake post cards with an invented handle, name and text,
//! a generated picture and a watermark saying they are synthetic. Never real media.

use image::{ImageFormat, Rgb, RgbImage};
use std::io::Cursor;

use crate::model::Platform;
use crate::typeset::{self, Typesetter, UrduFace};

/// What a card shows.
pub struct CardSpec<'a> {
    /// Platform, for the header colour and name.
    pub platform: Platform,
    /// Handle.
    pub handle: &'a str,
    /// Display name, in any script.
    pub name: &'a str,
    /// Body paragraphs, in any script, each wrapped to the card and set in its own
    /// direction.
    pub lines: &'a [&'a str],
    /// The face of Arabic-script text.
    pub face: UrduFace,
    /// Whether a generated picture fills the space below the text.
    pub picture: bool,
    /// Seed for colours and the generated picture.
    pub seed: u64,
}

fn platform_colour(p: Platform) -> Rgb<u8> {
    match p {
        Platform::Facebook => Rgb([24, 119, 242]),
        Platform::Instagram => Rgb([193, 53, 132]),
        Platform::Whatsapp => Rgb([37, 160, 90]),
        Platform::X => Rgb([20, 20, 20]),
        Platform::Telegram => Rgb([34, 158, 217]),
        Platform::Tiktok => Rgb([230, 30, 80]),
        Platform::Youtube => Rgb([205, 32, 31]),
        Platform::Other => Rgb([100, 100, 110]),
    }
}

struct Canvas {
    img: RgbImage,
}

impl Canvas {
    fn rect(&mut self, x: u32, y: u32, w: u32, h: u32, c: Rgb<u8>) {
        for yy in y..(y + h).min(self.img.height()) {
            for xx in x..(x + w).min(self.img.width()) {
                self.img.put_pixel(xx, yy, c);
            }
        }
    }

    /// A disc centred at (`cx`, `cy`), drawn only inside `clip` (x0, y0, x1, y1).
    fn circle(&mut self, (cx, cy, r): (i32, i32, i32), c: Rgb<u8>, clip: (i32, i32, i32, i32)) {
        let (x0, y0, x1, y1) = clip;
        let (x1, y1) = (
            x1.min(self.img.width() as i32),
            y1.min(self.img.height() as i32),
        );
        for y in (cy - r).max(y0).max(0)..(cy + r).min(y1) {
            for x in (cx - r).max(x0).max(0)..(cx + r).min(x1) {
                if (x - cx).pow(2) + (y - cy).pow(2) <= r * r {
                    self.img.put_pixel(x as u32, y as u32, c);
                }
            }
        }
    }

    /// Draws `text` at (`x`, `y`) in lines of at most `width`, set from the right when it
    /// reads right to left; returns the height taken.
    fn text(&mut self, t: &mut Typesetter, at: (u32, u32, f32), text: &str, style: Style) -> u32 {
        let (x, y, width) = at;
        let layout = t.paragraph(text, style.face, style.size, width, style.bold);
        typeset::draw(&mut self.img, &layout, x, y, style.colour);
        layout.height().ceil() as u32
    }
}

#[derive(Clone, Copy)]
struct Style {
    face: UrduFace,
    size: f32,
    bold: bool,
    colour: Rgb<u8>,
}

/// A small deterministic generator for colours and shapes.
fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

/// Draws a card and returns it as PNG bytes.
pub fn card_png(spec: &CardSpec) -> Vec<u8> {
    let mut out = Vec::new();
    card(spec)
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .expect("PNG encodes");
    out
}

/// Draws a card.
pub fn card(spec: &CardSpec) -> RgbImage {
    thread_local! {
        // The fonts are read once a thread, not once a card.
        static TYPESETTER: std::cell::RefCell<Typesetter> = std::cell::RefCell::new(Typesetter::new());
    }
    TYPESETTER.with_borrow_mut(|t| draw_card(spec, t))
}

fn draw_card(spec: &CardSpec, t: &mut Typesetter) -> RgbImage {
    let (w, h) = (720u32, 560u32);
    let mut c = Canvas {
        img: RgbImage::from_pixel(w, h, Rgb([246, 247, 249])),
    };
    let style = |size: f32, bold: bool, colour: Rgb<u8>| Style {
        face: spec.face,
        size,
        bold,
        colour,
    };
    let white = Rgb([255, 255, 255]);
    let mut seed = spec.seed | 1;
    let accent = platform_colour(spec.platform);
    c.rect(0, 0, w, 44, accent);
    let platform = spec.platform.as_str().to_uppercase();
    c.text(t, (16, 6, 400.0), &platform, style(22.0, true, white));
    c.rect(16, 60, w - 32, h - 100, white);
    let avatar = Rgb([
        (next(&mut seed) % 200) as u8 + 30,
        (next(&mut seed) % 200) as u8 + 30,
        (next(&mut seed) % 200) as u8 + 30,
    ]);
    c.circle((60, 104, 28), avatar, (0, 0, w as i32, h as i32));
    let initial: String = spec
        .handle
        .chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .into_iter()
        .collect();
    c.text(t, (51, 86, 40.0), &initial, style(26.0, true, white));
    let name_face = Style {
        face: UrduFace::Naskh,
        ..style(22.0, true, Rgb([20, 20, 25]))
    };
    c.text(t, (100, 70, 580.0), spec.name, name_face);
    let handle = format!("@{}", spec.handle);
    c.text(
        t,
        (100, 104, 580.0),
        &handle,
        style(18.0, false, Rgb([100, 104, 112])),
    );
    let mut y = 146u32;
    let bottom = h - 60;
    for line in spec.lines {
        if y + 30 > bottom {
            break;
        }
        y += c.text(
            t,
            (36, y, (w - 72) as f32),
            line,
            style(19.0, false, Rgb([30, 30, 35])),
        );
        y += 4;
    }
    if spec.picture && y + 60 < bottom {
        // A generated "photo": bands and discs in random colours.
        let (px, py, pw, ph) = (36u32, y + 10, w - 72, bottom - (y + 10));
        let base = Rgb([
            (next(&mut seed) % 120) as u8 + 60,
            (next(&mut seed) % 120) as u8 + 60,
            (next(&mut seed) % 120) as u8 + 60,
        ]);
        c.rect(px, py, pw, ph, base);
        for _ in 0..6 {
            let col = Rgb([
                (next(&mut seed) % 256) as u8,
                (next(&mut seed) % 256) as u8,
                (next(&mut seed) % 256) as u8,
            ]);
            let cx = px as i32 + (next(&mut seed) % pw as u64) as i32;
            let cy = py as i32 + (next(&mut seed) % ph.max(1) as u64) as i32;
            let r = 20 + (next(&mut seed) % 60) as i32;
            let picture = (px as i32, py as i32, (px + pw) as i32, (py + ph) as i32);
            c.circle((cx, cy, r), col, picture);
        }
    }
    let mark = "SYNTHETIC DEMO IMAGE - NOT REAL CONTENT";
    c.text(
        t,
        (36, h - 36, 648.0),
        mark,
        style(16.0, true, Rgb([180, 40, 40])),
    );
    c.img
}
