//! The composite GitHub Action (action.yml): its steps run here the way a
//! runner runs them. Each `${{ inputs.NAME }}` in a step's `env` is replaced
//! by the input a workflow's `with:` sets (or the input's default), the
//! step's `run` goes to `bash --noprofile --norc -eo pipefail`, and
//! `GITHUB_ACTION_PATH`, `GITHUB_WORKSPACE`, `RUNNER_TEMP` and
//! `GITHUB_OUTPUT` are set. pip installs the wheel from a local folder
//! (`PIP_FIND_LINKS`, standing in for PyPI) with no Rust toolchain on `PATH`.

use crate::common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use common::packaging::{self, checkout, text};
use yaml_rust2::{Yaml, YamlLoader};

fn action() -> Yaml {
    let text = fs::read_to_string(checkout().join("action.yml")).expect("action.yml");
    YamlLoader::load_from_str(&text)
        .expect("action.yml is YAML")
        .remove(0)
}

fn str_of(yaml: &Yaml) -> String {
    match yaml {
        Yaml::String(s) => s.clone(),
        Yaml::Integer(i) => i.to_string(),
        Yaml::Boolean(b) => b.to_string(),
        other => panic!("not a scalar: {other:?}"),
    }
}

fn inputs(action: &Yaml) -> BTreeMap<String, String> {
    action["inputs"]
        .as_hash()
        .expect("inputs")
        .iter()
        .map(|(name, input)| (str_of(name), input["default"].as_str().unwrap_or("").into()))
        .collect()
}

/// `template` with every `${{ inputs.NAME }}` replaced, as a runner does.
fn expand(template: &str, inputs: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("}}").expect("closed expression") + start;
        let expr = rest[start + 3..end].trim();
        let name = expr
            .strip_prefix("inputs.")
            .unwrap_or_else(|| panic!("unsupported expression {expr}"));
        out.push_str(&inputs[name]);
        rest = &rest[end + 2..];
    }
    out + rest
}

struct Run {
    output: Output,
    /// What the steps wrote to `GITHUB_OUTPUT`.
    outputs: BTreeMap<String, String>,
}

/// Runs the action's steps in `workspace` with the workflow's `with`.
fn run_action(workspace: &Path, runner_temp: &Path, with: &[(&str, &str)]) -> Run {
    let action = action();
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    let mut values = inputs(&action);
    for (name, value) in with {
        assert!(
            values.contains_key(*name),
            "no input `{name}` in action.yml"
        );
        values.insert(name.to_string(), value.to_string());
    }
    let github_output = runner_temp.join("github-output");
    fs::write(&github_output, "").unwrap();
    let mut last = None;
    for step in action["runs"]["steps"].as_vec().expect("steps") {
        assert_eq!(step["shell"].as_str(), Some("bash"), "{step:?}");
        let mut cmd = Command::new("bash");
        cmd.args(["--noprofile", "--norc", "-eo", "pipefail", "-c"])
            .arg(step["run"].as_str().expect("a run step"))
            .current_dir(workspace)
            .env("PATH", packaging::path_without_rust())
            .env("GITHUB_ACTION_PATH", checkout())
            .env("GITHUB_WORKSPACE", workspace)
            .env("RUNNER_TEMP", runner_temp)
            .env("GITHUB_OUTPUT", &github_output)
            .env("PIP_FIND_LINKS", packaging::wheel_dir())
            .env("PIP_NO_INDEX", "1")
            .env("PIP_DISABLE_PIP_VERSION_CHECK", "1");
        for (key, value) in step["env"].as_hash().into_iter().flatten() {
            cmd.env(str_of(key), expand(&str_of(value), &values));
        }
        let output = cmd.output().expect("bash runs");
        let failed = !output.status.success();
        last = Some(output);
        if failed {
            break;
        }
    }
    let outputs = fs::read_to_string(&github_output)
        .unwrap()
        .lines()
        .filter_map(|line| line.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Run {
        output: last.expect("the action has steps"),
        outputs,
    }
}

/// A repository with one bad page, one good page and a note.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in [
        (
            "docs/launch.md",
            "# Launch\n\nOur runtime calls on ChatGPT.\n",
        ),
        ("docs/ok.md", "Our runtime is powered by OpenAI.\n"),
        ("notes/brief.txt", "It calls on ChatGPT.\n"),
    ] {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn every_input_reaches_the_script() {
    let action = action();
    let script = fs::read_to_string(checkout().join("scripts/action.sh")).unwrap();
    let steps = action["runs"]["steps"].as_vec().expect("steps");
    let env: BTreeMap<String, String> = steps
        .iter()
        .flat_map(|step| step["env"].as_hash().into_iter().flatten())
        .map(|(k, v)| (str_of(k), str_of(v)))
        .collect();
    for name in inputs(&action).keys() {
        let var = format!("INPUT_{}", name.to_uppercase().replace('-', "_"));
        assert_eq!(
            env.get(&var).map(String::as_str),
            Some(format!("${{{{ inputs.{name} }}}}").as_str()),
            "input `{name}` is passed as {var}"
        );
        assert!(script.contains(&var), "scripts/action.sh reads {var}");
    }
    assert!(steps.iter().any(|s| {
        s["run"]
            .as_str()
            .is_some_and(|r| r.contains("$GITHUB_ACTION_PATH/scripts/action.sh"))
    }));
}

#[test]
#[ignore = "needs maturin and python3 (.ci/run installs them)"]
fn sarif_for_code_scanning() {
    let repo = workspace();
    let temp = tempfile::tempdir().unwrap();
    let run = run_action(
        repo.path(),
        temp.path(),
        &[("format", "sarif"), ("fail-on", "never"), ("paths", "docs")],
    );
    let out = text(&run.output);
    assert!(run.output.status.success(), "{out}");
    assert!(out.contains(&packaging::version_line()), "{out}");
    assert_eq!(run.outputs["sarif-file"], "copylint.sarif");
    assert_eq!(run.outputs["version"], env!("CARGO_PKG_VERSION"));

    let sarif: serde_json::Value =
        serde_json::from_slice(&fs::read(repo.path().join("copylint.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{results:?}");
    assert_eq!(results[0]["ruleId"], "calls-on-openai");
    let location = &results[0]["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "docs/launch.md");
    assert_eq!(location["region"]["startLine"], 3);
}

#[test]
#[ignore = "needs maturin and python3 (.ci/run installs them)"]
fn annotations_fail_the_step_and_inputs_change_the_check() {
    let repo = workspace();
    let temp = tempfile::tempdir().unwrap();

    // The defaults: annotations for the whole repository, failing on errors.
    let run = run_action(repo.path(), temp.path(), &[]);
    let stdout = String::from_utf8_lossy(&run.output.stdout);
    assert_eq!(run.output.status.code(), Some(1), "{}", text(&run.output));
    assert!(stdout.contains("::group::Installing copylint"), "{stdout}");
    for annotation in [
        "::error file=docs/launch.md,line=3,col=13,",
        "::error file=notes/brief.txt,line=1,col=4,",
    ] {
        assert!(stdout.contains(annotation), "{annotation}:\n{stdout}");
    }
    assert!(!stdout.contains("docs/ok.md"), "{stdout}");

    // A second step in the same job reuses the installed copylint; paths
    // on several lines; a configuration that turns the rule off.
    fs::write(
        repo.path().join("strict.toml"),
        // "Our runtime calls on ChatGPT" is also a model beside a platform.
        "[rules]\ncalls-on-openai = \"off\"\naccess-to-openai = \"off\"\n",
    )
    .unwrap();
    let run = run_action(
        repo.path(),
        temp.path(),
        &[("paths", "docs\nnotes\n"), ("config", "strict.toml")],
    );
    let stdout = String::from_utf8_lossy(&run.output.stdout);
    assert!(run.output.status.success(), "{}", text(&run.output));
    assert!(!stdout.contains("::group::Installing"), "{stdout}");
    assert!(!stdout.contains("::error"), "{stdout}");

    // fail-on reaches copylint: a missing path is an error (exit 2) even
    // with fail-on never.
    let run = run_action(
        repo.path(),
        temp.path(),
        &[("paths", "docs missing"), ("fail-on", "never")],
    );
    assert_eq!(run.output.status.code(), Some(2), "{}", text(&run.output));
    let run = run_action(repo.path(), temp.path(), &[("fail-on", "never")]);
    assert!(run.output.status.success(), "{}", text(&run.output));
}
