//! The check command: files in, findings out.
//!
//! Files are checked on a rayon pool in path-ordered chunks: workers read,
//! decode, check and render one file each, and the main thread writes each
//! chunk's results in order before the next starts. Output is therefore
//! the same bytes for any number of threads, streams as the run goes, and
//! memory holds at most one file's text per thread plus one chunk's
//! rendered output.

use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, Streams, error, setup_from, warning};
use crate::baseline::{Baseline, BaselineWriter};
use crate::cli::{Cli, FailOn};
use crate::engine::Linter;
use crate::finding::Severity;
use crate::report::{self, Reporter, SummaryBuilder, escape_control, human_bytes};
use crate::source::{self, Encoding, Source};
use crate::suppress::Directive;
use crate::walk::{self, FileEntry, WalkOptions};

/// Files checked between two writes of output: enough to keep every
/// thread busy, few enough that waiting output stays small.
const CHUNK: usize = 128;

/// How long a scan runs before it earns a progress bar.
const PROGRESS_DELAY: Duration = Duration::from_millis(500);

/// The outcome of checking one file, ready to write.
struct FileResult {
    display: String,
    bytes: u64,
    rendered: Vec<u8>,
    /// Rule, severity and matched text of each finding.
    findings: Vec<(Arc<str>, Severity, String)>,
    /// Messages for standard error.
    messages: Vec<Message>,
    checked: bool,
}

enum Message {
    Error(String),
    Warning(String),
    Note(String),
}

impl FileResult {
    fn failed(display: String, message: Message) -> FileResult {
        FileResult {
            display,
            bytes: 0,
            rendered: Vec::new(),
            findings: Vec::new(),
            messages: vec![message],
            checked: false,
        }
    }
}

/// What every worker needs.
struct Job<'a> {
    linter: &'a Linter,
    reporter: &'a dyn Reporter,
    /// Render findings (false with `--summary-only`).
    render: bool,
    max_file_size: u64,
    /// Report directives that suppressed nothing.
    report_unused: bool,
    /// Only findings not in this baseline are reported.
    baseline: Option<&'a Baseline>,
}

impl Job<'_> {
    fn check_source(&self, source: &Source, bytes: u64) -> FileResult {
        let checked = self.linter.check_full(source);
        let mut findings = checked.findings;
        let mut messages = Vec::new();
        let name = escape_control(source.name());
        let lines = (!checked.unknown.is_empty()
            || self.report_unused && !checked.unused.is_empty())
        .then(|| source::LineIndex::new(source.text()));
        let line_of = |d: &Directive| lines.as_ref().map_or(0, |l| l.line_of(d.span.start) + 1);
        for (d, rule) in &checked.unknown {
            messages.push(Message::Warning(format!(
                "{name}:{}: {} names unknown rule `{}`",
                line_of(d),
                d.kind.as_str(),
                escape_control(rule)
            )));
        }
        if self.report_unused {
            for d in &checked.unused {
                messages.push(Message::Warning(format!(
                    "{name}:{}: unused {} directive: it suppressed nothing",
                    line_of(d),
                    d.kind.as_str()
                )));
            }
        }
        if let Some(baseline) = self.baseline {
            let keys: Vec<(&str, &str)> = findings
                .iter()
                .map(|f| (&*f.rule, f.matched.as_str()))
                .collect();
            let new = baseline.new_findings(source.name(), &keys);
            let mut is_new = new.into_iter();
            findings.retain(|_| is_new.next().unwrap_or(true));
        }
        if source.encoding() == Encoding::Windows1252 {
            messages.push(Message::Note(format!(
                "{} is not valid UTF-8; read as Windows-1252",
                escape_control(source.name())
            )));
        }
        FileResult {
            display: source.name().to_string(),
            bytes,
            rendered: if self.render && !findings.is_empty() {
                self.reporter.render(source, &findings)
            } else {
                Vec::new()
            },
            findings: findings
                .iter()
                .map(|f| (f.rule.clone(), f.severity, f.matched.clone()))
                .collect(),
            messages,
            checked: true,
        }
    }

    fn check_file(&self, entry: &FileEntry) -> FileResult {
        let name = entry.display();
        let shown = escape_control(&name).into_owned();
        if entry.size > self.max_file_size {
            return FileResult::failed(
                name,
                Message::Warning(format!(
                    "skipped {shown}: {} is over the --max-file-size limit of {}",
                    human_bytes(entry.size),
                    human_bytes(self.max_file_size)
                )),
            );
        }
        match std::fs::read(&entry.path) {
            Ok(bytes) if source::is_binary(&bytes) => {
                let mut r = FileResult::failed(
                    name,
                    Message::Warning(format!("skipped {shown}: binary file")),
                );
                if !entry.explicit {
                    // Found by walking: skipped silently.
                    r.messages.clear();
                }
                r
            }
            Ok(bytes) => {
                let len = bytes.len() as u64;
                self.check_source(&Source::from_bytes(name, bytes, entry.format), len)
            }
            Err(e) => FileResult::failed(
                name,
                Message::Error(format!("cannot read {shown}: {}", walk::describe(&e))),
            ),
        }
    }
}

/// What the run has seen so far.
struct Tally {
    summary: SummaryBuilder,
    failed: bool,
    worst: Option<Severity>,
    quiet: bool,
    /// Collects findings for `--write-baseline`.
    baseline: Option<BaselineWriter>,
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
        for message in &r.messages {
            match message {
                Message::Error(m) => {
                    self.failed = true;
                    error(s, m)?;
                }
                Message::Warning(m) => {
                    if !self.quiet {
                        warning(s, m)?;
                    }
                }
                Message::Note(m) => {
                    if !self.quiet {
                        writeln!(s.err, "copylint: note: {m}")?;
                    }
                }
            }
        }
        if r.checked {
            let counted: Vec<(Arc<str>, Severity)> = r
                .findings
                .iter()
                .map(|(rule, sev, _)| (rule.clone(), *sev))
                .collect();
            self.summary.add(&r.display, r.bytes, &counted);
            self.worst = self
                .worst
                .max(r.findings.iter().map(|(_, sev, _)| *sev).max());
            if let Some(writer) = &mut self.baseline {
                let pairs: Vec<(&str, &str)> = r
                    .findings
                    .iter()
                    .map(|(rule, _, m)| (&**rule, m.as_str()))
                    .collect();
                writer.add(&r.display, &pairs);
            }
        } else if !r.messages.iter().any(|m| matches!(m, Message::Error(_))) {
            // Too large, or binary.
            self.summary.skip();
        }
        reporter.write(s.out, &r.rendered)
    }
}

/// Reads standard input, or a file, whole.
fn read_input(path: &Path) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        io::stdin().read_to_end(&mut bytes)?;
    } else {
        bytes = std::fs::read(path)?;
    }
    Ok(bytes)
}

fn progress_bar(total_bytes: u64, files: usize) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::hidden());
    let style = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {wide_bar} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} {msg} ETA {eta}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message(format!("0/{files} files, 0 findings"));
    bar
}

pub fn check(cli: &Cli, s: &mut Streams) -> io::Result<u8> {
    let started = Instant::now();
    let args = &cli.check;
    // Standard input named as a file gets the configuration of that file's
    // directory, as an editor expects.
    let stdin_dir = args
        .stdin_filename
        .as_ref()
        .and_then(|name| Path::new(name).parent().map(Path::to_path_buf))
        .filter(|dir| dir.is_dir());
    let Some(setup) = setup_from(&cli.policy, stdin_dir.as_deref(), s)? else {
        return Ok(EXIT_ERROR);
    };
    let config = setup.config.as_ref();
    let fail_on = args
        .fail_on
        .or(config.and_then(|c| c.fail_on))
        .unwrap_or(FailOn::Error);
    let reads_stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
    if args.stdin_filename.is_some() && !reads_stdin {
        error(
            s,
            "--stdin-filename needs `-` among the paths to read standard input",
        )?;
        return Ok(EXIT_ERROR);
    }
    let list_from_stdin = args
        .files_from
        .as_ref()
        .is_some_and(|p| p.as_os_str() == "-");
    if reads_stdin && list_from_stdin {
        error(s, "`-` and --files-from - cannot both read standard input")?;
        return Ok(EXIT_ERROR);
    }
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
    {
        Ok(pool) => pool,
        Err(e) => {
            error(s, format_args!("cannot start worker threads: {e}"))?;
            return Ok(EXIT_ERROR);
        }
    };

    let linter = setup.linter;
    // One reporter renders on the workers, another (of the same format)
    // writes in order and keeps the writing state.
    let renderer = report::reporter(cli.output.format, s.out_color, &linter);
    let mut reporter = report::reporter(cli.output.format, s.out_color, &linter);
    let baseline = match &args.baseline {
        None => None,
        Some(path) => {
            let shown = escape_control(&path.to_string_lossy()).into_owned();
            match std::fs::read_to_string(path).map_err(|e| walk::describe(&e)) {
                Ok(text) => match Baseline::parse(&text) {
                    Ok(b) => Some(b),
                    Err(e) => {
                        error(s, format_args!("{shown}: {e}"))?;
                        return Ok(EXIT_ERROR);
                    }
                },
                Err(e) => {
                    error(s, format_args!("cannot read baseline {shown}: {e}"))?;
                    return Ok(EXIT_ERROR);
                }
            }
        }
    };
    let job = Job {
        linter: &linter,
        reporter: renderer.as_ref(),
        render: !cli.output.summary_only,
        max_file_size: args.max_file_size,
        report_unused: args.report_unused_directives,
        baseline: baseline.as_ref(),
    };
    let mut tally = Tally {
        summary: SummaryBuilder::default(),
        failed: false,
        worst: None,
        quiet: cli.output.quiet,
        baseline: args
            .write_baseline
            .as_ref()
            .map(|_| BaselineWriter::default()),
    };

    // What to walk: the paths given (unless only a list or stdin was), and
    // the entries of the --files-from list.
    let given_paths = !args.paths.iter().all(|p| p.as_os_str() == ".") || args.files_from.is_none();
    let roots: Vec<PathBuf> = if given_paths {
        args.paths
            .iter()
            .filter(|p| p.as_os_str() != "-")
            .cloned()
            .collect()
    } else {
        Vec::new()
    };
    let mut listed = Vec::new();
    if let Some(list) = &args.files_from {
        match read_input(list) {
            Ok(bytes) => listed = walk::parse_list(&bytes, args.null),
            Err(e) => {
                let name = escape_control(&list.to_string_lossy()).into_owned();
                error(
                    s,
                    format_args!("cannot read --files-from {name}: {}", walk::describe(&e)),
                )?;
                return Ok(EXIT_ERROR);
            }
        }
    }
    let options = WalkOptions {
        hidden: args.hidden,
        follow: args.follow,
        ignore_files: !args.no_ignore,
        extensions: config
            .and_then(|c| c.extensions.clone())
            .unwrap_or_default(),
        filter: config.and_then(|c| c.filter.clone()),
    };

    let mut rendered_stdin = None;
    if reads_stdin {
        match read_input(Path::new("-")) {
            Ok(bytes) if source::is_binary(&bytes) => {
                if !cli.output.quiet {
                    warning(s, "skipped standard input: binary data")?;
                }
            }
            Ok(bytes) => {
                let name = args
                    .stdin_filename
                    .clone()
                    .unwrap_or_else(|| "<stdin>".to_string());
                let format = options.extensions.for_named(Path::new(&name));
                let len = bytes.len() as u64;
                rendered_stdin =
                    Some(job.check_source(&Source::from_bytes(name, bytes, format), len));
            }
            Err(e) => {
                tally.failed = true;
                error(s, format_args!("cannot read standard input: {e}"))?;
            }
        }
    }

    let (mut files, walk_errors) = walk::discover(&roots, &options);
    let (from_list, list_errors) = walk::discover_listed(&listed, &options);
    files.extend(from_list);
    walk::sort_unique(&mut files);
    for e in walk_errors.iter().chain(&list_errors) {
        let message = format!(
            "{}: {}",
            escape_control(&e.path.to_string_lossy()),
            e.message
        );
        if !e.warning {
            tally.failed = true;
            error(s, message)?;
        } else if !cli.output.quiet {
            warning(s, message)?;
        }
    }

    if let Some(r) = rendered_stdin {
        tally.write(r, reporter.as_mut(), s)?;
    }

    let total_bytes: u64 = files.iter().map(|f| f.size).sum();
    let bar = progress_bar(total_bytes, files.len());
    let show_progress = s.err_terminal && !cli.output.quiet;
    let done_bytes = AtomicU64::new(0);
    let mut done_files = 0usize;
    let mut findings = 0usize;
    for chunk in files.chunks(CHUNK) {
        let results: Vec<FileResult> = pool.install(|| {
            chunk
                .par_iter()
                .map(|entry| {
                    let r = job.check_file(entry);
                    bar.set_position(
                        done_bytes.fetch_add(entry.size, Ordering::Relaxed) + entry.size,
                    );
                    r
                })
                .collect()
        });
        done_files += chunk.len();
        findings += results.iter().map(|r| r.findings.len()).sum::<usize>();
        bar.suspend(|| -> io::Result<()> {
            for r in results {
                tally.write(r, reporter.as_mut(), s)?;
            }
            s.out.flush()
        })?;
        bar.set_message(format!(
            "{done_files}/{} files, {findings} findings",
            files.len()
        ));
        if show_progress && bar.is_hidden() && started.elapsed() > PROGRESS_DELAY {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }
    bar.finish_and_clear();

    let summary = if cli.output.summary || cli.output.summary_only {
        tally.summary.detailed(started.elapsed())
    } else {
        tally.summary.counts()
    };
    reporter.finish(s.out, &summary)?;
    if let (Some(path), Some(writer)) = (&args.write_baseline, &tally.baseline) {
        let shown = escape_control(&path.to_string_lossy()).into_owned();
        if let Err(e) = std::fs::write(path, writer.to_json()) {
            error(
                s,
                format_args!("cannot write baseline {shown}: {}", walk::describe(&e)),
            )?;
            return Ok(EXIT_ERROR);
        }
        if !cli.output.quiet {
            let c = &summary;
            writeln!(
                s.err,
                "copylint: wrote {} findings to the baseline {shown}",
                c.errors + c.warnings + c.infos
            )?;
        }
    }

    Ok(if tally.failed {
        EXIT_ERROR
    } else if args.write_baseline.is_none()
        && matches!((tally.worst, fail_on.threshold()), (Some(w), Some(t)) if w >= t)
    {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}
