//! Text laid out and drawn without egui, with the bundled fonts only: `parley` shapes and
//! lays out (the Unicode Bidirectional Algorithm, line breaking) and `vello_cpu` draws the
//! glyphs. The text box draws its glyphs through this, and the synthetic screenshot cards
//! draw Urdu here, joined and right to left as a phone would show it.

use image::{Rgb, RgbImage};
use parley::{
    Alignment, AlignmentOptions, FontContext, FontFamily, Layout, LayoutContext, LineHeight,
    PositionedLayoutItem, StyleProperty,
    fontique::{Blob, Collection, CollectionOptions, SourceCache},
};
use std::sync::Arc;

use crate::model::bidi;
use vello_cpu::{Glyph, Pixmap, RenderContext, Resources, color, kurbo::Affine};

/// Noto Sans: Latin script, the interface's face.
pub const SANS: &[u8] = include_bytes!("../assets/fonts/NotoSans-Regular.ttf");
/// Noto Sans Bold.
pub const SANS_BOLD: &[u8] = include_bytes!("../assets/fonts/NotoSans-Bold.ttf");
/// Noto Naskh Arabic: compact, the face of Arabic print.
pub const NASKH: &[u8] = include_bytes!("../assets/fonts/NotoNaskhArabic-Regular.ttf");
/// Noto Nastaliq Urdu: the face of Urdu books and newspapers.
pub const NASTALIQ: &[u8] = include_bytes!("../assets/fonts/NotoNastaliqUrdu-Regular.ttf");

/// Text is drawn in one colour, chosen when it is drawn, so the brush carries nothing.
pub type Brush = ();

/// Which face Arabic-script text is set in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum UrduFace {
    /// Noto Naskh Arabic.
    Naskh,
    /// Noto Nastaliq Urdu.
    #[default]
    Nastaliq,
}

impl UrduFace {
    /// The family list: Latin in Noto Sans, Arabic script in this face first.
    pub fn families(self) -> &'static str {
        match self {
            UrduFace::Nastaliq => "'Noto Sans', 'Noto Nastaliq Urdu', 'Noto Naskh Arabic'",
            UrduFace::Naskh => "'Noto Sans', 'Noto Naskh Arabic', 'Noto Nastaliq Urdu'",
        }
    }

    /// The height of one line at `size`: Nastaliq's tall letters need more.
    pub fn line_height(self, size: f32) -> f32 {
        match self {
            UrduFace::Nastaliq => size * 2.3,
            UrduFace::Naskh => size * 1.7,
        }
    }
}

/// A font collection of the bundled faces, never the system's.
pub fn font_context() -> FontContext {
    let mut collection = Collection::new(CollectionOptions {
        shared: false,
        system_fonts: false,
    });
    for bytes in [SANS, SANS_BOLD, NASKH, NASTALIQ] {
        collection.register_fonts(Blob::new(Arc::new(bytes)), None);
    }
    FontContext {
        collection,
        source_cache: SourceCache::default(),
    }
}

/// Lays out paragraphs: the fonts and parley's scratch space, kept between paragraphs.
pub struct Typesetter {
    pub(crate) fonts: FontContext,
    pub(crate) layouts: LayoutContext<Brush>,
}

impl Default for Typesetter {
    fn default() -> Self {
        Self::new()
    }
}

impl Typesetter {
    /// A typesetter over the bundled fonts.
    pub fn new() -> Self {
        Typesetter {
            fonts: font_context(),
            layouts: LayoutContext::new(),
        }
    }

    /// `text` laid out at `size` pixels, broken into lines of at most `width`, each line's
    /// direction from its first strong letter (like a browser's `dir=auto`) and aligned to
    /// where its reading begins; numbers, handles and links inside Urdu read as typed, as
    /// everywhere in Parakh ([`bidi::isolate_tokens`]). `bold` sets Latin letters in Noto
    /// Sans Bold.
    pub fn paragraph(
        &mut self,
        text: &str,
        face: UrduFace,
        size: f32,
        width: f32,
        bold: bool,
    ) -> Layout<Brush> {
        let text = &bidi::isolate_tokens(text);
        let mut builder = self
            .layouts
            .ranged_builder(&mut self.fonts, text, 1.0, true);
        builder.push_default(StyleProperty::FontFamily(FontFamily::Source(
            face.families().into(),
        )));
        builder.push_default(StyleProperty::FontSize(size));
        builder.push_default(StyleProperty::LineHeight(LineHeight::Absolute(
            face.line_height(size),
        )));
        if bold {
            builder.push_default(StyleProperty::FontWeight(parley::FontWeight::BOLD));
        }
        let mut layout = builder.build(text);
        layout.break_all_lines(Some(width));
        layout.align(Alignment::Start, AlignmentOptions::default());
        layout
    }
}

/// The layout's glyphs in white on transparent, `w`×`h` pixels, scaled by `scale` with the
/// layout's origin at (`dx`, `dy`) pixels. Premultiplied RGBA.
pub fn raster(layout: &Layout<Brush>, w: u16, h: u16, scale: f32, dx: f32, dy: f32) -> Pixmap {
    let mut ctx = RenderContext::new(w, h);
    let mut resources = Resources::new();
    ctx.set_transform(Affine::translate((dx as f64, dy as f64)) * Affine::scale(scale as f64));
    ctx.set_paint(color::OpaqueColor::<color::Srgb>::WHITE);
    for line in layout.lines() {
        for item in line.items() {
            let PositionedLayoutItem::GlyphRun(glyphs) = item else {
                continue;
            };
            let run = glyphs.run();
            let coords: Vec<i16> = run
                .normalized_coords()
                .iter()
                .map(|c| c.to_bits())
                .collect();
            ctx.glyph_run(&mut resources, run.font())
                .font_size(run.font_size())
                .hint(false)
                .normalized_coords(&coords)
                .fill_glyphs(glyphs.positioned_glyphs().map(|g| Glyph {
                    id: g.id,
                    x: g.x,
                    y: g.y,
                }));
        }
    }
    let mut pixmap = Pixmap::new(w, h);
    ctx.render(&mut pixmap, &mut resources);
    pixmap
}

/// Draws `layout` onto `img` in `colour`, its top-left at (`x`, `y`), clipped to the image.
pub fn draw(img: &mut RgbImage, layout: &Layout<Brush>, x: u32, y: u32, colour: Rgb<u8>) {
    if x >= img.width() || y >= img.height() {
        return;
    }
    // Lines are placed within the width they were broken at (a right-to-left line ends at
    // its right edge), which may be wider than the longest line: draw up to the image's edge.
    let w = (img.width() - x).min(u16::MAX as u32);
    let h = (layout.height().ceil() as u32 + 2)
        .min(img.height() - y)
        .min(u16::MAX as u32);
    let glyphs = raster(layout, w as u16, h as u16, 1.0, 0.0, 0.0);
    let alpha = glyphs.data_as_u8_slice();
    for yy in 0..h {
        for xx in 0..w {
            let a = alpha[((yy * w + xx) * 4 + 3) as usize] as u32;
            if a == 0 {
                continue;
            }
            let p = img.get_pixel_mut(x + xx, y + yy);
            for k in 0..3 {
                p.0[k] = ((colour.0[k] as u32 * a + p.0[k] as u32 * (255 - a)) / 255) as u8;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inked(img: &RgbImage) -> Vec<u32> {
        // Columns holding any dark pixel.
        (0..img.width())
            .filter(|&x| (0..img.height()).any(|y| img.get_pixel(x, y).0[0] < 128))
            .collect()
    }

    #[test]
    fn urdu_is_set_from_the_right_and_english_from_the_left() {
        let mut t = Typesetter::new();
        for (text, rtl) in [("پاکستان زندہ باد", true), ("Pakistan", false)] {
            let mut img = RgbImage::from_pixel(400, 80, Rgb([255, 255, 255]));
            let layout = t.paragraph(text, UrduFace::Naskh, 24.0, 400.0, false);
            draw(&mut img, &layout, 0, 0, Rgb([0, 0, 0]));
            let cols = inked(&img);
            assert!(!cols.is_empty(), "{text}: nothing drawn");
            if rtl {
                assert!(*cols.last().unwrap() > 380, "{text}: not right-aligned");
                assert!(cols[0] > 100, "{text}: reaches the left edge");
            } else {
                assert!(cols[0] < 10, "{text}: not left-aligned");
            }
        }
    }
}
