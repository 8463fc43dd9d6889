//! Bulk scans: parallel determinism, file lists, size limits, summaries.

use crate::common;
use common::*;

use std::path::Path;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn identical_for_any_number_of_jobs(tree: &Path) {
    let tree = tree.to_str().unwrap();
    for format in ["human", "short", "json"] {
        let one = run(&["--format", format, "--color", "always", "--jobs", "1", tree]);
        let two = run(&["--format", format, "--color", "always", "--jobs", "2", tree]);
        let four = run(&["--format", format, "--color", "always", "-j", "4", tree]);
        assert!(!one.stdout.is_empty());
        assert_eq!(one.stdout, two.stdout, "{format} over {tree}");
        assert_eq!(one.stdout, four.stdout, "{format} over {tree}");
        assert_eq!(
            (one.code, one.stderr.as_str()),
            (two.code, two.stderr.as_str())
        );
    }
}

#[test]
fn output_is_identical_for_any_number_of_jobs() {
    identical_for_any_number_of_jobs(&repo().join("examples"));
}

#[test]
#[ignore = "needs the shared corpus (../shared/corpus or $COPYLINT_CORPUS)"]
fn output_over_the_corpus_is_identical_for_any_number_of_jobs() {
    identical_for_any_number_of_jobs(&corpus());
}

fn list_fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir(p.join("sub")).unwrap();
    std::fs::write(p.join("a.md"), "Calls on ChatGPT.\n").unwrap();
    std::fs::write(p.join("with space.txt"), "Calls on ChatGPT.\n").unwrap();
    std::fs::write(p.join("sub/c.md"), "Calls on ChatGPT.\n").unwrap();
    std::fs::write(p.join("code.rs"), "// Calls on ChatGPT.\n").unwrap();
    std::fs::write(p.join("unlisted.md"), "Calls on ChatGPT.\n").unwrap();
    dir
}

fn paths_in(short: &str) -> Vec<&str> {
    let mut v: Vec<&str> = short
        .lines()
        .map(|l| l.split(':').next().unwrap())
        .collect();
    v.dedup();
    v
}

#[test]
fn files_from_reads_newline_lists() {
    let dir = list_fixture();
    std::fs::write(
        dir.path().join("list.txt"),
        "a.md\nwith space.txt\r\n\nsub\ncode.rs\n",
    )
    .unwrap();
    let r = run_in(
        dir.path(),
        &["--format", "short", "--files-from", "list.txt"],
        b"",
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(paths_in(&r.stdout), ["a.md", "sub/c.md", "with space.txt"]);
}

#[test]
fn files_from_reads_nul_lists_from_stdin() {
    let dir = list_fixture();
    let r = run_in(
        dir.path(),
        &["--format", "short", "--files-from", "-", "-0"],
        b"with space.txt\0sub/c.md\0",
    );
    assert_eq!(paths_in(&r.stdout), ["sub/c.md", "with space.txt"]);
    let r = run_in(
        dir.path(),
        &["--format", "short", "--files-from", "-", "--null", "a.md"],
        b"sub/c.md\0",
    );
    assert_eq!(paths_in(&r.stdout), ["a.md", "sub/c.md"]);
}

#[test]
fn files_from_reports_missing_entries_and_lists() {
    let dir = list_fixture();
    let r = run_in(
        dir.path(),
        &["--format", "short", "--files-from", "-"],
        b"gone.md\na.md\n",
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("gone.md: no such file or directory"),
        "{}",
        r.stderr
    );
    assert_eq!(paths_in(&r.stdout), ["a.md"]);
    let r = run_in(dir.path(), &["--files-from", "nope.txt"], b"");
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("cannot read --files-from list nope.txt"),
        "{}",
        r.stderr
    );
}

#[test]
fn files_over_the_size_limit_are_skipped_with_a_warning() {
    let dir = list_fixture();
    std::fs::write(dir.path().join("big.md"), "Calls on ChatGPT. ".repeat(200)).unwrap();
    let r = run_in(
        dir.path(),
        &["--format", "short", "--max-file-size", "1K", "."],
        b"",
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(
            "copylint: warning: big.md: not checked: 3.6 KB is over the --max-file-size limit of 1.0 KB"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(
        paths_in(&r.stdout),
        ["a.md", "sub/c.md", "unlisted.md", "with space.txt"]
    );
    let r = run_in(
        dir.path(),
        &[
            "--format",
            "short",
            "--quiet",
            "--max-file-size",
            "1K",
            "big.md",
        ],
        b"",
    );
    // Named, so not checking it is an error, which --quiet still prints.
    assert_eq!((r.code, r.stdout.as_str()), (2, ""));
    assert_eq!(
        r.stderr,
        "copylint: error: big.md: not checked: 3.6 KB is over the --max-file-size limit of 1.0 KB\n"
    );
    let r = run_in(dir.path(), &["--max-file-size", "lots"], b"");
    assert_eq!(r.code, 2);
}

#[test]
fn summary_figures_add_up() {
    let r = run(&["--format", "json", "--summary", "examples"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let s = &v["summary"];
    let diagnostics = v["diagnostics"].as_array().unwrap();
    let total = s["errors"].as_u64().unwrap()
        + s["warnings"].as_u64().unwrap()
        + s["infos"].as_u64().unwrap();
    assert_eq!(total as usize, diagnostics.len());
    let by_rule: u64 = s["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["findings"].as_u64().unwrap())
        .sum();
    assert_eq!(by_rule, total);
    for row in s["rules"].as_array().unwrap() {
        let n = diagnostics
            .iter()
            .filter(|d| d["rule"] == row["rule"] && d["severity"] == row["severity"])
            .count();
        assert_eq!(row["findings"].as_u64().unwrap() as usize, n, "{row}");
        let mut files: Vec<&str> = diagnostics
            .iter()
            .filter(|d| d["rule"] == row["rule"] && d["severity"] == row["severity"])
            .map(|d| d["path"].as_str().unwrap())
            .collect();
        files.dedup();
        assert_eq!(
            row["files"].as_u64().unwrap() as usize,
            files.len(),
            "{row}"
        );
    }
    let top = s["top_files"].as_array().unwrap();
    let first = top[0]["path"].as_str().unwrap();
    let n = diagnostics.iter().filter(|d| d["path"] == first).count();
    assert_eq!(top[0]["findings"].as_u64().unwrap() as usize, n);
    assert!(s["bytes"].as_u64().unwrap() > 1000);
    assert!(s["seconds"].as_f64().is_some());
}

#[test]
fn summary_only_prints_the_table_alone() {
    let r = run(&["--summary-only", "examples"]);
    assert!(r.stdout.starts_with("Summary\n"), "{}", r.stdout);
    assert!(r.stdout.contains("Files, most severe first"));
    assert!(r.stdout.contains("enables-access"));
    assert!(!r.stdout.contains("-->") && !r.stdout.contains("┌─"));
    let r = run(&["--summary-only", "--format", "json", "examples"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["diagnostics"], serde_json::json!([]));
    assert!(v["summary"]["rules"].as_array().unwrap().len() > 3);
}

#[test]
#[ignore = "needs the shared corpus (../shared/corpus or $COPYLINT_CORPUS)"]
fn no_progress_bar_off_a_terminal() {
    let r = run(&["--format", "short", corpus().to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stderr, "", "nothing on stderr when it is not a terminal");
}

/// On a terminal, a long scan draws a progress bar on standard error and
/// still finishes (the bar draws from worker threads; holding standard
/// error locked on the main thread once deadlocked here).
#[test]
#[ignore = "needs the shared corpus and util-linux `script` for a pseudo-terminal"]
fn progress_bar_on_a_terminal() {
    let corpus = corpus();
    let has_script = std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok();
    assert!(has_script, "`script` (util-linux) is not installed");
    // Ten views of the corpus through symbolic links: long enough a scan
    // to earn a progress bar.
    let dir = tempfile::tempdir().unwrap();
    for i in 0..10 {
        std::os::unix::fs::symlink(
            corpus.canonicalize().unwrap(),
            dir.path().join(format!("c{i}")),
        )
        .unwrap();
    }
    let command = format!(
        "{} --summary-only --follow --jobs 1 {}",
        env!("CARGO_BIN_EXE_copylint"),
        dir.path().display()
    );
    let out = std::process::Command::new("timeout")
        .args(["120", "script", "-qec", &command, "/dev/null"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "finished with findings: {text}");
    assert!(
        text.contains(" files, "),
        "a progress bar was drawn: {text}"
    );
    assert!(text.contains("MiB/s"), "{text}");
    assert!(
        text.contains(" files (") && text.contains(" checked in "),
        "{text}"
    );
}

#[test]
fn paths_named_with_files_from_are_all_checked() {
    let dir = list_fixture();
    std::fs::write(dir.path().join("list.txt"), "sub/c.md\n").unwrap();
    // `.` typed beside a list is a path like any other.
    let r = run_in(
        dir.path(),
        &["--format", "short", "--files-from", "list.txt", "a.md", "."],
        b"",
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        paths_in(&r.stdout),
        ["a.md", "sub/c.md", "unlisted.md", "with space.txt"]
    );
    // With only a list, only the list.
    let r = run_in(
        dir.path(),
        &["--format", "short", "--files-from", "list.txt"],
        b"",
    );
    assert_eq!(paths_in(&r.stdout), ["sub/c.md"]);
}

#[test]
fn the_summary_says_one_file_not_one_files() {
    let dir = list_fixture();
    let r = run_in(dir.path(), &["--summary", "a.md"], b"");
    assert!(
        r.stdout.contains("  1 file (18 bytes) checked in "),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(": 1 error, 0 warnings, 0 infos"),
        "{}",
        r.stdout
    );
}

#[test]
fn flags_that_would_do_nothing_are_usage_errors() {
    let dir = list_fixture();
    for (args, message) in [
        (
            &["--format", "sarif", "--summary", "a.md"][..],
            "--summary does nothing with --format sarif",
        ),
        (
            &["--format", "github", "--summary-only", "a.md"][..],
            "--summary-only does nothing with --format github",
        ),
        (
            &["-0", "a.md"][..],
            "--null does nothing without --files-from",
        ),
    ] {
        let r = run_in(dir.path(), args, b"");
        assert_eq!((r.code, r.stdout.as_str()), (2, ""), "{args:?}");
        assert!(r.stderr.contains(message), "{}", r.stderr);
        assert!(r.stderr.contains("\n  hint: "), "{}", r.stderr);
    }
}
