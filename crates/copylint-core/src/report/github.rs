//! `--format github`: GitHub Actions workflow commands, one line per finding.
//!
//! `::error file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=copylint(RULE)::MESSAGE`,
//! with `::warning` for warnings and `::notice` for infos; the runner turns
//! each into an annotation on the file. Lines and columns are those of the
//! other formats (columns count characters; `endColumn` is exclusive).
//! Values are escaped as the runner unescapes them: `%`, carriage return
//! and line feed as `%25`, `%0D` and `%0A` everywhere, and `:` and `,` as
//! `%3A` and `%2C` in properties. Other control characters are written as
//! `\u{1b}`, so a file's name or text cannot drive the log's terminal.
//! Standard output carries the commands only: `finish` writes nothing.

use std::io::{self, Write};

use super::placed::FileFindings;
use super::{Reporter, Summary};
use crate::finding::Severity;

pub struct Github;

/// The workflow command for a severity.
fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// `s` escaped as a command's message.
fn escape_data(s: &str) -> String {
    escape(s, false)
}

/// `s` escaped as a command's property value.
fn escape_property(s: &str) -> String {
    escape(s, true)
}

fn escape(s: &str, property: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}

impl Reporter for Github {
    fn render(&self, findings: &FileFindings) -> Vec<u8> {
        let mut out = Vec::new();
        let file = escape_property(findings.name);
        for (f, place) in findings.iter() {
            let start = place.start;
            let end = place.end_in_start_unit();
            let _ = writeln!(
                out,
                "::{} file={file},line={},col={},endLine={},endColumn={},title={}::{}",
                command(f.severity),
                start.line,
                start.column,
                end.line,
                end.column,
                escape_property(&format!("copylint({})", f.rule)),
                escape_data(&format!("{}{}", super::unit_prefix(f), f.message)),
            );
        }
        out
    }

    fn finish(&mut self, _out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_data_and_properties() {
        assert_eq!(escape_data("50%: a, b\r\nc"), "50%25: a, b%0D%0Ac");
        assert_eq!(escape_property("50%: a, b\r\nc"), "50%25%3A a%2C b%0D%0Ac");
        assert_eq!(escape_data("a\u{1b}[2Jb\tc"), "a\\u{1b}[2Jb\\tc");
    }
}
