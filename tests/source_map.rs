//! The source-map property: for every finding, normalizing the file's bytes
//! `[start.offset, end.offset)` gives text that the finding's rule matches.
//! Checked over the examples and tricky spans, and, in an `#[ignore]`d test
//! that `.ci/run` runs, over the shared documentation corpus.

mod common;
use common::*;

use std::collections::HashMap;
use std::path::Path;

use copylint::source::normalize;
use copylint::{Linter, Policy};

/// Removes the Markdown inline markup a match may span: emphasis marks,
/// link brackets and destinations, block-quote markers, and the few
/// entities the corpus uses.
fn strip_markdown(span: &str) -> String {
    let mut s = String::new();
    for line in span.split_inclusive('\n') {
        s.push_str(if s.is_empty() {
            line
        } else {
            line.trim_start().trim_start_matches('>')
        });
    }
    let mut out = String::new();
    let mut rest = s.as_str();
    while let Some(i) = rest.find("](") {
        out.push_str(&rest[..i]);
        rest = rest[i..].find(')').map_or("", |j| &rest[i + j + 1..]);
    }
    out.push_str(rest);
    // Inline HTML tags (`<em>`, `</strong>`) join the text around them.
    let mut untagged = String::new();
    let mut rest = out.as_str();
    while let Some(i) = rest.find('<') {
        untagged.push_str(&rest[..i]);
        match rest[i..].find('>') {
            Some(j) => rest = &rest[i + j + 1..],
            None => {
                untagged.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    untagged.push_str(rest);
    untagged
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .replace("&#115;", "s")
        .chars()
        .filter(|c| !matches!(c, '*' | '_' | '~' | '[' | ']' | '\\'))
        .collect()
}

fn literals_by_rule() -> HashMap<String, Vec<String>> {
    let linter = Linter::new(vec![Policy::default_policy()]).expect("the default policy compiles");
    linter
        .rules()
        .map(|(_, r)| (r.id.to_string(), r.literals.clone()))
        .collect()
}

/// Runs copylint over `path` and checks the property for every finding;
/// returns how many findings were checked.
fn check_tree(path: &Path) -> usize {
    let literals = literals_by_rule();
    let r = run(&["--format", "json", "--hidden", path.to_str().unwrap()]);
    assert!(r.code < 2, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let mut checked = 0;
    for d in v["diagnostics"].as_array().unwrap() {
        // In a Word, PowerPoint or OpenDocument file, offsets count in the
        // extracted text, not in the file: tests/documents.rs checks those.
        if ["page", "slide", "paragraph"]
            .iter()
            .any(|k| d.get(k).is_some())
        {
            continue;
        }
        let file = d["path"].as_str().unwrap();
        let bytes = std::fs::read(file).unwrap();
        let (start, end) = (
            d["start"]["offset"].as_u64().unwrap() as usize,
            d["end"]["offset"].as_u64().unwrap() as usize,
        );
        assert!(
            start < end && end <= bytes.len(),
            "{file}: span {start}..{end} outside the file"
        );
        let text = std::str::from_utf8(&bytes).unwrap();
        assert!(
            text.is_char_boundary(start) && text.is_char_boundary(end),
            "{file}: {start}..{end}"
        );
        let span = &text[start..end];
        assert_eq!(
            d["matched"],
            span.split_whitespace().collect::<Vec<_>>().join(" "),
            "{file}"
        );
        let rule = d["rule"].as_str().unwrap();
        let normalized = if file.ends_with(".txt") || file.ends_with(".text") {
            normalize(span)
        } else {
            normalize(&strip_markdown(span))
        };
        if let Some(claim) = d.get("claim") {
            // A claim's span runs from its verb or frame to its object: it
            // holds one of the rule's names, or a pronoun standing for one.
            let pronoun = claim["object"].as_str().unwrap_or_default().contains('(');
            let words: Vec<&str> = normalized.split([' ', '\'', '-', ',', '.']).collect();
            assert!(
                pronoun
                    || literals[rule].iter().any(|l| {
                        let first = l.split([' ', '\'', '-']).next().unwrap_or_default();
                        words
                            .iter()
                            .any(|w| w.starts_with(first) || first.starts_with(*w) && !w.is_empty())
                    }),
                "{file}:{}: claim `{span}` ({normalized}) holds no name of rule {rule}",
                d["start"]["line"]
            );
            checked += 1;
            continue;
        }
        assert!(
            literals[rule]
                .iter()
                .any(|l| copylint::engine::literal_matches(l, &normalized)),
            "{file}:{}: `{span}` normalizes to `{normalized}`, which rule {rule} does not match",
            d["start"]["line"]
        );
        checked += 1;
    }
    checked
}

#[test]
fn holds_over_the_examples() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    assert!(check_tree(&examples) > 0, "the examples show findings");
}

#[test]
#[ignore = "needs the shared corpus (../shared/corpus or $COPYLINT_CORPUS)"]
fn holds_over_the_shared_corpus() {
    assert!(check_tree(&corpus()) > 100);
}

#[test]
fn holds_for_tricky_spans() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("t.md"),
        "🙂 It **enables**\r\naccess to [Chat*GPT*](/x). It call&#115; on GPT\u{2011}4o.\n\n\
         > It en\u{AD}ables access\n> to data.\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("t.txt"),
        "日本 It enables\u{A0}access\u{2003}to OpenAI\u{2019}s models.\r\n",
    )
    .unwrap();
    assert_eq!(check_tree(dir.path()), 4);
}
