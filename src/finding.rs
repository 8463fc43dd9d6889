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
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
    pub message: Arc<str>,
    /// Byte span in the decoded text of the source.
    pub span: Span,
    /// The source text of the span, whitespace runs collapsed to one space.
    pub matched: String,
    /// Approved phrasings to use instead.
    pub suggestions: Arc<[String]>,
}

/// `text` with every whitespace run collapsed to one space.
pub fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
