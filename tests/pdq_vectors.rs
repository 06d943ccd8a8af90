//! PDQ against the reference implementation's outputs in ../shared/pdq-vectors: identical
//! hashes on identical pixels (PNG), within a few bits through a different JPEG decoder,
//! identical quality, and all eight dihedral hashes of the originals.

use parakh::pdq::{self, PdqHash};
use std::path::PathBuf;

fn vectors() -> Option<(PathBuf, Vec<serde_json::Value>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/pdq-vectors");
    let text = std::fs::read_to_string(dir.join("expected.json")).ok()?;
    Some((dir.join("images"), serde_json::from_str(&text).unwrap()))
}

#[test]
fn hashes_and_quality_match_the_reference() {
    let Some((images, expected)) = vectors() else {
        panic!(
            "the reference vectors are missing: expected ../shared/pdq-vectors beside the project"
        );
    };
    let mut report = Vec::new();
    for e in &expected {
        let file = e["file"].as_str().unwrap();
        let img = image::open(images.join(file)).unwrap();
        let got = pdq::hash_image(&img);
        let want = PdqHash::from_hex(e["pdq"].as_str().unwrap()).unwrap();
        let d = got.hash.distance(&want);
        report.push(format!(
            "{file}: distance {d}, quality {} vs {}",
            got.quality, e["quality"]
        ));
        if file.ends_with(".png") {
            assert_eq!(
                (got.hash, got.quality),
                (want, e["quality"].as_u64().unwrap() as u32),
                "same pixels: {file}"
            );
        } else {
            // A different JPEG decoder: a few bits, and the quality within one point.
            assert!(
                d <= 10,
                "{file}: {d} bits from the reference\n{}",
                report.join("\n")
            );
            assert!(
                got.quality.abs_diff(e["quality"].as_u64().unwrap() as u32) <= 1,
                "quality of {file}"
            );
        }
    }
    eprintln!("{}", report.join("\n"));
}

#[test]
fn on_the_reference_decoders_pixels_hash_and_quality_are_identical() {
    let (_, expected) = vectors().expect("reference vectors");
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/pdq-pillow");
    let mut checked = 0;
    for e in &expected {
        let file = e["file"].as_str().unwrap();
        let png = fixtures.join(file.replace(".jpg", ".png"));
        if !png.exists() {
            continue;
        }
        let got = pdq::hash_image(&image::open(&png).unwrap());
        let want = PdqHash::from_hex(e["pdq"].as_str().unwrap()).unwrap();
        assert_eq!(
            got.hash,
            want,
            "{file}: {} bits apart on Pillow's pixels",
            got.hash.distance(&want)
        );
        assert_eq!(
            got.quality,
            e["quality"].as_u64().unwrap() as u32,
            "{file}: quality"
        );
        checked += 1;
    }
    assert_eq!(checked, 11, "every fixture was checked");
}

#[test]
fn dihedral_hashes_match_the_reference() {
    let (images, expected) = vectors().expect("reference vectors");
    for e in expected.iter().filter(|e| e.get("dihedral").is_some()) {
        let file = e["file"].as_str().unwrap();
        let (got, _) = pdq::dihedral_image(&image::open(images.join(file)).unwrap());
        for (n, want) in e["dihedral"].as_array().unwrap().iter().enumerate() {
            let want = PdqHash::from_hex(want.as_str().unwrap()).unwrap();
            let d = got[n].distance(&want);
            assert!(
                d <= 10,
                "{file} orientation {n}: {d} bits from the reference"
            );
        }
    }
}

#[test]
fn hex_round_trips_and_distance_counts_bits() {
    let h = PdqHash::from_hex("f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22")
        .unwrap();
    assert_eq!(
        h.to_hex(),
        "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
    );
    let g = PdqHash::from_hex("08f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b23")
        .unwrap();
    assert_eq!(h.distance(&g), 5);
    assert!(PdqHash::from_hex("xyz").is_none());
}

#[test]
fn the_hash_command_prints_hash_quality_and_file() {
    let (images, expected) = vectors().expect("reference vectors");
    let file = images.join("pen-and-coaster.png");
    let bad = std::env::temp_dir().join("parakh-not-an-image.png");
    std::fs::write(&bad, b"plain text").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_parakh"))
        .arg("hash")
        .arg(&file)
        .arg(&bad)
        .output()
        .unwrap();
    let want = expected
        .iter()
        .find(|e| e["file"] == "pen-and-coaster.png")
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout,
        format!(
            "{} {} {}\n",
            want["pdq"].as_str().unwrap(),
            want["quality"],
            file.display()
        )
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "a file that is not an image fails the command"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an image"));
}
