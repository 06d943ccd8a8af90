//! Fonts bundled with the program, so every machine renders alike: Noto Sans for Latin
//! script and Noto Naskh Arabic for Urdu and other Arabic-script text.

use egui::{FontData, FontDefinitions, FontFamily};
use std::sync::Arc;

const SANS: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
const NASKH: &[u8] = include_bytes!("../../assets/fonts/NotoNaskhArabic-Regular.ttf");

/// The font set: Noto Sans first, egui's defaults (symbols, emoji) next, Naskh for Arabic script.
pub fn definitions() -> FontDefinitions {
    let mut fonts = FontDefinitions::default();
    fonts
        .font_data
        .insert("noto-sans".into(), Arc::new(FontData::from_static(SANS)));
    fonts
        .font_data
        .insert("noto-naskh".into(), Arc::new(FontData::from_static(NASKH)));
    if let Some(p) = fonts.families.get_mut(&FontFamily::Proportional) {
        p.insert(0, "noto-sans".into());
        p.push("noto-naskh".into());
        p.push("Hack".into()); // geometric shapes: ▲ ▼ ● ◆
    }
    if let Some(m) = fonts.families.get_mut(&FontFamily::Monospace) {
        m.push("noto-sans".into());
        m.push("noto-naskh".into());
    }
    fonts
}

/// Installs the bundled fonts.
pub fn install(ctx: &egui::Context) {
    ctx.set_fonts(definitions());
}
