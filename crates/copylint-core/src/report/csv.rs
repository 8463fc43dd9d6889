//! `--format csv`: one row per finding, for spreadsheets.
//!
//! RFC 4180 quoting, UTF-8, a header row, then the columns `path`,
//! `location` (`line:column`, 1-based, columns in characters; in a
//! document, the unit first and the line within it: `page 2, 3:14`), `rule`,
//! `severity`, `matched`, `sentence` (the sentence around the match, markup
//! dropped), `message` and `suggestion` (the approved phrasings, joined by
//! `; `). Rows are written as files finish; notices stay on standard error.
//!
//! Copy comes from outside, and a spreadsheet runs a cell that starts with
//! `=`, `+`, `-` or `@` as a formula (OWASP's "CSV injection"): such a cell,
//! and one that starts with a tab or a carriage return, is written with a
//! `'` before it, which a spreadsheet shows as text and does not display.

use std::borrow::Cow;
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

/// A cell as a spreadsheet may read it: with a `'` before a first
/// character that would make it a formula.
fn neutralized(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A cell to write, as the csv writer takes it.
struct CellBytes<'a>(Cow<'a, str>);

impl AsRef<[u8]> for CellBytes<'_> {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

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
            let suggestions = f.suggestions.join("; ");
            let row = [
                file.name,
                &location,
                &f.rule,
                f.severity.as_str(),
                &f.matched,
                &f.context,
                &f.message,
                &suggestions,
            ];
            w.write_record(row.iter().map(|cell| CellBytes(neutralized(cell))))
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

#[cfg(test)]
mod tests {
    use super::neutralized;

    #[test]
    fn formulas_are_neutralized() {
        for cell in [
            "=HYPERLINK(\"https://example.com\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(neutralized(cell), format!("'{cell}"));
        }
        for cell in ["", "a=b", " =1", "'=1", "\u{FF1D}1", "\nx"] {
            assert_eq!(neutralized(cell), cell);
        }
    }
}
