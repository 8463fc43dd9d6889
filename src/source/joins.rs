//! Words that markup makes: in Markdown and HTML, emphasis delimiters, link
//! brackets and destinations, footnote references and inline tags vanish
//! from the copy, so the letters on either side of them join into one word
//! (`en*abl*es`, `[Chat](x)GPT`, `en<b>abl</b>es`). Those words are not
//! written anywhere in the raw bytes the prefilter searches, so
//! [`for_each_joined`] hands it each run of pieces that may join, glued,
//! to search as well.
//!
//! It must never miss a word that extraction makes: gluing too much only
//! costs a file the full check, gluing too little would skip a finding. So
//! every delimiter and bracket counts as vanishing (a literal `*` glued by
//! mistake is harmless), while markup that hides letters (a link's
//! destination, a reference label, a tag and its attributes) is skipped
//! only when it is written in the plain form whose end is certain; any
//! other form makes the whole file uncertain, and it gets the full check.

use super::entities;

/// What [`for_each_joined`] concluded.
#[derive(Debug, PartialEq, Eq)]
pub enum Joins {
    /// Every joined word was given, and none was wanted.
    Seen,
    /// The callback wanted a word, or some markup could not be read with
    /// certainty: the file needs the full check.
    MayMatch,
}

/// Finds the bytes of markup that may vanish from the copy (longer
/// constructs aside): `*`, `_`, `~`, `[`, `]`, `<` and `&`, with
/// vectorized searches, remembering where each found its next.
#[derive(Default)]
struct Vanishing {
    /// The next of `*`, `_`, `~`, of `[`, `]`, `<` and of `&` at or after
    /// the offset each search started from (`usize::MAX`: none), and that
    /// offset.
    emphasis: Option<(usize, usize)>,
    brackets: Option<(usize, usize)>,
    ampersand: Option<(usize, usize)>,
}

impl Vanishing {
    /// The first such byte at or after `from`.
    fn next(&mut self, text: &[u8], from: usize) -> Option<usize> {
        let find = |cache: &mut Option<(usize, usize)>, [a, b, c]: [u8; 3]| match *cache {
            Some((start, next)) if start <= from && (next == usize::MAX || from <= next) => next,
            _ => {
                let next = text
                    .get(from..)
                    .and_then(|rest| memchr::memchr3(a, b, c, rest))
                    .map_or(usize::MAX, |i| from + i);
                *cache = Some((from, next));
                next
            }
        };
        let next = find(&mut self.emphasis, [b'*', b'_', b'~'])
            .min(find(&mut self.brackets, [b'[', b']', b'<']))
            .min(find(&mut self.ampersand, [b'&'; 3]));
        (next != usize::MAX).then_some(next)
    }
}

/// How long a link label or destination can be read before giving up.
const LABEL_MAX: usize = 1000;

/// Calls `f` with each run of pieces that markup in `text` may join into
/// one word (only their ASCII letters and digits, glued as written), with
/// the offset in it where each piece starts, until `f` returns true.
///
/// Each join may also not happen (an image or a `<br>` separates the words
/// around it), so any piece may start a word and any piece may end one: a
/// word made by markup is a run of consecutive pieces.
pub fn for_each_joined(text: &[u8], mut f: impl FnMut(&[u8], &[usize]) -> bool) -> Joins {
    let mut word: Vec<u8> = Vec::new();
    let mut starts: Vec<usize> = Vec::new();
    // Where the last piece ends in `text`: a join right there extends the run.
    let mut word_end = usize::MAX;
    let mut vanishing = Vanishing::default();
    let mut k = 0;
    while let Some(at) = vanishing.next(text, k) {
        k = at;
        // A legacy reference hides the start of the word after it, even
        // with no letter before it (` &nbspAI`).
        if !(k > 0 && text[k - 1].is_ascii_alphanumeric()) && text[k] != b'&' {
            k += 1;
            continue;
        }
        let Some(end) = skip_markup(text, k) else {
            return Joins::MayMatch;
        };
        let right = alphanumeric_run(text, end);
        if right == end {
            k = end.max(k + 1);
            continue;
        }
        if word_end != k {
            if !word.is_empty() && f(&word, &starts) {
                return Joins::MayMatch;
            }
            word.clear();
            starts.clear();
            let left = k - text[..k]
                .iter()
                .rev()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            starts.push(0);
            word.extend_from_slice(&text[left..k]);
        }
        if starts.last() != Some(&word.len()) {
            starts.push(word.len());
        }
        word.extend_from_slice(&text[end..right]);
        word_end = right;
        k = right;
    }
    if !word.is_empty() && f(&word, &starts) {
        return Joins::MayMatch;
    }
    Joins::Seen
}

/// The end of the run of ASCII letters and digits at `at`.
fn alphanumeric_run(text: &[u8], at: usize) -> usize {
    at + text[at..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count()
}

/// The end of the markup that starts at `at` and may vanish, or `None` when
/// its end is not certain.
fn skip_markup(text: &[u8], mut at: usize) -> Option<usize> {
    loop {
        match text.get(at) {
            Some(b'*' | b'_' | b'~') => at += 1,
            Some(b'&') => match entities::legacy_end(text, at) {
                Some(end) => at = end,
                None => return Some(at),
            },
            Some(b'[') if text.get(at + 1) == Some(&b'^') => at = label_end(text, at)?,
            Some(b'[') => at += 1,
            Some(b']') => {
                at += 1;
                match text.get(at) {
                    Some(b'(') => at = destination_end(text, at)?,
                    // `[x][]`: a collapsed reference, or two brackets.
                    Some(b'[') if text.get(at + 1) == Some(&b']') => at += 2,
                    // `[x][ref]` hides `ref` or shows it, depending on the
                    // definitions; consecutive links join (`[Ch][at]`).
                    Some(b'[') => return None,
                    _ => {}
                }
            }
            Some(b'<') => match tag_end(text, at) {
                Tag::End(end) => at = end,
                Tag::Text => return Some(at),
                Tag::Uncertain => return None,
            },
            _ => return Some(at),
        }
    }
}

/// The end of a footnote reference (`[^note]`) starting at `at`.
fn label_end(text: &[u8], at: usize) -> Option<usize> {
    let rest = &text[at + 1..text.len().min(at + 1 + LABEL_MAX)];
    let close = rest
        .iter()
        .position(|&b| matches!(b, b']' | b'[' | b'\\'))?;
    (rest[close] == b']').then_some(at + 1 + close + 1)
}

/// The end of a link destination written plainly, `(url)`, starting at
/// `at`; `None` for a title, an angle-bracketed or nested destination.
fn destination_end(text: &[u8], at: usize) -> Option<usize> {
    let rest = &text[at + 1..text.len().min(at + 1 + LABEL_MAX)];
    let close = rest.iter().position(|&b| {
        matches!(b, b')' | b'(' | b'<' | b'"' | b'\'' | b'\\') || b.is_ascii_whitespace()
    })?;
    (rest[close] == b')').then_some(at + 1 + close + 1)
}

/// What a `<` starts.
enum Tag {
    /// A tag, comment or autolink ending there.
    End(usize),
    /// Not markup: a literal `<` (`a < b`).
    Text,
    /// Something a reader might take for markup, of uncertain end.
    Uncertain,
}

/// Reads the tag, comment or autolink at `text[at] == b'<'`.
///
/// A tag is read as CommonMark defines an open or closing tag (which
/// HTML's tokenizer also reads as one tag): a name of ASCII letters,
/// digits and `-`, then attributes whose names are letters, digits and
/// `_ : . -` and whose values are quoted or plain. An autolink is a
/// scheme, a colon and no spaces. Anything else that starts like markup
/// (a letter, `/`, `!` or `?` after the `<`) is uncertain.
fn tag_end(text: &[u8], at: usize) -> Tag {
    let rest = &text[at + 1..];
    if let Some(comment) = rest.strip_prefix(b"!--") {
        // `<!-->`, `<!--->` and `--!>` end a comment early for some readers.
        if comment.starts_with(b">") || comment.starts_with(b"->") {
            return Tag::Uncertain;
        }
        // A `<` inside may open a tag for an MDX reader, which does not
        // read HTML comments.
        return match memchr::memmem::find(comment, b"-->") {
            Some(end)
                if memchr::memmem::find(&comment[..end], b"--!>").is_none()
                    && !comment[..end].contains(&b'<') =>
            {
                Tag::End(at + 4 + end + 3)
            }
            _ => Tag::Uncertain,
        };
    }
    let closing = rest.first() == Some(&b'/');
    let name_at = usize::from(closing);
    match rest.get(name_at) {
        Some(b) if b.is_ascii_alphabetic() => {}
        Some(b'!' | b'?') if !closing => return Tag::Uncertain,
        _ if closing => return Tag::Uncertain,
        _ => return Tag::Text,
    }
    let name_end = name_at
        + rest[name_at..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
            .count();
    // An autolink: `<https://…>`, `<name@example.com>`.
    if !closing && matches!(rest.get(name_end), Some(b':' | b'@' | b'.' | b'+')) {
        return match rest.iter().take(LABEL_MAX).position(|&b| {
            b == b'>' || b == b'<' || b.is_ascii_whitespace() || b.is_ascii_control()
        }) {
            Some(end) if rest[end] == b'>' => Tag::End(at + 1 + end + 1),
            _ => Tag::Uncertain,
        };
    }
    match attributes_end(rest, name_end, closing) {
        Some(end) => Tag::End(at + 1 + end),
        None => Tag::Uncertain,
    }
}

/// The end (after `>`) of a tag whose name ends at `rest[at]`, when the rest
/// of it is CommonMark's attribute syntax.
fn attributes_end(rest: &[u8], mut at: usize, closing: bool) -> Option<usize> {
    let space = |rest: &[u8], at: usize| {
        at + rest[at..]
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count()
    };
    loop {
        let after_space = space(rest, at);
        match rest.get(after_space)? {
            b'>' => return Some(after_space + 1),
            b'/' if !closing && rest.get(after_space + 1) == Some(&b'>') => {
                return Some(after_space + 2);
            }
            b if !closing
                && after_space > at
                && (b.is_ascii_alphabetic() || *b == b'_' || *b == b':') =>
            {
                at = after_space
                    + rest[after_space..]
                        .iter()
                        .take_while(|b| b.is_ascii_alphanumeric() || b"_:.-".contains(b))
                        .count();
                let eq = space(rest, at);
                if rest.get(eq) == Some(&b'=') {
                    at = value_end(rest, space(rest, eq + 1))?;
                }
            }
            _ => return None,
        }
    }
}

/// The end of an attribute value at `rest[at]`: quoted, or plain.
fn value_end(rest: &[u8], at: usize) -> Option<usize> {
    match rest.get(at)? {
        &quote @ (b'"' | b'\'') => {
            let close = memchr::memchr(quote, &rest[at + 1..])?;
            Some(at + 1 + close + 1)
        }
        _ => {
            let len = rest[at..]
                .iter()
                .take_while(|b| !b.is_ascii_whitespace() && !b"\"'=<>`".contains(b))
                .count();
            (len > 0).then_some(at + len)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each run of pieces, the pieces separated by `|`.
    fn joined(text: &str) -> Result<Vec<String>, ()> {
        let mut words = Vec::new();
        match for_each_joined(text.as_bytes(), |w, starts| {
            let mut shown = String::from_utf8_lossy(w).into_owned();
            for &at in starts.iter().skip(1).rev() {
                shown.insert(at, '|');
            }
            words.push(shown);
            false
        }) {
            Joins::Seen => Ok(words),
            Joins::MayMatch => Err(()),
        }
    }

    #[test]
    fn glues_the_pieces_markup_separates() {
        for (text, words) in [
            ("en*abl*es access", &["en|abl|es"][..]),
            ("**Chat**GPT", &["Chat|GPT"]),
            ("[Chat](https://x.example/a_b)GPT", &["Chat|GPT"]),
            ("[Chat](x)*GPT*", &["Chat|GPT"]),
            ("Chat[GPT](x)", &["Chat|GPT"]),
            ("Chat<https://x>GPT", &["Chat|GPT"]),
            ("_Chat_*GPT*", &["Chat|GPT"]),
            ("[Chat][]GPT", &["Chat|GPT"]),
            ("Chat[^1]GPT and en<b>abl</b>es", &["Chat|GPT", "en|abl|es"]),
            ("Chat<!-- a > b -->GPT", &["Chat|GPT"]),
            ("Chat<span title=\"a>b\" data-x=y>GPT</span>", &["Chat|GPT"]),
            ("Chat<br/>GPT", &["Chat|GPT"]),
            ("![a](b)l<b>atest", &["a|l|atest"]),
            ("snake_case_name", &["snake|case|name"]),
            ("en&shyables, Open&nbsp;AI", &["en|ables"]),
            (" &nbspAI, &notin;x, AT&T", &["AI", "in"]),
        ] {
            assert_eq!(
                joined(text),
                Ok(words.iter().map(|w| w.to_string()).collect()),
                "{text}"
            );
        }
    }

    #[test]
    fn leaves_separate_words_alone() {
        for text in [
            "**Bold** text",
            "[link](x) and more",
            "a *b* c",
            "x ~~y~~ z",
            "a < b and c<3",
            "Vec<u8> is a type",
        ] {
            assert_eq!(joined(text), Ok(Vec::new()), "{text}");
        }
    }

    #[test]
    fn markup_of_uncertain_end_needs_the_full_check() {
        for text in [
            "[Chat](x \"a title\")GPT",
            "[Chat](<x y>)GPT",
            "Chat<b c*d*e>GPT",
            "Chat<!-- never closed",
            "Chat<?php x ?>GPT",
            "Chat</b x>GPT",
            "Chat[^note",
            "[Ch][at]",
            "[Ch][at](x)GPT",
        ] {
            assert_eq!(joined(text), Err(()), "{text}");
        }
    }

    #[test]
    fn stops_when_a_word_is_wanted() {
        let mut seen = 0;
        let r = for_each_joined(b"a*b* c*d* e*f*", |_, _| {
            seen += 1;
            seen == 2
        });
        assert_eq!((r, seen), (Joins::MayMatch, 2));
    }
}
