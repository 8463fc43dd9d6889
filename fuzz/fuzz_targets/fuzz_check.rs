//! Arbitrary bytes as a Markdown file and as a text file: decoding,
//! extraction, matching with the default policy, and every output format.
//!
//! Beyond "does not panic", every finding must satisfy the source-map
//! property: its span lies in `source.text()`, on character boundaries, is
//! not empty, and the source text it covers normalizes back to one of its
//! rule's literals (exactly, for plain text; modulo inline Markdown markup,
//! for Markdown). The JSON output must parse and agree with the findings.

#![no_main]

use std::collections::HashMap;
use std::sync::OnceLock;

use copylint::report::{OutputFormat, Summary, reporter};
use copylint::source::normalize;
use copylint::{Finding, Format, Linter, Policy, Source};
use libfuzzer_sys::fuzz_target;

struct Setup {
    linter: Linter,
    /// Rule id to its literals.
    literals: HashMap<String, Vec<String>>,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let linter = Linter::new(vec![Policy::default_policy()]);
        let mut literals: HashMap<String, Vec<String>> = HashMap::new();
        for (_, rule) in linter.rules() {
            literals
                .entry(rule.id.to_string())
                .or_default()
                .extend(rule.literals.iter().cloned());
        }
        Setup { linter, literals }
    })
}

fuzz_target!(|data: &[u8]| {
    let setup = setup();
    for format in [Format::Markdown, Format::Text] {
        let name = match format {
            Format::Markdown => "fuzz.md",
            Format::Text => "fuzz.txt",
        };
        let source = Source::from_bytes(name, data.to_vec(), format);
        let findings = setup.linter.check(&source);
        for f in &findings {
            check_finding(setup, &source, f);
        }
        assert!(
            findings.windows(2).all(|w| w[0].span <= w[1].span),
            "findings are not ordered by position"
        );
        render_all(&source, &findings);
    }
});

/// The source-map property for one finding.
fn check_finding(setup: &Setup, source: &Source, f: &Finding) {
    let text = source.text();
    let (start, end) = (f.span.start(), f.span.end());
    assert!(start < end, "empty span {start}..{end} for {f:?}");
    assert!(end <= text.len(), "span {start}..{end} past the end of the text ({}) for {f:?}", text.len());
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "span {start}..{end} not on char boundaries for {f:?}"
    );
    let covered = &text[start..end];
    assert_eq!(
        f.matched,
        collapse(covered),
        "Finding.matched is not the span's text with whitespace collapsed ({start}..{end})"
    );
    // A literal neither starts nor ends with a space, so neither does its span.
    assert!(
        !covered.starts_with(char::is_whitespace) && !covered.ends_with(char::is_whitespace),
        "span {start}..{end} = {covered:?} starts or ends with whitespace for rule {}",
        f.rule
    );
    // Offsets in the file as stored exist for both ends (reporters use them).
    let (fs, fe) = (source.file_offset(start), source.file_offset(end));
    assert!(fs < fe, "file offsets {fs}..{fe} for span {start}..{end}");

    let literals = setup
        .literals
        .get(&*f.rule)
        .unwrap_or_else(|| panic!("finding for unknown rule {}", f.rule));
    let normalized = normalize(covered);
    if literals.contains(&normalized) {
        return;
    }
    match source.format() {
        Format::Text => panic!(
            "text span {start}..{end} = {covered:?} normalizes to {normalized:?}, \
             which is not a literal of rule {}",
            f.rule
        ),
        Format::Markdown => {
            let variants = markdown_variants(covered);
            let ok = literals.iter().any(|lit| {
                let lit = loose(lit);
                variants.iter().any(|v| *v == lit || words_in_order(v, &lit))
            });
            assert!(
                ok,
                "markdown span {start}..{end} = {covered:?} (loosely {variants:?}) \
                 matches no literal of rule {}",
                f.rule
            );
        }
    }
}

/// `s` with whitespace runs collapsed to one space, as `Finding.matched` is.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Characters of inline Markdown markup, dropped before comparing.
const MARKUP: &[char] = &['*', '_', '~', '[', ']', '(', ')', '!', '<', '>', '\\'];

/// Normalized `s` without markup characters, whitespace collapsed.
fn loose(s: &str) -> String {
    let stripped: String = normalize(s).chars().filter(|c| !MARKUP.contains(c)).collect();
    collapse(&stripped)
}

/// Loose forms of a Markdown span: with entities decoded, and optionally
/// with inline HTML tags, link destinations and footnote references
/// removed (each removal can be wrong when the characters were literal
/// text, so the forms without it are kept too).
fn markdown_variants(span: &str) -> Vec<String> {
    let decoded = decode_entities(span);
    let mut forms = vec![decoded.clone()];
    let no_tags = strip_delimited(&decoded, "<", '>');
    let no_links = strip_link_parts(&decoded);
    let neither = strip_link_parts(&no_tags);
    forms.extend([no_tags, no_links, neither]);
    forms.iter().map(|s| loose(s)).collect()
}

/// Whether the words of `literal` occur in `text`, in order.
fn words_in_order(text: &str, literal: &str) -> bool {
    let mut rest = text;
    for word in literal.split(' ') {
        match rest.find(word) {
            Some(i) => rest = &rest[i + word.len()..],
            None => return false,
        }
    }
    true
}

/// `s` with every `&name;` / `&#n;` that CommonMark decodes replaced by its
/// decoding (pulldown-cmark decodes each one on its own).
fn decode_entities(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let semi = rest[1..].find(';').map(|i| i + 1).filter(|&i| i <= 40);
        match semi {
            Some(semi) => {
                let entity = &rest[..=semi];
                let name = &entity[1..semi];
                let plausible = !name.is_empty()
                    && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'#');
                let decoded = plausible.then(|| decode_one(entity)).flatten();
                match decoded {
                    Some(d) => {
                        out.push_str(&d);
                        rest = &rest[semi + 1..];
                    }
                    None => {
                        out.push('&');
                        rest = &rest[1..];
                    }
                }
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn decode_one(entity: &str) -> Option<String> {
    use pulldown_cmark::{Event, Parser};
    let mut text = String::new();
    for event in Parser::new(entity) {
        if let Event::Text(t) = event {
            text.push_str(&t);
        }
    }
    (text != entity).then_some(text)
}

/// `s` without any `open ... close` run that holds no `open`.
fn strip_delimited(s: &str, open: &str, close: char) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find(open) {
        let after = &rest[i + open.len()..];
        match after.find(close) {
            Some(j) if !after[..j].contains(open) => {
                out.push_str(&rest[..i]);
                rest = &after[j + close.len_utf8()..];
            }
            _ => {
                out.push_str(&rest[..i + open.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `s` without link destinations `](...)`, reference labels `][...]` and
/// footnote references `[^...]` (the link text itself is kept).
fn strip_link_parts(s: &str) -> String {
    let s = strip_delimited(s, "[^", ']');
    let s = strip_delimited(&s, "](", ')');
    strip_delimited(&s, "][", ']')
}

/// Every reporter, full documents: render, write, finish.
fn render_all(source: &Source, findings: &[Finding]) {
    let mut summary = Summary::default();
    summary.add_counts(findings.iter().map(|f| f.severity));
    for (format, color) in [
        (OutputFormat::Human, false),
        (OutputFormat::Human, true),
        (OutputFormat::Short, false),
        (OutputFormat::Json, false),
    ] {
        let mut r = reporter(format, color);
        let rendered = r.render(source, findings);
        assert_eq!(rendered.is_empty(), findings.is_empty(), "{format:?} output for {} findings", findings.len());
        let mut out = Vec::new();
        r.write(&mut out, &rendered).expect("writing to memory");
        r.finish(&mut out, &summary).expect("writing to memory");
        let out = String::from_utf8(out).unwrap_or_else(|e| panic!("{format:?} output is not UTF-8: {e}"));
        match format {
            OutputFormat::Json => check_json(source, findings, &out),
            OutputFormat::Short => {
                // One line per finding plus nothing else, and no raw control
                // characters from the file.
                let lines = out.lines().count();
                assert_eq!(lines, findings.len(), "short output has {lines} lines for {} findings:\n{out}", findings.len());
                assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "control character in short output: {out:?}");
            }
            OutputFormat::Human => {
                if !color {
                    assert!(
                        !out.chars().any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r'),
                        "control character in human output: {out:?}"
                    );
                }
            }
        }
    }
}

fn check_json(source: &Source, findings: &[Finding], out: &str) {
    let v: serde_json::Value =
        serde_json::from_str(out).unwrap_or_else(|e| panic!("JSON output does not parse: {e}\n{out}"));
    let diags = v["diagnostics"].as_array().expect("diagnostics array");
    assert_eq!(diags.len(), findings.len(), "JSON diagnostics count");
    for (d, f) in diags.iter().zip(findings) {
        assert_eq!(d["rule"].as_str(), Some(&*f.rule));
        assert_eq!(d["matched"].as_str(), Some(f.matched.as_str()));
        assert_eq!(d["message"].as_str(), Some(&*f.message));
        assert_eq!(d["severity"].as_str(), Some(f.severity.as_str()));
        assert_eq!(d["start"]["offset"].as_u64(), Some(source.file_offset(f.span.start()) as u64));
        assert_eq!(d["end"]["offset"].as_u64(), Some(source.file_offset(f.span.end()) as u64));
        for pos in [&d["start"], &d["end"]] {
            assert!(pos["line"].as_u64().is_some_and(|l| l >= 1), "line in {d}");
            assert!(pos["column"].as_u64().is_some_and(|c| c >= 1), "column in {d}");
        }
    }
    assert_eq!(v["summary"]["files"].as_u64(), Some(1));
}
