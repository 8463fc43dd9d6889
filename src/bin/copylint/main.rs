//! The copylint binary: parse the command line, resolve the settings, run
//! the command, and turn its outcome or its error into an exit status.
//!
//! This is the only place that touches the process's real standard
//! streams, and [`fail`] the only place that turns an error into a message
//! and a status.

mod check;
mod cli;
mod commands;
mod feed;
mod lsp;
mod merge;
mod settings;
mod usage;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor::Buffer};
use copylint::Error;
use copylint::policy::PolicyError;
use copylint::report::escape_control;

use cli::{Cli, ColorChoice, Command, PolicyCommand};
use settings::Settings;

/// Nothing at or above the failure level was found.
pub const EXIT_CLEAN: u8 = 0;
/// Something at or above the failure level was found.
pub const EXIT_FINDINGS: u8 = 1;
/// A usage, policy or I/O error occurred, or a named file was not checked.
pub const EXIT_ERROR: u8 = 2;

/// Where output goes, and whether each stream gets colour.
pub struct Streams<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    pub out_color: bool,
    pub err_color: bool,
    /// Standard error is a terminal (a progress bar may be drawn).
    pub err_terminal: bool,
}

impl Streams<'_> {
    pub fn error(&mut self, message: impl std::fmt::Display) -> io::Result<()> {
        writeln!(self.err, "copylint: error: {message}")
    }

    pub fn warning(&mut self, message: impl std::fmt::Display) -> io::Result<()> {
        writeln!(self.err, "copylint: warning: {message}")
    }

    /// Writes a notice about a file (unless `quiet` and below an error);
    /// says whether it fails the run.
    pub fn notice(&mut self, n: &copylint::Notice, quiet: bool) -> io::Result<bool> {
        let error = n.level == copylint::NoticeLevel::Error;
        if error || !quiet {
            let line = n.line.map(|l| format!(":{l}")).unwrap_or_default();
            writeln!(
                self.err,
                "copylint: {}: {}{line}: {}",
                n.level.as_str(),
                escape_control(&n.path),
                n.message
            )?;
        }
        Ok(error)
    }
}

/// Why a command stopped early.
#[derive(Debug)]
pub enum Failure {
    /// Setup failed: nothing was checked.
    Setup(Error),
    /// Writing output failed.
    Output(io::Error),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Setup(e)
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Failure {
        Failure::Output(e)
    }
}

/// What a command returns: an exit status, or why it stopped.
pub type Outcome = Result<u8, Failure>;

/// Whether to colour a stream that is (or is not) a terminal.
fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

fn main() -> ExitCode {
    // A PDF library's panic is reported as a damaged file, not printed.
    copylint::source::pdf::silence_reader_panics();
    let cli = Cli::parse();
    if let Some(Command::Lsp) = cli.command {
        // The server owns standard input and output; nothing else may lock them.
        return match lsp::run() {
            Ok(code) => ExitCode::from(code),
            Err(e) => {
                eprintln!("copylint: error: language server: {e}");
                ExitCode::from(EXIT_ERROR)
            }
        };
    }
    let stdout = io::stdout();
    let stderr = io::stderr();
    let mut out = io::BufWriter::new(stdout.lock());
    // Not locked for the whole run: the progress bar draws from worker threads.
    let mut err = io::stderr();
    let mut streams = Streams {
        out: &mut out,
        err: &mut err,
        out_color: use_color(cli.output.color, stdout.is_terminal()),
        err_color: use_color(cli.output.color, stderr.is_terminal()),
        err_terminal: stderr.is_terminal(),
    };
    let outcome = run(&cli, &mut streams);
    let flushed = streams.out.flush().map_err(Failure::Output);
    ExitCode::from(match (outcome, flushed) {
        (Ok(code), Ok(())) => code,
        (Err(failure), _) | (Ok(_), Err(failure)) => fail(failure, &mut streams),
    })
}

/// Runs the command the line names. The commands that load policies get
/// the resolved [`Settings`], never the raw arguments.
fn run(cli: &Cli, s: &mut Streams) -> Outcome {
    if !cli.policy.show_config {
        match &cli.command {
            Some(Command::Init) => return commands::init(s),
            Some(Command::Completions { shell }) => return commands::completions(*shell, s),
            Some(Command::Man) => return commands::man(s),
            // Run from `main`, before standard output is locked.
            Some(Command::Lsp) => return Ok(EXIT_CLEAN),
            Some(Command::Policy(PolicyCommand::Check { files })) => {
                return commands::policy_check(files, s);
            }
            _ => {}
        }
    }
    let settings = Settings::from_cli(cli)?;
    match &cli.command {
        _ if cli.policy.show_config => commands::show_config(&settings, s),
        None => check::check(settings, s),
        Some(Command::Config) => commands::show_config(&settings, s),
        Some(Command::Rules) => commands::rules(&settings, s),
        Some(Command::Merge(args)) => merge::merge(&settings, &args.inputs, s),
        Some(Command::Explain { rule }) => commands::explain(&settings, rule, s),
        Some(Command::Policy(PolicyCommand::Literals)) => commands::literals(&settings, s),
        Some(
            Command::Init
            | Command::Completions { .. }
            | Command::Man
            | Command::Lsp
            | Command::Policy(PolicyCommand::Check { .. }),
        ) => unreachable!("run above without settings"),
    }
}

/// The one place an error becomes a message and an exit status.
fn fail(failure: Failure, s: &mut Streams) -> u8 {
    let written = match failure {
        // A closed pipe (`copylint | head`) is the reader's choice, not an error.
        Failure::Output(e) if e.kind() == io::ErrorKind::BrokenPipe => return EXIT_CLEAN,
        Failure::Output(e) => s.error(e),
        Failure::Setup(e) => report_error(&e, s),
    };
    match written {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_CLEAN,
        _ => EXIT_ERROR,
    }
}

/// Writes a setup error to standard error, with a snippet of the file it
/// is about where there is one.
pub fn report_error(e: &Error, s: &mut Streams) -> io::Result<()> {
    match e {
        Error::Policy(p) | Error::Config(p) | Error::DuplicateRule { error: p, .. } => {
            emit_file_error(p, s)
        }
        Error::UnknownRule {
            id,
            suggestion,
            known,
        } => {
            let id = escape_control(id);
            match suggestion {
                Some(near) => s.error(format_args!("unknown rule `{id}`; did you mean `{near}`?")),
                None => s.error(format_args!(
                    "unknown rule `{id}`; the active rules are: {}",
                    known.join(", ")
                )),
            }
        }
        Error::Usage {
            message,
            hint: Some(hint),
        } => {
            s.error(message)?;
            writeln!(s.err, "  hint: {hint}")
        }
        other => s.error(escape_control(&other.to_string())),
    }
}

/// A policy or configuration error as codespan diagnostics.
fn emit_file_error(e: &PolicyError, s: &mut Streams) -> io::Result<()> {
    let mut buffer = if s.err_color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    let origin = escape_control(&e.origin);
    let file = SimpleFile::new(&*origin, &*e.text);
    for mut d in e.diagnostics() {
        if d.labels.is_empty() {
            // No place to point at: name the file in the message.
            d.message = format!("{origin}: {}", d.message);
        }
        term::emit_to_write_style(&mut buffer, &term::Config::default(), &file, &d)
            .map_err(io::Error::other)?;
    }
    s.err.write_all(buffer.as_slice())
}
