//! vic-lint: checks VIC appliance components against the appliance design document.

mod baseline;
mod cli;
mod commands;
mod components;
mod fix;
mod info;
mod init;
mod progress;
mod server;
mod test_cmd;
mod udiff;

use std::process::ExitCode;

use clap::Parser;

/// Exit codes, a contract CI scripts depend on.
pub mod exit {
    pub const CLEAN: u8 = 0;
    pub const FINDINGS: u8 = 1;
    pub const CANNOT_RUN: u8 = 2;
    /// `vic-lint test` could not reach a container engine.
    pub const NO_ENGINE: u8 = 3;
    /// Ctrl-C or SIGTERM, as shells report it.
    pub const INTERRUPTED: u8 = 130;
}

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    ExitCode::from(commands::run(cli))
}
