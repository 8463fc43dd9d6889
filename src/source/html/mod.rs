//! HTML extraction, for `.html` files and for HTML inside Markdown.
//!
//! The source map is made as the tokenizer reads (see [`pieces`]): each
//! decoded piece comes with the bytes it was read from, so a character
//! reference maps back to the whole reference and the rest byte for byte.
//! Prose is the text of elements, the `alt` and `title`
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

mod pieces;

use std::ops::Range;

use html5gum::emitters::callback::CallbackEvent;

pub use pieces::{Piece, decode_text, for_each_piece};

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
    let mut state = State::new(text, range.start, f);
    state.run(&text[range]);
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
    let mut state = State::new(text, range.start, f);
    state.fragment = true;
    state.run(&text[range]);
    std::mem::take(&mut state.tags)
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
    // The value alone, in a tag of its own, between quotes it cannot hold.
    let quote = match (raw.contains('"'), raw.contains('\'')) {
        (false, _) => Some('"'),
        (true, false) => Some('\''),
        (true, true) => None,
    };
    match quote {
        Some(quote) if raw.contains('&') || raw.contains('\r') || raw.contains('\0') => {
            let tag = format!("<x a={quote}{raw}{quote}>");
            // Where the value starts in `tag`.
            let at = "<x a=".len() + 1;
            pieces::for_each_piece(&tag, &mut |piece| {
                if piece.attribute {
                    let raw = span.start + piece.raw.start - at..span.start + piece.raw.end - at;
                    push_piece(&mut builder, text, piece.text, raw);
                }
            });
        }
        _ => builder.push_str(raw, span.start),
    }
    flush(&mut builder, f);
}

/// Appends a piece decoded from `text[raw]`: byte for byte when it is
/// written as itself, else as standing for all of `raw`.
fn push_piece(builder: &mut BlockBuilder, text: &str, decoded: &str, raw: Range<usize>) {
    if text.get(raw.clone()) == Some(decoded) {
        builder.push_str(decoded, raw.start);
    } else {
        builder.push_replaced(decoded, raw);
    }
}

/// Extraction state: the builders of text and attribute blocks, and which
/// skipped elements are open.
struct State<'t, 'f> {
    text: &'t str,
    base: usize,
    f: &'f mut dyn FnMut(&Block),
    flow: BlockBuilder,
    attr: BlockBuilder,
    open: [u32; SKIPPED.len()],
    tag: Vec<u8>,
    attr_name: Vec<u8>,
    /// The pieces of the attribute value being read.
    value: Vec<(String, Range<usize>)>,
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

impl<'t, 'f> State<'t, 'f> {
    fn new(text: &'t str, base: usize, f: &'f mut dyn FnMut(&Block)) -> State<'t, 'f> {
        State {
            text,
            base,
            f,
            flow: BlockBuilder::default(),
            attr: BlockBuilder::default(),
            open: [0; SKIPPED.len()],
            tag: Vec::new(),
            attr_name: Vec::new(),
            value: Vec::new(),
            meta_copy: false,
            meta_content: Vec::new(),
            fragment: false,
            tags: Vec::new(),
            skipped_from: None,
            skipped: Vec::new(),
            noscript: None,
        }
    }

    fn run(&mut self, html: &str) {
        pieces::tokenize(html, self);
        self.noscript_end();
        flush(&mut self.flow, self.f);
    }

    /// Reads the raw text of the `<noscript>` that ends here as HTML.
    fn noscript_end(&mut self) {
        let Some((start, end)) = self.noscript.take().filter(|(s, e)| s < e) else {
            return;
        };
        let range = start..end;
        flush(&mut self.flow, self.f);
        let mut inner = State::new(self.text, range.start, &mut *self.f);
        inner.run(&self.text[range.clone()]);
        if let Some(start) = inner.skipped_from {
            inner.skipped.push(start..range.end);
        }
        let mut skipped = std::mem::take(&mut inner.skipped);
        self.skipped.append(&mut skipped);
    }

    fn skipping(&self) -> bool {
        self.open.iter().any(|&n| n > 0)
    }

    /// A start (`start`) or end tag of the element named in `self.tag`.
    fn element(&mut self, start: bool, span: Range<usize>) {
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
                    flush(&mut self.flow, self.f);
                }
            }
            Effect::Block => flush(&mut self.flow, self.f),
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

    /// The attribute named `self.attr_name` has the value `value`, read
    /// in the pieces of `self.value`.
    fn attribute(&mut self, value: &[u8]) {
        let pieces = std::mem::take(&mut self.value);
        if self.skipping() {
            return;
        }
        match self.attr_name.as_slice() {
            b"alt" | b"title" => {
                for (decoded, raw) in pieces {
                    push_piece(&mut self.attr, self.text, &decoded, raw);
                }
            }
            b"name" | b"property" if self.tag == b"meta" => {
                let lower = value.to_ascii_lowercase();
                self.meta_copy |= META_COPY.contains(&lower.as_slice());
            }
            b"content" if self.tag == b"meta" => self.meta_content = pieces,
            _ => {}
        }
    }
}

impl pieces::Sink for State<'_, '_> {
    fn piece(&mut self, piece: Piece<'_>) {
        let raw = self.base + piece.raw.start..self.base + piece.raw.end;
        if piece.attribute {
            self.value.push((piece.text.to_string(), raw));
        } else if let Some((start, end)) = &mut self.noscript {
            *start = raw.start.min(*start);
            *end = raw.end.max(*end);
        } else if !self.fragment && !self.skipping() {
            push_piece(&mut self.flow, self.text, piece.text, raw);
        }
    }

    fn event(&mut self, event: CallbackEvent<'_>, span: Range<usize>) {
        let span = self.base + span.start..self.base + span.end;
        match event {
            CallbackEvent::OpenStartTag { name } => {
                self.tag.clear();
                self.tag.extend(name.iter().map(u8::to_ascii_lowercase));
                self.meta_copy = false;
                self.meta_content.clear();
                self.value.clear();
                self.element(true, span);
            }
            CallbackEvent::AttributeName { name } => {
                flush(&mut self.attr, self.f);
                self.value.clear();
                self.attr_name.clear();
                self.attr_name
                    .extend(name.iter().map(u8::to_ascii_lowercase));
            }
            CallbackEvent::AttributeValue { value } => self.attribute(value),
            CallbackEvent::CloseStartTag { .. } => {
                flush(&mut self.attr, self.f);
                self.value.clear();
                if self.meta_copy {
                    for (value, raw) in std::mem::take(&mut self.meta_content) {
                        push_piece(&mut self.attr, self.text, &value, raw);
                    }
                    flush(&mut self.attr, self.f);
                }
            }
            CallbackEvent::EndTag { name } => {
                self.value.clear();
                let name: Vec<u8> = name.iter().map(u8::to_ascii_lowercase).collect();
                self.tag = name;
                if self.tag == b"noscript" {
                    self.noscript_end();
                }
                self.element(false, span);
            }
            CallbackEvent::String { .. }
            | CallbackEvent::Comment { .. }
            | CallbackEvent::Doctype { .. }
            | CallbackEvent::Error(_) => {}
        }
    }
}

fn flush(builder: &mut BlockBuilder, f: &mut dyn FnMut(&Block)) {
    if let Some(block) = builder.finish() {
        f(block);
    }
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
