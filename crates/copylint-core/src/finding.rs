//! Findings: the one type every reporter consumes.
//!
//! A [`Finding`] is a resolved match: which rule, how severe, what to say,
//! and the exact source span (byte offsets into the decoded text of the
//! file) that it covers. Line and column are derived from the span by the
//! reporters, through [`crate::source::LineIndex`].

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// How serious a finding is. Ordered from least to most severe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    /// Every severity, least severe first.
    pub const ALL: [Severity; 3] = [Severity::Info, Severity::Warning, Severity::Error];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A half-open range of byte offsets, `start..end`, with `start <= end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    start: usize,
    end: usize,
}

impl Span {
    /// Creates a span. Panics if `start > end`, which would be a bug in
    /// copylint, never a property of the input.
    pub fn new(start: usize, end: usize) -> Span {
        assert!(start <= end, "span start {start} after end {end}");
        Span { start, end }
    }

    pub fn start(self) -> usize {
        self.start
    }

    pub fn end(self) -> usize {
        self.end
    }

    pub fn len(self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

/// One policy violation (or notice) in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The rule's id, for example `enables-access`.
    pub rule: Arc<str>,
    pub severity: Severity,
    /// The rule's message; where it quotes the match, the match as read
    /// (references and escapes decoded, markup dropped).
    pub message: Arc<str>,
    /// Byte span in the decoded text of the source.
    pub span: Span,
    /// The source text of the span, whitespace runs collapsed to one space;
    /// raw, for tools: an HTML reference stays as written (`&rsquo;`).
    pub matched: String,
    /// Approved phrasings to use instead.
    pub suggestions: Arc<[String]>,
    /// Edits that correct the finding, when its rule declares them.
    pub fix: Option<Fix>,
    /// The sentence around the match, as a reader sees it: markup dropped,
    /// references and escapes decoded (`’`, not `&rsquo;`), whitespace
    /// runs collapsed.
    pub context: String,
    /// Where the match lies in `context` (byte offsets).
    pub context_match: Span,
    /// For a document, where the finding is in terms a reader navigates
    /// by (a page, a slide or its notes, a paragraph); `None` in a file
    /// whose lines are the positions.
    pub unit: Option<crate::source::Unit>,
    /// For a claim rule's finding: the parts of the claim.
    pub claim: Option<Arc<crate::claims::Claim>>,
}

/// Whether a fix may be applied without a person looking at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Shown, never applied.
    Display,
    /// Applied only when asked for unsafe fixes: it may change the meaning.
    Unsafe,
    /// Applied by `--fix`: it keeps the meaning (a spelling, a casing).
    Safe,
}

/// One replacement: the source span and the text to put there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub span: Span,
    pub content: String,
}

/// The edits that correct one finding, and how safe they are to apply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
}

impl Fix {
    /// Replaces `span` with `content`.
    pub fn replace(span: Span, content: impl Into<String>, applicability: Applicability) -> Fix {
        Fix {
            edits: vec![Edit {
                span,
                content: content.into(),
            }],
            applicability,
        }
    }
}

/// The lowest severity that makes a run exit 1, if any does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    /// Every level, in the order the command line lists them.
    pub const ALL: [FailOn; 4] = [FailOn::Error, FailOn::Warning, FailOn::Info, FailOn::Never];

    /// The lowest severity that fails the run, if any does.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FailOn::Error => "error",
            FailOn::Warning => "warning",
            FailOn::Info => "info",
            FailOn::Never => "never",
        }
    }

    /// Whether a run whose worst finding is `worst` fails.
    pub fn fails(self, worst: Option<Severity>) -> bool {
        matches!((worst, self.threshold()), (Some(w), Some(t)) if w >= t)
    }
}

/// How much a [`Notice`] matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NoticeLevel {
    Note,
    Warning,
    Error,
}

impl NoticeLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeLevel::Note => "note",
            NoticeLevel::Warning => "warning",
            NoticeLevel::Error => "error",
        }
    }
}

/// What a [`Notice`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoticeKind {
    /// A file or input was not checked: binary data.
    Binary,
    /// A file was not checked: over the size limit.
    TooLarge,
    /// A file could not be read, or a path could not be walked.
    Unreadable,
    /// A path named on the command line is not a kind of file copylint checks.
    Unsupported,
    /// A document was not checked: it is encrypted.
    Encrypted,
    /// A PDF was not checked: it has no text layer (a scan).
    NoTextLayer,
    /// A document was not checked: its archive, XML or PDF structure is broken.
    Damaged,
    /// A file was decoded as Windows-1252, not UTF-8.
    Encoding,
    /// A suppression directive names a rule no loaded policy has.
    UnknownRule,
    /// A suppression directive suppressed nothing.
    UnusedDirective,
    /// Fixes were applied to a file (or, with `--diff`, would be).
    Fixed,
    /// A file's fixes could not be applied or written.
    NotFixed,
    /// A document's images (or pages of images only) were not read: its
    /// `count` says how many.
    ImagesNotRead,
    /// An image was not read by OCR: over a size or time limit, or not
    /// an image OCR can read.
    ImageNotRead,
}

impl NoticeKind {
    /// Why a file with this notice was not checked, in a few words.
    pub fn reason(self) -> &'static str {
        match self {
            NoticeKind::Binary => "binary",
            NoticeKind::TooLarge => "too large",
            NoticeKind::Unreadable => "unreadable",
            NoticeKind::Unsupported => "unsupported format",
            NoticeKind::Encrypted => "encrypted",
            NoticeKind::NoTextLayer => "no text layer",
            NoticeKind::Damaged => "damaged",
            NoticeKind::Encoding => "encoding",
            NoticeKind::UnknownRule => "unknown rule",
            NoticeKind::UnusedDirective => "unused directive",
            NoticeKind::Fixed => "fixed",
            NoticeKind::NotFixed => "not fixed",
            NoticeKind::ImagesNotRead => "images not read",
            NoticeKind::ImageNotRead => "image not read",
        }
    }

    /// Whether a file with this notice was left unchecked.
    pub fn skips_file(self) -> bool {
        matches!(
            self,
            NoticeKind::Binary
                | NoticeKind::TooLarge
                | NoticeKind::Unreadable
                | NoticeKind::Unsupported
                | NoticeKind::Encrypted
                | NoticeKind::NoTextLayer
                | NoticeKind::Damaged
        )
    }
}

/// Something a run has to say about one input that is not a finding: a
/// file skipped or unreadable, an odd encoding, a directive that did
/// nothing. Reporters receive these as data; machine formats carry them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub level: NoticeLevel,
    pub kind: NoticeKind,
    /// The file or path it is about, as shown in findings.
    pub path: String,
    /// The 1-based line, where it is about a place in the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// A full sentence, without the path.
    pub message: String,
    /// How many things it is about, where it counts them (images not
    /// read, pages of images only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Display => "display",
            Applicability::Unsafe => "unsafe",
            Applicability::Safe => "safe",
        }
    }
}

impl Notice {
    pub fn new(
        level: NoticeLevel,
        kind: NoticeKind,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Notice {
        Notice {
            level,
            kind,
            path: path.into(),
            line: None,
            message: message.into(),
            count: None,
        }
    }

    pub fn with_count(mut self, count: usize) -> Notice {
        self.count = Some(count);
        self
    }

    pub fn at_line(mut self, line: usize) -> Notice {
        self.line = Some(line);
        self
    }
}
