//! Draws a parley layout's glyphs into an image for egui to show. egui's painter lays text
//! out itself and cannot place another shaper's glyphs, so the box's glyphs are rasterised
//! with `vello_cpu` (the rasteriser egui's own text uses) in white, and the image is tinted
//! with the text colour when it is painted.

use egui::ColorImage;
use parley::{Layout, PositionedLayoutItem};
use vello_cpu::{Glyph, Pixmap, RenderContext, Resources, color, kurbo::Affine};

use super::engine::Brush;

/// The largest image side drawn, in pixels (a pasted novel is clipped, not a crash).
const MAX_SIDE: f32 = 8192.0;

/// The layout's glyphs as an image of `size` points (`ppp` pixels per point), its
/// top-left at the layout's origin.
pub fn raster(layout: &Layout<Brush>, size: egui::Vec2, ppp: f32) -> ColorImage {
    let w = (size.x * ppp).ceil().clamp(1.0, MAX_SIDE) as u16;
    let h = (size.y * ppp).ceil().clamp(1.0, MAX_SIDE) as u16;
    let mut ctx = RenderContext::new(w, h);
    let mut resources = Resources::new();
    ctx.set_transform(Affine::scale(ppp as f64));
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
    ColorImage::from_rgba_premultiplied([w as usize, h as usize], pixmap.data_as_u8_slice())
}
