//! Draws synthetic "screenshots": fake post cards with an invented handle, name and text,
//! a generated picture and a watermark saying they are synthetic. Never real media.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use image::{ImageFormat, Rgb, RgbImage};
use std::io::Cursor;

use crate::model::Platform;

const SANS: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
const SANS_BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");

/// What a card shows.
pub struct CardSpec<'a> {
    /// Platform, for the header colour and name.
    pub platform: Platform,
    /// Handle.
    pub handle: &'a str,
    /// Display name (Latin script; Arabic-script names are drawn as their transliteration).
    pub name: &'a str,
    /// Body lines in Latin script.
    pub lines: &'a [&'a str],
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

    fn circle(&mut self, cx: i32, cy: i32, r: i32, c: Rgb<u8>) {
        for y in (cy - r).max(0)..(cy + r) {
            for x in (cx - r).max(0)..(cx + r) {
                if (x - cx).pow(2) + (y - cy).pow(2) <= r * r
                    && (x as u32) < self.img.width()
                    && (y as u32) < self.img.height()
                {
                    self.img.put_pixel(x as u32, y as u32, c);
                }
            }
        }
    }

    fn text(&mut self, font: &FontRef, x: f32, y: f32, size: f32, c: Rgb<u8>, s: &str) {
        let scaled = font.as_scaled(PxScale::from(size));
        let mut caret = x;
        let mut prev = None;
        for ch in s.chars() {
            let id = font.glyph_id(ch);
            if let Some(p) = prev {
                caret += scaled.kern(p, id);
            }
            let glyph = id.with_scale_and_position(size, point(caret, y + scaled.ascent()));
            caret += scaled.h_advance(id);
            prev = Some(id);
            if let Some(outline) = font.outline_glyph(glyph) {
                let b = outline.px_bounds();
                outline.draw(|gx, gy, cov| {
                    let (px, py) = (b.min.x as i32 + gx as i32, b.min.y as i32 + gy as i32);
                    if px >= 0
                        && py >= 0
                        && (px as u32) < self.img.width()
                        && (py as u32) < self.img.height()
                    {
                        let bg = *self.img.get_pixel(px as u32, py as u32);
                        let mix = |a: u8, b: u8| (a as f32 * (1.0 - cov) + b as f32 * cov) as u8;
                        self.img.put_pixel(
                            px as u32,
                            py as u32,
                            Rgb([mix(bg[0], c[0]), mix(bg[1], c[1]), mix(bg[2], c[2])]),
                        );
                    }
                });
            }
        }
    }
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
    let (w, h) = (720u32, 560u32);
    let mut c = Canvas {
        img: RgbImage::from_pixel(w, h, Rgb([246, 247, 249])),
    };
    let sans = FontRef::try_from_slice(SANS).expect("bundled font");
    let bold = FontRef::try_from_slice(SANS_BOLD).expect("bundled font");
    let mut seed = spec.seed | 1;
    let accent = platform_colour(spec.platform);
    c.rect(0, 0, w, 44, accent);
    c.text(
        &bold,
        16.0,
        8.0,
        22.0,
        Rgb([255, 255, 255]),
        &spec.platform.as_str().to_uppercase(),
    );
    c.rect(16, 60, w - 32, h - 100, Rgb([255, 255, 255]));
    let avatar = Rgb([
        (next(&mut seed) % 200) as u8 + 30,
        (next(&mut seed) % 200) as u8 + 30,
        (next(&mut seed) % 200) as u8 + 30,
    ]);
    c.circle(60, 104, 28, avatar);
    let initial: String = spec
        .handle
        .chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .into_iter()
        .collect();
    c.text(&bold, 51.0, 88.0, 26.0, Rgb([255, 255, 255]), &initial);
    c.text(&bold, 100.0, 80.0, 22.0, Rgb([20, 20, 25]), spec.name);
    c.text(
        &sans,
        100.0,
        106.0,
        18.0,
        Rgb([100, 104, 112]),
        &format!("@{}", spec.handle),
    );
    let mut y = 150.0;
    for line in spec.lines.iter().take(4) {
        c.text(&sans, 36.0, y, 19.0, Rgb([30, 30, 35]), line);
        y += 28.0;
    }
    // A generated "photo": bands and discs in random colours.
    let (px, py, pw, ph) = (36u32, y as u32 + 10, w - 72, h - 60 - (y as u32 + 10));
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
        c.circle(cx, cy, r.min((py + ph) as i32 - cy).max(1), col);
    }
    c.text(
        &bold,
        36.0,
        (h - 34) as f32,
        16.0,
        Rgb([180, 40, 40]),
        "SYNTHETIC DEMO IMAGE - NOT REAL CONTENT",
    );
    let mut out = Vec::new();
    c.img
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .expect("PNG encodes");
    out
}
