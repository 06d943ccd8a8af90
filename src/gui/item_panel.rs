//! The item in the middle of the desk: header, full content text, evidence.

use super::backend::ClaimState;
use super::bidi_label::BidiLabel;
use super::desk::{Action, Desk};
use super::images::Images;
use super::{fonts, theme};

/// Draws the open item.
pub fn show(
    ui: &mut egui::Ui,
    desk: &mut Desk,
    images: &mut Images,
    space_held: bool,
    actions: &mut Vec<Action>,
) {
    let Some(view) = desk.item.clone() else {
        ui.centered_and_justified(|ui| {
            let text = if desk.opening.is_some() {
                "Loading…"
            } else {
                "Select an item (J/K) and press Enter to review it. ? shows every shortcut."
            };
            ui.label(egui::RichText::new(text).color(theme::MUTED));
        });
        return;
    };
    let it = &view.record.item;
    let f = &it.fields;
    ui.horizontal_wrapped(|ui| {
        ui.label(egui::RichText::new(format!("#{}", it.id)).color(theme::MUTED));
        ui.label(
            egui::RichText::new(format!("{} {}", theme::platform(f.platform), f.kind)).strong(),
        );
        ui.heading(format!("@{}", f.handle));
        if !f.display_name.is_empty() {
            let (font, height) =
                fonts::content_font(&f.language, &f.display_name, desk.settings.urdu_face, 18.0);
            ui.add(
                BidiLabel::new(&f.display_name)
                    .font(font)
                    .line_height(height)
                    .single_line(),
            );
        }
        ui.label(
            egui::RichText::new(it.status.as_str())
                .color(theme::status(it.status))
                .strong(),
        );
    });
    ui.horizontal_wrapped(|ui| {
        ui.hyperlink_to(&f.url, &f.url);
        if ui.small_button("Copy URL").clicked() {
            ui.ctx().copy_text(f.url.clone());
        }
    });
    // The item's facts on one line, cut with "…" where the column is narrow (whole on hover).
    let zone = desk.settings.utc_offset_minutes;
    let mut facts = format!(
        "followers {} · reported {} · source {} · priority {}",
        f.followers.map_or("—".into(), group_digits),
        super::time::local(f.reported_at, zone),
        if f.source_ref.is_empty() {
            "—"
        } else {
            &f.source_ref
        },
        f.priority
    );
    if !f.language.is_empty() {
        facts.push_str(&format!(" · language {}", f.language));
    }
    ui.add(egui::Label::new(egui::RichText::new(facts).color(theme::MUTED)).truncate())
        .on_hover_text(format!(
            "reported {} (UTC)",
            crate::clock::fmt_ts(f.reported_at)
        ));
    let claim = match &view.claim {
        ClaimState::Mine(until) => (
            format!(
                "You hold this item until {}",
                super::time::clock(*until, zone)
            ),
            theme::OK,
        ),
        ClaimState::Other { by, until } => (
            format!("Claimed by {by} until {}", super::time::clock(*until, zone)),
            theme::WARN,
        ),
        ClaimState::ReadOnly
            if matches!(
                it.status,
                crate::model::Status::New | crate::model::Status::Returned
            ) =>
        {
            (
                "Preview — press Enter to open it for review".to_string(),
                theme::MUTED,
            )
        }
        ClaimState::ReadOnly => (
            format!("Read only: the item is {}", it.status),
            theme::MUTED,
        ),
        ClaimState::Failed(e) => (e.clone(), theme::WARN),
    };
    ui.colored_label(claim.1, claim.0);
    super::mirror_panel::show(ui, desk, images, actions);
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("content")
        .max_height((ui.available_height() * 0.18).clamp(44.0, 190.0))
        .auto_shrink([false, true])
        .show(ui, |ui| {
            if f.text.is_empty() {
                ui.label(egui::RichText::new("(no text)").color(theme::MUTED));
            } else {
                let (font, height) =
                    fonts::content_font(&f.language, &f.text, desk.settings.urdu_face, 17.0);
                ui.add(BidiLabel::new(&f.text).font(font).line_height(height));
            }
        });
    ui.separator();
    let evidence = view.record.evidence.clone();
    let matches = view.hash_matches.clone();
    for m in &matches {
        let n = view
            .record
            .evidence
            .iter()
            .position(|e| e.sha256 == m.sha256)
            .map_or(0, |i| i + 1);
        super::viewer::known_content(ui, m, &format!("screenshot {n} "));
    }
    let terms = crate::model::text::search_words(&desk.queue.search);
    desk.viewer.show(
        ui,
        &evidence,
        &matches,
        images,
        super::viewer::Look {
            veil: desk.settings.veil,
            space_held,
            zone,
            words: &view.words,
            terms: &terms,
        },
    );
}

/// The evidence alone in the whole window (F), with the same veil and keys.
pub fn large(ui: &mut egui::Ui, desk: &mut Desk, images: &mut Images, space_held: bool) {
    let Some(view) = desk.item.clone() else {
        return;
    };
    ui.horizontal(|ui| {
        ui.label(
            egui::RichText::new(format!(
                "#{} @{}",
                view.record.item.id, view.record.item.fields.handle
            ))
            .strong(),
        );
        ui.label(
            egui::RichText::new("Large view — F or Esc returns to the desk").color(theme::MUTED),
        );
        if ui.button("Back to the desk (F)").clicked() {
            desk.large_view = false;
        }
    });
    let terms = crate::model::text::search_words(&desk.queue.search);
    desk.viewer.show(
        ui,
        &view.record.evidence,
        &view.hash_matches,
        images,
        super::viewer::Look {
            veil: desk.settings.veil,
            space_held,
            zone: desk.settings.utc_offset_minutes,
            words: &view.words,
            terms: &terms,
        },
    );
}

fn group_digits(n: i64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
