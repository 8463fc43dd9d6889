//! Output formats for CI: SARIF 2.1.0, GitHub workflow commands and
//! NDJSON, through the real binary.

use crate::common;
use common::*;

use std::path::{Path, PathBuf};

use serde_json::Value;

/// Three rules, one per severity; messages with `%`, `:` and `,`.
const POLICY: &str = r#"
name = "acme"
description = "Acme's claims policy"

[[rules]]
id = "no-cure"
severity = "error"
message = "\"{matched}\": a cure claim, 100% forbidden"
pattern = "cures {migraines|headaches}"
suggestions = ["helps with"]
explanation = "Medical claims need approval."
bad = ["It cures migraines."]
good = ["It helps with migraines."]

[[rules]]
id = "percent-claim"
severity = "warning"
message = "\"{matched}\" is an unproven figure"
pattern = "100% natural"
explanation = "Figures need a source."
bad = ["It is 100% natural."]
good = ["It is natural."]

[[rules]]
id = "brand-mention"
severity = "info"
message = "Acme, mentioned: check the style guide"
pattern = "Acme"
explanation = "The brand name has a style guide."
bad = ["Acme makes it."]
good = ["We make it."]
"#;

/// The page with a space and a comma in its name: an emoji before the
/// first match (columns count characters), a `%` in a match, and a match
/// across a line break.
const PAGE: &str =
    "# Title\n\n🙂 It cures migraines, and is 100% natural.\nIt cures\nheadaches too.\n";

fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.toml"), POLICY).unwrap();
    std::fs::create_dir(dir.path().join("docs")).unwrap();
    std::fs::write(dir.path().join("docs/a b,c.md"), PAGE).unwrap();
    std::fs::write(dir.path().join("docs/notes.txt"), "Acme: made with care.\n").unwrap();
    std::fs::write(dir.path().join("docs/clean.md"), "Nothing to see.\n").unwrap();
    dir
}

/// Runs copylint with the fixture's policy over `docs`.
fn check(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["--no-default-policy", "--policy", "p.toml"];
    all.extend_from_slice(args);
    if !args
        .iter()
        .any(|a| a.starts_with("docs") || a.starts_with('/'))
    {
        all.push("docs");
    }
    let r = run_in(dir, &all, b"");
    assert!(r.code == 0 || r.code == 1, "exit {}: {}", r.code, r.stderr);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    r
}

fn parse(json: &str) -> Value {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("bad JSON ({e}): {json}"))
}

/// The official schema, vendored (see `tests/schemas/README.md`).
fn schema_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-schema-2.1.0.json")
}

/// Whether `s` is made only of the characters RFC 3986 allows in a URI
/// reference, every `%` starting an escape.
fn is_uri_reference(s: &str) -> bool {
    let b = s.as_bytes();
    (0..b.len()).all(|i| match b[i] {
        b'%' => b.len() > i + 2 && b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit(),
        c => c.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&c),
    })
}

/// A validator for the official SARIF 2.1.0 schema, formats included. The
/// schema is draft-04, which has no `uri-reference` format (draft-06 added
/// it), so that format, which `artifactLocation.uri` uses, is checked by
/// [`is_uri_reference`].
fn sarif_validator() -> jsonschema::Validator {
    let path = schema_path();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the vendored schema {}: {e}", path.display()));
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .with_format("uri-reference", is_uri_reference)
        .build(&parse(&text))
        .expect("the SARIF schema compiles")
}

fn assert_valid(validator: &jsonschema::Validator, log: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "invalid SARIF:\n{}\n{log:#}",
        errors.join("\n")
    );
}

/// Every (line, column) the short format shows, in order.
fn short_positions(short: &str) -> Vec<(u64, u64)> {
    short
        .lines()
        .map(|l| {
            // `path:line:column: ...`, the fixture's paths end in .md or .txt.
            let (_, rest) = l
                .split_once(".md:")
                .or_else(|| l.split_once(".txt:"))
                .unwrap();
            let mut nums = rest.split(':');
            let line = nums.next().unwrap().parse().unwrap();
            let column = nums.next().unwrap().parse().unwrap();
            (line, column)
        })
        .collect()
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let dir = fixture();
    let validator = sarif_validator();
    let r = check(dir.path(), &["--format", "sarif"]);
    assert_eq!(r.code, 1);
    let log = parse(&r.stdout);
    assert_valid(&validator, &log);
    // The validator does reject what GitHub would: a level SARIF lacks, a
    // column 0, an unencoded space.
    for (pointer, bad) in [
        ("/runs/0/results/0/level", Value::from("info")),
        (
            "/runs/0/results/0/locations/0/physicalLocation/region/startColumn",
            Value::from(0),
        ),
        (
            "/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri",
            Value::from("docs/a b,c.md"),
        ),
    ] {
        let mut broken = log.clone();
        *broken.pointer_mut(pointer).unwrap() = bad;
        assert!(!validator.is_valid(&broken), "{pointer} accepted");
    }
    // No findings: still a complete log with the rules.
    let r = check(dir.path(), &["--format", "sarif", "docs/clean.md"]);
    assert_eq!(r.code, 0);
    let log = parse(&r.stdout);
    assert_valid(&validator, &log);
    assert_eq!(log["runs"][0]["results"], Value::Array(Vec::new()));
    assert_eq!(
        log["runs"][0]["tool"]["driver"]["rules"][2]["id"],
        "brand-mention"
    );
    // An absolute path: a file URI, no base.
    let abs = dir.path().join("docs/a b,c.md");
    let r = check(dir.path(), &["--format", "sarif", abs.to_str().unwrap()]);
    let log = parse(&r.stdout);
    assert_valid(&validator, &log);
    let artifact =
        &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    let uri = artifact["uri"].as_str().unwrap();
    assert!(uri.starts_with("file:///"), "{uri}");
    assert!(uri.ends_with("/docs/a%20b%2Cc.md"), "{uri}");
    assert!(artifact.get("uriBaseId").is_none());
    // The default policy's rules and the repository's examples.
    let r = run(&["--format", "sarif", "examples"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let log = parse(&r.stdout);
    assert_valid(&validator, &log);
    assert!(log["runs"][0]["results"].as_array().unwrap().len() > 5);
}

#[test]
fn sarif_results_carry_rules_levels_and_regions() {
    let dir = fixture();
    let r = check(dir.path(), &["--format", "sarif"]);
    assert!(r.stdout.ends_with("}\n") && r.stdout.lines().count() == 1);
    let log = parse(&r.stdout);
    assert_eq!(
        log["$schema"],
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    );
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "copylint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        driver["informationUri"],
        "https://github.com/copylint/copylint"
    );

    let rules = driver["rules"].as_array().unwrap();
    let described: Vec<(&str, &str, &str)> = rules
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap(),
                r["name"].as_str().unwrap(),
                r["defaultConfiguration"]["level"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        described,
        [
            ("no-cure", "NoCure", "error"),
            ("percent-claim", "PercentClaim", "warning"),
            ("brand-mention", "BrandMention", "note"),
        ]
    );
    let cure = &rules[0];
    assert_eq!(
        cure["shortDescription"]["text"],
        "The phrase: a cure claim, 100% forbidden"
    );
    assert_eq!(
        cure["fullDescription"]["text"],
        "Medical claims need approval."
    );
    let markdown = cure["help"]["markdown"].as_str().unwrap();
    assert!(
        markdown.starts_with("Medical claims need approval."),
        "{markdown}"
    );
    for part in [
        "helps with",
        "It cures migraines.",
        "It helps with migraines.",
    ] {
        assert!(markdown.contains(part), "{part} in {markdown}");
        assert!(cure["help"]["text"].as_str().unwrap().contains(part));
    }

    let results = run["results"].as_array().unwrap();
    let summary: Vec<(&str, u64, &str)> = results
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap(),
                r["ruleIndex"].as_u64().unwrap(),
                r["level"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("no-cure", 0, "error"),
            ("percent-claim", 1, "warning"),
            ("no-cure", 0, "error"),
            ("brand-mention", 2, "note"),
        ]
    );
    assert_eq!(
        results[0]["message"]["text"],
        "\"cures migraines\": a cure claim, 100% forbidden"
    );
    let uris: Vec<(&str, &str)> = results
        .iter()
        .map(|r| {
            let a = &r["locations"][0]["physicalLocation"]["artifactLocation"];
            (a["uri"].as_str().unwrap(), a["uriBaseId"].as_str().unwrap())
        })
        .collect();
    assert_eq!(
        uris,
        [
            ("docs/a%20b%2Cc.md", "%SRCROOT%"),
            ("docs/a%20b%2Cc.md", "%SRCROOT%"),
            ("docs/a%20b%2Cc.md", "%SRCROOT%"),
            ("docs/notes.txt", "%SRCROOT%"),
        ]
    );

    // Regions: the short format's start, the JSON format's (exclusive) end.
    let short = check(dir.path(), &["--format", "short"]).stdout;
    let json = diags(&check(dir.path(), &["--format", "json"]).stdout);
    let starts = short_positions(&short);
    assert_eq!(starts, [(3, 6), (3, 30), (4, 4), (1, 1)]);
    assert_eq!(json.len(), results.len());
    for ((result, start), d) in results.iter().zip(&starts).zip(&json) {
        let region = &result["locations"][0]["physicalLocation"]["region"];
        let got = (
            region["startLine"].as_u64().unwrap(),
            region["startColumn"].as_u64().unwrap(),
            region["endLine"].as_u64().unwrap(),
            region["endColumn"].as_u64().unwrap(),
        );
        assert_eq!(got, (start.0, start.1, d.end_line, d.end_column));
    }
    let region = &results[2]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (&region["endLine"], &region["endColumn"]),
        (&Value::from(5), &Value::from(10))
    );
    assert_eq!(region["snippet"]["text"], "cures\nheadaches");
}

#[test]
fn sarif_fingerprints_are_unique_and_survive_moved_lines() {
    fn fingerprints(dir: &Path) -> Vec<String> {
        let log = parse(&check(dir, &["--format", "sarif"]).stdout);
        log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["partialFingerprints"]["copylint/v1"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    }
    let dir = fixture();
    // Twice the same finding in one file: told apart by occurrence.
    std::fs::write(
        dir.path().join("docs/notes.txt"),
        "Acme: made with care.\nAcme again.\n",
    )
    .unwrap();
    let before = fingerprints(dir.path());
    assert_eq!(before.len(), 5);
    // Pinned across versions: a changed fingerprint closes every open alert
    // on GitHub and opens it again. 64-bit FNV-1a of "no-cure\0", the URI
    // "docs/a%20b%2Cc.md\0" and "cures migraines\0", then the occurrence.
    assert_eq!(before[0], "8da52ee67702738b:1");
    let mut unique = before.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), before.len(), "{before:?}");
    assert_eq!(fingerprints(dir.path()), before, "not deterministic");

    std::fs::write(
        dir.path().join("docs/a b,c.md"),
        format!("Intro.\n\nMore intro.\n\n{PAGE}"),
    )
    .unwrap();
    assert_eq!(fingerprints(dir.path()), before, "moved lines changed them");
}

#[test]
fn github_commands_are_exact_and_escaped() {
    let dir = fixture();
    let r = check(dir.path(), &["--format", "github"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stdout,
        concat!(
            "::error file=docs/a b%2Cc.md,line=3,col=6,endLine=3,endColumn=21,title=copylint(no-cure)",
            "::\"cures migraines\": a cure claim, 100%25 forbidden\n",
            "::warning file=docs/a b%2Cc.md,line=3,col=30,endLine=3,endColumn=42,title=copylint(percent-claim)",
            "::\"100%25 natural\" is an unproven figure\n",
            "::error file=docs/a b%2Cc.md,line=4,col=4,endLine=5,endColumn=10,title=copylint(no-cure)",
            "::\"cures headaches\": a cure claim, 100%25 forbidden\n",
            "::notice file=docs/notes.txt,line=1,col=1,endLine=1,endColumn=5,title=copylint(brand-mention)",
            "::Acme, mentioned: check the style guide\n",
        )
    );
    // Property values escape `:` and `,` too; `%` everywhere.
    std::fs::write(dir.path().join("docs/50%, x:y.txt"), "Acme\n").unwrap();
    let r = check(dir.path(), &["--format", "github", "docs/50%, x:y.txt"]);
    assert_eq!(
        r.stdout,
        "::notice file=docs/50%25%2C x%3Ay.txt,line=1,col=1,endLine=1,endColumn=5,title=copylint(brand-mention)::Acme, mentioned: check the style guide\n"
    );
    // Nothing but commands: a summary flag, which would do nothing, is a
    // usage error with a hint.
    for flag in ["--summary", "--summary-only"] {
        let r = run_in(
            dir.path(),
            &[
                "--no-default-policy",
                "--policy",
                "p.toml",
                "--format",
                "github",
                flag,
                "docs/clean.md",
            ],
            b"",
        );
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert_eq!(r.stdout, "");
        assert!(
            r.stderr
                .contains(&format!("error: {flag} does nothing with --format github")),
            "{}",
            r.stderr
        );
        assert!(r.stderr.contains("hint: "), "{}", r.stderr);
    }
}

#[test]
fn ndjson_lines_are_the_json_diagnostics_then_the_run_then_the_summary() {
    let dir = fixture();
    for extra in [&[][..], &["--summary"][..]] {
        let mut args = vec!["--format", "ndjson"];
        args.extend_from_slice(extra);
        let r = check(dir.path(), &args);
        assert_eq!(r.code, 1);
        assert!(r.stdout.ends_with('\n'));
        let lines: Vec<Value> = r.stdout.lines().map(parse).collect();
        let mut json_args = vec!["--format", "json"];
        json_args.extend_from_slice(extra);
        let json = parse(&check(dir.path(), &json_args).stdout);
        let (last, rest) = lines.split_last().unwrap();
        let (run, diagnostics) = rest.split_last().unwrap();
        assert_eq!(run["run"]["files"], 3, "{run}");
        assert_eq!(run["run"]["worst"], "error", "{run}");
        // Each diagnostic is the JSON one, plus where it lies for `merge`.
        let diagnostics: Vec<Value> = diagnostics
            .iter()
            .map(|d| {
                let mut d = d.clone();
                let place = d.as_object_mut().unwrap().remove("place");
                assert!(place.is_some_and(|p| p["excerpt"]["text"].is_string()));
                d
            })
            .collect();
        assert_eq!(
            Value::Array(diagnostics.clone()),
            json["diagnostics"],
            "{}",
            r.stdout
        );
        assert_eq!(diagnostics.len(), 4);
        assert!(diagnostics.iter().all(|d| d.get("summary").is_none()));
        let summary = last.as_object().unwrap();
        assert_eq!(summary.len(), 1);
        // `seconds` differs between two runs.
        let strip = |v: &Value| {
            let mut v = v.clone();
            v.as_object_mut().unwrap().remove("seconds");
            v
        };
        assert_eq!(strip(&summary["summary"]), strip(&json["summary"]));
        assert_eq!(summary["summary"]["errors"], 2);
        assert_eq!(summary["summary"]["warnings"], 1);
        assert_eq!(summary["summary"]["infos"], 1);
        assert_eq!(summary["summary"]["files"], 3);
    }
    let r = check(dir.path(), &["--format", "ndjson", "docs/clean.md"]);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.stdout);
    assert!(
        lines[0].starts_with("{\"run\":{\"version\":"),
        "{}",
        r.stdout
    );
    assert_eq!(
        lines[1],
        "{\"summary\":{\"files\":1,\"errors\":0,\"warnings\":0,\"infos\":0}}"
    );
}

#[test]
fn ci_formats_keep_exit_statuses() {
    let dir = fixture();
    for format in ["sarif", "github", "ndjson"] {
        let r = check(dir.path(), &["--format", format]);
        assert_eq!(r.code, 1, "{format}");
        let r = check(dir.path(), &["--format", format, "--fail-on", "never"]);
        assert_eq!(r.code, 0, "{format}");
        assert!(!r.stdout.is_empty(), "{format}");
    }
}

#[test]
fn notices_about_files_are_data_in_every_machine_format() {
    let dir = fixture();
    // Windows-1252 bytes: read, checked, and noted.
    std::fs::write(dir.path().join("docs/legacy.txt"), b"Caf\xE9: Acme.\n").unwrap();
    let run_format = |format: &str| {
        let args = [
            "--no-default-policy",
            "--policy",
            "p.toml",
            "--format",
            format,
            "docs/legacy.txt",
        ];
        let r = run_in(dir.path(), &args, b"");
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(
            r.stderr,
            "copylint: note: docs/legacy.txt: not valid UTF-8; read as Windows-1252\n"
        );
        r.stdout
    };
    let expected = serde_json::json!({
        "level": "note",
        "kind": "encoding",
        "path": "docs/legacy.txt",
        "message": "not valid UTF-8; read as Windows-1252",
    });
    let json = parse(&run_format("json"));
    assert_eq!(json["notices"], serde_json::json!([expected.clone()]));
    let ndjson = run_format("ndjson");
    let notices: Vec<Value> = ndjson
        .lines()
        .map(parse)
        .filter_map(|v| v.get("notice").cloned())
        .collect();
    assert_eq!(notices, [expected]);
    let sarif = parse(&run_format("sarif"));
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], true);
    let n = &invocation["toolExecutionNotifications"][0];
    assert_eq!(n["level"], "note");
    assert_eq!(n["descriptor"]["id"], "encoding");
    assert_eq!(
        n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "docs/legacy.txt"
    );
    assert_valid(&sarif_validator(), &sarif);
}
