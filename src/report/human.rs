//! Human output: rustc-style diagnostics rendered by codespan-reporting.
//!
//! `error[rule-id]: message`, `--> path:line:column`, the source line with
//! the match underlined, and `= help:` with the approved phrasings. The
//! snippet is a sanitized copy of the source with the same byte offsets:
//! lone carriage returns become line breaks (as copylint counts lines) and
//! other control characters become `?`, so file content cannot drive the
//! terminal.

use std::io::{self, Write};

use codespan_reporting::diagnostic::{Diagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config, termcolor::Buffer};

use super::{Reporter, Summary, escape_control, render_table, summary_line};
use crate::finding::{Finding, Severity};
use crate::source::Source;

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

pub fn diagnostic(f: &Finding) -> Diagnostic<()> {
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
        .with_labels(vec![Label::primary((), f.span.range())])
        .with_notes(notes)
}

impl Reporter for Human {
    fn render(&self, source: &Source, findings: &[Finding]) -> Vec<u8> {
        if findings.is_empty() {
            return Vec::new();
        }
        let name = escape_control(source.name());
        let text = sanitize(source.text());
        let file = SimpleFile::new(name.as_ref(), text.as_str());
        let mut buffer = if self.color {
            Buffer::ansi()
        } else {
            Buffer::no_color()
        };
        for f in findings {
            // Spans come from the same text, so rendering cannot fail.
            let _ = term::emit_to_write_style(&mut buffer, &self.config, &file, &diagnostic(f));
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
    fn lists_suggestions() {
        assert_eq!(
            list(&["a".into(), "b".into(), "c".into()]),
            "\"a\", \"b\" or \"c\""
        );
        assert_eq!(list(&["a".into()]), "\"a\"");
    }
}
