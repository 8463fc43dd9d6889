//! HTML extraction, for `.html` files and for HTML inside Markdown.
//!
//! The html5gum tokenizer reports each piece of text and each attribute
//! value decoded, with the byte span it was written in; [`push_decoded`]
//! aligns the two, so an entity maps back to the whole reference and the
//! rest byte for byte. Prose is the text of elements, the `alt` and `title`
//! attributes, and the `content` of the description, Open Graph and
//! Twitter description `<meta>` tags (each attribute a block of its own).
//! Not prose: `<script>`, `<style>`, `<template>`, `<pre>`, `<code>`,
//! comments, and every other attribute (URLs among them). Block elements
//! end a block; inline elements (`a`, `strong`, `span`…) do not, so
//! `en<b>ables</b>` is one word; `<br>`, `<sup>`, `<sub>` and embedded
//! objects separate words.
//!
//! `<noscript>`, which the tokenizer reads as raw text (as a browser
//! running scripts does), is read again as HTML, as a browser with
//! scripting off shows it: its text and `alt` attributes are copy, its
//! markup is not.
//!
//! A tokenizer, not a tree builder: nothing is nested on a stack, so memory
//! and time stay linear however deep the markup.

use std::convert::Infallible;
use std::ops::Range;

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Span, Token, Tokenizer};

use super::normalize::{Block, BlockBuilder};

/// Elements whose content is not prose.
const SKIPPED: [&[u8]; 5] = [b"script", b"style", b"template", b"pre", b"code"];

/// Elements that start and end a block of text.
const BLOCKS: &[&[u8]] = &[
    b"address",
    b"article",
    b"aside",
    b"blockquote",
    b"body",
    b"caption",
    b"dd",
    b"details",
    b"dialog",
    b"div",
    b"dl",
    b"dt",
    b"fieldset",
    b"figcaption",
    b"figure",
    b"footer",
    b"form",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"head",
    b"header",
    b"hgroup",
    b"hr",
    b"html",
    b"legend",
    b"li",
    b"main",
    b"nav",
    b"ol",
    b"option",
    b"p",
    b"section",
    b"summary",
    b"table",
    b"tbody",
    b"td",
    b"tfoot",
    b"th",
    b"thead",
    b"title",
    b"tr",
    b"ul",
];

/// Elements that stand between words without ending a block. `sup` and
/// `sub` hold footnote and trademark marks, which end the word before.
const SEPARATORS: &[&[u8]] = &[
    b"br",
    b"sup",
    b"sub",
    b"img",
    b"input",
    b"button",
    b"select",
    b"textarea",
    b"iframe",
    b"video",
    b"audio",
    b"object",
    b"embed",
    b"svg",
    b"math",
    b"canvas",
];

/// `<meta>` names and properties whose `content` is copy.
const META_COPY: &[&[u8]] = &[
    b"description",
    b"og:title",
    b"og:description",
    b"twitter:description",
];

/// What an element does to the text around it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Text inside is not prose (`script`, `code`…): the index in [`SKIPPED`].
    Skip(usize),
    /// Ends the current block.
    Block,
    /// Separates words.
    Separator,
    /// Nothing: inline markup.
    Inline,
}

/// The effect of the element named `name` (lower case).
pub fn effect(name: &[u8]) -> Effect {
    if let Some(i) = SKIPPED.iter().position(|s| *s == name) {
        Effect::Skip(i)
    } else if BLOCKS.contains(&name) {
        Effect::Block
    } else if SEPARATORS.contains(&name) {
        Effect::Separator
    } else {
        Effect::Inline
    }
}

/// Calls `f` with each prose block of the HTML in `text[range]`; block
/// offsets are offsets in `text`. Returns the ranges of the elements whose
/// text is not prose (`<pre>`, `<code>`, `<script>`…), outermost only: a
/// comment there is an example or a script's text, not a directive.
pub fn extract(text: &str, range: Range<usize>, f: &mut dyn FnMut(&Block)) -> Vec<Range<usize>> {
    let end = range.end;
    let mut state = State::new(text, range.start);
    state.run(&text[range], f);
    if let Some(start) = state.skipped_from.take() {
        state.skipped.push(start..end);
    }
    state.skipped
}

/// Calls `f` with a block for each copy attribute (`alt`, `title`, meta
/// descriptions) of the tags in `text[range]`, and returns the elements
/// they open and close, in order, with whether each is a start tag: for a
/// fragment of inline HTML inside Markdown, whose text Markdown owns.
pub fn tags(text: &str, range: Range<usize>, f: &mut dyn FnMut(&Block)) -> Vec<(Effect, bool)> {
    let mut state = State::new(text, range.start);
    state.fragment = true;
    state.run(&text[range], f);
    state.tags
}

/// Calls `f` with one block for the attribute value written at
/// `text[span]` (inside its quotes), its character references decoded as
/// an HTML tokenizer decodes them and mapped back to where they are
/// written.
pub fn attribute_value(text: &str, span: Range<usize>, f: &mut dyn FnMut(&Block)) {
    let Some(raw) = text.get(span.clone()) else {
        return;
    };
    let mut builder = BlockBuilder::default();
    if raw.contains('&') {
        // The value alone, in a tag of its own; `"` written as a reference
        // decodes back to itself.
        let tag = format!("<x a=\"{}\">", raw.replace('"', "&quot;"));
        let decoded = Tokenizer::new(&tag)
            .flatten()
            .find_map(|token| match token {
                Token::StartTag(t) => t
                    .attributes
                    .get(b"a".as_slice())
                    .map(|v| String::from_utf8_lossy(v).into_owned()),
                _ => None,
            })
            .unwrap_or_else(|| raw.to_string());
        push_decoded(&mut builder, &decoded, text, span);
    } else {
        builder.push_str(raw, span.start);
    }
    flush(&mut builder, f);
}

/// Extraction state: the builders of text and attribute blocks, and which
/// skipped elements are open.
struct State<'t> {
    text: &'t str,
    base: usize,
    flow: BlockBuilder,
    attr: BlockBuilder,
    open: [u32; SKIPPED.len()],
    tag: Vec<u8>,
    attr_name: Vec<u8>,
    meta_copy: bool,
    meta_content: Vec<(String, Range<usize>)>,
    /// Only report tags and attributes, not text.
    fragment: bool,
    tags: Vec<(Effect, bool)>,
    /// Where the outermost open skipped element starts.
    skipped_from: Option<usize>,
    /// The skipped elements closed so far.
    skipped: Vec<Range<usize>>,
    /// Inside a `<noscript>`: where its raw text starts and ends so far.
    noscript: Option<(usize, usize)>,
}

impl<'t> State<'t> {
    fn new(text: &'t str, base: usize) -> State<'t> {
        State {
            text,
            base,
            flow: BlockBuilder::default(),
            attr: BlockBuilder::default(),
            open: [0; SKIPPED.len()],
            tag: Vec::new(),
            attr_name: Vec::new(),
            meta_copy: false,
            meta_content: Vec::new(),
            fragment: false,
            tags: Vec::new(),
            skipped_from: None,
            skipped: Vec::new(),
            noscript: None,
        }
    }

    fn run(&mut self, html: &str, f: &mut dyn FnMut(&Block)) {
        let mut emitter = CallbackEmitter::new(
            |event: CallbackEvent<'_>, span: Span<usize>| -> Option<Infallible> {
                self.event(event, span.start..span.end, f);
                None
            },
        );
        emitter.naively_switch_states(true);
        // Reading a string cannot fail.
        let _ = Tokenizer::new_with_emitter(html, emitter).finish();
        self.noscript_end(f);
        flush(&mut self.flow, f);
    }

    /// Reads the raw text of the `<noscript>` that ends here as HTML.
    fn noscript_end(&mut self, f: &mut dyn FnMut(&Block)) {
        let Some((start, end)) = self.noscript.take().filter(|(s, e)| s < e) else {
            return;
        };
        let range = start..end;
        flush(&mut self.flow, f);
        let mut inner = State::new(self.text, range.start);
        inner.run(&self.text[range.clone()], f);
        if let Some(start) = inner.skipped_from {
            inner.skipped.push(start..range.end);
        }
        self.skipped.append(&mut inner.skipped);
    }

    fn skipping(&self) -> bool {
        self.open.iter().any(|&n| n > 0)
    }

    fn event(&mut self, event: CallbackEvent<'_>, span: Range<usize>, f: &mut dyn FnMut(&Block)) {
        let span = self.base + span.start..self.base + span.end;
        match event {
            CallbackEvent::OpenStartTag { name } => {
                self.tag.clear();
                self.tag.extend(name.iter().map(u8::to_ascii_lowercase));
                self.meta_copy = false;
                self.meta_content.clear();
                self.element(true, span, f);
            }
            CallbackEvent::AttributeName { name } => {
                flush(&mut self.attr, f);
                self.attr_name.clear();
                self.attr_name
                    .extend(name.iter().map(u8::to_ascii_lowercase));
            }
            CallbackEvent::AttributeValue { value } => self.attribute(value, span),
            CallbackEvent::CloseStartTag { .. } => {
                flush(&mut self.attr, f);
                if self.meta_copy {
                    for (value, span) in std::mem::take(&mut self.meta_content) {
                        push_decoded(&mut self.attr, &value, self.text, span);
                    }
                    flush(&mut self.attr, f);
                }
            }
            CallbackEvent::EndTag { name } => {
                let name: Vec<u8> = name.iter().map(u8::to_ascii_lowercase).collect();
                self.tag = name;
                if self.tag == b"noscript" {
                    self.noscript_end(f);
                }
                self.element(false, span, f);
            }
            CallbackEvent::String { .. } if self.noscript.is_some() => {
                if let Some((start, end)) = &mut self.noscript {
                    *start = span.start.min(*start);
                    *end = span.end.max(*end);
                }
            }
            CallbackEvent::String { value } => {
                if !self.fragment && !self.skipping() {
                    let value = String::from_utf8_lossy(value);
                    push_decoded(&mut self.flow, &value, self.text, span);
                }
            }
            CallbackEvent::Comment { .. } | CallbackEvent::Doctype { .. } => {}
            CallbackEvent::Error(_) => {}
        }
    }

    /// A start (`start`) or end tag of the element named in `self.tag`.
    fn element(&mut self, start: bool, span: Range<usize>, f: &mut dyn FnMut(&Block)) {
        let effect = effect(&self.tag);
        self.tags.push((effect, start));
        if start && self.tag == b"noscript" && !self.fragment && !self.skipping() {
            self.noscript = Some((usize::MAX, 0));
        }
        match effect {
            Effect::Skip(i) => {
                if start {
                    if !self.skipping() {
                        self.skipped_from = Some(span.start);
                    }
                    self.open[i] += 1;
                } else {
                    self.open[i] = self.open[i].saturating_sub(1);
                    if !self.skipping()
                        && let Some(from) = self.skipped_from.take()
                    {
                        self.skipped.push(from..span.end);
                    }
                }
                if SKIPPED[i] == b"code" {
                    if start && !self.skipping_but(i) {
                        self.flow.push_barrier(span);
                    }
                } else {
                    flush(&mut self.flow, f);
                }
            }
            Effect::Block => flush(&mut self.flow, f),
            Effect::Separator => self.flow.push_space(span),
            Effect::Inline => {}
        }
    }

    /// Whether a skipped element other than the `i`th, or more than one of
    /// it, is open.
    fn skipping_but(&self, i: usize) -> bool {
        self.open
            .iter()
            .enumerate()
            .any(|(j, &n)| if j == i { n > 1 } else { n > 0 })
    }

    fn attribute(&mut self, value: &[u8], span: Range<usize>) {
        if self.skipping() {
            return;
        }
        let value = String::from_utf8_lossy(value);
        match self.attr_name.as_slice() {
            b"alt" | b"title" => push_decoded(&mut self.attr, &value, self.text, span),
            b"name" | b"property" if self.tag == b"meta" => {
                let lower = value.to_ascii_lowercase();
                self.meta_copy |= META_COPY.contains(&lower.as_bytes());
            }
            b"content" if self.tag == b"meta" => self.meta_content.push((value.into_owned(), span)),
            _ => {}
        }
    }
}

fn flush(builder: &mut BlockBuilder, f: &mut dyn FnMut(&Block)) {
    if let Some(block) = builder.finish() {
        f(block);
    }
}

/// Appends `decoded`, which the tokenizer decoded from `text[span]`:
/// identical stretches map byte for byte, a character reference maps to
/// the whole reference, and a line break to the `\r\n` it may stand for.
pub fn push_decoded(builder: &mut BlockBuilder, decoded: &str, text: &str, span: Range<usize>) {
    let Some(raw) = text.get(span.clone()) else {
        builder.push_replaced(decoded, span);
        return;
    };
    if decoded == raw {
        builder.push_str(raw, span.start);
        return;
    }
    let base = span.start;
    let (mut i, mut j) = (0, 0);
    // Start of the identical stretch not yet pushed, in `decoded` and `raw`.
    let mut same = (0, 0);
    while i < decoded.len() {
        let c = decoded[i..].chars().next().unwrap_or_default();
        let rest = &raw[j..];
        if rest.starts_with("</>") && c != '<' {
            // An end tag without a name: the tokenizer drops it, and the
            // text around it is one string.
            builder.push_str(&raw[same.1..j], base + same.1);
            j += 3;
            same = (i, j);
            continue;
        }
        let replaced = if c == '&' && literal_ampersand(&decoded[i..], rest) {
            None
        } else if rest.starts_with('&') {
            // A literal `&` (`AT&T`) before a two-character reference.
            reference(&decoded[i..], rest, 1).or_else(|| {
                if c == '&' {
                    None
                } else {
                    reference(&decoded[i..], rest, 2)
                }
            })
        } else if c == '\n' && rest.starts_with("\r\n") {
            Some((1, 2))
        } else if c == '\n' && rest.starts_with('\r') || c == '\u{FFFD}' && rest.starts_with('\0') {
            Some((1, 1))
        } else {
            None
        };
        if let Some((chars, len)) = replaced {
            builder.push_str(&raw[same.1..j], base + same.1);
            let end = decoded[i..]
                .char_indices()
                .nth(chars)
                .map_or(decoded.len(), |(k, _)| i + k);
            builder.push_replaced(&decoded[i..end], base + j..base + j + len);
            i = end;
            j += len;
            same = (i, j);
        } else if rest.starts_with(c) {
            i += c.len_utf8();
            j += c.len_utf8();
        } else {
            // An unexpected shape: map the rest as a whole rather than guess.
            builder.push_str(&raw[same.1..j], base + same.1);
            builder.push_replaced(&decoded[i..], base + j..span.end);
            return;
        }
    }
    builder.push_str(&raw[same.1..j], base + same.1);
}

/// Whether the `&` that starts both `decoded` and `raw` is written as
/// itself: both texts then agree up to the next `&` of `raw` (or its end).
/// Trying references first would take a literal `&nenbsp;` for `&ne` when
/// the letter after happened to agree.
fn literal_ampersand(decoded: &str, raw: &str) -> bool {
    let stretch = raw[1..].find('&').map_or(raw.len(), |k| k + 1);
    raw.starts_with('&') && same_text(decoded, &raw[..stretch])
}

/// Whether `decoded` starts with `raw` as the tokenizer reads text without
/// references: line ends become `\n`, NUL may become U+FFFD, and `</>`
/// vanishes.
fn same_text(decoded: &str, raw: &str) -> bool {
    decoded_after(decoded, raw).is_some()
}

/// What follows `raw` in `decoded`, when `decoded` starts with it (see
/// [`same_text`]).
fn decoded_after<'d>(decoded: &'d str, raw: &str) -> Option<&'d [u8]> {
    let (mut d, mut r) = (decoded.as_bytes(), raw.as_bytes());
    while let Some((&b, rest)) = r.split_first() {
        // `</>`, which the tokenizer drops (see `push_decoded`).
        if let Some(after) = r.strip_prefix(b"</>")
            && !d.starts_with(b"<")
        {
            r = after;
            continue;
        }
        let (want, rest): (&[u8], &[u8]) = match b {
            b'\r' => (b"\n", rest.strip_prefix(b"\n").unwrap_or(rest)),
            0 if d.starts_with("\u{FFFD}".as_bytes()) => ("\u{FFFD}".as_bytes(), rest),
            _ => (&r[..1], rest),
        };
        let after = d.strip_prefix(want)?;
        (d, r) = (after, rest);
    }
    Some(d)
}

/// How many references written back to back are followed to check a
/// candidate; past that, the next `&` is taken on trust.
const MAX_CHAIN: usize = 8;

/// Whether `raw`, which starts with `&`, can be what `decoded` starts
/// with: a literal `&`, or a reference (checked as [`reference`] checks
/// it, `depth` references into a chain).
fn continues(decoded: &str, raw: &str, depth: usize) -> bool {
    let c = decoded.chars().next();
    (c == Some('&') && literal_ampersand(decoded, raw))
        || reference_in_chain(decoded, raw, 1, Some(depth)).is_some()
        || (c != Some('&') && reference_in_chain(decoded, raw, 2, Some(depth)).is_some())
}

/// If `raw` starts with a character reference that decodes to the first
/// `chars` characters of `decoded`, how many those are and its length in
/// `raw`.
/// A candidate is accepted when what follows it agrees in both texts.
fn reference(decoded: &str, raw: &str, chars: usize) -> Option<(usize, usize)> {
    reference_in_chain(decoded, raw, chars, None)
}

/// [`reference`], for the reference `depth` references into a chain
/// written back to back (`None`: the first). Inside a chain, a candidate
/// must be confirmed by what follows it: the one-letter guess that ends
/// [`reference`] would confirm a wrong candidate before it.
fn reference_in_chain(
    decoded: &str,
    raw: &str,
    chars: usize,
    chain: Option<usize>,
) -> Option<(usize, usize)> {
    let depth = chain.unwrap_or(0);
    let body = &raw.as_bytes()[1..];
    let mut candidates = Vec::new();
    if body.first() == Some(&b'#') {
        // A numeric reference takes every digit there is: `&#7ll` is `&#7`.
        let hex = matches!(body.get(1), Some(b'x' | b'X'));
        let prefix = 1 + usize::from(hex);
        let digits = body[prefix.min(body.len())..]
            .iter()
            .take_while(|b| {
                if hex {
                    b.is_ascii_hexdigit()
                } else {
                    b.is_ascii_digit()
                }
            })
            .count();
        let name_len = prefix + digits;
        if body.get(name_len) == Some(&b';') {
            candidates.push(name_len + 2);
        }
        candidates.push(name_len + 1);
    } else {
        // A named one may be a legacy name followed by letters (`&notit`).
        let name_len = body
            .iter()
            .take(64)
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if body.get(name_len) == Some(&b';') {
            candidates.push(name_len + 2);
        }
        candidates.extend((2..=name_len + 1).rev());
    }
    // The end of the first `chars` characters of `decoded`.
    let end = decoded
        .char_indices()
        .map(|(k, _)| k)
        .chain(std::iter::once(decoded.len()))
        .nth(chars)?;
    // A candidate after which both texts agree up to the next reference
    // wins (`&ampee` is `&amp` then `ee`, not `&ampe` then `e`).
    for &len in &candidates {
        let after = &raw[len..];
        let agrees = match after.find('&') {
            // Another `&` right after: it must account for what follows
            // (`&shyT&P` is `&shy`, `T`, a literal `&`, not `&shyT`).
            Some(0) => depth < MAX_CHAIN && continues(&decoded[end..], after, depth + 1),
            Some(stretch) => same_text(&decoded[end..], &after[..stretch]),
            // To the end: both texts end together.
            None => decoded_after(&decoded[end..], after).is_some_and(<[u8]>::is_empty),
        };
        if agrees {
            return Some((chars, len));
        }
    }
    if chain.is_some() {
        return None;
    }
    let next_d = decoded[end..].chars().next();
    for len in candidates {
        let next_r = raw[len..].chars().next();
        // What follows agrees, or is another reference, checked on its own.
        let agrees =
            next_d == next_r || next_r == Some('&') || next_d == Some('\n') && next_r == Some('\r');
        if agrees {
            return Some((chars, len));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each block's text, and the source of each of its letters.
    fn blocks(html: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        extract(html, 0..html.len(), &mut |b| {
            let letters = b
                .text
                .char_indices()
                .filter(|(_, c)| !c.is_whitespace())
                .map(|(i, c)| &html[b.source_range(i..i + c.len_utf8())])
                .collect::<Vec<_>>()
                .join("|");
            out.push((b.text.clone(), letters));
        });
        out
    }

    fn texts(html: &str) -> Vec<String> {
        blocks(html).into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn copy_and_not_copy() {
        let cases: &[(&str, &[&str])] = &[
            (
                "<p>It <strong>enables</strong> access</p>",
                &["it enables access"],
            ),
            ("<p>en<b>ables</b></p>", &["enables"]),
            ("<p>one</p><p>two</p><li>three", &["one", "two", "three"]),
            ("<div>a<div>b</div>c</div>", &["a", "b", "c"]),
            ("<p>a<br>b</p>", &["a b"]),
            ("<p>ChatGPT<sup>1</sup> daily</p>", &["chatgpt 1 daily"]),
            ("<p>a<script>enables access</script>b</p>", &["a", "b"]),
            ("<style>p{}</style><template>x</template>", &[]),
            (
                "<pre>code</pre><p>see <code>x</code> now</p>",
                &["see \u{FFFC} now"],
            ),
            ("<p>a<!-- hidden -->b</p>", &["ab"]),
            (
                "<img alt=\"Alt text\" src=\"https://x.example/\">",
                &["alt text"],
            ),
            (
                "<a href=\"/enables\" title=\"Title\">Link</a>",
                &["title", "link"],
            ),
            ("<title>Page</title>", &["page"]),
            (
                "<meta name=\"description\" content=\"Desc\"><meta property=\"og:title\" content=\"OG\"><meta name=\"viewport\" content=\"width\">",
                &["desc", "og"],
            ),
            (
                "<meta content=\"Late\" name=\"twitter:description\">",
                &["late"],
            ),
            ("<code><code>x</code>y</code>z", &["\u{FFFC} z"]),
        ];
        for (html, want) in cases {
            assert_eq!(texts(html), *want, "{html}");
        }
    }

    #[test]
    fn a_literal_ampersand_is_not_taken_for_a_reference() {
        // `&nenbsp;` is no reference (`&ne` needs its `;`); the letters
        // after it, and the references further on, map to themselves.
        let html = "p&nenbsp;AI, calls ChatGPT\n\nto &#x4F;penAI&#39;s caf&eacute;.";
        let (_, letters) = &blocks(html)[0];
        assert!(
            letters.starts_with("p|&|n|e|n|b|s|p|;|A|I|,|c|a|l|l|s|"),
            "{letters}"
        );
        assert!(
            letters.ends_with("|&#x4F;|p|e|n|A|I|&#39;|s|c|a|f|&eacute;|."),
            "{letters}"
        );
        for (html, want) in [
            // A carriage return the tokenizer turns into a line feed.
            ("&ll\rChatGPT", "&|l|l|C|h|a|t|G|P|T"),
            // A numeric reference without its `;` ends with its digits.
            ("&#7ll Open&nbspAI", "&#7|l|l|O|p|e|n|A|I"),
            // A legacy reference without `;` before letters that agree.
            ("&ampee Chat&shy;GPT", "&amp|e|e|C|h|a|t|G|P|T"),
            // `</>`, which the tokenizer drops without a trace.
            ("a </>GPT4 b", "a|G|P|T|4|b"),
            // A legacy reference without `;` before letters and a literal `&`.
            ("&ampCh&sh &#x4FpenAI", "&amp|C|h|&|s|h|&#x4F|p|e|n|A|I"),
            ("&ee </>&#x4FpenAI", "&|e|e|&#x4F|p|e|n|A|I"),
            (
                "&shyT&P G;amp; calls on OpenAI",
                "T|&|P|G|;|a|m|p|;|c|a|l|l|s|o|n|O|p|e|n|A|I",
            ),
        ] {
            assert_eq!(blocks(html)[0].1, want, "{html:?}");
        }
        // A NUL, which the tokenizer passes on in text.
        let (_, letters) = &blocks("&cc\0\rgpt-oss")[0];
        assert!(letters.ends_with("c|c|\0|g|p|t|-|o|s|s"), "{letters:?}");
    }

    #[test]
    fn entities_map_to_their_reference() {
        let got = blocks("<p>A&amp;B caf&eacute; &#x41;&#66; AT&T x&nbsp;y &ampz</p>");
        assert_eq!(got[0].0, "a&b café ab at&t x y &z");
        assert_eq!(
            got[0].1,
            "A|&amp;|B|c|a|f|&eacute;|&#x41;|&#66;|A|T|&|T|x|y|&amp|z"
        );
    }

    #[test]
    fn attribute_entities_and_offsets() {
        let html = "<img alt='en&shy;ables \"x\"'>";
        let got = blocks(html);
        assert_eq!(got[0].0, "enables \"x\"");
        assert_eq!(got[0].1, "e|n|a|b|l|e|s|\"|x|\"");
    }

    #[test]
    fn crlf_maps_to_both_bytes() {
        let got = blocks("<p>a\r\nb</p>");
        assert_eq!(got[0].0, "a b");
    }

    #[test]
    fn deep_nesting_is_linear() {
        let html = "<div>".repeat(200_000) + "enables access" + &"</div>".repeat(200_000);
        assert_eq!(texts(&html), ["enables access"]);
    }
}
