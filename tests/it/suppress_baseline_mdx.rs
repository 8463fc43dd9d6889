//! Inline suppressions, baselines and MDX, through the real binary.

use crate::common;
use common::*;

use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn lines(out: &str) -> Vec<String> {
    out.lines()
        .map(|l| l.split(": ").next().unwrap().to_string())
        .collect()
}

#[test]
fn markdown_directives_suppress() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.md",
        "It calls on ChatGPT.\n\n<!-- copylint-disable-next-line calls-on-openai -->\nIt calls on ChatGPT.\n\n\
         <!-- copylint-disable -->\nIt calls on ChatGPT. It enables access to data.\n<!-- copylint-enable -->\n\n\
         It calls on ChatGPT.\n\n<!-- copylint-disable-next-line enables-access -->\nIt calls on ChatGPT.\n",
    );
    let r = run_in(dir.path(), &["--format", "short", "a.md"], b"");
    assert_eq!(
        lines(&r.stdout),
        ["a.md:1:4", "a.md:10:4", "a.md:13:4"],
        "{}",
        r.stdout
    );
    assert_eq!(r.stderr, "");
    let r = run_in(
        dir.path(),
        &["--format", "short", "--report-unused-directives", "a.md"],
        b"",
    );
    assert!(
        r.stderr
            .contains("a.md:12: unused copylint-disable-next-line directive"),
        "{}",
        r.stderr
    );
    write(
        dir.path(),
        "b.md",
        "<!-- copylint-disable-file -->\nIt calls on ChatGPT.\n",
    );
    let r = run_in(dir.path(), &["--format", "short", "b.md"], b"");
    assert_eq!((r.code, r.stdout.as_str()), (0, ""));
}

#[test]
fn text_directives_and_unknown_rules() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.txt",
        "copylint-disable-next-line calls-on-openai\nIt calls on ChatGPT.\n\ncopylint-disable-next-line no-such-rule\nIt calls on ChatGPT.\n",
    );
    let r = run_in(dir.path(), &["--format", "short", "a.txt"], b"");
    assert_eq!(lines(&r.stdout), ["a.txt:5:4"]);
    assert!(r.stderr.contains("copylint: warning: a.txt:4: copylint-disable-next-line names unknown rule `no-such-rule`"), "{}", r.stderr);
}

#[test]
fn baseline_reports_only_new_findings() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(p, "a.md", "It calls on ChatGPT.\n\nIt calls on ChatGPT.\n");
    let r = run_in(p, &["--write-baseline", "baseline.json", "a.md"], b"");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p.join("baseline.json")).unwrap()).unwrap();
    assert_eq!(json["entries"][0]["count"], 2);
    // Edits elsewhere move the old findings: still known.
    write(
        p,
        "a.md",
        "# New title\n\nIntro.\n\nIt calls on ChatGPT.\n\nIt calls on ChatGPT.\n",
    );
    let r = run_in(
        p,
        &["--baseline", "baseline.json", "--format", "short", "a.md"],
        b"",
    );
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    // A third one is new, and so is a different phrase.
    write(
        p,
        "a.md",
        "It calls on ChatGPT.\n\nIt calls on ChatGPT.\n\nIt calls on ChatGPT. It calls on GPT-4o.\n",
    );
    let r = run_in(
        p,
        &["--baseline", "baseline.json", "--format", "short", "a.md"],
        b"",
    );
    assert_eq!(r.code, 1);
    assert_eq!(lines(&r.stdout), ["a.md:5:4", "a.md:5:25"]);
    write(p, "bad.json", "{\"version\": 1,\n \"entries\": [}");
    let r = run_in(p, &["--baseline", "bad.json", "a.md"], b"");
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("bad.json") && r.stderr.contains("line 2"),
        "{}",
        r.stderr
    );
}

#[test]
fn mdx_checks_jsx_text_but_not_code() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "page.mdx",
        "import { Card } from './card'\nexport const meta = { title: 'calls on ChatGPT' }\n\n\
         # Launch\n\n<Card title=\"calls on ChatGPT\">\n  Our agents call on ChatGPT.\n</Card>\n\n\
         Value: {props.callsOnChatGPT ? 'calls on ChatGPT' : ''}\n",
    );
    let r = run_in(dir.path(), &["--format", "short", "page.mdx"], b"");
    // The title string of <Card> is copy; the ESM and the expression are not.
    assert_eq!(
        lines(&r.stdout),
        ["page.mdx:6:14", "page.mdx:7:14"],
        "{}",
        r.stdout
    );
}

#[test]
fn mdx_alt_and_title_strings_are_copy() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "page.mdx",
        "import logo from './logo.png'\n\n\
         <img alt=\"The SRE enables access to ChatGPT\" src={logo} />\n\n\
         <Figure title='Agents call on ChatGPT' caption={\"calls on ChatGPT\"} data-note=\"calls on ChatGPT\">\n\
         Plain words.\n\
         </Figure>\n\n\
         <Note title={`calls on ChatGPT`} alt=\"AT&amp;T calls on ChatGPT\" />\n\n\
         ```jsx\n<img alt=\"calls on ChatGPT\" />\n```\n",
    );
    let r = run_in(dir.path(), &["--format", "short", "page.mdx"], b"");
    // Only the quoted alt and title values, entities decoded in place;
    // not expressions, other attributes or code.
    assert_eq!(
        lines(&r.stdout),
        ["page.mdx:3:19", "page.mdx:5:23", "page.mdx:9:48"],
        "{}",
        r.stdout
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
}

/// A directive is a comment where the format's own reader sees a comment:
/// indentation is not code in HTML or under a JSX element, and `<pre>` is
/// code in HTML, whatever Markdown would make of the same bytes.
#[test]
fn directives_follow_each_formats_reader() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    // Indented after a blank line: Markdown would call it indented code.
    write(
        p,
        "indented.html",
        "<main>\n\n    <!-- copylint-disable-next-line enables-access -->\n    \
         <p>The SRE enables access to ChatGPT.</p>\n</main>\n",
    );
    // At the left margin inside <pre>: an example in HTML.
    write(
        p,
        "pre.html",
        "<pre>\n<!-- copylint-disable-file -->\n</pre>\n<p>It calls on ChatGPT.</p>\n",
    );
    write(
        p,
        "indented.mdx",
        "<Hero>\n\n    {/* copylint-disable-next-line enables-access */}\n    \
         The SRE enables access to ChatGPT.\n\n</Hero>\n",
    );
    // In Markdown, the same indentation is code: the directive is an example.
    write(
        p,
        "indented.md",
        "Intro.\n\n    <!-- copylint-disable-file -->\n\nIt calls on ChatGPT.\n",
    );
    let r = run_in(
        p,
        &[
            "--format",
            "short",
            "--report-unused-directives",
            "indented.html",
            "pre.html",
            "indented.mdx",
            "indented.md",
        ],
        b"",
    );
    assert_eq!(
        lines(&r.stdout),
        ["indented.md:5:4", "pre.html:4:7"],
        "{}",
        r.stdout
    );
    assert!(!r.stderr.contains("unused"), "{}", r.stderr);
}

/// A file the prefilter rules out is not parsed for its findings, but its
/// directives are still told apart from examples in code.
#[test]
fn unused_directives_in_files_without_findings() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(
        p,
        "a.md",
        "Plain words.\n\n```html\n<!-- copylint-disable-file -->\n```\n\n\
         <!-- copylint-disable-next-line calls-on-openai -->\nMore plain words.\n",
    );
    let r = run_in(
        p,
        &["--format", "short", "--report-unused-directives", "a.md"],
        b"",
    );
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    let unused: Vec<&str> = r.stderr.lines().filter(|l| l.contains("unused")).collect();
    assert_eq!(unused.len(), 1, "{}", r.stderr);
    assert!(
        unused[0].contains("a.md:7: unused copylint-disable-next-line"),
        "{}",
        r.stderr
    );
}
