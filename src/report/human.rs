//! Human output: rustc-style diagnostics rendered by codespan-reporting.
//!
//! `error[rule-id]: message`, `--> path:line:column`, the source line with
//! the match underlined, and `= help:` with the approved phrasings. The
//! snippet is a sanitized copy of the source with the same byte offsets:
//! lone carriage returns become line breaks (as copylint counts lines) and
//! other control characters become `?`, so file content cannot drive the
//! terminal.

use std::io::{self, Write};
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::{self, Files};
use codespan_reporting::term::{self, Config, termcolor::Buffer};

use super::{Reporter, Summary, escape_control, render_table, summary_line};
use crate::finding::{Finding, Severity};
use crate::source::{LineIndex, Source};

pub struct Human {
    color: bool,
    config: Config,
}

impl Human {
    pub fn new(color: bool) -> Human {
        Human {
            color,
            config: Config::default(),
        }
    }
}

/// A copy of `text` with the same byte offsets, safe to print.
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

/// "\"a\", \"b\" or \"c\"".
fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("\"{s}\"")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// Lines up to this long are shown whole; longer ones are cut to a window
/// around the match.
const MAX_LINE: usize = 240;
/// Bytes of context kept on each side of a match in a cut line.
const WINDOW: usize = 80;

/// The lines one diagnostic shows, sanitized, cut to a window around the
/// match on very long lines; it reports the real line and column numbers.
/// Rendering from an excerpt keeps the cost per finding independent of the
/// file's size.
struct Excerpt<'a> {
    name: &'a str,
    text: String,
    /// Offset of the excerpt in the source.
    offset: usize,
    starts: Vec<usize>,
    first_line: usize,
    /// Characters of the first line left out before the excerpt.
    first_column: usize,
}

impl<'a> Excerpt<'a> {
    fn new(name: &'a str, source: &str, lines: &LineIndex, span: Range<usize>) -> Excerpt<'a> {
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
        let text = sanitize(&source[start..end]);
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Excerpt {
            name,
            first_column: source[line_start..start].chars().count(),
            text,
            offset: start,
            starts,
            first_line: first + 1,
        }
    }
}

impl<'f> Files<'f> for Excerpt<'_> {
    type FileId = ();
    type Name = &'f str;
    type Source = &'f str;

    fn name(&'f self, (): ()) -> Result<&'f str, files::Error> {
        Ok(self.name)
    }

    fn source(&'f self, (): ()) -> Result<&'f str, files::Error> {
        Ok(&self.text)
    }

    fn line_index(&'f self, (): (), byte_index: usize) -> Result<usize, files::Error> {
        Ok(self.starts.partition_point(|&s| s <= byte_index) - 1)
    }

    fn line_range(&'f self, (): (), line_index: usize) -> Result<Range<usize>, files::Error> {
        let start = *self
            .starts
            .get(line_index)
            .ok_or(files::Error::LineTooLarge {
                given: line_index,
                max: self.starts.len() - 1,
            })?;
        let end = self
            .starts
            .get(line_index + 1)
            .copied()
            .unwrap_or(self.text.len());
        Ok(start..end)
    }

    fn line_number(&'f self, (): (), line_index: usize) -> Result<usize, files::Error> {
        Ok(self.first_line + line_index)
    }

    fn column_number(
        &'f self,
        (): (),
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, files::Error> {
        let range = self.line_range((), line_index)?;
        let column = files::column_index(&self.text, range, byte_index) + 1;
        Ok(if line_index == 0 {
            column + self.first_column
        } else {
            column
        })
    }
}

/// The diagnostic of `f`, its span shifted into an excerpt starting at
/// source offset `offset`.
fn diagnostic(f: &Finding, offset: usize) -> Diagnostic<()> {
    let severity = match f.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
    };
    let mut notes = Vec::new();
    if !f.suggestions.is_empty() {
        notes.push(format!("help: write {} instead", list(&f.suggestions)));
    }
    Diagnostic::new(severity)
        .with_code(f.rule.to_string())
        .with_message(escape_control(&f.message))
        .with_labels(vec![Label::primary(
            (),
            f.span.start() - offset..f.span.end() - offset,
        )])
        .with_notes(notes)
}

impl Reporter for Human {
    fn render(&self, source: &Source, findings: &[Finding]) -> Vec<u8> {
        if findings.is_empty() {
            return Vec::new();
        }
        let name = escape_control(source.name());
        let lines = LineIndex::new(source.text());
        let mut buffer = if self.color {
            Buffer::ansi()
        } else {
            Buffer::no_color()
        };
        for f in findings {
            // In a document, the arrow line names the unit and lines count
            // within it.
            let named = match f.unit {
                Some(unit) => format!("{name}, {unit}"),
                None => name.to_string(),
            };
            let mut excerpt = Excerpt::new(&named, source.text(), &lines, f.span.range());
            excerpt.first_line -= source.unit_first_line(f.span.start());
            let d = diagnostic(f, excerpt.offset);
            // Spans come from the same text, so rendering cannot fail.
            let _ = term::emit_to_write_style(&mut buffer, &self.config, &excerpt, &d);
        }
        buffer.into_inner()
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        if summary.details.is_some() {
            out.write_all(render_table(summary).as_bytes())
        } else {
            writeln!(out, "{}", summary_line(summary))
        }
    }
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
        let span = at..at + "calls on ChatGPT".len();
        let e = Excerpt::new("f.md", &source, &lines, span.clone());
        assert!(e.text.len() < 200, "{}", e.text.len());
        assert!(e.text.contains("calls on ChatGPT"));
        let loc = e.location((), span.start - e.offset).unwrap();
        assert_eq!((loc.line_number, loc.column_number), (2, 1001));
        // Short lines are shown whole.
        let short = "a\nIt calls on ChatGPT.\nb";
        let lines = LineIndex::new(short);
        let e = Excerpt::new("f.md", short, &lines, 5..21);
        assert_eq!(e.text, "It calls on ChatGPT.");
        assert_eq!(e.location((), 5 - e.offset).unwrap().column_number, 4);
    }

    #[test]
    fn lists_suggestions() {
        assert_eq!(
            list(&["a".into(), "b".into(), "c".into()]),
            "\"a\", \"b\" or \"c\""
        );
        assert_eq!(list(&["a".into()]), "\"a\"");
    }
}
