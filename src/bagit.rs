//! Writing BagIt bags (RFC 8493, version 1.0): a payload under `data/`, its SHA-256
//! manifest, `bag-info.txt` and a tag manifest, so anyone can check every file with a
//! standard validator. A bag is written beside its destination and renamed into place, so
//! a failure never leaves a half-written bag under the final name.

use sha2::{Digest, Sha256};
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A payload file: its path under `data/` (forward slashes, no `..`) and its bytes.
pub struct PayloadFile {
    /// Path relative to `data/`.
    pub path: String,
    /// Content.
    pub bytes: Vec<u8>,
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn check_path(p: &str) -> Result<()> {
    let bad = p.is_empty()
        || p.starts_with('/')
        || p.split('/').any(|s| s.is_empty() || s == "." || s == "..")
        || p.contains(['\r', '\n', '%', '\\']);
    if bad {
        return Err(Error::invalid(format!("'{p}' is not a safe payload path")));
    }
    Ok(())
}

/// Writes a bag at `dest` (which must not exist) with the given `bag-info.txt` fields
/// (in order; `Bagging-Date` and `Payload-Oxum` are added) and payload. Returns `dest`.
pub fn write(
    dest: &Path,
    info: &[(&str, String)],
    bagging_date: &str,
    payload: &[PayloadFile],
) -> Result<PathBuf> {
    if dest.exists() {
        return Err(Error::invalid(format!(
            "{} already exists: choose another --out folder or remove it",
            dest.display()
        )));
    }
    for f in payload {
        check_path(&f.path)?;
    }
    let parent = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent)
        .map_err(|e| Error::io(format!("creating {}", parent.display()), e))?;
    let name = dest
        .file_name()
        .ok_or_else(|| Error::invalid(format!("{} names no folder", dest.display())))?;
    let tmp = parent.join(format!(
        ".{}.partial-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&tmp);
    let written = write_into(&tmp, info, bagging_date, payload).and_then(|()| {
        fs::rename(&tmp, dest)
            .map_err(|e| Error::io(format!("moving the bag to {}", dest.display()), e))
    });
    if written.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    written.map(|()| dest.to_path_buf())
}

fn write_into(
    root: &Path,
    info: &[(&str, String)],
    bagging_date: &str,
    payload: &[PayloadFile],
) -> Result<()> {
    let put = |rel: &str, bytes: &[u8]| -> Result<()> {
        let path = root.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)
                .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
        }
        fs::write(&path, bytes).map_err(|e| Error::io(format!("writing {}", path.display()), e))
    };
    let bagit = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
    put("bagit.txt", bagit.as_bytes())?;
    let mut manifest: Vec<String> = Vec::new();
    let mut octets = 0usize;
    for f in payload {
        put(&format!("data/{}", f.path), &f.bytes)?;
        manifest.push(format!("{}  data/{}\n", sha256_hex(&f.bytes), f.path));
        octets += f.bytes.len();
    }
    manifest.sort();
    let manifest = manifest.concat();
    put("manifest-sha256.txt", manifest.as_bytes())?;
    let mut bag_info = String::new();
    for (k, v) in info {
        // Values stay on one line: continuation lines would need indenting.
        let v = v.replace(['\r', '\n'], " ");
        bag_info.push_str(&format!("{k}: {v}\n"));
    }
    bag_info.push_str(&format!("Bagging-Date: {bagging_date}\n"));
    bag_info.push_str(&format!("Payload-Oxum: {octets}.{}\n", payload.len()));
    put("bag-info.txt", bag_info.as_bytes())?;
    let tags = [
        ("bagit.txt", bagit.to_string()),
        ("bag-info.txt", bag_info),
        ("manifest-sha256.txt", manifest),
    ];
    let tagmanifest: String = tags
        .iter()
        .map(|(name, text)| format!("{}  {name}\n", sha256_hex(text.as_bytes())))
        .collect();
    put("tagmanifest-sha256.txt", tagmanifest.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bag_has_its_manifests_and_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("bag");
        let payload = vec![
            PayloadFile {
                path: "request.json".into(),
                bytes: b"{}".to_vec(),
            },
            PayloadFile {
                path: "evidence/a.png".into(),
                bytes: vec![1, 2, 3],
            },
        ];
        write(
            &dest,
            &[("External-Identifier", "TDR-2026-0001".into())],
            "2026-11-23",
            &payload,
        )
        .unwrap();
        let manifest = fs::read_to_string(dest.join("manifest-sha256.txt")).unwrap();
        assert!(manifest.contains(&format!("{}  data/evidence/a.png", sha256_hex(&[1, 2, 3]))));
        let info = fs::read_to_string(dest.join("bag-info.txt")).unwrap();
        assert!(
            info.contains("Payload-Oxum: 5.2\n")
                && info.contains("External-Identifier: TDR-2026-0001")
        );
        let tags = fs::read_to_string(dest.join("tagmanifest-sha256.txt")).unwrap();
        assert!(tags.contains(&format!("{}  bag-info.txt", sha256_hex(info.as_bytes()))));
        assert!(write(&dest, &[], "2026-11-23", &payload).is_err());
        let bad = [PayloadFile {
            path: "../x".into(),
            bytes: vec![],
        }];
        assert!(write(&dir.path().join("other"), &[], "2026-11-23", &bad).is_err());
        assert!(!dir.path().join("other").exists());
    }
}
