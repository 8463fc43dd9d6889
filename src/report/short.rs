//! `--format short`: one line per finding, as compilers print them.
//!
//! `path:line:column: severity: message [rule-id]`, the shape vim's
//! errorformat, emacs's compilation mode and VS Code problem matchers parse.

use std::io::{self, Write};

use super::{Reporter, Summary, escape_control, render_table};
use crate::finding::Finding;
use crate::source::{Cursor, Source};

pub struct Short;

impl Reporter for Short {
    fn render(&self, source: &Source, findings: &[Finding]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut cursor = Cursor::new(source.text());
        let path = escape_control(source.name());
        for f in findings {
            let pos = source.in_unit(f.span.start(), cursor.position(f.span.start()));
            let _ = writeln!(
                out,
                "{path}:{}:{}: {}: {}{} [{}]",
                pos.line,
                pos.column,
                f.severity,
                super::unit_prefix(f),
                escape_control(&f.message),
                f.rule
            );
        }
        out
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        out.write_all(render_table(summary).as_bytes())
    }
}
