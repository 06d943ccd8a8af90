//! Evaluation of mirror search on invented handles: recall on disguised copies of
//! taken-down handles, and false matches among unrelated handles. The README's figures come
//! from this test (`cargo test --release --test mirror_evaluation -- --nocapture` prints
//! them); the assertions hold the figures so a change to the key or the weights that loses
//! recall or adds false matches fails here.

use parakh::demo::handles::{Disguise, disguise, invented_handle, invented_name};
use parakh::mirrors::{Pool, Subject, rank};
use parakh::model::TakenDown;
use parakh::model::text::handle_key;
use rand::{SeedableRng, rngs::StdRng};
use std::collections::HashSet;

const BASE: usize = 1000;
const UNRELATED: usize = 10_000;

struct Setup {
    base: Vec<TakenDown>,
    pool: Pool,
    rng: StdRng,
}

fn setup() -> Setup {
    let mut rng = StdRng::seed_from_u64(2026);
    let mut keys = HashSet::new();
    let mut base = Vec::new();
    while base.len() < BASE {
        let handle = invented_handle(&mut rng);
        if !keys.insert(handle_key(&handle)) {
            continue;
        }
        base.push(TakenDown {
            id: base.len() as i64 + 1,
            platform: "x".into(),
            handle_key: handle_key(&handle),
            handle,
            display_name: invented_name(&mut rng),
            text: String::new(),
            image_text: String::new(),
            hashes: Vec::new(),
        });
    }
    let pool = Pool::new(base.clone());
    Setup { base, pool, rng }
}

fn found(pool: &Pool, handle: &str, name: &str) -> Vec<i64> {
    let subject = Subject {
        id: 0,
        handle,
        display_name: name,
        text: "",
        image_text: "",
        hashes: &[],
    };
    rank(&subject, pool).into_iter().map(|c| c.item).collect()
}

#[derive(Default)]
struct Tally {
    tried: usize,
    found: usize,
    first: usize,
}

impl Tally {
    fn rate(n: usize, of: usize) -> f64 {
        100.0 * n as f64 / of as f64
    }
}

#[test]
fn recall_on_disguised_handles_and_false_matches_among_unrelated_ones() {
    let Setup {
        base,
        pool,
        mut rng,
    } = setup();
    println!("\n{BASE} invented taken-down handles; one disguised copy of each per disguise\n");
    println!(
        "| disguise | handle only: found | ranked first | with the same display name: found |"
    );
    println!("|---|---|---|---|");
    let mut all = (Tally::default(), Tally::default());
    let mut misses = Vec::new();
    for how in Disguise::ALL {
        let (mut alone, mut named) = (Tally::default(), Tally::default());
        for t in &base {
            let variant = disguise(&t.handle, how, &mut rng);
            let got = found(&pool, &variant, "");
            alone.tried += 1;
            alone.found += got.contains(&t.id) as usize;
            if !got.contains(&t.id) && misses.len() < 12 {
                misses.push(format!("{} → {variant}", t.handle));
            }
            alone.first += (got.first() == Some(&t.id)) as usize;
            let got = found(&pool, &variant, &t.display_name);
            named.tried += 1;
            named.found += got.contains(&t.id) as usize;
            named.first += (got.first() == Some(&t.id)) as usize;
        }
        println!(
            "| {} | {:.1} % | {:.1} % | {:.1} % |",
            how.label(),
            Tally::rate(alone.found, alone.tried),
            Tally::rate(alone.first, alone.tried),
            Tally::rate(named.found, named.tried),
        );
        let floor = match how {
            // The key folds these back to the original's key.
            Disguise::Homoglyph | Disguise::Separators | Disguise::Digits | Disguise::Repeat => {
                99.0
            }
            // A digit in last place is dropped as a trailing digit, so the key can lose a
            // letter; Jaro–Winkler on the keys still catches most.
            Disguise::Leetspeak => 99.0,
            // A swap near the start of a short key moves most of its trigrams and the
            // Jaro–Winkler prefix: the misses are there.
            Disguise::Transposition => 97.0,
            Disguise::Combined => 98.0,
        };
        assert!(
            Tally::rate(alone.found, alone.tried) >= floor,
            "{how:?}: recall {} of {}",
            alone.found,
            alone.tried
        );
        assert!(
            named.found >= alone.found,
            "{how:?}: the same name never hurts"
        );
        all.0.tried += alone.tried;
        all.0.found += alone.found;
        all.1.tried += named.tried;
        all.1.found += named.found;
    }
    println!(
        "| all | {:.1} % | | {:.1} % |",
        Tally::rate(all.0.found, all.0.tried),
        Tally::rate(all.1.found, all.1.tried)
    );

    println!("\nmissed, e.g.: {misses:?}");
    let keys: HashSet<&str> = base.iter().map(|t| t.handle_key.as_str()).collect();
    let (mut tried, mut flagged, mut candidates) = (0, 0, 0);
    let mut examples = Vec::new();
    while tried < UNRELATED {
        let handle = invented_handle(&mut rng);
        if keys.contains(handle_key(&handle).as_str()) {
            continue;
        }
        tried += 1;
        let got = found(&pool, &handle, &invented_name(&mut rng));
        if !got.is_empty() {
            flagged += 1;
            candidates += got.len();
            if examples.len() < 5 {
                let t = &base[got[0] as usize - 1];
                examples.push(format!("{handle} ~ {}", t.handle));
            }
        }
    }
    println!(
        "\n{UNRELATED} unrelated invented handles (with invented names): {flagged} ({:.2} %) drew at least one candidate, {candidates} candidates in all; e.g. {examples:?}",
        Tally::rate(flagged, tried)
    );
    assert!(
        Tally::rate(flagged, tried) <= 0.5,
        "false matches: {flagged} of {tried}"
    );
}
