//! Running copylint: the command line's parsed arguments to output and an
//! exit status.
//!
//! Loads the policies, discovers the files, checks them in parallel in
//! path-ordered chunks (so output is deterministic and streams while memory
//! stays bounded), and writes through the chosen reporter. Every problem
//! with one input is reported and the rest are still checked.

mod check;
mod commands;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use codespan_reporting::term::{self, termcolor::Buffer};

use std::collections::HashMap;

use crate::cli::{Cli, ColorChoice, Command, PolicyArgs, PolicyCommand};
use crate::config::{self, Config};
use crate::engine::Linter;
use crate::policy::{self, Policy, PolicyError};
use crate::report::escape_control;
use crate::source::ExtractOptions;
use crate::walk;

/// Nothing at or above the failure level was found.
pub const EXIT_CLEAN: u8 = 0;
/// Something at or above the failure level was found.
pub const EXIT_FINDINGS: u8 = 1;
/// A usage, policy or I/O error occurred.
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

/// Whether to colour a stream that is (or is not) a terminal.
pub fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Runs the command line against the process's real streams.
pub fn main(cli: Cli) -> u8 {
    let stdout = io::stdout();
    let stderr = io::stderr();
    let out_color = use_color(cli.output.color, stdout.is_terminal());
    let err_color = use_color(cli.output.color, stderr.is_terminal());
    let mut out = io::BufWriter::new(stdout.lock());
    // Not locked for the whole run: the progress bar draws from worker threads.
    let mut err = io::stderr();
    let mut streams = Streams {
        out: &mut out,
        err: &mut err,
        out_color,
        err_color,
        err_terminal: stderr.is_terminal(),
    };
    let code = run(&cli, &mut streams);
    let flushed = streams.out.flush();
    match (code, flushed) {
        // A closed pipe (`copylint | head`) is the reader's choice, not an error.
        (Err(e), _) | (Ok(_), Err(e)) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_CLEAN,
        (Ok(code), _) => code,
        (Err(e), _) => {
            let _ = writeln!(streams.err, "copylint: error: {e}");
            EXIT_ERROR
        }
    }
}

/// Runs the command line; I/O errors are those of the output streams.
pub fn run(cli: &Cli, s: &mut Streams) -> io::Result<u8> {
    match &cli.command {
        _ if cli.policy.show_config => commands::show_config(cli, s),
        None => check::check(cli, s),
        Some(Command::Init) => commands::init(s),
        Some(Command::Config) => commands::show_config(cli, s),
        Some(Command::Completions { shell }) => commands::completions(*shell, s),
        Some(Command::Man) => commands::man(s),
        Some(Command::Rules) => with_linter(&cli.policy, s, |linter, s| {
            commands::rules(linter, cli.output.format, s)
        }),
        Some(Command::Explain { rule }) => with_linter(&cli.policy, s, |linter, s| {
            commands::explain(linter, rule, s)
        }),
        Some(Command::Policy(PolicyCommand::Check { files })) => commands::policy_check(files, s),
        Some(Command::Policy(PolicyCommand::Literals)) => {
            with_linter(&cli.policy, s, commands::literals)
        }
    }
}

fn error(s: &mut Streams, message: impl std::fmt::Display) -> io::Result<()> {
    writeln!(s.err, "copylint: error: {message}")
}

fn warning(s: &mut Streams, message: impl std::fmt::Display) -> io::Result<()> {
    writeln!(s.err, "copylint: warning: {message}")
}

/// Prints a policy error as codespan diagnostics on standard error.
fn print_policy_error(e: &PolicyError, s: &mut Streams) -> io::Result<()> {
    let mut buffer = if s.err_color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    let file = e.file();
    for d in e.diagnostics() {
        term::emit_to_write_style(&mut buffer, &term::Config::default(), &file, &d)
            .map_err(io::Error::other)?;
    }
    s.err.write_all(buffer.as_slice())
}

/// Reads and validates one policy file.
fn read_policy(path: &PathBuf, s: &mut Streams) -> io::Result<Option<Policy>> {
    let name = path.to_string_lossy();
    let text = match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => {
                error(
                    s,
                    format_args!("policy file {} is not valid UTF-8", escape_control(&name)),
                )?;
                return Ok(None);
            }
        },
        Err(e) => {
            error(
                s,
                format_args!(
                    "cannot read policy file {}: {}",
                    escape_control(&name),
                    walk::describe(&e)
                ),
            )?;
            return Ok(None);
        }
    };
    match Policy::load(&name, &text) {
        Ok(policy) => Ok(Some(policy)),
        Err(e) => {
            print_policy_error(&e, s)?;
            Ok(None)
        }
    }
}

/// The configuration and compiled policies a command runs with.
pub struct Setup {
    pub config: Option<Config>,
    /// How the configuration was found, for `copylint config`.
    pub config_source: &'static str,
    pub linter: Linter,
}

/// Finds and loads the configuration the arguments call for, searching
/// from `start` (default: the current directory).
fn load_config(
    args: &PolicyArgs,
    start: Option<&Path>,
    s: &mut Streams,
) -> io::Result<Result<(Option<Config>, &'static str), ()>> {
    let (path, source) = match (&args.config, args.no_config) {
        (_, true) => (None, "ignored (--no-config)"),
        (Some(path), _) => (Some(path.clone()), "named with --config"),
        (None, false) => match start
            .map(Path::to_path_buf)
            .or_else(|| std::env::current_dir().ok())
            .and_then(|d| config::discover(&d))
        {
            Some(found) => (Some(found), "found by searching from the current directory"),
            None => (None, "none found"),
        },
    };
    let Some(path) = path else {
        return Ok(Ok((None, source)));
    };
    match Config::load(&path) {
        Ok(config) => Ok(Ok((Some(config), source))),
        Err(e) => {
            print_policy_error(&e, s)?;
            Ok(Err(()))
        }
    }
}

/// Loads the configuration and the policies it and the arguments name, and
/// compiles them; `None` after reporting an error.
pub fn setup(args: &PolicyArgs, s: &mut Streams) -> io::Result<Option<Setup>> {
    setup_from(args, None, s)
}

/// [`setup`], searching for the configuration from `start`.
pub fn setup_from(
    args: &PolicyArgs,
    start: Option<&Path>,
    s: &mut Streams,
) -> io::Result<Option<Setup>> {
    let Ok((config, config_source)) = load_config(args, start, s)? else {
        return Ok(None);
    };
    let mut policies = Vec::new();
    let use_default =
        !args.no_default_policy && config.as_ref().and_then(|c| c.default_policy) != Some(false);
    if use_default {
        // Compiled in and checked by the test suite, so its examples need not
        // run again at every start.
        policies.push(Policy::embedded());
    }
    let mut ok = true;
    let from_config = config
        .iter()
        .flat_map(|c| c.policies.iter().map(|(p, _)| p.clone()));
    for path in from_config.chain(args.policies.iter().cloned()) {
        match read_policy(&path, s)? {
            Some(p) => policies.push(p),
            None => ok = false,
        }
    }
    if !ok {
        return Ok(None);
    }
    if policies.is_empty() {
        error(
            s,
            "no policy to check against: without the default policy, name one with --policy FILE or in copylint.toml",
        )?;
        return Ok(None);
    }
    if let Err(message) = policy::check_unique_ids(&policies) {
        error(s, message)?;
        return Ok(None);
    }
    let mut overrides = HashMap::new();
    if let Some(config) = &config {
        for (id, setting, span) in &config.rules {
            if !policies
                .iter()
                .any(|p| p.rules.iter().any(|r| &*r.id == id))
            {
                print_policy_error(
                    &config.error(format!("unknown rule `{id}`"), span.clone()),
                    s,
                )?;
                return Ok(None);
            }
            overrides.insert(id.clone(), setting.severity());
        }
    }
    let options = ExtractOptions {
        check_code: config.as_ref().and_then(|c| c.check_code).unwrap_or(false),
    };
    let linter = Linter::with_overrides(policies, &overrides).with_extract_options(options);
    Ok(Some(Setup {
        config,
        config_source,
        linter,
    }))
}

fn with_linter(
    args: &PolicyArgs,
    s: &mut Streams,
    f: impl FnOnce(&Linter, &mut Streams) -> io::Result<u8>,
) -> io::Result<u8> {
    match setup(args, s)? {
        Some(setup) => f(&setup.linter, s),
        None => Ok(EXIT_ERROR),
    }
}
