//! Meta's PDQ perceptual hash, implemented from the reference algorithm: luminance,
//! two-pass Jarosz (box) filter, decimation to 64×64, a 16×16 DCT, and one bit per
//! coefficient above the median. Also the quality metric (with its per-difference integer
//! truncation) and the eight dihedral hashes, computed from the DCT by transposition and
//! sign changes. Arithmetic is in `f32` in the reference's order, so the same pixels give
//! the same bits.

// The loops index several arrays at once, in the reference's order; keep them readable.
#![allow(clippy::needless_range_loop)]

use std::fmt;

/// Hashes at most this many bits apart match.
pub const MATCH_DISTANCE: u32 = 31;
/// Below this quality a hash is too weak to use.
pub const MIN_QUALITY: u32 = 50;

/// A 256-bit PDQ hash, stored as the reference does: sixteen 16-bit words, bit `k` in word
/// `k / 16`. Printed as 64 hex digits, most significant word first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PdqHash(pub [u16; 16]);

impl PdqHash {
    fn set_bit(&mut self, k: usize) {
        self.0[k >> 4] |= 1 << (k & 15);
    }

    /// Number of differing bits.
    pub fn distance(&self, other: &PdqHash) -> u32 {
        self.0
            .iter()
            .zip(other.0.iter())
            .map(|(a, b)| (a ^ b).count_ones())
            .sum()
    }

    /// Lower-case hex, 64 digits.
    pub fn to_hex(&self) -> String {
        self.0.iter().rev().map(|w| format!("{w:04x}")).collect()
    }

    /// Parses 64 hex digits (any case).
    pub fn from_hex(s: &str) -> Option<PdqHash> {
        let s = s.trim();
        if s.len() != 64 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let mut w = [0u16; 16];
        for (i, chunk) in s.as_bytes().chunks(4).enumerate() {
            w[15 - i] = u16::from_str_radix(std::str::from_utf8(chunk).ok()?, 16).ok()?;
        }
        Some(PdqHash(w))
    }

    /// The hash as 32 bytes, most significant first (for storage and bit counting).
    pub fn to_bytes(&self) -> [u8; 32] {
        let mut b = [0u8; 32];
        for (i, w) in self.0.iter().rev().enumerate() {
            b[2 * i..2 * i + 2].copy_from_slice(&w.to_be_bytes());
        }
        b
    }
}

impl fmt::Display for PdqHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// A hash and its quality (0–100).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pdq {
    /// The hash.
    pub hash: PdqHash,
    /// The quality metric.
    pub quality: u32,
}

/// The eight dihedral hashes of an image, in the reference order: original, rotate 90,
/// rotate 180, rotate 270, flip x, flip y, flip plus-1 (transpose), flip minus-1.
pub type Dihedral = [PdqHash; 8];

/// Luminance of 8-bit RGB pixels, row-major, as the reference computes it.
pub fn luma_from_rgb(rgb: &[u8]) -> Vec<f32> {
    rgb.chunks_exact(3)
        .map(|p| 0.299 * p[0] as f32 + 0.587 * p[1] as f32 + 0.114 * p[2] as f32)
        .collect()
}

fn jarosz_window(old: usize, new: usize) -> usize {
    old.div_ceil(2 * new)
}

/// The reference's one-dimensional box filter with a shrinking window at both ends.
fn box_1d(input: &[f32], output: &mut [f32], len: usize, stride: usize, window: usize) {
    let half = (window + 2) / 2; // 7 -> 4, 8 -> 5
    let phase1 = half - 1;
    let phase2 = window - half + 1;
    let phase3 = len - window;
    let phase4 = half - 1;
    let (mut li, mut ri, mut oi) = (0usize, 0usize, 0usize);
    let mut sum = 0.0f32;
    let mut current = 0usize;
    for _ in 0..phase1 {
        sum += input[ri];
        current += 1;
        ri += stride;
    }
    for _ in 0..phase2 {
        sum += input[ri];
        current += 1;
        output[oi] = sum / current as f32;
        ri += stride;
        oi += stride;
    }
    for _ in 0..phase3 {
        sum += input[ri];
        sum -= input[li];
        output[oi] = sum / current as f32;
        li += stride;
        ri += stride;
        oi += stride;
    }
    for _ in 0..phase4 {
        sum -= input[li];
        current -= 1;
        output[oi] = sum / current as f32;
        li += stride;
        oi += stride;
    }
}

fn jarosz(
    buf1: &mut [f32],
    buf2: &mut [f32],
    rows: usize,
    cols: usize,
    win_rows: usize,
    win_cols: usize,
) {
    for _ in 0..2 {
        for i in 0..rows {
            box_1d(&buf1[i * cols..], &mut buf2[i * cols..], cols, 1, win_rows);
        }
        for j in 0..cols {
            box_1d(&buf2[j..], &mut buf1[j..], rows, cols, win_cols);
        }
    }
}

fn dct_matrix() -> [[f32; 64]; 16] {
    let mut d = [[0f32; 64]; 16];
    let scale = (2.0f64 / 64.0).sqrt();
    for (i, row) in d.iter_mut().enumerate() {
        for (j, v) in row.iter_mut().enumerate() {
            *v = (scale
                * (std::f64::consts::PI / 2.0 / 64.0 * (i + 1) as f64 * (2 * j + 1) as f64).cos())
                as f32;
        }
    }
    d
}

/// The 64×64 decimated buffer and the 16×16 DCT of an image's luminance.
fn transform(luma: &[f32], width: usize, height: usize) -> ([[f32; 64]; 64], [[f32; 16]; 16]) {
    let mut buf1 = luma.to_vec();
    let mut buf2 = vec![0f32; luma.len()];
    let win_rows = jarosz_window(width, 64).max(1);
    let win_cols = jarosz_window(height, 64).max(1);
    jarosz(&mut buf1, &mut buf2, height, width, win_rows, win_cols);
    let mut b64 = [[0f32; 64]; 64];
    for (i, row) in b64.iter_mut().enumerate() {
        let ini = (((i as f64 + 0.5) * height as f64) / 64.0) as usize;
        for (j, v) in row.iter_mut().enumerate() {
            let inj = (((j as f64 + 0.5) * width as f64) / 64.0) as usize;
            *v = buf1[ini.min(height - 1) * width + inj.min(width - 1)];
        }
    }
    let d = dct_matrix();
    let mut t = [[0f32; 64]; 16];
    for i in 0..16 {
        for j in 0..64 {
            let mut s = 0f32;
            for k in 0..64 {
                s += d[i][k] * b64[k][j];
            }
            t[i][j] = s;
        }
    }
    let mut b16 = [[0f32; 16]; 16];
    for i in 0..16 {
        for j in 0..16 {
            let mut s = 0f32;
            for k in 0..64 {
                s += t[i][k] * d[j][k];
            }
            b16[i][j] = s;
        }
    }
    (b64, b16)
}

fn quality(b64: &[[f32; 64]; 64]) -> u32 {
    let mut sum: i64 = 0;
    for i in 0..63 {
        for j in 0..64 {
            sum += (((b64[i][j] - b64[i + 1][j]) * 100.0 / 255.0) as i32).abs() as i64;
        }
    }
    for row in b64.iter() {
        for j in 0..63 {
            sum += (((row[j] - row[j + 1]) * 100.0 / 255.0) as i32).abs() as i64;
        }
    }
    ((sum / 90) as u32).min(100)
}

fn bits(b16: &[[f32; 16]; 16]) -> PdqHash {
    let mut values: Vec<f32> = b16.iter().flatten().copied().collect();
    values.sort_by(|a, b| a.total_cmp(b));
    // The reference's Torben median of an even count returns the lower middle value.
    let median = values[127];
    let mut h = PdqHash([0; 16]);
    for i in 0..16 {
        for j in 0..16 {
            if b16[i][j] > median {
                h.set_bit(i * 16 + j);
            }
        }
    }
    h
}

/// Hashes a luminance image (row-major, `width × height`).
pub fn hash_luma(luma: &[f32], width: usize, height: usize) -> Pdq {
    let (b64, b16) = transform(luma, width, height);
    Pdq {
        hash: bits(&b16),
        quality: quality(&b64),
    }
}

/// All eight dihedral hashes of a luminance image, and its quality.
pub fn dihedral_luma(luma: &[f32], width: usize, height: usize) -> (Dihedral, u32) {
    let (b64, a) = transform(luma, width, height);
    let mut out = [PdqHash([0; 16]); 8];
    let sign = |neg: bool, v: f32| if neg { -v } else { v };
    let variants: [&dyn Fn(usize, usize) -> (usize, usize, bool); 8] = [
        &|i, j| (i, j, false),
        &|i, j| (j, i, j & 1 == 0),
        &|i, j| (i, j, (i + j) & 1 == 1),
        &|i, j| (j, i, i & 1 == 0),
        &|i, j| (i, j, i & 1 == 0),
        &|i, j| (i, j, j & 1 == 0),
        &|i, j| (j, i, false),
        &|i, j| (j, i, (i + j) & 1 == 1),
    ];
    for (n, f) in variants.iter().enumerate() {
        let mut b = [[0f32; 16]; 16];
        for i in 0..16 {
            for j in 0..16 {
                let (oi, oj, neg) = f(i, j);
                b[oi][oj] = sign(neg, a[i][j]);
            }
        }
        out[n] = bits(&b);
    }
    (out, quality(&b64))
}

/// Hashes a decoded image.
pub fn hash_image(img: &image::DynamicImage) -> Pdq {
    let rgb = img.to_rgb8();
    hash_luma(
        &luma_from_rgb(rgb.as_raw()),
        rgb.width() as usize,
        rgb.height() as usize,
    )
}

/// The eight dihedral hashes of a decoded image, and its quality.
pub fn dihedral_image(img: &image::DynamicImage) -> (Dihedral, u32) {
    let rgb = img.to_rgb8();
    dihedral_luma(
        &luma_from_rgb(rgb.as_raw()),
        rgb.width() as usize,
        rgb.height() as usize,
    )
}
