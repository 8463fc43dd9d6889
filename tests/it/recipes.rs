//! The book's recipes for running shards on an engine teams already
//! operate, run as written: the command of the Kubernetes Indexed Job
//! manifest, the AWS Batch array job's script and the GNU parallel
//! script, each with the index variable set as the engine sets it. Their
//! merged result must equal one run, and the book must quote each file as
//! it is.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::run_in;
use yaml_rust2::{Yaml, YamlLoader};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo().join(path)).unwrap()
}

/// PATH with the copylint under test first.
fn path_with_copylint() -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_copylint")).parent().unwrap();
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// Runs `sh -c command` (or a script) with `env`, failing on a non-zero status.
fn sh(args: &[&str], env: &[(&str, String)]) {
    let out = Command::new("sh")
        .args(args)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .env("PATH", path_with_copylint())
        .current_dir(repo())
        .output()
        .expect("sh runs");
    assert!(
        out.status.success(),
        "{args:?} {env:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Merges the NDJSON in `results` and compares with one run over `examples`.
fn assert_merged_equals_single(results: &Path, shards: usize) {
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(results)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    inputs.sort();
    assert_eq!(inputs.len(), shards, "{inputs:?}");
    let collateral = repo().join("examples");
    let collateral = collateral.to_str().unwrap();
    for format in ["json", "human"] {
        let single = run_in(
            &repo(),
            &["--format", format, "--color", "never", collateral],
            b"",
        );
        let mut args = vec!["merge", "--format", format, "--color", "never"];
        args.extend(inputs.iter().map(|p| p.to_str().unwrap()));
        let merged = run_in(&repo(), &args, b"");
        assert_eq!(merged.code, single.code, "{}", merged.stderr);
        assert_eq!(merged.stdout, single.stdout, "{format}");
    }
}

/// The variables every recipe reads, pointing at the examples and a
/// fresh results folder.
fn env(shards: usize, results: &Path) -> Vec<(&'static str, String)> {
    vec![
        ("SHARDS", shards.to_string()),
        ("COLLATERAL", repo().join("examples").display().to_string()),
        ("RESULTS", results.display().to_string()),
    ]
}

#[test]
fn the_kubernetes_indexed_job_runs_every_shard() {
    let manifest = read("contrib/kubernetes/copylint-job.yaml");
    let docs = YamlLoader::load_from_str(&manifest).unwrap();
    let spec = &docs[0]["spec"];
    assert_eq!(spec["completionMode"].as_str(), Some("Indexed"));
    let completions = spec["completions"].as_i64().unwrap() as usize;
    let container = &spec["template"]["spec"]["containers"][0];
    let vars: Vec<(String, String)> = container["env"]
        .as_vec()
        .unwrap()
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap().to_string();
            (s("name"), s("value"))
        })
        .collect();
    let shards = vars.iter().find(|(k, _)| k == "SHARDS").unwrap();
    assert_eq!(
        shards.1,
        completions.to_string(),
        "SHARDS must equal completions"
    );
    let command: Vec<&str> = container["command"]
        .as_vec()
        .unwrap()
        .iter()
        .chain(container["args"].as_vec().unwrap())
        .map(|y| y.as_str().unwrap())
        .collect();
    let [shell, "-c", script] = command[..] else {
        panic!("not `sh -c SCRIPT`: {command:?}");
    };
    assert_eq!(shell, "sh");
    assert!(matches!(container["args"], Yaml::Array(ref a) if a.len() == 1));
    let results = tempfile::tempdir().unwrap();
    for index in 0..completions {
        let mut env = env(completions, results.path());
        env.push(("JOB_COMPLETION_INDEX", index.to_string()));
        sh(&["-c", script], &env);
    }
    assert_merged_equals_single(results.path(), completions);
}

#[test]
fn the_aws_batch_array_job_runs_every_shard() {
    let results = tempfile::tempdir().unwrap();
    let size = 3;
    for index in 0..size {
        let mut env = env(size, results.path());
        env.push(("AWS_BATCH_JOB_ARRAY_INDEX", index.to_string()));
        sh(&["contrib/aws-batch/copylint-shard.sh"], &env);
    }
    assert_merged_equals_single(results.path(), size);
}

#[test]
#[ignore = "needs GNU parallel (apt-get install parallel)"]
fn gnu_parallel_runs_every_shard_and_merges() {
    let results = tempfile::tempdir().unwrap();
    let out = Command::new("sh")
        .args(["contrib/parallel/copylint-parallel.sh", "--format", "json"])
        .envs(env(4, results.path()))
        .env("PATH", path_with_copylint())
        .current_dir(repo())
        .output()
        .expect("sh runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("parallel: not found"),
        "GNU parallel is missing: {stderr}"
    );
    let single = run_in(
        &repo(),
        &[
            "--format",
            "json",
            repo().join("examples").to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(single.code), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), single.stdout);
    assert_merged_equals_single(results.path(), 4);
}

#[test]
fn the_book_quotes_each_recipe_as_it_is() {
    let book = read("docs/src/integrations.md");
    for file in [
        "contrib/kubernetes/copylint-job.yaml",
        "contrib/aws-batch/copylint-shard.sh",
        "contrib/parallel/copylint-parallel.sh",
    ] {
        let text = read(file);
        assert!(
            book.contains(&text),
            "docs/src/integrations.md does not quote {file} as it is"
        );
    }
}
