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
