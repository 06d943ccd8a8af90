//! Reading screenshot text (OCR): the character error rate and the time per screenshot of
//! every model combination and image preparation, on screenshots drawn here (Urdu in Naskh
//! and in Nastaliq, English, mixed lines, and post cards like the demo's), and then the
//! time of the chosen combination under criterion.
//!
//!   cargo bench --bench ocr
//!
//! The character error rate is the edit distance between what was drawn and what was read
//! (spaces collapsed), over the length of what was drawn. On post cards only the words the
//! engine placed inside the post's body count, against the body's text.

use criterion::{Criterion, criterion_group};
use image::{Rgb, RgbImage};
use parakh::demo::content::{TEXT_EN, TEXT_UR};
use parakh::demo::{CardSpec, card};
use parakh::model::Platform;
use parakh::model::ocr::text_of;
use parakh::ocr::{self, Preparation, Tesseract};
use parakh::typeset::{self, Typesetter, UrduFace};
use std::time::Instant;

/// A screenshot of plain text: lines on white, each set in its own direction.
fn text_shot(lines: &[String], face: UrduFace) -> RgbImage {
    let mut img = RgbImage::from_pixel(720, 60 + 70 * lines.len() as u32, Rgb([255, 255, 255]));
    let mut t = Typesetter::new();
    let mut y = 24;
    for line in lines {
        let layout = t.paragraph(line, face, 20.0, 660.0, false);
        typeset::draw(&mut img, &layout, 30, y, Rgb([25, 25, 30]));
        y += layout.height().ceil() as u32 + 12;
    }
    img
}

fn clean(s: &str) -> String {
    let s = s.replace("[synthetic demo] ", "");
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct Shot {
    category: &'static str,
    png: Vec<u8>,
    truth: String,
    /// On a post card, only words inside this box (x0, y0, x1, y1) are compared.
    body: Option<(u32, u32, u32, u32)>,
}

fn png_of(img: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn shots() -> Vec<Shot> {
    let mut out = Vec::new();
    let ur: Vec<String> = TEXT_UR.iter().map(|t| clean(t)).collect();
    let en: Vec<String> = TEXT_EN.iter().map(|t| clean(t)).collect();
    for k in 0..3 {
        let urdu = vec![ur[2 * k].clone(), ur[2 * k + 1].clone()];
        for (category, face) in [
            ("Urdu, Naskh", UrduFace::Naskh),
            ("Urdu, Nastaliq", UrduFace::Nastaliq),
        ] {
            out.push(Shot {
                category,
                png: png_of(&text_shot(&urdu, face)),
                truth: urdu.join("\n"),
                body: None,
            });
        }
        let english = vec![en[2 * k].clone(), en[2 * k + 1].clone()];
        out.push(Shot {
            category: "English",
            png: png_of(&text_shot(&english, UrduFace::Naskh)),
            truth: english.join("\n"),
            body: None,
        });
        let mixed = vec![
            ur[k].clone(),
            en[k + 3].clone(),
            format!("@kafila_news{k} t.me/kafila{k} 0312-98765{k}3"),
        ];
        out.push(Shot {
            category: "Mixed lines, Naskh",
            png: png_of(&text_shot(&mixed, UrduFace::Naskh)),
            truth: mixed.join("\n"),
            body: None,
        });
        let line = if k == 1 {
            en[k].clone()
        } else {
            ur[k + 3].clone()
        };
        let lines = [line.as_str()];
        let img = card(&CardSpec {
            platform: Platform::Telegram,
            handle: "kafila_news",
            name: "Kafila News",
            lines: &lines,
            face: UrduFace::Nastaliq,
            picture: true,
            seed: k as u64 + 11,
        });
        out.push(Shot {
            category: "Post card (demo, Nastaliq)",
            png: png_of(&img),
            truth: line,
            body: Some((30, 140, 690, 300)),
        });
    }
    out
}

fn distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut row = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            row[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(row[j] + 1);
        }
        prev = row;
    }
    prev[b.len()]
}

/// (character error rate, seconds) of one shot read one way.
fn measure(engine: &Tesseract, models: &str, prep: Preparation, shot: &Shot) -> (f64, f64) {
    let started = Instant::now();
    let r = ocr::read_image(engine, models, prep, "shot", &shot.png);
    let secs = started.elapsed().as_secs_f64();
    let words: Vec<_> = match shot.body {
        None => r.words.clone(),
        Some((x0, y0, x1, y1)) => r
            .words
            .iter()
            .filter(|w| w.x >= x0 && w.y >= y0 && w.x + w.w <= x1 && w.y + w.h <= y1)
            .cloned()
            .collect(),
    };
    let read: Vec<char> = clean(&text_of(&words)).chars().collect();
    let truth: Vec<char> = clean(&shot.truth).chars().collect();
    (distance(&truth, &read) as f64 / truth.len() as f64, secs)
}

fn table(engine: &Tesseract, shots: &[Shot]) {
    let combos = ["urd", "urd+eng", "eng+urd", "Arabic+eng", "urd+Arabic+eng"];
    let preps = [
        Preparation {
            scale: 1,
            threshold: false,
        },
        Preparation {
            scale: 2,
            threshold: false,
        },
        Preparation {
            scale: 2,
            threshold: true,
        },
        Preparation {
            scale: 3,
            threshold: false,
        },
    ];
    let mut categories: Vec<&str> = shots.iter().map(|s| s.category).collect();
    categories.dedup();
    let mut seen = Vec::new();
    for c in categories {
        if !seen.contains(&c) {
            seen.push(c);
        }
    }
    println!(
        "\n{} on {} screenshots ({} per category); CER % (seconds per screenshot)",
        engine.version,
        shots.len(),
        shots.len() / seen.len()
    );
    print!("{:<16} {:<18}", "models", "preparation");
    for c in &seen {
        print!(" | {c:<26}");
    }
    println!(" | all");
    for models in combos {
        for prep in preps {
            print!("{models:<16} {:<18}", prep.describe(prep.scale));
            let results: Vec<(f64, f64)> =
                parakh::parallel::map(shots, |s| measure(engine, models, prep, s));
            let (mut all_cer, mut all_t) = (0.0, 0.0);
            for c in &seen {
                let mine: Vec<&(f64, f64)> = shots
                    .iter()
                    .zip(&results)
                    .filter(|(s, _)| s.category == *c)
                    .map(|(_, r)| r)
                    .collect();
                let n = mine.len() as f64;
                let cer = mine.iter().map(|r| r.0).sum::<f64>() / n;
                let t = mine.iter().map(|r| r.1).sum::<f64>() / n;
                all_cer += cer;
                all_t += t;
                print!(" | {:>5.1} ({:>4.2} s){:<13}", cer * 100.0, t, "");
            }
            let k = seen.len() as f64;
            println!(" | {:>5.1} ({:.2} s)", all_cer / k * 100.0, all_t / k);
        }
    }
}

fn bench(c: &mut Criterion) {
    let engine = Tesseract::find().expect("Tesseract is installed");
    let shots = shots();
    if let Some(dir) = std::env::var_os("PARAKH_OCR_DUMP") {
        // The screenshots and what was drawn on them, to look at.
        for (i, s) in shots.iter().enumerate() {
            let dir = std::path::Path::new(&dir);
            std::fs::write(dir.join(format!("{i:02}.png")), &s.png).unwrap();
            std::fs::write(dir.join(format!("{i:02}.txt")), &s.truth).unwrap();
        }
    }
    if std::env::var_os("PARAKH_OCR_TABLE").is_none_or(|v| v != "0") {
        table(&engine, &shots);
    }
    let mut group = c.benchmark_group("ocr");
    group.sample_size(10);
    for category in ["Urdu, Naskh", "English", "Post card (demo, Nastaliq)"] {
        let shot = shots.iter().find(|s| s.category == category).unwrap();
        group.bench_function(
            format!("read one screenshot: {category}, {}", engine.models),
            |b| b.iter(|| ocr::read_image(&engine, &engine.models, ocr::CHOSEN, "shot", &shot.png)),
        );
    }
    group.finish();
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
