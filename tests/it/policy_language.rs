//! Writing a policy for another company: spelling variants, version
//! families, case-sensitive rules, message placeholders, and `policy check`
//! reporting every problem at once. Each case runs the binary.

use crate::common;
use common::*;

use std::path::Path;

/// Writes `policy` to a temporary directory and checks `text` with it
/// alone; returns the run and keeps the directory alive.
fn check_with(policy: &str, text: &str) -> (Run, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("acme.toml"), policy).unwrap();
    let r = run_in(
        dir.path(),
        &[
            "--no-default-policy",
            "--policy",
            "acme.toml",
            "--format",
            "json",
            "-",
        ],
        text.as_bytes(),
    );
    (r, dir)
}

fn found(policy: &str, text: &str) -> Vec<(String, String, String)> {
    let (r, _dir) = check_with(policy, text);
    assert!(r.code == 0 || r.code == 1, "exit {}: {}", r.code, r.stderr);
    rules(&diags(&r.stdout))
}

fn policy_check(policy: &str) -> Run {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("acme.toml"), policy).unwrap();
    run_in(
        dir.path(),
        &["--color", "never", "policy", "check", "acme.toml"],
        b"",
    )
}

const ACME: &str = r#"
name = "acme"
approved = ["runs on <acme>"]

[sets]
acme = ["Acme~Cloud", "Acme~Cloud <version>"]

[[rules]]
id = "acme-hosts"
severity = "warning"
message = "say \"{matched}\" carefully"
pattern = "hosted by <acme>"
explanation = "Acme hosts nothing."
bad = ["It is hosted by Acme-Cloud.", "It is hosted by Acme Cloud 3.2-pro."]
good = ["It runs on Acme Cloud."]

[[rules]]
id = "acme-mention"
kind = "mention"
severity = "info"
message = "mention of {matched}"
pattern = "<acme>"
explanation = "Worth a look."
bad = ["We like AcmeCloud."]
good = ["It runs on Acme Cloud 4."]
"#;

#[test]
fn a_joint_matches_spacing_and_hyphenation_variants_everywhere() {
    for name in ["Acme Cloud", "AcmeCloud", "Acme-Cloud", "acmecloud"] {
        assert_eq!(
            found(ACME, &format!("It is hosted by {name}.")),
            [triple(
                "acme-hosts",
                "warning",
                &format!("hosted by {name}")
            )],
            "{name}"
        );
        assert_eq!(
            found(ACME, &format!("We like {name}.")),
            [triple("acme-mention", "info", name)]
        );
        // The approved phrase covers the variants too.
        assert!(
            found(ACME, &format!("It runs on {name}.")).is_empty(),
            "{name}"
        );
    }
}

#[test]
fn a_version_family_matches_the_whole_version() {
    for name in [
        "Acme Cloud 3.2-pro",
        "Acme Cloud 4",
        "AcmeCloud 10.0.1",
        "Acme-Cloud 2b-mini",
    ] {
        assert_eq!(
            found(ACME, &format!("It is hosted by {name} today.")),
            [triple(
                "acme-hosts",
                "warning",
                &format!("hosted by {name}")
            )],
            "{name}"
        );
    }
    // The message quotes the whole name.
    let (r, _dir) = check_with(ACME, "We like Acme Cloud 3.2-pro.");
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v["diagnostics"][0]["message"],
        "mention of Acme Cloud 3.2-pro"
    );
}

const CASED: &str = r#"
name = "acme"
approved = ["Acme Cloud Console"]

[[rules]]
id = "acme-casing"
severity = "warning"
case-sensitive = true
message = "write \"Acme Cloud\", not \"{matched}\""
pattern = "{acme cloud|Acme cloud|ACME Cloud|acme Cloud}"
explanation = "Brand casing."
bad = ["We love Acme cloud.", "We love acme cloud."]
good = ["We love Acme Cloud."]
"#;

#[test]
fn a_case_sensitive_rule_flags_only_the_casings_it_names() {
    assert_eq!(
        found(CASED, "Acme cloud and acme cloud and Acme Cloud."),
        [
            triple("acme-casing", "warning", "Acme cloud"),
            triple("acme-casing", "warning", "acme cloud"),
        ]
    );
    // An approved phrase protects a case-sensitive match only with its own
    // casing.
    assert!(found(CASED, "Open the Acme Cloud Console.").is_empty());
    assert_eq!(
        found(CASED, "Open the acme cloud console."),
        [triple("acme-casing", "warning", "acme cloud")]
    );
}

#[test]
fn a_case_sensitive_context() {
    let policy = r#"
name = "acme"
[[rules]]
id = "acme-claim"
severity = "warning"
message = "m"
pattern = "the best"
explanation = "e"
bad = ["The best of ACME."]
good = ["The best of acme."]
[rules.context]
near = "ACME"
required = true
case-sensitive = true
"#;
    assert_eq!(
        found(policy, "The best of ACME. The best of Acme."),
        [triple("acme-claim", "warning", "The best")]
    );
}

#[test]
fn policy_check_says_when_an_approved_phrase_swallows_a_bad_example() {
    let policy = CASED
        .replace(
            "bad = [\"We love Acme cloud.\", \"We love acme cloud.\"]",
            "bad = [\"Open the Acme cloud console.\", \"We love acme cloud.\"]",
        )
        .replace(
            "approved = [\"Acme Cloud Console\"]",
            "approved = [\"Acme cloud console\"]",
        );
    let r = policy_check(&policy);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr
            .contains("rule `acme-casing` does not fire on its bad example"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("lies inside the approved phrase `acme cloud console`"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_unknown_placeholder_is_an_error_at_its_place() {
    let policy = ACME.replace(
        "say \\\"{matched}\\\" carefully",
        "say \\\"{match}\\\" carefully",
    );
    let r = policy_check(&policy);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr.contains("unknown placeholder `{match}`") && r.stderr.contains("`{matched}`"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("acme.toml:11:"), "{}", r.stderr);
    // Braces are written doubled.
    let braces = ACME.replace("say \\\"{matched}\\\" carefully", "say {{{matched}}}");
    let (r, _dir) = check_with(&braces, "It is hosted by Acme Cloud.");
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["diagnostics"][0]["message"], "say {hosted by Acme Cloud}");
}

#[test]
fn policy_check_reports_every_problem_in_one_run() {
    let policy = r#"
name = "acme"

[[rules]]
id = "first"
severity = "error"
message = "m"
pattern = "a <nope>"
explanation = "e"
bad = ["a b"]
good = ["c"]

[[rules]]
id = "second"
severity = "loud"
message = "m"
pattern = "x"
explanation = "e"
bad = ["x"]
good = ["y"]

[[rules]]
id = "third"
severity = "error"
message = "{oops}"
pattern = "z"
explanation = "e"
bad = ["z"]
good = ["y"]

[[rules]]
id = "fourth"
severity = "error"
message = "m"
pattern = "q"
explanation = "e"
bad = ["nothing here"]
good = ["y"]
"#;
    let r = policy_check(policy);
    assert_eq!(r.code, 2, "{}", r.stdout);
    for expected in [
        "unknown term set `<nope>`",
        "unknown variant `loud`",
        "unknown placeholder `{oops}`",
        "rule `fourth` does not fire on its bad example",
    ] {
        assert!(
            r.stderr.contains(expected),
            "missing {expected}: {}",
            r.stderr
        );
    }
    assert!(r.stderr.matches("error").count() >= 4, "{}", r.stderr);
}

#[test]
fn version_is_a_built_in_set() {
    let r = policy_check(&ACME.replace("[sets]", "[sets]\nversion = [\"1\"]"));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("`version` is a built-in set"),
        "{}",
        r.stderr
    );
}

#[test]
fn the_book_documents_version_families_case_and_placeholders() {
    let chapter = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/src/policy/phrase-rules.md"),
    )
    .unwrap();
    assert!(
        chapter.contains("Acme Cloud 3.2-pro"),
        "the book documents version families"
    );
    assert!(chapter.contains("case-sensitive = true"));
    assert!(chapter.contains("{matched}"));
}
