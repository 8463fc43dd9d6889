//! Arbitrary bytes as a Markdown, an MDX, a text and an HTML file: decoding,
//! extraction, matching with the default policy, and every output format.
//!
//! Beyond "does not panic", the prefilter must not change the findings
//! (checking without it gives the same), and every finding must satisfy the source-map
//! property: its span lies in `source.text()`, on character boundaries, is
//! not empty, and the source text it covers normalizes back to one of its
//! rule's literals (exactly, for plain text; modulo inline Markdown markup,
//! for Markdown and MDX). Every output format renders; the JSON-based ones must
//! parse and agree with the findings, with lines, columns and file offsets
//! recomputed here independently.

#![no_main]

use std::collections::HashMap;
use std::sync::OnceLock;

use copylint::engine::literal_matches;
use copylint::report::{OutputFormat, SummaryBuilder, reporter};
use copylint::source::{Encoding, normalize};
use copylint::{Finding, Format, Linter, Policy, Source};
use libfuzzer_sys::fuzz_target;

struct Setup {
    linter: Linter,
    all_outputs: bool,
    /// Rule id to its literals.
    literals: HashMap<String, Vec<String>>,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let linter = Linter::new(vec![Policy::default_policy()]).expect("the default policy compiles");
        let mut literals: HashMap<String, Vec<String>> = HashMap::new();
        for (_, rule) in linter.rules() {
            literals
                .entry(rule.id.to_string())
                .or_default()
                .extend(rule.literals.iter().cloned());
        }
        let all_outputs = std::env::var_os("COPYLINT_FUZZ_ALL_OUTPUTS").is_some_and(|v| v == "1");
        Setup { linter, all_outputs, literals }
    })
}

fuzz_target!(|data: &[u8]| {
    let setup = setup();
    // Rendering and re-parsing every output format costs several times the
    // check itself, so each (input, source format) renders through one
    // reporter, chosen from a hash of the input: deterministic, so a crash
    // reproduces, and every reporter sees a share of the inputs. Set
    // COPYLINT_FUZZ_ALL_OUTPUTS=1 to render every format for every input
    // (when replaying a corpus, for instance).
    let all_outputs = setup.all_outputs;
    let hash = data.iter().fold(0xcbf29ce484222325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100000001b3));
    for (k, format) in [Format::Markdown, Format::Mdx, Format::Text, Format::Html].into_iter().enumerate() {
        let name = match format {
            Format::Markdown => "fuzz.md",
            Format::Mdx => "fuzz.mdx",
            Format::Html => "fuzz.html",
            // Documents are not read from arbitrary bytes here (fuzz_office, fuzz_pdf).
            Format::Text | Format::Office | Format::Pdf => "fuzz.txt",
        };
        let source = Source::from_bytes(name, data.to_vec(), format);
        let findings = setup.linter.check(&source);
        // The prefilter never changes a result.
        assert_eq!(
            findings,
            setup.linter.check_unfiltered(&source),
            "the prefilter skipped a file with findings"
        );
        for f in &findings {
            check_finding(setup, &source, f);
        }
        assert!(
            findings.windows(2).all(|w| w[0].span <= w[1].span),
            "findings are not ordered by position"
        );
        let outputs = outputs();
        let chosen = (hash as usize).wrapping_add(k) % outputs.len();
        for (i, &(output, color)) in outputs.iter().enumerate() {
            if all_outputs || i == chosen {
                render(&setup.linter, &source, &findings, output, color);
            }
        }
    }
});

/// Every output format (all `OutputFormat` variants, so new formats are
/// fuzzed too), human output with and without colour.
fn outputs() -> Vec<(OutputFormat, bool)> {
    let mut v = Vec::new();
    for format in OutputFormat::ALL {
        v.push((format, false));
        if format == OutputFormat::Human {
            v.push((format, true));
        }
    }
    v
}

/// Tolerate the known U+0130 mismatch (see `check_finding`) so that fuzzing
/// can go on past it; set to `false` to reproduce it.
const KNOWN_DOTTED_CAPITAL_I: bool = false;

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

    let literals = setup
        .literals
        .get(&*f.rule)
        .unwrap_or_else(|| panic!("finding for unknown rule {}", f.rule));
    let mut normalized = normalize(covered);
    if KNOWN_DOTTED_CAPITAL_I && covered.ends_with('\u{130}') && normalized.ends_with('\u{307}') {
        // Known issue, reported: `İ` (U+0130) lowercases to `i` + U+0307,
        // and a phrase ending in `i` matches up to the `i`, so "OpenAİ" is
        // found as "openai" while its span normalizes to "openai\u{307}".
        normalized.pop();
    }
    if literals.iter().any(|l| literal_matches(l, &normalized)) {
        return;
    }
    if let Some(claim) = &f.claim {
        // A claim's span runs from its verb or frame to its object, so it
        // is no literal: it holds the object's words, or a pronoun for them.
        let object = claim.object.split(" (").next().unwrap_or_default();
        let first = normalize(object)
            .split([' ', '\'', '-'])
            .next()
            .unwrap_or_default()
            .to_string();
        // Markup and references may stand in the raw span, and a table
        // cell's claim may take its object from the row's label: the object
        // is in the sentence as read, or in the file.
        // Markup inside the name ("[Chat][]GPT") is dropped as for a
        // phrase's literal.
        let unmarked = matches!(source.format(), Format::Markdown | Format::Mdx)
            && markdown_variants(covered)
                .iter()
                .any(|v| normalize(v).contains(&first));
        assert!(
            normalized.contains(&first)
                || unmarked
                || claim.object.contains('(')
                || normalize(&f.context).contains(&first)
                || normalize(source.text()).contains(&first),
            "claim span {start}..{end} = {covered:?} does not hold its object {:?}",
            claim.object
        );
        return;
    }
    match source.format() {
        Format::Text => panic!(
            "text span {start}..{end} = {covered:?} normalizes to {normalized:?}, \
             which is not a literal of rule {}",
            f.rule
        ),
        Format::Markdown | Format::Mdx => {
            let mut variants = markdown_variants(covered);
            if source.format() == Format::Mdx {
                // JSX expressions `{...}` are masked to spaces.
                variants.extend(markdown_variants(&strip_delimited(covered, "{", '}')));
            }
            let ok = literals.iter().any(|lit| {
                let lit = loose(lit);
                variants
                    .iter()
                    .any(|v| literal_matches(&lit, v) || words_in_order(v, &lit))
            });
            assert!(
                ok,
                "markdown span {start}..{end} = {covered:?} (loosely {variants:?}) \
                 matches no literal of rule {}",
                f.rule
            );
        }
        // Entities and tags: fuzz_html checks HTML's source map.
        Format::Html | Format::Office | Format::Pdf => {}
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

/// One reporter, full document: render, write, finish, then check it.
fn render(linter: &Linter, source: &Source, findings: &[Finding], format: OutputFormat, color: bool) {
    let mut summary = SummaryBuilder::default();
    summary.add(source.name(), source.text().len() as u64, findings);
    let summary = summary.counts();
    let expected: Vec<Expected> = findings.iter().map(|f| Expected::new(source, f)).collect();
    let rules: Vec<_> = linter.rules().collect();
    let mut r = reporter(format, color, &rules);
    let rendered = r.render(&copylint::report::FileFindings::new(source, findings));
    // The reviewer's HTML report lists every file checked, clean ones too.
    if findings.is_empty() && format != OutputFormat::Html {
        assert!(rendered.is_empty(), "{format:?} renders something for no findings");
    }
    let mut out = Vec::new();
    r.write(&mut out, &rendered).expect("writing to memory");
    r.finish(&mut out, &summary).expect("writing to memory");
    let out = String::from_utf8(out).unwrap_or_else(|e| panic!("{format:?} output is not UTF-8: {e}"));
    check_output(source.name(), format, color, findings, &expected, &out);
}

/// Where a finding is, computed here without copylint's line code.
struct Expected {
    start: (usize, usize, usize),
    end: (usize, usize, usize),
}

impl Expected {
    fn new(source: &Source, f: &Finding) -> Expected {
        Expected {
            start: position(source, f.span.start()),
            end: position(source, f.span.end()),
        }
    }
}

/// (line, column, file offset) of a text offset: lines end at `\n`, `\r\n`
/// or a lone `\r`, both 1-based, columns in characters.
fn position(source: &Source, offset: usize) -> (usize, usize, usize) {
    let text = source.text();
    let before = &text[..offset];
    let bytes = before.as_bytes();
    let mut line = 1;
    let mut line_start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let ends = b == b'\n' || (b == b'\r' && text.as_bytes().get(i + 1) != Some(&b'\n'));
        if ends {
            line += 1;
            line_start = i + 1;
        }
    }
    let column = before[line_start..].chars().count() + 1;
    let file = match source.encoding() {
        Encoding::Utf8 => offset,
        Encoding::Utf8Bom => 3 + offset,
        Encoding::Utf16Le | Encoding::Utf16Be => 2 + 2 * before.chars().map(char::len_utf16).sum::<usize>(),
        Encoding::Windows1252 => before.chars().count(),
        // A declared legacy charset: the bytes the text before encodes to.
        Encoding::Declared(encoding) => encoding.encode(before).0.len(),
    };
    (line, column, file)
}

fn check_output(name: &str, format: OutputFormat, color: bool, findings: &[Finding], expected: &[Expected], out: &str) {
    let no_controls = |allowed: &[char]| {
        if let Some(c) = out.chars().find(|c| c.is_control() && !allowed.contains(c)) {
            panic!("{format:?} output holds control character {c:?}:\n{out:?}");
        }
    };
    match format {
        OutputFormat::Human => {
            if !color {
                no_controls(&['\n', '\t', '\r']);
            }
        }
        OutputFormat::Short => {
            no_controls(&['\n']);
            assert_eq!(out.lines().count(), findings.len(), "short output lines:\n{out}");
            for ((line, f), e) in out.lines().zip(findings).zip(expected) {
                let prefix = format!("{name}:{}:{}: {}: ", e.start.0, e.start.1, f.severity);
                assert!(line.starts_with(&prefix), "short line {line:?} does not start with {prefix:?}");
                assert!(line.ends_with(&format!("[{}]", f.rule)), "short line {line:?}");
            }
        }
        OutputFormat::Github => {
            no_controls(&['\n']);
            assert_eq!(out.lines().count(), findings.len(), "github output lines:\n{out}");
            for ((line, f), e) in out.lines().zip(findings).zip(expected) {
                let want = format!(
                    "line={},col={},endLine={},endColumn={},",
                    e.start.0, e.start.1, e.end.0, e.end.1
                );
                assert!(line.starts_with("::"), "github line {line:?}");
                assert!(line.contains(&want), "github line {line:?} lacks {want:?}");
                assert!(line.contains(&format!("copylint({})", f.rule)), "github line {line:?}");
            }
        }
        OutputFormat::Json => {
            let v = parse_json(format, out);
            let diags = v["diagnostics"].as_array().expect("diagnostics array");
            check_diagnostics(diags, findings, expected);
            assert_eq!(v["summary"]["files"].as_u64(), Some(1));
        }
        OutputFormat::Ndjson => {
            let lines: Vec<serde_json::Value> = out.lines().map(|l| parse_json(format, l)).collect();
            assert_eq!(lines.len(), findings.len() + 1, "ndjson lines:\n{out}");
            check_diagnostics(&lines[..findings.len()], findings, expected);
            assert_eq!(lines[findings.len()]["summary"]["files"].as_u64(), Some(1));
        }
        OutputFormat::Sarif => {
            let v = parse_json(format, out);
            let results = v["runs"][0]["results"].as_array().expect("SARIF results array");
            assert_eq!(results.len(), findings.len(), "SARIF results");
            for ((r, f), e) in results.iter().zip(findings).zip(expected) {
                assert_eq!(r["ruleId"].as_str(), Some(&*f.rule));
                assert_eq!(r["message"]["text"].as_str(), Some(&*f.message));
                let region = &r["locations"][0]["physicalLocation"]["region"];
                let got = [&region["startLine"], &region["startColumn"], &region["endLine"], &region["endColumn"]]
                    .map(|x| x.as_u64().unwrap_or(0) as usize);
                assert_eq!(got, [e.start.0, e.start.1, e.end.0, e.end.1], "SARIF region {region}");
            }
        }
        #[allow(unreachable_patterns)]
        _ => {}
    }
}

fn parse_json(format: OutputFormat, s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("{format:?} output does not parse as JSON: {e}\n{s}"))
}

fn check_diagnostics(diags: &[serde_json::Value], findings: &[Finding], expected: &[Expected]) {
    assert_eq!(diags.len(), findings.len(), "JSON diagnostics count");
    for ((d, f), e) in diags.iter().zip(findings).zip(expected) {
        assert_eq!(d["rule"].as_str(), Some(&*f.rule));
        assert_eq!(d["matched"].as_str(), Some(f.matched.as_str()));
        assert_eq!(d["message"].as_str(), Some(&*f.message));
        assert_eq!(d["severity"].as_str(), Some(f.severity.as_str()));
        for (pos, want) in [(&d["start"], e.start), (&d["end"], e.end)] {
            let got = (
                pos["line"].as_u64().unwrap_or(0) as usize,
                pos["column"].as_u64().unwrap_or(0) as usize,
                pos["offset"].as_u64().unwrap_or(u64::MAX) as usize,
            );
            assert_eq!(got, want, "JSON position (line, column, file offset) in {d}");
        }
    }
}
