//! The check command: files in, findings out.
//!
//! Files are checked on a rayon pool in path-ordered chunks: workers read,
//! decode, check and render one file each, and the main thread writes each
//! chunk's results in order before the next starts. Output is therefore
//! the same bytes for any number of threads, streams as the run goes, and
//! memory holds at most one file's text per thread plus one chunk's
//! rendered output.

use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use copylint::baseline::{Baseline, BaselineWriter};
use copylint::error::Error;
use copylint::finding::{Applicability, Finding, Notice, NoticeKind, NoticeLevel, Severity};
use copylint::report::{self, Reporter, Summary, SummaryBuilder, escape_control};
use copylint::source::{self, Encoding, Format, Source};
use copylint::suppress::Directive;
use copylint::walk::{FileEntry, WalkError};
use copylint::{Linter, source::LineIndex};
use indicatif::ProgressDrawTarget;
use rayon::prelude::*;

use crate::cli::Cli;
use crate::feed::{self, Batch, Feed};
use crate::fixing;
use crate::settings::{Origin, Settings};
use crate::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, Outcome, Streams};

#[cfg(feature = "s3")]
#[path = "remote.rs"]
mod remote;

/// Files checked between two writes of output: enough to keep every
/// thread busy, few enough that waiting output stays small.
pub const CHUNK: usize = 128;

/// How long a scan runs before it earns a progress bar.
const PROGRESS_DELAY: Duration = Duration::from_millis(500);

/// The outcome of checking one file, ready to write.
struct FileResult {
    display: String,
    bytes: u64,
    rendered: Vec<u8>,
    /// With `--diff`, the file's fixes as a unified diff.
    diff: Vec<u8>,
    findings: Vec<Finding>,
    /// The most severe finding, shown or not: `--fail-on` looks at it.
    worst: Option<Severity>,
    notices: Vec<Notice>,
    checked: bool,
}

impl FileResult {
    fn failed(display: String, notice: Option<Notice>) -> FileResult {
        FileResult {
            display,
            bytes: 0,
            rendered: Vec::new(),
            diff: Vec::new(),
            findings: Vec::new(),
            worst: None,
            notices: notice.into_iter().collect(),
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
    /// How the file size limit is named: the flag, or the setting.
    max_file_size_name: &'static str,
    /// Report directives that suppressed nothing.
    report_unused: bool,
    /// Only findings not in this baseline are reported.
    baseline: Option<&'a Baseline>,
    /// `--fix` or `--diff`.
    fix: Option<fixing::Mode>,
    /// Only findings at or above this severity are shown.
    min_severity: Option<Severity>,
    /// With `--ocr`, reads documents with the text of their images.
    #[cfg(feature = "ocr")]
    ocr: Option<&'a copylint::ocr::Reader>,
}

impl Job<'_> {
    fn check_source(&self, source: &Source, bytes: u64) -> FileResult {
        let checked = self.linter.check_full(source);
        let mut findings = checked.findings;
        let name = source.name();
        let images = source.image_report();
        images.annotate(&mut findings);
        let mut notices: Vec<Notice> = (images.refused.iter())
            .map(|why| Notice::new(NoticeLevel::Warning, NoticeKind::ImageNotRead, name, why))
            .collect();
        if let Some(message) = images.unread_message() {
            notices.push(
                Notice::new(NoticeLevel::Note, NoticeKind::ImagesNotRead, name, message)
                    .with_count(images.unread()),
            );
        }
        let lines = (!checked.unknown.is_empty()
            || self.report_unused && !checked.unused.is_empty())
        .then(|| LineIndex::new(source.text()));
        let line_of = |d: &Directive| lines.as_ref().map_or(0, |l| l.line_of(d.span.start) + 1);
        for (d, rule) in &checked.unknown {
            let message = format!(
                "{} names unknown rule `{}`",
                d.kind.as_str(),
                escape_control(rule)
            );
            notices.push(
                Notice::new(NoticeLevel::Warning, NoticeKind::UnknownRule, name, message)
                    .at_line(line_of(d)),
            );
        }
        if self.report_unused {
            for d in &checked.unused {
                let message = format!(
                    "unused {} directive: it suppressed nothing",
                    d.kind.as_str()
                );
                notices.push(
                    Notice::new(
                        NoticeLevel::Warning,
                        NoticeKind::UnusedDirective,
                        name,
                        message,
                    )
                    .at_line(line_of(d)),
                );
            }
        }
        if let Some(baseline) = self.baseline {
            baseline.retain_new(name, &mut findings);
        }
        let worst = findings.iter().map(|f| f.severity).max();
        if let Some(min) = self.min_severity {
            findings.retain(|f| f.severity >= min);
        }
        if source.encoding() == Encoding::Windows1252 {
            notices.push(Notice::new(
                NoticeLevel::Note,
                NoticeKind::Encoding,
                name,
                "not valid UTF-8; read as Windows-1252",
            ));
        }
        FileResult {
            display: name.to_string(),
            bytes,
            rendered: if self.render && !findings.is_empty() {
                self.reporter
                    .render(&report::FileFindings::new(source, &findings))
            } else {
                Vec::new()
            },
            diff: Vec::new(),
            findings,
            worst,
            notices,
            checked: true,
        }
    }

    fn check_file(&self, entry: &FileEntry) -> FileResult {
        let name = entry.display();
        // A file named on the command line that is not checked fails the
        // run: a hook must never pass a file it did not read.
        let level = if entry.explicit {
            NoticeLevel::Error
        } else {
            NoticeLevel::Warning
        };
        let bytes = match read_within(&entry.path, self.max_file_size) {
            Ok(Err(size)) => return self.too_large(name, size, level),
            Ok(Ok(bytes)) => Ok(bytes),
            Err(e) => Err(e),
        };
        self.check_read(name, &entry.path, entry.format, entry.explicit, bytes)
    }

    /// A file of `size` bytes over the size limit, not read.
    fn too_large(&self, name: String, size: u64, level: NoticeLevel) -> FileResult {
        let message = format!(
            "not checked: {} is over the {} limit of {}",
            report::human_bytes(size),
            self.max_file_size_name,
            report::human_bytes(self.max_file_size)
        );
        let notice = Notice::new(level, NoticeKind::TooLarge, &name, message);
        FileResult::failed(name, Some(notice))
    }

    /// Checks a file's bytes as read from `path` (or why they could not
    /// be), whose name says `format`.
    fn check_read(
        &self,
        name: String,
        path: &Path,
        format: Format,
        explicit: bool,
        bytes: io::Result<Vec<u8>>,
    ) -> FileResult {
        let level = if explicit {
            NoticeLevel::Error
        } else {
            NoticeLevel::Warning
        };
        let format = match &bytes {
            Ok(bytes) => source::sniff(path, bytes, format),
            Err(_) => format,
        };
        match bytes {
            // Binary files found by walking are skipped silently.
            Ok(bytes) if !format.is_document() && source::is_binary(&bytes) => {
                let notice = explicit.then(|| {
                    Notice::new(level, NoticeKind::Binary, &name, "not checked: binary file")
                });
                FileResult::failed(name, notice)
            }
            Ok(bytes) => {
                let len = bytes.len() as u64;
                // Fixes edit text files; a document's text is extracted.
                if let Some(mode) = self.fix
                    && !format.is_document()
                {
                    let named = (name.as_str(), path);
                    let fixed = fixing::fix_file(self.linter, mode, named, bytes, format);
                    let source = Source::from_bytes(name, fixed.bytes, format);
                    let mut r = self.check_source(&source, len);
                    r.diff = fixed.diff;
                    r.notices.splice(0..0, fixed.notices);
                    return r;
                }
                match self.read(name.clone(), path, bytes, format) {
                    Ok(source) => self.check_source(&source, len),
                    Err(e) => {
                        // A damaged document is an error even when walked.
                        let level = match e.reason {
                            NoticeKind::Damaged => NoticeLevel::Error,
                            _ => level,
                        };
                        let mut message = format!("not checked: {e}");
                        if e.pages.is_some() && !self.linter.extract_options().ocr {
                            message.push_str("; --ocr reads it");
                        }
                        let mut notice = Notice::new(level, e.reason, &name, message);
                        notice.count = e.pages;
                        FileResult::failed(name, Some(notice))
                    }
                }
            }
            Err(e) => {
                let message = format!("cannot read: {}", copylint::error::describe_io(&e));
                let notice =
                    Notice::new(NoticeLevel::Error, NoticeKind::Unreadable, &name, message);
                FileResult::failed(name, Some(notice))
            }
        }
    }
}

impl Job<'_> {
    /// A file's source, with the text of its images under `--ocr`.
    fn read(
        &self,
        name: String,
        path: &Path,
        bytes: Vec<u8>,
        format: Format,
    ) -> Result<Source, source::ExtractError> {
        let options = self.linter.extract_options();
        #[cfg(feature = "ocr")]
        if let Some(reader) = self.ocr {
            return reader.read(name, Some(path), bytes, format, options);
        }
        let _ = path;
        Source::read(name, bytes, format, options)
    }

    /// Images looked at by OCR so far.
    fn images_seen(&self) -> Option<usize> {
        #[cfg(feature = "ocr")]
        if let Some(reader) = self.ocr {
            return Some(reader.images_seen());
        }
        None
    }
}

/// The bytes of the file at `path`, or its size when that is over `limit`
/// (then it is not read). The size is the open file's, so that walking
/// need not measure every file, and the buffer is sized from it, so that a
/// file takes one read and one more to see its end. A file that grows
/// while read is read up to `limit` and one byte, and found too large.
fn read_within(path: &Path, limit: u64) -> io::Result<Result<Vec<u8>, u64>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    if size > limit {
        return Ok(Err(size));
    }
    let cap = usize::try_from(limit.saturating_add(1)).unwrap_or(usize::MAX);
    // One byte more than the size, to read the end of the file into.
    let room = usize::try_from(size).unwrap_or(cap).saturating_add(1);
    let mut bytes = vec![0; room.min(cap)];
    let mut filled = 0;
    loop {
        if filled == bytes.len() {
            if filled == cap {
                return Ok(Err(filled as u64));
            }
            bytes.resize(filled.saturating_mul(2).clamp(64, cap), 0);
        }
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    bytes.truncate(filled);
    Ok(Ok(bytes))
}

/// What the run has seen so far, and where it writes.
struct Tally {
    reporter: Box<dyn Reporter>,
    summary: SummaryBuilder,
    failed: bool,
    worst: Option<Severity>,
    quiet: bool,
    /// Collects findings for `--write-baseline`.
    baseline: Option<BaselineWriter>,
    /// How many notices are about paths that could not be walked.
    walk_notices: usize,
    /// Images are read with OCR.
    ocr: bool,
}

impl Tally {
    /// Writes a notice to standard error and hands it to the reporter.
    fn notice(&mut self, n: &Notice, s: &mut Streams) -> io::Result<()> {
        self.failed |= s.notice(n, self.quiet)?;
        self.reporter.notice(s.out, n)
    }

    /// Reports a path that could not be walked.
    fn walk_problem(&mut self, e: &WalkError, s: &mut Streams) -> io::Result<()> {
        let level = if e.warning {
            NoticeLevel::Warning
        } else {
            NoticeLevel::Error
        };
        let path = e.path.to_string_lossy();
        let notice = Notice::new(level, NoticeKind::Unreadable, path, e.message.clone());
        self.walk_notices += 1;
        self.notice(&notice, s)
    }

    /// Writes one file's result: its notices, then its findings.
    fn write(&mut self, r: FileResult, s: &mut Streams) -> io::Result<()> {
        for n in &r.notices {
            self.notice(n, s)?;
        }
        self.summary.images_in_notices(&r.notices, self.ocr);
        if r.checked {
            self.summary.add(&r.display, r.bytes, &r.findings);
            self.worst = self.worst.max(r.worst);
            if let Some(writer) = &mut self.baseline {
                writer.add(&r.display, &r.findings);
            }
        } else if let Some(n) = r
            .notices
            .iter()
            .find(|n| n.kind.skips_file() && n.kind != NoticeKind::Unreadable)
        {
            self.summary.skip(n.kind);
        } else if r.notices.is_empty() {
            // A binary file found by walking, skipped silently.
            self.summary.skip(NoticeKind::Binary);
        }
        s.out.write_all(&r.diff)?;
        self.reporter.write(s.out, &r.rendered)
    }
}

fn read_baseline(path: Option<&Path>) -> Result<Option<Baseline>, Error> {
    let Some(path) = path else { return Ok(None) };
    let text = std::fs::read_to_string(path).map_err(|e| Error::read("baseline", path, e))?;
    Baseline::parse(&text)
        .map(Some)
        .map_err(|source| Error::Baseline {
            path: path.to_path_buf(),
            source,
        })
}

use crate::Failure;

/// Checks standard input, when `-` is among the paths.
fn check_stdin(cli: &Cli, settings: &Settings, job: &Job) -> Option<FileResult> {
    let args = &cli.check;
    if !args.paths.iter().any(|p| p.as_os_str() == "-") {
        return None;
    }
    let name = args
        .stdin_filename
        .clone()
        .unwrap_or_else(|| "<stdin>".to_string());
    Some(match feed::read_input(Path::new("-")) {
        Ok(bytes) if source::is_binary(&bytes) => {
            let n = Notice::new(
                NoticeLevel::Error,
                NoticeKind::Binary,
                &name,
                "not checked: binary data",
            );
            FileResult::failed(name, Some(n))
        }
        Ok(bytes) => {
            let format = settings.walk.extensions.for_named(Path::new(&name));
            let len = bytes.len() as u64;
            job.check_source(&Source::from_bytes(name, bytes, format), len)
        }
        Err(e) => {
            let message = format!("cannot read standard input: {e}");
            let n = Notice::new(NoticeLevel::Error, NoticeKind::Unreadable, &name, message);
            FileResult::failed(name, Some(n))
        }
    })
}

/// Checks the files of `feed` on `threads` workers, writing each chunk in
/// path order.
fn check_files(
    mut feed: Feed,
    threads: usize,
    job: &Job,
    tally: &mut Tally,
    s: &mut Streams,
    show_progress: bool,
) -> Result<(), Failure> {
    let started = Instant::now();
    let known = feed.known_len();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.clamp(1, known.unwrap_or(threads).max(1)))
        .build()
        .map_err(|e| io::Error::other(format!("cannot start worker threads: {e}")))?;
    let bar = feed::progress_bar(feed.known_bytes().unwrap_or(0), known);
    let done_bytes = AtomicU64::new(0);
    let (mut done_files, mut findings, mut walked_bytes) = (0usize, 0usize, 0u64);
    while let Some(batch) = feed.next(CHUNK) {
        let chunk = match batch {
            Batch::Files(chunk) => chunk,
            Batch::Problem(e) => {
                bar.suspend(|| tally.walk_problem(&e, s))?;
                continue;
            }
        };
        if known.is_none() {
            // Streamed: the total grows as the walk finds files.
            walked_bytes += chunk.iter().map(|f| f.size).sum::<u64>();
            bar.set_length(walked_bytes);
        }
        let results: Vec<FileResult> = pool.install(|| {
            chunk
                .par_iter()
                .map(|entry| {
                    let r = job.check_file(entry);
                    let done = done_bytes.fetch_add(entry.size, Ordering::Relaxed);
                    bar.set_position(done + entry.size);
                    r
                })
                .collect()
        });
        done_files += chunk.len();
        findings += results.iter().map(|r| r.findings.len()).sum::<usize>();
        bar.suspend(|| -> io::Result<()> {
            for r in results {
                tally.write(r, s)?;
            }
            s.out.flush()
        })?;
        let mut message = feed::progress_message(done_files, known, findings);
        if let Some(images) = job.images_seen() {
            message.push_str(&format!(", {images} images"));
        }
        bar.set_message(message);
        if show_progress && bar.is_hidden() && started.elapsed() > PROGRESS_DELAY {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }
    bar.finish_and_clear();
    Ok(())
}

pub fn check(cli: &Cli, s: &mut Streams) -> Outcome {
    let started = Instant::now();
    let args = &cli.check;
    crate::usage::validate(cli)?;
    // Standard input named as a file gets the configuration of that file's
    // directory, as an editor expects.
    let stdin_dir = args
        .stdin_filename
        .as_ref()
        .and_then(|name| Path::new(name).parent().map(Path::to_path_buf))
        .filter(|dir| dir.is_dir());
    let mut settings = Settings::resolve(&cli.policy, args, stdin_dir.as_deref())?;
    if !cli.output.quiet {
        for w in &settings.warnings {
            s.warning(w)?;
        }
    }
    let baseline = read_baseline(args.baseline.as_deref())?;
    let rules: Vec<_> = settings.linter.rules().collect();
    // One reporter renders on the workers, another (of the same format)
    // writes in order and keeps the writing state.
    let renderer = report::reporter(cli.output.format, s.out_color, &rules);
    #[cfg(feature = "ocr")]
    let ocr_reader = (settings.linter.extract_options().ocr)
        .then(|| copylint::ocr::Reader::new(&settings.linter, copylint::ocr::OcrLimits::default()));
    let job = Job {
        linter: &settings.linter,
        reporter: renderer.as_ref(),
        render: !cli.output.summary_only && !args.diff,
        max_file_size: settings.limits.max_file_size.value,
        max_file_size_name: match settings.limits.max_file_size.origin {
            Origin::CommandLine => "--max-file-size",
            _ => "max-file-size",
        },
        report_unused: args.report_unused_directives,
        baseline: baseline.as_ref(),
        fix: (args.fix || args.diff).then_some(fixing::Mode {
            min: if args.unsafe_fixes {
                Applicability::Unsafe
            } else {
                Applicability::Safe
            },
            write: args.fix,
        }),
        min_severity: args.min_severity,
        #[cfg(feature = "ocr")]
        ocr: ocr_reader.as_ref(),
    };
    let mut tally = Tally {
        reporter: report::reporter(cli.output.format, s.out_color, &rules),
        summary: SummaryBuilder::default(),
        failed: false,
        worst: None,
        quiet: cli.output.quiet,
        baseline: args
            .write_baseline
            .as_ref()
            .map(|_| BaselineWriter::default()),
        walk_notices: 0,
        ocr: settings.linter.extract_options().ocr,
    };
    let show_progress = s.err_terminal && !cli.output.quiet;
    settings.walk.sizes = show_progress;
    let from_stdin = check_stdin(cli, &settings, &job);
    let files = feed::discover(cli, &settings, &mut |e| tally.walk_problem(e, s))?;
    if let Some(r) = from_stdin {
        tally.write(r, s)?;
    }
    check_files(
        files,
        settings.jobs.value,
        &job,
        &mut tally,
        s,
        show_progress,
    )?;
    #[cfg(feature = "s3")]
    {
        let roots: Vec<&str> = (args.paths.iter())
            .filter(|p| crate::usage::is_remote(p))
            .filter_map(|p| p.to_str())
            .collect();
        if !roots.is_empty() {
            remote::check_roots(&roots, &settings, args.shard, &job, &mut tally, s)?;
        }
    }
    finish(cli, &settings, tally, started, s)
}

/// Ends the report, writes the baseline, and decides the exit status.
fn finish(
    cli: &Cli,
    settings: &Settings,
    mut tally: Tally,
    started: Instant,
    s: &mut Streams,
) -> Outcome {
    let summary: Summary = if cli.output.summary || cli.output.summary_only {
        tally.summary.detailed(started.elapsed())
    } else {
        tally.summary.counts()
    };
    // A diff is the whole output.
    if !cli.check.diff {
        let rules: Vec<_> = settings.linter.rules().collect();
        let (files, bytes, skipped) = tally.summary.totals();
        let run = report::RunRecord {
            version: env!("CARGO_PKG_VERSION").to_string(),
            shard: cli.check.shard,
            policies: report::PolicyDigest::of(&rules),
            min_severity: cli.check.min_severity,
            files,
            bytes,
            skipped: skipped.clone(),
            worst: tally.worst,
            walk_notices: tally.walk_notices,
            seconds: (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0,
        };
        tally.reporter.run(s.out, &run)?;
        tally.reporter.finish(s.out, &summary)?;
    }
    if let (Some(path), Some(writer)) = (&cli.check.write_baseline, &tally.baseline) {
        std::fs::write(path, writer.to_json()).map_err(|e| Error::Io {
            verb: "write",
            what: "baseline",
            path: path.clone(),
            source: e,
        })?;
        if !cli.output.quiet {
            let shown = escape_control(&path.to_string_lossy()).into_owned();
            let n = summary.errors + summary.warnings + summary.infos;
            let what = report::count(n, "finding");
            writeln!(s.err, "copylint: wrote {what} to the baseline {shown}")?;
        }
    }
    Ok(if tally.failed {
        EXIT_ERROR
    } else if cli.check.write_baseline.is_none() && settings.fail_on.value.fails(tally.worst) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}
