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
use copylint::file::{FileCheck, FileOutcome};
use copylint::finding::{Finding, Notice, NoticeKind, NoticeLevel, Severity};
use copylint::report::{self, Reporter, Summary, SummaryBuilder, escape_control};
use copylint::walk::{FileEntry, WalkError};
use indicatif::ProgressDrawTarget;
use rayon::prelude::*;

use crate::feed::{self, Batch, CHUNK, Feed};
use crate::settings::{Origin, Settings};
use crate::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, Outcome, Streams};

#[cfg(feature = "s3")]
mod remote;

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
    /// How each file is checked: the library's, as the language server's.
    file: FileCheck<'a>,
    reporter: &'a dyn Reporter,
    /// Render findings (false with `--summary-only`).
    render: bool,
}

impl Job<'_> {
    /// A file's outcome, its findings rendered.
    fn result(&self, outcome: FileOutcome) -> FileResult {
        let rendered = match &outcome.source {
            Some(source) if self.render && !outcome.findings.is_empty() => self
                .reporter
                .render(&report::FileFindings::new(source, &outcome.findings)),
            _ => Vec::new(),
        };
        FileResult {
            checked: outcome.checked(),
            display: outcome.name,
            bytes: outcome.bytes,
            rendered,
            diff: outcome.diff,
            findings: outcome.findings,
            worst: outcome.worst,
            notices: outcome.notices,
        }
    }

    fn check_file(&self, entry: &FileEntry) -> FileResult {
        let outcome =
            (self.file).check_path(entry.display(), &entry.path, entry.format, entry.explicit);
        self.result(outcome)
    }
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
fn check_stdin(settings: &Settings, job: &Job) -> Option<FileResult> {
    let name = settings.inputs.stdin.clone()?;
    Some(match feed::read_input(Path::new("-")) {
        // Checked as the file it is named as would be.
        Ok(bytes) => {
            let path = Path::new(&name).to_path_buf();
            let format = job.file.format_of(&path);
            job.result((job.file).check_bytes(name, &path, format, true, Ok(bytes)))
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
        if let Some(images) = job.file.images_seen() {
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

/// Checks what the settings name.
pub fn check(mut settings: Settings, s: &mut Streams) -> Outcome {
    let started = Instant::now();
    let quiet = settings.output.quiet;
    if !quiet {
        for w in &settings.warnings {
            s.warning(w)?;
        }
    }
    let show_progress = s.err_terminal && !quiet;
    settings.walk.sizes = show_progress;
    let (inputs, output) = (&settings.inputs, &settings.output);
    let baseline = read_baseline(inputs.baseline.as_deref())?;
    let rules: Vec<_> = settings.linter.rules().collect();
    // One reporter renders on the workers, another (of the same format)
    // writes in order and keeps the writing state.
    let renderer = report::reporter(output.format, s.out_color, &rules);
    let ocr = settings.linter.extract_options().ocr;
    #[cfg(feature = "ocr")]
    let ocr_reader =
        ocr.then(|| copylint::ocr::Reader::new(&settings.linter, settings.ocr_limits()));
    let job = Job {
        file: FileCheck {
            max_file_size_name: match settings.limits.max_file_size.origin {
                Origin::CommandLine => "--max-file-size",
                _ => "max-file-size",
            },
            report_unused: inputs.report_unused,
            baseline: baseline.as_ref(),
            fix: inputs.fix,
            min_severity: inputs.min_severity,
            #[cfg(feature = "ocr")]
            ocr: ocr_reader.as_ref(),
            ..settings.file_check()
        },
        reporter: renderer.as_ref(),
        render: !output.summary_only && !inputs.diff(),
    };
    let mut tally = Tally {
        reporter: report::reporter(output.format, s.out_color, &rules),
        summary: SummaryBuilder::default(),
        failed: false,
        worst: None,
        quiet: output.quiet,
        baseline: (inputs.write_baseline.as_ref()).map(|_| BaselineWriter::default()),
        walk_notices: 0,
        ocr,
    };
    let from_stdin = check_stdin(&settings, &job);
    let files = feed::discover(&settings, &mut |e| tally.walk_problem(e, s))?;
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
    if !inputs.remote.is_empty() {
        let roots: Vec<&str> = inputs.remote.iter().map(String::as_str).collect();
        remote::check_roots(&roots, &settings, inputs.shard, &job, &mut tally, s)?;
    }
    finish(&settings, tally, started, s)
}

/// Ends the report, writes the baseline, and decides the exit status.
fn finish(settings: &Settings, mut tally: Tally, started: Instant, s: &mut Streams) -> Outcome {
    let (inputs, output) = (&settings.inputs, &settings.output);
    let summary: Summary = if output.summary || output.summary_only {
        tally.summary.detailed(started.elapsed())
    } else {
        tally.summary.counts()
    };
    // A diff is the whole output.
    if !inputs.diff() {
        let rules: Vec<_> = settings.linter.rules().collect();
        let (files, bytes, skipped) = tally.summary.totals();
        let run = report::RunRecord {
            version: env!("CARGO_PKG_VERSION").to_string(),
            shard: inputs.shard,
            policies: report::PolicyDigest::of(&rules),
            min_severity: inputs.min_severity,
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
    if let (Some(path), Some(writer)) = (&inputs.write_baseline, &tally.baseline) {
        std::fs::write(path, writer.to_json()).map_err(|e| Error::Io {
            verb: "write",
            what: "baseline",
            path: path.clone(),
            source: e,
        })?;
        if !output.quiet {
            let shown = escape_control(&path.to_string_lossy()).into_owned();
            let n = summary.errors + summary.warnings + summary.infos;
            let what = report::count(n, "finding");
            writeln!(s.err, "copylint: wrote {what} to the baseline {shown}")?;
        }
    }
    Ok(if tally.failed {
        EXIT_ERROR
    } else if inputs.write_baseline.is_none() && settings.fail_on.value.fails(tally.worst) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}
