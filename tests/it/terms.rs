//! Term rules: the wrong spellings of a name, matched with their case as
//! written, each fixed to the expected form by a safe fix. Driven through
//! the binary, with a policy of its own and with the default policy's names.

use crate::common;
use common::*;

use std::path::Path;

const POLICY: &str = r#"
name = "acme"

[[rules]]
id = "acme-cloud"
kind = "term"
severity = "warning"
expected = "Acme Cloud"
message = "write \"Acme Cloud\", not \"{matched}\""
pattern = "{Acme cloud|ACME Cloud|AcmeCloud}"
explanation = "The product's name is two capitalised words."
bad = ["Deploy on Acme cloud today."]
good = ["Deploy on Acme Cloud today.", "Deploy on acme cloud servers."]

[[rules]]
id = "no-guarantee"
severity = "error"
message = "no guarantees"
pattern = "guaranteed"
fix = "expected"
explanation = "Nothing is guaranteed."
bad = ["Uptime guaranteed."]
good = ["Uptime expected."]
"#;

fn dir_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    dir
}

fn acme(dir: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["--no-default-policy", "--policy", "p.toml"];
    args.extend_from_slice(extra);
    run_in(dir, &args, b"")
}

#[test]
fn wrong_forms_match_with_their_case_and_the_fix_is_safe() {
    let dir = dir_with(&[
        ("p.toml", POLICY.as_bytes()),
        (
            "page.md",
            b"Acme cloud, ACME Cloud and AcmeCloud, not Acme Cloud or acme cloud.\n",
        ),
    ]);
    let r = acme(dir.path(), &["--format", "json", "page.md"]);
    assert_eq!(r.code, 0, "warnings do not fail: {}", r.stderr);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let findings = json["diagnostics"].as_array().unwrap();
    let matched: Vec<&str> = findings
        .iter()
        .map(|f| f["matched"].as_str().unwrap())
        .collect();
    assert_eq!(matched, ["Acme cloud", "ACME Cloud", "AcmeCloud"]);
    for f in findings {
        assert_eq!(f["rule"], "acme-cloud");
        assert_eq!(f["fix"]["applicability"], "safe", "{f}");
        assert_eq!(f["fix"]["edits"][0]["content"], "Acme Cloud");
        // The expected form is the suggestion when the rule names none.
        assert_eq!(f["suggestions"], serde_json::json!(["Acme Cloud"]));
    }
}

#[test]
fn fix_rewrites_term_findings_only_and_keeps_everything_else() {
    // A byte-order mark, CRLF endings, front matter, a code span, a code
    // block, a link target and a phrase rule's (unsafe) fix around three
    // misspellings.
    let page = "\u{FEFF}---\r\nproduct: Acme cloud\r\n---\r\n# On Acme cloud\r\n\r\nUptime guaranteed on [AcmeCloud](https://acmecloud.example/Acme%20cloud). Run `Acme cloud` here.\r\n\r\n```\r\nAcme cloud\r\n```\r\n";
    let dir = dir_with(&[("p.toml", POLICY.as_bytes()), ("page.md", page.as_bytes())]);
    let r = acme(dir.path(), &["--fix", "--format", "short", "."]);
    // What remains is the phrase rule's finding, whose fix is unsafe.
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "page.md:6:8: error: no guarantees [no-guarantee]\n"
    );
    assert_eq!(r.stderr, "copylint: note: page.md: applied 3 fixes\n");
    let expected = page
        .replace("product: Acme cloud", "product: Acme Cloud")
        .replace("# On Acme cloud", "# On Acme Cloud")
        .replace("[AcmeCloud]", "[Acme Cloud]");
    let after = std::fs::read_to_string(dir.path().join("page.md")).unwrap();
    assert_eq!(after, expected);
    // The policy file itself is not copy.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p.toml")).unwrap(),
        POLICY
    );
}

#[test]
fn default_policy_fixes_the_openai_names() {
    let text = "Our agents use Chat GPT, chatgpt and GPT4o.\nThe SRE integrates with Open AI.\nSee openai.com and chatgpt.com. ChatGPT and GPT-4.1 are spelt right.\n";
    let dir = dir_with(&[("notes.txt", text.as_bytes())]);
    let r = run_in(dir.path(), &["--diff", "notes.txt"], b"");
    // As with --fix, the exit status is that of what remains: infos.
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "copylint: note: notes.txt: 4 fixes would be applied\n"
    );
    assert!(
        r.stdout.contains(
            "+Our agents use ChatGPT, ChatGPT and GPT-4o.\n+The SRE integrates with OpenAI.\n"
        ),
        "{}",
        r.stdout
    );
    assert!(
        !r.stdout.contains("+See"),
        "addresses are not prose: {}",
        r.stdout
    );
    // --diff writes nothing.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
        text
    );
    let r = run_in(
        dir.path(),
        &["--fix", "--format", "short", "notes.txt"],
        b"",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains("spelling"), "{}", r.stdout);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
        text.replace("Chat GPT", "ChatGPT")
            .replace("chatgpt and", "ChatGPT and")
            .replace("GPT4o", "GPT-4o")
            .replace("Open AI", "OpenAI")
    );
}

#[test]
fn html_shows_term_fixes_without_applying_them() {
    let page = b"<!doctype html><title>Acme</title><p>Deploy on Acme cloud.</p>\n";
    let dir = dir_with(&[("p.toml", POLICY.as_bytes()), ("page.html", page)]);
    let r = acme(dir.path(), &["--format", "json", "page.html"]);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let fix = &json["diagnostics"][0]["fix"];
    assert_eq!(fix["applicability"], "display", "{json}");
    let r = acme(dir.path(), &["--fix", "page.html"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(std::fs::read(dir.path().join("page.html")).unwrap(), page);
}

#[test]
fn term_rule_mistakes_are_policy_errors() {
    let bad = r#"
name = "acme"

[[rules]]
id = "no-expected"
kind = "term"
severity = "warning"
message = "m"
pattern = "Acme cloud"
explanation = "e"
bad = ["Acme cloud"]
good = ["Acme Cloud"]

[[rules]]
id = "lists-the-right-form"
kind = "term"
severity = "warning"
expected = "Acme Cloud"
message = "m"
pattern = "{Acme cloud|Acme Cloud}"
fix = "Acme Cloud"
case-sensitive = false
explanation = "e"
bad = ["Acme cloud"]
good = ["Acme"]

[[rules]]
id = "phrase-with-expected"
severity = "warning"
expected = "x"
message = "m"
pattern = "acme"
explanation = "e"
bad = ["acme"]
good = ["x"]
"#;
    let dir = dir_with(&[("p.toml", bad.as_bytes())]);
    let r = acme(dir.path(), &["policy", "check", "p.toml"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    for message in [
        "term rule `no-expected` needs `expected`, the spelling to write instead",
        "the pattern of term rule `lists-the-right-form` matches its expected form `Acme Cloud`",
        "term rule `lists-the-right-form` replaces its matches with `expected`; it takes no `fix`",
        "term rule `lists-the-right-form` always matches its wrong forms with their case as written",
        "`expected` is for term rules, and rule `phrase-with-expected` is not one",
    ] {
        assert!(r.stderr.contains(message), "{message}\n{}", r.stderr);
    }
    // Each points at the line that caused it.
    assert!(r.stderr.contains("p.toml:20:11"), "{}", r.stderr);
}
