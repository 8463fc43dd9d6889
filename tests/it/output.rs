//! Output formats and exit statuses, through the real binary.

use crate::common;
use common::*;

use std::path::Path;

fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("docs")).unwrap();
    std::fs::write(
        dir.path().join("docs/b.md"),
        "# Launch\n\nThe SRE **enables** access\nto ChatGPT for agents.\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("docs/a.txt"), "Our agents tag ChatGPT.\n").unwrap();
    std::fs::write(dir.path().join("docs/clean.md"), "Powered by OpenAI.\n").unwrap();
    dir
}

#[test]
fn human_output_is_rustc_style() {
    let dir = fixture();
    let r = run_in(dir.path(), &["--color", "never", "docs"], b"");
    assert_eq!(r.code, 1);
    let expected = r#"note[unapproved-mention]: "ChatGPT" is mentioned without an approved phrasing; the guidance allows "powered by", "enabled by" or "integrates with" OpenAI
  ┌─ docs/a.txt:1:16
  │
1 │ Our agents tag ChatGPT.
  │                ^^^^^^^
  │
  = help: write "powered by OpenAI", "enabled by OpenAI" or "integrates with OpenAI" instead

error[enables-access]: "enables access to" presents the product as a gateway to another company's service, which the guidance forbids when describing the SRE and OpenAI
  ┌─ docs/b.md:3:11
  │  
3 │   The SRE **enables** access
  │ ╭───────────^
4 │ │ to ChatGPT for agents.
  │ ╰──^
  │  
  = help: write "powered by OpenAI", "enabled by OpenAI" or "integrates with OpenAI" instead

1 error, 0 warnings, 1 info in 3 files checked
"#;
    assert_eq!(r.stdout, expected);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let dir = fixture();
    let r = run_in(dir.path(), &["--color", "always", "docs"], b"");
    assert!(r.stdout.contains("\u{1b}["), "colour expected");
    // Not a terminal: auto means no colour.
    let r = run_in(dir.path(), &["docs"], b"");
    assert!(!r.stdout.contains('\u{1b}'));
    let out = bin()
        .args(["--color", "auto", "docs"])
        .env("NO_COLOR", "1")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\u{1b}'));
}

#[test]
fn short_output_is_one_line_per_finding_in_path_order() {
    let dir = fixture();
    let r = run_in(
        dir.path(),
        &["--format", "short", "docs/clean.md", "docs"],
        b"",
    );
    assert_eq!(r.code, 1);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines[0].starts_with("docs/a.txt:1:16: info: \"ChatGPT\" is mentioned"),
        "{}",
        lines[0]
    );
    assert!(lines[0].ends_with(" [unapproved-mention]"));
    assert!(
        lines[1].starts_with("docs/b.md:3:11: error: \"enables access to\""),
        "{}",
        lines[1]
    );
    assert!(lines[1].ends_with(" [enables-access]"));
}

#[test]
fn json_output_has_the_documented_shape() {
    let dir = fixture();
    let r = run_in(dir.path(), &["--format", "json", "docs"], b"");
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(
        v["summary"],
        serde_json::json!({"files": 3, "errors": 1, "warnings": 0, "infos": 1})
    );
    let d = &v["diagnostics"][1];
    assert_eq!(d["path"], "docs/b.md");
    assert_eq!(d["rule"], "enables-access");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["matched"], "enables** access to");
    assert_eq!(
        d["start"],
        serde_json::json!({"line": 3, "column": 11, "offset": 20})
    );
    assert_eq!(
        d["end"],
        serde_json::json!({"line": 4, "column": 3, "offset": 39})
    );
    assert_eq!(d["suggestions"][0], "powered by OpenAI");
    assert!(d["message"].as_str().unwrap().contains("enables access to"));
    let text = std::fs::read_to_string(dir.path().join("docs/b.md")).unwrap();
    assert_eq!(&text[20..39], "enables** access\nto");
}

#[test]
fn json_with_no_findings_is_still_a_document() {
    let r = run_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["--format", "json", "-"],
        b"Powered by OpenAI.",
    );
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stdout,
        "{\"version\":1,\"diagnostics\":[],\"notices\":[],\"summary\":{\"files\":1,\"errors\":0,\"warnings\":0,\"infos\":0}}\n"
    );
}

#[test]
fn exit_status_follows_fail_on() {
    let dir = fixture();
    let code = |args: &[&str]| run_in(dir.path(), args, b"").code;
    assert_eq!(code(&["docs/clean.md"]), 0);
    assert_eq!(code(&["docs/b.md"]), 1);
    assert_eq!(code(&["docs/a.txt"]), 0, "an info does not fail by default");
    assert_eq!(code(&["--fail-on", "info", "docs/a.txt"]), 1);
    assert_eq!(code(&["--fail-on", "warning", "docs/a.txt"]), 0);
    assert_eq!(code(&["--fail-on", "never", "docs/b.md"]), 0);
    assert_eq!(code(&["--fail-on", "sometimes", "docs/b.md"]), 2);
    assert_eq!(code(&["--no-such-flag"]), 2);
}

#[test]
fn missing_paths_are_errors_but_the_rest_is_checked() {
    let dir = fixture();
    let r = run_in(
        dir.path(),
        &["--format", "short", "nope.md", "docs/b.md", "gone/"],
        b"",
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("copylint: error: nope.md: no such file or directory"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("gone/: no such file or directory"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.contains("docs/b.md:3:11: error:"), "{}", r.stdout);
}

#[test]
fn stdin_with_and_without_a_name() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = b"Agents `call on ChatGPT`.\n";
    let r = run_in(root, &["--format", "short", "-"], text);
    assert!(r.stdout.starts_with("<stdin>:1:9: error:"), "{}", r.stdout);
    // Named .md: Markdown, so the inline code is not checked.
    let r = run_in(
        root,
        &["--format", "short", "--stdin-filename", "docs/page.md", "-"],
        text,
    );
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout, "");
    let r = run_in(
        root,
        &["--format", "short", "--stdin-filename", "notes.txt", "-"],
        text,
    );
    assert!(
        r.stdout.starts_with("notes.txt:1:9: error:"),
        "{}",
        r.stdout
    );
}

#[test]
fn walking_skips_hidden_and_build_folders_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    for d in [".hidden", ".git", "target", "node_modules", "src"] {
        std::fs::create_dir(p.join(d)).unwrap();
        std::fs::write(p.join(d).join("page.md"), "Calls on ChatGPT.\n").unwrap();
    }
    std::fs::write(p.join(".draft.md"), "Calls on ChatGPT.\n").unwrap();
    std::fs::write(p.join("notes.rst"), "Calls on ChatGPT.\n").unwrap();
    std::fs::write(p.join("named.rst"), "Calls on ChatGPT.\n").unwrap();
    let files = |args: &[&str]| -> Vec<String> {
        let r = run_in(p, args, b"");
        let mut v: Vec<String> = r
            .stdout
            .lines()
            .map(|l| l.split(':').next().unwrap().to_string())
            .collect();
        v.dedup();
        v
    };
    assert_eq!(files(&["--format", "short"]), ["src/page.md"]);
    assert_eq!(
        files(&["--format", "short", "--hidden"]),
        [".draft.md", ".hidden/page.md", "src/page.md"]
    );
    // Named explicitly: always checked, as text when the extension is not Markdown.
    assert_eq!(
        files(&["--format", "short", "named.rst", "target/page.md"]),
        ["named.rst", "target/page.md"]
    );
}

/// The code blocks of the book's report chapter before its first section
/// (the output formats), in order.
fn book_output_examples() -> Vec<String> {
    let chapter =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/src/report.md"))
            .expect("docs/src/report.md");
    let section = chapter
        .split("\n## ")
        .next()
        .expect("the chapter's opening part");
    let mut blocks = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in section.lines().map(str::trim) {
        match (&mut current, line.starts_with("```")) {
            (None, true) => current = Some(Vec::new()),
            (Some(lines), true) => {
                blocks.push(lines.join("\n"));
                current = None;
            }
            (Some(lines), false) => lines.push(line),
            (None, false) => {}
        }
    }
    blocks
}

#[test]
fn the_book_output_examples_are_real_output() {
    let blocks = book_output_examples();
    let [page, json, ndjson, sarif, github] = &blocks[..] else {
        panic!(
            "expected 5 code blocks, found {}: {blocks:#?}",
            blocks.len()
        );
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("docs")).unwrap();
    std::fs::write(dir.path().join("docs/launch notes.md"), format!("{page}\n")).unwrap();
    let out = |format: &str| {
        let r = run_in(
            dir.path(),
            &["--no-config", "--format", format, "docs"],
            b"",
        );
        assert_eq!(r.code, 1, "{}", r.stderr);
        r.stdout
    };
    let value = |text: &str| -> serde_json::Value {
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
    };
    assert_eq!(value(json), value(&out("json")), "json");
    // The run line's time differs on every run, and its policy digest
    // with every edit of the default policy.
    let timeless = |mut v: serde_json::Value| {
        if let Some(run) = v.get_mut("run").and_then(|r| r.as_object_mut()) {
            run.remove("seconds");
            run.remove("policies");
        }
        v
    };
    let real: Vec<_> = out("ndjson").lines().map(value).map(timeless).collect();
    let shown: Vec<_> = ndjson.lines().map(value).map(timeless).collect();
    assert_eq!(shown, real, "ndjson");
    assert_eq!(
        value(sarif),
        value(&out("sarif"))["runs"][0]["results"][0],
        "sarif"
    );
    assert_eq!(format!("{github}\n"), out("github"), "github");
}
