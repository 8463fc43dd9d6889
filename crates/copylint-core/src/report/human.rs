//! Human output: rustc-style diagnostics rendered by codespan-reporting.
//!
//! `error[rule-id]: message`, `--> path:line:column`, the source line with
//! the match underlined, and `= help:` with the approved phrasings. The
//! snippet is the placement's excerpt ([`placed::Excerpt`]), sanitized so
//! that file content cannot drive the terminal.

use std::io::{self, Write};
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::{self, Files};
use codespan_reporting::term::{self, Config, termcolor::Buffer};

use super::placed::{self, FileFindings};
use super::{Reporter, Summary, escape_control, render_table, summary_line};
use crate::finding::{Finding, Severity};

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

/// "\"a\", \"b\" or \"c\"".
fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("\"{s}\"")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// The lines one diagnostic shows, as the finding's placement holds
/// them; it reports the real line and column numbers.
struct Excerpt<'a> {
    name: &'a str,
    text: &'a str,
    starts: Vec<usize>,
    first_line: usize,
    /// Characters of the first line left out before the excerpt.
    first_column: usize,
}

impl<'a> Excerpt<'a> {
    fn new(name: &'a str, excerpt: &'a placed::Excerpt) -> Excerpt<'a> {
        let mut starts = vec![0];
        starts.extend(excerpt.text.match_indices('\n').map(|(i, _)| i + 1));
        Excerpt {
            name,
            text: &excerpt.text,
            starts,
            first_line: excerpt.line,
            first_column: excerpt.skipped,
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
        Ok(self.text)
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
        let column = files::column_index(self.text, range, byte_index) + 1;
        Ok(if line_index == 0 {
            column + self.first_column
        } else {
            column
        })
    }
}

/// The diagnostic of `f`, its match at `span` in its excerpt.
fn diagnostic(f: &Finding, span: Range<usize>) -> Diagnostic<()> {
    let severity = match f.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
    };
    let mut notes = Vec::new();
    if let Some(claim) = &f.claim {
        notes.push(format!("claim: {}", escape_control(&claim.describe())));
    }
    if !f.suggestions.is_empty() {
        notes.push(format!("help: write {} instead", list(&f.suggestions)));
    }
    Diagnostic::new(severity)
        .with_code(f.rule.to_string())
        .with_message(escape_control(&f.message))
        .with_labels(vec![Label::primary((), span)])
        .with_notes(notes)
}

impl Reporter for Human {
    fn render(&self, file: &FileFindings) -> Vec<u8> {
        if file.findings.is_empty() {
            return Vec::new();
        }
        let name = escape_control(file.name);
        let mut buffer = if self.color {
            Buffer::ansi()
        } else {
            Buffer::no_color()
        };
        for (f, place) in file.iter() {
            // In a document, the arrow line names the unit and lines count
            // within it.
            let named = match f.unit {
                Some(unit) => format!("{name}, {unit}"),
                None => name.to_string(),
            };
            let excerpt = Excerpt::new(&named, &place.excerpt);
            let d = diagnostic(f, place.excerpt.start..place.excerpt.end);
            // Spans come from the same text, so rendering cannot fail.
            let _ = term::emit_to_write_style(&mut buffer, &self.config, &excerpt, &d);
        }
        buffer.into_inner()
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        if summary.details.is_some() {
            out.write_all(render_table(summary).as_bytes())?;
        } else {
            writeln!(out, "{}", summary_line(summary))?;
        }
        if let Some(images) = summary.images_not_read {
            writeln!(out, "{}", images.line())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_suggestions() {
        assert_eq!(
            list(&["a".into(), "b".into(), "c".into()]),
            "\"a\", \"b\" or \"c\""
        );
        assert_eq!(list(&["a".into()]), "\"a\"");
    }
}
