//! Baselines: adopting copylint on a repository that already has findings.
//!
//! `--write-baseline FILE` records today's findings with a
//! [`BaselineWriter`]; `--baseline FILE` loads them as a [`Baseline`] and
//! reports only findings that are not in it. Entries match by path, rule
//! and matched text (whitespace runs collapsed, case kept) and by their
//! order among equal ones, never by line number: editing elsewhere in a
//! file does not make its old findings reappear. If a file had two
//! findings of one (rule, matched) and now has three, the first two are
//! old and the third is new.
//!
//! The file is pretty JSON, entries sorted by path, rule and matched text so
//! that it diffs well:
//!
//! ```json
//! {"version": 1, "tool": "copylint", "entries": [
//!   {"path": "docs/a.md", "rule": "enables-access", "matched": "enables access to", "count": 2}
//! ]}
//! ```
//!
//! Paths are compared as given after normalizing backslashes to `/` and
//! dropping leading `./`, on both sides.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::finding::Finding;
use crate::source::collapse_whitespace;

/// What identifies a finding in a baseline: its rule and matched text.
fn key(f: &Finding) -> (&str, &str) {
    (&f.rule, &f.matched)
}

/// The baseline format version this build reads and writes.
pub const VERSION: u64 = 1;
const TOOL: &str = "copylint";

/// `path` with backslashes as `/` and leading `./` removed.
fn normalize_path(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut rest = path.as_str();
    while let Some(stripped) = rest.strip_prefix("./") {
        rest = stripped.trim_start_matches('/');
    }
    rest.to_owned()
}

#[derive(Serialize, Deserialize)]
struct File {
    version: u64,
    #[serde(default)]
    tool: Option<String>,
    entries: Vec<Entry>,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    path: String,
    rule: String,
    matched: String,
    count: usize,
}

/// Just enough of a baseline file to check its version before its entries.
#[derive(Deserialize)]
struct Header {
    version: u64,
    #[serde(default)]
    tool: Option<String>,
}

/// Findings counted by path, then rule, then matched text.
type Counts = BTreeMap<String, BTreeMap<String, BTreeMap<String, usize>>>;

/// Collects findings and writes them as a baseline file.
#[derive(Clone, Debug, Default)]
pub struct BaselineWriter {
    counts: Counts,
}

impl BaselineWriter {
    /// Records the findings of the file at `path`. Adding the same path
    /// twice adds to its counts.
    pub fn add(&mut self, path: &str, findings: &[Finding]) {
        let pairs: Vec<(&str, &str)> = findings.iter().map(key).collect();
        self.add_pairs(path, &pairs);
    }

    fn add_pairs(&mut self, path: &str, findings: &[(&str, &str)]) {
        if findings.is_empty() {
            return;
        }
        let file = self.counts.entry(normalize_path(path)).or_default();
        for &(rule, matched) in findings {
            *file
                .entry(rule.to_owned())
                .or_default()
                .entry(collapse_whitespace(matched))
                .or_default() += 1;
        }
    }

    /// The baseline file: pretty JSON, sorted, ending in a newline.
    pub fn to_json(&self) -> String {
        let entries = self
            .counts
            .iter()
            .flat_map(|(path, rules)| {
                rules.iter().flat_map(move |(rule, matched)| {
                    matched.iter().map(move |(matched, &count)| Entry {
                        path: path.clone(),
                        rule: rule.clone(),
                        matched: matched.clone(),
                        count,
                    })
                })
            })
            .collect();
        let file = File {
            version: VERSION,
            tool: Some(TOOL.to_owned()),
            entries,
        };
        let mut json =
            serde_json::to_string_pretty(&file).expect("strings and numbers always serialize");
        json.push('\n');
        json
    }
}

/// Why a baseline file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("invalid baseline at line {line}, column {column}: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "baseline version {found} is not supported (this copylint reads version {}); \
         write it again with --write-baseline",
        VERSION
    )]
    Version { found: u64 },
    #[error("baseline was written by `{found}`, not copylint")]
    Tool { found: String },
}

impl From<serde_json::Error> for BaselineError {
    fn from(err: serde_json::Error) -> BaselineError {
        let (line, column) = (err.line(), err.column());
        let full = err.to_string();
        let suffix = format!(" at line {line} column {column}");
        let message = full.strip_suffix(&suffix).unwrap_or(&full).to_owned();
        BaselineError::Json {
            line,
            column,
            message,
        }
    }
}

/// A loaded baseline: how many findings of each (rule, matched text) each
/// file had when it was written.
#[derive(Clone, Debug, Default)]
pub struct Baseline {
    /// Path, then rule, then matched text, to count.
    files: HashMap<String, HashMap<String, HashMap<String, usize>>>,
    entries: usize,
}

impl Baseline {
    /// Reads a baseline file's text.
    pub fn parse(text: &str) -> Result<Baseline, BaselineError> {
        let header: Header = serde_json::from_str(text)?;
        if let Some(tool) = header.tool.filter(|t| t != TOOL) {
            return Err(BaselineError::Tool { found: tool });
        }
        if header.version != VERSION {
            return Err(BaselineError::Version {
                found: header.version,
            });
        }
        let file: File = serde_json::from_str(text)?;
        let mut baseline = Baseline::default();
        for entry in file.entries {
            let count = baseline
                .files
                .entry(normalize_path(&entry.path))
                .or_default()
                .entry(entry.rule)
                .or_default()
                .entry(collapse_whitespace(&entry.matched))
                .or_insert_with(|| {
                    baseline.entries += 1;
                    0
                });
            *count = count.saturating_add(entry.count);
        }
        Ok(baseline)
    }

    /// Keeps only the findings of the file at `path` (in position order)
    /// that are not in the baseline: the first `count` findings of a given
    /// (rule, matched text) are old, later ones new.
    pub fn retain_new(&self, path: &str, findings: &mut Vec<Finding>) {
        let pairs: Vec<(&str, &str)> = findings.iter().map(key).collect();
        let mut is_new = self.new_findings(path, &pairs).into_iter();
        findings.retain(|_| is_new.next().unwrap_or(true));
    }

    /// Which of one file's findings (rule, matched text) are new.
    fn new_findings(&self, path: &str, findings: &[(&str, &str)]) -> Vec<bool> {
        let Some(file) = self.files.get(&normalize_path(path)) else {
            return vec![true; findings.len()];
        };
        let mut seen: HashMap<(&str, String), usize> = HashMap::new();
        findings
            .iter()
            .map(|&(rule, matched)| {
                let matched = collapse_whitespace(matched);
                let known = file
                    .get(rule)
                    .and_then(|m| m.get(&matched))
                    .copied()
                    .unwrap_or(0);
                let seen = seen.entry((rule, matched)).or_default();
                *seen += 1;
                *seen > known
            })
            .collect()
    }

    /// Number of entries: distinct (path, rule, matched text).
    pub fn len(&self) -> usize {
        self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(files: &[(&str, &[(&str, &str)])]) -> String {
        let mut writer = BaselineWriter::default();
        for (path, findings) in files {
            writer.add_pairs(path, findings);
        }
        writer.to_json()
    }

    #[test]
    fn writes_sorted_pretty_json() {
        let json = written(&[
            ("docs/b.md", &[("z-rule", "x")]),
            ("docs/a.md", &[("enables-access", "enables  access\nto")]),
            ("./docs/a.md", &[("enables-access", "enables access to")]),
            ("docs/a.md", &[("another", "b"), ("another", "a")]),
            ("empty.md", &[]),
        ]);
        let expected = r#"{
  "version": 1,
  "tool": "copylint",
  "entries": [
    {
      "path": "docs/a.md",
      "rule": "another",
      "matched": "a",
      "count": 1
    },
    {
      "path": "docs/a.md",
      "rule": "another",
      "matched": "b",
      "count": 1
    },
    {
      "path": "docs/a.md",
      "rule": "enables-access",
      "matched": "enables access to",
      "count": 2
    },
    {
      "path": "docs/b.md",
      "rule": "z-rule",
      "matched": "x",
      "count": 1
    }
  ]
}
"#;
        assert_eq!(json, expected);
    }

    #[test]
    fn round_trip() {
        let json = written(&[
            ("a.md", &[("r", "one"), ("r", "one"), ("s", "two")]),
            ("b.txt", &[("r", "one")]),
        ]);
        let baseline = Baseline::parse(&json).expect("parses");
        assert_eq!(baseline.len(), 3);
        assert!(!baseline.is_empty());
        let old = [("r", "one"), ("r", "one"), ("s", "two")];
        assert_eq!(baseline.new_findings("a.md", &old), [false, false, false]);
        assert_eq!(baseline.new_findings("b.txt", &[("r", "one")]), [false]);
        assert_eq!(baseline.new_findings("c.md", &[("r", "one")]), [true]);
        let again = written(&[("b.txt", &[("r", "one")]), ("a.md", &old)]);
        assert_eq!(again, json);
    }

    #[test]
    fn count_semantics_later_ones_are_new() {
        let json = written(&[("a.md", &[("r", "x"), ("r", "x")])]);
        let baseline = Baseline::parse(&json).expect("parses");
        let now = [("r", "x"), ("q", "x"), ("r", "x"), ("r", "x")];
        assert_eq!(
            baseline.new_findings("a.md", &now),
            [false, true, false, true]
        );
    }

    #[test]
    fn moved_findings_still_match_but_changed_text_is_new() {
        // Lines are not recorded, so a finding that moved (its file edited
        // above it, re-wrapped) is still old; only its text matters.
        let json = written(&[("a.md", &[("r", "enables access to")])]);
        let baseline = Baseline::parse(&json).expect("parses");
        assert_eq!(
            baseline.new_findings("a.md", &[("r", "enables\n  access to")]),
            [false]
        );
        assert_eq!(
            baseline.new_findings("a.md", &[("r", "Enables access to")]),
            [true]
        );
        assert_eq!(
            baseline.new_findings("a.md", &[("r", "enables entry to")]),
            [true]
        );
    }

    #[test]
    fn paths_normalize_dot_slash_and_backslashes() {
        let json = written(&[(".\\docs\\a.md", &[("r", "x")])]);
        assert!(json.contains("\"path\": \"docs/a.md\""));
        let baseline = Baseline::parse(&json).expect("parses");
        assert_eq!(baseline.new_findings("./docs/a.md", &[("r", "x")]), [false]);
        assert_eq!(baseline.new_findings("docs\\a.md", &[("r", "x")]), [false]);
        assert_eq!(
            baseline.new_findings("other/docs/a.md", &[("r", "x")]),
            [true]
        );
    }

    #[test]
    fn hand_merged_duplicates_add_up() {
        let json = r#"{"version":1,"entries":[
            {"path":"a.md","rule":"r","matched":"x","count":1},
            {"path":"./a.md","rule":"r","matched":" x ","count":1}]}"#;
        let baseline = Baseline::parse(json).expect("parses");
        assert_eq!(baseline.len(), 1);
        let now = [("r", "x"), ("r", "x"), ("r", "x")];
        assert_eq!(baseline.new_findings("a.md", &now), [false, false, true]);
    }

    #[test]
    fn bad_json_names_line_and_column() {
        let err = Baseline::parse("{\n  \"version\": 1,\n  \"entries\": [,]\n}").unwrap_err();
        let BaselineError::Json { line, column, .. } = &err else {
            panic!("{err:?}");
        };
        assert_eq!((*line, *column), (3, 15));
        let message = err.to_string();
        assert!(
            message.starts_with("invalid baseline at line 3, column 15: "),
            "{message}"
        );
        assert!(!message.contains("at line 3 column 15"), "{message}");

        let err = Baseline::parse(r#"{"version":1,"entries":[{"path":"a"}]}"#).unwrap_err();
        assert!(err.to_string().contains("missing field `rule`"), "{err}");
        let err = Baseline::parse("").unwrap_err();
        assert!(
            matches!(err, BaselineError::Json { line: 1, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn version_and_tool_mismatch() {
        let err = Baseline::parse(r#"{"version":2,"tool":"copylint","entries":{"new":"shape"}}"#)
            .unwrap_err();
        assert!(
            matches!(err, BaselineError::Version { found: 2 }),
            "{err:?}"
        );
        assert!(err.to_string().contains("version 2 is not supported"));
        let err = Baseline::parse(r#"{"version":1,"tool":"other","entries":[]}"#).unwrap_err();
        assert!(matches!(err, BaselineError::Tool { .. }), "{err:?}");
        let err = Baseline::parse(r#"{"entries":[]}"#).unwrap_err();
        assert!(err.to_string().contains("missing field `version`"), "{err}");
    }

    #[test]
    fn empty_baseline() {
        let baseline = Baseline::parse(&BaselineWriter::default().to_json()).expect("parses");
        assert!(baseline.is_empty());
        assert_eq!(baseline.new_findings("a.md", &[("r", "x")]), [true]);
    }
}
