//! Sharded runs and `copylint merge`, through the real binary: the shards
//! of a tree cover every file once, and merging their NDJSON gives the
//! bytes one run over the whole tree writes, in every format.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{Run, corpus, run_in};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The formats compared, as the flags that ask for them.
const FORMATS: &[&[&str]] = &[
    &["--format", "human", "--color", "never"],
    &["--format", "human", "--color", "always"],
    &["--format", "human", "--color", "never", "--summary"],
    &["--format", "human", "--color", "never", "--summary-only"],
    &["--format", "short"],
    &["--format", "json"],
    &["--format", "json", "--summary"],
    &["--format", "ndjson"],
    &["--format", "sarif"],
    &["--format", "github"],
    &["--format", "csv"],
    &["--format", "html"],
];

/// `text` with the run's time replaced: it differs between any two runs.
fn timeless(text: &str) -> String {
    let json = regex::Regex::new(r#""seconds":[0-9.e-]+"#).unwrap();
    let human = regex::Regex::new(r"checked in [0-9.]+ s").unwrap();
    let text = json.replace_all(text, r#""seconds":0"#);
    human.replace_all(&text, "checked in 0 s").into_owned()
}

/// Runs `n` shards of `paths` in `dir` (with `extra` flags), writes their
/// NDJSON beside each other, and returns the outputs' paths.
fn run_shards(dir: &Path, out: &Path, n: u64, args: &[&str]) -> Vec<PathBuf> {
    (1..=n)
        .map(|k| {
            let shard = format!("{k}/{n}");
            let mut all = vec!["--format", "ndjson", "--shard", &shard];
            all.extend_from_slice(args);
            let r = run_in(dir, &all, b"");
            assert!(r.code <= 1, "shard {shard}: {}", r.stderr);
            let path = out.join(format!("shard-{k}-of-{n}.ndjson"));
            std::fs::write(&path, &r.stdout).unwrap();
            path
        })
        .collect()
}

fn merge(dir: &Path, flags: &[&str], inputs: &[PathBuf]) -> Run {
    let mut all: Vec<&str> = vec!["merge"];
    all.extend_from_slice(flags);
    all.extend(inputs.iter().map(|p| p.to_str().unwrap()));
    run_in(dir, &all, b"")
}

/// Every format merged from `n` shards equals the single run, bytes,
/// standard error and exit status.
fn merged_equals_single(dir: &Path, args: &[&str], shard_counts: &[u64]) {
    let out = tempfile::tempdir().unwrap();
    let singles: Vec<Run> = FORMATS
        .iter()
        .map(|flags| {
            let mut all = flags.to_vec();
            all.extend_from_slice(args);
            run_in(dir, &all, b"")
        })
        .collect();
    let json = &singles[5].stdout;
    assert!(
        json.starts_with("{\"version\":1,\"diagnostics\":[{"),
        "no findings to compare: {json}"
    );
    for &n in shard_counts {
        let inputs = run_shards(dir, out.path(), n, args);
        for (flags, single) in FORMATS.iter().zip(&singles) {
            // The shards are given in any order.
            let mut inputs = inputs.clone();
            inputs.reverse();
            let merged = merge(dir, flags, &inputs);
            assert_eq!(
                merged.code, single.code,
                "{n} shards, {flags:?}: {}",
                merged.stderr
            );
            assert_eq!(merged.stderr, single.stderr, "{n} shards, {flags:?}");
            assert!(
                timeless(&merged.stdout) == timeless(&single.stdout),
                "{n} shards, {flags:?}: merged output differs\n--- single\n{}\n--- merged\n{}",
                single.stdout,
                merged.stdout
            );
        }
    }
}

#[test]
fn merged_shards_of_the_examples_equal_one_run_in_every_format() {
    merged_equals_single(&repo(), &["examples"], &[1, 2, 3, 7]);
}

#[test]
fn merged_shards_keep_notices_skips_and_min_severity() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir_all(docs.join("sub")).unwrap();
    std::fs::write(docs.join("binary.md"), b"\0\x01 enables access to").unwrap();
    std::fs::write(
        docs.join("latin1.txt"),
        b"Caf\xe9: it enables access to ChatGPT.\n",
    )
    .unwrap();
    std::fs::write(
        docs.join("sub/unknown.md"),
        "<!-- copylint-disable-next-line no-such-rule -->\nWe met the OpenAI team.\n",
    )
    .unwrap();
    for i in 0..12 {
        std::fs::write(
            docs.join(format!("sub/page-{i}.md")),
            "The SRE calls on ChatGPT.\n\nWe met the OpenAI team.\n",
        )
        .unwrap();
    }
    std::fs::write(docs.join("clean.md"), "Nothing to see.\n").unwrap();
    merged_equals_single(dir.path(), &["--no-config", "docs"], &[2, 5]);
    let min = ["--no-config", "--min-severity", "error", "docs"];
    merged_equals_single(dir.path(), &min, &[3]);
}

#[test]
#[ignore = "needs the shared corpus (../shared/corpus or $COPYLINT_CORPUS)"]
fn merged_shards_of_a_corpus_subset_equal_one_run() {
    // A copy of a subset, in nested folders as the corpus has them.
    let mut files = Vec::new();
    collect(&corpus(), &mut files);
    files.sort();
    let dir = tempfile::tempdir().unwrap();
    let root = corpus();
    for f in files.iter().step_by(files.len() / 150 + 1) {
        let to = dir.path().join("copy").join(f.strip_prefix(&root).unwrap());
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(f, to).unwrap();
    }
    merged_equals_single(dir.path(), &["--no-config", "copy"], &[4]);
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|x| x == "md") {
            out.push(path);
        }
    }
}

/// A tree where every file has a finding, so that a shard's output names
/// every file it checked.
fn tree(root: &Path, count: usize) -> Vec<String> {
    (0..count)
        .map(|i| {
            let rel = format!("d{}/s{}/page {i}.md", i % 4, i % 3);
            let path = root.join(&rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "It calls on ChatGPT.\n").unwrap();
            rel
        })
        .collect()
}

/// The paths of the findings of an NDJSON output.
fn paths_in(ndjson: &str) -> Vec<String> {
    ndjson
        .lines()
        .filter_map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["path"].as_str().map(str::to_string)
        })
        .collect()
}

/// Which shard of `n` checked each file, running in `dir` with `args`.
fn assignment(dir: &Path, n: u64, args: &[&str], strip: &str) -> BTreeMap<String, u64> {
    let mut owner = BTreeMap::new();
    for k in 1..=n {
        let shard = format!("{k}/{n}");
        let mut all = vec!["--no-config", "--format", "ndjson", "--shard", &shard];
        all.extend_from_slice(args);
        let r = run_in(dir, &all, b"");
        assert!(r.code <= 1, "{}", r.stderr);
        for p in paths_in(&r.stdout) {
            let p = p.strip_prefix(strip).unwrap_or(&p).to_string();
            let before = owner.insert(p.clone(), k);
            assert_eq!(before, None, "{p} is in shards {before:?} and {k} of {n}");
        }
    }
    owner
}

#[test]
fn shards_cover_every_file_exactly_once_in_any_order_and_place() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let files = tree(&a.path().join("tree"), 60);
    tree(&b.path().join("elsewhere/mounted"), 60);
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for n in [1, 2, 3, 4, 7, 16] {
        let walked = assignment(a.path(), n, &["tree"], "tree/");
        assert_eq!(walked.keys().cloned().collect::<Vec<_>>(), {
            let mut f = files.clone();
            f.sort();
            f
        });
        if n > 1 {
            assert!(
                walked
                    .values()
                    .collect::<std::collections::BTreeSet<_>>()
                    .len()
                    > 1,
                "{n} shards: every file in one shard"
            );
        }
        // The same tree elsewhere, named by an absolute path: the same shards.
        let root = b.path().join("elsewhere/mounted");
        let abs = root.to_str().unwrap().to_string();
        let moved = assignment(b.path(), n, &[&abs], &format!("{abs}/"));
        assert_eq!(moved, walked, "{n} shards, the tree at another place");
        // Listed files, in shuffled orders: each file once, and always the
        // same shard (a listed file's key is its path as listed).
        let mut listed: Option<BTreeMap<String, u64>> = None;
        for _ in 0..3 {
            let mut order: Vec<String> = files.iter().map(|f| format!("tree/{f}")).collect();
            for i in (1..order.len()).rev() {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                order.swap(i, (seed % (i as u64 + 1)) as usize);
            }
            std::fs::write(a.path().join("list.txt"), order.join("\n")).unwrap();
            let got = assignment(a.path(), n, &["--files-from", "list.txt"], "tree/");
            assert_eq!(got.len(), files.len(), "{n} shards, listed");
            if let Some(before) = &listed {
                assert_eq!(&got, before, "{n} shards: the order of the list matters");
            }
            listed = Some(got);
        }
    }
}

#[test]
fn bad_shards_are_usage_errors_with_a_hint() {
    for (bad, says) in [
        ("0/4", "count from 1"),
        ("5/4", "between 1 and 4"),
        ("x", "write K/N"),
        ("1/0", "at least 1"),
    ] {
        let r = run_in(&repo(), &["--shard", bad, "examples"], b"");
        assert_eq!(r.code, 2, "{bad}");
        assert!(
            r.stderr.contains("--shard") && r.stderr.contains(says),
            "{bad}: {}",
            r.stderr
        );
        assert_eq!(r.stdout, "");
    }
    let r = run_in(&repo(), &["--shard", "1/2", "-"], b"text");
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("--shard cannot split standard input"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("hint:"), "{}", r.stderr);
}

/// Three shards of the examples, and the folder they are in.
fn three_shards() -> (tempfile::TempDir, Vec<PathBuf>) {
    let out = tempfile::tempdir().unwrap();
    let inputs = run_shards(&repo(), out.path(), 3, &["examples"]);
    (out, inputs)
}

fn merge_fails(inputs: &[PathBuf], says: &str) {
    let r = merge(&repo(), &[], inputs);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains(says), "wanted {says:?} in: {}", r.stderr);
    assert_eq!(r.stdout, "", "nothing is written on an error");
}

#[test]
fn merge_rejects_missing_repeated_and_mismatched_shards() {
    let (out, inputs) = three_shards();
    merge_fails(&inputs[..2], "shard 3/3 is missing");
    let mut twice = inputs.clone();
    twice.push(inputs[1].clone());
    merge_fails(&twice, "shard 2/3 is given twice");
    let other = run_shards(&repo(), out.path(), 2, &["examples"]);
    let mixed = [inputs[0].clone(), inputs[1].clone(), other[1].clone()];
    merge_fails(&mixed, "is not one of 3 shards");
    let single = out.path().join("single.ndjson");
    let r = run_in(&repo(), &["--format", "ndjson", "examples"], b"");
    std::fs::write(&single, r.stdout).unwrap();
    merge_fails(&[single.clone(), inputs[0].clone()], "is a shard, but");
    merge_fails(&[single.clone(), single], "also in");
    // Shards checked with another policy.
    let policy = repo().join("examples/policies/northwind-health.toml");
    let elsewhere = tempfile::tempdir().unwrap();
    let k = run_shards(
        &repo(),
        elsewhere.path(),
        3,
        &[
            "--no-default-policy",
            "--policy",
            policy.to_str().unwrap(),
            "examples",
        ],
    );
    let mixed = [inputs[0].clone(), k[1].clone(), inputs[2].clone()];
    merge_fails(&mixed, "other policies");
    // And a merge that loads other policies than the shards used.
    let r = merge(
        &repo(),
        &["--no-default-policy", "--policy", policy.to_str().unwrap()],
        &inputs,
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("other policies") && r.stderr.contains("hint:"),
        "{}",
        r.stderr
    );
}

#[test]
fn merge_names_the_file_and_line_of_a_truncated_or_corrupt_output() {
    let (out, inputs) = three_shards();
    let text = std::fs::read_to_string(&inputs[1]).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() > 3, "{text}");
    // Cut before the summary: truncated.
    let cut = out.path().join("cut.ndjson");
    std::fs::write(&cut, lines[..lines.len() - 2].join("\n")).unwrap();
    let r = merge(
        &repo(),
        &[],
        &[inputs[0].clone(), cut.clone(), inputs[2].clone()],
    );
    assert_eq!(r.code, 2);
    let name = cut.display().to_string();
    assert!(
        r.stderr.contains(&name) && r.stderr.contains("truncated"),
        "{}",
        r.stderr
    );
    // Cut inside a line: not JSON, at that line.
    let half = out.path().join("half.ndjson");
    let broken = format!("{}\n{}", lines[0], &lines[1][..lines[1].len() / 2]);
    std::fs::write(&half, broken).unwrap();
    let r = merge(
        &repo(),
        &[],
        &[inputs[0].clone(), half.clone(), inputs[2].clone()],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains(&format!("{}:2: not JSON", half.display())),
        "{}",
        r.stderr
    );
    // A line of something else.
    let other = out.path().join("other.ndjson");
    std::fs::write(
        &other,
        format!("{}\n{{\"hello\":1}}\n{}", lines[0], lines[1..].join("\n")),
    )
    .unwrap();
    let r = merge(
        &repo(),
        &[],
        &[inputs[0].clone(), other.clone(), inputs[2].clone()],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains(&format!("{}:2: not a diagnostic", other.display())),
        "{}",
        r.stderr
    );
    // A missing file.
    let r = merge(&repo(), &[], &[out.path().join("absent.ndjson")]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("absent.ndjson"), "{}", r.stderr);
}

#[test]
fn merge_exit_status_follows_fail_on() {
    let (_out, inputs) = three_shards();
    let single = run_in(&repo(), &["examples"], b"");
    assert_eq!(merge(&repo(), &[], &inputs).code, single.code);
    assert_eq!(single.code, 1);
    assert_eq!(merge(&repo(), &["--fail-on", "never"], &inputs).code, 0);
    let r = merge(&repo(), &["--fail-on", "info", "--quiet"], &inputs);
    assert_eq!(r.code, 1);
}
