//! `--format csv`: one row per finding, for spreadsheets.
//!
//! RFC 4180 quoting, UTF-8, a header row, then the columns `path`,
//! `location` (`line:column`, 1-based, columns in characters; in a
//! document, the unit first and the line within it: `page 2, 3:14`), `rule`,
//! `severity`, `matched`, `sentence` (the sentence around the match, markup
//! dropped), `message` and `suggestion` (the approved phrasings, joined by
//! `; `). Rows are written as files finish; notices stay on standard error.

use std::io::{self, Write};

use super::placed::FileFindings;
use super::{Reporter, Summary};

/// The header row.
pub const COLUMNS: [&str; 8] = [
    "path",
    "location",
    "rule",
    "severity",
    "matched",
    "sentence",
    "message",
    "suggestion",
];

#[derive(Default)]
pub struct Csv {
    started: bool,
}

impl Csv {
    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if !self.started {
            self.started = true;
            let mut w = csv::Writer::from_writer(out);
            w.write_record(COLUMNS)?;
            w.flush()?;
        }
        Ok(())
    }
}

impl Reporter for Csv {
    fn render(&self, file: &FileFindings) -> Vec<u8> {
        let mut w = csv::Writer::from_writer(Vec::new());
        for (f, place) in file.iter() {
            let location = match f.unit {
                Some(unit) => format!("{unit}, {}:{}", place.start.line, place.start.column),
                None => {
                    let pos = place.text_start();
                    format!("{}:{}", pos.line, pos.column)
                }
            };
            w.write_record([
                file.name,
                &location,
                &f.rule,
                f.severity.as_str(),
                &f.matched,
                &f.context,
                &f.message,
                &f.suggestions.join("; "),
            ])
            .expect("writing to memory cannot fail");
        }
        w.into_inner().expect("writing to memory cannot fail")
    }

    fn write(&mut self, out: &mut dyn Write, rendered: &[u8]) -> io::Result<()> {
        self.start(out)?;
        out.write_all(rendered)
    }

    fn finish(&mut self, out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        self.start(out)
    }
}
