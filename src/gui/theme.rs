//! A calm palette: muted colours for statuses and platforms, one accent, red kept for refusals.

use egui::Color32;

use crate::model::{Platform, Status};

/// Colour of a workflow status.
pub fn status(s: Status) -> Color32 {
    match s {
        Status::New => Color32::from_rgb(110, 130, 150),
        Status::InReview => Color32::from_rgb(70, 120, 190),
        Status::Proposed => Color32::from_rgb(190, 140, 50),
        Status::Approved => Color32::from_rgb(60, 150, 100),
        Status::Returned => Color32::from_rgb(180, 90, 80),
        Status::Appealed => Color32::from_rgb(140, 100, 170),
    }
}

/// Short label of a platform.
pub fn platform(p: Platform) -> &'static str {
    match p {
        Platform::Facebook => "Facebook",
        Platform::Instagram => "Instagram",
        Platform::Whatsapp => "WhatsApp",
        Platform::X => "X",
        Platform::Telegram => "Telegram",
        Platform::Tiktok => "TikTok",
        Platform::Youtube => "YouTube",
        Platform::Other => "Other",
    }
}

/// A stored platform word (`whatsapp`) by its name (`WhatsApp`); unknown words as they are.
pub fn platform_named(p: &str) -> &str {
    match p.parse::<Platform>() {
        Ok(known) => platform(known),
        Err(_) => p,
    }
}

/// Colour for refusals and missing requirements.
pub const WARN: Color32 = Color32::from_rgb(200, 80, 70);
/// Colour for satisfied requirements.
pub const OK: Color32 = Color32::from_rgb(70, 150, 100);
/// Colour for secondary text.
pub const MUTED: Color32 = Color32::from_rgb(130, 135, 145);
/// Outlines words found in a screenshot: amber, seen on light and dark images alike.
pub const HIGHLIGHT: Color32 = Color32::from_rgb(255, 176, 0);

/// Applies the workstation's look to a context.
pub fn apply(ctx: &egui::Context) {
    ctx.all_styles_mut(|style| {
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(8.0, 4.0);
        style.interaction.selectable_labels = false;
    });
}
