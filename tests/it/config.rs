//! Configuration files, ignore files, `init`, `config`, completions and man.

use crate::common;
use common::*;

use std::path::Path;

const BAD: &str = "Agents calls on ChatGPT.\n";
const INFO: &str = "Agents tag ChatGPT.\n";

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn files_in(out: &str) -> Vec<String> {
    let mut v: Vec<String> = out
        .lines()
        .map(|l| l.split(':').next().unwrap().to_string())
        .collect();
    v.dedup();
    v
}

const NORTHWIND: &str = r#"name = "northwind"
[[rules]]
id = "no-cure"
severity = "error"
message = "do not promise a cure"
pattern = "{cure|cures}"
explanation = "Medical claims need approval."
bad = ["It cures."]
good = ["It helps."]
"#;

#[test]
fn found_in_parent_directories_up_to_the_repository_root() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(p, "copylint.toml", "fail-on = \"info\"\n");
    write(p, "repo/.git/HEAD", "");
    write(p, "repo/sub/page.md", INFO);
    // Above the repository root: not used, so an info does not fail.
    assert_eq!(run_in(&p.join("repo/sub"), &["page.md"], b"").code, 0);
    write(p, "repo/.copylint.toml", "fail-on = \"info\"\n");
    assert_eq!(run_in(&p.join("repo/sub"), &["page.md"], b"").code, 1);
    assert_eq!(
        run_in(&p.join("repo/sub"), &["--no-config", "page.md"], b"").code,
        0
    );
    assert_eq!(
        run_in(&p.join("repo/sub"), &["--fail-on", "error", "page.md"], b"").code,
        0
    );
}

#[test]
fn named_with_config_and_policies_relative_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(
        p,
        "conf/cfg.toml",
        "policies = [\"nw.toml\"]\ndefault-policy = false\n",
    );
    write(p, "conf/nw.toml", NORTHWIND);
    write(p, "page.md", "It cures. It calls on ChatGPT.\n");
    let r = run_in(
        p,
        &["--config", "conf/cfg.toml", "--format", "short", "page.md"],
        b"",
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "page.md:1:4: error: do not promise a cure [no-cure]\n"
    );
}

#[test]
fn include_exclude_rules_code_and_extensions() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(
        p,
        "copylint.toml",
        "include = [\"docs/**\"]\nexclude = [\"docs/old/**\"]\ncheck-code = true\n\
         [extensions]\ntext = [\"rst\"]\n[rules]\ncalls-on-openai = \"warning\"\nunapproved-mention = \"off\"\n",
    );
    write(
        p,
        "docs/a.md",
        "Text.\n\n```\nAgents calls on ChatGPT.\n```\n\nAgents tag ChatGPT.\n",
    );
    write(p, "docs/b.rst", BAD);
    write(p, "docs/old/c.md", BAD);
    write(p, "other/d.md", BAD);
    let r = run_in(p, &["--format", "short"], b"");
    assert_eq!(r.code, 0, "warnings only: {}", r.stderr);
    assert_eq!(
        r.stdout,
        "docs/a.md:4:8: warning: \"calls on ChatGPT\" says the product calls OpenAI's models directly, which the guidance forbids because API calls to OpenAI are reserved to Azure [calls-on-openai]\n\
         docs/b.rst:1:8: warning: \"calls on ChatGPT\" says the product calls OpenAI's models directly, which the guidance forbids because API calls to OpenAI are reserved to Azure [calls-on-openai]\n"
    );
    // A file named explicitly is checked even when excluded.
    let r = run_in(p, &["--format", "short", "other/d.md"], b"");
    assert_eq!(files_in(&r.stdout), ["other/d.md"]);
}

/// Runs with a configuration; returns stderr after checking the status.
fn broken(config: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "copylint.toml", config);
    write(dir.path(), "page.md", BAD);
    let r = run_in(dir.path(), &["page.md"], b"");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    r.stderr
}

#[test]
fn configuration_errors_point_at_their_line() {
    let err = broken("fail-on = \"error\"\ncolour = true\n");
    assert!(
        err.contains("unknown field `colour`") && err.contains("copylint.toml:2:1"),
        "{err}"
    );
    let err = broken("fail-on = \"sometimes\"\n");
    assert!(
        err.contains("unknown variant `sometimes`") && err.contains("copylint.toml:1:11"),
        "{err}"
    );
    let err = broken("\npolicies = [\"missing.toml\"]\n");
    assert!(
        err.contains("cannot read policy file missing.toml") && err.contains("copylint.toml:2:13"),
        "{err}"
    );
    let err = broken("[rules]\nno-such-rule = \"off\"\n");
    assert!(
        err.contains("unknown rule `no-such-rule`") && err.contains("copylint.toml:2:1"),
        "{err}"
    );
    let err = broken("[rules]\ncalls-on-openai = \"loud\"\n");
    assert!(err.contains("unknown variant `loud`"), "{err}");
    let err = broken("include = [\"docs/[\"]\n");
    assert!(err.contains("invalid glob"), "{err}");
}

#[test]
fn a_configuration_cannot_reach_outside_its_tree() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(p, "outside.toml", NORTHWIND);
    write(
        p,
        "repo/copylint.toml",
        "policies = [\"../outside.toml\"]\n",
    );
    write(p, "repo/page.md", BAD);
    let r = run_in(&p.join("repo"), &["page.md"], b"");
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("policy file outside the configuration's directory"),
        "{}",
        r.stderr
    );
    // Named on the command line, it is allowed.
    let r = run_in(
        &p.join("repo"),
        &["--no-config", "--policy", "../outside.toml", "page.md"],
        b"",
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
}

#[test]
fn gitignore_is_respected_inside_a_repository() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(p, ".gitignore", "ignored.md\nbuild/\n");
    write(p, ".ignore", "private.md\n");
    for f in ["kept.md", "ignored.md", "build/out.md", "private.md"] {
        write(p, f, BAD);
    }
    // Not a repository: .gitignore means nothing, .ignore still applies.
    let r = run_in(p, &["--format", "short"], b"");
    assert_eq!(
        files_in(&r.stdout),
        ["build/out.md", "ignored.md", "kept.md"]
    );
    std::fs::create_dir(p.join(".git")).unwrap();
    let r = run_in(p, &["--format", "short"], b"");
    assert_eq!(files_in(&r.stdout), ["kept.md"]);
    let r = run_in(p, &["--format", "short", "--no-ignore"], b"");
    assert_eq!(
        files_in(&r.stdout),
        ["build/out.md", "ignored.md", "kept.md", "private.md"]
    );
    // Named explicitly: always checked.
    let r = run_in(p, &["--format", "short", "ignored.md"], b"");
    assert_eq!(files_in(&r.stdout), ["ignored.md"]);
}

#[test]
fn stdin_uses_the_configuration_of_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(
        p,
        "site/copylint.toml",
        "[rules]\ncalls-on-openai = \"info\"\n",
    );
    write(p, "site/docs/.keep", "");
    let r = run_in(
        p,
        &[
            "--format",
            "short",
            "--stdin-filename",
            "site/docs/page.md",
            "-",
        ],
        BAD.as_bytes(),
    );
    assert!(
        r.stdout.starts_with("site/docs/page.md:1:8: info:"),
        "{}{}",
        r.stdout,
        r.stderr
    );
}

#[test]
fn init_writes_a_starter_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let r = run_in(dir.path(), &["init"], b"");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(dir.path().join("copylint.toml")).unwrap();
    assert!(text.contains("# fail-on = \"error\""));
    // The starter is a valid configuration.
    write(dir.path(), "page.md", BAD);
    assert_eq!(run_in(dir.path(), &["page.md"], b"").code, 1);
    std::fs::write(dir.path().join("copylint.toml"), "# mine\n").unwrap();
    let r = run_in(dir.path(), &["init"], b"");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("already exists"), "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("copylint.toml")).unwrap(),
        "# mine\n"
    );
}

#[test]
fn config_shows_the_effective_settings_and_their_sources() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(
        p,
        "copylint.toml",
        "fail-on = \"warning\"\nexclude = [\"old/**\"]\n[rules]\nunapproved-mention = \"off\"\n",
    );
    for args in [&["config"][..], &["--show-config"][..]] {
        let r = run_in(p, args, b"");
        assert_eq!(r.code, 0, "{}", r.stderr);
        for part in [
            "copylint.toml (found by searching from the current directory)",
            "<default policy: aws-openai-sre.toml> — 12 rules (embedded)",
            "fail-on: warning (configuration file)",
            "exclude: old/** (configuration file)",
            "include: (none) (default)",
            "unapproved-mention       off              (configuration file)",
            "enables-access           warning/error    (policy)",
        ] {
            assert!(r.stdout.contains(part), "{part}:\n{}", r.stdout);
        }
    }
    let r = run_in(p, &["--fail-on", "error", "config"], b"");
    assert!(
        r.stdout.contains("fail-on: error (command line)"),
        "{}",
        r.stdout
    );
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let r = run(&["completions", shell]);
        assert_eq!(r.code, 0, "{shell}");
        assert!(
            r.stdout.contains("copylint") && r.stdout.contains("fail-on"),
            "{shell}"
        );
    }
    let r = run(&["man"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.starts_with(".ie") || r.stdout.contains(".TH copylint"),
        "{}",
        &r.stdout[..200]
    );
}
