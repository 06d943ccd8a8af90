//! Mirror and known-content benchmarks: PDQ hashing of the reference images (compare with
//! `python3 tests/benches/pdq_reference.py`, which times the reference implementation on
//! the same images), mirror search for one new item against 100,000 and 1,000,000
//! taken-down accounts, and image search in a million hashes by brute force and by
//! multi-index hashing. Run with `cargo bench --bench mirrors`.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use parakh::demo::handles::{Disguise, disguise, invented_handle, invented_name};
use parakh::mirrors::{Pool, Subject, rank};
use parakh::model::TakenDown;
use parakh::model::text::handle_key;
use parakh::pdq::{self, MATCH_DISTANCE, PdqHash};
use parakh::pdq_index::{HashIndex, Strategy};
use rand::{Rng, SeedableRng, rngs::StdRng};
use std::path::PathBuf;
use std::time::Duration;

fn random_hash(rng: &mut StdRng) -> PdqHash {
    PdqHash(std::array::from_fn(|_| rng.random()))
}

fn near(rng: &mut StdRng, h: &PdqHash, bits: usize) -> PdqHash {
    let mut out = *h;
    for _ in 0..bits {
        let k = rng.random_range(0..256);
        out.0[k / 16] ^= 1 << (k % 16);
    }
    out
}

/// `n` invented taken-down accounts: a handle, a name, a bio with a link (and for every
/// fifth a phone number), one avatar hash.
fn accounts(n: usize, rng: &mut StdRng) -> Vec<TakenDown> {
    (0..n)
        .map(|i| {
            let handle = invented_handle(rng);
            let phone = if i % 5 == 0 {
                format!(" call 0300-{:07}", rng.random_range(0..10_000_000))
            } else {
                String::new()
            };
            TakenDown {
                id: i as i64 + 1,
                platform: "telegram".into(),
                handle_key: handle_key(&handle),
                text: format!("updates at t.me/{handle}{phone}"),
                handle,
                display_name: invented_name(rng),
                image_text: String::new(),
                hashes: vec![random_hash(rng)],
            }
        })
        .collect()
}

/// A new item copying account `of`: its handle with homoglyphs and digits, its name, its
/// avatar re-encoded (12 bits off), in all eight orientations as stored for evidence.
fn mirror_of(of: &TakenDown, rng: &mut StdRng) -> (String, String, Vec<Vec<PdqHash>>) {
    let handle = disguise(&of.handle, Disguise::Combined, rng);
    let avatar = near(rng, &of.hashes[0], 12);
    let mut orientations = vec![avatar];
    orientations.extend((0..7).map(|_| random_hash(rng)));
    (handle, of.display_name.clone(), vec![orientations])
}

fn mirror_search(c: &mut Criterion) {
    let mut group = c.benchmark_group("mirrors");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    for n in [100_000, 1_000_000] {
        let mut rng = StdRng::seed_from_u64(n as u64);
        let pool_accounts = accounts(n, &mut rng);
        let of = pool_accounts[n / 2].clone();
        let (handle, name, hashes) = mirror_of(&of, &mut rng);
        let pool = Pool::new(pool_accounts);
        let subject = Subject {
            id: 0,
            handle: &handle,
            display_name: &name,
            text: "",
            image_text: "",
            hashes: &hashes,
        };
        let found = rank(&subject, &pool);
        assert_eq!(
            found.first().map(|c| c.item),
            Some(of.id),
            "the copied account ranks first"
        );
        group.bench_function(
            format!("search one item among {n} taken-down accounts"),
            |b| b.iter(|| rank(&subject, &pool)),
        );
        if n == 100_000 {
            let mut rng = StdRng::seed_from_u64(1);
            group.bench_function(format!("index {n} taken-down accounts"), |b| {
                b.iter_batched(|| accounts(n, &mut rng), Pool::new, BatchSize::PerIteration)
            });
        }
    }
    group.finish();
}

fn image_search(c: &mut Criterion) {
    let mut group = c.benchmark_group("images");
    group.sample_size(20);
    let n = 1_000_000;
    let mut rng = StdRng::seed_from_u64(3);
    let hashes: Vec<PdqHash> = (0..n).map(|_| random_hash(&mut rng)).collect();
    let query: Vec<PdqHash> = (0..8)
        .map(|i| near(&mut rng, &hashes[i * 1000], 20))
        .collect();
    for strategy in [Strategy::BruteForce, Strategy::MultiIndex] {
        let index = HashIndex::with_strategy(hashes.iter().map(|h| (*h, ())), strategy);
        assert_eq!(index.within_any(&query, MATCH_DISTANCE).len(), 8);
        group.bench_function(format!("8 orientations in {n} hashes, {strategy:?}"), |b| {
            b.iter(|| index.within_any(&query, MATCH_DISTANCE))
        });
    }
    group.finish();
}

fn pdq_hashing(c: &mut Criterion) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/pdq-vectors/images");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("../shared/pdq-vectors/images beside the project")
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    // Decoded once, to RGB as the reference is given it: the figures are hashing alone.
    let images: Vec<image::DynamicImage> = files
        .iter()
        .map(|f| image::DynamicImage::ImageRgb8(image::open(f).unwrap().to_rgb8()))
        .collect();
    let big = images
        .iter()
        .position(|i| i.width() == 1600 && i.height() == 1004)
        .expect("the 1600×1004 bridge original");
    let mut group = c.benchmark_group("pdq");
    group.bench_function(format!("hash all {} reference images", images.len()), |b| {
        b.iter(|| images.iter().map(pdq::hash_image).count())
    });
    group.bench_function("hash one 1600×1004 image", |b| {
        b.iter(|| pdq::hash_image(&images[big]))
    });
    group.bench_function("eight dihedral hashes of one 1600×1004 image", |b| {
        b.iter(|| pdq::dihedral_image(&images[big]))
    });
    group.finish();
}

criterion_group!(benches, pdq_hashing, image_search, mirror_search);
criterion_main!(benches);
