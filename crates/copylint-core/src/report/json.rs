//! `--format json`: one document,
//! `{"version":1,"diagnostics":[...],"notices":[...],"summary":{...}}`.
//!
//! `notices` lists what the run has to say about files that is not a
//! finding: each has `level`, `kind` (`binary`, `too-large`, `unreadable`,
//! `unsupported`, `encoding`, `unknown-rule`, `unused-directive`), `path`,
//! an optional `line`, and `message`.
//!
//! Each diagnostic carries `context`, the sentence around the match as a
//! reader sees it (markup dropped, references decoded, whitespace runs
//! collapsed); `matched` is the source's own text of the span.
//! A finding in a document adds its unit as top-level keys, only where
//! they apply: `page` (PDF), `slide` and `notes` or `object` (`chart`,
//! `smartart`, `image-alt-text`), `master` and `layout` (presentations),
//! `paragraph` and, outside the body, `part` (`header`, `footer`,
//! `footnote`, `endnote`, `comment`, `image-alt-text`). There, `line` counts the paragraphs
//! of the unit's extracted text from 1, `column` the characters of that
//! paragraph, and `offset` the bytes of the document's extracted text.
//!
//! Diagnostics are written as files finish, so the document streams out
//! without holding every finding in memory. Positions carry 1-based line
//! and column (in characters) and the 0-based byte offset in the file as
//! stored; `end` is exclusive.

use std::io::{self, Write};

use serde::Serialize;

use super::placed::{FileFindings, Placement, Point};
use super::{Reporter, Summary};
use crate::finding::{Applicability, Finding, Notice, Severity};
use crate::source::UnitFields;

/// One diagnostic as JSON shows it.
#[derive(Serialize)]
pub struct JsonDiagnostic<'a> {
    pub path: &'a str,
    pub rule: &'a str,
    pub severity: Severity,
    pub message: &'a str,
    pub matched: &'a str,
    pub start: Point,
    pub end: Point,
    pub suggestions: &'a [String],
    /// The unit of a finding in a document (`page`, `slide` and `notes`,
    /// `paragraph`), as top-level keys.
    #[serde(flatten)]
    pub unit: UnitFields,
    /// The fix, when the finding has one: its applicability and edits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<JsonFix<'a>>,
    /// The sentence around the match, markup dropped.
    pub context: &'a str,
    /// For a claim: its actor, verb, object and frame.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claim: Option<&'a crate::claims::Claim>,
}

#[derive(Serialize)]
pub struct JsonFix<'a> {
    pub applicability: Applicability,
    pub edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
pub struct JsonEdit<'a> {
    pub start: Point,
    pub end: Point,
    pub content: &'a str,
}

impl<'a> JsonDiagnostic<'a> {
    pub fn new(path: &'a str, f: &'a Finding, place: &Placement) -> JsonDiagnostic<'a> {
        JsonDiagnostic {
            path,
            rule: &f.rule,
            severity: f.severity,
            message: &f.message,
            matched: &f.matched,
            start: place.start,
            end: place.end,
            suggestions: &f.suggestions,
            unit: UnitFields::new(f.unit),
            fix: f.fix.as_ref().map(|fix| JsonFix {
                applicability: fix.applicability,
                edits: fix
                    .edits
                    .iter()
                    .zip(&place.edits)
                    .map(|(e, at)| JsonEdit {
                        start: at.start,
                        end: at.end,
                        content: &e.content,
                    })
                    .collect(),
            }),
            context: &f.context,
            claim: f.claim.as_deref(),
        }
    }
}

#[derive(Default)]
pub struct Json {
    started: bool,
    any: bool,
    notices: Vec<Notice>,
}

impl Json {
    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if !self.started {
            self.started = true;
            out.write_all(b"{\"version\":1,\"diagnostics\":[")?;
        }
        Ok(())
    }
}

impl Reporter for Json {
    fn render(&self, file: &FileFindings) -> Vec<u8> {
        let mut out = Vec::new();
        for (i, (f, place)) in file.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            serde_json::to_writer(&mut out, &JsonDiagnostic::new(file.name, f, place))
                .expect("serializing to memory cannot fail");
        }
        out
    }

    fn write(&mut self, out: &mut dyn Write, rendered: &[u8]) -> io::Result<()> {
        self.start(out)?;
        if rendered.is_empty() {
            return Ok(());
        }
        if self.any {
            out.write_all(b",")?;
        }
        self.any = true;
        out.write_all(rendered)
    }

    fn notice(&mut self, _out: &mut dyn Write, notice: &Notice) -> io::Result<()> {
        self.notices.push(notice.clone());
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        self.start(out)?;
        out.write_all(b"],\"notices\":")?;
        serde_json::to_writer(&mut *out, &self.notices)?;
        out.write_all(b",\"summary\":")?;
        serde_json::to_writer(&mut *out, summary)?;
        out.write_all(b"}\n")
    }
}
