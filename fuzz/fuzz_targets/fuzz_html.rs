//! HTML extraction on arbitrary bytes: never panics, and every block maps
//! each of its characters back to a range of the input that lies on char
//! boundaries, inside the text. The tokenizer's pieces come in order, each
//! from bytes after the last one's, and each piece's raw range, read again
//! alone, decodes to that piece. The prefilter, which reads the words
//! inline tags join, never changes the findings.
#![no_main]

use std::sync::OnceLock;

use copylint::source::html::{decode_text, for_each_piece};
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
    source.for_each_block_with(ExtractOptions::default(), &mut |block| {
        for (i, c) in block.text.char_indices() {
            let range = block.source_range(i..i + c.len_utf8());
            assert!(range.start <= range.end && range.end <= text.len(), "{range:?}");
            assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
        }
    });
    let mut end = 0;
    for_each_piece(text, &mut |piece| {
        let raw = piece.raw.clone();
        assert!(end <= raw.start && raw.start < raw.end, "{piece:?} after {end}");
        end = raw.end;
        let Some(written) = text.get(raw.clone()) else {
            panic!("{piece:?} is not on char boundaries");
        };
        // Text written as itself is itself; anything else is what the
        // tokenizer makes of those bytes alone.
        if written != piece.text {
            assert_eq!(decode_text(written), piece.text, "{piece:?} from {written:?}");
        }
    });
    assert_eq!(
        linter().check(&source),
        linter().check_unfiltered(&source),
        "the prefilter skipped a file with findings"
    );
});
