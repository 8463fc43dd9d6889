//! What an editor waits for after a keystroke: one 100 KB Markdown
//! document checked from scratch, as the language server re-checks the
//! unsaved text after a change.
//!
//! The document is the Markdown of `examples/collateral/` (which has
//! findings)
//! repeated to 100 KB. Run with `cargo bench --bench edit`; the target is
//! at most 10 ms per check.

use std::sync::LazyLock;

use copylint::{Format, Linter, Policy, Source};
use divan::counter::BytesCount;

static LINTER: LazyLock<Linter> = LazyLock::new(|| {
    Linter::new(vec![Policy::default_policy()]).expect("the default policy compiles")
});

static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
    fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir)
            .expect("examples/ is readable")
            .flatten()
        {
            let path = entry.path();
            if path.is_dir() {
                collect(&path, out);
            } else if path.extension().is_some_and(|x| x == "md") {
                out.push(path);
            }
        }
    }
    let mut pages = Vec::new();
    collect(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/collateral"),
        &mut pages,
    );
    pages.sort();
    let mut doc = String::new();
    while doc.len() < 100 * 1024 {
        for page in &pages {
            doc.push_str(&std::fs::read_to_string(page).expect("readable"));
            doc.push('\n');
        }
    }
    doc
});

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 50)]
fn recheck_100kb_markdown(bencher: divan::Bencher) {
    let text = DOCUMENT.as_str();
    bencher.counter(BytesCount::new(text.len())).bench(|| {
        let source = Source::new("page.md", text, Format::Markdown);
        let findings = LINTER.check(&source);
        assert!(!findings.is_empty());
        findings
    });
}
