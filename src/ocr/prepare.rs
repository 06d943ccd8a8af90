//! Image preparation before the engine reads it: grey, and scaled up when the text is
//! small (Tesseract reads best with letters some 30 pixels tall; a phone screenshot's are
//! often 15 to 20). Which preparation is used was chosen from the figures in the README.

use image::{DynamicImage, ImageFormat, imageops::FilterType};
use std::io::Cursor;

/// How an image is prepared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preparation {
    /// Scale factor (1 keeps the size).
    pub scale: u32,
    /// Whether the grey image is turned black and white at Otsu's threshold.
    pub threshold: bool,
}

/// The preparation Parakh uses.
pub const CHOSEN: Preparation = Preparation {
    scale: 2,
    threshold: true,
};

/// An image is scaled only while it stays under this many pixels after scaling.
pub const MAX_SCALED_PIXELS: u64 = 24_000_000;

impl Preparation {
    /// In words, as stored with a reading.
    pub fn describe(self, scale: u32) -> String {
        format!(
            "grey{}{}",
            if scale > 1 {
                format!(", {scale}x")
            } else {
                String::new()
            },
            if self.threshold {
                ", Otsu threshold"
            } else {
                ""
            }
        )
    }

    /// The prepared image as PNG bytes, and the scale actually applied (boxes the engine
    /// gives are divided by it).
    pub fn apply(self, img: &DynamicImage) -> (Vec<u8>, u32) {
        let mut grey = img.to_luma8();
        let pixels = grey.width() as u64 * grey.height() as u64;
        let mut scale = self.scale.max(1);
        while scale > 1 && pixels * (scale as u64).pow(2) > MAX_SCALED_PIXELS {
            scale -= 1;
        }
        if scale > 1 {
            grey = image::imageops::resize(
                &grey,
                grey.width() * scale,
                grey.height() * scale,
                FilterType::CatmullRom,
            );
        }
        if self.threshold {
            let t = otsu(&grey);
            for p in grey.pixels_mut() {
                p.0[0] = if p.0[0] > t { 255 } else { 0 };
            }
        }
        let mut out = Vec::new();
        grey.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .expect("a grey image encodes as PNG");
        (out, scale)
    }
}

/// Otsu's threshold of a grey image: the level that best splits its histogram in two.
fn otsu(img: &image::GrayImage) -> u8 {
    let mut hist = [0u64; 256];
    for p in img.pixels() {
        hist[p.0[0] as usize] += 1;
    }
    let total: u64 = hist.iter().sum();
    let sum: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, &n)| i as f64 * n as f64)
        .sum();
    let (mut below, mut below_sum, mut best, mut best_t) = (0u64, 0f64, -1f64, 127u8);
    for (t, &n) in hist.iter().enumerate() {
        below += n;
        below_sum += t as f64 * n as f64;
        let above = total - below;
        if below == 0 || above == 0 {
            continue;
        }
        let (mb, ma) = (below_sum / below as f64, (sum - below_sum) / above as f64);
        let between = below as f64 * above as f64 * (mb - ma).powi(2);
        if between > best {
            best = between;
            best_t = t as u8;
        }
    }
    best_t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn otsu_splits_two_levels_and_scaling_stops_at_the_cap() {
        let mut img = image::GrayImage::from_pixel(10, 10, image::Luma([40]));
        for x in 0..5 {
            for y in 0..10 {
                img.put_pixel(x, y, image::Luma([220]));
            }
        }
        let t = otsu(&img);
        assert!((40..220).contains(&t), "{t}");
        let big = DynamicImage::new_luma8(4000, 4000);
        assert_eq!(CHOSEN.apply(&big).1, 1);
        let small = DynamicImage::new_luma8(100, 50);
        assert_eq!(CHOSEN.apply(&small).1, 2);
    }
}
