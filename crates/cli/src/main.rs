//! `strongroom`: the headless Vault-compatible server and operator helpers.
//!
//! Flags follow Vault's Go style (`-dev`, `-config=FILE`) so commands copied from Vault's
//! documentation work; GNU style (`--dev`) is accepted too.

mod args;
mod dynamodb;
mod kms;
mod output;
mod server;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse_from(args::normalize(std::env::args_os()));
    match cli.command {
        Command::Server(opts) => server::run(opts),
        Command::Dynamodb(opts) => dynamodb::run(opts),
        Command::Kms(opts) => kms::run(opts),
        Command::Version => {
            println!("Strongroom v{}", strongroom_core::VERSION);
            ExitCode::SUCCESS
        }
    }
}
