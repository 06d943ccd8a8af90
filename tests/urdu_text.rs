//! Urdu and mixed lines rendered with the workstation's text widget in both faces,
//! compared with reviewed images under tests/snapshots (regenerate with UPDATE_SNAPSHOTS=1
//! and look at them before committing).

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use parakh::gui::bidi_label::BidiLabel;
use parakh::gui::fonts::{self, UrduFace};

const LINES: &[&str] = &[
    "ہمارا چینل جوائن کریں — سال 2026 میں 15 نئے اکاؤنٹس",
    "چینل @ttp_media جوائن کریں، لنک https://t.me/sada_e_haq پر",
    "رابطہ 0300-1234567 پر کریں (صرف شام 7:30 کے بعد)",
    "Join صدائے حق today for the 2026 schedule",
    "یہ ایک مصنوعی نمونہ پوسٹ ہے۔ روزانہ خبروں کے لیے ہمارا چینل جوائن کریں اور یہ پیغام سب کے ساتھ شیئر کریں۔ مزید معلومات بائیو میں دیے گئے لنک پر ہیں۔",
];

fn render(face: UrduFace) -> Harness<'static> {
    Harness::builder()
        .with_size(egui::vec2(560.0, 560.0))
        .wgpu()
        .with_context_setup(fonts::install)
        .build_ui(move |ui| {
            egui::CentralPanel::default().show(ui, |ui| {
                ui.heading(format!("{face:?}"));
                for line in LINES {
                    let (font, height) = fonts::content_font("ur", line, face, 20.0);
                    ui.add(BidiLabel::new(line).font(font).line_height(height));
                    ui.separator();
                }
            });
        })
}

#[test]
fn urdu_lines_in_naskh() {
    let mut h = render(UrduFace::Naskh);
    h.run();
    // The accessible text is the logical text, as typed.
    assert!(h.query_by_label(LINES[1]).is_some());
    h.snapshot("urdu_naskh");
}

#[test]
fn urdu_lines_in_nastaliq() {
    let mut h = render(UrduFace::Nastaliq);
    h.run();
    h.snapshot("urdu_nastaliq");
}

/// The width of `text` as one line of the text widget, in `face`.
fn line_width(text: &'static str, face: UrduFace) -> f32 {
    let mut h = Harness::builder()
        .with_size(egui::vec2(900.0, 200.0))
        .with_context_setup(fonts::install)
        .build_ui(move |ui| {
            let (font, height) = fonts::content_font("ur", text, face, 20.0);
            ui.add(
                BidiLabel::new(text)
                    .font(font)
                    .line_height(height)
                    .single_line(),
            );
        });
    h.run();
    h.get_by_label(text).rect().width()
}

#[test]
fn the_space_before_a_number_or_a_latin_word_keeps_its_width() {
    // In Nastaliq the gap before "0300-…" all but vanished: the space took the Urdu face's
    // narrow space glyph (2.6 points at 20, against 5.2 in the interface face). The line's
    // width less its two parts' is the gap between them.
    for face in [UrduFace::Nastaliq, UrduFace::Naskh] {
        for (line, urdu, latin) in [
            ("رابطہ کریں 0300-1234567", "رابطہ کریں", "0300-1234567"),
            ("چینل جوائن کریں today", "چینل جوائن کریں", "today"),
        ] {
            let gap = line_width(line, face) - line_width(urdu, face) - line_width(latin, face);
            assert!(gap >= 4.5, "{face:?}: the space in {line:?} is {gap} wide");
        }
    }
}
