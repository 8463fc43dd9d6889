//! Documents made by real tools (pandoc, LibreOffice; see
//! tests/fixtures/documents/README.md): what is copy, what is not, and the
//! unit each finding is in. Then hostile documents, which must fail with
//! a reason and never hurt the run.

use std::io::Write;
use std::path::Path;

use copylint::source::office::Limits;
use copylint::source::{ExtractOptions, Format, Part, Unit};
use copylint::{Linter, NoticeKind, Policy, Source};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new("tests/fixtures/documents").join(name)).expect("fixture")
}

/// The default policy, and one that still flags superlatives about
/// models with no name in them (`superlatives.toml`), which the fixtures'
/// footnotes, footers and table cells hold.
fn linter(options: ExtractOptions) -> Linter {
    let extra = std::fs::read_to_string("tests/fixtures/documents/superlatives.toml")
        .expect("fixture policy");
    let extra = Policy::load("superlatives.toml", &extra).expect("fixture policy loads");
    Linter::new(vec![Policy::default_policy(), extra])
        .expect("default policy")
        .with_extract_options(options)
}

/// `(rule, unit, matched)` of each finding of the document, errors and
/// warnings only.
fn findings_with(name: &str, options: ExtractOptions) -> Vec<(String, Unit, String)> {
    let format = Format::from_extension(Path::new(name)).expect("a known extension");
    let source = Source::read(name, fixture(name), format, options).expect("readable");
    linter(options)
        .check(&source)
        .into_iter()
        .filter(|f| f.severity > copylint::Severity::Info)
        .map(|f| {
            let unit = f.unit.expect("a document finding has a unit");
            (f.rule.to_string(), unit, f.matched)
        })
        .collect()
}

fn findings(name: &str) -> Vec<(String, Unit, String)> {
    findings_with(name, ExtractOptions::default())
}

fn para(paragraph: u32) -> Unit {
    Unit::Paragraph {
        paragraph,
        part: Part::Body,
    }
}

fn slide(slide: u32, notes: bool) -> Unit {
    Unit::Slide { slide, notes }
}

fn row(rule: &str, unit: Unit, matched: &str) -> (String, Unit, String) {
    (rule.to_string(), unit, matched.to_string())
}

/// The brief, as Word and as OpenDocument text: split runs joined, table
/// cells, inserted text and footnotes are copy; deleted text and comments
/// are not.
fn brief_expected() -> Vec<(String, Unit, String)> {
    vec![
        row("enables-access", para(2), "enables access to"),
        row("calls-on-openai", para(7), "calls on ChatGPT"),
        row("calls-on-openai", para(8), "calls on ChatGPT"),
        row(
            "superlative-models",
            Unit::Paragraph {
                paragraph: 1,
                part: Part::Footnote,
            },
            "most advanced frontier models",
        ),
    ]
}

#[test]
fn word_copy_and_not_copy() {
    let mut got = findings("brief.docx");
    got.sort_by_key(|(_, u, _)| format!("{u:?}"));
    let mut want = brief_expected();
    want.sort_by_key(|(_, u, _)| format!("{u:?}"));
    assert_eq!(got, want);
}

#[test]
fn opendocument_text_copy_and_not_copy() {
    let mut got = findings("brief.odt");
    got.sort_by_key(|(_, u, _)| format!("{u:?}"));
    let mut want = brief_expected();
    want.sort_by_key(|(_, u, _)| format!("{u:?}"));
    assert_eq!(got, want);
}

#[test]
fn comments_are_copy_only_when_asked_for() {
    for name in ["brief.docx", "brief.odt"] {
        let options = ExtractOptions {
            comments: true,
            ..ExtractOptions::default()
        };
        let got = findings_with(name, options);
        let comment = Unit::Paragraph {
            paragraph: 1,
            part: Part::Comment,
        };
        assert!(
            got.contains(&row("calls-on-openai", comment, "calls on ChatGPT")),
            "{name}: {got:?}"
        );
        assert_eq!(got.len(), brief_expected().len() + 1, "{name}: {got:?}");
    }
}

/// The deck, as PowerPoint and as OpenDocument presentation: slide text,
/// table cells and speaker notes, each in its slide.
#[test]
fn deck_copy_with_slides_and_notes() {
    let want = vec![
        row("enables-access", slide(2, false), "enables access to"),
        row("calls-on-openai", slide(2, true), "calls on ChatGPT"),
        row(
            "superlative-models",
            slide(4, false),
            "most advanced frontier models",
        ),
        row("calls-on-openai", slide(13, false), "calls on ChatGPT"),
    ];
    for name in ["deck.pptx", "deck.odp"] {
        assert_eq!(findings(name), want, "{name}");
    }
}

/// OpenDocument text keeps its headers and footers in the master pages
/// of `styles.xml`: they are copy, after the body, each numbered in its
/// part; page-number fields are not.
#[test]
fn opendocument_headers_and_footers_are_copy() {
    let part = |paragraph, part| Unit::Paragraph { paragraph, part };
    let want = vec![
        row("calls-on-openai", para(1), "calls on ChatGPT"),
        row("enables-access", part(1, Part::Header), "enables access to"),
        row("calls-on-openai", part(2, Part::Header), "call on ChatGPT"),
        row(
            "frontier-model-claim",
            part(2, Part::Footer),
            "OpenAI's most advanced frontier models",
        ),
    ];
    assert_eq!(findings("memo.odt"), want);
    let source = Source::read(
        "memo.odt",
        fixture("memo.odt"),
        Format::Office,
        ExtractOptions::default(),
    )
    .expect("readable");
    assert!(
        source.text().contains("\nPage  of the brief\n"),
        "{}",
        source.text()
    );
}

/// A deck whose slide parts are numbered out of presentation order.
#[test]
fn slides_follow_presentation_order_not_file_names() {
    let got = findings("reordered.pptx");
    let units: Vec<Unit> = got.iter().map(|(_, u, _)| *u).collect();
    // The last slide of deck.pptx was moved to second place.
    assert_eq!(units[0], slide(2, false), "{got:?}");
    assert_eq!(got[0].2, "calls on ChatGPT");
    assert!(units.contains(&slide(3, true)), "{got:?}");
}

#[test]
fn html_copy_with_exact_offsets() {
    let bytes = fixture("brief.html");
    let text = String::from_utf8(bytes.clone()).expect("UTF-8");
    let source = Source::read("brief.html", bytes, Format::Html, ExtractOptions::default())
        .expect("readable");
    let got: Vec<(String, String)> = linter(ExtractOptions::default())
        .check(&source)
        .into_iter()
        .filter(|f| f.severity > copylint::Severity::Info)
        .map(|f| {
            assert_eq!(f.unit, None);
            (f.rule.to_string(), text[f.span.range()].to_string())
        })
        .collect();
    // Pandoc's HTML keeps deletions and comments as spans: they are text.
    assert_eq!(
        got,
        [
            ("enables-access", "enables</strong> access to"),
            ("calls-on-openai", "calls on ChatGPT"),
            ("calls-on-openai", "calls on ChatGPT"),
            ("enables-access", "enables access to"),
            ("calls-on-openai", "calls on\nChatGPT"),
            ("superlative-models", "most advanced frontier models"),
        ]
        .map(|(r, m)| (r.to_string(), m.to_string()))
    );
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        zip.start_file(*name, options).expect("zip entry");
        zip.write_all(bytes).expect("zip write");
    }
    zip.finish().expect("zip finish");
    out.into_inner()
}

const RELS: &[u8] = br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

fn docx_with(document: &[u8]) -> Vec<u8> {
    zip_of(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("_rels/.rels", RELS),
        ("word/document.xml", document),
    ])
}

/// What a hostile document is, its bytes, the options it is read with,
/// and the text it gives or the reason it is refused.
type HostileCase = (
    &'static str,
    Vec<u8>,
    ExtractOptions,
    Result<&'static str, NoticeKind>,
);

/// Hostile documents: each fails with its reason, quickly, or is read
/// without expanding what it asks to expand.
#[test]
fn hostile_documents() {
    let small = ExtractOptions {
        limits: Limits {
            entry: 1 << 20,
            document: 1 << 20,
            ratio: 200,
        },
        ..ExtractOptions::default()
    };
    let deck = fixture("deck.pptx");
    let laughs = br#"<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]><w:document xmlns:w="w"><w:body><w:p><w:r><w:t>x&d;y</w:t></w:r></w:p></w:body></w:document>"#;
    let bomb = docx_with(&vec![b' '; 8 << 20]);
    let cases: Vec<HostileCase> = vec![
        ("zip bomb", bomb, small, Err(NoticeKind::TooLarge)),
        (
            "truncated deck",
            deck[..deck.len() / 2].to_vec(),
            ExtractOptions::default(),
            Err(NoticeKind::Damaged),
        ),
        (
            "nested entities",
            docx_with(laughs),
            ExtractOptions::default(),
            Ok("xy\n"),
        ),
        (
            "a text file named .pptx",
            b"The SRE enables access to ChatGPT.".to_vec(),
            ExtractOptions::default(),
            Err(NoticeKind::Damaged),
        ),
        (
            "malformed XML",
            docx_with(b"<w:document><w:body><w:p></w:body>"),
            ExtractOptions::default(),
            Err(NoticeKind::Damaged),
        ),
        (
            "encrypted Office file",
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest".to_vec(),
            ExtractOptions::default(),
            Err(NoticeKind::Encrypted),
        ),
        (
            "a zip that is no document",
            zip_of(&[("a.txt", b"x")]),
            ExtractOptions::default(),
            Err(NoticeKind::Unsupported),
        ),
    ];
    for (what, bytes, options, want) in cases {
        let got = Source::read("x.pptx", bytes, Format::Office, options);
        match (got, want) {
            (Ok(source), Ok(text)) => assert_eq!(source.text(), text, "{what}"),
            (Err(e), Err(kind)) => {
                assert_eq!(e.reason, kind, "{what}: {e}");
                assert!(!e.message.is_empty(), "{what}");
            }
            (got, want) => panic!("{what}: got {got:?}, want {want:?}"),
        }
    }
}

#[test]
fn content_tells_the_format_when_the_name_does_not() {
    let cases: &[(&str, &[u8], Format, Format)] = &[
        ("deck", b"PK\x03\x04rest", Format::Text, Format::Office),
        (
            "deck.md",
            b"PK\x03\x04rest",
            Format::Markdown,
            Format::Office,
        ),
        ("page", b"  <!DOCTYPE html><p>x", Format::Text, Format::Html),
        ("page.txt", b"<html><p>x", Format::Text, Format::Text),
        ("notes", b"plain", Format::Text, Format::Text),
        ("fake.pptx", b"plain", Format::Office, Format::Office),
    ];
    for (name, bytes, named, want) in cases {
        let got = copylint::source::sniff(Path::new(name), bytes, *named);
        assert_eq!(got, *want, "{name}");
    }
}
