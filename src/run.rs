//! Running copylint: the command line's parsed arguments to output and an
//! exit status.
//!
//! Loads the policies, discovers the files, checks them in parallel in
//! path-ordered chunks (so output is deterministic and streams while memory
//! stays bounded), and writes through the chosen reporter. Every problem
//! with one input is reported and the rest are still checked.

use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::sync::Arc;

use codespan_reporting::term::{self, termcolor::Buffer};
use rayon::prelude::*;

use crate::cli::{CheckArgs, Cli, ColorChoice, Command, PolicyArgs, PolicyCommand};
use crate::engine::Linter;
use crate::finding::{Finding, Severity};
use crate::policy::{self, DEFAULT_POLICY, DEFAULT_POLICY_NAME, Policy, PolicyError};
use crate::report::{self, OutputFormat, Reporter, Summary, escape_control};
use crate::source::{Format, Source};
use crate::walk::{self, FileEntry, WalkOptions};

/// Nothing at or above the failure level was found.
pub const EXIT_CLEAN: u8 = 0;
/// Something at or above the failure level was found.
pub const EXIT_FINDINGS: u8 = 1;
/// A usage, policy or I/O error occurred.
pub const EXIT_ERROR: u8 = 2;

/// Files checked between two writes of output: enough to keep every
/// thread busy, few enough that waiting output stays small.
const CHUNK: usize = 256;

/// Where output goes, and whether each stream gets colour.
pub struct Streams<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    pub out_color: bool,
    pub err_color: bool,
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
    let mut err = stderr.lock();
    let mut streams = Streams {
        out: &mut out,
        err: &mut err,
        out_color,
        err_color,
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
        None => check(cli, s),
        Some(Command::Rules) => with_linter(&cli.policy, s, |linter, s| {
            rules(linter, cli.output.format, s)
        }),
        Some(Command::Explain { rule }) => {
            with_linter(&cli.policy, s, |linter, s| explain(linter, rule, s))
        }
        Some(Command::Policy(PolicyCommand::Check { files })) => policy_check(files, s),
        Some(Command::Policy(PolicyCommand::Literals)) => {
            with_linter(&cli.policy, s, |linter, s| {
                let mut literals: Vec<&str> = linter
                    .rules()
                    .flat_map(|(_, r)| r.literals.iter().map(String::as_str))
                    .collect();
                literals.sort_unstable();
                literals.dedup();
                for literal in literals {
                    writeln!(s.out, "{literal}")?;
                }
                Ok(EXIT_CLEAN)
            })
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

/// Loads the policies the arguments name; `None` after reporting an error.
fn load_policies(args: &PolicyArgs, s: &mut Streams) -> io::Result<Option<Vec<Policy>>> {
    let mut policies = Vec::new();
    if !args.no_default_policy {
        match Policy::load(DEFAULT_POLICY_NAME, DEFAULT_POLICY) {
            Ok(p) => policies.push(p),
            Err(e) => {
                print_policy_error(&e, s)?;
                return Ok(None);
            }
        }
    }
    let mut ok = true;
    for path in &args.policies {
        match read_policy(path, s)? {
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
            "no policy to check against: --no-default-policy needs at least one --policy FILE",
        )?;
        return Ok(None);
    }
    if let Err(message) = policy::check_unique_ids(&policies) {
        error(s, message)?;
        return Ok(None);
    }
    Ok(Some(policies))
}

fn with_linter(
    args: &PolicyArgs,
    s: &mut Streams,
    f: impl FnOnce(&Linter, &mut Streams) -> io::Result<u8>,
) -> io::Result<u8> {
    match load_policies(args, s)? {
        Some(policies) => f(&Linter::new(policies), s),
        None => Ok(EXIT_ERROR),
    }
}

/// The outcome of checking one file, ready to write.
struct FileResult {
    rendered: Vec<u8>,
    findings: Vec<(Arc<str>, Severity)>,
    /// Messages for standard error: (is an error, text).
    messages: Vec<(bool, String)>,
    checked: bool,
}

fn check_source(linter: &Linter, reporter: &dyn Reporter, source: &Source) -> FileResult {
    let findings: Vec<Finding> = linter.check(source);
    FileResult {
        rendered: reporter.render(source, &findings),
        findings: findings
            .iter()
            .map(|f| (f.rule.clone(), f.severity))
            .collect(),
        messages: Vec::new(),
        checked: true,
    }
}

fn check_file(linter: &Linter, reporter: &dyn Reporter, entry: &FileEntry) -> FileResult {
    let name = entry.display();
    match std::fs::read(&entry.path) {
        Ok(bytes) => check_source(
            linter,
            reporter,
            &Source::from_bytes(name, bytes, entry.format),
        ),
        Err(e) => FileResult {
            rendered: Vec::new(),
            findings: Vec::new(),
            messages: vec![(
                true,
                format!(
                    "cannot read {}: {}",
                    escape_control(&name),
                    walk::describe(&e)
                ),
            )],
            checked: false,
        },
    }
}

/// What the run has seen so far.
#[derive(Default)]
struct Tally {
    summary: Summary,
    failed: bool,
    worst: Option<Severity>,
}

impl Tally {
    /// Writes one file's result: its messages to standard error, its
    /// findings through the reporter.
    fn write(
        &mut self,
        r: FileResult,
        reporter: &mut dyn Reporter,
        s: &mut Streams,
    ) -> io::Result<()> {
        for (is_error, message) in &r.messages {
            if *is_error {
                self.failed = true;
                error(s, message)?;
            } else {
                warning(s, message)?;
            }
        }
        if r.checked {
            self.summary
                .add_counts(r.findings.iter().map(|(_, sev)| *sev));
            self.worst = self.worst.max(r.findings.iter().map(|(_, sev)| *sev).max());
        }
        reporter.write(s.out, &r.rendered)
    }
}

fn check(cli: &Cli, s: &mut Streams) -> io::Result<u8> {
    let Some(policies) = load_policies(&cli.policy, s)? else {
        return Ok(EXIT_ERROR);
    };
    let linter = Linter::new(policies);
    let args: &CheckArgs = &cli.check;
    let mut reporter = report::reporter(cli.output.format, s.out_color);
    let mut tally = Tally::default();
    let reads_stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
    let paths: Vec<PathBuf> = args
        .paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .cloned()
        .collect();
    if args.stdin_filename.is_some() && !reads_stdin {
        error(
            s,
            "--stdin-filename needs `-` among the paths to read standard input",
        )?;
        return Ok(EXIT_ERROR);
    }
    if reads_stdin {
        let mut bytes = Vec::new();
        match io::stdin().read_to_end(&mut bytes) {
            Ok(_) => {
                let name = args
                    .stdin_filename
                    .clone()
                    .unwrap_or_else(|| "<stdin>".to_string());
                let format = Format::for_named(std::path::Path::new(&name));
                let source = Source::from_bytes(name, bytes, format);
                let result = check_source(&linter, reporter.as_ref(), &source);
                tally.write(result, reporter.as_mut(), s)?;
            }
            Err(e) => {
                tally.failed = true;
                error(s, format_args!("cannot read standard input: {e}"))?;
            }
        }
    }

    let (files, walk_errors) = if paths.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        walk::discover(
            &paths,
            &WalkOptions {
                hidden: args.hidden,
            },
        )
    };
    for e in &walk_errors {
        tally.failed = true;
        error(
            s,
            format_args!(
                "{}: {}",
                escape_control(&e.path.to_string_lossy()),
                e.message
            ),
        )?;
    }
    for chunk in files.chunks(CHUNK) {
        let results: Vec<FileResult> = chunk
            .par_iter()
            .map(|entry| check_file(&linter, reporter.as_ref(), entry))
            .collect();
        for r in results {
            tally.write(r, reporter.as_mut(), s)?;
        }
        s.out.flush()?;
    }
    reporter.finish(s.out, &tally.summary)?;

    Ok(if tally.failed {
        EXIT_ERROR
    } else if matches!((tally.worst, args.fail_on.threshold()), (Some(w), Some(t)) if w >= t) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}

fn rules(linter: &Linter, format: OutputFormat, s: &mut Streams) -> io::Result<u8> {
    if format == OutputFormat::Json {
        let rules: Vec<serde_json::Value> = linter
            .rules()
            .map(|(policy, rule)| {
                serde_json::json!({
                    "id": &*rule.id,
                    "policy": policy.name,
                    "severity": rule.severity,
                    "context_severity": rule.context.as_ref().and_then(|c| c.severity),
                    "pattern": rule.pattern,
                    "message": &*rule.message,
                    "suggestions": &*rule.suggestions,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *s.out, &rules)?;
        writeln!(s.out)?;
        return Ok(EXIT_CLEAN);
    }
    let width = linter.rules().map(|(_, r)| r.id.len()).max().unwrap_or(0);
    for (policy, rule) in linter.rules() {
        writeln!(
            s.out,
            "{:width$}  {:<16}  {}  {}",
            rule.id,
            severity_label(rule),
            policy.name,
            rule.pattern
        )?;
    }
    Ok(EXIT_CLEAN)
}

/// "warning", or "warning/error" for a rule whose context raises it.
fn severity_label(rule: &policy::Rule) -> String {
    match rule.context.as_ref().and_then(|c| c.severity) {
        Some(s) if s != rule.severity => format!("{}/{}", rule.severity, s),
        _ => rule.severity.to_string(),
    }
}

fn explain(linter: &Linter, id: &str, s: &mut Streams) -> io::Result<u8> {
    let Some((policy, rule)) = linter.rules().find(|(_, r)| &*r.id == id) else {
        let known: Vec<&str> = linter.rules().map(|(_, r)| &*r.id).collect();
        error(
            s,
            format_args!(
                "unknown rule `{}`; the active rules are: {}",
                escape_control(id),
                known.join(", ")
            ),
        )?;
        return Ok(EXIT_ERROR);
    };
    writeln!(
        s.out,
        "{} ({}) from policy {}",
        rule.id,
        severity_label(rule),
        policy.name
    )?;
    writeln!(s.out)?;
    writeln!(s.out, "{}", rule.explanation.trim())?;
    writeln!(s.out)?;
    writeln!(s.out, "Pattern: {}", rule.pattern)?;
    if let Some(c) = &rule.context {
        let place = if c.after {
            "after the match"
        } else {
            "in the sentence"
        };
        let effect = match (c.required, c.severity) {
            (true, _) => "fires only then".to_string(),
            (false, Some(sev)) => format!("{sev} then"),
            (false, None) => "no change".to_string(),
        };
        writeln!(s.out, "Context: {} {place} ({effect})", c.near)?;
    }
    if !rule.suggestions.is_empty() {
        writeln!(s.out, "Suggestions: {}", rule.suggestions.join("; "))?;
    }
    writeln!(s.out)?;
    writeln!(s.out, "Bad:")?;
    for e in &rule.bad {
        writeln!(s.out, "  {}", e.text)?;
    }
    writeln!(s.out, "Good:")?;
    for e in &rule.good {
        writeln!(s.out, "  {}", e.text)?;
    }
    Ok(EXIT_CLEAN)
}

fn policy_check(files: &[PathBuf], s: &mut Streams) -> io::Result<u8> {
    let mut code = EXIT_CLEAN;
    for path in files {
        match read_policy(path, s)? {
            Some(p) => {
                let examples: usize = p.rules.iter().map(|r| r.bad.len() + r.good.len()).sum();
                writeln!(
                    s.out,
                    "{}: ok ({} rules, {} examples checked)",
                    escape_control(&path.to_string_lossy()),
                    p.rules.len(),
                    examples
                )?;
            }
            None => code = EXIT_ERROR,
        }
    }
    Ok(code)
}
