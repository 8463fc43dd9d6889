//! Case as written: for rules that match case-sensitively.
//!
//! The automaton matches lower-cased text. A case-sensitive phrase keeps
//! its written form; a match counts when every letter of that form has the
//! case of the source letter that produced it, found through the block's
//! source map.

use crate::policy::VERSION;
use crate::source::Block;

use super::version;

/// The character that produced normalized byte `norm` of `block`, as a
/// reader sees it: a reference's or escape's decoded character, else the
/// source character.
pub fn source_char(block: &Block, source: &str, norm: usize) -> Option<char> {
    if let Some(c) = block.decoded_char(norm) {
        return Some(c);
    }
    source
        .get(block.source_range(norm..norm).start..)?
        .chars()
        .next()
}

/// Whether the match starting at normalized byte `start` of `block` has the
/// case of `form`, a phrase normalized with its case kept. A letter that
/// came from a reference or escape is compared as decoded.
pub fn matches(form: &str, block: &Block, source: &str, start: usize) -> bool {
    let text = block.text.as_str();
    let mut at = start;
    for want in form.chars() {
        if want == VERSION {
            // The automaton matched the first digit: read past the version.
            if !text.as_bytes().get(at).is_some_and(u8::is_ascii_digit) {
                return false;
            }
            at = version::end(text, at + 1);
            continue;
        }
        let Some(got) = text[at..].chars().next() else {
            return false;
        };
        if want.is_alphabetic()
            && let Some(written) = source_char(block, source, at)
            && written.is_alphabetic()
            && written.is_uppercase() != want.is_uppercase()
        {
            return false;
        }
        at += got.len_utf8();
    }
    true
}
