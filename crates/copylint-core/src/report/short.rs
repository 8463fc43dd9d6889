//! `--format short`: one line per finding, as compilers print them.
//!
//! `path:line:column: severity: message [rule-id]`, the shape vim's
//! errorformat, emacs's compilation mode and VS Code problem matchers parse.

use std::io::{self, Write};

use super::placed::FileFindings;
use super::{Reporter, Summary, escape_control, render_table};

pub struct Short;

impl Reporter for Short {
    fn render(&self, file: &FileFindings) -> Vec<u8> {
        let mut out = Vec::new();
        let path = escape_control(file.name);
        for (f, place) in file.iter() {
            let pos = place.start;
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
