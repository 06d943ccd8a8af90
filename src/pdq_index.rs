//! Exact search among many PDQ hashes for those within a distance of a query.
//!
//! Up to [`MULTI_INDEX_FROM`] hashes the search is brute force: one XOR and popcount over
//! four 64-bit words per stored hash, which a core does for a million hashes in a few
//! milliseconds. Beyond that it switches to multi-index hashing (Norouzi, Punjani and
//! Fleet, "Fast exact search in Hamming space with multi-index hashing", 2014): the 256
//! bits are cut into sixteen 16-bit words and each word gets its own table. Two hashes at
//! most `r` bits apart differ, by pigeonhole, in at most `r / 16` bits of some word — one
//! bit for the matching distance of 31 — so probing every table at that radius finds
//! every true neighbour; each candidate is then checked on the full distance, so the
//! answer is the same as brute force, only faster.

use crate::pdq::PdqHash;

/// From this many hashes on, [`HashIndex::new`] builds the multi-index.
pub const MULTI_INDEX_FROM: usize = 1_000_000;

const WORDS: usize = 16;
const BUCKETS: usize = 1 << 16;

/// How an index searches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// XOR and popcount against every hash.
    BruteForce,
    /// Sixteen tables, one per 16-bit word of the hash.
    MultiIndex,
}

/// One table per 16-bit word, in compressed form: the hashes whose word `j` equals `v` are
/// `ids[j][offsets[j][v]..offsets[j][v + 1]]`.
struct Tables {
    offsets: Vec<Vec<u32>>,
    ids: Vec<Vec<u32>>,
}

impl Tables {
    fn build(hashes: &[PdqHash]) -> Tables {
        let mut offsets = Vec::with_capacity(WORDS);
        let mut ids = Vec::with_capacity(WORDS);
        for j in 0..WORDS {
            let mut count = vec![0u32; BUCKETS + 1];
            for h in hashes {
                count[h.0[j] as usize + 1] += 1;
            }
            for v in 0..BUCKETS {
                count[v + 1] += count[v];
            }
            let mut next = count.clone();
            let mut table = vec![0u32; hashes.len()];
            for (i, h) in hashes.iter().enumerate() {
                let slot = &mut next[h.0[j] as usize];
                table[*slot as usize] = i as u32;
                *slot += 1;
            }
            offsets.push(count);
            ids.push(table);
        }
        Tables { offsets, ids }
    }

    fn bucket(&self, j: usize, v: u16) -> &[u32] {
        let (a, b) = (self.offsets[j][v as usize], self.offsets[j][v as usize + 1]);
        &self.ids[j][a as usize..b as usize]
    }

    /// Every stored index whose word `j` is within `radius` bits of the query's, for some
    /// `j` (duplicates removed).
    fn candidates(&self, query: &PdqHash, radius: u32) -> Vec<u32> {
        let mut out = Vec::new();
        for j in 0..WORDS {
            let v = query.0[j];
            out.extend_from_slice(self.bucket(j, v));
            if radius >= 1 {
                for a in 0..16 {
                    out.extend_from_slice(self.bucket(j, v ^ (1 << a)));
                    if radius >= 2 {
                        for b in a + 1..16 {
                            out.extend_from_slice(self.bucket(j, v ^ (1 << a) ^ (1 << b)));
                        }
                    }
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// PDQ hashes, each with a value (what the hash belongs to), searchable by distance.
pub struct HashIndex<T> {
    bits: Vec<[u64; 4]>,
    hashes: Vec<PdqHash>,
    values: Vec<T>,
    tables: Option<Tables>,
}

fn to_bits(h: &PdqHash) -> [u64; 4] {
    let mut out = [0u64; 4];
    for (i, w) in h.0.iter().enumerate() {
        out[i / 4] |= u64::from(*w) << (16 * (i % 4));
    }
    out
}

fn distance(a: &[u64; 4], b: &[u64; 4]) -> u32 {
    (a[0] ^ b[0]).count_ones()
        + (a[1] ^ b[1]).count_ones()
        + (a[2] ^ b[2]).count_ones()
        + (a[3] ^ b[3]).count_ones()
}

impl<T> HashIndex<T> {
    /// Indexes `entries`, brute force below [`MULTI_INDEX_FROM`] hashes, multi-index from
    /// there on.
    pub fn new(entries: impl IntoIterator<Item = (PdqHash, T)>) -> HashIndex<T> {
        let (hashes, values): (Vec<PdqHash>, Vec<T>) = entries.into_iter().unzip();
        let strategy = if hashes.len() >= MULTI_INDEX_FROM {
            Strategy::MultiIndex
        } else {
            Strategy::BruteForce
        };
        Self::build(hashes, values, strategy)
    }

    /// Indexes `entries` with the given strategy (for tests and benchmarks).
    pub fn with_strategy(
        entries: impl IntoIterator<Item = (PdqHash, T)>,
        strategy: Strategy,
    ) -> HashIndex<T> {
        let (hashes, values): (Vec<PdqHash>, Vec<T>) = entries.into_iter().unzip();
        Self::build(hashes, values, strategy)
    }

    fn build(hashes: Vec<PdqHash>, values: Vec<T>, strategy: Strategy) -> HashIndex<T> {
        assert!(
            hashes.len() < u32::MAX as usize,
            "a PDQ index holds fewer than 2^32 hashes"
        );
        HashIndex {
            bits: hashes.iter().map(to_bits).collect(),
            tables: (strategy == Strategy::MultiIndex).then(|| Tables::build(&hashes)),
            hashes,
            values,
        }
    }

    /// How the index searches.
    pub fn strategy(&self) -> Strategy {
        if self.tables.is_some() {
            Strategy::MultiIndex
        } else {
            Strategy::BruteForce
        }
    }

    /// Number of hashes.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// Whether it holds no hash.
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// The stored hash and value at `i` (as returned by [`HashIndex::within`]).
    pub fn get(&self, i: usize) -> (&PdqHash, &T) {
        (&self.hashes[i], &self.values[i])
    }

    /// Every stored hash at most `radius` bits from `query`, as (position, distance), in
    /// stored order. Exact under both strategies.
    pub fn within(&self, query: &PdqHash, radius: u32) -> Vec<(usize, u32)> {
        let q = to_bits(query);
        match &self.tables {
            // Above 47 bits a word can differ in three bits: probing grows past scanning.
            Some(tables) if radius / 16 <= 2 => tables
                .candidates(query, radius / 16)
                .into_iter()
                .map(|i| (i as usize, distance(&q, &self.bits[i as usize])))
                .filter(|&(_, d)| d <= radius)
                .collect(),
            _ => self
                .bits
                .iter()
                .enumerate()
                .map(|(i, b)| (i, distance(&q, b)))
                .filter(|&(_, d)| d <= radius)
                .collect(),
        }
    }

    /// The closest stored hash to any of `queries` (e.g. the eight orientations of one
    /// image) within `radius`, for each position that has one: (position, distance, which
    /// query), in stored order.
    pub fn within_any(&self, queries: &[PdqHash], radius: u32) -> Vec<(usize, u32, usize)> {
        let mut best: Vec<(usize, u32, usize)> = Vec::new();
        for (n, q) in queries.iter().enumerate() {
            for (i, d) in self.within(q, radius) {
                best.push((i, d, n));
            }
        }
        best.sort_unstable();
        best.dedup_by_key(|x| x.0);
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng, rngs::StdRng};

    fn random(rng: &mut StdRng) -> PdqHash {
        PdqHash(std::array::from_fn(|_| rng.random()))
    }

    fn flip(rng: &mut StdRng, h: &PdqHash, bits: u32) -> PdqHash {
        let mut out = *h;
        let mut flipped = std::collections::HashSet::new();
        while flipped.len() < bits as usize {
            let k: usize = rng.random_range(0..256);
            if flipped.insert(k) {
                out.0[k / 16] ^= 1 << (k % 16);
            }
        }
        out
    }

    #[test]
    fn multi_index_finds_exactly_what_brute_force_finds() {
        let mut rng = StdRng::seed_from_u64(7);
        let base: Vec<PdqHash> = (0..40).map(|_| random(&mut rng)).collect();
        let mut stored = Vec::new();
        for b in &base {
            // Neighbours at every distance around the threshold, spread across words.
            for d in [0, 1, 15, 16, 17, 30, 31, 32, 33, 40, 47, 48, 60] {
                stored.push(flip(&mut rng, b, d));
            }
        }
        for _ in 0..5000 {
            stored.push(random(&mut rng));
        }
        let entries = || stored.iter().copied().enumerate().map(|(i, h)| (h, i));
        let brute = HashIndex::with_strategy(entries(), Strategy::BruteForce);
        let multi = HashIndex::with_strategy(entries(), Strategy::MultiIndex);
        assert_eq!(multi.strategy(), Strategy::MultiIndex);
        let mut found = 0;
        for b in &base {
            for radius in [0, 15, 31, 32, 47, 60] {
                let expected = brute.within(b, radius);
                assert_eq!(multi.within(b, radius), expected, "radius {radius}");
                found += expected.len();
            }
            let at_31 = multi.within(b, 31);
            assert!(at_31.iter().all(|&(_, d)| d <= 31));
            assert_eq!(
                at_31.len(),
                7,
                "the seven planted neighbours within 31 bits"
            );
        }
        assert!(found > 40 * 20);
    }

    #[test]
    fn worst_case_spread_of_31_bits_is_still_found() {
        // 31 differing bits spread as evenly as possible: fifteen words differ in two bits,
        // one word in one — the word the pigeonhole argument relies on.
        let h = PdqHash([0xa5a5; 16]);
        let mut far = h;
        for j in 0..15 {
            far.0[j] ^= 0b11;
        }
        far.0[15] ^= 0b1;
        assert_eq!(h.distance(&far), 31);
        let index = HashIndex::with_strategy([(far, ())], Strategy::MultiIndex);
        assert_eq!(index.within(&h, 31), vec![(0, 31)]);
        assert!(index.within(&h, 30).is_empty());
    }

    #[test]
    fn within_any_keeps_the_closest_orientation() {
        let a = PdqHash([1; 16]);
        let b = PdqHash([0xffff; 16]);
        let index = HashIndex::new([(a, "a")]);
        let mut near_a = a;
        near_a.0[3] ^= 0b111;
        let got = index.within_any(&[b, near_a, a], 31);
        assert_eq!(got, vec![(0, 0, 2)]);
        assert_eq!(index.get(0).1, &"a");
    }
}
