//! The command line: clap definitions only, no logic.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::finding::Severity;
use crate::report::OutputFormat;

/// Checks marketing copy against a wording policy.
///
/// Walks Markdown and text files, extracts their prose, and reports every
/// phrase the policy forbids, with the approved wording to use instead.
#[derive(Debug, Parser)]
#[command(name = "copylint", version)]
#[command(
    after_help = "Exit status: 0 when nothing at or above --fail-on was found, 1 when something was, 2 on usage, policy or I/O errors."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub check: CheckArgs,

    #[command(flatten)]
    pub policy: PolicyArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the active rules.
    Rules,
    /// Print one rule's explanation and examples.
    Explain {
        /// The rule id, for example `enables-access`.
        rule: String,
    },
    /// Work with policy files.
    #[command(subcommand)]
    Policy(PolicyCommand),
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Validate policy files and run every rule's examples.
    Check {
        /// Policy files to check.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Print every phrase the active rules' patterns expand to, one per line.
    Literals,
}

/// Which policies are loaded.
#[derive(Debug, Args)]
pub struct PolicyArgs {
    /// Load a policy file (repeatable).
    #[arg(long = "policy", value_name = "FILE", global = true)]
    pub policies: Vec<PathBuf>,

    /// Do not load the embedded default policy.
    #[arg(long, global = true)]
    pub no_default_policy: bool,
}

/// What to check.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check; `-` reads standard input.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Walk into hidden files and folders too.
    #[arg(long)]
    pub hidden: bool,

    /// Name (and, by its extension, format) of the text read from standard input.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,

    /// Exit 1 when a finding at or above this level is found.
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
}

/// How output looks.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human, global = true)]
    pub format: OutputFormat,

    /// When to use colour (NO_COLOR is honoured with `auto`).
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    /// The lowest severity that fails the run, if any does.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}
