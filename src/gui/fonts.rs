//! Fonts bundled with the program, so every machine renders alike: Noto Sans for Latin
//! script, Noto Naskh Arabic and Noto Nastaliq Urdu for Arabic-script text (SIL Open Font
//! License, `assets/fonts/OFL.txt`), egui's own icon fonts and Hack for symbols. No system
//! font is consulted.

use egui::{FontData, FontDefinitions, FontFamily, FontId};
use std::sync::Arc;

pub use crate::typeset::UrduFace;
use crate::typeset::{NASKH, NASTALIQ, SANS};

/// The family name of Naskh-first text.
pub const NASKH_FAMILY: &str = "naskh";
/// The family name of Nastaliq-first text.
pub const NASTALIQ_FAMILY: &str = "nastaliq";

/// The font set.
pub fn definitions() -> FontDefinitions {
    let mut fonts = FontDefinitions::default();
    for (name, bytes) in [
        ("noto-sans", SANS),
        ("noto-naskh", NASKH),
        ("noto-nastaliq", NASTALIQ),
    ] {
        fonts
            .font_data
            .insert(name.into(), Arc::new(FontData::from_static(bytes)));
    }
    let defaults = fonts
        .families
        .get(&FontFamily::Proportional)
        .cloned()
        .unwrap_or_default();
    let mut proportional = vec!["noto-sans".to_string()];
    proportional.extend(defaults.iter().cloned());
    proportional.push("noto-naskh".into());
    proportional.push("Hack".into()); // geometric shapes: ▲ ▼ ● ◆
    fonts
        .families
        .insert(FontFamily::Proportional, proportional.clone());
    if let Some(m) = fonts.families.get_mut(&FontFamily::Monospace) {
        m.push("noto-sans".into());
        m.push("noto-naskh".into());
    }
    for (family, first) in [
        (NASKH_FAMILY, "noto-naskh"),
        (NASTALIQ_FAMILY, "noto-nastaliq"),
    ] {
        let mut list = vec![first.to_string()];
        list.extend(proportional.iter().filter(|f| f.as_str() != first).cloned());
        fonts.families.insert(FontFamily::Name(family.into()), list);
    }
    fonts
}

/// Installs the bundled fonts.
pub fn install(ctx: &egui::Context) {
    ctx.set_fonts(definitions());
}

/// The font and line height for content in `language` (a tag such as `ur`, `ps`, `en`):
/// Urdu in the reviewer's chosen face, other Arabic-script languages in Naskh, the rest in
/// the interface font. Nastaliq's tall letters need more line height.
pub fn content_font(
    language: &str,
    text: &str,
    face: UrduFace,
    size: f32,
) -> (FontId, Option<f32>) {
    let lang = language.trim().to_ascii_lowercase();
    let urdu = lang == "ur" || lang.starts_with("ur-") || lang.starts_with("ur_");
    if urdu && face == UrduFace::Nastaliq {
        (
            FontId::new(size, FontFamily::Name(NASTALIQ_FAMILY.into())),
            Some(size * 2.3),
        )
    } else if urdu || crate::model::bidi::has_rtl(text) {
        (
            FontId::new(size, FontFamily::Name(NASKH_FAMILY.into())),
            Some(size * 1.7),
        )
    } else {
        (FontId::proportional(size), None)
    }
}
