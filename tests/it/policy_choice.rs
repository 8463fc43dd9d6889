//! Which findings a run shows and which policies it loads: `--min-severity`
//! filters the output of every format while `--fail-on` decides the exit
//! status; a configuration that names its own policies does not get the
//! embedded one unless it says `default-policy = true`.

use crate::common;
use common::*;

use std::path::Path;

const TEXT: &[u8] = b"It enables access to data.\n\nIt calls on ChatGPT.\n\nWe like OpenAI.\n";

fn check(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["--color", "never", "--stdin-filename", "page.md"];
    all.extend_from_slice(args);
    all.push("-");
    run_in(dir, &all, TEXT)
}

#[test]
fn min_severity_filters_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let all = check(dir.path(), &["--format", "json"]);
    assert_eq!(diags(&all.stdout).len(), 3, "{}", all.stdout);
    let r = check(
        dir.path(),
        &["--format", "json", "--min-severity", "warning"],
    );
    let severities: Vec<String> = diags(&r.stdout).into_iter().map(|d| d.severity).collect();
    assert_eq!(severities, ["warning", "error"]);
    for format in ["short", "human", "github", "ndjson"] {
        let r = check(dir.path(), &["--format", format, "--min-severity", "error"]);
        assert!(
            r.stdout.contains("calls-on-openai"),
            "{format}: {}",
            r.stdout
        );
        assert!(
            !r.stdout.contains("enables-access"),
            "{format}: {}",
            r.stdout
        );
        assert!(
            !r.stdout.contains("unapproved-mention"),
            "{format}: {}",
            r.stdout
        );
    }
    let r = check(
        dir.path(),
        &["--format", "sarif", "--min-severity", "error"],
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let results: Vec<&str> = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(results, ["calls-on-openai"]);
}

#[test]
fn fail_on_still_decides_the_exit_status() {
    let dir = tempfile::tempdir().unwrap();
    // The error is shown: exit 1.
    assert_eq!(check(dir.path(), &["--min-severity", "error"]).code, 1);
    // Only the info is hidden and nothing fails on it... but with
    // --fail-on info, hidden findings still fail the run.
    let r = run_in(
        dir.path(),
        &[
            "--min-severity",
            "error",
            "--fail-on",
            "info",
            "--format",
            "json",
            "-",
        ],
        b"We like OpenAI.",
    );
    assert!(diags(&r.stdout).is_empty(), "{}", r.stdout);
    assert_eq!(r.code, 1);
}

fn write_policy(dir: &Path) {
    std::fs::write(
        dir.join("acme.toml"),
        r#"name = "acme"
[[rules]]
id = "acme-cloud"
severity = "warning"
message = "m"
pattern = "acme cloud"
explanation = "e"
bad = ["acme cloud"]
good = ["x"]
"#,
    )
    .unwrap();
}

fn rule_ids(dir: &Path) -> Vec<String> {
    let r = run_in(
        dir,
        &["--format", "json", "-"],
        b"We like OpenAI. We like acme cloud.",
    );
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    diags(&r.stdout).into_iter().map(|d| d.rule).collect()
}

#[test]
fn a_configuration_with_its_own_policies_drops_the_embedded_one() {
    let dir = tempfile::tempdir().unwrap();
    write_policy(dir.path());
    std::fs::write(
        dir.path().join("copylint.toml"),
        "policies = [\"acme.toml\"]\n",
    )
    .unwrap();
    assert_eq!(rule_ids(dir.path()), ["acme-cloud"]);
    std::fs::write(
        dir.path().join("copylint.toml"),
        "policies = [\"acme.toml\"]\ndefault-policy = true\n",
    )
    .unwrap();
    assert_eq!(rule_ids(dir.path()), ["unapproved-mention", "acme-cloud"]);
    // Without policies of its own, a configuration keeps the embedded one.
    std::fs::write(dir.path().join("copylint.toml"), "fail-on = \"warning\"\n").unwrap();
    assert_eq!(rule_ids(dir.path()), ["unapproved-mention"]);
}

#[test]
fn init_writes_the_choice_explicitly() {
    let dir = tempfile::tempdir().unwrap();
    let r = run_in(dir.path(), &["init"], b"");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let written = std::fs::read_to_string(dir.path().join("copylint.toml")).unwrap();
    let line = written
        .lines()
        .find(|l| l.starts_with("default-policy"))
        .expect("an uncommented default-policy line");
    assert_eq!(line.trim(), "default-policy = true");
    assert!(written.contains("names its own policies"), "{written}");
}
