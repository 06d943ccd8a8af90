//! The `parakh` binary: the command line, and (with no command) the workstation.

fn main() -> std::process::ExitCode {
    parakh::cli::main(|_db| {
        Err(parakh::Error::Usage(
            "the workstation window is not built yet; run `parakh --help` for the commands".into(),
        ))
    })
}
