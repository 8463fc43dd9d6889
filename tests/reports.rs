//! Reports for reviewers: the sentence around each finding in the machine
//! formats, CSV for spreadsheets, and summaries that put errors first.

mod common;
use common::*;

use std::process::Command;

use serde_json::Value;

/// Two sentences with findings, one with markup inside the match, and a
/// file with many infos but no error.
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("launch.md"),
        "Welcome aboard. The SRE **enables** access to\nChatGPT for agents! It is \
         powered by OpenAI.\n\n# Heading\n\nSay \"hi\", then: this enables access to data.\n",
    )
    .unwrap();
    let infos = "We like OpenAI. ".repeat(6);
    std::fs::write(dir.path().join("aaa-infos.md"), format!("{infos}\n")).unwrap();
    dir
}

const FIRST: &str = "The SRE enables access to ChatGPT for agents!";
const SECOND: &str = "Say \"hi\", then: this enables access to data.";

#[test]
fn json_ndjson_and_sarif_carry_the_sentence_as_context() {
    let dir = fixture();
    let r = run_in(dir.path(), &["--format", "json", "launch.md"], b"");
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let contexts: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["context"].as_str().unwrap())
        .collect();
    assert_eq!(contexts, [FIRST, SECOND]);
    // The existing keys are still there.
    assert_eq!(v["diagnostics"][0]["matched"], "enables** access to");

    let r = run_in(dir.path(), &["--format", "ndjson", "launch.md"], b"");
    let lines: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["context"], FIRST);
    assert_eq!(lines[1]["context"], SECOND);

    let r = run_in(dir.path(), &["--format", "sarif", "launch.md"], b"");
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results[0]["properties"]["context"], FIRST);
    assert_eq!(results[1]["properties"]["context"], SECOND);
}

#[test]
fn csv_round_trips_through_pythons_csv_module() {
    let dir = fixture();
    let r = run_in(dir.path(), &["--format", "csv", "."], b"");
    assert_eq!(r.code, 1, "{}", r.stderr);
    let csv_path = dir.path().join("out.csv");
    std::fs::write(&csv_path, &r.stdout).unwrap();
    let script = "import csv, json, sys\n\
                  with open(sys.argv[1], newline='', encoding='utf-8') as f:\n\
                  \x20   print(json.dumps(list(csv.reader(f, strict=True))))\n";
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(&csv_path)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<Vec<String>> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        rows[0],
        [
            "path",
            "location",
            "rule",
            "severity",
            "matched",
            "sentence",
            "message",
            "suggestion"
        ]
    );
    // Every row as JSON shows it, in the same order.
    let json = run_in(dir.path(), &["--format", "json", "."], b"");
    let v: Value = serde_json::from_str(&json.stdout).unwrap();
    let diags = v["diagnostics"].as_array().unwrap();
    assert_eq!(rows.len() - 1, diags.len());
    assert!(diags.len() >= 8);
    for (row, d) in rows[1..].iter().zip(diags) {
        let suggestions: Vec<&str> = d["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        let location = format!("{}:{}", d["start"]["line"], d["start"]["column"]);
        let expected = [
            d["path"].as_str().unwrap(),
            &location,
            d["rule"].as_str().unwrap(),
            d["severity"].as_str().unwrap(),
            d["matched"].as_str().unwrap(),
            d["context"].as_str().unwrap(),
            d["message"].as_str().unwrap(),
            &suggestions.join("; "),
        ];
        assert_eq!(row, &expected);
    }
    // Quotes and commas in a field survive.
    assert!(rows.iter().any(|r| r[5] == SECOND));
}

#[test]
fn csv_has_a_header_even_with_no_findings_and_no_summary() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("clean.md"), "Nothing to see.\n").unwrap();
    let r = run_in(dir.path(), &["--format", "csv", "."], b"");
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stdout,
        "path,location,rule,severity,matched,sentence,message,suggestion\n"
    );
    let r = run_in(dir.path(), &["--format", "csv", "--summary", "."], b"");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--format csv"), "{}", r.stderr);
}

#[test]
fn summaries_list_files_with_errors_before_files_with_more_infos() {
    let dir = fixture();
    let r = run_in(
        dir.path(),
        &["--summary-only", "--format", "json", "."],
        b"",
    );
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let top = v["summary"]["top_files"].as_array().unwrap();
    assert_eq!(top[0]["path"], "launch.md");
    assert_eq!(top[0]["severity"], "error");
    assert_eq!(top[1]["severity"], "info");
    assert!(top[1]["findings"].as_u64() > top[0]["findings"].as_u64());
    let r = run_in(dir.path(), &["--summary-only", "."], b"");
    let errors_at = r.stdout.find("launch.md").unwrap();
    let infos_at = r.stdout.find("aaa-infos.md").unwrap();
    assert!(errors_at < infos_at, "{}", r.stdout);
}
