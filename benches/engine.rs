//! Engine throughput over the real corpus, in bytes per second.
//!
//! The corpus is `../shared/corpus` relative to the crate (every `*.md`
//! file except the corpus's own top-level `SOURCES.md`); set
//! `COPYLINT_BENCH_CORPUS` to use another folder. Every file is read and
//! turned into a [`Source`] once, before anything is timed; each benchmark
//! iteration then processes the whole corpus, single-threaded:
//!
//! - `extract_markdown`: `Source::blocks()` alone (pulldown-cmark, front
//!   matter, normalization and the source map);
//! - `check_markdown`: `Linter::check` on the Markdown sources (prefilter,
//!   extraction, automaton, resolution, findings);
//! - `check_text`: `Linter::check` on the same text read as `Format::Text`;
//! - `prefilter`: `Linter::may_match` on the raw bytes alone.
//!
//! Run with `cargo bench --bench engine`. Sample settings keep the whole
//! run under about a minute on a 2-core machine.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use copylint::{Format, Linter, Policy, Source};
use divan::Bencher;
use divan::counter::BytesCount;

/// Samples per benchmark; one corpus pass per sample.
const SAMPLES: u32 = 25;

struct Corpus {
    markdown: Vec<Source>,
    text: Vec<Source>,
    bytes: usize,
}

fn corpus_dir() -> PathBuf {
    match std::env::var_os("COPYLINT_BENCH_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
    }
}

fn collect(dir: &Path, root: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            collect(&path, root, out)?;
        } else if path.extension().is_some_and(|e| e == "md")
            && !(dir == root && entry.file_name() == "SOURCES.md")
        {
            out.push(path);
        }
    }
    Ok(())
}

fn load(dir: &Path) -> std::io::Result<Corpus> {
    let mut paths = Vec::new();
    collect(dir, dir, &mut paths)?;
    paths.sort();
    let mut markdown = Vec::with_capacity(paths.len());
    let mut text = Vec::with_capacity(paths.len());
    let mut bytes = 0;
    for path in &paths {
        let data = std::fs::read(path)?;
        bytes += data.len();
        let name = path.to_string_lossy().into_owned();
        let source = Source::from_bytes(name.clone(), data, Format::Markdown);
        text.push(Source::new(name, source.text(), Format::Text));
        markdown.push(source);
    }
    Ok(Corpus {
        markdown,
        text,
        bytes,
    })
}

static CORPUS: LazyLock<Corpus> = LazyLock::new(|| {
    let dir = corpus_dir();
    load(&dir).unwrap_or_else(|e| panic!("cannot read corpus {}: {e}", dir.display()))
});

static LINTER: LazyLock<Linter> = LazyLock::new(|| {
    Linter::new(vec![Policy::default_policy()]).expect("the default policy compiles")
});

fn main() {
    let dir = corpus_dir();
    if !dir.is_dir() {
        println!(
            "engine bench skipped: corpus {} not found (set COPYLINT_BENCH_CORPUS to a folder of .md files)",
            dir.display()
        );
        return;
    }
    // Load and compile before divan starts timing anything.
    let corpus = &*CORPUS;
    let linter = &*LINTER;
    if corpus.markdown.is_empty() {
        println!("engine bench skipped: no .md files under {}", dir.display());
        return;
    }
    let findings: usize = corpus.markdown.iter().map(|s| linter.check(s).len()).sum();
    let passing = corpus
        .markdown
        .iter()
        .filter(|s| linter.may_match(s))
        .count();
    println!(
        "corpus: {} ({} files, {} bytes); {} findings; {} files pass the prefilter",
        dir.display(),
        corpus.markdown.len(),
        corpus.bytes,
        findings,
        passing
    );
    divan::Divan::from_args()
        .sample_count(SAMPLES)
        .sample_size(1)
        .main();
}

#[divan::bench]
fn extract_markdown(bencher: Bencher) {
    let corpus = &*CORPUS;
    bencher.counter(BytesCount::new(corpus.bytes)).bench(|| {
        let mut blocks = 0;
        for source in &corpus.markdown {
            blocks += divan::black_box(source).blocks().len();
        }
        blocks
    });
}

#[divan::bench]
fn check_markdown(bencher: Bencher) {
    let (corpus, linter) = (&*CORPUS, &*LINTER);
    bencher.counter(BytesCount::new(corpus.bytes)).bench(|| {
        let mut findings = 0;
        for source in &corpus.markdown {
            findings += linter.check(divan::black_box(source)).len();
        }
        findings
    });
}

#[divan::bench]
fn check_text(bencher: Bencher) {
    let (corpus, linter) = (&*CORPUS, &*LINTER);
    bencher.counter(BytesCount::new(corpus.bytes)).bench(|| {
        let mut findings = 0;
        for source in &corpus.text {
            findings += linter.check(divan::black_box(source)).len();
        }
        findings
    });
}

#[divan::bench]
fn prefilter(bencher: Bencher) {
    let (corpus, linter) = (&*CORPUS, &*LINTER);
    bencher.counter(BytesCount::new(corpus.bytes)).bench(|| {
        let mut passing = 0;
        for source in &corpus.markdown {
            passing += usize::from(linter.may_match(divan::black_box(source)));
        }
        passing
    });
}

/// The claim dev set's texts (the tuning batches) as one Markdown file:
/// sentences that hold policy names, which is all the language layer
/// reads.
static NAMED: LazyLock<Source> = LazyLock::new(|| {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/claims");
    let mut text = String::new();
    for half in ["tune.jsonl", "tune-extra.jsonl", "tune-extra2.jsonl"] {
        let lines = std::fs::read_to_string(dir.join(half)).expect("the dev set");
        for line in lines.lines().filter(|l| !l.trim().is_empty()) {
            let item: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            text.push_str(item["text"].as_str().unwrap_or_default());
            text.push_str("\n\n");
        }
    }
    Source::new("named.md", text, Format::Markdown)
});

/// The same policy with its claim rules turned off.
static NO_CLAIMS: LazyLock<Linter> = LazyLock::new(|| {
    let policy = Policy::default_policy();
    let off = policy
        .rules
        .iter()
        .filter(|r| r.claim.is_some())
        .map(|r| (r.id.to_string(), None))
        .collect();
    Linter::with_overrides(vec![policy], &off).expect("the default policy compiles")
});

/// Text whose every paragraph names OpenAI or a model, with the claim
/// rules (`claims_on`) and without them (`claims_off`): the difference is
/// the language layer's cost.
#[divan::bench]
fn claims_on(bencher: Bencher) {
    let (source, linter) = (&*NAMED, &*LINTER);
    bencher
        .counter(BytesCount::new(source.text().len()))
        .bench(|| linter.check(divan::black_box(source)).len());
}

#[divan::bench]
fn claims_off(bencher: Bencher) {
    let (source, linter) = (&*NAMED, &*NO_CLAIMS);
    bencher
        .counter(BytesCount::new(source.text().len()))
        .bench(|| linter.check(divan::black_box(source)).len());
}
