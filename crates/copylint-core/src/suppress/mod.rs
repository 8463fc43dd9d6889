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

use crate::source::LineIndex;

mod directives;

pub use directives::{may_have_directives, parse};

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

    pub(super) fn from_word(word: &str) -> Option<DirectiveKind> {
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
