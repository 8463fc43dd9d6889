//! `--format ndjson`: newline-delimited JSON, one object per line.
//!
//! Each finding is one line holding the same object as a diagnostic of
//! `--format json` ([`JsonDiagnostic`]) plus a `place` key, the rest of what
//! the other formats show ([`Placement`]), written as files finish. A
//! notice about a file (skipped, unreadable, …) is a line
//! `{"notice":{...}}`, in the order the run met it. Then comes the record
//! of the run, `{"run":{...}}` ([`RunRecord`]), and last the summary,
//! `{"summary":{...}}`; no diagnostic has either as a key. A consumer can
//! act on findings while the run goes on, a truncated stream still parses
//! line by line, and `copylint merge` writes any format from the outputs
//! of shards.

use std::io::{self, Write};

use serde::Serialize;

use super::json::JsonDiagnostic;
use super::placed::{FileFindings, Placement};
use super::{Reporter, RunRecord, Summary};
use crate::finding::Notice;

pub struct Ndjson;

#[derive(Serialize)]
struct SummaryLine<'a> {
    summary: &'a Summary,
}

/// A diagnostic as `--format json` shows it, and where it lies in every
/// form the other formats show (`place`), for `copylint merge`.
#[derive(Serialize)]
struct DiagnosticLine<'a> {
    #[serde(flatten)]
    diagnostic: JsonDiagnostic<'a>,
    place: &'a Placement,
}

#[derive(Serialize)]
struct RunLine<'a> {
    run: &'a RunRecord,
}

#[derive(Serialize)]
struct NoticeLine<'a> {
    notice: &'a Notice,
}

impl Reporter for Ndjson {
    fn render(&self, file: &FileFindings) -> Vec<u8> {
        let mut out = Vec::new();
        for (f, place) in file.iter() {
            let line = DiagnosticLine {
                diagnostic: JsonDiagnostic::new(file.name, f, place),
                place,
            };
            serde_json::to_writer(&mut out, &line).expect("serializing to memory cannot fail");
            out.push(b'\n');
        }
        out
    }

    fn run(&mut self, out: &mut dyn Write, run: &RunRecord) -> io::Result<()> {
        serde_json::to_writer(&mut *out, &RunLine { run })?;
        out.write_all(b"\n")
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
