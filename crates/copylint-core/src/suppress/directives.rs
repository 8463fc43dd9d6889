//! Finding directives in a text: comments (Markdown, MDX, HTML) or lines
//! of their own (plain text) that start with a directive word, less those
//! inside what the format's reader calls code.

use std::ops::Range;

use memchr::memmem;

use super::{Directive, DirectiveKind};
use crate::source::LineIndex;

const PREFIX: &str = "copylint-";

/// Parses a directive body such as `copylint-disable a, b -- reason`.
fn parse_body(body: &str) -> Option<(DirectiveKind, Vec<String>)> {
    let body = body.trim_start();
    let word_end = body
        .find(|c: char| c.is_whitespace() || c == ',')
        .unwrap_or(body.len());
    let kind = DirectiveKind::from_word(&body[..word_end])?;
    let rest = &body[word_end..];
    // A reason may follow ` -- `; it is not part of the rule list.
    let rest = rest.find(" -- ").map_or(rest, |at| &rest[..at]);
    let rules = rest
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|r| !r.is_empty() && *r != "--")
        .map(str::to_owned)
        .collect();
    Some((kind, rules))
}

/// Whether `text` may hold a directive at all: a cheap test that spares
/// most files the search for comments.
pub fn may_have_directives(text: &str) -> bool {
    memmem::find(text.as_bytes(), PREFIX.as_bytes()).is_some()
}

/// The directives in `text`, in order. `markdown` selects comment syntax
/// (Markdown, MDX and HTML), and `code` holds the ranges the format's
/// reader calls code (as extraction returns them), where a comment is an
/// example; otherwise only lines holding nothing but a directive count.
pub fn parse(text: &str, markdown: bool, code: &[Range<usize>]) -> Vec<Directive> {
    let finder = memmem::Finder::new(PREFIX);
    if finder.find(text.as_bytes()).is_none() {
        return Vec::new();
    }
    let found = if markdown {
        let mut found = parse_markdown(text, &finder);
        if !found.is_empty() {
            let code = disjoint(code);
            found.retain(|(_, _, span)| !covers(&code, span.start));
        }
        found
    } else {
        parse_text(text, &finder)
    };
    if found.is_empty() {
        return Vec::new();
    }
    let lines = LineIndex::new(text);
    found
        .into_iter()
        .map(|(kind, rules, span)| Directive {
            kind,
            rules,
            line: lines.line_of(span.start),
            span,
        })
        .collect()
}

/// `ranges` sorted and merged where they overlap.
fn disjoint(ranges: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut sorted = ranges.to_vec();
    sorted.sort_unstable_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(sorted.len());
    for r in sorted {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// Whether one of the sorted, disjoint `ranges` holds `at`.
fn covers(ranges: &[Range<usize>], at: usize) -> bool {
    let after = ranges.partition_point(|r| r.start <= at);
    after > 0 && ranges[after - 1].contains(&at)
}

type Found = (DirectiveKind, Vec<String>, Range<usize>);

fn parse_markdown(text: &str, finder: &memmem::Finder) -> Vec<Found> {
    let bytes = text.as_bytes();
    let mut closers = [Closer::new("-->"), Closer::new("*/}")];
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = finder.find(&bytes[from..]).map(|i| from + i) {
        from = at + PREFIX.len();
        let before = text[..at].trim_end();
        let (open, closer) = if before.ends_with("<!--") {
            ("<!--", &mut closers[0])
        } else if before.ends_with("{/*") {
            ("{/*", &mut closers[1])
        } else {
            continue;
        };
        let Some(end) = closer.find(bytes, at) else {
            continue;
        };
        // Whether or not it is a directive, the comment ends here.
        let close = end + closer.len();
        from = close;
        if let Some((kind, rules)) = parse_body(&text[at..end]) {
            found.push((kind, rules, before.len() - open.len()..close));
        }
    }
    found
}

/// Finds a comment's closing delimiter, remembering the last answer so that
/// many openers before one closer (or none) cost one search, not many.
struct Closer {
    finder: memmem::Finder<'static>,
    /// The first closer at or after some earlier search start (None: none).
    last: Option<Option<usize>>,
}

impl Closer {
    fn new(close: &'static str) -> Closer {
        Closer {
            finder: memmem::Finder::new(close),
            last: None,
        }
    }

    fn len(&self) -> usize {
        self.finder.needle().len()
    }

    /// Offset of the first closer starting at or after `at`.
    fn find(&mut self, bytes: &[u8], at: usize) -> Option<usize> {
        match self.last {
            Some(None) => return None,
            Some(Some(end)) if end >= at => return Some(end),
            _ => {}
        }
        let end = self.finder.find(&bytes[at..]).map(|i| at + i);
        self.last = Some(end);
        end
    }
}

fn parse_text(text: &str, finder: &memmem::Finder) -> Vec<Found> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    for at in finder.find_iter(bytes) {
        // Only blanks may come before the directive on its line.
        let indent = bytes[..at]
            .iter()
            .rev()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        if !matches!(
            at.checked_sub(indent + 1).map(|i| bytes[i]),
            None | Some(b'\n' | b'\r')
        ) {
            continue;
        }
        let line_end = memchr::memchr2(b'\n', b'\r', &bytes[at..]).map_or(text.len(), |i| at + i);
        let line = text[at..line_end].trim_end();
        if let Some((kind, rules)) = parse_body(line) {
            found.push((kind, rules, at..at + line.len()));
        }
    }
    found
}
