//! Fuzzing the importers and evidence decoding as a property test: arbitrary and mutated
//! inputs never panic, always end in an answer (stored or refused with a message), and
//! never allocate more than the stated memory budget. Peak memory is measured by a
//! counting allocator, so this binary holds one test that runs the targets in turn.

mod common;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator, only counting the bytes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Runs `f`, returning the most memory it had allocated at once beyond what was live before.
fn peak_of(f: impl FnOnce()) -> usize {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    f();
    PEAK.load(Ordering::Relaxed).saturating_sub(base)
}

fn seeds() -> Vec<Vec<u8>> {
    let img = image::RgbImage::from_fn(120, 90, |x, y| {
        image::Rgb([x as u8, y as u8, (x ^ y) as u8])
    });
    let gif = image::RgbaImage::from_fn(40, 30, |x, y| {
        image::Rgba([x as u8 * 6, y as u8 * 8, 9, 255])
    });
    let mut out = Vec::new();
    for fmt in [
        image::ImageFormat::Png,
        image::ImageFormat::Jpeg,
        image::ImageFormat::WebP,
    ] {
        let mut b = Vec::new();
        img.write_to(&mut std::io::Cursor::new(&mut b), fmt)
            .unwrap();
        out.push(b);
    }
    let mut b = Vec::new();
    gif.write_to(&mut std::io::Cursor::new(&mut b), image::ImageFormat::Gif)
        .unwrap();
    out.push(b);
    out
}

/// A valid image with some bytes overwritten, a header field (sizes included) set to an
/// extreme, or its end cut off.
fn mutated(seeds: Vec<Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    (
        0..seeds.len(),
        proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..12),
        proptest::option::of(any::<prop::sample::Index>()),
        proptest::option::of((0usize..40, prop_oneof![Just(0xFFu8), Just(0x7F), Just(0)])),
    )
        .prop_map(move |(i, writes, cut, header)| {
            let mut b = seeds[i].clone();
            for (at, v) in writes {
                let n = b.len();
                b[at.index(n)] = v;
            }
            if let Some((at, v)) = header
                && at < b.len()
            {
                b[at] = v;
            }
            if let Some(cut) = cut {
                let n = b.len();
                b.truncate(cut.index(n).max(1));
            }
            b
        })
}

fn import_text() -> impl Strategy<Value = Vec<u8>> {
    let cell = prop_oneof![
        Just(String::new()),
        Just("telegram".to_string()),
        Just("channel".to_string()),
        Just("https://t.me/x?utm_source=a".to_string()),
        Just("2026-10-01T10:00:00Z".to_string()),
        Just("9999-12-31T00:00:00Z".to_string()),
        Just("../../etc/passwd".to_string()),
        Just("=SUM(A1)".to_string()),
        Just("\"quoted, with comma\"".to_string()),
        Just("ٹی ٹی پی".to_string()),
        "[ -~]{0,12}",
        any::<String>(),
    ];
    let line = proptest::collection::vec(cell, 0..13).prop_map(|c| c.join(","));
    let header = Just(
        "platform,kind,handle,display_name,url,text,language,followers,reported_at,source_ref,evidence".to_string(),
    );
    (
        header,
        proptest::collection::vec(line, 0..8),
        proptest::collection::vec(any::<u8>(), 0..64),
        any::<bool>(),
    )
        .prop_map(|(h, lines, junk, with_junk)| {
            let mut b = format!("{h}\n{}\n", lines.join("\n")).into_bytes();
            if with_junk {
                b.extend(junk);
            }
            b
        })
}

fn jsonl_text() -> impl Strategy<Value = Vec<u8>> {
    let value = prop_oneof![
        Just("\"telegram\"".to_string()),
        Just("\"https://t.me/x\"".to_string()),
        Just("\"2026-10-01T10:00:00Z\"".to_string()),
        Just("3".to_string()),
        Just("-1".to_string()),
        Just("null".to_string()),
        Just("[\"a.png\"]".to_string()),
        Just("{}".to_string()),
        any::<String>().prop_map(|s| serde_json::to_string(&s).unwrap()),
    ];
    let key = prop_oneof![
        Just("platform"),
        Just("kind"),
        Just("handle"),
        Just("url"),
        Just("reported_at"),
        Just("followers"),
        Just("priority"),
        Just("evidence"),
        Just("colour"),
    ];
    let obj = proptest::collection::vec((key, value), 0..9).prop_map(|kv| {
        let body: Vec<String> = kv.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
        format!("{{{}}}", body.join(","))
    });
    let line = prop_oneof![obj, "[ -~]{0,20}"];
    (
        any::<bool>(),
        proptest::collection::vec(line, 0..8),
        proptest::collection::vec(any::<u8>(), 0..16),
    )
        .prop_map(|(bom, lines, junk)| {
            let mut b = if bom {
                b"\xEF\xBB\xBF".to_vec()
            } else {
                Vec::new()
            };
            b.extend(lines.join("\n").into_bytes());
            b.extend(junk);
            b
        })
}

#[test]
fn importers_and_evidence_decoding_never_panic_and_stay_in_budget() {
    let budget = parakh::evidence::MEMORY_BUDGET_BYTES as usize;
    let config = Config {
        cases: 160,
        failure_persistence: None,
        ..Config::default()
    };

    let mut runner = TestRunner::new(config.clone());
    let worst = std::cell::Cell::new(0);
    runner
        .run(&mutated(seeds()), |bytes| {
            let peak = peak_of(|| {
                let _ = parakh::evidence::inspect("fuzz", bytes.clone());
            });
            worst.set(worst.get().max(peak));
            prop_assert!(peak < budget, "decoding took {peak} bytes");
            Ok(())
        })
        .unwrap();
    eprintln!("evidence: worst peak {} KB", worst.get() / 1024);

    let d = common::desk();
    d.file("a.png", &common::png(20, 20, 1));
    let admin = d.admin.clone();
    let d = std::cell::RefCell::new(d);
    let (stored, refused) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    for (name, strategy) in [
        ("fuzz.csv", import_text().boxed()),
        ("fuzz.jsonl", jsonl_text().boxed()),
    ] {
        let mut runner = TestRunner::new(config.clone());
        runner
            .run(&strategy, |bytes| {
                let d = &mut *d.borrow_mut();
                let path = d.file(name, &bytes);
                let before = parakh::queue::list(&mut d.ws, Default::default(), None)
                    .unwrap()
                    .len();
                let mut answer = None;
                let peak = peak_of(|| {
                    answer = Some(parakh::import::import_file(&mut d.ws, Some(&admin), &path))
                });
                prop_assert!(peak < budget, "importing took {peak} bytes");
                let after = parakh::queue::list(&mut d.ws, Default::default(), None)
                    .unwrap()
                    .len();
                match answer.unwrap() {
                    Ok(r) => {
                        stored.set(stored.get() + 1);
                        prop_assert_eq!(after, before + r.imported)
                    }
                    Err(e) => {
                        refused.set(refused.get() + 1);
                        prop_assert_eq!(after, before, "a refused import stored nothing");
                        prop_assert!(!e.to_string().is_empty());
                    }
                }
                Ok(())
            })
            .unwrap();
    }
    eprintln!(
        "imports: {} stored, {} refused",
        stored.get(),
        refused.get()
    );
    assert!(
        stored.get() > 0 && refused.get() > 0,
        "the inputs reach both answers"
    );
    let v = parakh::audit::verify(&mut d.borrow_mut().ws).unwrap();
    assert!(v.problems.is_empty(), "{:?}", v.problems);
}
