//! Snapshots of every reporter's full output, and of policy and
//! configuration errors whose input is easier to build in Rust than to keep
//! as a file, pinned with insta (`tests/snapshots/`).
//!
//! The reporters run through the real binary over
//! `tests/fixtures/reporters/` (see its README). Colour codes are shown as
//! `␛`, times and rates are replaced by placeholders, and JSON is
//! pretty-printed, so a snapshot reads as a reviewer would want to read the
//! output. After a change of output, `INSTA_UPDATE=always cargo test --test
//! snapshots` rewrites them: read every changed `.snap` before committing.

use crate::common;
use common::*;

use std::path::{Path, PathBuf};

use serde_json::Value;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reporters")
}

/// Runs copylint over the fixture with its policy alone.
fn report(args: &[&str]) -> Run {
    let mut all = vec![
        "--no-config",
        "--no-default-policy",
        "--policy",
        "policy.toml",
    ];
    all.extend_from_slice(args);
    let r = run_in(&fixture(), &all, b"");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stderr, "");
    r
}

/// Timings differ on every run: replace them.
macro_rules! with_times_hidden {
    ($body:expr) => {{
        let mut settings = insta::Settings::clone_current();
        settings.add_filter(r"\d+(\.\d+)? ?(s|ms|µs)\b", "[TIME]");
        settings.add_filter(r"\d+(\.\d+)? ?[KMG]?i?B/s", "[RATE]");
        settings.bind(|| $body)
    }};
}

fn visible_escapes(text: &str) -> String {
    text.replace('\u{1b}', "␛")
}

fn parse(json: &str) -> Value {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("bad JSON ({e}): {json}"))
}

#[test]
fn human() {
    insta::assert_snapshot!(report(&["--color", "never", "docs"]).stdout);
}

#[test]
fn human_in_colour() {
    let out = report(&["--color", "always", "docs"]).stdout;
    assert!(out.contains('\u{1b}'), "no colour: {out}");
    insta::assert_snapshot!(visible_escapes(&out));
}

#[test]
fn short() {
    insta::assert_snapshot!(report(&["--format", "short", "docs"]).stdout);
}

#[test]
fn json() {
    insta::assert_json_snapshot!(parse(&report(&["--format", "json", "docs"]).stdout));
}

#[test]
fn json_with_summary() {
    let mut json = parse(&report(&["--format", "json", "--summary", "docs"]).stdout);
    json["summary"]["seconds"] = "[seconds]".into();
    insta::assert_json_snapshot!(json);
}

#[test]
fn ndjson() {
    let out = report(&["--format", "ndjson", "docs"]).stdout;
    // One JSON document a line, the summary last.
    let lines: Vec<Value> = out.lines().map(parse).collect();
    assert!(lines.last().is_some_and(|l| l.get("summary").is_some()));
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(r#""seconds":[0-9.]+"#, r#""seconds":[seconds]"#);
    settings.add_filter(r#""version":"[^"]+""#, r#""version":"[version]""#);
    settings.bind(|| insta::assert_snapshot!(out));
}

#[test]
fn sarif() {
    let mut sarif = parse(&report(&["--format", "sarif", "docs"]).stdout);
    sarif["runs"][0]["tool"]["driver"]["version"] = "[version]".into();
    insta::assert_json_snapshot!(sarif);
}

#[test]
fn github() {
    insta::assert_snapshot!(report(&["--format", "github", "docs"]).stdout);
}

#[test]
fn human_with_summary() {
    let out = report(&["--color", "never", "--summary", "docs"]).stdout;
    with_times_hidden!(insta::assert_snapshot!(out));
}

#[test]
fn summary_only() {
    let out = report(&["--color", "never", "--summary-only", "docs"]).stdout;
    with_times_hidden!(insta::assert_snapshot!(out));
}

/// A policy error, rendered: its standard error, after checking it fails
/// with status 2 and prints nothing on standard output.
fn policy_error(policy: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("policy.toml"), policy).unwrap();
    std::fs::write(dir.path().join("page.md"), "Nothing.\n").unwrap();
    let r = run_in(
        dir.path(),
        &["--no-config", "--policy", "policy.toml", "page.md"],
        b"",
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    r.stderr
}

const RULE: &str = r#"name = "northwind"

[[rules]]
id = "no-cure"
severity = "error"
message = "do not promise a cure"
pattern = "PATTERN"
explanation = "Medical claims need approval."
bad = ["It cures migraines."]
good = ["It helps manage migraines."]
"#;

#[test]
fn policy_error_oversized_expansion() {
    let pattern = "{a|b|c|d|e|f|g|h|i|j} ".repeat(5);
    insta::assert_snapshot!(policy_error(&RULE.replace("PATTERN", pattern.trim())));
}

#[test]
fn policy_error_on_a_very_long_line() {
    // The excerpt is cut around the place, which keeps its column.
    let pattern = format!("{} <nowhere>", "cures ".repeat(2000));
    insta::assert_snapshot!(policy_error(&RULE.replace("PATTERN", pattern.trim())));
}

#[test]
fn policy_error_oversized_term_set() {
    let terms: Vec<String> = (0..10_001).map(|i| format!("\"t{i}\"")).collect();
    let policy =
        RULE.replace("PATTERN", "<big>") + &format!("\n[sets]\nbig = [{}]\n", terms.join(","));
    insta::assert_snapshot!(policy_error(&policy));
}

#[test]
fn config_error_in_a_parent_folder() {
    // Found by searching from a subfolder: the path shown is the one found.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("docs/deep")).unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::write(
        dir.path().join("copylint.toml"),
        "fail-on = \"warning\"\n[rules]\nenable-access = \"off\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("docs/deep/page.md"), "Nothing.\n").unwrap();
    let r = run_in(&dir.path().join("docs/deep"), &["page.md"], b"");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    let root = dir.path().to_str().unwrap();
    insta::assert_snapshot!(r.stderr.replace(root, "[DIR]"));
}
