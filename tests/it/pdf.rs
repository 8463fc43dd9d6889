//! PDF files made by real tools (LibreOffice, Chromium; see
//! tests/fixtures/documents/pdf/README.md): the text of each page in
//! reading order, lines joined into paragraphs, words broken at a line
//! end made whole, findings that name their page, and PDFs never
//! rewritten by `--fix`.

use crate::common;
use common::*;

use std::path::Path;

use copylint::source::{ExtractOptions, Format, Unit, normalize};
use copylint::{NoticeKind, Source};
use serde_json::Value;

const DIR: &str = "tests/fixtures/documents/pdf";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(DIR).join(name)).expect("fixture")
}

fn read(name: &str) -> Source {
    Source::read(name, fixture(name), Format::Pdf, ExtractOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The page `phrase` is on, matched as copylint matches (normalized,
/// within one paragraph); `None` when it is not copy.
fn page_of(source: &Source, phrase: &str) -> Option<u32> {
    let phrase = normalize(phrase);
    let mut offset = 0;
    for line in source.text().split_inclusive('\n') {
        if normalize(line).contains(&phrase) {
            return match source.unit_at(offset) {
                Some((_, Unit::Page(page))) => Some(page),
                other => panic!("{phrase:?} is in {other:?}, not a page"),
            };
        }
        offset += line.len();
    }
    None
}

#[test]
fn what_is_copy_and_on_which_page() {
    let cases: &[(&str, &str, Option<u32>)] = &[
        // A phrase that wraps to the next line.
        (
            "wrap-chromium.pdf",
            "runtime enables access to ChatGPT for every agent",
            Some(1),
        ),
        (
            "wrap-chromium.pdf",
            "service calls on ChatGPT when",
            Some(1),
        ),
        // A hyphen at a line end within a name stays: GPT- / 4.1.
        ("wrap-chromium.pdf", "ships as GPT-4.1 today", Some(1)),
        // A soft hyphen not at a line end is no space: en&shy;ables.
        (
            "wrap-chromium.pdf",
            "so the runtime enables access",
            Some(1),
        ),
        // Ligature glyphs are their letters.
        ("wrap-chromium.pdf", "a fleet of support agents", Some(1)),
        ("wrap-chromium.pdf", "tools for files, search", Some(1)),
        // Paragraphs stay apart.
        (
            "wrap-chromium.pdf",
            "from every region. The assistant",
            None,
        ),
        ("wrap-chromium.pdf", "Partner note Our agents", None),
        // LibreOffice leaves page 1 of a web page blank.
        (
            "wrap-libreoffice.pdf",
            "enables access to ChatGPT for every agent",
            Some(2),
        ),
        // A word hyphenated at a line end: en- / ables.
        (
            "wrap-libreoffice.pdf",
            "says it now enables access to ChatGPT",
            Some(2),
        ),
        ("wrap-libreoffice.pdf", "now en-ables", None),
        ("wrap-libreoffice.pdf", "now en ables", None),
        (
            "wrap-libreoffice.pdf",
            "ships as GPT-4.1 today, with tools for files",
            Some(2),
        ),
        // Word, through LibreOffice: table cells and footnotes are copy;
        // comments are not printed, so not copy.
        (
            "brief.pdf",
            "The SRE enables access to ChatGPT for every agent.",
            Some(1),
        ),
        ("brief.pdf", "It calls on ChatGPT daily.", Some(1)),
        (
            "brief.pdf",
            "promises access to the most advanced frontier models",
            Some(1),
        ),
        ("brief.pdf", "The draft calls on ChatGPT", None),
        // A deck: one page per slide, speaker notes are not printed.
        ("deck.pdf", "It enables access to ChatGPT", Some(2)),
        (
            "deck.pdf",
            "Access to the most advanced frontier models",
            Some(4),
        ),
        ("deck.pdf", "Filler slide 11.", Some(12)),
        ("deck.pdf", "It calls on ChatGPT.", Some(13)),
        ("deck.pdf", "calls on ChatGPT for every request", None),
        ("deck.pdf", "Filler slide 4. Slide 5", None),
    ];
    let mut failures = Vec::new();
    for (name, phrase, want) in cases {
        let got = page_of(&read(name), phrase);
        if got != *want {
            failures.push(format!("{name}: {phrase:?} on {got:?}, want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn scans_and_encrypted_files_are_not_checked_with_the_reason() {
    for (name, kind, message) in [
        (
            "scan.pdf",
            NoticeKind::NoTextLayer,
            "no text layer: 1 page of images only (a scan?)",
        ),
        (
            "encrypted.pdf",
            NoticeKind::Encrypted,
            "an encrypted (password-protected) PDF file",
        ),
    ] {
        let e = Source::read(name, fixture(name), Format::Pdf, ExtractOptions::default())
            .expect_err(name);
        assert_eq!((e.reason, e.message.as_str()), (kind, message), "{name}");
    }
}

#[test]
fn content_names_a_pdf_whatever_its_name() {
    let bytes = fixture("wrap-chromium.pdf");
    for (name, named) in [
        ("note", Format::Text),
        ("note.txt", Format::Text),
        ("note.md", Format::Markdown),
        ("note.pdf", Format::Pdf),
    ] {
        let got = copylint::source::sniff(Path::new(name), &bytes, named);
        assert_eq!(got, Format::Pdf, "{name}");
    }
    let text = b"A note on %PDF-1.7 files.";
    assert_eq!(
        copylint::source::sniff(Path::new("note.md"), text, Format::Markdown),
        Format::Markdown
    );
    assert_eq!(
        Format::from_extension(Path::new("a.PDF")),
        Some(Format::Pdf)
    );
}

/// `(rule, page, line, column)` of each finding in the JSON output.
fn json_findings(stdout: &str) -> Vec<(String, u64, u64, u64)> {
    let json: Value = serde_json::from_str(stdout).expect("JSON");
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or_default().to_string(),
                d["page"].as_u64().unwrap_or(0),
                d["start"]["line"].as_u64().unwrap_or(0),
                d["start"]["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn findings_name_their_page_through_the_binary() {
    const SUPERLATIVES: &str = "tests/fixtures/documents/superlatives.toml";
    // The fixture policy flags the superlative on page 4, which names no
    // model and so is no claim of the default policy.
    let r = run(&[
        "--format",
        "json",
        "--policy",
        SUPERLATIVES,
        &format!("{DIR}/deck.pdf"),
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let row = |rule: &str, page, line, column| (rule.to_string(), page, line, column);
    assert_eq!(
        json_findings(&r.stdout),
        [
            row("enables-access", 2, 3, 6),
            row("superlative-models", 4, 3, 15),
            row("calls-on-openai", 13, 2, 4),
        ]
    );
    let r = run(&["--format", "short", &format!("{DIR}/deck.pdf")]);
    assert!(
        r.stdout.contains(&format!(
            "{DIR}/deck.pdf:2:4: error: page 13: \"calls on ChatGPT\""
        )),
        "{}",
        r.stdout
    );
}

#[test]
fn a_pdf_without_its_extension_is_read_by_its_content() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("note"), fixture("wrap-chromium.pdf")).unwrap();
    let r = run_in(dir.path(), &["--format", "short", "note"], b"");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("note:3:76: error: page 1: \"enables access to\""),
        "{}",
        r.stdout
    );
}

const POLICY: &str = r#"
name = "northwind"

[[rules]]
id = "no-reasoning"
severity = "error"
message = "say thinking"
pattern = "needs reasoning"
fix = "needs thinking"
explanation = "House style."
bad = ["It needs reasoning."]
good = ["It needs thinking."]
"#;

#[test]
fn fix_never_rewrites_a_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = fixture("wrap-chromium.pdf");
    std::fs::write(dir.path().join("p.toml"), POLICY).unwrap();
    std::fs::write(dir.path().join("note.pdf"), &pdf).unwrap();
    std::fs::write(dir.path().join("page.md"), "A task needs reasoning.\n").unwrap();
    let args = [
        "--no-default-policy",
        "--policy",
        "p.toml",
        "--format",
        "short",
        "--fix",
        "--unsafe-fixes",
        "note.pdf",
        "page.md",
    ];
    let r = run_in(dir.path(), &args, b"");
    // The Markdown file is fixed; the PDF is untouched and its finding stays.
    let page = std::fs::read_to_string(dir.path().join("page.md")).unwrap();
    assert_eq!(page, "A task needs thinking.\n");
    assert!(std::fs::read(dir.path().join("note.pdf")).unwrap() == pdf);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("note.pdf:7:55: error: page 1: say thinking [no-reasoning]"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("page.md"), "{}", r.stdout);
}

#[test]
fn every_format_names_the_page() {
    let deck = format!("{DIR}/deck.pdf");
    for (format, want) in [
        ("ndjson", r#""page":13,"#.to_string()),
        ("sarif", r#""page":13"#.to_string()),
        (
            "github",
            "title=copylint(calls-on-openai)::page 13: ".to_string(),
        ),
        ("csv", format!("{deck},\"page 13, 2:4\",calls-on-openai,")),
        (
            "html",
            "page 13, line 2, column 4 · <code>calls-on-openai</code>".to_string(),
        ),
    ] {
        let r = run(&["--format", format, &deck]);
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        assert!(
            r.stdout.contains(&want),
            "{format}: {want:?} not in\n{}",
            r.stdout
        );
    }
}
