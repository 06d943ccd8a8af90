//! Outside programs (Tesseract), run as separate processes under limits: a time limit after
//! which the process is killed, a cap on what it may print, and on Unix a cap on its
//! address space. A bad file can make such a program hang, crash or balloon; it never
//! takes this one down with it.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// The limits one run is held to.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Wall-clock time before the process is killed.
    pub time: Duration,
    /// Most bytes read from its standard output; more kills it.
    pub output_bytes: usize,
    /// Most address space it may map, in bytes (Unix only).
    pub memory_bytes: u64,
}

/// How a run ended, besides exiting with status 0.
#[derive(Debug, PartialEq, Eq)]
pub enum Failure {
    /// The program could not be started (not installed): the operating system's words.
    NotStarted(String),
    /// Killed after the time limit.
    TimedOut(Duration),
    /// Killed for printing more than the limit.
    TooMuchOutput(usize),
    /// Exited with a failure status, or was killed by a signal: the status and the last
    /// line it wrote to standard error.
    Failed(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::NotStarted(e) => write!(f, "could not be started ({e})"),
            Failure::TimedOut(t) => write!(f, "stopped after {} s, its time limit", t.as_secs()),
            Failure::TooMuchOutput(n) => write!(f, "stopped for writing more than {n} bytes"),
            Failure::Failed(e) => write!(f, "failed ({e})"),
        }
    }
}

/// Runs `cmd` with `input` on its standard input under `limits`; its standard output.
pub fn run(mut cmd: Command, input: Vec<u8>, limits: Limits) -> Result<Vec<u8>, Failure> {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    limit_memory(&mut cmd, limits.memory_bytes);
    let started = Instant::now();
    let mut child = cmd
        .spawn()
        .map_err(|e| Failure::NotStarted(e.to_string()))?;
    let mut stdin = child.stdin.take().expect("piped");
    let writer = thread::spawn(move || {
        // A program that exits early closes the pipe; that is its status's to explain.
        let _ = stdin.write_all(&input);
    });
    let cap = limits.output_bytes;
    let over = Arc::new(AtomicBool::new(false));
    let mut stdout = child.stdout.take().expect("piped");
    let reader = {
        let over = over.clone();
        thread::spawn(move || {
            let mut out = Vec::new();
            let _ = (&mut stdout).take(cap as u64 + 1).read_to_end(&mut out);
            if out.len() > cap {
                over.store(true, Ordering::SeqCst);
            }
            out
        })
    };
    let mut stderr = child.stderr.take().expect("piped");
    let errors = thread::spawn(move || {
        let mut err = Vec::new();
        let _ = (&mut stderr).take(64 * 1024).read_to_end(&mut err);
        err
    });
    let status = loop {
        let stop = if over.load(Ordering::SeqCst) {
            Some(Failure::TooMuchOutput(cap))
        } else if started.elapsed() >= limits.time {
            Some(Failure::TimedOut(limits.time))
        } else {
            None
        };
        if let Some(failure) = stop {
            let _ = child.kill();
            let _ = child.wait();
            return Err(failure);
        }
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(Failure::Failed(e.to_string())),
        }
    };
    let out = reader.join().unwrap_or_default();
    let _ = writer.join();
    let err = errors.join().unwrap_or_default();
    if out.len() > cap {
        Err(Failure::TooMuchOutput(cap))
    } else if status.success() {
        Ok(out)
    } else {
        Err(Failure::Failed(describe(status, &err)))
    }
}

fn describe(status: std::process::ExitStatus, err: &[u8]) -> String {
    let last = String::from_utf8_lossy(err)
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .map(|l| crate::model::text::terminal_safe(l.trim()).into_owned())
        .unwrap_or_default();
    match (status.code(), last.is_empty()) {
        (Some(c), true) => format!("exit status {c}"),
        (Some(c), false) => format!("exit status {c}: {last}"),
        (None, true) => format!("killed by a signal ({status})"),
        (None, false) => format!("killed by a signal ({status}): {last}"),
    }
}

#[cfg(unix)]
fn limit_memory(cmd: &mut Command, bytes: u64) {
    use std::os::unix::process::CommandExt;
    // SAFETY: between fork and exec the closure calls only setrlimit, which is
    // async-signal-safe, and allocates nothing.
    unsafe {
        cmd.pre_exec(move || {
            let lim = libc::rlimit {
                rlim_cur: bytes as libc::rlim_t,
                rlim_max: bytes as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

#[cfg(not(unix))]
fn limit_memory(_: &mut Command, _: u64) {}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits {
        time: Duration::from_secs(5),
        output_bytes: 1024,
        memory_bytes: 1 << 30,
    };

    fn sh(script: &str) -> Command {
        let mut c = Command::new("sh");
        c.arg("-c").arg(script);
        c
    }

    #[test]
    fn output_input_and_failures_are_told_apart() {
        assert_eq!(run(sh("cat"), b"abc".to_vec(), LIMITS).unwrap(), b"abc");
        let slow = Limits {
            time: Duration::from_millis(200),
            ..LIMITS
        };
        let started = Instant::now();
        assert_eq!(
            run(sh("sleep 30"), vec![], slow),
            Err(Failure::TimedOut(slow.time))
        );
        assert!(started.elapsed() < Duration::from_secs(10));
        assert_eq!(
            run(sh("yes"), vec![], LIMITS),
            Err(Failure::TooMuchOutput(1024))
        );
        match run(sh("echo broken >&2; exit 3"), vec![], LIMITS) {
            Err(Failure::Failed(m)) => assert_eq!(m, "exit status 3: broken"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            run(Command::new("/nonexistent/program"), vec![], LIMITS),
            Err(Failure::NotStarted(_))
        ));
    }

    #[test]
    fn a_program_that_grabs_memory_is_refused_it() {
        let small = Limits {
            memory_bytes: 64 << 20,
            ..LIMITS
        };
        // Python asking for 512 MB under a 64 MB address-space cap fails to allocate.
        let r = run(
            {
                let mut c = Command::new("python3");
                c.arg("-c").arg("b = bytearray(512 << 20)");
                c
            },
            vec![],
            small,
        );
        assert!(matches!(r, Err(Failure::Failed(_))), "{r:?}");
    }
}
