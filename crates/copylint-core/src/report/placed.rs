//! Findings placed in their file: every position, snippet and excerpt a
//! reporter shows, computed once from the [`Source`].
//!
//! Reporters render from a [`FileFindings`], never from the source text,
//! so the same bytes come out whether the file was just checked or its
//! findings were read back from NDJSON, where each diagnostic carries its
//! [`Placement`] under `place` (`copylint merge`).

use serde::{Deserialize, Serialize};

use crate::finding::Finding;
use crate::source::{Cursor, LineIndex, Position, Source};

/// A position as JSON shows it: line and column in the finding's unit
/// (1-based, columns in characters) and the byte offset in the file as
/// stored.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Point {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
}

/// The lines a human diagnostic shows: the source lines of the match,
/// cut to a window on very long lines, control characters made safe.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Excerpt {
    pub text: String,
    /// The number of the excerpt's first line (in the unit of a document).
    pub line: usize,
    /// Characters of the first line left out before the excerpt.
    pub skipped: usize,
    /// The match, as byte offsets in `text`.
    pub start: usize,
    pub end: usize,
}

/// Where one edit of a fix lies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditPlacement {
    pub start: Point,
    pub end: Point,
    /// Line and column in the whole text (SARIF).
    pub text_start: Position,
    pub text_end: Position,
}

/// Where one finding lies, in every form a reporter shows.
///
/// Serialized beside a JSON diagnostic, which already holds `start` and
/// `end`: those two are left out, and set again when it is read back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    #[serde(skip)]
    pub start: Point,
    #[serde(skip)]
    pub end: Point,
    /// The start's line and column in the whole text (CSV, HTML), when it
    /// differs from `start` (in documents).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_start: Option<Position>,
    /// The end with its line counted in the start's unit (GitHub, SARIF),
    /// when it differs from `end`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_in_start_unit: Option<Position>,
    /// The source text of the match (SARIF's snippet), when it differs
    /// from the whitespace-collapsed `matched`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
    /// Where the match lies in the finding's `context` (bytes).
    pub context_match: [usize; 2],
    pub excerpt: Excerpt,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edits: Vec<EditPlacement>,
}

impl Placement {
    /// The start's line and column in the whole text.
    pub fn text_start(&self) -> Position {
        self.text_start.unwrap_or(Position {
            line: self.start.line,
            column: self.start.column,
        })
    }

    /// The end, its line counted in the start's unit.
    pub fn end_in_start_unit(&self) -> Position {
        self.end_in_start_unit.unwrap_or(Position {
            line: self.end.line,
            column: self.end.column,
        })
    }

    /// The source text of the match.
    pub fn snippet<'a>(&'a self, f: &'a Finding) -> &'a str {
        self.snippet.as_deref().unwrap_or(&f.matched)
    }
}

/// One file's findings and their placements, ready to render.
pub struct FileFindings<'a> {
    pub name: &'a str,
    pub findings: &'a [Finding],
    pub places: Vec<Placement>,
}

impl<'a> FileFindings<'a> {
    /// Places `findings` in `source`.
    pub fn new(source: &'a Source, findings: &'a [Finding]) -> FileFindings<'a> {
        let text = source.text();
        let mut cursor = Cursor::new(text);
        let mut offsets = source.file_offsets();
        let mut places = Vec::with_capacity(findings.len());
        for f in findings {
            let mut point = |offset: usize, unit_of: usize| {
                let raw = cursor.position(offset);
                let p = source.in_unit(unit_of, raw);
                let point = Point {
                    line: p.line,
                    column: p.column,
                    offset: offsets.get(offset),
                };
                (point, raw)
            };
            let (start, raw_start) = point(f.span.start(), f.span.start());
            let (end, raw_end) = point(f.span.end(), f.span.end());
            let edits = f.fix.as_ref().map_or_else(Vec::new, |fix| {
                fix.edits
                    .iter()
                    .map(|e| {
                        let (start, text_start) = point(e.span.start(), e.span.start());
                        let (end, text_end) = point(e.span.end(), e.span.end());
                        EditPlacement {
                            start,
                            end,
                            text_start,
                            text_end,
                        }
                    })
                    .collect()
            });
            let in_start_unit = source.in_unit(f.span.start(), raw_end);
            let snippet = &text[f.span.range()];
            let mut excerpt = excerpt(text, cursor.lines(), f.span.range());
            excerpt.line -= source.unit_first_line(f.span.start());
            places.push(Placement {
                start,
                end,
                text_start: (raw_start.line != start.line).then_some(raw_start),
                end_in_start_unit: (in_start_unit.line != end.line).then_some(in_start_unit),
                snippet: (snippet != f.matched).then(|| snippet.to_string()),
                context_match: [f.context_match.start(), f.context_match.end()],
                excerpt,
                edits,
            });
        }
        FileFindings {
            name: source.name(),
            findings,
            places,
        }
    }

    /// Each finding with its placement.
    pub fn iter(&self) -> impl Iterator<Item = (&'a Finding, &Placement)> {
        self.findings.iter().zip(&self.places)
    }
}

/// Lines up to this long are shown whole; longer ones are cut to a window
/// around the match.
const MAX_LINE: usize = 240;
/// Bytes of context kept on each side of a match in a cut line.
const WINDOW: usize = 80;

/// The excerpt of `source` a diagnostic of `span` shows. Rendering from an
/// excerpt keeps the cost per finding independent of the file's size.
fn excerpt(source: &str, lines: &LineIndex, span: std::ops::Range<usize>) -> Excerpt {
    let first = lines.line_of(span.start);
    let last = lines.line_of(span.end.saturating_sub(1).max(span.start));
    let line_start = lines.line_start(first);
    let line_end = if last + 1 < lines.len() {
        let next = lines.line_start(last + 1);
        next - if source[..next].ends_with("\r\n") {
            2
        } else {
            1
        }
    } else {
        source.len()
    };
    let mut start = line_start;
    let mut end = line_end.max(span.end);
    if span.start - line_start > MAX_LINE {
        start = source.floor_char_boundary(span.start - WINDOW);
    }
    if end - span.end > MAX_LINE {
        end = source.ceil_char_boundary(span.end + WINDOW);
    }
    Excerpt {
        text: sanitize(&source[start..end]),
        line: first + 1,
        skipped: source[line_start..start].chars().count(),
        start: span.start - start,
        end: span.end - start,
    }
}

/// A copy of `text` with the same byte offsets, safe to print: lone
/// carriage returns become line breaks (as copylint counts lines) and
/// other control characters become `?`.
fn sanitize(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        match c {
            '\r' if bytes.get(i + 1) != Some(&b'\n') => out.push('\n'),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => (0..c.len_utf8()).for_each(|_| out.push('?')),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_keeps_offsets() {
        let text = "a\u{1b}[2J\rb\r\nc\u{85}d";
        let clean = sanitize(text);
        assert_eq!(clean.len(), text.len());
        assert_eq!(clean, "a?[2J\nb\r\nc??d");
    }

    #[test]
    fn excerpts_cut_long_lines_and_keep_real_positions() {
        let source = format!(
            "first\r\n{}calls on ChatGPT{}\nlast",
            "x ".repeat(500),
            " y".repeat(500)
        );
        let lines = LineIndex::new(&source);
        let at = source.find("calls").unwrap();
        let e = excerpt(&source, &lines, at..at + "calls on ChatGPT".len());
        assert!(e.text.len() < 200, "{}", e.text.len());
        assert_eq!(&e.text[e.start..e.end], "calls on ChatGPT");
        assert_eq!(
            (e.line, e.skipped + e.text[..e.start].chars().count() + 1),
            (2, 1001)
        );
        // Short lines are shown whole.
        let short = "a\nIt calls on ChatGPT.\nb";
        let e = excerpt(short, &LineIndex::new(short), 5..21);
        assert_eq!(
            (e.text.as_str(), e.start, e.skipped),
            ("It calls on ChatGPT.", 3, 0)
        );
    }

    #[test]
    fn placements_round_trip_through_json() {
        let source = Source::new(
            "a.md",
            "x\nIt calls on  ChatGPT.\n",
            crate::Format::Markdown,
        );
        let linter = crate::Linter::new(vec![crate::Policy::default_policy()]).unwrap();
        let findings = linter.check(&source);
        let file = FileFindings::new(&source, &findings);
        let p = &file.places[0];
        assert_eq!((p.start.line, p.start.column, p.start.offset), (2, 4, 5));
        assert_eq!(p.snippet.as_deref(), Some("calls on  ChatGPT"));
        let mut back: Placement = serde_json::from_str(&serde_json::to_string(p).unwrap()).unwrap();
        (back.start, back.end) = (p.start, p.end);
        assert_eq!(&back, p);
    }
}
