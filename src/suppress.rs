//! Inline suppression directives: `copylint-disable-next-line`,
//! `copylint-disable`, `copylint-enable` and `copylint-disable-file`.
//!
//! In Markdown a directive is an HTML comment, `<!-- copylint-disable x -->`,
//! or the MDX comment `{/* copylint-disable x */}`; in HTML, an HTML
//! comment. A comment inside what the format's reader calls code is an
//! example, not a directive: fenced, indented (not in MDX) or inline code
//! and front matter in Markdown, `<pre>`, `<code>`, `<script>`, `<style>`
//! and `<template>` in HTML; extraction reports those ranges, so the file
//! is read once, by one reader. In plain text a directive is a line
//! holding nothing but the directive words. Rules follow the directive
//! word, separated by spaces and/or commas; none means every rule. Anything after a ` -- ` is a free-form reason.
//!
//! [`parse`] finds the directives of a text; [`Suppressions`] answers, per
//! finding, whether one of them suppresses it and remembers which were used.

use std::ops::Range;

use memchr::memmem;

use crate::source::LineIndex;

const PREFIX: &str = "copylint-";

/// What a directive does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DirectiveKind {
    /// Suppresses findings starting on the line after the directive.
    DisableNextLine,
    /// Suppresses findings from here to the matching `enable` (or the end).
    Disable,
    /// Ends an earlier `disable`, for its rules or for all.
    Enable,
    /// Suppresses findings anywhere in the file.
    DisableFile,
}

impl DirectiveKind {
    /// The directive word as written, for example `copylint-disable`.
    pub fn as_str(self) -> &'static str {
        match self {
            DirectiveKind::DisableNextLine => "copylint-disable-next-line",
            DirectiveKind::Disable => "copylint-disable",
            DirectiveKind::Enable => "copylint-enable",
            DirectiveKind::DisableFile => "copylint-disable-file",
        }
    }

    fn from_word(word: &str) -> Option<DirectiveKind> {
        [
            DirectiveKind::DisableNextLine,
            DirectiveKind::Disable,
            DirectiveKind::Enable,
            DirectiveKind::DisableFile,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == word)
    }
}

/// One directive found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    pub kind: DirectiveKind,
    /// The rules it names, in order; empty means every rule.
    pub rules: Vec<String>,
    /// Byte span of the whole comment (Markdown) or of the trimmed line
    /// (text) in the text.
    pub span: Range<usize>,
    /// 0-based line of its start.
    pub line: usize,
}

impl Directive {
    /// Whether the directive concerns `rule`.
    pub fn applies_to(&self, rule: &str) -> bool {
        self.rules.is_empty() || self.rules.iter().any(|r| r == rule)
    }
}

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

/// The directives of one file, applied to its findings.
#[derive(Clone, Debug)]
pub struct Suppressions {
    directives: Vec<Directive>,
    used: Vec<bool>,
    /// Lines of the text, when a `DisableNextLine` directive needs them.
    lines: Option<LineIndex>,
    /// Indices of `DisableFile` directives.
    file: Vec<usize>,
    /// For each `DisableNextLine` directive (by index), the line it covers.
    next_lines: Vec<(usize, usize)>,
    /// Indices of `Disable` and `Enable` directives, in text order.
    ranges: Vec<usize>,
}

impl Suppressions {
    /// Prepares `directives` (as [`parse`] returns them) for `text`.
    pub fn new(text: &str, mut directives: Vec<Directive>) -> Suppressions {
        directives.sort_by_key(|d| d.span.start);
        let lines = directives
            .iter()
            .any(|d| d.kind == DirectiveKind::DisableNextLine)
            .then(|| LineIndex::new(text));
        let (mut file, mut next_lines, mut ranges) = (Vec::new(), Vec::new(), Vec::new());
        for (i, d) in directives.iter().enumerate() {
            match d.kind {
                DirectiveKind::DisableFile => file.push(i),
                DirectiveKind::Disable | DirectiveKind::Enable => ranges.push(i),
                DirectiveKind::DisableNextLine => {
                    if let Some(lines) = &lines {
                        // The line after the directive's last byte.
                        let last = d.span.end.saturating_sub(1).max(d.span.start);
                        next_lines.push((i, lines.line_of(last.min(text.len())) + 1));
                    }
                }
            }
        }
        Suppressions {
            used: vec![false; directives.len()],
            directives,
            lines,
            file,
            next_lines,
            ranges,
        }
    }

    /// Whether the finding of `rule` at byte span `span` is suppressed;
    /// records which directives were used.
    ///
    /// Every directive that would suppress the finding on its own counts as
    /// used, and so does the `enable` that ends a `disable` that did.
    pub fn suppresses(&mut self, rule: &str, span: Range<usize>) -> bool {
        let start = span.start;
        let mut suppressed = false;
        for &i in &self.file {
            if self.directives[i].applies_to(rule) {
                self.used[i] = true;
                suppressed = true;
            }
        }
        if let Some(lines) = &self.lines {
            let line = lines.line_of(start);
            for &(i, covered) in &self.next_lines {
                if covered == line && self.directives[i].applies_to(rule) {
                    self.used[i] = true;
                    suppressed = true;
                }
            }
        }
        // Range directives before the finding: walk back to the nearest
        // `enable` of the rule; every `disable` of it on the way covers it.
        let before = self
            .ranges
            .partition_point(|&i| self.directives[i].span.end <= start);
        let mut by_range = false;
        for &i in self.ranges[..before].iter().rev() {
            let d = &self.directives[i];
            if !d.applies_to(rule) {
                continue;
            }
            if d.kind == DirectiveKind::Enable {
                break;
            }
            self.used[i] = true;
            by_range = true;
        }
        if by_range {
            let ender = self.ranges[before..].iter().copied().find(|&i| {
                let d = &self.directives[i];
                d.kind == DirectiveKind::Enable && d.applies_to(rule)
            });
            if let Some(i) = ender {
                self.used[i] = true;
            }
        }
        suppressed || by_range
    }

    /// Directives that suppressed nothing (for `--report-unused-directives`),
    /// in order. An `enable` is unused unless it ended a used `disable`.
    pub fn unused(&self) -> Vec<&Directive> {
        self.directives
            .iter()
            .zip(&self.used)
            .filter(|(_, used)| !**used)
            .map(|(d, _)| d)
            .collect()
    }

    /// Directives naming a rule not in `known`: (directive, unknown rule).
    pub fn unknown_rules<'a>(&'a self, known: &[&str]) -> Vec<(&'a Directive, &'a str)> {
        self.directives
            .iter()
            .flat_map(|d| d.rules.iter().map(move |r| (d, r.as_str())))
            .filter(|(_, r)| !known.contains(r))
            .collect()
    }

    /// All directives, in text order.
    pub fn directives(&self) -> &[Directive] {
        &self.directives
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Format, Source};

    /// The directives of `text`, with the code ranges that extraction of
    /// `text` as Markdown (`md`) or plain text gives.
    fn parse(text: &str, md: bool) -> Vec<Directive> {
        let format = if md { Format::Markdown } else { Format::Text };
        let code =
            Source::new("t", text, format).for_each_block_with(Default::default(), &mut |_| {});
        super::parse(text, md, &code)
    }

    /// For each (rule, needle), whether the finding of `rule` at the first
    /// occurrence of `needle` is suppressed; and the unused directives' text.
    fn run<'t>(text: &'t str, md: bool, asks: &[(&str, &str)]) -> (Vec<bool>, Vec<&'t str>) {
        let mut s = Suppressions::new(text, parse(text, md));
        let got = asks
            .iter()
            .map(|(rule, needle)| {
                let at = text.find(needle).expect("needle in text");
                s.suppresses(rule, at..at + needle.len())
            })
            .collect();
        let unused = s.unused().iter().map(|d| &text[d.span.clone()]).collect();
        (got, unused)
    }

    fn rules(text: &str, md: bool) -> Vec<(DirectiveKind, String)> {
        let found = parse(text, md).into_iter();
        found.map(|d| (d.kind, d.rules.join(" "))).collect()
    }

    #[test]
    fn parses_each_kind_with_span_and_line() {
        let text = "a\n<!-- copylint-disable-next-line -->\n<!--copylint-disable x-->\n\
                    {/* copylint-enable x */}\n<!--\n  copylint-disable-file y\n-->\n";
        let found = parse(text, true);
        let got: Vec<_> = found
            .iter()
            .map(|d| (d.kind, d.line, &text[d.span.clone()]))
            .collect();
        use DirectiveKind::*;
        assert_eq!(
            got,
            [
                (DisableNextLine, 1, "<!-- copylint-disable-next-line -->"),
                (Disable, 2, "<!--copylint-disable x-->"),
                (Enable, 3, "{/* copylint-enable x */}"),
                (DisableFile, 4, "<!--\n  copylint-disable-file y\n-->"),
            ]
        );
        for none in [
            "plain <!-- comment -->",
            "",
            "<!-- copylint-unknown x -->",
            "<!-- copylint-disable\nno end",
        ] {
            assert!(parse(none, true).is_empty(), "{none:?}");
        }
    }

    #[test]
    fn rule_lists_single_several_commas_and_reasons() {
        let text = "<!-- copylint-disable a -->\n<!-- copylint-disable a b -->\n\
                    <!-- copylint-disable a,b , c,, -->\n<!-- copylint-disable -- legal said ok -->\n\
                    <!-- copylint-disable a -- reason b -->";
        let got: Vec<_> = rules(text, true).into_iter().map(|(_, r)| r).collect();
        assert_eq!(got, ["a", "a b", "a b c", "", "a"]);
    }

    #[test]
    fn disable_next_line_covers_only_the_next_line() {
        let text = "one bad\n<!-- copylint-disable-next-line r -->\ntwo bad\nthree bad\n\
                    intro <!-- copylint-disable-next-line -->\nfour bad\n\
                    <!--\ncopylint-disable-next-line\n-->\nfive bad\n";
        let asks = [
            ("r", "one bad"),
            ("r", "two bad"),
            ("q", "two bad"),
            ("r", "three bad"),
        ];
        let (got, unused) = run(text, true, &asks);
        assert_eq!(got, [false, true, false, false]);
        assert_eq!(unused.len(), 2);
        let asks = [("q", "intro"), ("q", "four bad"), ("q", "five bad")];
        assert_eq!(run(text, true, &asks).0, [false, true, true]);
    }

    #[test]
    fn disable_enable_ranges_and_disable_to_end() {
        let text = "a bad\n<!-- copylint-disable -->\nb bad\n<!-- copylint-enable -->\nc bad\n\
                    <!-- copylint-disable r -->\nd bad\n";
        let asks = [
            ("r", "a bad"),
            ("r", "b bad"),
            ("q", "b bad"),
            ("r", "c bad"),
        ];
        let (got, unused) = run(
            text,
            true,
            &[asks.as_slice(), &[("r", "d bad"), ("q", "d bad")]].concat(),
        );
        assert_eq!(got, [false, true, true, false, true, false]);
        assert!(unused.is_empty());
    }

    #[test]
    fn nested_disable_enable_of_different_rules() {
        let text = "<!-- copylint-disable a -->\n1\n<!-- copylint-disable b -->\n2\n\
                    <!-- copylint-enable a -->\n3\n<!-- copylint-enable -->\n4\n\
                    <!-- copylint-disable -->\n<!-- copylint-enable b -->\n5\n";
        let asks: Vec<_> = ["1\n", "2\n", "3\n", "4\n", "5\n"]
            .into_iter()
            .flat_map(|line| [("a", line), ("b", line)])
            .collect();
        let (got, _) = run(text, true, &asks);
        let pairs: Vec<_> = got.chunks(2).map(|p| (p[0], p[1])).collect();
        assert_eq!(
            pairs,
            [
                (true, false),
                (true, true),
                (false, true),
                (false, false),
                (true, false)
            ]
        );
    }

    #[test]
    fn disable_file_covers_everything_before_and_after() {
        let text = "bad\n<!-- copylint-disable-file a, b -->\nbad too\n";
        let (got, _) = run(
            text,
            true,
            &[("a", "bad"), ("b", "bad too"), ("c", "bad too")],
        );
        assert_eq!(got, [true, true, false]);
        assert_eq!(
            run("x\n<!-- copylint-disable-file -->", true, &[("any", "x")]).0,
            [true]
        );
    }

    #[test]
    fn unused_directives_in_order() {
        let text = "<!-- copylint-disable-file z -->\n<!-- copylint-disable-next-line a -->\nbad\n\
                    <!-- copylint-disable b -->\nbad b\n<!-- copylint-enable b -->\n\
                    <!-- copylint-disable c -->\nclean\n<!-- copylint-enable c -->\n";
        let (got, unused) = run(text, true, &[("q", "bad"), ("b", "bad b")]);
        assert_eq!(got, [false, true]);
        assert_eq!(
            unused,
            [
                "<!-- copylint-disable-file z -->",
                "<!-- copylint-disable-next-line a -->",
                "<!-- copylint-disable c -->",
                "<!-- copylint-enable c -->",
            ]
        );
    }

    #[test]
    fn unknown_rules_are_reported_with_their_directive() {
        let text = "<!-- copylint-disable known, typo -->\n<!-- copylint-enable -->\n\
                    <!-- copylint-disable-next-line other known -->\n";
        let s = Suppressions::new(text, parse(text, true));
        let unknown: Vec<_> = s
            .unknown_rules(&["known"])
            .into_iter()
            .map(|(d, r)| (d.line, r))
            .collect();
        assert_eq!(unknown, [(0, "typo"), (2, "other")]);
        assert_eq!(s.directives().len(), 3);
    }

    #[test]
    fn text_format_directives_are_lines_of_their_own() {
        let text = "intro bad\n  copylint-disable-next-line r  \nline bad\n\
                    Please copylint-disable-next-line r\nprose bad\n\
                    copylint-disable-file -- vendor text\n<!-- copylint-disable x -->\n";
        let found = parse(text, false);
        assert_eq!(found.len(), 2);
        assert_eq!(
            (&text[found[0].span.clone()], found[0].line),
            ("copylint-disable-next-line r", 1)
        );
        assert_eq!(
            (found[1].kind, found[1].rules.len()),
            (DirectiveKind::DisableFile, 0)
        );
        let text = "a bad\ncopylint-disable-next-line r\nb bad\nc bad";
        let (got, _) = run(
            text,
            false,
            &[("r", "a bad"), ("r", "b bad"), ("r", "c bad")],
        );
        assert_eq!(got, [false, true, false]);
    }

    #[test]
    fn text_directive_inside_prose_does_not_count() {
        let text = "We never copylint-disable-next-line anything.\nbad\n";
        assert!(parse(text, false).is_empty());
        assert_eq!(run(text, false, &[("r", "bad")]).0, [false]);
        assert!(parse("copylint-is great", false).is_empty());
    }

    #[test]
    fn markdown_comments_in_code_are_examples() {
        let text = "```md\n<!-- copylint-disable-file -->\n```\n\n\
                    Use `<!-- copylint-disable -->` to disable.\n\n    <!-- copylint-disable -->\n";
        assert!(parse(text, true).is_empty());
    }

    #[test]
    fn crlf_and_lone_cr_lines() {
        let md = "a bad\r\n<!-- copylint-disable-next-line -->\r\nb bad\r\nc bad\r\n";
        assert_eq!(parse(md, true)[0].line, 1);
        let (got, _) = run(md, true, &[("r", "a bad"), ("r", "b bad"), ("r", "c bad")]);
        assert_eq!(got, [false, true, false]);
        let txt = "a bad\r\ncopylint-disable-next-line r\r\nb bad\rc bad\r\n";
        assert_eq!(
            rules(txt, false),
            [(DirectiveKind::DisableNextLine, "r".to_owned())]
        );
        assert_eq!(
            run(txt, false, &[("r", "b bad"), ("r", "c bad")]).0,
            [true, false]
        );
    }

    #[test]
    fn many_openers_stay_linear() {
        use crate::test_support::assert_linear;
        let comments = |n: usize| "<!-- copylint-nope ".repeat(n) + "-->";
        assert_linear("unclosed comments", 20_000, comments, |text| {
            assert!(parse(text, true).is_empty());
        });
        let mdx = |n: usize| "{/* copylint-disable ".repeat(n);
        assert_linear("unclosed MDX comments", 20_000, mdx, |text| {
            assert!(parse(text, true).is_empty());
        });
        let lines = |n: usize| "\n copylint-enable".repeat(n);
        assert_linear("directive lines", 20_000, lines, |text| {
            assert_eq!(parse(text, false).len(), text.len() / 17);
        });
    }
}
