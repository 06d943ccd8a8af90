//! Many desks on one store: claims and approvals per second with 1, 8 and 32 desks at
//! once, each desk its own workspace (its own connection) signed in as its own person, on a
//! team server (PostgreSQL) and on a desk's file (SQLite); and the reads of "next item".
//! Run with `cargo bench --bench team`.
//!
//! The server is the one `PARAKH_TEST_SERVER` names (a superuser's URL, as `.ci/postgres`
//! prints it), or else a cluster this benchmark starts with `.ci/postgres start
//! /tmp/parakh-bench-pg` and stops at the end. The benchmark makes a database of its own
//! there, and people whose logins carry a random prefix (logins belong to the whole
//! cluster); it drops both at the end.

use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use parakh::import::{RawRow, import_rows};
use parakh::model::QueueFilter;
use parakh::model::{Outcome, Role, Status};
use parakh::{Session, Workspace, auth, evidence, queue, review, server};
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Barrier, Mutex};
use std::time::{Duration, Instant};

const PW: &str = "bench-password";
/// How many desks work at once.
const DESKS: [usize; 3] = [1, 8, 32];
const MOST_DESKS: usize = 32;
/// Claims (each followed by its release) one desk makes in one iteration.
const CLAIMS_PER_DESK: usize = 8;
/// Approvals one desk makes in one iteration.
const APPROVALS_PER_DESK: usize = 4;
/// Reviewers' desks that make the proposals the leads approve (outside the timing).
const PROPOSERS: usize = 4;
/// Items imported at the start (the queue the "next item" reads walk).
const ITEMS: usize = 10_000;
/// A signing key stays unwrapped this long: the benchmark signs in once per desk.
const KEY_HOLD: Duration = Duration::from_secs(24 * 3600);

/// The cluster this benchmark started, stopped when dropped.
struct Cluster(PathBuf);

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".ci/postgres")
}

impl Drop for Cluster {
    fn drop(&mut self) {
        match Command::new(script()).arg("stop").arg(&self.0).output() {
            Ok(o) if o.status.success() => {}
            Ok(o) => eprintln!(
                "team bench: stopping the cluster in {} failed: {}",
                self.0.display(),
                String::from_utf8_lossy(&o.stderr)
            ),
            Err(e) => eprintln!("team bench: cannot run .ci/postgres stop: {e}"),
        }
    }
}

/// The superuser's URL, and the cluster if this benchmark started it.
fn server_url() -> (String, Option<Cluster>) {
    if let Ok(url) = std::env::var("PARAKH_TEST_SERVER") {
        return (url, None);
    }
    let dir = PathBuf::from("/tmp/parakh-bench-pg");
    let out = Command::new(script())
        .arg("start")
        .arg(&dir)
        .output()
        .expect("run .ci/postgres");
    assert!(
        out.status.success(),
        "no PostgreSQL server for the benchmark (set PARAKH_TEST_SERVER or install PostgreSQL): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let url = String::from_utf8(out.stdout).unwrap().trim().to_string();
    (url, Some(Cluster(dir)))
}

/// One desk: its own workspace (on a server, its own connections), one person signed in.
struct Desk {
    ws: Workspace,
    s: Session,
}

fn at_desk(location: &Path, who: &str) -> Desk {
    let mut ws = Workspace::open(location).unwrap().with_key_hold(KEY_HOLD);
    let s = auth::login(&mut ws, who, PW).unwrap();
    Desk { ws, s }
}

/// Desks for `names`, signed in a few at a time (each sign-in is two Argon2id runs).
fn desks(location: &Path, names: &[String]) -> Vec<Desk> {
    let slots: Vec<Mutex<Option<Desk>>> = names.iter().map(|_| Mutex::new(None)).collect();
    let next = Mutex::new(0usize);
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                loop {
                    let i = {
                        let mut n = next.lock().unwrap();
                        *n += 1;
                        *n - 1
                    };
                    if i >= names.len() {
                        break;
                    }
                    *slots[i].lock().unwrap() = Some(at_desk(location, &names[i]));
                }
            });
        }
    });
    slots
        .into_iter()
        .map(|m| m.into_inner().unwrap().unwrap())
        .collect()
}

/// Runs `work(desk index, desk)` on every desk at once, each on its own thread, and returns
/// the wall time from the moment all are released until the last finishes.
fn at_once(desks: &mut [Desk], work: impl Fn(usize, &mut Desk) + Sync) -> Duration {
    let start = Barrier::new(desks.len() + 1);
    std::thread::scope(|s| {
        let handles: Vec<_> = desks
            .iter_mut()
            .enumerate()
            .map(|(i, d)| {
                let (start, work) = (&start, &work);
                s.spawn(move || {
                    start.wait();
                    work(i, d);
                })
            })
            .collect();
        start.wait();
        let t = Instant::now();
        for h in handles {
            h.join().unwrap();
        }
        t.elapsed()
    })
}

/// A small screenshot, different for every `n`.
fn png(n: u64) -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([
            (x as u64 * 3 + n) as u8,
            (y as u64 * 5 + (n >> 8)) as u8,
            (n >> 16) as u8 ^ 90,
        ])
    });
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// One store with its people: an admin, reviewers and leads.
struct Unit {
    /// `postgres` or `sqlite`.
    label: &'static str,
    /// What `Workspace::open` takes: the file, or the database's URL.
    location: PathBuf,
    /// Starts every person's name (logins are a whole cluster's).
    prefix: String,
    admin: Desk,
    /// Items imported and not yet used by a benchmark, oldest first.
    unused: VecDeque<i64>,
    imported: usize,
    shots: tempfile::TempDir,
}

impl Unit {
    fn reviewer(&self, i: usize) -> String {
        format!("{}rev{i:02}", self.prefix)
    }

    fn lead(&self, i: usize) -> String {
        format!("{}lead{i:02}", self.prefix)
    }

    /// A new store at `location` (a database URL for `postgres`, else a file) with
    /// reviewers and leads for every desk.
    fn new(label: &'static str, location: PathBuf, prefix: String) -> Unit {
        let admin_name = format!("{prefix}admin");
        let t = Instant::now();
        if label == "postgres" {
            server::init(location.to_str().unwrap(), &admin_name, PW).unwrap();
        } else {
            let (mut ws, created) = Workspace::init(&location).unwrap();
            assert!(created);
            auth::add_user(&mut ws, None, &admin_name, Role::Admin, PW).unwrap();
        }
        let admin = at_desk(&location, &admin_name);
        let mut unit = Unit {
            label,
            location,
            prefix,
            admin,
            unused: VecDeque::new(),
            imported: 0,
            shots: tempfile::tempdir().unwrap(),
        };
        // Two admins' desks add the people, one Argon2id hash and one key wrap each.
        let people: Vec<(String, Role)> = (1..=MOST_DESKS)
            .flat_map(|i| {
                [
                    (unit.reviewer(i), Role::Reviewer),
                    (unit.lead(i), Role::Lead),
                ]
            })
            .collect();
        let mut second = at_desk(&unit.location, &admin_name);
        std::thread::scope(|s| {
            let (evens, odds): (Vec<_>, Vec<_>) =
                people.iter().enumerate().partition(|(i, _)| i % 2 == 0);
            for (desk, part) in [(&mut unit.admin, evens), (&mut second, odds)] {
                s.spawn(move || {
                    for (_, (name, role)) in part {
                        auth::add_user(&mut desk.ws, Some(&desk.s), name, *role, PW).unwrap();
                    }
                });
            }
        });
        drop(second);
        unit.import(ITEMS);
        eprintln!(
            "team bench: {label} store with {} people and {ITEMS} items set up in {:.1?}",
            people.len() + 1,
            t.elapsed()
        );
        unit
    }

    /// Imports `n` more items.
    fn import(&mut self, n: usize) {
        let first = self.imported;
        let rows = (first..first + n)
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
                (i - first + 2, row)
            })
            .collect();
        let r = import_rows(
            &mut self.admin.ws,
            Some(&self.admin.s),
            "bench",
            &format!("{first:064x}"),
            rows,
            vec![],
            Path::new(""),
        )
        .unwrap();
        assert_eq!(r.imported, n);
        let (a, b) = r.ids.unwrap();
        self.unused.extend(a..=b);
        self.imported += n;
    }

    /// `n` items nobody has touched yet.
    fn fresh(&mut self, n: usize) -> Vec<i64> {
        if self.unused.len() < n {
            self.import(n.max(2_000));
        }
        self.unused.drain(..n).collect()
    }

    /// Has the proposers make proposed takedowns (claim, one screenshot, group and ground,
    /// propose) until `pool` holds at least `need`; returns them as (item, packet hash).
    fn top_up(&mut self, proposers: &mut [Desk], pool: &mut VecDeque<(i64, String)>, need: usize) {
        if pool.len() >= need {
            return;
        }
        let n = (need - pool.len())
            .max(256)
            .next_multiple_of(proposers.len());
        let items = self.fresh(n);
        let per = n / proposers.len();
        let shots = self.shots.path();
        let made = Mutex::new(Vec::with_capacity(n));
        at_once(proposers, |i, d| {
            let mut mine = Vec::with_capacity(per);
            for &item in &items[i * per..(i + 1) * per] {
                let shot = shots.join(format!("{item}.png"));
                std::fs::write(&shot, png(item as u64)).unwrap();
                review::claim(&mut d.ws, &d.s, item).unwrap();
                evidence::attach(&mut d.ws, &d.s, item, std::slice::from_ref(&shot)).unwrap();
                std::fs::remove_file(&shot).unwrap();
                review::tag(
                    &mut d.ws,
                    &d.s,
                    item,
                    &["ttp".into()],
                    &["peca-9".into()],
                    &[],
                    &[],
                )
                .unwrap();
                let (_, hash) = review::propose(
                    &mut d.ws,
                    &d.s,
                    item,
                    Outcome::Takedown,
                    "logo and a call to join",
                )
                .unwrap();
                mine.push((item, hash));
            }
            made.lock().unwrap().extend(mine);
        });
        let mut made = made.into_inner().unwrap();
        made.sort();
        pool.extend(made);
    }
}

fn group<'a>(
    c: &'a mut Criterion,
    name: &str,
) -> criterion::BenchmarkGroup<'a, criterion::measurement::WallTime> {
    let mut g = c.benchmark_group(name);
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .sampling_mode(SamplingMode::Flat);
    g
}

fn claims(c: &mut Criterion, unit: &mut Unit) {
    let names: Vec<String> = (1..=MOST_DESKS).map(|i| unit.reviewer(i)).collect();
    let mut reviewers = desks(&unit.location, &names);
    // Each desk its own items, claimed and released over and over.
    let items = unit.fresh(MOST_DESKS * CLAIMS_PER_DESK);
    let mut g = group(c, "claims (claim then release)");
    for n in DESKS {
        g.throughput(Throughput::Elements((n * CLAIMS_PER_DESK) as u64));
        g.bench_function(BenchmarkId::new(unit.label, format!("{n} desks")), |b| {
            b.iter_custom(|iters| {
                at_once(&mut reviewers[..n], |i, d| {
                    let mine = &items[i * CLAIMS_PER_DESK..(i + 1) * CLAIMS_PER_DESK];
                    for _ in 0..iters {
                        for &item in mine {
                            review::claim(&mut d.ws, &d.s, item).unwrap();
                            review::release(&mut d.ws, &d.s, item).unwrap();
                        }
                    }
                })
            })
        });
    }
    g.finish();
}

fn approvals(c: &mut Criterion, unit: &mut Unit) {
    let names: Vec<String> = (1..=MOST_DESKS).map(|i| unit.lead(i)).collect();
    let mut leads = desks(&unit.location, &names);
    let names: Vec<String> = (1..=PROPOSERS).map(|i| unit.reviewer(i)).collect();
    let mut proposers = desks(&unit.location, &names);
    let mut pool = VecDeque::new();
    let t = Instant::now();
    unit.top_up(&mut proposers, &mut pool, 1_000);
    eprintln!(
        "team bench: {} proposals made on {} in {:.1?}",
        pool.len(),
        unit.label,
        t.elapsed()
    );
    let mut approved = 0;
    let mut g = group(c, "approvals");
    for n in DESKS {
        g.throughput(Throughput::Elements((n * APPROVALS_PER_DESK) as u64));
        g.bench_function(BenchmarkId::new(unit.label, format!("{n} desks")), |b| {
            b.iter_custom(|iters| {
                let per = iters as usize * APPROVALS_PER_DESK;
                // Outside the timing: enough proposals for every desk's share.
                unit.top_up(&mut proposers, &mut pool, n * per);
                let shares: Vec<Vec<(i64, String)>> =
                    (0..n).map(|_| pool.drain(..per).collect()).collect();
                approved += n * per;
                at_once(&mut leads[..n], |i, d| {
                    for (item, hash) in &shares[i] {
                        review::approve(&mut d.ws, &d.s, *item, Some(hash)).unwrap();
                    }
                })
            })
        });
    }
    g.finish();
    eprintln!("team bench: {approved} approvals on {}", unit.label);
}

fn next_item(c: &mut Criterion, unit: &mut Unit) {
    let mut d = at_desk(&unit.location, &unit.reviewer(1));
    let first_page = || QueueFilter {
        limit: Some(50),
        ..Default::default()
    };
    let page: Vec<i64> = queue::list(&mut d.ws, first_page(), None)
        .unwrap()
        .iter()
        .map(|r| r.item.id)
        .collect();
    assert_eq!(page.len(), 50);
    let approved = queue::list(
        &mut d.ws,
        QueueFilter {
            statuses: vec![Status::Approved],
            ..Default::default()
        },
        None,
    )
    .unwrap()
    .len();
    eprintln!(
        "team bench: {} items on {}, {approved} of them approved takedowns",
        unit.imported, unit.label
    );
    let mut g = c.benchmark_group("next item");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    let mut k = 0;
    g.bench_function(
        BenchmarkId::new(unit.label, "record of the next item"),
        |b| {
            b.iter(|| {
                k = (k + 1) % page.len();
                queue::record(&mut d.ws, page[k]).unwrap()
            })
        },
    );
    g.bench_function(
        BenchmarkId::new(unit.label, "queue, first page of 50"),
        |b| b.iter(|| queue::list(&mut d.ws, first_page(), None).unwrap()),
    );
    g.bench_function(
        BenchmarkId::new(unit.label, "first page of 50 and the next item's record"),
        |b| {
            b.iter(|| {
                let rows = queue::list(&mut d.ws, first_page(), None).unwrap();
                k = (k + 1) % rows.len();
                queue::record(&mut d.ws, rows[k].item.id).unwrap()
            })
        },
    );
    g.finish();
}

/// The queue's first page on the fresh store, before any takedown stands: the queue marks
/// possible mirrors of taken-down accounts, which costs more as takedowns accumulate.
fn first_page_fresh(c: &mut Criterion, unit: &mut Unit) {
    let mut d = at_desk(&unit.location, &unit.reviewer(1));
    let mut g = c.benchmark_group("next item");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    g.bench_function(
        BenchmarkId::new(unit.label, "queue, first page of 50, no takedowns yet"),
        |b| {
            b.iter(|| {
                let filter = QueueFilter {
                    limit: Some(50),
                    ..Default::default()
                };
                queue::list(&mut d.ws, filter, None).unwrap()
            })
        },
    );
    g.finish();
}

fn bench_unit(c: &mut Criterion, mut unit: Unit) {
    first_page_fresh(c, &mut unit);
    claims(c, &mut unit);
    approvals(c, &mut unit);
    next_item(c, &mut unit);
}

/// Drops the benchmark's database and its people's logins (best effort).
fn clean_up(superuser_url: &str, db: &str, prefix: &str) {
    let mut c = match postgres::Client::connect(superuser_url, postgres::NoTls) {
        Ok(c) => c,
        Err(e) => return eprintln!("team bench: cannot clean up the server: {e}"),
    };
    if let Err(e) = c.batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)")) {
        return eprintln!("team bench: cannot drop database {db}: {e}");
    }
    let roles: Vec<String> = c
        .query(
            "SELECT rolname::text FROM pg_roles WHERE starts_with(rolname, $1)",
            &[&prefix],
        )
        .map(|rows| rows.iter().map(|r| r.get(0)).collect())
        .unwrap_or_default();
    for r in roles {
        if let Err(e) = c.batch_execute(&format!("DROP ROLE \"{r}\"")) {
            eprintln!("team bench: cannot drop login {r}: {e}");
        }
    }
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let (superuser, cluster) = server_url();
    let tag = format!("{:08x}", rand::random::<u32>());
    let prefix = format!("b{tag}_");
    let db = format!("parakh_bench_{tag}");
    let url = parakh::store::postgres::with_database(&superuser, &db);
    bench_unit(
        &mut c,
        Unit::new("postgres", PathBuf::from(&url), prefix.clone()),
    );
    clean_up(&superuser, &db, &prefix);
    drop(cluster);

    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    bench_unit(
        &mut c,
        Unit::new("sqlite", dir.path().join("team.db"), String::new()),
    );
    c.final_summary();
}
