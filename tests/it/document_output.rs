//! Documents through the real binary: every output format names the unit
//! of a finding, and a document that cannot be checked fails the run with
//! its reason.

use crate::common;

use std::path::Path;

use common::{run, run_in};
use serde_json::Value;

const DECK: &str = "tests/fixtures/documents/deck.pptx";
const BRIEF: &str = "tests/fixtures/documents/brief.docx";
/// A policy that flags the fixtures' superlatives about models, which name
/// no model and so are no claim of the default policy.
const SUPERLATIVES: &str = "tests/fixtures/documents/superlatives.toml";

fn parse(json: &str) -> Value {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("bad JSON ({e}): {json}"))
}

/// The unit keys of a diagnostic, sorted.
fn keys(d: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = d
        .as_object()
        .expect("object")
        .keys()
        .map(|k| k.as_str())
        .filter(|k| matches!(*k, "page" | "slide" | "notes" | "paragraph" | "part"))
        .collect();
    k.sort();
    k
}

#[test]
fn json_adds_the_unit_as_top_level_keys_only_where_it_applies() {
    let r = run(&[
        "--format",
        "json",
        "--policy",
        SUPERLATIVES,
        DECK,
        BRIEF,
        "examples/collateral/needs-review/faq.md",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let doc = parse(&r.stdout);
    let diags = doc["diagnostics"].as_array().expect("diagnostics");
    let notes = diags
        .iter()
        .find(|d| d["path"] == DECK && d["notes"] == true)
        .expect("a finding in the speaker notes");
    assert_eq!(notes["slide"], 2);
    assert_eq!(notes["start"]["line"], 1);
    assert_eq!(notes["start"]["column"], 13);
    assert_eq!(keys(notes), ["notes", "slide"]);
    let footnote = diags
        .iter()
        .find(|d| d["path"] == BRIEF && d["part"] == "footnote")
        .expect("a finding in a footnote");
    assert_eq!(footnote["paragraph"], 1);
    assert_eq!(keys(footnote), ["paragraph", "part"]);
    let body = diags
        .iter()
        .find(|d| d["path"] == BRIEF && d["paragraph"] == 2)
        .expect("a finding in paragraph 2");
    assert_eq!(keys(body), ["paragraph"]);
    for d in diags
        .iter()
        .filter(|d| d["path"].as_str().is_some_and(|p| p.ends_with(".md")))
    {
        assert!(keys(d).is_empty(), "{d}");
    }
}

#[test]
fn human_short_and_github_name_the_unit() {
    let human = run(&["--color", "never", DECK]);
    assert!(
        human
            .stdout
            .contains("┌─ tests/fixtures/documents/deck.pptx, slide 2 (speaker notes):1:13"),
        "{}",
        human.stdout
    );
    assert!(
        human
            .stdout
            .contains("1 │ Say that it calls on ChatGPT for every request."),
        "{}",
        human.stdout
    );
    let short = run(&["--format", "short", DECK]);
    assert!(
        short.stdout.lines().any(|l| l.starts_with(
            "tests/fixtures/documents/deck.pptx:1:13: error: slide 2 (speaker notes): "
        )),
        "{}",
        short.stdout
    );
    let github = run(&["--format", "github", "--policy", SUPERLATIVES, BRIEF]);
    assert!(
        github.stdout.contains("::paragraph 1 (footnote): "),
        "{}",
        github.stdout
    );
}

#[test]
fn comments_are_checked_when_the_configuration_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(BRIEF, dir.path().join("brief.docx")).expect("copy");
    let count = |dir: &Path| {
        let r = run_in(dir, &["--format", "json", "brief.docx"], b"");
        let doc = parse(&r.stdout);
        doc["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter(|d| d["part"] == "comment")
            .count()
    };
    assert_eq!(count(dir.path()), 0);
    std::fs::write(dir.path().join("copylint.toml"), "check-comments = true\n").expect("write");
    assert_eq!(count(dir.path()), 1);
}

#[test]
fn sarif_carries_the_unit_and_stays_valid() {
    let r = run(&["--format", "sarif", "--policy", SUPERLATIVES, DECK]);
    let log = parse(&r.stdout);
    let results = log["runs"][0]["results"].as_array().expect("results");
    let units: Vec<(i64, bool)> = results
        .iter()
        .map(|r| {
            let p = &r["properties"];
            (
                p["slide"].as_i64().expect("slide"),
                p["notes"].as_bool().expect("notes"),
            )
        })
        .collect();
    assert_eq!(units, [(2, false), (2, true), (4, false), (13, false)]);
    let schema =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-schema-2.1.0.json");
    let schema = parse(&std::fs::read_to_string(schema).expect("the SARIF schema"));
    let validator = jsonschema::draft4::options()
        .build(&schema)
        .expect("the SARIF schema compiles");
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn documents_that_cannot_be_checked_fail_the_run_and_are_counted_by_reason() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("fake.pptx"),
        "The SRE enables access to ChatGPT.",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("locked.docx"),
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest",
    )
    .expect("write");
    std::fs::copy(DECK, dir.path().join("deck-without-extension")).expect("copy");
    let r = run_in(
        dir.path(),
        &[
            "--format",
            "json",
            "--summary",
            "fake.pptx",
            "locked.docx",
            "deck-without-extension",
        ],
        b"",
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    let doc = parse(&r.stdout);
    let kinds: Vec<(&str, &str)> = doc["notices"]
        .as_array()
        .expect("notices")
        .iter()
        .map(|n| {
            (
                n["path"].as_str().unwrap_or(""),
                n["kind"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [("fake.pptx", "damaged"), ("locked.docx", "encrypted")]
    );
    assert_eq!(doc["summary"]["skipped"], 2);
    assert_eq!(
        doc["summary"]["skipped_by_reason"],
        serde_json::json!({"encrypted": 1, "damaged": 1})
    );
    // The deck without an extension is recognised by its content.
    let checked: Vec<&str> = doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["path"].as_str())
        .collect();
    assert!(checked.contains(&"deck-without-extension"), "{checked:?}");
}

#[test]
fn alt_text_and_slide_objects_are_units_in_every_format() {
    let deck = "tests/fixtures/documents/public/made-deck.pptx";
    let word = "tests/fixtures/documents/public/made-word.docx";
    let r = run(&["--format", "json", deck, word]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let doc = parse(&r.stdout);
    let diags = doc["diagnostics"].as_array().expect("diagnostics");
    let alt = diags
        .iter()
        .find(|d| d["path"] == deck && d["object"] == "image-alt-text")
        .expect("a finding in a slide's alt text");
    assert_eq!(
        (&alt["slide"], &alt["matched"]),
        (&1.into(), &"calls on ChatGPT".into())
    );
    assert!(alt.get("notes").is_none(), "{alt}");
    let notes = diags
        .iter()
        .find(|d| d["path"] == deck && d["notes"] == true)
        .expect("a finding in a notes-page text box");
    assert_eq!(notes["matched"], "enables access to");
    let word_alt = diags
        .iter()
        .find(|d| d["path"] == word && d["part"] == "image-alt-text")
        .expect("a finding in a Word image's alt text");
    assert_eq!(word_alt["paragraph"], 2);
    let human = run(&[deck, word]);
    for place in [
        "made-deck.pptx, slide 1 (image alt text):1:",
        "made-word.docx, paragraph 2 (image alt text):1:",
    ] {
        assert!(human.stdout.contains(place), "{place} in {}", human.stdout);
    }
}
