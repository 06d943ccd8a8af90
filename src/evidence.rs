//! Evidence: screenshots checked and decoded under explicit limits, stored once per SHA-256,
//! and re-hashed whenever they are read back.

use image::{ImageFormat, ImageReader, Limits};
use serde_json::json;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::NewEvidence;
use crate::model::canonical::sha256_hex;
use crate::review::editable_claim;
use crate::store::Tx;
use crate::workspace::{Session, Workspace, record};

/// Largest evidence file accepted, in bytes.
pub const MAX_FILE_BYTES: u64 = 40 * 1024 * 1024;
/// Largest width or height accepted, in pixels.
pub const MAX_SIDE: u32 = 16_384;
/// Most memory one decode may allocate, in bytes: refuses decompression bombs.
pub const MAX_DECODE_BYTES: u64 = 400 * 1024 * 1024;
/// Most pixels an image may have (20 megapixels: a 5000×4000 photo, or a 1080-pixel-wide
/// screenshot scrolled 18,500 pixels down). Decoding and the work after it (the RGB copy,
/// the PDQ buffers, the thumbnail) cost about 18 bytes a pixel at the peak, so this bounds
/// the whole path, not only the decoder: about 430 MB with the sign-in's Argon2 included.
pub const MAX_PIXELS: u64 = 20_000_000;
/// Peak memory that checking any one image may take, in bytes; `MAX_PIXELS` is chosen so
/// the largest accepted image stays within it (measured by the evidence tests).
pub const MEMORY_BUDGET_BYTES: u64 = 512 * 1024 * 1024;
/// Most frames an animated GIF may have.
pub const MAX_GIF_FRAMES: usize = 1_000;
/// Most pixels all of a GIF's frames may hold together (each frame is decoded to the full
/// canvas when it is played): 100 megapixels, 400 MB as RGBA.
pub const MAX_GIF_TOTAL_PIXELS: u64 = 100_000_000;
/// Longer side of a stored thumbnail, in pixels.
pub const THUMB_SIDE: u32 = 256;

/// Checks and decodes an image file's bytes: PNG, JPEG, WebP or GIF only, within the size
/// and pixel limits. Returns it ready to store, with its SHA-256 and a thumbnail. `name`
/// names the file in messages.
pub fn inspect(name: &str, data: Vec<u8>) -> Result<NewEvidence> {
    if data.len() as u64 > MAX_FILE_BYTES {
        return Err(Error::invalid(format!(
            "{name}: file is {} MB; evidence files are limited to {} MB",
            data.len() / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let format = image::guess_format(&data).map_err(|_| {
        Error::invalid(format!(
            "{name}: not an image (unrecognised file signature)"
        ))
    })?;
    let mime = match format {
        ImageFormat::Png => "image/png",
        ImageFormat::Jpeg => "image/jpeg",
        ImageFormat::WebP => "image/webp",
        ImageFormat::Gif => "image/gif",
        other => {
            return Err(Error::invalid(format!(
                "{name}: {other:?} images are not accepted (use PNG, JPEG, WebP or GIF)"
            )));
        }
    };
    let (img, width, height) = decode_limited(name, &data, format, mime)?;
    let pdq = crate::pdq::dihedral_image(&img);
    let thumb_img = img.thumbnail(THUMB_SIDE, THUMB_SIDE).to_rgba8();
    let mut thumb = Vec::new();
    thumb_img
        .write_to(&mut Cursor::new(&mut thumb), ImageFormat::Png)
        .map_err(|e| Error::invalid(format!("{name}: cannot make a thumbnail ({e})")))?;
    Ok(NewEvidence {
        sha256: sha256_hex(&data),
        mime,
        data,
        width,
        height,
        thumb,
        thumb_width: thumb_img.width(),
        thumb_height: thumb_img.height(),
        pdq,
    })
}

/// The accepted MIME type named by `mime` (staged evidence carries it as text).
pub fn known_mime(mime: &str) -> &'static str {
    match mime {
        "image/png" => "image/png",
        "image/jpeg" => "image/jpeg",
        "image/webp" => "image/webp",
        _ => "image/gif",
    }
}

/// Decodes stored evidence bytes under the same limits as at attach time.
pub fn decode(name: &str, data: &[u8]) -> Result<image::DynamicImage> {
    let format =
        image::guess_format(data).map_err(|_| Error::invalid(format!("{name}: not an image")))?;
    Ok(decode_limited(name, data, format, "image/stored")?.0)
}

fn decode_limited(
    name: &str,
    data: &[u8],
    format: ImageFormat,
    mime: &str,
) -> Result<(image::DynamicImage, u32, u32)> {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    let describe = |e: image::ImageError| match e {
        image::ImageError::Limits(l) => Error::invalid(format!(
            "{name}: image refused as too large to decode safely ({l}); limits are {MAX_SIDE} px a side and {} MB decoded",
            MAX_DECODE_BYTES / (1024 * 1024)
        )),
        other => Error::invalid(format!(
            "{name}: corrupt or unreadable {} image ({other})",
            &mime[6..]
        )),
    };
    if format == ImageFormat::Jpeg {
        jpeg_complete(name, data)?;
    }
    if format == ImageFormat::Gif {
        gif_bounded(name, data)?;
    }
    let mut reader = ImageReader::with_format(Cursor::new(data), format);
    reader.limits(limits.clone());
    let (width, height) = reader.into_dimensions().map_err(describe)?;
    if width == 0 || height == 0 {
        return Err(Error::invalid(format!(
            "{name}: corrupt {} image (it declares {width}×{height} px)",
            &mime[6..]
        )));
    }
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(Error::invalid(format!(
            "{name}: image refused as too large to decode safely ({width}×{height} px; limit {MAX_SIDE} px a side)"
        )));
    }
    let pixels = u64::from(width) * u64::from(height);
    if pixels > MAX_PIXELS {
        return Err(Error::invalid(format!(
            "{name}: image refused as too large to decode safely ({width}×{height} px, {:.1} megapixels; limit {} megapixels)",
            pixels as f64 / 1e6,
            MAX_PIXELS / 1_000_000
        )));
    }

    let mut reader = ImageReader::with_format(Cursor::new(data), format);
    reader.limits(limits);
    let img = reader.decode().map_err(describe)?;
    Ok((img, width, height))
}

/// Refuses a GIF with more than [`MAX_GIF_FRAMES`] frames, or whose frames decoded to the
/// canvas would hold more than [`MAX_GIF_TOTAL_PIXELS`], or that is cut short. Walks the
/// file's blocks without decompressing anything.
fn gif_bounded(name: &str, data: &[u8]) -> Result<()> {
    let refuse = |why: String| Err(Error::invalid(format!("{name}: gif image refused ({why})")));
    let short = || refuse("it is cut short before its end marker".into());
    let byte = |at: usize| data.get(at).copied();
    let (Some(w), Some(h), Some(packed)) = (
        data.get(6..8).map(|b| u16::from_le_bytes([b[0], b[1]])),
        data.get(8..10).map(|b| u16::from_le_bytes([b[0], b[1]])),
        byte(10),
    ) else {
        return short();
    };
    let canvas = u64::from(w.max(1)) * u64::from(h.max(1));
    let table = |packed: u8| {
        if packed & 0x80 != 0 {
            3usize << ((packed & 7) + 1)
        } else {
            0
        }
    };
    // Skips a run of sub-blocks (each a length byte and that many bytes, ended by 0).
    let sub_blocks = |mut at: usize| -> Option<usize> {
        loop {
            let len = usize::from(byte(at)?);
            at += 1;
            if len == 0 {
                return Some(at);
            }
            at += len;
        }
    };
    let mut at = 13 + table(packed);
    let mut frames = 0usize;
    loop {
        match byte(at) {
            Some(0x3B) => return Ok(()),
            Some(0x21) => match sub_blocks(at + 2) {
                Some(next) => at = next,
                None => return short(),
            },
            Some(0x2C) => {
                frames += 1;
                if frames > MAX_GIF_FRAMES {
                    return refuse(format!("more than {MAX_GIF_FRAMES} frames"));
                }
                if frames as u64 * canvas > MAX_GIF_TOTAL_PIXELS {
                    return refuse(format!(
                        "{frames} frames of {w}×{h} px would decode to more than {} megapixels",
                        MAX_GIF_TOTAL_PIXELS / 1_000_000
                    ));
                }
                let Some(local) = byte(at + 9) else {
                    return short();
                };
                // Descriptor, local colour table, LZW code size, then the data sub-blocks.
                match sub_blocks(at + 10 + table(local) + 1) {
                    Some(next) => at = next,
                    None => return short(),
                }
            }
            Some(other) => return refuse(format!("unknown block 0x{other:02x}")),
            None => return short(),
        }
    }
}

/// Refuses a JPEG whose image data is missing or cut short: the decoder fills a truncated
/// scan in grey without an error, so the file's structure is checked: a start-of-scan
/// marker after the headers, and an end-of-image marker after the scan (entropy-coded data
/// escapes every 0xFF byte, so 0xFF 0xD9 there is the marker).
fn jpeg_complete(name: &str, data: &[u8]) -> Result<()> {
    let refuse = |why: &str| {
        Err(Error::invalid(format!(
            "{name}: corrupt jpeg image ({why})"
        )))
    };
    // Walk the header segments from the start-of-image marker to the first scan.
    let mut at = 2;
    let scan = loop {
        if at + 4 > data.len() {
            return refuse("it has no image data, only headers");
        }
        if data[at] != 0xFF {
            return refuse("its headers are malformed");
        }
        let marker = data[at + 1];
        match marker {
            0xFF => at += 1, // fill byte
            0xD8 | 0x01 | 0xD0..=0xD7 => at += 2,
            0xD9 => return refuse("it has no image data, only headers"),
            _ => {
                let len = usize::from(u16::from_be_bytes([data[at + 2], data[at + 3]]));
                if marker == 0xDA {
                    break at + 2 + len;
                }
                at += 2 + len;
            }
        }
    };
    let ended = data
        .get(scan..)
        .is_some_and(|rest| rest.windows(2).any(|w| w == [0xFF, 0xD9]));
    if ended {
        Ok(())
    } else {
        refuse("it is cut short: the image data has no end-of-image marker")
    }
}

/// Reads an evidence file from disk, refusing oversized files before reading them.
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
    let meta =
        std::fs::metadata(path).map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
    if !meta.is_file() {
        return Err(Error::invalid(format!("{}: not a file", path.display())));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Error::invalid(format!(
            "{}: file is {} MB; evidence files are limited to {} MB",
            path.display(),
            meta.len() / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    std::fs::read(path).map_err(|e| Error::io(format!("reading {}", path.display()), e))
}

/// The file name part of a path, for records and messages.
pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Attaches image files to an item the acting reviewer holds a claim on. All files are
/// checked first; if any is refused, nothing is stored. Returns the SHA-256 of each file
/// and whether it was newly linked to the item.
pub fn attach(
    ws: &mut Workspace,
    s: &Session,
    item: i64,
    files: &[PathBuf],
) -> Result<Vec<(String, bool)>> {
    let checked = files
        .iter()
        .map(|p| {
            Ok((
                file_name(p),
                inspect(&p.display().to_string(), read_file(p)?)?,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    attach_checked(ws, s, item, checked)
}

/// Attaches already-checked images (from [`inspect`]) named by file name.
pub fn attach_checked(
    ws: &mut Workspace,
    s: &Session,
    item: i64,
    files: Vec<(String, NewEvidence)>,
) -> Result<Vec<(String, bool)>> {
    let now = ws.now();
    ws.store_as(s).write(|tx| {
        let me = editable_claim(tx, s, item, now)?;
        let mut out = Vec::new();
        for (name, e) in files {
            let at = now;
            tx.store_evidence(&e, at)?;
            let seq = tx.next_event_seq()?;
            let linked = tx.link_evidence(item, &e.sha256, &name, &me.name, at, seq)?;
            if linked {
                record(
                    tx,
                    now,
                    &me.name,
                    "attach",
                    Some(item),
                    json!({
                        "sha256": e.sha256, "file": name, "mime": e.mime, "size": e.data.len(),
                        "width": e.width, "height": e.height,
                    }),
                )?;
            }
            out.push((e.sha256, linked));
        }
        Ok(out)
    })
}

/// Evidence bytes and MIME type, re-hashed on the way out: a mismatch is corruption.
pub fn read(ws: &mut Workspace, sha256: &str) -> Result<(Vec<u8>, String)> {
    ws.store().read(|tx| read_checked(tx, sha256))
}

/// Writes a stored evidence file to `out` after checking its hash, and records in the
/// trail who took it out and where to (see [`crate::outfile`]). Returns its MIME type and size.
pub fn get(
    ws: &mut Workspace,
    s: Option<&Session>,
    sha256: &str,
    out: &Path,
    force: bool,
) -> Result<(String, usize)> {
    let (data, mime) = read(ws, sha256)?;
    let what = serde_json::json!({ "kind": "evidence", "sha256": sha256, "mime": mime });
    crate::outfile::write_recorded(ws, s, out, &data, force, what)?;
    Ok((mime, data.len()))
}

pub(crate) fn read_checked(tx: &Tx, sha256: &str) -> Result<(Vec<u8>, String)> {
    let (data, mime) = tx
        .evidence_data(sha256)?
        .ok_or_else(|| Error::NotFound(format!("evidence {sha256}")))?;
    let actual = sha256_hex(&data);
    if actual != sha256 {
        return Err(Error::Integrity(format!(
            "evidence {sha256} is corrupt: its stored bytes hash to {actual}"
        )));
    }
    Ok((data, mime))
}

/// The PNG thumbnail of stored evidence.
pub fn thumbnail(ws: &mut Workspace, sha256: &str) -> Result<Vec<u8>> {
    ws.store().read(|tx| {
        tx.evidence_thumb(sha256)?
            .ok_or_else(|| Error::NotFound(format!("evidence {sha256}")))
    })
}
