//! The evidence viewer: a thumbnail strip and a main view with zoom, pan, fit and 1:1.
//! Screenshots open veiled (blurred and greyscale) when the reviewer's setting says so;
//! a click, `V` or holding Space reveals them.

use egui::{Color32, Rect, Sense, Vec2, pos2, vec2};
use std::collections::HashSet;

use super::images::{Images, Kind};
use super::theme;
use crate::model::EvidenceMeta;
use crate::model::ocr::{self, Word};
use std::collections::HashMap;

/// How the evidence is to be shown this frame: veiled by default, Space held, and the
/// reviewer's time zone (minutes east of UTC).
#[derive(Clone, Copy, Debug)]
pub struct Look<'a> {
    /// Screenshots open veiled.
    pub veil: bool,
    /// Space is held (reveals while held).
    pub space_held: bool,
    /// The reviewer's time zone.
    pub zone: i32,
    /// The words read from each screenshot, by SHA-256.
    pub words: &'a HashMap<String, Vec<Word>>,
    /// The queue's search words, folded: the words read that match them are outlined.
    pub terms: &'a [String],
}

/// How the main view scales the image.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Zoom {
    /// Fit the whole image in the view.
    Fit,
    /// A fixed scale (1.0 = one image pixel per screen point).
    Scale(f32),
}

/// The viewer's state for the open item.
#[derive(Clone, Debug)]
pub struct Viewer {
    /// Which evidence is shown.
    pub index: usize,
    /// Scale.
    pub zoom: Zoom,
    /// Offset of the image centre from the view centre, in points.
    pub pan: Vec2,
    /// Evidence revealed by the reviewer.
    pub revealed: HashSet<String>,
    /// Evidence shown in the main view at least once (veiled or not), by SHA-256: a lead
    /// approves only when this holds every screenshot of the packet.
    pub opened: HashSet<String>,
    /// Toggle the reveal of the shown image on the next frame.
    pub toggle_reveal: bool,
    /// Move by this many images on the next frame.
    pending_step: i32,
    /// The last fit scale, to turn Fit into a number when zooming.
    fit_scale: f32,
}

impl Default for Viewer {
    fn default() -> Self {
        Viewer {
            index: 0,
            zoom: Zoom::Fit,
            pan: Vec2::ZERO,
            revealed: HashSet::new(),
            opened: HashSet::new(),
            toggle_reveal: false,
            pending_step: 0,
            fit_scale: 1.0,
        }
    }
}

impl Viewer {
    /// Zooms by a factor.
    pub fn zoom_by(&mut self, factor: f32) {
        let current = match self.zoom {
            Zoom::Fit => self.fit_scale,
            Zoom::Scale(s) => s,
        };
        self.zoom = Zoom::Scale((current * factor).clamp(0.05, 16.0));
    }

    /// Fits the image.
    pub fn fit(&mut self) {
        self.zoom = Zoom::Fit;
        self.pan = Vec2::ZERO;
    }

    /// One image pixel per point.
    pub fn actual_size(&mut self) {
        self.zoom = Zoom::Scale(1.0);
        self.pan = Vec2::ZERO;
    }

    /// Shows the next (`1`) or previous (`-1`) image.
    pub fn step(&mut self, by: i32) {
        self.pending_step += by;
    }

    /// Whether the image `sha` is shown veiled.
    pub fn veiled(&self, sha: &str, veil_default: bool, space_held: bool) -> bool {
        veil_default && !space_held && !self.revealed.contains(sha)
    }

    fn toggle(&mut self, sha: &str) {
        if !self.revealed.remove(sha) {
            self.revealed.insert(sha.to_string());
        }
    }

    /// Draws the viewer for `evidence`.
    pub fn show(
        &mut self,
        ui: &mut egui::Ui,
        evidence: &[EvidenceMeta],
        matches: &[crate::hashlist::HashMatch],
        images: &mut Images,
        look: Look,
    ) {
        let Look {
            veil: veil_default,
            space_held,
            zone,
            words,
            terms,
        } = look;
        if evidence.is_empty() {
            ui.label(egui::RichText::new("No evidence attached. Drop screenshots on the window or use File ▸ Attach evidence… after opening the item (Enter).").color(theme::MUTED));
            return;
        }
        if self.pending_step != 0 {
            let n = evidence.len() as i32;
            self.index = (self.index as i32 + self.pending_step).rem_euclid(n) as usize;
            self.pending_step = 0;
            self.fit();
        }
        self.index = self.index.min(evidence.len() - 1);
        // On a short screen the strip and the facts shrink so the main view keeps room.
        let short = ui.available_height() < 520.0;
        let thumb = if short {
            vec2(76.0, 54.0)
        } else {
            vec2(110.0, 80.0)
        };
        // Thumbnail strip.
        egui::ScrollArea::horizontal()
            .id_salt("thumbs")
            .max_height(thumb.y + 12.0)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    for (i, e) in evidence.iter().enumerate() {
                        let veiled = self.veiled(&e.sha256, veil_default, space_held);
                        let kind = if veiled { Kind::Veil } else { Kind::Thumb };
                        let size = thumb;
                        let (rect, resp) = ui.allocate_exact_size(size, Sense::click());
                        let selected = i == self.index;
                        ui.painter()
                            .rect_filled(rect, 4.0, ui.visuals().extreme_bg_color);
                        match images.get(&e.sha256, kind) {
                            Some((tex, tsize)) => {
                                let r = fit_rect(rect.shrink(3.0), tsize);
                                ui.painter().image(
                                    tex,
                                    r,
                                    Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0)),
                                    Color32::WHITE,
                                );
                            }
                            None if images.failure(&e.sha256).is_some() => {
                                ui.painter().text(
                                    rect.center(),
                                    egui::Align2::CENTER_CENTER,
                                    "corrupt",
                                    egui::FontId::proportional(12.0),
                                    theme::WARN,
                                );
                            }
                            None => {
                                ui.put(rect, egui::Spinner::new());
                            }
                        }
                        let stroke = if selected {
                            egui::Stroke::new(2.0, ui.visuals().selection.stroke.color)
                        } else {
                            egui::Stroke::new(
                                1.0,
                                ui.visuals().widgets.noninteractive.bg_stroke.color,
                            )
                        };
                        ui.painter()
                            .rect_stroke(rect, 4.0, stroke, egui::StrokeKind::Inside);
                        let resp = resp
                            .on_hover_text(format!("{} · {}×{}", e.file_name, e.width, e.height));
                        if resp.clicked() {
                            self.index = i;
                            self.fit();
                        }
                    }
                });
            });
        let e = &evidence[self.index];
        if images.failure(&e.sha256).is_some() {
            // Shown as undecodable: the lead has seen all there is to see of it.
            self.opened.insert(e.sha256.clone());
        }
        if std::mem::take(&mut self.toggle_reveal) {
            self.toggle(&e.sha256);
        }
        let veiled = self.veiled(&e.sha256, veil_default, space_held);
        for m in matches.iter().filter(|m| m.sha256 == e.sha256) {
            known_content(ui, m, "");
        }
        // Facts about the shown file, on one line (whole on hover).
        let facts = format!(
            "{} of {} · {}×{} px · {} · {} · attached by {}, {}",
            self.index + 1,
            evidence.len(),
            e.width,
            e.height,
            human_size(e.size),
            e.mime,
            e.attached_by,
            super::time::local(e.attached_at, zone)
        );
        ui.add(egui::Label::new(egui::RichText::new(facts.clone()).strong()).truncate())
            .on_hover_text(format!("{facts}\nattached at {} (UTC)", e.attached_at));
        let read = words.get(&e.sha256).map(Vec::as_slice).unwrap_or_default();
        let found = ocr::matching_words(read, terms);
        if !read.is_empty() {
            let line = if found.is_empty() {
                format!("Text read from this screenshot: {} words", read.len())
            } else {
                format!(
                    "Text read from this screenshot: {} words, {} matching your search (outlined)",
                    read.len(),
                    found.len()
                )
            };
            ui.add(egui::Label::new(egui::RichText::new(line).color(theme::MUTED)).truncate())
                .on_hover_text(ocr::text_of(read));
        }
        ui.horizontal_wrapped(|ui| {
            // The hash in short, whole on hover and copied whole.
            ui.label("SHA-256");
            ui.label(
                egui::RichText::new(format!("{}…", &e.sha256[..16]))
                    .monospace()
                    .size(11.0),
            )
            .on_hover_text(&e.sha256);
            if ui
                .small_button("Copy")
                .on_hover_text("Copy the whole hash")
                .clicked()
            {
                ui.ctx().copy_text(e.sha256.clone());
            }
            ui.separator();
            if ui.button("Fit (0)").clicked() {
                self.fit();
            }
            if ui.button("1:1 (1)").clicked() {
                self.actual_size();
            }
            if ui.button("−").on_hover_text("Zoom out (−)").clicked() {
                self.zoom_by(0.8);
            }
            if ui.button("+").on_hover_text("Zoom in (+)").clicked() {
                self.zoom_by(1.25);
            }
            let label = if veiled { "Reveal (V)" } else { "Veil (V)" };
            if ui.button(label).clicked() {
                self.toggle(&e.sha256);
            }
        });
        // Main view.
        let avail = ui.available_size().max(vec2(200.0, 120.0));
        let (view, resp) = ui.allocate_exact_size(avail, Sense::click_and_drag());
        let painter = ui.painter_at(view);
        painter.rect_filled(view, 6.0, ui.visuals().extreme_bg_color);
        if veiled {
            if let Some((tex, _)) = images.get(&e.sha256, Kind::Veil) {
                // Drawn, if veiled: it counts as opened.
                self.opened.insert(e.sha256.clone());
                let full = vec2(e.width as f32, e.height as f32);
                let r = fit_rect(view.shrink(8.0), full);
                painter.image(
                    tex,
                    r,
                    Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0)),
                    Color32::from_gray(200),
                );
            }
            let note = egui::RichText::new(
                "Screenshot veiled for your wellbeing — click, press V or hold Space to reveal",
            )
            .size(15.0)
            .strong()
            .background_color(ui.visuals().extreme_bg_color.gamma_multiply(0.8));
            let note_rect = Rect::from_center_size(view.center(), vec2(view.width() - 24.0, 48.0));
            ui.put(note_rect, egui::Label::new(note).wrap().selectable(false));
            if resp.clicked() {
                self.toggle(&e.sha256);
            }
            return;
        }
        match images.get(&e.sha256, Kind::Full) {
            Some((tex, tsize)) => {
                self.opened.insert(e.sha256.clone());
                let img = vec2(e.width as f32, e.height as f32).max(tsize);
                let fit = ((view.width() - 16.0) / img.x)
                    .min((view.height() - 16.0) / img.y)
                    .clamp(0.01, 1.0);
                self.fit_scale = fit;
                if resp.hovered() {
                    let z = ui.input(|i| i.zoom_delta());
                    if z != 1.0 {
                        self.zoom_by(z);
                    }
                }
                if resp.dragged() {
                    self.pan += resp.drag_delta();
                }
                if resp.double_clicked() {
                    self.fit();
                }
                let scale = match self.zoom {
                    Zoom::Fit => {
                        self.pan = Vec2::ZERO;
                        fit
                    }
                    Zoom::Scale(s) => s,
                };
                let r = Rect::from_center_size(view.center() + self.pan, img * scale);
                painter.image(
                    tex,
                    r,
                    Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0)),
                    Color32::WHITE,
                );
                // The words the search found, outlined where they stand on the image.
                let px = r.width() / e.width.max(1) as f32;
                for w in found.iter().map(|&i| &read[i]) {
                    let b = Rect::from_min_size(
                        r.min + vec2(w.x as f32, w.y as f32) * px,
                        vec2(w.w as f32, w.h as f32) * px,
                    )
                    .expand(2.0);
                    painter.rect_stroke(
                        b,
                        2.0,
                        egui::Stroke::new(2.0, theme::HIGHLIGHT),
                        egui::StrokeKind::Outside,
                    );
                }
                painter.text(
                    view.right_bottom() - vec2(8.0, 8.0),
                    egui::Align2::RIGHT_BOTTOM,
                    format!("{:.0}%", scale * 100.0),
                    egui::FontId::proportional(12.0),
                    theme::MUTED,
                );
            }
            None => match images.failure(&e.sha256) {
                Some(f) => {
                    painter.text(
                        view.center(),
                        egui::Align2::CENTER_CENTER,
                        f,
                        egui::FontId::proportional(14.0),
                        theme::WARN,
                    );
                }
                None => {
                    ui.put(
                        Rect::from_center_size(view.center(), vec2(32.0, 32.0)),
                        egui::Spinner::new(),
                    );
                }
            },
        }
    }

    /// Whether the shown image is decoded and drawn (for tests and benchmarks).
    pub fn ready(
        &self,
        evidence: &[EvidenceMeta],
        images: &mut Images,
        veil_default: bool,
    ) -> bool {
        let Some(e) = evidence.get(self.index.min(evidence.len().saturating_sub(1))) else {
            return true;
        };
        let kind = if self.veiled(&e.sha256, veil_default, false) {
            Kind::Veil
        } else {
            Kind::Full
        };
        images.get(&e.sha256, kind).is_some()
    }
}

/// The largest rect of `size`'s aspect ratio inside `outer`, centred.
fn fit_rect(outer: Rect, size: Vec2) -> Rect {
    let s = (outer.width() / size.x).min(outer.height() / size.y);
    Rect::from_center_size(outer.center(), size * s)
}

fn human_size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{:.0} KB", (bytes as f64 / 1024.0).ceil())
    }
}

/// The warning that a screenshot matches a listed hash of known content.
pub fn known_content(ui: &mut egui::Ui, m: &crate::hashlist::HashMatch, which: &str) {
    let label = if m.label.is_empty() {
        String::new()
    } else {
        format!(" ({})", m.label)
    };
    ui.colored_label(
        theme::WARN,
        format!(
            "⚠ {which}matches known content in list '{}'{label} at {} bits",
            m.list, m.distance
        ),
    );
}
