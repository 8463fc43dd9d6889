//! The HTML source map, made while the tokenizer reads: an html5gum
//! emitter that sees each decoded piece of text or attribute value at the
//! moment the tokenizer has consumed the bytes it was written with, and
//! records that raw range beside it.
//!
//! html5gum keeps its emitter's position at the end of what it has
//! consumed, stepping back over a character it only looked ahead at, so a
//! piece starts where the previous one ended (or where a string or value
//! began: after a tag, comment, doctype or quote) and ends where the
//! position stands when it is emitted. A character reference is one piece,
//! `&fjlig;` decoding to `fj` included; a run of text written as itself
//! may come in several pieces, which [`Pieces`] glues back into one so that
//! no piece splits a character. Nothing is re-derived after the fact.

use std::convert::Infallible;
use std::ops::Range;

use html5gum::emitters::callback::{Callback, CallbackEmitter, CallbackEvent};
use html5gum::{Emitter, ForwardingEmitter, Span, State, Tokenizer};

/// One decoded piece and the bytes it was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece<'a> {
    /// The decoded text.
    pub text: &'a str,
    /// Where it is written, in the text given to [`for_each_piece`].
    pub raw: Range<usize>,
    /// Whether it is part of an attribute value rather than of the text.
    pub attribute: bool,
}

/// What reads a tokenization: its pieces, and its other events (tags,
/// attribute names and whole values, comments), in the order of the bytes.
pub(super) trait Sink {
    fn piece(&mut self, piece: Piece<'_>);
    /// An event other than text: a `String` event never comes here.
    fn event(&mut self, event: CallbackEvent<'_>, span: Range<usize>);
}

/// Calls `f` with each piece of text and of attribute value in `html`, in
/// order, with the offsets in `html` it was read from; elements whose text
/// is raw (`<script>`, `<style>`, `<textarea>`…) are read as a browser
/// reads them. Pieces of one kind written as themselves and touching are
/// given as one.
pub fn for_each_piece(html: &str, f: &mut dyn FnMut(Piece<'_>)) {
    struct Forward<'f>(&'f mut dyn FnMut(Piece<'_>));
    impl Sink for Forward<'_> {
        fn piece(&mut self, piece: Piece<'_>) {
            (self.0)(piece);
        }
        fn event(&mut self, _: CallbackEvent<'_>, _: Range<usize>) {}
    }
    tokenize(html, &mut Forward(f));
}

/// Tokenizes `html`, telling `sink` what it reads (offsets in `html`).
pub(super) fn tokenize(html: &str, sink: &mut dyn Sink) {
    let mut inner = CallbackEmitter::new(Pieces {
        text: html,
        sink,
        pending: None,
    });
    inner.naively_switch_states(true);
    let emitter = Recorder {
        inner,
        text: html.as_bytes(),
        position: 0,
        mark: 0,
    };
    // Reading a string cannot fail.
    let _ = Tokenizer::new_with_emitter(html, emitter).finish();
}

/// Decodes `raw` as the tokenizer decodes text in an element such as
/// `<title>`, whose text has character references but no tags: what a
/// reference (or a `\r\n`, or a NUL) stands for.
pub fn decode_text(raw: &str) -> String {
    let mut tokenizer = Tokenizer::new(raw);
    tokenizer.set_state(State::RcData);
    let mut out = String::new();
    for token in tokenizer.flatten() {
        if let html5gum::Token::String(s) = token {
            out.push_str(&String::from_utf8_lossy(&s));
        }
    }
    out
}

/// The emitter: html5gum's callback emitter for the events, and beside it
/// the position, to give each piece its raw range.
struct Recorder<'t, 's> {
    inner: CallbackEmitter<Pieces<'t, 's>, Infallible, usize>,
    text: &'t [u8],
    /// How far the tokenizer has consumed, as it tells the emitter.
    position: usize,
    /// Where the next piece starts.
    mark: usize,
}

impl Recorder<'_, '_> {
    fn piece(&mut self, decoded: &[u8], attribute: bool) {
        if decoded.is_empty() {
            return;
        }
        let start = self.mark.min(self.position);
        let mut end = self.position;
        // A `\r\n` is one line break: the tokenizer reads the `\n` later,
        // silently. The break's piece owns both bytes.
        if decoded.ends_with(b"\n")
            && end > 0
            && self.text.get(end - 1) == Some(&b'\r')
            && self.text.get(end) == Some(&b'\n')
        {
            end += 1;
        }
        self.mark = end;
        self.inner
            .callback_mut()
            .push(decoded, start..end, attribute);
    }
}

impl ForwardingEmitter for Recorder<'_, '_> {
    type Token = Infallible;

    fn inner(&mut self) -> &mut impl Emitter<Token = Self::Token> {
        &mut self.inner
    }

    fn move_position(&mut self, offset: isize) {
        self.position = self.position.saturating_add_signed(offset);
        self.inner.move_position(offset);
    }

    fn should_emit_errors(&mut self) -> bool {
        false
    }

    fn init_string(&mut self) {
        self.mark = self.position;
        self.inner.init_string();
    }

    fn emit_string(&mut self, s: &[u8]) {
        self.inner.emit_string(s);
        self.piece(s, false);
    }

    fn init_attribute_value(&mut self) {
        self.mark = self.position;
        self.inner.init_attribute_value();
    }

    fn push_attribute_value(&mut self, s: &[u8]) {
        // First the inner emitter, which may report the attribute's name.
        self.inner.push_attribute_value(s);
        self.piece(s, true);
    }

    fn emit_current_tag(&mut self) -> Option<State> {
        let state = self.inner.emit_current_tag();
        self.mark = self.position;
        state
    }

    fn emit_current_comment(&mut self) {
        self.inner.emit_current_comment();
        self.mark = self.position;
    }

    fn emit_current_doctype(&mut self) {
        self.inner.emit_current_doctype();
        self.mark = self.position;
    }

    fn emit_eof(&mut self) {
        self.inner.emit_eof();
        self.inner.callback_mut().flush();
    }
}

/// The callback: glues pieces written as themselves, and hands pieces and
/// events to the sink in order.
struct Pieces<'t, 's> {
    text: &'t str,
    sink: &'s mut dyn Sink,
    /// Touching pieces written as themselves, not yet handed on.
    pending: Option<(Range<usize>, bool)>,
}

impl Pieces<'_, '_> {
    fn push(&mut self, decoded: &[u8], raw: Range<usize>, attribute: bool) {
        let verbatim = self.text.as_bytes().get(raw.clone()) == Some(decoded);
        if verbatim {
            match &mut self.pending {
                Some((run, kind)) if run.end == raw.start && *kind == attribute => {
                    run.end = raw.end;
                }
                _ => {
                    self.flush();
                    self.pending = Some((raw, attribute));
                }
            }
            return;
        }
        self.flush();
        let text = String::from_utf8_lossy(decoded);
        self.sink.piece(Piece {
            text: &text,
            raw,
            attribute,
        });
    }

    fn flush(&mut self) {
        let Some((raw, attribute)) = self.pending.take() else {
            return;
        };
        match self.text.get(raw.clone()) {
            Some(text) => self.sink.piece(Piece {
                text,
                raw,
                attribute,
            }),
            // Not whole characters: cannot happen for input read from a
            // `str`, as a run ends at a byte the tokenizer stops at (ASCII).
            None => {
                let text = String::from_utf8_lossy(&self.text.as_bytes()[raw.clone()]);
                self.sink.piece(Piece {
                    text: &text,
                    raw,
                    attribute,
                });
            }
        }
    }
}

impl Callback<Infallible, usize> for Pieces<'_, '_> {
    fn handle_event(&mut self, event: CallbackEvent<'_>, span: Span<usize>) -> Option<Infallible> {
        if !matches!(event, CallbackEvent::String { .. }) {
            self.flush();
            self.sink.event(event, span.start..span.end);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each piece as `decoded<raw>`, `@` marking an attribute's.
    fn pieces(html: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_piece(html, &mut |p| {
            let at = if p.attribute { "@" } else { "" };
            out.push(format!("{at}{}<{}>", p.text, &html[p.raw]));
        });
        out
    }

    #[test]
    fn each_reference_is_a_piece_of_its_own() {
        assert_eq!(
            pieces("Open&fjlig;AI&rsquo;s &notit; &#x4F;k &amp"),
            [
                "Open<Open>",
                "fj<&fjlig;>",
                "AI<AI>",
                "\u{2019}<&rsquo;>",
                "s <s >",
                "\u{AC}<&not>",
                "it; <it; >",
                "O<&#x4F;>",
                "k <k >",
                "&<&amp>",
            ]
        );
    }

    #[test]
    fn tags_comments_and_attributes_split_pieces() {
        assert_eq!(
            pieces("en<b>ab</b>l<!-- x -->es<img alt=\"a&amp;b\" title=c&ampd>"),
            [
                "en<en>",
                "ab<ab>",
                "l<l>",
                "es<es>",
                "@a<a>",
                "@&<&amp;>",
                "@b<b>",
                "@c&ampd<c&ampd>",
            ]
        );
    }

    #[test]
    fn line_breaks_nul_and_dropped_end_tags() {
        assert_eq!(
            pieces("a\r\nb\rc</>d<![CDATA[x]]>e"),
            ["a<a>", "\n<\r\n>", "b<b>", "\n<\r>", "c<c>", "d<d>", "e<e>"]
        );
        assert_eq!(
            pieces("<title>a\0b</title>"),
            ["a<a>", "\u{FFFD}<\0>", "b<b>"]
        );
    }

    #[test]
    fn decodes_text_as_the_tokenizer_does() {
        assert_eq!(decode_text("&fjlig;"), "fj");
        assert_eq!(decode_text("&notit;"), "\u{AC}it;");
        assert_eq!(decode_text("\r\n"), "\n");
    }
}
