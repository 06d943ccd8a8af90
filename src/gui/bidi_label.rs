//! The one widget that shows item text: content, display names, aliases, rationales, the
//! sealed packet and history. It lays text out with [`crate::model::bidi`] (Unicode
//! Bidirectional Algorithm, lines broken in logical order, runs in visual order) and lets
//! egui's shaper join the letters. Right-to-left paragraphs are right-aligned.

use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontId, Galley, Response, Sense, Ui, Widget, vec2};
use std::sync::Arc;

use crate::model::bidi;

/// A label that reads right-to-left text the right way round.
pub struct BidiLabel<'a> {
    text: &'a str,
    font: Option<FontId>,
    color: Option<Color32>,
    line_height: Option<f32>,
    wrap: bool,
    fill: bool,
    truncate: bool,
}

impl<'a> BidiLabel<'a> {
    /// A wrapping label in the interface font.
    pub fn new(text: &'a str) -> Self {
        BidiLabel {
            text,
            font: None,
            color: None,
            line_height: None,
            wrap: true,
            fill: false,
            truncate: false,
        }
    }

    /// Uses this font.
    pub fn font(mut self, font: FontId) -> Self {
        self.font = Some(font);
        self
    }

    /// Uses this colour.
    pub fn color(mut self, color: Color32) -> Self {
        self.color = Some(color);
        self
    }

    /// Sets the line height (Nastaliq needs more).
    pub fn line_height(mut self, h: Option<f32>) -> Self {
        self.line_height = h;
        self
    }

    /// Keeps the text on one line, as wide as the text.
    pub fn single_line(mut self) -> Self {
        self.wrap = false;
        self
    }

    /// Takes the whole available width, so a right-to-left line sits at the right (table cells).
    pub fn fill(mut self) -> Self {
        self.fill = true;
        self
    }

    /// One line that ends in "…" where it would not fit, with the whole text on hover; it
    /// starts at the left whatever its direction, so a column of mixed names aligns alike.
    pub fn truncate(mut self) -> Self {
        self.wrap = false;
        self.truncate = true;
        self
    }
}

impl Widget for BidiLabel<'_> {
    fn ui(self, ui: &mut Ui) -> Response {
        let font = self
            .font
            .unwrap_or_else(|| egui::TextStyle::Body.resolve(ui.style()));
        let color = self.color.unwrap_or_else(|| ui.visuals().text_color());
        let width = ui.available_width().max(20.0);
        let format = TextFormat {
            font_id: font.clone(),
            color,
            line_height: self.line_height,
            ..Default::default()
        };
        // Each piece is shaped on its own: egui merges neighbouring text of one script and
        // font into a single run, which would undo the visual order.
        // Pieces without Arabic-script letters (handles, URLs, digits, English) take the
        // interface font: Naskh and Nastaliq carry only makeshift Latin glyphs.
        let latin = TextFormat {
            font_id: FontId::new(font.size, egui::FontFamily::Proportional),
            ..format.clone()
        };
        let shape = |ui: &Ui, text: &str| {
            // Spaces too: Nastaliq's space is all but zero wide, and the gap before a phone
            // number or a Latin word vanished ("کریں0300-…").
            let latin_text = (!bidi::has_rtl(text)
                && text.chars().any(|c| c.is_ascii_alphanumeric()))
                || (!text.is_empty() && text.chars().all(char::is_whitespace));
            let f = if latin_text { &latin } else { &format };
            let job = LayoutJob::single_section(text.to_string(), f.clone());
            ui.fonts_mut(|fonts| fonts.layout_job(job))
        };
        let mut shown = std::borrow::Cow::Borrowed(self.text);
        if self.truncate {
            shown = fit_with_ellipsis(self.text, width, &mut |s: &str| {
                let mut measure = |p: &str| shape(ui, p).size().x;
                bidi::layout(s, None, &mut measure)
                    .iter()
                    .map(|l| l.pieces.iter().map(|p| measure(&p.text)).sum::<f32>())
                    .fold(0.0, f32::max)
            });
        }
        let lines = {
            // Measured as drawn: a word, then its trailing space in the space's own face.
            let mut measure = |s: &str| {
                let word = s.trim_end();
                let space = &s[word.len()..];
                let w = if word.is_empty() {
                    0.0
                } else {
                    shape(ui, word).size().x
                };
                w + if space.is_empty() {
                    0.0
                } else {
                    shape(ui, space).size().x
                }
            };
            bidi::layout(&shown, self.wrap.then_some(width), &mut measure)
        };
        let empty_height = shape(ui, " ").size().y;
        let shaped: Vec<(Vec<Arc<Galley>>, bool)> = lines
            .iter()
            .map(|line| {
                (
                    line.pieces.iter().map(|p| shape(ui, &p.text)).collect(),
                    line.rtl,
                )
            })
            .collect();
        let line_width = |g: &[Arc<Galley>]| g.iter().map(|g| g.size().x).sum::<f32>();
        // Pieces of one line share a baseline, whatever their fonts.
        let line_baseline = |g: &[Arc<Galley>]| g.iter().map(|g| baseline(g)).fold(0.0, f32::max);
        let line_height = |g: &[Arc<Galley>]| {
            let b = line_baseline(g);
            g.iter()
                .map(|g| b - baseline(g) + g.size().y)
                .fold(empty_height, f32::max)
        };
        let text_width = shaped
            .iter()
            .map(|(g, _)| line_width(g))
            .fold(0.0, f32::max);
        let any_rtl = shaped.iter().any(|(_, rtl)| *rtl);
        // A single line in a flowing layout is as wide as its text (grids size columns from
        // it); in a table cell it fills the cell and is clipped there.
        let w = if self.truncate {
            text_width.min(width)
        } else if self.wrap || (self.fill && any_rtl) {
            width
        } else if self.fill {
            text_width.min(width)
        } else {
            text_width
        };
        let h: f32 = shaped.iter().map(|(g, _)| line_height(g)).sum();
        let (rect, response) = ui.allocate_exact_size(vec2(w, h.max(1.0)), Sense::hover());
        if ui.is_rect_visible(rect) {
            // Nastaliq swashes reach past their advance boxes: clip to the parent, not the rect.
            let painter = ui.painter();
            let mut y = rect.top();
            for (pieces, rtl) in shaped {
                let lh = line_height(&pieces);
                let b = line_baseline(&pieces);
                let mut x = if rtl && !self.truncate {
                    rect.right() - line_width(&pieces)
                } else {
                    rect.left()
                };
                for g in pieces {
                    let gw = g.size().x;
                    painter.galley(egui::pos2(x, y + b - baseline(&g)), g, color);
                    x += gw;
                }
                y += lh;
            }
        }
        let text = self.text.to_string();
        let cut = shown.as_ref() != self.text;
        response.widget_info({
            let text = text.clone();
            move || egui::WidgetInfo::labeled(egui::Role::Label, true, &text)
        });
        if cut {
            response.on_hover_text(text)
        } else {
            response
        }
    }
}

/// `text`, or its longest beginning (in logical order) followed by "…", whose width
/// (`width_of`) fits in `max`.
fn fit_with_ellipsis<'t>(
    text: &'t str,
    max: f32,
    width_of: &mut dyn FnMut(&str) -> f32,
) -> std::borrow::Cow<'t, str> {
    if width_of(text) <= max {
        return std::borrow::Cow::Borrowed(text);
    }
    let ends: Vec<usize> = text.char_indices().map(|(i, _)| i).skip(1).collect();
    // The number of characters kept: the largest that fits, found by bisection.
    let (mut lo, mut hi) = (0usize, ends.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate = format!("{}…", text[..ends[mid - 1]].trim_end());
        if width_of(&candidate) <= max {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let kept = if lo == 0 {
        ""
    } else {
        text[..ends[lo - 1]].trim_end()
    };
    std::borrow::Cow::Owned(format!("{kept}…"))
}

/// The baseline of a galley's first row, from its top.
fn baseline(g: &Galley) -> f32 {
    g.rows
        .first()
        .and_then(|r| r.row.glyphs.first().map(|glyph| r.pos.y + glyph.pos.y))
        .unwrap_or(g.size().y)
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_text_ends_in_an_ellipsis_that_fits() {
        // One unit of width per character.
        let mut w = |s: &str| s.chars().count() as f32;
        assert_eq!(super::fit_with_ellipsis("short", 10.0, &mut w), "short");
        assert_eq!(
            super::fit_with_ellipsis("a_very_long_handle", 8.0, &mut w),
            "a_very_…"
        );
        assert_eq!(
            super::fit_with_ellipsis("ٹی ٹی پی میڈیا", 6.0, &mut w),
            "ٹی ٹی…"
        );
        assert_eq!(super::fit_with_ellipsis("abc", 0.5, &mut w), "…");
    }
}
