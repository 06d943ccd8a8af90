//! The item view's comparison with possible originals: handles, names, first screenshots
//! side by side, and every field's score; the reviewer confirms or rejects.

use egui::{Color32, Rect, pos2, vec2};

use super::bidi_label::BidiLabel;
use super::desk::{Action, Desk};
use super::images::{Images, Kind};
use super::theme;

/// A field of the mirror score by the name a reviewer knows it by.
fn field_name(field: &str) -> &str {
    match field {
        "handle_key" => "handle (look-alike key)",
        "handle_similarity" => "handle (spelling)",
        "display_name" => "display name",
        "images" => "screenshots",
        "links" => "links",
        "phones" => "phone numbers",
        other => other,
    }
}

/// Draws the candidates of the open item, if any. The first comparison is open unless it
/// would push the evidence off the screen (`fold`); `M` opens or folds it.
pub fn show(ui: &mut egui::Ui, desk: &mut Desk, images: &mut Images, actions: &mut Vec<Action>) {
    let Some(view) = desk.item.clone() else {
        return;
    };
    if desk.mirrors.is_empty() {
        return;
    }
    // The comparison takes about 330 points; the evidence needs at least 420 beneath it.
    let open = *desk
        .mirrors_open
        .get_or_insert(ui.available_height() > 330.0 + 420.0);
    for (n, m) in desk.mirrors.clone().iter().enumerate() {
        let c = &m.candidate;
        // Kept short: a header does not wrap, and a wide one would widen the whole item view.
        let title = format!("⚑ Possible mirror of #{} — score {:.1}", c.item, c.score);
        let title = if n == 0 {
            format!("{title}  (M {})", if open { "folds" } else { "opens" })
        } else {
            title
        };
        let mut header = egui::CollapsingHeader::new(egui::RichText::new(title).color(theme::WARN))
            .id_salt(("mirror", c.item))
            .default_open(false);
        if n == 0 {
            header = header.open(Some(open));
        }
        let shown = header
            .show(ui, |ui| {
                // The comparison scrolls sideways in a narrow view instead of widening it.
                egui::ScrollArea::horizontal()
                    .id_salt(("mirror-scroll", c.item))
                    .auto_shrink([false, true])
                    .show(ui, |ui| {
                egui::Grid::new(("mirror-side", c.item)).num_columns(3).striped(true).show(ui, |ui| {
                    ui.label("");
                    ui.label(egui::RichText::new("this item").strong());
                    ui.label(egui::RichText::new(format!("taken down #{}", c.item)).strong());
                    ui.end_row();
                    ui.label("platform");
                    ui.label(theme::platform(view.record.item.fields.platform));
                    ui.label(theme::platform_named(&c.platform));
                    ui.end_row();
                    ui.label("handle");
                    ui.add(BidiLabel::new(&view.record.item.fields.handle).single_line());
                    ui.add(BidiLabel::new(&m.original.item.fields.handle).single_line());
                    ui.end_row();
                    ui.label("display name");
                    ui.add(BidiLabel::new(&view.record.item.fields.display_name).single_line());
                    ui.add(BidiLabel::new(&m.original.item.fields.display_name).single_line());
                    ui.end_row();
                    ui.label("screenshot");
                    thumb(ui, images, view.record.evidence.first().map(|e| e.sha256.as_str()), desk.settings.veil);
                    thumb(ui, images, m.original.evidence.first().map(|e| e.sha256.as_str()), desk.settings.veil);
                    ui.end_row();
                });
                egui::Grid::new(("mirror-fields", c.item)).num_columns(3).show(ui, |ui| {
                    for f in &c.fields {
                        let colour = if f.weight > 0.0 { theme::WARN } else { theme::MUTED };
                        ui.label(field_name(f.field));
                        ui.colored_label(colour, format!("{:+.1}", f.weight));
                        ui.add(BidiLabel::new(&f.detail));
                        ui.end_row();
                    }
                });
                match m.verdict {
                    Some(true) => {
                        ui.colored_label(theme::WARN, "Confirmed as a mirror");
                    }
                    Some(false) => {
                        ui.colored_label(theme::MUTED, "Recorded as not a mirror");
                    }
                    None if desk.holds_claim() && n == desk.mirrors.iter().position(|m| m.verdict.is_none()).unwrap_or(0) => {
                        ui.horizontal_wrapped(|ui| {
                            if ui.add(egui::Button::new("Confirm mirror").shortcut_text("Ctrl+M")).on_hover_text("Copies the earlier decision's groups and grounds; the item still needs its own decision").clicked() {
                                actions.push(Action::MirrorVerdict(true));
                            }
                            if ui.add(egui::Button::new("Not a mirror").shortcut_text("Ctrl+Shift+M")).clicked() {
                                actions.push(Action::MirrorVerdict(false));
                            }
                        });
                    }
                    None => {
                        ui.label(egui::RichText::new("Open the item for review (Enter) to confirm or reject.").color(theme::MUTED));
                    }
                }
                    });
            });
        if n == 0 && shown.header_response.clicked() {
            desk.mirrors_open = Some(!open);
        }
    }
}

fn thumb(ui: &mut egui::Ui, images: &mut Images, sha: Option<&str>, veil: bool) {
    let (rect, _) = ui.allocate_exact_size(vec2(80.0, 60.0), egui::Sense::hover());
    ui.painter()
        .rect_filled(rect, 3.0, ui.visuals().extreme_bg_color);
    let Some(sha) = sha else {
        ui.painter().text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            "none",
            egui::FontId::proportional(11.0),
            theme::MUTED,
        );
        return;
    };
    images.request(sha, false);
    if let Some((tex, size)) = images.get(sha, if veil { Kind::Veil } else { Kind::Thumb }) {
        let s = (rect.width() / size.x).min(rect.height() / size.y);
        let r = Rect::from_center_size(rect.center(), size * s);
        ui.painter().image(
            tex,
            r,
            Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0)),
            Color32::WHITE,
        );
    }
}
