//! The trail's cost: signing and verifying one act, unwrapping a key at sign-in, `audit
//! verify` on a 100,000-item store with signed decisions, and checkpoint roots and
//! consistency proofs at 1,000,000 events. Run with `cargo bench --bench trail`.

use criterion::{Criterion, criterion_group, criterion_main};
use parakh::import::{RawRow, import_rows};
use parakh::model::merkle;
use parakh::model::signing::Act;
use parakh::model::{Outcome, Role};
use parakh::{Workspace, audit, auth, evidence, keys, review};
use std::time::Duration;

const PW: &str = "bench-password";
const ITEMS: usize = 100_000;
const DECISIONS: usize = 2_000;

fn act<'a>(signer: &'a keys::Signer) -> Act<'a> {
    Act {
        act: "approve",
        subject: "6f1c0f3c1b2e4d8a9b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a",
        signer: &signer.name,
        key: &signer.fingerprint,
        at: parakh::clock::parse_ts("2026-11-01T09:30:00.000Z").unwrap(),
        head_seq: 41_222,
        head_hash: "00aa11bb22cc33dd44ee55ff66007711882299aa33bb44cc55dd66ee77ff8899",
    }
}

/// A store of `ITEMS` items with `DECISIONS` signed, approved takedowns.
fn signed_store(dir: &std::path::Path) -> Workspace {
    let path = dir.join("trail.db");
    let (mut ws, _) = Workspace::init(&path).unwrap();
    auth::add_user(&mut ws, None, "admin", Role::Admin, PW).unwrap();
    let admin = auth::login(&mut ws, "admin", PW).unwrap();
    for (n, r) in [("rev", Role::Reviewer), ("lead", Role::Lead)] {
        auth::add_user(&mut ws, Some(&admin), n, r, PW).unwrap();
    }
    let rev = auth::login(&mut ws, "rev", PW).unwrap();
    let lead = auth::login(&mut ws, "lead", PW).unwrap();
    let rows: Vec<(usize, RawRow)> = (0..ITEMS)
        .map(|i| {
            let row = RawRow {
                platform: "telegram".into(),
                kind: "channel".into(),
                handle: format!("bench_{i}"),
                url: format!("https://t.me/bench_{i}"),
                text: "synthetic benchmark text".into(),
                reported_at: "2026-10-01T10:00:00Z".into(),
                ..Default::default()
            };
            (i + 2, row)
        })
        .collect();
    import_rows(
        &mut ws,
        Some(&admin),
        "bench",
        "00",
        rows,
        vec![],
        std::path::Path::new(""),
    )
    .unwrap();
    let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 3, y as u8 * 5, 90]));
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let shot = dir.join("shot.png");
    std::fs::write(&shot, png).unwrap();
    let ground = parakh::taxonomy::current(&mut ws).unwrap().2[0].id.clone();
    for item in 1..=DECISIONS as i64 {
        review::claim(&mut ws, &rev, item).unwrap();
        evidence::attach(&mut ws, &rev, item, std::slice::from_ref(&shot)).unwrap();
        review::tag(
            &mut ws,
            &rev,
            item,
            &[],
            std::slice::from_ref(&ground),
            &[],
            &[],
        )
        .unwrap();
        review::propose(
            &mut ws,
            &rev,
            item,
            Outcome::Takedown,
            "logo and a call to join",
        )
        .unwrap();
        review::approve(&mut ws, &lead, item, None).unwrap();
    }
    assert!(audit::verify(&mut ws).unwrap().ok());
    ws
}

fn benches(c: &mut Criterion) {
    let signer = keys::generate("lead");
    let a = act(&signer);
    let message = a.message();
    let sig = signer.sign_message(&message);
    let public = keys::public_key(&signer.public()).unwrap();
    c.bench_function("sign one act", |b| b.iter(|| signer.sign_message(&message)));
    c.bench_function("verify one act (verify_strict)", |b| {
        b.iter(|| assert!(keys::verify(&public, &a, &sig)))
    });
    let row = keys::wrap(&signer, 1, PW).unwrap();
    let mut slow = c.benchmark_group("keys");
    slow.sample_size(10)
        .measurement_time(Duration::from_secs(10));
    slow.bench_function(
        "unwrap a signing key at sign-in (Argon2id 64 MiB, 3 passes)",
        |b| b.iter(|| keys::unwrap(&row, "lead", PW).unwrap()),
    );
    slow.finish();

    let leaves: Vec<merkle::Hash> = (0..1_000_000u32)
        .map(|i| merkle::leaf_hash(&i.to_le_bytes()))
        .collect();
    let mut tree = c.benchmark_group("checkpoints at 1,000,000 events");
    tree.sample_size(10)
        .measurement_time(Duration::from_secs(20));
    tree.bench_function("Merkle root of 1,000,000 leaf hashes", |b| {
        b.iter(|| merkle::root(&leaves))
    });
    let m = 700_001;
    let proof = merkle::consistency_proof(&leaves, m);
    let (old, new) = (merkle::root(&leaves[..m]), merkle::root(&leaves));
    tree.bench_function("consistency proof from 700,001 to 1,000,000 events", |b| {
        b.iter(|| merkle::consistency_proof(&leaves, m))
    });
    tree.bench_function("verifying that proof", |b| {
        b.iter(|| {
            assert!(merkle::verify_consistency(
                m,
                leaves.len(),
                &old,
                &new,
                &proof
            ))
        })
    });
    tree.finish();

    let dir = tempfile::tempdir().unwrap();
    let mut ws = signed_store(dir.path());
    let mut verify = c.benchmark_group("audit verify");
    verify
        .sample_size(10)
        .measurement_time(Duration::from_secs(30));
    verify.bench_function("audit verify, 100,000 items, 2,000 signed takedowns", |b| {
        b.iter(|| assert!(audit::verify(&mut ws).unwrap().ok()))
    });
    verify.finish();
}

criterion_group!(trail, benches);
criterion_main!(trail);
