//! JSX pieces the MDX scanner needs: where a `{…}` expression ends, and
//! which attribute values of a tag are copy (the quoted strings of `alt`
//! and `title`, as in HTML).
//!
//! Like [`super::mdx`], a scanner over bytes, not a JavaScript parser.

use std::ops::Range;

/// The spans, inside their quotes, of the string values of the `alt` and
/// `title` attributes of the JSX tag at `text[tag]` (as [`super::mdx::mask_tags`]
/// found it). Expressions are skipped whole, strings in them included.
pub fn copy_attributes(text: &str, tag: Range<usize>) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let end = tag.end.min(bytes.len());
    let mut found = Vec::new();
    // The last attribute name, and whether `=` followed it.
    let mut name: &[u8] = b"";
    let mut assigned = false;
    let mut p = tag.start + 1;
    while p < end {
        match bytes[p] {
            b'{' => {
                p = expression_end(bytes, p).unwrap_or(end);
                name = b"";
            }
            q @ (b'"' | b'\'') => {
                let close = memchr::memchr(q, &bytes[p + 1..end]).map_or(end, |i| p + 1 + i);
                if assigned && matches!(name, b"alt" | b"title") {
                    found.push(p + 1..close);
                }
                name = b"";
                p = close + 1;
            }
            b'=' => {
                assigned = !name.is_empty();
                p += 1;
            }
            b if b.is_ascii_whitespace() => p += 1,
            b if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'$' | b'.') => {
                let start = p;
                while p < end
                    && (bytes[p].is_ascii_alphanumeric()
                        || matches!(bytes[p], b'-' | b'_' | b':' | b'$' | b'.'))
                {
                    p += 1;
                }
                name = &bytes[start..p];
                assigned = false;
            }
            _ => {
                name = b"";
                p += 1;
            }
        }
    }
    found
}

/// End (exclusive) of the `{…}` expression opening at `k`, if it closes.
pub(super) fn expression_end(bytes: &[u8], k: usize) -> Option<usize> {
    #[derive(PartialEq)]
    enum Ctx {
        Brace,
        Template,
    }
    let mut stack = vec![Ctx::Brace];
    let mut p = k + 1;
    while p < bytes.len() {
        let b = bytes[p];
        if stack.last() == Some(&Ctx::Template) {
            match b {
                b'\\' => p += 1,
                b'`' => {
                    stack.pop();
                }
                b'$' if bytes.get(p + 1) == Some(&b'{') => {
                    stack.push(Ctx::Brace);
                    p += 1;
                }
                _ => {}
            }
            p += 1;
            continue;
        }
        match b {
            b'{' => stack.push(Ctx::Brace),
            b'}' => {
                stack.pop();
                if stack.is_empty() {
                    return Some(p + 1);
                }
            }
            b'`' => stack.push(Ctx::Template),
            b'\'' | b'"' => {
                // To the closing quote or the end of the line.
                p += 1;
                while p < bytes.len() && !matches!(bytes[p], b'\n' | b'\r') && bytes[p] != b {
                    p += if bytes[p] == b'\\' { 2 } else { 1 };
                }
                if p >= bytes.len() {
                    return None;
                }
            }
            b'/' if bytes.get(p + 1) == Some(&b'*') => {
                p += 2 + memchr::memmem::find(&bytes[p + 2..], b"*/")? + 1;
            }
            b'/' if bytes.get(p + 1) == Some(&b'/') => {
                p = memchr::memchr2(b'\n', b'\r', &bytes[p..]).map_or(bytes.len(), |i| p + i);
                continue;
            }
            _ => {}
        }
        p += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::mdx::mask_tags;

    #[test]
    fn alt_and_title_strings_of_masked_tags() {
        let text = "A <Card title = \"One\" alt={'no'} data-title=\"no\" titles='no' alt='Two'>x</Card> \
                    <img\n  title={`no ${\"no\"}`}\n  alt=\"Three\" />\n\n```\n<b title=\"no\">\n```\n";
        let (_, tags) = mask_tags(text);
        let values: Vec<&str> = tags
            .into_iter()
            .flat_map(|tag| copy_attributes(text, tag))
            .map(|r| &text[r])
            .collect();
        assert_eq!(values, ["One", "Two", "Three"]);
    }
}
