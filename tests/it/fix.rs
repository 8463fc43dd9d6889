//! `--fix`, `--unsafe-fixes` and `--diff` through the binary: what is
//! fixed, what is never touched, and what is reported afterwards.

use crate::common;
use common::*;

use std::path::Path;

/// A rule with a declared replacement (an unsafe fix) and one without.
const POLICY: &str = r#"
name = "northwind"

[[rules]]
id = "no-cure"
severity = "error"
message = "do not promise a cure"
pattern = "cures migraines"
fix = "helps with migraines"
explanation = "Medical claims need approval."
bad = ["It cures migraines."]
good = ["It helps with migraines."]

[[rules]]
id = "no-guarantee"
severity = "warning"
message = "no guarantees"
pattern = "guaranteed"
explanation = "Nothing is guaranteed."
bad = ["Results guaranteed."]
good = ["Results vary."]
"#;

/// Front matter, a code span, a code block and CRLF line endings around
/// two fixable findings and one that has no fix.
const PAGE: &str = "---\r\ntitle: It cures migraines\r\n---\r\n# Relief\r\n\r\nIt cures migraines. Run `cures migraines` to see.\r\n\r\n```\r\ncures migraines\r\n```\r\n\r\nResults guaranteed; it cures  migraines.\r\n";

fn fixture(page: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.toml"), POLICY).unwrap();
    std::fs::write(dir.path().join("page.md"), page).unwrap();
    dir
}

fn copylint(dir: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        "--no-default-policy",
        "--policy",
        "p.toml",
        "--format",
        "short",
    ];
    args.extend_from_slice(extra);
    args.push("page.md");
    run_in(dir, &args, b"")
}

fn read(dir: &Path) -> Vec<u8> {
    std::fs::read(dir.join("page.md")).unwrap()
}

#[test]
fn unsafe_fixes_rewrite_only_the_findings_spans() {
    let mut page = b"\xEF\xBB\xBF".to_vec();
    page.extend_from_slice(PAGE.as_bytes());
    let dir = fixture(&page);
    // A declared replacement is an unsafe fix: --fix alone leaves it.
    let r = copylint(dir.path(), &["--fix"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(read(dir.path()), page);
    let r = copylint(dir.path(), &["--fix", "--unsafe-fixes"]);
    // What remains is reported: the finding without a fix.
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "page.md:12:9: warning: no guarantees [no-guarantee]\n"
    );
    // Front matter values are copy; the key, the code span and the code
    // block are not.
    assert_eq!(r.stderr, "copylint: note: page.md: applied 3 fixes\n");
    let mut expected = b"\xEF\xBB\xBF".to_vec();
    expected.extend_from_slice(
        PAGE.replacen(
            "title: It cures migraines",
            "title: It helps with migraines",
            1,
        )
        .replacen("It cures migraines.", "It helps with migraines.", 1)
        .replacen("it cures  migraines.", "it helps with migraines.", 1)
        .as_bytes(),
    );
    // The byte-order mark, CRLF, front matter and code are as they were.
    assert_eq!(
        String::from_utf8_lossy(&read(dir.path())),
        String::from_utf8_lossy(&expected)
    );
    // Nothing is left to fix.
    let r = copylint(dir.path(), &["--fix", "--unsafe-fixes"]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    assert_eq!(read(dir.path()), expected);
}

#[test]
fn diff_shows_the_fixes_and_writes_nothing() {
    let dir = fixture(b"It cures migraines.\n");
    let r = copylint(dir.path(), &["--diff", "--unsafe-fixes"]);
    assert_eq!(read(dir.path()), b"It cures migraines.\n");
    // The exit status is as with --fix: nothing would remain.
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "--- a/page.md\n+++ b/page.md\n@@ -1 +1 @@\n-It cures migraines.\n+It helps with migraines.\n"
    );
    assert_eq!(
        r.stderr,
        "copylint: note: page.md: 1 fix would be applied\n"
    );
}

#[test]
fn suppressed_findings_are_not_fixed_and_encodings_are_kept() {
    let page = b"<!-- copylint-disable-next-line no-cure -->\nCaf\xE9 cures migraines.\nIt cures migraines.\n";
    let dir = fixture(page);
    let r = copylint(dir.path(), &["--fix", "--unsafe-fixes"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        read(dir.path()),
        b"<!-- copylint-disable-next-line no-cure -->\nCaf\xE9 cures migraines.\nIt helps with migraines.\n"
    );
}

#[test]
fn fix_flags_that_cannot_work_are_usage_errors() {
    let dir = fixture(b"It cures migraines.\n");
    let r = run_in(dir.path(), &["--unsafe-fixes", "page.md"], b"");
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("--unsafe-fixes does nothing without --fix or --diff"),
        "{}",
        r.stderr
    );
    let r = run_in(dir.path(), &["--fix", "-"], b"It cures migraines.");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not standard input"), "{}", r.stderr);
    assert_eq!(read(dir.path()), b"It cures migraines.\n");
}

#[test]
fn json_and_sarif_carry_the_edits() {
    let dir = fixture(b"# T\n\nIt cures migraines.\n");
    let json = run_in(
        dir.path(),
        &[
            "--no-default-policy",
            "--policy",
            "p.toml",
            "--format",
            "json",
            "page.md",
        ],
        b"",
    );
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        doc["diagnostics"][0]["fix"],
        serde_json::json!({
            "applicability": "unsafe",
            "edits": [{
                "start": { "line": 3, "column": 4, "offset": 8 },
                "end": { "line": 3, "column": 19, "offset": 23 },
                "content": "helps with migraines",
            }],
        })
    );
    let sarif = run_in(
        dir.path(),
        &[
            "--no-default-policy",
            "--policy",
            "p.toml",
            "--format",
            "sarif",
            "page.md",
        ],
        b"",
    );
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let fix = &log["runs"][0]["results"][0]["fixes"][0];
    assert_eq!(
        fix["description"]["text"],
        "Replace with “helps with migraines” (unsafe)"
    );
    let change = &fix["artifactChanges"][0];
    assert_eq!(change["artifactLocation"]["uri"], "page.md");
    assert_eq!(
        change["replacements"][0],
        serde_json::json!({
            "deletedRegion": { "startLine": 3, "startColumn": 4, "endLine": 3, "endColumn": 19 },
            "insertedContent": { "text": "helps with migraines" },
        })
    );
}
