//! Reporters: findings to text, one file per output format.
//!
//! Every reporter takes each checked file's findings in path order as the
//! run produces them (so output streams file by file) and writes a closing
//! part once the run ends. Reporters never decide exit codes.

mod csv;
mod github;
mod html;
mod human;
mod json;
mod ndjson;
mod placed;
mod run;
mod sarif;
mod short;
mod summary;

use std::borrow::Cow;
use std::io::{self, Write};

use crate::finding::{Finding, Notice};
use crate::policy::{Policy, Rule};

pub use csv::Csv;
pub use github::Github;
pub use html::Html;
pub use human::Human;
pub use json::Json;
pub use ndjson::Ndjson;
pub use placed::{EditPlacement, Excerpt, FileFindings, Placement, Point};
pub use run::{PolicyDigest, RunRecord};
pub use sarif::{PROJECT_URI, Sarif};
pub use short::Short;
pub use summary::{
    Details, FileCount, ImagesNotRead, RuleCount, Summary, SummaryBuilder, human_bytes,
    render_table,
};

/// The output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// rustc-style diagnostics with the snippet underlined.
    Human,
    /// One line per finding: `path:line:column: severity: message [rule]`.
    Short,
    /// One JSON document with every diagnostic and a summary.
    Json,
    /// One JSON object per line: each diagnostic as `json` shows it, then
    /// `{"summary":{...}}`; before it, `{"run":{...}}`, what `copylint
    /// merge` needs.
    Ndjson,
    /// A SARIF 2.1.0 log, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=...::message`), which
    /// annotate the files in a workflow run.
    Github,
    /// One row per finding with a header row (RFC 4180), for spreadsheets.
    Csv,
    /// One self-contained HTML page for reviewers: totals, a chart, files
    /// most severe first, and each finding in its sentence.
    Html,
}

impl OutputFormat {
    /// Every format, in the order the command line lists them.
    pub const ALL: [OutputFormat; 8] = [
        OutputFormat::Human,
        OutputFormat::Short,
        OutputFormat::Json,
        OutputFormat::Ndjson,
        OutputFormat::Sarif,
        OutputFormat::Github,
        OutputFormat::Csv,
        OutputFormat::Html,
    ];

    /// The format's name, as `--format` takes it.
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Human => "human",
            OutputFormat::Short => "short",
            OutputFormat::Json => "json",
            OutputFormat::Ndjson => "ndjson",
            OutputFormat::Sarif => "sarif",
            OutputFormat::Github => "github",
            OutputFormat::Csv => "csv",
            OutputFormat::Html => "html",
        }
    }

    /// Whether the format can end with a run's summary.
    pub fn has_summary(self) -> bool {
        matches!(
            self,
            OutputFormat::Human | OutputFormat::Short | OutputFormat::Json | OutputFormat::Ndjson
        )
    }
}

/// Writes findings in one output format.
///
/// [`render`](Reporter::render) runs on worker threads, one call per file,
/// on findings placed in their file (or read back from NDJSON), so only
/// rendered bytes (never a file's text) wait to be written;
/// [`write`](Reporter::write) then takes them in path order.
pub trait Reporter: Sync {
    /// Renders one checked file's findings; called only when there are some.
    fn render(&self, file: &FileFindings) -> Vec<u8>;
    /// Writes one file's rendered findings.
    fn write(&mut self, out: &mut dyn Write, rendered: &[u8]) -> io::Result<()> {
        out.write_all(rendered)
    }
    /// Receives a notice about one input: a file skipped or unreadable, an
    /// odd encoding, a directive that did nothing. Machine formats carry
    /// them; others leave them to standard error.
    fn notice(&mut self, _out: &mut dyn Write, _notice: &Notice) -> io::Result<()> {
        Ok(())
    }
    /// Receives the record of the run, just before [`finish`](Reporter::finish);
    /// NDJSON writes it, for `copylint merge`.
    fn run(&mut self, _out: &mut dyn Write, _run: &RunRecord) -> io::Result<()> {
        Ok(())
    }
    /// Ends the report.
    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()>;
}

/// Creates the reporter for `format`; SARIF describes the active `rules`.
pub fn reporter(
    format: OutputFormat,
    color: bool,
    rules: &[(&Policy, &Rule)],
) -> Box<dyn Reporter> {
    match format {
        OutputFormat::Human => Box::new(Human::new(color)),
        OutputFormat::Short => Box::new(Short),
        OutputFormat::Json => Box::new(Json::default()),
        OutputFormat::Ndjson => Box::new(Ndjson),
        OutputFormat::Sarif => Box::new(Sarif::new(rules)),
        OutputFormat::Github => Box::new(Github),
        OutputFormat::Csv => Box::new(Csv::default()),
        OutputFormat::Html => Box::new(Html::new(rules)),
    }
}

/// The unit of a finding in a document, to lead its message in the
/// one-line formats (`slide 3 (speaker notes): `); empty elsewhere.
pub fn unit_prefix(f: &Finding) -> String {
    f.unit.map(|u| format!("{u}: ")).unwrap_or_default()
}

/// `s` with control characters escaped (`\u{1b}`), so that file content
/// and file names cannot move the cursor or recolour a terminal.
pub fn escape_control(s: &str) -> Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// "1 error", "2 warnings".
pub fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("{n} {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// The closing line of human output.
pub fn summary_line(summary: &Summary) -> String {
    format!(
        "{}, {}, {} in {} checked",
        count(summary.errors, "error"),
        count(summary.warnings, "warning"),
        count(summary.infos, "info"),
        count(summary.files, "file"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_control_characters_only() {
        assert_eq!(escape_control("plain ünïcode"), "plain ünïcode");
        assert_eq!(
            escape_control("a\u{1b}[31mb\r\u{7}"),
            "a\\u{1b}[31mb\\r\\u{7}"
        );
    }

    #[test]
    fn summary_line_pluralizes() {
        let s = Summary {
            files: 1,
            errors: 2,
            warnings: 1,
            infos: 0,
            images_not_read: None,
            details: None,
        };
        assert_eq!(
            summary_line(&s),
            "2 errors, 1 warning, 0 infos in 1 file checked"
        );
    }
}
