//! `--format html`: a self-contained page, checked as text and, with the
//! tests marked `needs chromium`, loaded in headless Chromium
//! (`COPYLINT_CHROMIUM` names the binary; default `chromium`).

use crate::common;
use common::*;

use std::path::Path;
use std::process::Command;

/// Two files with findings in two folders, one with markup and HTML
/// special characters in its sentence.
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("docs")).unwrap();
    std::fs::create_dir_all(dir.path().join("blog")).unwrap();
    std::fs::write(
        dir.path().join("docs/launch.md"),
        "Welcome. The SRE **enables** access to ChatGPT for \"agents\" & teams!\n\n\
         It calls on ChatGPT daily.\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("blog/post.md"),
        "We like OpenAI. This enables access to data.\n",
    )
    .unwrap();
    dir
}

fn report(dir: &Path) -> String {
    let r = run_in(dir, &["--format", "html", "."], b"");
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.stdout
}

#[test]
fn the_page_is_self_contained_and_complete() {
    let dir = fixture();
    let html = report(dir.path());
    assert!(html.starts_with("<!DOCTYPE html>"));
    for outside in ["src=", "http://", "https://", "@import", "url("] {
        assert!(!html.contains(outside), "refers outside: {outside}");
    }
    assert!(html.contains("<dd id=\"n-files\">2</dd>"));
    assert!(html.contains("<dd id=\"n-errors\">2</dd>"));
    assert!(html.contains("<dd id=\"n-warnings\">1</dd>"));
    assert!(html.contains("<dd id=\"n-infos\">1</dd>"));
    assert!(html.contains("<dd id=\"policies\">aws-openai-sre</dd>"));
    // The sentence, markup dropped and escaped, with the match marked.
    assert!(
        html.contains(
            "<blockquote>The SRE <mark>enables access to</mark> ChatGPT for &quot;agents&quot; &amp; teams!</blockquote>"
        ),
        "{html}"
    );
    assert!(html.contains("<details><summary>Why</summary>"));
    assert!(html.contains("Approved: <q>powered by OpenAI</q>"));
    // The file with errors comes first in the table and in the findings.
    let docs = html.find("<a href=\"#f0\">docs/launch.md</a>");
    let blog = html.find("<a href=\"#f1\">blog/post.md</a>");
    assert!(docs.is_some() && blog.is_some(), "{html}");
    assert!(html.find("<h3>docs/launch.md</h3>") < html.find("<h3>blog/post.md</h3>"));
    assert!(html.contains("<th scope=\"col\""));
    assert!(html.contains("<svg id=\"chart\" role=\"img\""));
    assert!(html.contains("@media print"));
}

#[test]
fn files_not_checked_are_counted_by_reason() {
    let dir = fixture();
    std::fs::write(dir.path().join("docs/big.md"), "x".repeat(2000)).unwrap();
    let r = run_in(
        dir.path(),
        &["--format", "html", "--max-file-size", "1K", "."],
        b"",
    );
    assert!(
        r.stdout
            .contains("<dd id=\"n-unchecked\">1 <small>(1 too large)</small>"),
        "{}",
        r.stdout
    );
}

fn chromium(args: &[&str], url: &str) -> std::process::Output {
    let bin = std::env::var("COPYLINT_CHROMIUM").unwrap_or_else(|_| "chromium".to_string());
    let profile = tempfile::tempdir().unwrap();
    Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        .output()
        .expect("chromium runs")
}

/// The DOM after the page's script ran, with `hash` in the address.
fn dom(dir: &Path, hash: &str) -> String {
    // Outside the checked folder: HTML files are copy, and a report left
    // there would be checked by the next run.
    let out = tempfile::tempdir().unwrap();
    let page = out.path().join("report.html");
    std::fs::write(&page, report(dir)).unwrap();
    let out = chromium(&["--dump-dom"], &format!("file://{}{hash}", page.display()));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
#[ignore = "needs chromium"]
fn chromium_runs_the_filters() {
    let dir = fixture();
    let all = dom(dir.path(), "");
    assert!(all.contains("Files 1–2 of 2 (page 1 of 1)"), "{all}");
    assert!(!all.contains("<form id=\"controls\" hidden"));
    assert_eq!(all.matches("<mark>").count(), 4);
    assert_eq!(all.matches("<li class=\"finding\"").count(), 4);
    assert!(!all.contains(" hidden=\"\""));

    let errors = dom(dir.path(), "#severity=error");
    assert!(errors.contains("Files 1–1 of 1 (page 1 of 1)"), "{errors}");
    assert!(errors.contains("<tr data-file=\"f1\"") && errors.contains("hidden=\"\""));
    let hidden_rows = errors.matches("<tr data-file=\"f1\" data-sevs=\" info warning \" data-rules=\" enables-access unapproved-mention \" data-folder=\"blog\" hidden=\"\"").count();
    assert_eq!(hidden_rows, 1, "{errors}");
    assert!(errors.contains("<section class=\"file\" id=\"f1\" hidden=\"\""));

    let rule = dom(dir.path(), "#rule=calls-on-openai");
    assert!(rule.contains("Files 1–1 of 1"), "{rule}");
    // In the file shown, the finding of another rule is hidden.
    assert!(rule.contains(
        "<li class=\"finding\" data-sev=\"error\" data-rule=\"enables-access\" hidden=\"\""
    ));
    assert!(
        !rule.contains(
            "<li class=\"finding\" data-sev=\"error\" data-rule=\"calls-on-openai\" hidden"
        )
    );

    let folder = dom(dir.path(), "#folder=blog");
    assert!(folder.contains("Files 1–1 of 1"), "{folder}");
    assert!(folder.contains("<section class=\"file\" id=\"f0\" hidden=\"\""));
}

#[test]
#[ignore = "needs chromium"]
fn chromium_shows_fifty_files_a_page() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..60 {
        let text = if i == 59 {
            "It calls on ChatGPT.\n"
        } else {
            "We like OpenAI.\n"
        };
        std::fs::write(dir.path().join(format!("f{i:02}.md")), text).unwrap();
    }
    // The page holds the first 50 files as HTML, the other 10 as JSON.
    let html = report(dir.path());
    assert_eq!(html.matches("<section class=\"file\"").count(), 50);
    assert_eq!(
        html.matches("<section class=\\\"file\\\" id=\\\"f").count(),
        10
    );
    let first = dom(dir.path(), "");
    assert!(first.contains("Files 1–50 of 60 (page 1 of 2)"), "{first}");
    assert_eq!(first.matches("<section class=\"file\" id=").count(), 50);
    // The file with an error is on the first page, ahead of the infos.
    assert!(first.contains("<tr data-file=\"f0\" data-sevs=\" error \""));
    // The second page is made from the JSON, findings and all.
    let second = dom(dir.path(), "#page=2");
    assert!(
        second.contains("Files 51–60 of 60 (page 2 of 2)"),
        "{second}"
    );
    assert_eq!(
        second.matches("<section class=\"file off-page\"").count(),
        50
    );
    assert_eq!(second.matches("<section class=\"file\" id=").count(), 10);
    assert!(second.contains("<section class=\"file\" id=\"f59\"><h3>"));
    // Page one's 49 infos stay in the document, hidden; page two adds 10.
    assert_eq!(first.matches("<mark>OpenAI</mark>").count(), 49);
    assert_eq!(second.matches("<mark>OpenAI</mark>").count(), 59);
}

#[test]
#[ignore = "needs chromium"]
fn chromium_takes_a_screenshot() {
    let dir = fixture();
    let page = dir.path().join("report.html");
    std::fs::write(&page, report(dir.path())).unwrap();
    let shot = dir.path().join("shot.png");
    let out = chromium(
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1000,900",
        ],
        &format!("file://{}", page.display()),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let png = std::fs::read(&shot).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!((width, height), (1000, 900));
    // A blank page compresses to a few hundred bytes; text and a chart do not.
    assert!(png.len() > 20_000, "{} bytes", png.len());
}

#[test]
fn an_explanation_is_written_once_per_file_and_rule() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.md"),
        "It calls on ChatGPT. It calls on ChatGPT.\n",
    )
    .unwrap();
    let html = report(dir.path());
    assert_eq!(html.matches("<details><summary>Why</summary>").count(), 1);
    assert_eq!(
        html.matches("<a href=\"#rule-calls-on-openai\">Why (calls-on-openai)</a>")
            .count(),
        1
    );
    assert!(html.contains("<dt id=\"rule-calls-on-openai\">"));
}
