//! Plain-text extraction.
//!
//! Blocks are separated by blank lines (lines holding only whitespace); a
//! single line break inside a block is a space, through normalization.

use super::normalize::{Block, BlockBuilder};

/// Calls `f` with each block of `text`.
pub fn extract(text: &str, f: &mut dyn FnMut(&Block)) {
    let mut builder = BlockBuilder::default();
    let mut offset = 0;
    for line in text.split_inclusive(['\n', '\r']) {
        let start = offset;
        offset += line.len();
        if line.trim().is_empty() {
            // A lone "\n" right after "\r" is the second half of CRLF.
            if line == "\n" && text.as_bytes().get(start.wrapping_sub(1)) == Some(&b'\r') {
                continue;
            }
            if let Some(block) = builder.finish() {
                f(block);
            }
            continue;
        }
        builder.push_str(line, start);
    }
    if let Some(block) = builder.finish() {
        f(block);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        extract(text, &mut |b| out.push(b.text.clone()));
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
    fn crlf_is_one_line_break() {
        assert_eq!(blocks("a\r\nb\r\n\r\nc"), ["a b", "c"]);
        assert_eq!(blocks("a\rb\r\rc"), ["a b", "c"]);
    }
}
