//! Evidence files: accepted formats, refused bad files and decompression bombs, storage
//! once per hash, and hash re-checks on read.

mod common;

use common::*;
use parakh::evidence::{self, inspect};
use parakh::{Error, queue, review};

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A real small PNG whose header claims `w`×`h` RGBA pixels: a decompression bomb's shape.
fn png_claiming(w: u32, h: u32) -> Vec<u8> {
    let mut p = png(8, 8, 1);
    // IHDR data starts at byte 16: width, height, bit depth, colour type.
    p[16..20].copy_from_slice(&w.to_be_bytes());
    p[20..24].copy_from_slice(&h.to_be_bytes());
    p[25] = 6;
    let crc = crc32(&p[12..29]);
    p[29..33].copy_from_slice(&crc.to_be_bytes());
    p
}

fn invalid(r: parakh::Result<impl std::fmt::Debug>, needle: &str) {
    match r {
        Err(Error::Invalid(m)) => assert!(m.contains(needle), "{m:?} lacks {needle:?}"),
        other => panic!("expected refusal containing {needle:?}, got {other:?}"),
    }
}

#[test]
fn accepted_formats_are_decoded_with_a_thumbnail() {
    for (fmt, mime) in [
        (image::ImageFormat::Png, "image/png"),
        (image::ImageFormat::Jpeg, "image/jpeg"),
        (image::ImageFormat::Gif, "image/gif"),
        (image::ImageFormat::WebP, "image/webp"),
    ] {
        let img = image::RgbImage::from_fn(600, 300, |x, y| image::Rgb([x as u8, y as u8, 90]));
        let mut bytes = Vec::new();
        img.write_to(&mut std::io::Cursor::new(&mut bytes), fmt)
            .unwrap();
        let e = inspect("shot", bytes.clone()).unwrap();
        assert_eq!((e.mime, e.width, e.height), (mime, 600, 300));
        assert_eq!((e.thumb_width, e.thumb_height), (256, 128));
        assert_eq!(e.sha256, parakh::model::canonical::sha256_hex(&bytes));
        let thumb = image::load_from_memory(&e.thumb).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (256, 128));
    }
}

#[test]
fn bad_files_are_refused_with_a_clear_message() {
    invalid(
        inspect("notes.png", b"just some text, not an image".to_vec()),
        "not an image",
    );
    let mut truncated = png(64, 64, 9);
    truncated.truncate(truncated.len() / 2);
    invalid(inspect("half.png", truncated), "corrupt or unreadable png");
    let mut bmp = b"BM".to_vec();
    bmp.resize(64, 0);
    invalid(inspect("old.bmp", bmp), "Bmp images are not accepted");
}

#[test]
fn decompression_bombs_are_refused_before_decoding() {
    invalid(
        inspect("wide.png", png_claiming(100_000, 100_000)),
        "too large to decode safely",
    );
    // Within the side limit but over the memory budget: 16000×16000 RGBA is 1 GB.
    invalid(
        inspect("bomb.png", png_claiming(16_000, 16_000)),
        "too large to decode safely",
    );
}

#[test]
fn oversized_files_are_refused_unread() {
    let d = desk();
    let mut big = png(8, 8, 1);
    big.resize((evidence::MAX_FILE_BYTES + 1) as usize, 0);
    let path = d.file("huge.png", &big);
    invalid(evidence::read_file(&path), "limited to 40 MB");
}

#[test]
fn attaching_stores_each_image_once_and_refuses_a_batch_with_a_bad_file() {
    let mut d = desk();
    let ids = d.items(&["alpha", "beta"]);
    let good = d.file("good.png", &png(30, 20, 5));
    let bad = d.file("bad.png", b"\x89PNG\r\n\x1a\nbroken");
    for id in &ids {
        review::claim(&mut d.ws, &d.rev, *id).unwrap();
    }
    invalid(
        evidence::attach(&mut d.ws, &d.rev, ids[0], &[good.clone(), bad]),
        "bad.png",
    );
    assert!(
        queue::record(&mut d.ws, ids[0])
            .unwrap()
            .evidence
            .is_empty(),
        "a refused batch stores nothing"
    );
    let a = evidence::attach(&mut d.ws, &d.rev, ids[0], std::slice::from_ref(&good)).unwrap();
    let b = evidence::attach(&mut d.ws, &d.rev, ids[1], std::slice::from_ref(&good)).unwrap();
    assert_eq!(a[0].0, b[0].0);
    assert!(
        !evidence::attach(&mut d.ws, &d.rev, ids[0], &[good]).unwrap()[0].1,
        "second link is a no-op"
    );
    let stored: i64 = d
        .raw()
        .query_row("SELECT COUNT(*) FROM evidence_data", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, 1);
    let (bytes, mime) = evidence::read(&mut d.ws, &a[0].0).unwrap();
    assert_eq!((bytes, mime.as_str()), (png(30, 20, 5), "image/png"));
    let meta = &queue::record(&mut d.ws, ids[1]).unwrap().evidence[0];
    assert_eq!(
        (
            meta.width,
            meta.height,
            meta.attached_by.as_str(),
            meta.file_name.as_str()
        ),
        (30, 20, "rev", "good.png")
    );
}

/// A lossless WebP file whose header declares `w`×`h` pixels (RIFF, VP8L chunk: the
/// signature byte, then width − 1 and height − 1 in 14 bits each), with a few bytes of data.
fn webp_lossless_claiming(w: u32, h: u32) -> Vec<u8> {
    let bits: u32 = (w - 1) | ((h - 1) << 14);
    let mut chunk = vec![0x2f];
    chunk.extend_from_slice(&bits.to_le_bytes());
    chunk.extend_from_slice(&[0, 0, 0]);
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&((4 + 8 + chunk.len()) as u32).to_le_bytes());
    out.extend_from_slice(b"WEBPVP8L");
    out.extend_from_slice(&(chunk.len() as u32).to_le_bytes());
    out.extend_from_slice(&chunk);
    out
}

/// `img` encoded as `fmt`.
fn encoded(img: &image::DynamicImage, fmt: image::ImageFormat) -> Vec<u8> {
    let mut bytes = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut bytes), fmt)
        .unwrap();
    bytes
}

#[test]
fn images_over_the_pixel_limit_are_refused_naming_their_declared_size() {
    // Real, valid, tiny files that decode to hundreds of megapixels: the decoder's own
    // allocation limit let a 10000×10000 image through, and the work after it (RGB copy, PDQ
    // buffers, thumbnail) cost about 15 bytes a pixel.
    // A greyscale PNG header of 16384×16384 (within the side limit), refused unread.
    let mut grey = png_claiming(16_384, 16_384);
    grey[25] = 0;
    let crc = crc32(&grey[12..29]);
    grey[29..33].copy_from_slice(&crc.to_be_bytes());
    invalid(inspect("grey.png", grey), "16384×16384 px");
    // A 30-byte lossless WebP declaring 10000×10000: the message names its real size.
    let webp = webp_lossless_claiming(10_000, 10_000);
    assert!(webp.len() <= 32);
    invalid(inspect("wide.webp", webp.clone()), "10000×10000 px");
    invalid(evidence::decode("wide.webp", &webp), "megapixels");
    // Just under the limit is accepted.
    let side = (evidence::MAX_PIXELS as f64).sqrt() as u32 - 1;
    let ok = image::DynamicImage::ImageLuma8(image::GrayImage::new(side, side));
    assert!(inspect("ok.png", encoded(&ok, image::ImageFormat::Png)).is_ok());
}

#[test]
fn truncated_and_header_only_jpegs_are_refused() {
    let img = image::RgbImage::from_fn(400, 300, |x, y| {
        image::Rgb([x as u8, y as u8, (x ^ y) as u8])
    });
    let jpeg = encoded(
        &image::DynamicImage::ImageRgb8(img),
        image::ImageFormat::Jpeg,
    );
    assert!(inspect("whole.jpg", jpeg.clone()).is_ok());
    // Cut to half its length: the decoder fills the rest in grey without complaint.
    invalid(
        inspect("half.jpg", jpeg[..jpeg.len() / 2].to_vec()),
        "cut short",
    );
    // Only the headers, up to the start of the scan: no image data at all.
    let sos = jpeg.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
    invalid(inspect("header.jpg", jpeg[..sos].to_vec()), "no image data");
    // A truncated PNG is refused as well.
    let png = encoded(
        &image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(400, 300, |x, y| {
            image::Rgb([x as u8, y as u8, 7])
        })),
        image::ImageFormat::Png,
    );
    invalid(
        inspect("half.png", png[..png.len() / 2].to_vec()),
        "corrupt",
    );
}

/// A GIF of `frames` frames of `w`×`h` made by hand: each frame's data is a token, since
/// the frame count and total size are checked before anything is decoded.
fn gif_of(w: u16, h: u16, frames: usize) -> Vec<u8> {
    let mut g = b"GIF89a".to_vec();
    g.extend(w.to_le_bytes());
    g.extend(h.to_le_bytes());
    g.extend([0x80, 0, 0, 0, 0, 0, 255, 255, 255]); // a two-colour global table
    for _ in 0..frames {
        g.push(0x2C);
        g.extend([0, 0, 0, 0]);
        g.extend(w.to_le_bytes());
        g.extend(h.to_le_bytes());
        g.extend([0, 2, 1, 0x44, 0]);
    }
    g.push(0x3B);
    g
}

#[test]
fn gifs_are_bounded_in_frames_and_total_size() {
    invalid(
        inspect("many.gif", gif_of(16, 16, 5_000)),
        "more than 1000 frames",
    );
    invalid(
        inspect("big.gif", gif_of(2_000, 2_000, 26)),
        "26 frames of 2000×2000 px would decode to more than 100 megapixels",
    );
    // A real animation within the bounds is accepted; cut short, it is refused.
    let mut bytes = Vec::new();
    {
        let mut enc = image::codecs::gif::GifEncoder::new(&mut bytes);
        let frames = (0..20u8).map(|i| {
            image::Frame::new(image::RgbaImage::from_fn(64, 48, move |x, y| {
                image::Rgba([x as u8 * 4, y as u8 * 5, i * 12, 255])
            }))
        });
        enc.encode_frames(frames).unwrap();
    }
    let e = inspect("anim.gif", bytes.clone()).unwrap();
    assert_eq!((e.width, e.height), (64, 48));
    invalid(
        inspect("cut.gif", bytes[..bytes.len() / 2].to_vec()),
        "cut short",
    );
}

#[test]
fn the_largest_accepted_image_stays_within_the_memory_budget() {
    // Attached through the command line in a process of its own, so its peak resident size
    // is the whole path's: decode, RGB copy, PDQ in eight orientations, thumbnail.
    let mut d = desk();
    let id = d.items(&["large_screenshot"])[0];
    let side = (evidence::MAX_PIXELS as f64).sqrt() as u32 - 1;
    let img = image::RgbImage::from_fn(side, side, |x, y| {
        image::Rgb([(x / 7) as u8, (y / 5) as u8, ((x + y) / 3) as u8])
    });
    let f = d.file(
        "large.png",
        &encoded(
            &image::DynamicImage::ImageRgb8(img),
            image::ImageFormat::Png,
        ),
    );
    let cli = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_parakh"))
            .arg("--db")
            .arg(&d.path)
            .args(args)
            .args(["--as", "rev"])
            .env("PARAKH_PASSWORD", PW)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    cli(&["claim", &id.to_string()]);
    cli(&["attach", &id.to_string(), f.to_str().unwrap()]);
    assert_eq!(queue::record(&mut d.ws, id).unwrap().evidence.len(), 1);
    let peak_mb = children_peak_kb() / 1024;
    let budget_mb = evidence::MEMORY_BUDGET_BYTES / (1024 * 1024);
    assert!(
        peak_mb <= budget_mb,
        "attaching a {side}×{side} image peaked at {peak_mb} MB"
    );
    eprintln!("attaching a {side}×{side} image peaked at {peak_mb} MB of {budget_mb}");
}
