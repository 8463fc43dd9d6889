//! What happens to one file, wherever it comes from: a walked or named
//! file, standard input, an object in storage, or an editor's unsaved
//! text. Its size is held to the limit, its format chosen (the name's
//! extension, then its first bytes), its prose extracted and checked, the
//! suppression directives applied, and what the check has to say about
//! the file beside its findings (skipped, unreadable, read as
//! Windows-1252, a directive naming an unknown rule or suppressing
//! nothing) returned as [`Notice`]s.
//!
//! The command line and the language server both check files through
//! [`FileCheck`], so the same content gets the same findings and notices
//! from both.

mod fixing;

use std::io::{self, Read};
use std::path::Path;

use crate::baseline::Baseline;
use crate::engine::Linter;
use crate::finding::{Finding, Notice, NoticeKind, NoticeLevel, Severity};
use crate::report::{escape_control, human_bytes};
use crate::source::{self, Encoding, Extensions, Format, LineIndex, Source};
use crate::suppress::Directive;

pub use fixing::{FixMode, MAX_ROUNDS};

/// The size limit when nothing sets one.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 << 20;

/// How each file is checked.
#[derive(Clone, Copy)]
pub struct FileCheck<'a> {
    pub linter: &'a Linter,
    /// Which extensions name Markdown and text.
    pub extensions: &'a Extensions,
    /// Files larger than this many bytes are not read.
    pub max_file_size: u64,
    /// How the size limit is named in the notice of a file over it.
    pub max_file_size_name: &'a str,
    /// Report directives that suppressed nothing.
    pub report_unused: bool,
    /// Only findings not in this baseline are kept.
    pub baseline: Option<&'a Baseline>,
    /// Only findings at or above this severity are kept (the worst finding
    /// is still known).
    pub min_severity: Option<Severity>,
    /// Apply the fixes (or show them as a diff) before checking; text
    /// files only.
    pub fix: Option<FixMode>,
    /// With `--ocr`, documents are read with the text of their images.
    #[cfg(feature = "ocr")]
    pub ocr: Option<&'a crate::ocr::Reader>,
}

impl<'a> FileCheck<'a> {
    /// Checks files with `linter` and the defaults: the default size limit,
    /// no baseline, every finding kept, nothing fixed.
    pub fn new(linter: &'a Linter, extensions: &'a Extensions) -> FileCheck<'a> {
        FileCheck {
            linter,
            extensions,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            max_file_size_name: "max-file-size",
            report_unused: false,
            baseline: None,
            min_severity: None,
            fix: None,
            #[cfg(feature = "ocr")]
            ocr: None,
        }
    }
}

/// One file, checked or not.
#[derive(Debug)]
pub struct FileOutcome {
    /// The name the file is reported under.
    pub name: String,
    /// How many bytes were read.
    pub bytes: u64,
    /// The text that was checked, when it was.
    pub source: Option<Source>,
    /// The findings kept.
    pub findings: Vec<Finding>,
    /// The most severe finding, kept or not: a failure level looks at it.
    pub worst: Option<Severity>,
    /// What there is to say about the file, in the order it was found.
    pub notices: Vec<Notice>,
    /// With [`FixMode`] showing a diff: the file's fixes as a unified diff.
    pub diff: Vec<u8>,
}

impl FileOutcome {
    fn skipped(name: String, notice: Option<Notice>) -> FileOutcome {
        FileOutcome {
            name,
            bytes: 0,
            source: None,
            findings: Vec::new(),
            worst: None,
            notices: notice.into_iter().collect(),
            diff: Vec::new(),
        }
    }

    /// Whether the file's text was checked.
    pub fn checked(&self) -> bool {
        self.source.is_some()
    }
}

impl FileCheck<'_> {
    /// The format a file of this name is read as, before its bytes are seen.
    pub fn format_of(&self, path: &Path) -> Format {
        self.extensions.for_named(path)
    }

    /// Reads and checks the file at `path`, reported as `name`, whose name
    /// says `format`. `explicit` files (named by the user rather than found
    /// by walking) that are not checked get an error, not a warning.
    pub fn check_path(
        &self,
        name: String,
        path: &Path,
        format: Format,
        explicit: bool,
    ) -> FileOutcome {
        match read_within(path, self.max_file_size) {
            Ok(Err(size)) => self.too_large(name, size, level(explicit)),
            Ok(Ok(bytes)) => self.check_bytes(name, path, format, explicit, Ok(bytes)),
            Err(e) => self.check_bytes(name, path, format, explicit, Err(e)),
        }
    }

    /// Checks an editor's text of the file at `path` (which need not
    /// exist), reported as `name`: as [`check_bytes`](Self::check_bytes)
    /// would check the same bytes on disk, but the spans are offsets into
    /// `text` as given (a leading byte-order mark is kept).
    pub fn check_text(&self, name: String, path: &Path, text: &str) -> FileOutcome {
        let format = self.format_of(path);
        let sniffed = source::sniff(path, text.as_bytes(), format);
        if sniffed.is_document() || self.fix.is_some() {
            return self.check_bytes(name, path, format, true, Ok(text.as_bytes().to_vec()));
        }
        let len = text.len() as u64;
        if len > self.max_file_size {
            return self.too_large(name, len, NoticeLevel::Error);
        }
        if source::is_binary(text.as_bytes()) {
            return binary(name, true);
        }
        let mut source = Source::new(name, text, sniffed);
        if sniffed == Format::Html {
            // As a page read from its file counts them.
            source.image_report_mut().images = source::images::count_html_images(text);
        }
        #[cfg(feature = "ocr")]
        if let Some(reader) = self.ocr
            && sniffed == Format::Html
        {
            reader.add_html_images(&mut source, Some(path), self.linter.extract_options());
        }
        self.check_source(source, len)
    }

    /// Checks a file's bytes as stored at `path` (or why they could not be
    /// read), reported as `name`, whose name says `format`.
    pub fn check_bytes(
        &self,
        name: String,
        path: &Path,
        format: Format,
        explicit: bool,
        bytes: io::Result<Vec<u8>>,
    ) -> FileOutcome {
        let bytes = match bytes {
            Ok(bytes) => bytes,
            Err(e) => {
                let message = format!("cannot read: {}", crate::error::describe_io(&e));
                let notice =
                    Notice::new(NoticeLevel::Error, NoticeKind::Unreadable, &name, message);
                return FileOutcome::skipped(name, Some(notice));
            }
        };
        let len = bytes.len() as u64;
        if len > self.max_file_size {
            return self.too_large(name, len, level(explicit));
        }
        let format = source::sniff(path, &bytes, format);
        // Binary files found by walking are skipped silently.
        if !format.is_document() && source::is_binary(&bytes) {
            return binary(name, explicit);
        }
        // Fixes edit text files; a document's text is extracted.
        if let Some(mode) = self.fix
            && !format.is_document()
        {
            let fixed = fixing::fix_file(self.linter, mode, (name.as_str(), path), bytes, format);
            let source = Source::from_bytes(name, fixed.bytes, format);
            let mut outcome = self.check_source(source, len);
            outcome.diff = fixed.diff;
            outcome.notices.splice(0..0, fixed.notices);
            return outcome;
        }
        match self.read(name.clone(), path, bytes, format) {
            Ok(source) => self.check_source(source, len),
            Err(e) => {
                // A damaged document is an error even when walked.
                let level = match e.reason {
                    NoticeKind::Damaged => NoticeLevel::Error,
                    _ => level(explicit),
                };
                let mut message = format!("not checked: {e}");
                if e.pages.is_some() && !self.linter.extract_options().ocr {
                    message.push_str("; --ocr reads it");
                }
                let mut notice = Notice::new(level, e.reason, &name, message);
                notice.count = e.pages;
                FileOutcome::skipped(name, Some(notice))
            }
        }
    }

    /// A file's source, with the text of its images under `--ocr`.
    fn read(
        &self,
        name: String,
        path: &Path,
        bytes: Vec<u8>,
        format: Format,
    ) -> Result<Source, crate::source::ExtractError> {
        let options = self.linter.extract_options();
        #[cfg(feature = "ocr")]
        if let Some(reader) = self.ocr {
            return reader.read(name, Some(path), bytes, format, options);
        }
        let _ = path;
        Source::read(name, bytes, format, options)
    }

    /// How many images OCR has looked at so far, under `--ocr`.
    pub fn images_seen(&self) -> Option<usize> {
        #[cfg(feature = "ocr")]
        if let Some(reader) = self.ocr {
            return Some(reader.images_seen());
        }
        None
    }

    /// Checks a source of `bytes` bytes as stored.
    pub fn check_source(&self, source: Source, bytes: u64) -> FileOutcome {
        let checked = self.linter.check_full(&source);
        let mut findings = checked.findings;
        let name = source.name();
        // Images the document shows: how many were not read, and which
        // OCR refused.
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
                let kind = NoticeKind::UnusedDirective;
                notices.push(
                    Notice::new(NoticeLevel::Warning, kind, name, message).at_line(line_of(d)),
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
        FileOutcome {
            name: name.to_string(),
            bytes,
            source: Some(source),
            findings,
            worst,
            notices,
            diff: Vec::new(),
        }
    }

    /// A file of `size` bytes over the size limit, not read.
    pub fn too_large(&self, name: String, size: u64, level: NoticeLevel) -> FileOutcome {
        let message = format!(
            "not checked: {} is over the {} limit of {}",
            human_bytes(size),
            self.max_file_size_name,
            human_bytes(self.max_file_size)
        );
        let notice = Notice::new(level, NoticeKind::TooLarge, &name, message);
        FileOutcome::skipped(name, Some(notice))
    }
}

/// How much a file that is not checked matters: an error when the user
/// named it, as a hook must never pass a file it did not read.
fn level(explicit: bool) -> NoticeLevel {
    if explicit {
        NoticeLevel::Error
    } else {
        NoticeLevel::Warning
    }
}

/// A binary file: a notice when it was named, silence when walked.
fn binary(name: String, explicit: bool) -> FileOutcome {
    let notice = explicit.then(|| {
        Notice::new(
            NoticeLevel::Error,
            NoticeKind::Binary,
            &name,
            "not checked: binary file",
        )
    });
    FileOutcome::skipped(name, notice)
}

/// The bytes of the file at `path`, or its size when that is over `limit`
/// (then it is not read). The size is the open file's, so that walking
/// need not measure every file, and the buffer is sized from it, so that a
/// file takes one read and one more to see its end. A file that grows
/// while read is read up to `limit` and one byte, and found too large.
fn read_within(path: &Path, limit: u64) -> io::Result<Result<Vec<u8>, u64>> {
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
