//! Draws a parley layout's glyphs into an image for egui to show. egui's painter lays text
//! out itself and cannot place another shaper's glyphs, so the box's glyphs are rasterised
//! with `vello_cpu` (the rasteriser egui's own text uses; see [`crate::typeset`]) in white,
//! and the image is tinted with the text colour when it is painted.

use egui::ColorImage;
use parley::Layout;

use super::engine::Brush;

/// The largest image side drawn, in pixels (a pasted novel is clipped, not a crash).
const MAX_SIDE: f32 = 8192.0;

/// The layout's glyphs as an image of `size` points (`ppp` pixels per point), its
/// top-left at the layout's origin.
pub fn raster(layout: &Layout<Brush>, size: egui::Vec2, ppp: f32) -> ColorImage {
    let w = (size.x * ppp).ceil().clamp(1.0, MAX_SIDE) as u16;
    let h = (size.y * ppp).ceil().clamp(1.0, MAX_SIDE) as u16;
    let pixmap = crate::typeset::raster(layout, w, h, ppp, 0.0, 0.0);
    ColorImage::from_rgba_premultiplied([w as usize, h as usize], pixmap.data_as_u8_slice())
}
