//! Run totals, and the `--summary` table a non-engineer can read.
//!
//! [`Summary`] always carries the counts of files and findings by
//! severity; with `--summary` it also carries the findings per rule, the
//! files with the most findings, and the bytes and time of the run, and
//! JSON output serialises the same figures.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use super::count;
use crate::finding::{Finding, Notice, NoticeKind, Severity};

/// How many files the summary lists.
pub const TOP_FILES: usize = 10;

/// Totals for a run.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Images (and pages of images only) that were not read, when any
    /// were not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub images_not_read: Option<ImagesNotRead>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub details: Option<Details>,
}

/// Images not read across a run: how many, in how many files, and
/// whether the run read images with OCR at all.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImagesNotRead {
    pub images: usize,
    pub files: usize,
    pub ocr: bool,
}

impl ImagesNotRead {
    /// "312 images in 48 files were not read; --ocr reads them".
    pub fn line(&self) -> String {
        let verb = if self.images == 1 { "was" } else { "were" };
        let what = format!(
            "{} in {} {verb} not read",
            count(self.images, "image"),
            count(self.files, "file")
        );
        if self.ocr {
            format!("{what} by OCR (too small, or past a limit: see the notices)")
        } else {
            format!("{what}; --ocr reads them")
        }
    }
}

/// The figures `--summary` adds.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Details {
    pub bytes: u64,
    pub seconds: f64,
    /// Files skipped (too large, binary).
    pub skipped: usize,
    /// Files skipped, by reason (`binary`, `too-large`, `encrypted`,
    /// `no-text-layer`, `damaged`, `unsupported`, `unreadable`).
    pub skipped_by_reason: BTreeMap<NoticeKind, usize>,
    pub rules: Vec<RuleCount>,
    pub top_files: Vec<FileCount>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleCount {
    pub rule: Arc<str>,
    pub severity: Severity,
    pub findings: usize,
    pub files: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileCount {
    pub path: String,
    pub findings: usize,
    /// The file's most severe finding.
    pub severity: Severity,
}

impl FileCount {
    /// Most severe first, then most findings, then by path.
    fn rank(a: &FileCount, b: &FileCount) -> std::cmp::Ordering {
        b.severity
            .cmp(&a.severity)
            .then(b.findings.cmp(&a.findings))
            .then_with(|| a.path.cmp(&b.path))
    }
}

/// Accumulates a [`Summary`] file by file, in bounded memory.
#[derive(Debug, Default)]
pub struct SummaryBuilder {
    summary: Summary,
    bytes: u64,
    skipped: usize,
    skipped_by_reason: BTreeMap<NoticeKind, usize>,
    /// (rule, severity) to (findings, files), keyed in first-seen order.
    rules: BTreeMap<(usize, Arc<str>, Severity), (usize, usize)>,
    rule_order: Vec<Arc<str>>,
    top: Vec<FileCount>,
}

impl SummaryBuilder {
    /// Adds one checked file: its path, size and findings.
    pub fn add(&mut self, path: &str, bytes: u64, findings: &[Finding]) {
        let s = &mut self.summary;
        s.files += 1;
        self.bytes += bytes;
        let mut seen: Vec<(&Arc<str>, Severity)> = Vec::new();
        for Finding { rule, severity, .. } in findings {
            match severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
            let order = match self.rule_order.iter().position(|r| r == rule) {
                Some(i) => i,
                None => {
                    self.rule_order.push(rule.clone());
                    self.rule_order.len() - 1
                }
            };
            let entry = self
                .rules
                .entry((order, rule.clone(), *severity))
                .or_default();
            entry.0 += 1;
            if !seen.contains(&(rule, *severity)) {
                seen.push((rule, *severity));
                entry.1 += 1;
            }
        }
        if let Some(worst) = findings.iter().map(|f| f.severity).max() {
            self.top.push(FileCount {
                path: path.to_string(),
                findings: findings.len(),
                severity: worst,
            });
            self.top.sort_by(FileCount::rank);
            self.top.truncate(TOP_FILES);
        }
    }

    /// Counts the images (and pages of images only) that one file's
    /// `notices` say were not read; `ocr` says whether the run read images.
    pub fn images_in_notices(&mut self, notices: &[Notice], ocr: bool) {
        let unread = (notices.iter())
            .filter(|n| matches!(n.kind, NoticeKind::ImagesNotRead | NoticeKind::NoTextLayer))
            .filter_map(|n| n.count)
            .sum();
        self.images_not_read(unread, ocr);
    }

    /// Counts `images` images (or pages of images only) of one file that
    /// were not read; `ocr` says whether the run read images.
    pub fn images_not_read(&mut self, images: usize, ocr: bool) {
        if images == 0 {
            return;
        }
        let total = self.summary.images_not_read.get_or_insert_default();
        total.images += images;
        total.files += 1;
        total.ocr = ocr;
    }

    /// Counts a file that was skipped rather than checked, and why.
    pub fn skip(&mut self, reason: NoticeKind) {
        self.skipped += 1;
        *self.skipped_by_reason.entry(reason).or_default() += 1;
    }

    /// Files checked, their bytes, and files skipped by reason.
    pub fn totals(&self) -> (usize, u64, &BTreeMap<NoticeKind, usize>) {
        (self.summary.files, self.bytes, &self.skipped_by_reason)
    }

    /// Counts `files` checked files of `bytes` without findings, and
    /// `skipped` files not checked, as another run (a shard) reported them.
    pub fn add_totals(&mut self, files: usize, bytes: u64, skipped: &BTreeMap<NoticeKind, usize>) {
        self.summary.files += files;
        self.bytes += bytes;
        for (kind, n) in skipped {
            self.skipped += n;
            *self.skipped_by_reason.entry(*kind).or_default() += n;
        }
    }

    /// The counts only.
    pub fn counts(&self) -> Summary {
        self.summary.clone()
    }

    /// The counts and the details, for a run that took `elapsed`.
    pub fn detailed(&self, elapsed: Duration) -> Summary {
        let mut rules: Vec<RuleCount> = self
            .rules
            .iter()
            .map(|((_, rule, severity), (findings, files))| RuleCount {
                rule: rule.clone(),
                severity: *severity,
                findings: *findings,
                files: *files,
            })
            .collect();
        rules.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then(b.findings.cmp(&a.findings))
        });
        Summary {
            details: Some(Details {
                bytes: self.bytes,
                seconds: (elapsed.as_secs_f64() * 1000.0).round() / 1000.0,
                skipped: self.skipped,
                skipped_by_reason: self.skipped_by_reason.clone(),
                rules,
                top_files: self.top.clone(),
            }),
            ..self.summary.clone()
        }
    }
}

/// "1,234".
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "13.6 MB".
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// The summary as a plain-language table.
pub fn render_table(summary: &Summary) -> String {
    let mut out = String::new();
    let Some(d) = &summary.details else {
        return out;
    };
    let _ = writeln!(out, "Summary");
    let _ = writeln!(out);
    if d.rules.is_empty() {
        let _ = writeln!(out, "  No findings.");
    } else {
        let width = d
            .rules
            .iter()
            .map(|r| r.rule.len())
            .max()
            .unwrap_or(4)
            .max(4);
        let _ = writeln!(
            out,
            "  {:width$}  {:8}  {:>8}  {:>6}",
            "Rule", "Severity", "Findings", "Files"
        );
        for r in &d.rules {
            let _ = writeln!(
                out,
                "  {:width$}  {:8}  {:>8}  {:>6}",
                r.rule,
                r.severity.as_str(),
                thousands(r.findings),
                thousands(r.files)
            );
        }
    }
    if !d.top_files.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "  Files, most severe first");
        for f in &d.top_files {
            let _ = writeln!(
                out,
                "  {:8}  {:>8}  {}",
                f.severity.as_str(),
                thousands(f.findings),
                super::escape_control(&f.path)
            );
        }
    }
    let _ = writeln!(out);
    let plural = |n: usize, what: &str| {
        let n = thousands(n);
        if n == "1" {
            format!("1 {what}")
        } else {
            format!("{n} {what}s")
        }
    };
    let _ = writeln!(
        out,
        "  {} ({}) checked in {:.2} s{}: {}, {}, {}",
        plural(summary.files, "file"),
        human_bytes(d.bytes),
        d.seconds,
        if d.skipped > 0 {
            let reasons: Vec<String> = d
                .skipped_by_reason
                .iter()
                .map(|(kind, n)| format!("{} {}", thousands(*n), kind.reason()))
                .collect();
            format!(
                ", {} skipped ({})",
                thousands(d.skipped),
                reasons.join(", ")
            )
        } else {
            String::new()
        },
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning"),
        plural(summary.infos, "info"),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(rule: &str, severity: Severity) -> Finding {
        Finding {
            rule: Arc::from(rule),
            severity,
            message: Arc::from("m"),
            span: crate::Span::new(0, 1),
            matched: "x".to_string(),
            suggestions: Arc::from(Vec::new()),
            fix: None,
            context: "x".to_string(),
            context_match: crate::Span::new(0, 1),
            unit: None,
            claim: None,
        }
    }

    #[test]
    fn figures_add_up() {
        let mut b = SummaryBuilder::default();
        b.add(
            "a.md",
            100,
            &[
                f("x", Severity::Error),
                f("x", Severity::Error),
                f("y", Severity::Info),
            ],
        );
        b.add(
            "b.md",
            50,
            &[f("x", Severity::Error), f("x", Severity::Warning)],
        );
        b.add("c.md", 7, &[]);
        b.skip(NoticeKind::Binary);
        let s = b.detailed(Duration::from_millis(1500));
        assert_eq!((s.files, s.errors, s.warnings, s.infos), (3, 3, 1, 1));
        let d = s.details.unwrap();
        assert_eq!(d.bytes, 157);
        assert_eq!(d.skipped, 1);
        let rows: Vec<(&str, Severity, usize, usize)> = d
            .rules
            .iter()
            .map(|r| (&*r.rule, r.severity, r.findings, r.files))
            .collect();
        assert_eq!(
            rows,
            [
                ("x", Severity::Error, 3, 2),
                ("x", Severity::Warning, 1, 1),
                ("y", Severity::Info, 1, 1)
            ]
        );
        let total: usize = d.rules.iter().map(|r| r.findings).sum();
        assert_eq!(total, s.errors + s.warnings + s.infos);
        assert_eq!(
            d.top_files[0],
            FileCount {
                path: "a.md".into(),
                findings: 3,
                severity: Severity::Error,
            }
        );
    }

    #[test]
    fn files_with_errors_come_before_files_with_more_infos() {
        let mut b = SummaryBuilder::default();
        for i in 0..12 {
            b.add(
                &format!("info{i:02}.md"),
                1,
                &vec![f("x", Severity::Info); 9],
            );
        }
        b.add("warn.md", 1, &vec![f("w", Severity::Warning); 3]);
        b.add("one-error.md", 1, &[f("e", Severity::Error)]);
        b.add(
            "two-errors.md",
            1,
            &[f("e", Severity::Error), f("x", Severity::Info)],
        );
        let d = b.detailed(Duration::ZERO).details.unwrap();
        let paths: Vec<&str> = d.top_files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths[..4],
            ["two-errors.md", "one-error.md", "warn.md", "info00.md"]
        );
        assert_eq!(d.top_files.len(), TOP_FILES);
    }

    #[test]
    fn keeps_only_the_top_files() {
        let mut b = SummaryBuilder::default();
        for i in 0..25 {
            let findings = vec![f("x", Severity::Info); i % 7];
            b.add(&format!("f{i:02}.md"), 1, &findings);
        }
        let d = b.detailed(Duration::ZERO).details.unwrap();
        assert_eq!(d.top_files.len(), TOP_FILES);
        assert_eq!(d.top_files[0].path, "f06.md");
        assert!(
            d.top_files
                .windows(2)
                .all(|w| w[0].findings >= w[1].findings)
        );
    }

    #[test]
    fn formats_numbers_for_people() {
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(12), "12");
        assert_eq!(human_bytes(13_655_880), "13.7 MB");
        assert_eq!(human_bytes(512), "512 bytes");
    }
}
