//! Policy files: loading, errors that point into the file, the
//! `policy check`, `rules` and `explain` commands.

use crate::common;
use common::*;

use std::path::Path;

const RULE: &str = r#"
[[rules]]
id = "no-cure"
severity = "error"
message = "do not promise a cure"
pattern = "{cure|cures} <illness>"
suggestions = ["helps manage"]
explanation = "Medical claims need approval."
bad = ["It cures migraines."]
good = ["It helps manage migraines."]
"#;

fn policy(extra_top: &str, rules: &str) -> String {
    format!(
        "name = \"northwind\"\n{extra_top}\n[sets]\nillness = [\"migraines\", \"{{flu|influenza}}\"]\n{rules}"
    )
}

fn with_policy(text: &str, args: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("policy.toml"), text).unwrap();
    std::fs::write(
        dir.path().join("page.md"),
        "It cures migraines. It cures influenza.\n",
    )
    .unwrap();
    let mut all = vec!["--no-default-policy", "--policy", "policy.toml"];
    all.extend_from_slice(args);
    run_in(dir.path(), &all, b"")
}

#[test]
fn a_custom_policy_checks_files() {
    let r = with_policy(&policy("", RULE), &["--format", "short", "page.md"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "page.md:1:4: error: do not promise a cure [no-cure]\npage.md:1:24: error: do not promise a cure [no-cure]\n"
    );
}

#[test]
fn custom_and_default_policies_combine() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.toml"), policy("", RULE)).unwrap();
    let r = run_in(
        dir.path(),
        &["--policy", "p.toml", "--format", "json", "-"],
        b"It cures migraines and calls on ChatGPT.",
    );
    let rules: Vec<String> = diags(&r.stdout).into_iter().map(|d| d.rule).collect();
    assert_eq!(rules, ["no-cure", "calls-on-openai"]);
}

/// Loads a broken policy; returns stderr after checking the exit status.
fn broken(text: &str) -> String {
    let r = with_policy(text, &["page.md"]);
    assert_eq!(r.code, 2, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    assert!(r.stdout.is_empty());
    r.stderr
}

#[test]
fn bad_toml_points_at_the_line() {
    let err = broken(&format!("{}\nname = ", policy("", RULE)));
    assert!(err.contains("policy.toml:"), "{err}");
    assert!(err.contains("error:"), "{err}");
}

#[test]
fn unknown_keys_are_errors() {
    let err = broken(&policy("colour = 1", RULE));
    assert!(err.contains("unknown field `colour`"), "{err}");
    assert!(err.contains("policy.toml:2:1"), "{err}");
    let err = broken(&policy("", &RULE.replace("explanation", "explaination")));
    assert!(err.contains("unknown field `explaination`"), "{err}");
}

#[test]
fn empty_pattern_is_an_error() {
    let err = broken(&policy("", &RULE.replace("{cure|cures} <illness>", "  ")));
    assert!(err.contains("empty pattern"), "{err}");
    assert!(err.contains("policy.toml:10:"), "{err}");
}

#[test]
fn unknown_set_is_an_error_at_its_column() {
    let err = broken(&policy("", &RULE.replace("<illness>", "<illnesses>")));
    assert!(err.contains("unknown term set `<illnesses>`"), "{err}");
    assert!(err.contains("policy.toml:10:25"), "{err}");
}

#[test]
fn duplicate_id_is_an_error() {
    let err = broken(&policy("", &format!("{RULE}{RULE}")));
    assert!(err.contains("duplicate rule id `no-cure`"), "{err}");
    assert!(err.contains("policy.toml:17:6"), "{err}");
}

#[test]
fn bad_severity_is_an_error() {
    let err = broken(&policy("", &RULE.replace("\"error\"", "\"fatal\"")));
    assert!(err.contains("unknown variant `fatal`"), "{err}");
    assert!(err.contains("policy.toml:8:12"), "{err}");
}

#[test]
fn oversized_expansion_is_an_error() {
    let big = "{a|b|c|d|e|f|g|h|i|j} ".repeat(5);
    let err = broken(&policy("", &RULE.replace("{cure|cures} <illness>", &big)));
    assert!(err.contains("more than the limit of 10000"), "{err}");
}

#[test]
fn rule_that_never_fires_or_fires_on_its_good_example_is_an_error() {
    let err = broken(&policy(
        "",
        &RULE.replace("It cures migraines.", "It heals migraines."),
    ));
    assert!(err.contains("does not fire on its bad example"), "{err}");
    assert!(err.contains("policy.toml:13:"), "{err}");
    let err = broken(&policy(
        "",
        &RULE.replace("It helps manage migraines.", "It cures influenza."),
    ));
    assert!(err.contains("fires on its good example"), "{err}");
    let err = broken(&policy(
        "",
        &RULE.replace("good = [\"It helps manage migraines.\"]", "good = []"),
    ));
    assert!(err.contains("has no good example"), "{err}");
}

#[test]
fn missing_policy_file_is_an_error() {
    let r = run(&["--policy", "does/not/exist.toml", "README.md"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("cannot read policy file does/not/exist.toml"),
        "{}",
        r.stderr
    );
}

#[test]
fn policy_check_command() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.toml"), policy("", RULE)).unwrap();
    std::fs::write(
        dir.path().join("bad.toml"),
        policy("", &RULE.replace("<illness>", "<x>")),
    )
    .unwrap();
    let r = run_in(dir.path(), &["policy", "check", "good.toml"], b"");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "good.toml: ok (1 rule, 2 examples checked)\n");
    let r = run_in(
        dir.path(),
        &["policy", "check", "good.toml", "bad.toml"],
        b"",
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("bad.toml:10:"), "{}", r.stderr);
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("crates/copylint-core/wordlists/aws-openai-sre.toml");
    let r = run(&["policy", "check", shipped.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn rules_lists_the_active_rules() {
    let r = run(&["rules"]);
    assert_eq!(r.code, 0);
    let header = r.stdout.lines().next().unwrap();
    assert_eq!(
        header.split_whitespace().collect::<Vec<_>>(),
        ["RULE", "SEVERITY", "POLICY", "PATTERN"]
    );
    let ids: Vec<&str> = r
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "enables-access",
            "access-to-openai",
            "calls-on-openai",
            "frontier-model-claim",
            "use-of-openai",
            "api-access-claim",
            "unapproved-mention",
            "openai-spelling",
            "chatgpt-spelling",
            "gpt-4o-spelling",
            "gpt-4-spelling",
            "gpt-5-spelling"
        ]
    );
    assert!(r.stdout.contains("warning/error"), "{}", r.stdout);
    // With the default policy and another: columns line up across both.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("policy.toml"), policy("", RULE)).unwrap();
    let r = run_in(dir.path(), &["--policy", "policy.toml", "rules"], b"");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut lines = r.stdout.lines();
    let header = lines.next().unwrap();
    assert!(
        lines.clone().any(|l| l.starts_with("no-cure ")),
        "{}",
        r.stdout
    );
    // Columns line up across the two policies' rules.
    let column = |l: &str, from: usize| from + l[from..].find(|c: char| c != ' ').unwrap();
    let policy_at = header.find("POLICY").unwrap();
    for line in lines {
        assert_eq!(column(line, policy_at - 2), policy_at, "{}", r.stdout);
    }
}

#[test]
fn explain_prints_a_rule() {
    let r = run(&["explain", "enables-access"]);
    assert_eq!(r.code, 0);
    for part in [
        "enables-access (warning/error)",
        "Pattern: {enable|enables|enabled|enabling} access to",
        "Bad:",
        "Good:",
        "powered by OpenAI",
    ] {
        assert!(r.stdout.contains(part), "{part}: {}", r.stdout);
    }
    let r = run(&["explain", "no-such-rule"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("unknown rule `no-such-rule`; the active rules are: enables-access, "),
        "{}",
        r.stderr
    );
    // A typo gets the nearest rule.
    let r = run(&["explain", "enable-access"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "copylint: error: unknown rule `enable-access`; did you mean `enables-access`?\n"
    );
}

#[test]
fn shipped_policy_literals() {
    let r = run(&["policy", "literals"]);
    assert_eq!(r.code, 0);
    let lits: Vec<&str> = r.stdout.lines().collect();
    for l in [
        "enables access to",
        "chatgpt",
        "gpt-<version>",
        "gpt-oss",
        "openai models",
        "open-weight",
    ] {
        assert!(lits.contains(&l), "{l}");
    }
    assert!(lits.windows(2).all(|w| w[0] < w[1]), "sorted and unique");
}

/// The policies shown in the book's policy chapters and in the README are
/// valid policies whose examples pass.
#[test]
fn the_documented_policy_examples_are_valid() {
    for file in [
        "docs/src/policy/phrase-rules.md",
        "docs/src/policy/claims.md",
        "README.md",
    ] {
        let text =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).unwrap();
        let start = text
            .find("```toml\nname = ")
            .unwrap_or_else(|| panic!("{file} shows a policy"))
            + "```toml\n".len();
        let end = start + text[start..].find("```").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("p.toml"), &text[start..end]).unwrap();
        let r = run_in(dir.path(), &["policy", "check", "p.toml"], b"");
        assert_eq!(r.code, 0, "{file}: {}", r.stderr);
    }
}

#[test]
fn a_rule_id_defined_by_two_policies_points_at_both() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.toml"), policy("", RULE)).unwrap();
    std::fs::write(dir.path().join("b.toml"), policy("", RULE)).unwrap();
    std::fs::write(dir.path().join("page.md"), "Fine.\n").unwrap();
    let r = run_in(
        dir.path(),
        &[
            "--no-default-policy",
            "--policy",
            "a.toml",
            "--policy",
            "b.toml",
            "page.md",
        ],
        b"",
    );
    assert_eq!((r.code, r.stdout.as_str()), (2, ""));
    for part in [
        "error: rule id `no-cure` is already defined by another policy",
        "┌─ b.toml:7:6",
        "id = \"no-cure\"",
        "= first defined at a.toml:7:6",
    ] {
        assert!(r.stderr.contains(part), "{part}: {}", r.stderr);
    }
}
