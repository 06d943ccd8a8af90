//! Tesseract, the OCR engine, as an outside program: found on the PATH (or where
//! `PARAKH_TESSERACT` says), asked for its version and models, and run on one prepared
//! image at a time under [`crate::process`]'s limits, its TSV output parsed into words.

use std::collections::HashMap;
use std::ffi::OsString;
use std::process::Command;
use std::time::Duration;

use crate::model::ocr::Word;
use crate::process::{self, Failure, Limits};

/// The models Parakh reads with, in the order Tesseract is given them (chosen from the
/// measurements in the README): Urdu, the Arabic script's, then English. Those missing
/// are left out.
pub const MODELS: &[&str] = &["urd", "Arabic", "eng"];

/// Limits of one reading: a screenshot takes seconds; a minute means something is wrong.
pub const LIMITS: Limits = Limits {
    time: Duration::from_secs(60),
    output_bytes: 16 << 20,
    memory_bytes: 2 << 30,
};

/// The Debian packages that provide the engine and its models.
pub const PACKAGES: &str =
    "tesseract-ocr tesseract-ocr-urd tesseract-ocr-script-arab tesseract-ocr-eng";

/// A Tesseract found on this machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tesseract {
    program: OsString,
    /// "tesseract 5.3.0".
    pub version: String,
    /// The models used, joined by '+', e.g. "urd+eng".
    pub models: String,
    /// Models of [`MODELS`] this installation lacks.
    pub missing: Vec<String>,
}

/// The program to run: `PARAKH_TESSERACT`, or `tesseract` from the PATH.
fn program() -> OsString {
    std::env::var_os("PARAKH_TESSERACT")
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "tesseract".into())
}

const QUERY: Limits = Limits {
    time: Duration::from_secs(20),
    output_bytes: 1 << 20,
    memory_bytes: 1 << 30,
};

impl Tesseract {
    /// Finds the engine; why not, in words, when it cannot be used.
    pub fn find() -> Result<Tesseract, String> {
        Tesseract::at(program())
    }

    /// The engine at `program` (a name on the PATH or a path).
    pub fn at(program: impl Into<OsString>) -> Result<Tesseract, String> {
        let program = program.into();
        let name = program.to_string_lossy().into_owned();
        let run = |args: &[&str]| {
            let mut c = Command::new(&program);
            c.args(args);
            process::run(c, Vec::new(), QUERY)
        };
        let version = match run(&["--version"]) {
            Ok(out) => String::from_utf8_lossy(&out)
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .to_string(),
            Err(Failure::NotStarted(_)) => return Err(format!("{name} is not installed")),
            Err(e) => return Err(format!("{name} --version {e}")),
        };
        if !version.starts_with("tesseract ") {
            return Err(format!("{name} does not say it is Tesseract ({version:?})"));
        }
        let listed = run(&["--list-langs"]).map_err(|e| format!("{name} --list-langs {e}"))?;
        let listed = String::from_utf8_lossy(&listed);
        let have: Vec<&str> = listed.lines().skip(1).map(str::trim).collect();
        let (used, missing): (Vec<&str>, Vec<&str>) = MODELS.iter().partition(|m| have.contains(m));
        if used.is_empty() {
            return Err(format!(
                "{name} has none of the models {} installed",
                MODELS.join(", ")
            ));
        }
        Ok(Tesseract {
            program,
            version,
            models: used.join("+"),
            missing: missing.iter().map(|m| m.to_string()).collect(),
        })
    }

    /// Reads a prepared image (PNG bytes), in `models` (e.g. "urd+eng"); its words.
    pub fn read(&self, png: Vec<u8>, models: &str) -> Result<Vec<Word>, Failure> {
        let mut c = Command::new(&self.program);
        c.args(["stdin", "stdout", "-l", models, "--psm", "3", "tsv"])
            // One thread each: readings run side by side, one per core, and the
            // workstation's own threads keep theirs.
            .env("OMP_THREAD_LIMIT", "1");
        low_priority(&mut c);
        let out = process::run(c, png, LIMITS)?;
        Ok(parse_tsv(&String::from_utf8_lossy(&out)))
    }
}

/// Runs the engine at a lower scheduling priority, so reading in the background never
/// slows the desk's own work.
fn low_priority(c: &mut Command) {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: `nice` is async-signal-safe and allocates nothing.
        unsafe {
            c.pre_exec(|| {
                libc::nice(10);
                Ok(())
            });
        }
    }
    #[cfg(not(unix))]
    let _ = c;
}

/// Words from Tesseract's TSV (level 5 rows with text), numbered by line in the order
/// the lines come.
pub fn parse_tsv(tsv: &str) -> Vec<Word> {
    let mut lines: HashMap<(u32, u32, u32, u32), u32> = HashMap::new();
    let mut words = Vec::new();
    for row in tsv.lines().skip(1) {
        let f: Vec<&str> = row.split('\t').collect();
        if f.len() < 12 || f[0] != "5" {
            continue;
        }
        // Without the direction marks Tesseract puts around left-to-right runs.
        let text: String = f[11..]
            .join("\t")
            .chars()
            .filter(|c| !crate::model::bidi::is_control(*c))
            .collect();
        let text = text.trim().to_string();
        if text.is_empty() {
            continue;
        }
        let n = |i: usize| f[i].trim().parse::<u32>().unwrap_or(0);
        let next = lines.len() as u32;
        let line = *lines.entry((n(1), n(2), n(3), n(4))).or_insert(next);
        words.push(Word {
            text,
            line,
            x: n(6),
            y: n(7),
            w: n(8),
            h: n(9),
            confidence: f[10].trim().parse::<f32>().unwrap_or(0.0).max(0.0),
        });
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_words_and_lines() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
            1\t1\t0\t0\t0\t0\t0\t0\t720\t560\t-1\t\n\
            5\t1\t1\t1\t1\t1\t36\t150\t60\t20\t96.5\tJoin\n\
            5\t1\t1\t1\t1\t2\t100\t150\t80\t20\t91\tt.me/x\n\
            5\t1\t1\t1\t2\t1\t36\t180\t50\t20\t-1\t \n\
            5\t1\t2\t1\t1\t1\t36\t220\t70\t24\t80\tپیغام\n";
        let w = parse_tsv(tsv);
        assert_eq!(w.len(), 3);
        assert_eq!(
            (w[0].text.as_str(), w[0].line, w[0].x, w[0].w),
            ("Join", 0, 36, 60)
        );
        assert_eq!(w[1].line, 0);
        assert_eq!((w[2].text.as_str(), w[2].line, w[2].y), ("پیغام", 1, 220));
        assert!((w[0].confidence - 96.5).abs() < 1e-3);
    }
}
