//! The Merkle tree over the audit events, in the manner of RFC 9162 (Certificate
//! Transparency v2) §2.1: leaf hashes `SHA-256(0x00 ‖ leaf)`, interior nodes
//! `SHA-256(0x01 ‖ left ‖ right)`, the tree over n leaves split at the largest power of two
//! below n. A checkpoint names a tree size and root; a consistency proof shows that the
//! tree of a later size extends it.

use sha2::{Digest, Sha256};

/// A node or leaf hash.
pub type Hash = [u8; 32];

/// The hash of a leaf.
pub fn leaf_hash(leaf: &[u8]) -> Hash {
    Sha256::new()
        .chain_update([0u8])
        .chain_update(leaf)
        .finalize()
        .into()
}

fn node(left: &Hash, right: &Hash) -> Hash {
    Sha256::new()
        .chain_update([1u8])
        .chain_update(left)
        .chain_update(right)
        .finalize()
        .into()
}

/// The largest power of two smaller than `n` (n ≥ 2).
fn split(n: usize) -> usize {
    let mut k = 1;
    while k << 1 < n {
        k <<= 1;
    }
    k
}

/// The root of the tree over `leaves` (leaf hashes); the hash of the empty string for none.
pub fn root(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => Sha256::digest([]).into(),
        1 => leaves[0],
        n => {
            let k = split(n);
            node(&root(&leaves[..k]), &root(&leaves[k..]))
        }
    }
}

/// The consistency proof from the tree of the first `m` leaves to the tree of all of
/// them (RFC 9162 §2.1.4.1).
pub fn consistency_proof(leaves: &[Hash], m: usize) -> Vec<Hash> {
    fn sub(leaves: &[Hash], m: usize, complete: bool) -> Vec<Hash> {
        let n = leaves.len();
        if m == n {
            return if complete {
                Vec::new()
            } else {
                vec![root(leaves)]
            };
        }
        let k = split(n);
        if m <= k {
            let mut p = sub(&leaves[..k], m, complete);
            p.push(root(&leaves[k..]));
            p
        } else {
            let mut p = sub(&leaves[k..], m - k, false);
            p.push(root(&leaves[..k]));
            p
        }
    }
    if m == 0 || m >= leaves.len() {
        return Vec::new();
    }
    sub(leaves, m, true)
}

/// Verifies that a tree of size `n` with root `new_root` extends one of size `m` with root
/// `old_root`, by `proof` (RFC 9162 §2.1.4.2).
pub fn verify_consistency(
    m: usize,
    n: usize,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> bool {
    if m > n {
        return false;
    }
    if m == n {
        return proof.is_empty() && old_root == new_root;
    }
    if m == 0 {
        return proof.is_empty();
    }
    if proof.is_empty() {
        return false;
    }
    let mut path: Vec<Hash> = proof.to_vec();
    if m.is_power_of_two() {
        path.insert(0, *old_root);
    }
    let (mut fn_, mut sn) = (m - 1, n - 1);
    while fn_ & 1 == 1 {
        fn_ >>= 1;
        sn >>= 1;
    }
    let Some((first, rest)) = path.split_first() else {
        return false;
    };
    let (mut fr, mut sr) = (*first, *first);
    for c in rest {
        if sn == 0 {
            return false;
        }
        if fn_ & 1 == 1 || fn_ == sn {
            fr = node(c, &fr);
            sr = node(c, &sr);
            if fn_ & 1 == 0 {
                while fn_ & 1 == 0 && fn_ != 0 {
                    fn_ >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            sr = node(&sr, c);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    sn == 0 && fr == *old_root && sr == *new_root
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(n: usize) -> Vec<Hash> {
        (0..n)
            .map(|i| leaf_hash(format!("event {i}").as_bytes()))
            .collect()
    }

    #[test]
    fn every_prefix_is_proved_consistent_with_every_longer_tree() {
        let all = leaves(37);
        for n in 1..=all.len() {
            for m in 1..=n {
                let proof = consistency_proof(&all[..n], m);
                let (old, new) = (root(&all[..m]), root(&all[..n]));
                assert!(verify_consistency(m, n, &old, &new, &proof), "{m} → {n}");
                if m < n {
                    let mut bad = old;
                    bad[0] ^= 1;
                    assert!(
                        !verify_consistency(m, n, &bad, &new, &proof),
                        "forged old root {m} → {n}"
                    );
                    assert!(
                        !verify_consistency(m, n, &old, &bad, &proof),
                        "forged new root {m} → {n}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_rewritten_history_is_not_consistent() {
        let all = leaves(20);
        let mut forked = all.clone();
        forked[3] = leaf_hash(b"rewritten");
        let proof = consistency_proof(&forked, 10);
        assert!(!verify_consistency(
            10,
            20,
            &root(&all[..10]),
            &root(&forked),
            &proof
        ));
    }

    #[test]
    fn the_empty_tree_and_rfc_shapes() {
        assert_eq!(root(&[]), <[u8; 32]>::from(Sha256::digest([])));
        let l = leaves(3);
        assert_eq!(root(&l), node(&node(&l[0], &l[1]), &l[2]));
    }
}
