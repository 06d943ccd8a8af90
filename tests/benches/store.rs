//! Store benchmarks: importing 100,000 rows, and the queue's full-text search on a
//! 100,000-item store. Run with `cargo bench --bench store`.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use parakh::model::QueueFilter;
use parakh::model::Role;
use parakh::{Workspace, auth, import, queue};
use std::path::{Path, PathBuf};
use std::time::Duration;

const ROWS: usize = 100_000;
const PW: &str = "bench-password";

/// Writes a CSV of `n` synthetic rows (no evidence) and returns its path.
fn csv(dir: &Path, n: usize) -> PathBuf {
    let path = dir.join("items.csv");
    let mut w = csv::Writer::from_path(&path).unwrap();
    w.write_record([
        "platform",
        "kind",
        "handle",
        "display_name",
        "url",
        "text",
        "language",
        "followers",
        "reported_at",
        "source_ref",
    ])
    .unwrap();
    let stems = parakh::demo::content::STEMS;
    let texts = [
        parakh::demo::content::TEXT_EN,
        parakh::demo::content::TEXT_UR,
    ]
    .concat();
    let platforms = [
        "facebook",
        "instagram",
        "whatsapp",
        "x",
        "telegram",
        "tiktok",
        "youtube",
    ];
    for i in 0..n {
        let handle = format!("{}_{i}", stems[i % stems.len()]);
        let platform = platforms[i % platforms.len()];
        w.write_record([
            platform,
            "account",
            &handle,
            parakh::demo::content::NAMES_UR[i % parakh::demo::content::NAMES_UR.len()],
            &format!("https://{platform}.example/{handle}"),
            texts[i % texts.len()],
            "ur",
            &(i * 7 % 100_000).to_string(),
            &format!(
                "2026-{:02}-{:02}T{:02}:00:00Z",
                // January to October: imports refuse reports from the future.
                1 + i % 10,
                1 + i % 28,
                i % 24
            ),
            &format!("CTD-{i}"),
        ])
        .unwrap();
    }
    w.flush().unwrap();
    path
}

fn staffed_store(path: &Path) -> (Workspace, parakh::Session) {
    let (mut ws, _) = Workspace::init(path).unwrap();
    auth::add_user(&mut ws, None, "admin", Role::Admin, PW).unwrap();
    let s = auth::login(&mut ws, "admin", PW).unwrap();
    (ws, s)
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let file = csv(dir.path(), ROWS);

    let mut g = c.benchmark_group("import");
    g.sample_size(10).measurement_time(Duration::from_secs(40));
    let mut n = 0;
    g.bench_function("csv_100k_rows", |b| {
        b.iter_batched(
            || {
                n += 1;
                staffed_store(&dir.path().join(format!("import-{n}.db")))
            },
            |(mut ws, s)| {
                let r = import::import_file(&mut ws, Some(&s), &file).unwrap();
                assert_eq!(r.imported, ROWS);
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();

    let (mut ws, s) = staffed_store(&dir.path().join("search.db"));
    import::import_file(&mut ws, Some(&s), &file).unwrap();
    let mut g = c.benchmark_group("queue_search_100k");
    let first_page = |limit| QueueFilter {
        limit: Some(limit),
        ..Default::default()
    };
    g.bench_function("common_word_first_200", |b| {
        b.iter(|| queue::list(&mut ws, first_page(200), Some("channel")).unwrap())
    });
    g.bench_function("handle_prefix_all_matches", |b| {
        b.iter(|| queue::list(&mut ws, QueueFilter::default(), Some("paigham_12")).unwrap())
    });
    g.bench_function("urdu_word_first_200", |b| {
        b.iter(|| queue::list(&mut ws, first_page(200), Some("اجتماع")).unwrap())
    });
    g.bench_function("no_search_first_200", |b| {
        b.iter(|| queue::list(&mut ws, first_page(200), None).unwrap())
    });
    g.finish();
}

criterion_group!(store, benches);
criterion_main!(store);
