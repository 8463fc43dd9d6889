//! Plain-text extraction.
//!
//! Blocks are separated by blank lines (lines holding only whitespace); a
//! single line break inside a block is a space, through normalization.

use super::Scope;
use super::normalize::{Block, BlockBuilder};

/// Calls `f` with each block of `text` that starts in `scope`; the others
/// are never normalized.
pub fn extract_where(text: &str, scope: Scope, f: &mut dyn FnMut(&Block)) {
    let mut builder = BlockBuilder::default();
    // The raw lines of the block being read.
    let mut block = 0..0;
    let mut flush = |block: &mut std::ops::Range<usize>, builder: &mut BlockBuilder| {
        if block.start < block.end && scope.keeps(block.start) {
            let mut offset = block.start;
            for line in text[block.clone()].split_inclusive(['\n', '\r']) {
                if !line.trim().is_empty() {
                    builder.push_str(line, offset);
                }
                offset += line.len();
            }
            if let Some(b) = builder.finish() {
                f(b);
            }
        }
        *block = block.end..block.end;
    };
    let mut offset = 0;
    for line in text.split_inclusive(['\n', '\r']) {
        let start = offset;
        offset += line.len();
        if line.trim().is_empty() {
            // A lone "\n" right after "\r" is the second half of CRLF.
            if line == "\n" && text.as_bytes().get(start.wrapping_sub(1)) == Some(&b'\r') {
                continue;
            }
            flush(&mut block, &mut builder);
            block = offset..offset;
            continue;
        }
        if block.start == block.end {
            block.start = start;
        }
        block.end = offset;
    }
    flush(&mut block, &mut builder);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        extract_where(text, Scope::ALL, &mut |b| out.push(b.text.clone()));
        out
    }

    #[test]
    fn blank_lines_separate_blocks() {
        assert_eq!(
            blocks("Enables\naccess to\n\n \t\nNext one.\r\n\r\nThird"),
            ["enables access to", "next one.", "third"]
        );
    }

    #[test]
    fn blocks_outside_the_scope_are_not_built() {
        let mut out = Vec::new();
        let text = "Keep this\none.\n\nDrop that.\n\n\r\nKeep too.";
        extract_where(text, Scope::only(&[0..15, 30..39]), &mut |b| {
            out.push((b.text.clone(), b.source_range(0..b.text.len())));
        });
        assert_eq!(
            out,
            [
                ("keep this one.".to_string(), 0..14),
                ("keep too.".to_string(), 30..39)
            ]
        );
    }

    #[test]
    fn crlf_is_one_line_break() {
        assert_eq!(blocks("a\r\nb\r\n\r\nc"), ["a b", "c"]);
        assert_eq!(blocks("a\rb\r\rc"), ["a b", "c"]);
    }
}
