//! The copylint binary: parse the command line, run, exit with its status.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = copylint::cli::Cli::parse();
    ExitCode::from(copylint::run::main(cli))
}
