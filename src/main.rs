//! The `parakh` binary: the command line, and with no command the workstation window.

fn main() -> std::process::ExitCode {
    parakh::cli::main(parakh::gui::run)
}
