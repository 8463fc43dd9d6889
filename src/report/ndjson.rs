//! `--format ndjson`: newline-delimited JSON, one object per line.
//!
//! Each finding is one line holding the same object as a diagnostic of
//! `--format json` ([`JsonDiagnostic`]), written as files finish; the last
//! line is the summary wrapped as `{"summary":{...}}`, which no diagnostic
//! has as a key. A notice about a file (skipped, unreadable, …) is a line
//! `{"notice":{...}}`, in the order the run met it. A consumer can act on findings while the run goes on, and
//! a truncated stream still parses line by line.

use std::io::{self, Write};

use serde::Serialize;

use super::json::JsonDiagnostic;
use super::{Reporter, Summary};
use crate::finding::{Finding, Notice};
use crate::source::{Cursor, Source};

pub struct Ndjson;

#[derive(Serialize)]
struct SummaryLine<'a> {
    summary: &'a Summary,
}

#[derive(Serialize)]
struct NoticeLine<'a> {
    notice: &'a Notice,
}

impl Reporter for Ndjson {
    fn render(&self, source: &Source, findings: &[Finding]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut cursor = Cursor::new(source.text());
        let mut offsets = source.file_offsets();
        for f in findings {
            serde_json::to_writer(
                &mut out,
                &JsonDiagnostic::new(source, &mut cursor, &mut offsets, f),
            )
            .expect("serializing to memory cannot fail");
            out.push(b'\n');
        }
        out
    }

    fn notice(&mut self, out: &mut dyn Write, notice: &Notice) -> io::Result<()> {
        serde_json::to_writer(&mut *out, &NoticeLine { notice })?;
        out.write_all(b"\n")
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        serde_json::to_writer(&mut *out, &SummaryLine { summary })?;
        out.write_all(b"\n")
    }
}
