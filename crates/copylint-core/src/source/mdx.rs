//! MDX: Markdown plus ESM and JSX, masked down to Markdown.
//!
//! [`mask`] blanks what is not prose so the Markdown extractor can read the
//! rest: top-level `import`/`export` statements, `{…}` expressions and JSX
//! tags with their attributes. Text between tags is kept, so element text
//! is checked as prose. Masking replaces every byte with a space except
//! `\n` and `\r`, so the result has the same length, lines and offsets as
//! the input. Fenced code blocks, inline code spans, backslash escapes and
//! YAML front matter are left untouched.
//!
//! MDX has no indented code blocks, but a masked tag or a `{…}` before text
//! leaves spaces a CommonMark parser would read as indentation: a line like
//! `<Note>Text</Note>` after a blank line masks to an indented code block.
//! The extractor must read indented code as prose in MDX.
//!
//! The quoted string values of a JSX tag's `alt` and `title` attributes are
//! copy, as in HTML: [`mask_tags`] also returns the masked tags, and
//! [`copy_attributes`] (in [`super::jsx`]) finds those values in a tag, each read as a block of
//! its own. Values written as expressions (`title={…}`) are not.
//!
//! This is a scanner, not a JavaScript parser. Its limits:
//! - ESM starts at column 0 of a line that does not continue a paragraph
//!   (the first line, or one after a blank line or another statement), with
//!   `import` or `export` and a blank. It ends on the first line where
//!   brackets are balanced and that does not end with `,`, `{` or `(`, and
//!   at the latest before a blank line (MDX's own rule, which keeps the scan
//!   linear). Strings are assumed not to span lines there.
//! - In expressions, `'…'` and `"…"` strings end at their quote or at the
//!   end of the line; template strings, `${…}`, `/* */` and `//` comments
//!   are understood; regular expression literals and an apostrophe in JSX
//!   text inside an expression are not.
//! - A tag is `<` then a letter, `_`, `$`, `/` or `>`, up to the first `>`
//!   outside quotes and `{…}`, within its paragraph; HTML comments (`<!--`)
//!   are left as they are. A `<` that does not close is text, and so are
//!   the later ones of its paragraph (this keeps the scan linear).
//! - Fences are recognized after blanks and `>` quote markers, not after
//!   list markers. An expression left open to the end of the text is not
//!   masked, and neither is any later one (invalid MDX; this keeps the scan
//!   linear).

use std::collections::HashMap;
use std::ops::Range;

pub use super::jsx::copy_attributes;
use super::jsx::expression_end;

/// A copy of `text` with what is not prose replaced by spaces, or `None`
/// when nothing needs masking.
pub fn mask(text: &str) -> Option<String> {
    mask_tags(text).0
}

/// [`mask`], and the spans of the JSX tags it masked, in order.
pub fn mask_tags(text: &str) -> (Option<String>, Vec<Range<usize>>) {
    let bytes = text.as_bytes();
    let keywords = memchr::memmem::find(bytes, b"import").is_some()
        || memchr::memmem::find(bytes, b"export").is_some();
    if !keywords && memchr::memchr2(b'{', b'<', bytes).is_none() {
        return (None, Vec::new());
    }
    let mut masker = Masker {
        bytes,
        out: None,
        expressions_off: false,
        tags_off_until: 0,
        no_closer: HashMap::new(),
        paragraph: (0, 0),
        tags: Vec::new(),
    };
    masker.run();
    // Masked ranges start and end at ASCII bytes and every byte inside
    // becomes a space, so the result is always UTF-8.
    let out = masker.out.and_then(|out| String::from_utf8(out).ok());
    (out, masker.tags)
}

struct Masker<'a> {
    bytes: &'a [u8],
    out: Option<Vec<u8>>,
    /// An expression ran unclosed to the end: later `{` are text.
    expressions_off: bool,
    /// A tag did not close within its paragraph: `<` before here are text.
    tags_off_until: usize,
    /// Backtick run length → end of the paragraph before which no closing
    /// run of that length exists.
    no_closer: HashMap<usize, usize>,
    /// Cached (from, end) of the paragraph holding `from`.
    paragraph: (usize, usize),
    /// The tags masked so far.
    tags: Vec<Range<usize>>,
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|&b| b == b' ' || b == b'\t')
}

/// Leading blanks and `>` block quote markers of a line stripped.
fn strip_containers(line: &[u8]) -> &[u8] {
    let mut i = 0;
    while i < line.len() && matches!(line[i], b' ' | b'\t' | b'>') {
        i += 1;
    }
    &line[i..]
}

/// The fence character and length if `line` opens a code fence.
fn fence_open(line: &[u8]) -> Option<(u8, usize)> {
    let line = strip_containers(line);
    let ch = *line.first().filter(|&&c| c == b'`' || c == b'~')?;
    let n = line.iter().take_while(|&&c| c == ch).count();
    let info_ok = ch == b'~' || !line[n..].contains(&b'`');
    (n >= 3 && info_ok).then_some((ch, n))
}

fn fence_closes(line: &[u8], ch: u8, n: usize) -> bool {
    let line = strip_containers(line);
    let run = line.iter().take_while(|&&c| c == ch).count();
    run >= n && is_blank(&line[run..])
}

fn is_esm_start(line: &[u8]) -> bool {
    (line.starts_with(b"import") || line.starts_with(b"export"))
        && matches!(line.get(6), Some(b' ' | b'\t'))
}

impl Masker<'_> {
    fn line_end(&self, from: usize) -> usize {
        memchr::memchr2(b'\n', b'\r', &self.bytes[from..]).map_or(self.bytes.len(), |i| from + i)
    }

    /// Start of the line after the one ending at `end`.
    fn next_line(&self, end: usize) -> usize {
        match self.bytes.get(end) {
            Some(b'\r') if self.bytes.get(end + 1) == Some(&b'\n') => end + 2,
            Some(_) => end + 1,
            None => end,
        }
    }

    fn mask(&mut self, from: usize, to: usize) {
        let out = self.out.get_or_insert_with(|| self.bytes.to_vec());
        for b in &mut out[from..to] {
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
    }

    /// Start of the first line after YAML front matter, else 0.
    fn front_matter_end(&self) -> usize {
        let first = self.line_end(0);
        if self.bytes[..first].trim_ascii_end() != b"---" {
            return 0;
        }
        let mut i = self.next_line(first);
        while i < self.bytes.len() {
            let end = self.line_end(i);
            let line = self.bytes[i..end].trim_ascii_end();
            if line == b"---" || line == b"..." {
                return self.next_line(end);
            }
            i = self.next_line(end);
        }
        0
    }

    fn run(&mut self) {
        let len = self.bytes.len();
        let mut i = self.front_matter_end();
        let mut fence: Option<(u8, usize)> = None;
        // Whether a statement may start here: not inside a paragraph.
        let mut esm_ok = true;
        while i < len {
            let end = self.line_end(i);
            let line = &self.bytes[i..end];
            if let Some((ch, n)) = fence {
                if fence_closes(line, ch, n) {
                    fence = None;
                }
                esm_ok = false;
                i = self.next_line(end);
            } else if let Some(open) = fence_open(line) {
                fence = Some(open);
                esm_ok = false;
                i = self.next_line(end);
            } else if esm_ok && is_esm_start(line) {
                let stop = self.esm_end(i);
                self.mask(i, stop);
                i = self.next_line(stop);
            } else {
                esm_ok = is_blank(line);
                let stop = self.inline(i, end);
                i = self.next_line(stop);
            }
        }
    }

    /// End of the last line of the ESM statement starting at line `start`:
    /// the first line that ends the statement, or the last before a blank.
    fn esm_end(&self, start: usize) -> usize {
        let mut depth: i64 = 0;
        let mut i = start;
        let mut last_end = start;
        while i < self.bytes.len() {
            let end = self.line_end(i);
            let line = &self.bytes[i..end];
            if is_blank(line) {
                break;
            }
            last_end = end;
            depth += bracket_balance(line);
            let last = line.trim_ascii_end().last();
            if depth <= 0 && !matches!(last, Some(b',' | b'{' | b'(')) {
                break;
            }
            i = self.next_line(end);
        }
        last_end
    }

    /// Masks inline constructs from `i` to the end of the line at `end`,
    /// following constructs onto later lines; returns the end of the line
    /// where scanning stopped.
    fn inline(&mut self, mut i: usize, mut end: usize) -> usize {
        while let Some(k) = self.bytes[i..end]
            .iter()
            .position(|b| matches!(b, b'{' | b'<' | b'`' | b'\\'))
            .map(|k| i + k)
        {
            i = k + 1;
            match self.bytes[k] {
                b'\\' if self.bytes.get(k + 1).is_some_and(u8::is_ascii_punctuation) => {
                    i = (k + 2).min(end);
                }
                b'`' => {
                    let n = self.bytes[k..].iter().take_while(|&&b| b == b'`').count();
                    i = self.code_span_end(k, n).unwrap_or(k + n);
                }
                b'{' if !self.expressions_off => match expression_end(self.bytes, k) {
                    Some(e) => {
                        self.mask(k, e);
                        i = e;
                    }
                    None => self.expressions_off = true,
                },
                b'<' if k >= self.tags_off_until && self.is_tag_start(k) => {
                    let para = self.paragraph_end(k);
                    match self.tag_end(k, para) {
                        Ok(e) => {
                            self.mask(k, e);
                            self.tags.push(k..e);
                            i = e;
                        }
                        Err(gave_up) => self.tags_off_until = gave_up,
                    }
                }
                _ => {}
            }
            if i > end {
                end = self.line_end(i);
            }
        }
        end
    }

    fn is_tag_start(&self, k: usize) -> bool {
        self.bytes
            .get(k + 1)
            .is_some_and(|&b| b.is_ascii_alphabetic() || matches!(b, b'_' | b'$' | b'/' | b'>'))
    }

    /// End (exclusive) of the tag opening at `k`, if it closes before
    /// `limit` (its paragraph's end; attribute expressions may go beyond),
    /// else where the search gave up.
    fn tag_end(&mut self, k: usize, mut limit: usize) -> Result<usize, usize> {
        let bytes = self.bytes;
        let mut p = k + 1;
        while p < limit {
            match bytes[p] {
                q @ (b'"' | b'\'') => {
                    p = p + 1 + memchr::memchr(q, &bytes[p + 1..limit]).ok_or(limit)? + 1;
                }
                b'{' if !self.expressions_off => match expression_end(bytes, p) {
                    Some(e) => {
                        p = e;
                        if p > limit {
                            limit = self.paragraph_end(p - 1);
                        }
                    }
                    None => {
                        self.expressions_off = true;
                        return Err(limit);
                    }
                },
                b'>' => return Ok(p + 1),
                _ => p += 1,
            }
        }
        Err(limit)
    }

    /// End of the paragraph holding `from`: the start of the next blank
    /// line, or the end of the text.
    fn paragraph_end(&mut self, from: usize) -> usize {
        if (self.paragraph.0..self.paragraph.1).contains(&from) {
            return self.paragraph.1;
        }
        let mut i = self.next_line(self.line_end(from));
        while i < self.bytes.len() {
            let end = self.line_end(i);
            if is_blank(&self.bytes[i..end]) {
                break;
            }
            i = self.next_line(end);
        }
        let end = i.min(self.bytes.len());
        self.paragraph = (from, end);
        end
    }

    /// End of the code span opened by `n` backticks at `k`, if it closes
    /// within its paragraph.
    fn code_span_end(&mut self, k: usize, n: usize) -> Option<usize> {
        let para = self.paragraph_end(k);
        if self.no_closer.get(&n) == Some(&para) {
            return None;
        }
        let mut p = k + n;
        while let Some(q) = memchr::memchr(b'`', &self.bytes[p.min(para)..para]) {
            let s = p + q;
            let e = s + self.bytes[s..para]
                .iter()
                .take_while(|&&b| b == b'`')
                .count();
            if e - s == n {
                return Some(e);
            }
            p = e;
        }
        self.no_closer.insert(n, para);
        None
    }
}

/// Net count of opening minus closing brackets in an ESM line, outside
/// strings and `//` comments.
fn bracket_balance(line: &[u8]) -> i64 {
    let mut depth = 0;
    let mut quote = None;
    let mut i = 0;
    while i < line.len() {
        let b = line[i];
        match quote {
            Some(_) if b == b'\\' => i += 1,
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'\'' | b'"' | b'`' => quote = Some(b),
                b'/' if line.get(i + 1) == Some(&b'/') => break,
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth -= 1,
                _ => {}
            },
        }
        i += 1;
    }
    depth
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `mask(text)` (the text itself when nothing is masked), after checking
    /// that it keeps the length and every line break in place.
    fn masked(text: &str) -> String {
        let out = mask(text).unwrap_or_else(|| text.to_owned());
        assert_eq!(out.len(), text.len(), "length of {text:?}");
        let breaks = |s: &str| {
            s.bytes()
                .enumerate()
                .filter(|(_, b)| matches!(b, b'\n' | b'\r'))
                .collect::<Vec<_>>()
        };
        assert_eq!(breaks(&out), breaks(text), "line breaks of {text:?}");
        out
    }

    /// The kept (non-blank) words of the masked text.
    fn kept(text: &str) -> Vec<String> {
        masked(text).split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn nothing_to_mask_is_none() {
        assert_eq!(mask("Plain *Markdown* prose.\n"), None);
        assert_eq!(mask("We import data and export reports.\n"), None);
        assert_eq!(mask(""), None);
        assert_eq!(mask("Compare `a < b` and `{x}`.\n"), None);
        assert_eq!(mask("a < b and 3 <4, \\{escaped\\} \\<Tag>"), None);
    }

    #[test]
    fn import_and_export_lines() {
        let text = "import Card from './Card'\nexport const title = 'Hi'\n\n# Heading\n";
        assert_eq!(kept(text), ["#", "Heading"]);
        // Must be at column 0 and followed by a blank.
        assert_eq!(mask("  import x from 'y'\n\nimport('a')\n"), None);
    }

    #[test]
    fn multi_line_import_and_export() {
        let text = "import {\n  Tabs,\n  Tab,\n} from '@site/tabs'\nexport const meta = {\n  \
                    title: 'Launch',\n  tags: ['a', 'b'],\n}\n\nProse stays.\n";
        let out = masked(text);
        assert_eq!(kept(text), ["Prose", "stays."]);
        assert!(out.starts_with("        \n       \n"), "{out:?}");
        let text = "export default function Layout({ children }) {\n  return <main>{children}</main>\n}\n\nText\n";
        assert_eq!(kept(text), ["Text"]);
    }

    #[test]
    fn import_inside_a_paragraph_is_prose() {
        let text = "Teams can easily\nimport their data.\n";
        assert_eq!(mask(text), None);
    }

    #[test]
    fn unclosed_export_ends_at_the_blank_line() {
        let text = "export const a = {\n  b: 1,\n\nProse after.\n";
        assert_eq!(kept(text), ["Prose", "after."]);
    }

    #[test]
    fn expressions_inline_and_multi_line() {
        assert_eq!(kept("Save {percent}% today.\n"), ["Save", "%", "today."]);
        let text = "Before\n{items.map((i) => (\n  i.name\n))}\nAfter {/* a comment */} end\n";
        assert_eq!(kept(text), ["Before", "After", "end"]);
    }

    #[test]
    fn braces_inside_strings_and_comments_in_expressions() {
        let text = "A {'}' + \"{\" + `}${ {a: 1}.a }`} B {/* don't } */} C\n";
        assert_eq!(kept(text), ["A", "B", "C"]);
        let text = "A {f(// a } here\n)} B\n";
        assert_eq!(kept(text), ["A", "B"]);
    }

    #[test]
    fn tags_are_masked_and_element_text_kept() {
        let text = "<Callout type=\"warn\">Our tool enables access</Callout>\n";
        assert_eq!(kept(text), ["Our", "tool", "enables", "access"]);
        assert_eq!(
            kept("Line<br/>break and <>fragment</> <Foo.Bar x/>\n"),
            ["Line", "break", "and", "fragment"]
        );
        let text = "<Card\n  title=\"x\"\n  icon={<Icon />}\n>\nCard body\n</Card>\n";
        assert_eq!(kept(text), ["Card", "body"]);
    }

    #[test]
    fn greater_than_inside_quoted_attribute_or_expression() {
        let text = "<Note title=\"a > b\" alt='c > d' when={x > 1}>kept</Note>\n";
        assert_eq!(kept(text), ["kept"]);
    }

    #[test]
    fn code_fences_and_spans_untouched() {
        let text = "```jsx\n<Card title={x}>\nimport a from 'b'\n```\n\n~~~~\n{x}\n~~~~\n\n\
                    Use `<Card>` or ``{a}`` here. <B>x</B>\n";
        let out = masked(text);
        assert_eq!(
            &out[..out.find("Use").unwrap_or(0)],
            &text[..text.find("Use").unwrap_or(0)]
        );
        assert!(out.contains("Use `<Card>` or ``{a}`` here."));
        assert!(out.ends_with("   x    \n"), "{out:?}");
        // Fences in block quotes and indented lists.
        let text = "> ```\n> <Tag>\n> ```\n\n  ```\n  {x}\n  ```\n";
        assert_eq!(mask(text), None);
    }

    #[test]
    fn unclosed_code_span_is_text() {
        assert_eq!(kept("a `b {c} d\n\ne` {f}\n"), ["a", "`b", "d", "e`"]);
    }

    #[test]
    fn front_matter_untouched() {
        let text = "---\ntitle: {weird}\ndesc: <b>\n---\nimport x from 'y'\n\nBody {x}\n";
        let out = masked(text);
        assert!(
            out.starts_with("---\ntitle: {weird}\ndesc: <b>\n---\n"),
            "{out:?}"
        );
        assert_eq!(out.split_whitespace().last(), Some("Body"));
    }

    #[test]
    fn non_ascii_inside_masked_regions() {
        let text = "Prix {«€5»} <Tag alt=\"日本🙂\">café</Tag>\n\nimport é from 'ü'\n";
        let out = masked(text);
        assert_eq!(out.split_whitespace().collect::<Vec<_>>(), ["Prix", "café"]);
        assert!(out.is_char_boundary(out.find("café").unwrap_or(0)));
    }

    #[test]
    fn crlf_and_lone_cr_kept() {
        let text = "import a from 'b'\r\n\r\n<A\r\n  x=\"1\"\r>Text {y\r\n}\r\n";
        assert_eq!(kept(text), ["Text"]);
    }

    #[test]
    fn unclosed_constructs_are_text_and_linear() {
        assert_eq!(
            kept("a {b\n\nc <d e\n\nf <g>h</g>\n"),
            ["a", "{b", "c", "<d", "e", "f", "h"]
        );
        let hostile = |n: usize| {
            "x <a \"".repeat(5 * n)
                + &"{ '".repeat(5 * n)
                + &"`".repeat(n / 3)
                + &"\n\nexport const a = {\n".repeat(2 * n)
        };
        crate::test_support::assert_linear("MDX masking", 20_000, hostile, |text| {
            assert_eq!(masked(text).len(), text.len());
        });
    }
}
