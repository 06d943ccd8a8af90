//! The text box for every field where a person may type Urdu: rationale, return reason,
//! appeal grounds and reasons, requests, search. egui 0.37's own box lays every line out
//! left to right, so Urdu typed into it reads backwards and the caret stands where typing
//! does not go. This box keeps egui's look and behaviour (focus, Tab, Escape, hint text,
//! copy, cut, paste, IME, accessibility) but lays its text out with `parley`, which applies
//! the Unicode Bidirectional Algorithm while the text is typed: the base direction comes from
//! the first strong letter (like a browser's `dir=auto`), Left and Right move the caret on
//! screen, and digits, handles and URLs read left to right inside Urdu. Its glyphs are drawn
//! by [`paint`], its editing model is [`engine`], and [`input`] turns egui's events into the
//! engine's operations.

pub mod engine;
pub mod input;
mod paint;

use egui::{
    Color32, Id, Rect, Response, Sense, TextureHandle, TextureOptions, Ui, Vec2, Widget,
    WidgetInfo, pos2, vec2,
};
use std::sync::{Arc, Mutex};

use crate::gui::fonts::UrduFace;
pub use engine::{Engine, Motion, Op, Shaper};

/// The font size of typed text, in points.
const SIZE: f32 = 15.0;
/// The space between the frame and the text, in points.
const MARGIN: Vec2 = vec2(6.0, 3.0);

/// Sets the face Arabic-script text is typed in, for every box (the reviewer's setting).
pub fn set_face(ctx: &egui::Context, face: UrduFace) {
    ctx.data_mut(|d| d.insert_temp(face_id(), face));
}

fn face_id() -> Id {
    Id::unique("parakh_text_box_face")
}

fn face(ctx: &egui::Context) -> UrduFace {
    ctx.data(|d| d.get_temp(face_id())).unwrap_or_default()
}

/// The shaper every box shares (its font collection is built once).
fn shaper(ctx: &egui::Context) -> Arc<Mutex<Shaper>> {
    ctx.data_mut(|d| {
        d.get_temp_mut_or_insert_with(Id::unique("parakh_text_box_shaper"), || {
            Arc::new(Mutex::new(Shaper::new()))
        })
        .clone()
    })
}

/// What a box keeps between frames.
struct State {
    engine: Engine,
    /// The drawn glyphs, and what they were drawn from (raw text, width, pixels per point,
    /// face).
    texture: Option<(TextureHandle, (String, u32, u32, UrduFace))>,
    /// Where the press of a drag started, to tell a drag from a click.
    pressed: bool,
    /// Horizontal scroll of a one-line box whose text is wider than it.
    scroll: f32,
}

type Shared = Arc<Mutex<State>>;

/// A text box that lays right-to-left text out while it is typed.
pub struct TextBox<'a> {
    text: &'a mut String,
    multiline: bool,
    rows: usize,
    width: Option<f32>,
    hint: Option<String>,
    id_salt: Option<String>,
}

impl<'a> TextBox<'a> {
    /// A box for several lines (Enter starts a new one).
    pub fn multiline(text: &'a mut String) -> Self {
        TextBox {
            text,
            multiline: true,
            rows: 4,
            width: None,
            hint: None,
            id_salt: None,
        }
    }

    /// A box for one line (Enter ends the input, like egui's).
    pub fn singleline(text: &'a mut String) -> Self {
        TextBox {
            multiline: false,
            rows: 1,
            ..Self::multiline(text)
        }
    }

    /// The height, in lines, of an empty box.
    pub fn desired_rows(mut self, rows: usize) -> Self {
        self.rows = rows.max(1);
        self
    }

    /// The width (`f32::INFINITY`: all that is available).
    pub fn desired_width(mut self, width: f32) -> Self {
        self.width = Some(width);
        self
    }

    /// Text shown, greyed, while the box is empty.
    pub fn hint_text(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Tells two boxes at the same place apart.
    pub fn id_salt(mut self, salt: impl Into<String>) -> Self {
        self.id_salt = Some(salt.into());
        self
    }
}

impl Widget for TextBox<'_> {
    fn ui(self, ui: &mut Ui) -> Response {
        // One-line boxes (search, short fields) lay Arabic script in Naskh, as the queue's
        // table shows names: Nastaliq's tall letters need a line twice as high.
        let face = if self.multiline {
            face(ui.ctx())
        } else {
            UrduFace::Naskh
        };
        let line = face.line_height(SIZE);
        // An empty multi-line box is as tall as egui's; text makes it grow.
        let row = if self.multiline { SIZE * 1.45 } else { line };
        let width = match self.width {
            Some(w) if w.is_finite() => w.min(ui.available_width()),
            Some(_) => ui.available_width(),
            None => ui.spacing().text_edit_width.min(ui.available_width()),
        }
        .max(2.0 * MARGIN.x + 8.0);
        let inner_width = width - 2.0 * MARGIN.x;
        let id = ui.make_persistent_id(("text_box", self.id_salt.as_deref()));
        let shared: Shared = ui.data_mut(|d| {
            d.get_temp_mut_or_insert_with(id, || {
                Arc::new(Mutex::new(State {
                    engine: Engine::new(self.text, SIZE, face, self.multiline),
                    texture: None,
                    pressed: false,
                    scroll: 0.0,
                }))
            })
            .clone()
        });
        let shaper = shaper(ui.ctx());
        let mut shaper = shaper.lock().unwrap_or_else(|e| e.into_inner());
        let mut st = shared.lock().unwrap_or_else(|e| e.into_inner());
        let st = &mut *st;
        st.engine.set_font(face, SIZE);
        st.engine
            .set_width(self.multiline.then_some(inner_width.max(1.0)));
        if st.engine.text() != *self.text {
            // The form was changed from outside (cleared, or another item loaded).
            st.engine.set_text(&mut shaper, self.text);
        }

        // Size from the layout as it stands; events are applied below.
        let text_height = st.engine.layout(&mut shaper).height().max(line);
        let height = (text_height.max(row * self.rows as f32) + 2.0 * MARGIN.y).round();
        let (_, rect) = ui.allocate_space(vec2(width, height));
        let mut response = ui.interact(rect, id, Sense::click_and_drag());
        let inner = rect.shrink2(MARGIN);
        let enabled = ui.is_enabled();
        let prev_text = self.text.clone();

        let focused = ui.memory(|m| m.has_focus(id));
        let origin = |st: &State| inner.min - vec2(st.scroll, 0.0);
        let mut changed = false;
        if enabled {
            if response.clicked() || response.drag_started() || response.double_clicked() {
                ui.memory_mut(|m| m.request_focus(id));
            }
            if let Some(p) = response.interact_pointer_pos() {
                let at = p - origin(st);
                let extend = ui.input(|i| i.modifiers.shift);
                let op = if response.triple_clicked() {
                    Some(Op::SelectLine { x: at.x, y: at.y })
                } else if response.double_clicked() {
                    Some(Op::SelectWord { x: at.x, y: at.y })
                } else if ui.input(|i| i.pointer.any_pressed()) && !st.pressed {
                    st.pressed = true;
                    Some(Op::Press {
                        x: at.x,
                        y: at.y,
                        extend,
                    })
                } else if response.dragged() {
                    Some(Op::Drag { x: at.x, y: at.y })
                } else {
                    None
                };
                if let Some(op) = op {
                    st.engine.apply(&mut shaper, op);
                }
            }
            if !ui.input(|i| i.pointer.any_down()) {
                st.pressed = false;
            }
        }
        if focused {
            // egui (and the desk's shortcuts) tell a focused text box by its state: with it,
            // letters typed here never act as keys.
            egui::text_edit::TextEditState::default().store(ui.ctx(), id);
        }
        if enabled && focused {
            ui.memory_mut(|m| {
                m.set_focus_lock_filter(
                    id,
                    egui::EventFilter {
                        tab: false,
                        horizontal_arrows: true,
                        vertical_arrows: self.multiline,
                        escape: false,
                    },
                )
            });
            let owns_ime = ui.memory(|m| m.owns_ime_events(id));
            let events = ui.input(|i| i.events.clone());
            for event in &events {
                match input::translate(event, self.multiline, owns_ime) {
                    input::Action::Edit(op) => {
                        changed |= st.engine.apply(&mut shaper, op);
                    }
                    action @ (input::Action::Copy | input::Action::Cut) => {
                        if let Some(s) = st.engine.selected_text() {
                            ui.ctx().copy_text(s);
                            if action == input::Action::Cut {
                                changed |=
                                    st.engine.apply(&mut shaper, Op::Backspace { word: false });
                            }
                        }
                    }
                    input::Action::Leave => {
                        ui.memory_mut(|m| m.surrender_focus(id));
                        break;
                    }
                    input::Action::None => {}
                }
            }
        }
        if changed {
            *self.text = st.engine.text();
            response.mark_changed();
        }

        // Keep the caret of a one-line box in view.
        let caret = st.engine.caret_rect(&mut shaper, 1.5);
        let full = st.engine.layout(&mut shaper).full_width();
        if !self.multiline {
            if full <= inner.width() {
                st.scroll = if st.engine.is_rtl(&mut shaper) {
                    full - inner.width()
                } else {
                    0.0
                };
            } else if let Some(c) = caret {
                let x = c.x0 as f32;
                if x - st.scroll > inner.width() - 2.0 {
                    st.scroll = x - inner.width() + 2.0;
                } else if x - st.scroll < 0.0 {
                    st.scroll = x;
                }
            }
        }

        self.draw(ui, st, &mut shaper, &response, rect, inner, id, face);

        if focused && enabled {
            let ime = st.engine.ime_rect(&mut shaper);
            let o = origin(st);
            let to_global = ui
                .ctx()
                .layer_transform_to_global(ui.layer_id())
                .unwrap_or_default();
            let cursor = Rect::from_min_max(
                o + vec2(ime.x0 as f32, ime.y0 as f32),
                o + vec2(ime.x1 as f32, ime.y1 as f32),
            );
            ui.output_mut(|out| {
                out.ime = Some(egui::output::IMEOutput {
                    purpose: egui::IMEPurpose::Normal,
                    rect: to_global * inner,
                    cursor_rect: to_global * cursor,
                    should_interrupt_composition: false,
                })
            });
        }
        let hint = self.hint.clone().unwrap_or_default();
        let now = self.text.clone();
        response.widget_info(|| WidgetInfo::text_edit(enabled, &prev_text, &now, &hint));
        let multiline = self.multiline;
        ui.ctx().accesskit_node_builder(response.id, |b| {
            b.set_role(if multiline {
                egui::accesskit::Role::MultilineTextInput
            } else {
                egui::accesskit::Role::TextInput
            });
        });
        response
    }
}

impl TextBox<'_> {
    #[allow(clippy::too_many_arguments)]
    fn draw(
        &self,
        ui: &Ui,
        st: &mut State,
        shaper: &mut Shaper,
        response: &Response,
        rect: Rect,
        inner: Rect,
        id: Id,
        face: UrduFace,
    ) {
        if !ui.is_rect_visible(rect) {
            return;
        }
        let focused = ui.memory(|m| m.has_focus(id));
        let visuals = ui.visuals();
        let style = if focused {
            visuals.selection.stroke
        } else if response.hovered() {
            visuals.widgets.hovered.bg_stroke
        } else {
            visuals.widgets.inactive.bg_stroke
        };
        let painter = ui.painter_at(rect.expand(1.0));
        painter.rect(
            rect,
            visuals.widgets.inactive.corner_radius,
            visuals.text_edit_bg_color(),
            style,
            egui::StrokeKind::Inside,
        );
        let clip = ui.painter_at(inner.expand2(vec2(2.0, 0.0)));
        let origin = inner.min - vec2(st.scroll, 0.0);
        let to_rect = |b: parley::BoundingBox| {
            Rect::from_min_max(
                origin + vec2(b.x0 as f32, b.y0 as f32),
                origin + vec2(b.x1 as f32, b.y1 as f32),
            )
        };
        if focused {
            for b in st.engine.selection_rects(shaper) {
                clip.rect_filled(to_rect(b), 0.0, visuals.selection.bg_fill);
            }
        }
        let ppp = ui.ctx().pixels_per_point();
        let layout_size = {
            let layout = st.engine.layout(shaper);
            // Right-aligned lines reach the wrap width, whatever the widest line.
            let wrap = if self.multiline { inner.width() } else { 0.0 };
            vec2(
                layout.full_width().max(layout.width()).max(wrap),
                layout.height(),
            )
        };
        let key = (
            st.engine.shown_text().to_string(),
            layout_size.x.to_bits(),
            ppp.to_bits(),
            face,
        );
        if st.texture.as_ref().map(|t| &t.1) != Some(&key) {
            let image = paint::raster(st.engine.layout(shaper), layout_size, ppp);
            let texture =
                ui.ctx()
                    .load_texture(format!("text_box_{id:?}"), image, TextureOptions::LINEAR);
            st.texture = Some((texture, key));
        }
        let color = if ui.is_enabled() {
            visuals.text_color()
        } else {
            visuals.weak_text_color()
        };
        if let Some((texture, _)) = &st.texture {
            let size = texture.size_vec2() / ppp;
            clip.image(
                texture.id(),
                Rect::from_min_size(origin, size),
                Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0)),
                color,
            );
        }
        // What an input method is composing is underlined, as in egui's own box.
        for b in st.engine.compose_rects(shaper) {
            let r = to_rect(b);
            clip.hline(r.x_range(), r.bottom() - 1.0, egui::Stroke::new(1.0, color));
        }
        if st.engine.raw_text().is_empty()
            && let Some(hint) = &self.hint
        {
            let font = egui::FontId::proportional(SIZE - 1.0);
            let color = visuals.weak_text_color();
            let job = if self.multiline {
                egui::text::LayoutJob::simple(hint.clone(), font, color, inner.width())
            } else {
                let mut job = egui::text::LayoutJob::simple_singleline(hint.clone(), font, color);
                job.wrap = egui::text::TextWrapping::truncate_at_width(inner.width());
                job
            };
            let galley = ui.painter().layout_job(job);
            clip.galley(
                inner.min + vec2(0.0, (face.line_height(SIZE) - galley.size().y) / 2.0),
                galley,
                Color32::TRANSPARENT,
            );
        }
        if focused && let Some(c) = st.engine.caret_rect(shaper, 1.5) {
            clip.rect_filled(to_rect(c), 0.0, visuals.text_cursor.stroke.color);
        }
    }
}
