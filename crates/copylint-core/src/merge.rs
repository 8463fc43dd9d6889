//! Merging the NDJSON outputs of runs (`copylint merge`): the outputs of
//! the shards of one tree (`--shard K/N`) become one run's findings,
//! notices and totals, in the order one run over the whole tree has them,
//! ready for any reporter.
//!
//! Each output is checked as it is read: every line must be a diagnostic,
//! a notice, the run record or the summary, in that order, with the summary
//! last; a line that is not, or an output that stops before its summary
//! (truncated), is an error naming the file and the line. The outputs must
//! agree on the policies and `--min-severity`; when they record shards,
//! each shard of N must be there exactly once; and no file may appear in
//! two outputs.

use std::collections::{BTreeMap, btree_map};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::error::Error;
use crate::finding::{Applicability, Edit, Finding, Fix, Notice, Severity, Span};
use crate::report::{Placement, Point, RunRecord};
use crate::source::UnitFields;

/// One file's notices and findings, as one output carried them.
#[derive(Debug, Default)]
pub struct FileRecord {
    pub path: String,
    pub notices: Vec<Notice>,
    pub findings: Vec<Finding>,
    pub places: Vec<Placement>,
}

/// The outputs merged: one run's record, the notices about paths that
/// could not be walked, and every file's record in path order.
#[derive(Debug)]
pub struct Merged {
    pub run: RunRecord,
    pub walk_notices: Vec<Notice>,
    pub files: Vec<FileRecord>,
}

/// One output, read.
struct Output {
    path: PathBuf,
    run: RunRecord,
    walk_notices: Vec<Notice>,
    files: Vec<FileRecord>,
}

#[derive(Deserialize)]
struct JsonEdit {
    start: Point,
    end: Point,
    content: String,
}

#[derive(Deserialize)]
struct JsonFix {
    applicability: Applicability,
    edits: Vec<JsonEdit>,
}

/// A diagnostic line of NDJSON.
#[derive(Deserialize)]
struct Diagnostic {
    path: String,
    rule: String,
    severity: Severity,
    message: String,
    matched: String,
    start: Point,
    end: Point,
    suggestions: Vec<String>,
    #[serde(flatten)]
    unit: UnitFields,
    fix: Option<JsonFix>,
    context: String,
    #[serde(default)]
    claim: Option<crate::claims::Claim>,
    place: Placement,
}

impl Diagnostic {
    fn into_finding(self) -> (String, Finding, Placement) {
        let span = |a: Point, b: Point| Span::new(a.offset, b.offset.max(a.offset));
        let [cs, ce] = self.place.context_match;
        let finding = Finding {
            rule: Arc::from(self.rule),
            severity: self.severity,
            message: Arc::from(self.message),
            span: span(self.start, self.end),
            matched: self.matched,
            suggestions: Arc::from(self.suggestions),
            fix: self.fix.map(|fix| Fix {
                edits: fix
                    .edits
                    .into_iter()
                    .map(|e| Edit {
                        span: span(e.start, e.end),
                        content: e.content,
                    })
                    .collect(),
                applicability: fix.applicability,
            }),
            context: self.context,
            context_match: Span::new(cs, ce.max(cs)),
            unit: self.unit.unit(),
            claim: self.claim.map(Arc::new),
        };
        let mut place = self.place;
        (place.start, place.end) = (self.start, self.end);
        (self.path, finding, place)
    }
}

/// What one line of NDJSON holds.
enum Line {
    Diagnostic(Box<Diagnostic>),
    Notice(Notice),
    Run(Box<RunRecord>),
    Summary,
}

fn parse_line(text: &str) -> Result<Line, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let Some(object) = value.as_object() else {
        return Err("not a JSON object".to_string());
    };
    let from = |key: &str| object.get(key).cloned();
    if let Some(v) = from("summary").filter(|_| object.len() == 1) {
        v.is_object()
            .then_some(Line::Summary)
            .ok_or_else(|| "a summary that is not an object".to_string())
    } else if let Some(v) = from("run").filter(|_| object.len() == 1) {
        serde_json::from_value(v)
            .map(|r| Line::Run(Box::new(r)))
            .map_err(|e| format!("not a run record: {e}"))
    } else if let Some(v) = from("notice").filter(|_| object.len() == 1) {
        serde_json::from_value(v)
            .map(Line::Notice)
            .map_err(|e| format!("not a notice: {e}"))
    } else {
        serde_json::from_value(value)
            .map(|d| Line::Diagnostic(Box::new(d)))
            .map_err(|e| {
                format!(
                    "not a diagnostic of copylint's NDJSON (written with --format ndjson?): {e}"
                )
            })
    }
}

/// Reads one NDJSON output.
fn read_output(path: &Path) -> Result<Output, Error> {
    let at = |line: Option<usize>, message: String| Error::Merge {
        path: path.to_path_buf(),
        line,
        message,
    };
    let file = std::fs::File::open(path).map_err(|e| Error::read("NDJSON output", path, e))?;
    let mut files: Vec<FileRecord> = Vec::new();
    let mut notices_first: Vec<Notice> = Vec::new();
    let mut run: Option<RunRecord> = None;
    let mut ended = false;
    let mut lines = 0;
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let n = i + 1;
        lines = n;
        let line = line.map_err(|e| at(Some(n), format!("cannot read: {e}")))?;
        if ended {
            return Err(at(
                Some(n),
                "a line after the summary, which ends an output".into(),
            ));
        }
        let parsed = parse_line(&line).map_err(|m| at(Some(n), m))?;
        if run.is_some() && !matches!(parsed, Line::Summary) {
            return Err(at(
                Some(n),
                "a line between the run record and the summary".into(),
            ));
        }
        match parsed {
            Line::Summary if run.is_none() => {
                return Err(at(
                    Some(n),
                    "a summary without a run record: written by an older copylint? Run the shards again with this version".into(),
                ));
            }
            Line::Summary => ended = true,
            Line::Run(r) => run = Some(*r),
            Line::Notice(notice) if files.is_empty() => notices_first.push(notice),
            Line::Notice(notice) => file_record(&mut files, &notice.path).notices.push(notice),
            Line::Diagnostic(d) => {
                let (name, finding, place) = d.into_finding();
                let record = file_record(&mut files, &name);
                record.findings.push(finding);
                record.places.push(place);
            }
        }
    }
    let (Some(run), true) = (run, ended) else {
        return Err(at(
            (lines > 0).then_some(lines),
            "ends before its run record and summary: the output is truncated (did the run stop?)"
                .into(),
        ));
    };
    // The first notices are about paths that could not be walked; those
    // after them, before any finding, are about the first files.
    if notices_first.len() < run.walk_notices {
        return Err(at(None, "fewer notices than its run record says".into()));
    }
    let file_notices = notices_first.split_off(run.walk_notices);
    let mut leading: Vec<FileRecord> = Vec::new();
    for notice in file_notices {
        file_record(&mut leading, &notice.path.clone())
            .notices
            .push(notice);
    }
    if let (Some(last), Some(first)) = (leading.last_mut(), files.first_mut())
        && last.path == first.path
    {
        last.findings = std::mem::take(&mut first.findings);
        last.places = std::mem::take(&mut first.places);
        last.notices.append(&mut first.notices);
        files.remove(0);
    }
    leading.append(&mut files);
    Ok(Output {
        path: path.to_path_buf(),
        run,
        walk_notices: notices_first,
        files: leading,
    })
}

/// The record of the file at `path`: the last one when it is that file's.
fn file_record<'a>(files: &'a mut Vec<FileRecord>, path: &str) -> &'a mut FileRecord {
    if files.last().is_none_or(|f| f.path != path) {
        files.push(FileRecord {
            path: path.to_string(),
            ..FileRecord::default()
        });
    }
    let last = files.len() - 1;
    &mut files[last]
}

/// Checks that the outputs belong together: the same policies and
/// `--min-severity`, and each shard of N exactly once.
fn check_together(outputs: &[Output]) -> Result<(), Error> {
    let Some(first) = outputs.first() else {
        return Err(Error::usage(
            "nothing to merge",
            "name the NDJSON outputs of the shards: copylint merge shard-1.ndjson shard-2.ndjson …",
        ));
    };
    let mismatch = |o: &Output, message: String| Error::Merge {
        path: o.path.clone(),
        line: None,
        message,
    };
    for o in &outputs[1..] {
        if o.run.policies != first.run.policies {
            return Err(mismatch(
                o,
                format!(
                    "checked with other policies than {} (policies and their digests differ): every shard must use the same policies and configuration",
                    first.path.display()
                ),
            ));
        }
        if o.run.min_severity != first.run.min_severity {
            return Err(mismatch(
                o,
                format!(
                    "checked with another --min-severity than {}",
                    first.path.display()
                ),
            ));
        }
    }
    let Some(count) = first.run.shard.map(|s| s.count) else {
        return match outputs.iter().find(|o| o.run.shard.is_some()) {
            Some(o) => Err(mismatch(
                o,
                format!("is a shard, but {} is not", first.path.display()),
            )),
            None => Ok(()),
        };
    };
    let mut seen: BTreeMap<u64, &Path> = BTreeMap::new();
    for o in outputs {
        let Some(shard) = o.run.shard.filter(|s| s.count == count) else {
            return Err(mismatch(
                o,
                format!(
                    "is not one of {count} shards, as {} is",
                    first.path.display()
                ),
            ));
        };
        if let Some(other) = seen.insert(shard.index, &o.path) {
            return Err(mismatch(
                o,
                format!("shard {shard} is given twice (also {})", other.display()),
            ));
        }
    }
    if let Some(missing) = (1..=count).find(|k| !seen.contains_key(k)) {
        return Err(Error::usage(
            format!(
                "shard {missing}/{count} is missing: merging {} of {count} shards would lose files",
                seen.len()
            ),
            format!("add the output of the run with --shard {missing}/{count}"),
        ));
    }
    Ok(())
}

/// Reads the NDJSON outputs at `paths` and merges them into one run.
pub fn merge(paths: &[PathBuf]) -> Result<Merged, Error> {
    let outputs: Vec<Output> = paths
        .iter()
        .map(|p| read_output(p))
        .collect::<Result<_, _>>()?;
    check_together(&outputs)?;
    let mut run = outputs[0].run.clone();
    run.shard = None;
    let (mut files_total, mut bytes) = (0, 0);
    let mut skipped: BTreeMap<_, usize> = BTreeMap::new();
    let mut walk_notices = Vec::new();
    let mut files: BTreeMap<PathBuf, (FileRecord, PathBuf)> = BTreeMap::new();
    for o in outputs {
        files_total += o.run.files;
        bytes += o.run.bytes;
        for (kind, n) in &o.run.skipped {
            *skipped.entry(*kind).or_default() += n;
        }
        run.worst = run.worst.max(o.run.worst);
        run.seconds = run.seconds.max(o.run.seconds);
        walk_notices.extend(o.walk_notices);
        for f in o.files {
            match files.entry(PathBuf::from(&f.path)) {
                btree_map::Entry::Vacant(v) => {
                    v.insert((f, o.path.clone()));
                }
                btree_map::Entry::Occupied(e) => {
                    return Err(Error::Merge {
                        path: o.path,
                        line: None,
                        message: format!(
                            "{} is also in {}: the outputs overlap (shards of different trees, or one run given twice?)",
                            f.path,
                            e.get().1.display()
                        ),
                    });
                }
            }
        }
    }
    (run.files, run.bytes, run.skipped) = (files_total, bytes, skipped);
    walk_notices.sort_by(|a: &Notice, b: &Notice| Path::new(&a.path).cmp(Path::new(&b.path)));
    Ok(Merged {
        run,
        walk_notices,
        files: files.into_values().map(|(f, _)| f).collect(),
    })
}
