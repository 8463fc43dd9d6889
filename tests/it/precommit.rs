//! The pre-commit hook (`.pre-commit-hooks.yaml`), run by the real
//! pre-commit as a git hook in a throwaway repository.
//!
//! The throwaway repository's `.pre-commit-config.yaml` points at this
//! checkout at its HEAD commit, so pre-commit clones HEAD and installs the
//! hook from it: `copylint-src` builds copylint with `cargo install`
//! (`language: rust`); `copylint` installs the wheel (`language: python`,
//! through setup.py). What is tested is the committed hooks file and the
//! committed sources, not the work tree.
//!
//! pre-commit is looked for in `$COPYLINT_PRE_COMMIT`, then on `PATH`, then
//! at `.venv-ci/bin/pre-commit` (where `.ci/run` installs it). The tests are
//! `#[ignore]`d, so `cargo test` passes without pre-commit; `.ci/run` runs
//! them with `--include-ignored`, where a missing pre-commit, or a HEAD
//! without `.pre-commit-hooks.yaml`, fails them with the reason.
//!
//! Its store (`PRE_COMMIT_HOME`) and the `cargo install` build directory are
//! kept under `target/tmp/`, so a second run at the same HEAD reuses the
//! built hook (seconds), and a run at a new HEAD only recompiles copylint
//! itself (the dependencies stay compiled). `pre-commit gc` at the end drops
//! the clones of older HEADs. Nothing is written under the home directory.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use crate::common;

use common::packaging;

fn checkout() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The pre-commit executable, or why there is none.
fn find_pre_commit() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("COPYLINT_PRE_COMMIT").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        if path.is_file() {
            return Ok(path);
        }
        println!(
            "COPYLINT_PRE_COMMIT={} is not a file; looking further",
            path.display()
        );
    }
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    for dir in on_path {
        let candidate = dir.join("pre-commit");
        if candidate.is_file() {
            return Ok(candidate);
        }
    }
    let venv = checkout().join(".venv-ci/bin/pre-commit");
    if venv.is_file() {
        return Ok(venv);
    }
    Err("pre-commit not installed (.ci/run installs it)".into())
}

/// Held by each test that installs a hook, so that the wheel hook's first
/// run is not timed while the other test compiles copylint.
fn one_hook_install_at_a_time() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The checkout's HEAD commit, when it is a git checkout whose HEAD has
/// the hooks file.
fn head_with_hooks_file() -> Result<String, String> {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(checkout())
            .output()
            .map_err(|e| format!("git does not run ({e})"))
    };
    let head = git(&["rev-parse", "--verify", "HEAD"])?;
    if !head.status.success() {
        return Err(format!("{} is not a git checkout", checkout().display()));
    }
    let head = String::from_utf8_lossy(&head.stdout).trim().to_string();
    let committed = git(&["show", "HEAD:.pre-commit-hooks.yaml"])?;
    if !committed.status.success() {
        return Err(format!(
            "HEAD ({}) has no .pre-commit-hooks.yaml: commit it to test the hook",
            &head[..12]
        ));
    }
    if let Ok(work) = fs::read(checkout().join(".pre-commit-hooks.yaml"))
        && work != committed.stdout
    {
        println!(
            "note: .pre-commit-hooks.yaml differs from HEAD's; pre-commit uses HEAD's ({})",
            &head[..12]
        );
    }
    Ok(head)
}

/// Runs pre-commit, git and the cargo they start with a controlled
/// environment.
struct Sandbox {
    repo: PathBuf,
    pre_commit: PathBuf,
    env: Vec<(&'static str, OsString)>,
}

impl Sandbox {
    /// A new git repository under `tmp` whose `.pre-commit-config.yaml`
    /// uses the hook `hook_id` of this checkout at `head`, with pre-commit
    /// installed as its git hook. `env` is added to an isolated git
    /// configuration for every command.
    fn new(
        tmp: &Path,
        pre_commit: PathBuf,
        hook_id: &str,
        head: &str,
        env: Vec<(&'static str, OsString)>,
    ) -> Sandbox {
        let git_config = tmp.join("gitconfig");
        // An isolated git configuration: no global hooksPath (pre-commit
        // would refuse to install), templates or signing; the checkout is
        // declared safe in case it belongs to another user.
        fs::write(
            &git_config,
            format!(
                "[user]\n\tname = copylint test\n\temail = test@example.invalid\n\
                 [commit]\n\tgpgsign = false\n[init]\n\tdefaultBranch = main\n\
                 [safe]\n\tdirectory = {}\n",
                checkout().display()
            ),
        )
        .unwrap();
        let mut all_env: Vec<(&'static str, OsString)> = vec![
            ("GIT_CONFIG_GLOBAL", git_config.into()),
            ("GIT_CONFIG_NOSYSTEM", "1".into()),
            ("PRE_COMMIT_COLOR", "never".into()),
        ];
        all_env.extend(env);
        let sandbox = Sandbox {
            repo: tmp.join("site"),
            pre_commit,
            env: all_env,
        };
        fs::create_dir_all(&sandbox.repo).unwrap();
        sandbox.git(&["init", "-q"]);
        // The repository path as a YAML double-quoted scalar (a JSON string).
        let repo_yaml = serde_json::to_string(&checkout().to_str().unwrap()).unwrap();
        sandbox.write(
            ".pre-commit-config.yaml",
            &format!(
                "repos:\n  - repo: {repo_yaml}\n    rev: {head}\n    hooks:\n      - id: {hook_id}\n"
            ),
        );
        let out = sandbox.pre_commit(&["install"]);
        assert!(out.status.success(), "pre-commit install: {}", text(&out));
        sandbox
    }

    fn command(&self, program: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new(program);
        cmd.args(args).current_dir(&self.repo);
        // What `cargo test` sets for this test, and what would redirect git
        // or skip the hook, must not reach the nested git, pre-commit and
        // `cargo install`.
        for (key, _) in std::env::vars_os() {
            let key = key.to_string_lossy();
            let test_var = key.starts_with("CARGO_")
                && !key.starts_with("CARGO_HOME")
                && !key.starts_with("CARGO_NET_")
                && !key.starts_with("CARGO_REGISTR")
                && !key.starts_with("CARGO_HTTP_");
            if test_var || key.starts_with("GIT_") || key.starts_with("PRE_COMMIT") || key == "SKIP"
            {
                cmd.env_remove(key.as_ref());
            }
        }
        cmd.env_remove("NO_COLOR");
        for (key, value) in &self.env {
            cmd.env(key, value);
        }
        cmd
    }

    fn git(&self, args: &[&str]) -> Output {
        let out = self
            .command(Path::new("git"), args)
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?}: {}", text(&out));
        out
    }

    fn pre_commit(&self, args: &[&str]) -> Output {
        self.command(&self.pre_commit, args)
            .output()
            .expect("pre-commit runs")
    }

    fn write(&self, path: &str, contents: &str) {
        let path = self.repo.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }

    /// `git commit`, which runs the installed hook; its status and output.
    fn commit(&self, message: &str) -> (bool, String, f64) {
        let start = Instant::now();
        let out = self
            .command(Path::new("git"), &["commit", "-m", message])
            .output()
            .expect("git commit runs");
        (
            out.status.success(),
            text(&out),
            start.elapsed().as_secs_f64(),
        )
    }
}

/// The prose files the hook must check: every extension copylint walks.
const PROSE: [&str; 6] = [
    "docs/launch.md",
    "docs/launch-two.markdown",
    "site/page.mdx",
    "notes/brief.txt",
    "notes/brief-two.text",
    "LOUD.MD",
];

/// Text files with the same wording that the hook must not pass to
/// copylint (which would check them as prose).
const NOT_PROSE: [&str; 3] = ["src/lib.rs", "config/site.yaml", "docs/launch.md.orig"];

const BAD: &str = "Our runtime calls on ChatGPT.\n";
const GOOD: &str = "Our runtime is powered by OpenAI.\n";

#[test]
#[ignore = "needs pre-commit (.ci/run installs it in .venv-ci)"]
fn hooks_file_is_a_valid_manifest() {
    let pre_commit = find_pre_commit().unwrap_or_else(|why| panic!("{why}"));
    let out = Command::new(&pre_commit)
        .args(["validate-manifest", ".pre-commit-hooks.yaml"])
        .current_dir(checkout())
        .output()
        .expect("pre-commit runs");
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
#[ignore = "needs pre-commit (.ci/run installs it in .venv-ci) and cargo"]
fn commit_is_refused_until_the_wording_is_fixed() {
    let pre_commit = find_pre_commit().unwrap_or_else(|why| panic!("{why}"));
    let head = head_with_hooks_file().unwrap_or_else(|why| panic!("{why}"));
    println!(
        "pre-commit: {}, hook repository: {} at {}",
        pre_commit.display(),
        checkout().display(),
        &head[..12]
    );

    let _one_at_a_time = one_hook_install_at_a_time();
    let tmp = tempfile::tempdir().unwrap();
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let sandbox = Sandbox::new(
        tmp.path(),
        pre_commit,
        "copylint-src",
        &head,
        vec![
            ("PRE_COMMIT_HOME", cache.join("pre-commit-home").into()),
            ("CARGO_TARGET_DIR", cache.join("pre-commit-cargo").into()),
        ],
    );

    for path in PROSE.iter().chain(&NOT_PROSE) {
        sandbox.write(path, BAD);
    }
    sandbox.git(&["add", "."]);
    let (ok, output, first) = sandbox.commit("bad wording");
    let log = cache.join("pre-commit-home/pre-commit.log");
    assert!(
        !ok,
        "the commit must be refused:\n{output}\n{}",
        fs::read_to_string(&log).unwrap_or_default()
    );
    assert!(
        !output.contains("An unexpected error"),
        "pre-commit failed:\n{output}\n{}",
        fs::read_to_string(&log).unwrap_or_default()
    );
    println!(
        "--- the refused commit's output:\n{}\n---",
        output.trim_end()
    );
    assert!(output.contains("calls-on-openai"), "{output}");
    for path in PROSE {
        assert!(
            output.contains(&format!("{path}:1:13")),
            "{path} is checked:\n{output}"
        );
    }
    for path in NOT_PROSE {
        assert!(
            !output.contains(path),
            "{path} must not be passed:\n{output}"
        );
    }
    let head_before = sandbox
        .command(Path::new("git"), &["rev-parse", "HEAD"])
        .output()
        .unwrap();
    assert!(!head_before.status.success(), "nothing was committed");

    for path in PROSE {
        sandbox.write(path, GOOD);
    }
    sandbox.git(&["add", "."]);
    let (ok, output, second) = sandbox.commit("good wording");
    assert!(ok, "the commit must go through:\n{output}");
    assert!(output.contains("copylint"), "the hook ran:\n{output}");
    sandbox.git(&["rev-parse", "--verify", "HEAD"]);
    println!(
        "refused commit: {first:.1} s (includes building the hook when not cached); accepted commit: {second:.1} s"
    );

    // Drop the clones of older HEADs; this run's config still exists, so its
    // clone and build stay cached for the next run.
    let out = sandbox.pre_commit(&["gc"]);
    assert!(out.status.success(), "pre-commit gc: {}", text(&out));
    println!("{}", text(&out).trim());
}

/// A sandbox using the wheel hook `hook_id` of this checkout's HEAD, pip
/// finding the wheel in a local folder (`PIP_FIND_LINKS`, standing in for
/// PyPI), with `path` as `PATH` when given; and its pre-commit home.
fn wheel_sandbox(tmp: &Path, hook_id: &str, path: Option<OsString>) -> (Sandbox, PathBuf) {
    let pre_commit = find_pre_commit().unwrap_or_else(|why| panic!("{why}"));
    let head = head_with_hooks_file().unwrap_or_else(|why| panic!("{why}"));
    let home = tmp.join("pre-commit-home");
    let mut env: Vec<(&'static str, OsString)> = vec![
        ("PRE_COMMIT_HOME", home.clone().into()),
        ("PIP_FIND_LINKS", packaging::wheel_dir().into()),
        ("PIP_DISABLE_PIP_VERSION_CHECK", "1".into()),
    ];
    env.extend(path.map(|p| ("PATH", p)));
    (Sandbox::new(tmp, pre_commit, hook_id, &head, env), home)
}

/// The wheel hook (`id: copylint`, `language: python`), as a writer without
/// Rust meets it: pip finds the wheel in a local folder (`PIP_FIND_LINKS`,
/// standing in for PyPI), and no cargo, rustc or rustup is on `PATH`. Its
/// first run, which creates the hook's environment, must take seconds.
#[test]
#[ignore = "needs pre-commit, maturin and python3 (.ci/run installs them)"]
fn wheel_hook_first_run_needs_no_compiler() {
    let path = packaging::path_without_rust();
    for dir in std::env::split_paths(&path) {
        assert!(!dir.join("cargo").exists(), "cargo in {}", dir.display());
    }

    let _one_at_a_time = one_hook_install_at_a_time();
    let tmp = tempfile::tempdir().unwrap();
    let (sandbox, home) = wheel_sandbox(tmp.path(), "copylint", Some(path));
    for path in PROSE {
        sandbox.write(path, BAD);
    }
    sandbox.git(&["add", "."]);
    let (ok, output, first) = sandbox.commit("bad wording");
    let log = fs::read_to_string(home.join("pre-commit.log")).unwrap_or_default();
    assert!(!ok, "the commit must be refused:\n{output}\n{log}");
    assert!(
        !output.contains("An unexpected error"),
        "pre-commit failed:\n{output}\n{log}"
    );
    for path in PROSE {
        assert!(
            output.contains(&format!("{path}:1:13")),
            "{path} is checked:\n{output}"
        );
    }
    println!("first run of the wheel hook, installing it: {first:.1} s");
    assert!(first < 30.0, "the first run took {first:.1} s");

    // The hook runs the wheel's binary, from the environment pre-commit made.
    let installed = fs::read_dir(&home)
        .unwrap()
        .filter_map(|repo| fs::read_dir(repo.ok()?.path()).ok())
        .flatten()
        .filter_map(|entry| Some(entry.ok()?.path().join("bin/copylint")))
        .find(|binary| binary.is_file())
        .expect("a copylint in the hook's environment");
    let out = Command::new(&installed).arg("--version").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        packaging::version_line(),
        "{}",
        installed.display()
    );

    for path in PROSE {
        sandbox.write(path, GOOD);
    }
    sandbox.git(&["add", "."]);
    let (ok, output, second) = sandbox.commit("good wording");
    assert!(ok, "the commit must go through:\n{output}");
    println!("second run: {second:.2} s");
}

/// The fixing hook (`id: copylint-fix`): it corrects a misspelt name in the
/// staged copy, which fails the commit as any file-changing hook does, and
/// the commit goes through once the fix is staged. Code is left alone.
#[test]
#[ignore = "needs pre-commit, maturin and python3 (.ci/run installs them)"]
fn fix_hook_corrects_names_and_the_restaged_commit_goes_through() {
    let _one_at_a_time = one_hook_install_at_a_time();
    let tmp = tempfile::tempdir().unwrap();
    let (sandbox, home) = wheel_sandbox(tmp.path(), "copylint-fix", None);
    let page =
        "Our runtime is powered by OpenAI.\nTeams use Chat GPT daily.\n\n```\nChat GPT\n```\n";
    sandbox.write("docs/launch.md", page);
    sandbox.git(&["add", "."]);
    let (ok, output, _) = sandbox.commit("names");
    let log = fs::read_to_string(home.join("pre-commit.log")).unwrap_or_default();
    assert!(!ok, "a fixed file fails the commit:\n{output}\n{log}");
    assert!(
        output.contains("files were modified by this hook"),
        "{output}\n{log}"
    );
    let fixed = fs::read_to_string(sandbox.repo.join("docs/launch.md")).unwrap();
    assert_eq!(
        fixed,
        page.replacen("Teams use Chat GPT", "Teams use ChatGPT", 1)
    );

    sandbox.git(&["add", "."]);
    let (ok, output, _) = sandbox.commit("names, fixed");
    assert!(ok, "the fixed copy is committed:\n{output}");
    sandbox.git(&["rev-parse", "--verify", "HEAD"]);
}
