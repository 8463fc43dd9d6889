//! Sentence boundaries in a block's normalized text: where claims are
//! read, where a mention's sentence ends, and which blocks are short
//! fragments (a headline, an ad) read as one.

use std::ops::Range;

/// Abbreviations that never end a sentence (titles, "e.g.", "i.e."),
/// written in lower case without their last dot.
const NEVER_FINAL: &[&str] = &["mr", "mrs", "ms", "dr", "prof", "e.g", "i.e"];

/// Full-width sentence ends: "。", "？", "！" (three bytes each).
const CJK_ENDS: [&str; 3] = ["\u{3002}", "\u{FF1F}", "\u{FF01}"];

/// Most words of a reply that pronouns look past ("Not anymore.").
const SHORT_REPLY: usize = 3;

/// Abbreviations that do not end a sentence when a lower-case word or a
/// digit follows.
const RARELY_FINAL: &[&str] = &[
    "etc", "u.s", "u.k", "inc", "ltd", "corp", "vs", "approx", "no",
];

/// Sentence boundaries of a block: a sentence ends at `.`, `!` or `?`
/// followed by a space or the end of the block, with any closing quotes or
/// brackets in between (`“… our data.” Next`), except after the
/// abbreviations above.
pub(crate) struct Sentences {
    starts: Vec<usize>,
}

impl Sentences {
    /// `upper` tells whether the source character at a normalized offset is
    /// an upper-case letter (the text itself is lower-cased).
    pub(crate) fn new(text: &str, upper: &dyn Fn(usize) -> bool) -> Sentences {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            // A full-width stop, question or exclamation mark ends a
            // sentence with no space after it (Japanese, Chinese).
            if b >= 0xE3
                && CJK_ENDS
                    .iter()
                    .any(|e| bytes[i..].starts_with(e.as_bytes()))
            {
                if i + 3 < bytes.len() {
                    starts.push(i + 3);
                }
                continue;
            }
            if !matches!(b, b'.' | b'!' | b'?') {
                continue;
            }
            let mut end = i + 1;
            while matches!(bytes.get(end), Some(b'"' | b'\'' | b')' | b']')) {
                end += 1;
            }
            if matches!(bytes.get(end), None | Some(b' '))
                && !(b == b'.' && end == i + 1 && abbreviation(text, i, upper))
            {
                starts.push(end);
            }
        }
        Sentences { starts }
    }

    /// The sentences that hold a name (starting at one of `names`), or
    /// follow one that does (a pronoun there may stand for it), each with
    /// the sentence before it. Past a short reply ("Not anymore.", "Yes.")
    /// the sentence after it is read too, with the named sentence as the
    /// one before it: "Q: … OpenAI models? A: Not anymore. Bedrock serves
    /// them natively."
    pub(crate) fn with_names(
        &self,
        names: impl Iterator<Item = usize>,
        text: &str,
    ) -> Vec<(Range<usize>, Option<Range<usize>>)> {
        let len = text.len();
        let range = |i: usize| self.starts[i]..self.starts.get(i + 1).copied().unwrap_or(len);
        let short = |i: usize| text[range(i)].split_whitespace().count() <= SHORT_REPLY;
        // Each sentence read, with the one its pronouns look back to.
        let mut read: Vec<(usize, Option<usize>)> = names
            .flat_map(|start| {
                let i = self.of(start);
                let mut next = vec![(i, i.checked_sub(1)), (i + 1, Some(i))];
                if i + 2 < self.starts.len() && short(i + 1) {
                    next.push((i + 2, Some(i)));
                }
                next
            })
            .filter(|&(i, _)| i < self.starts.len())
            .collect();
        // A sentence that holds a name is read with the sentence before it;
        // one reached past a reply, with the named sentence.
        read.sort_unstable_by_key(|&(i, back)| (i, std::cmp::Reverse(back)));
        read.dedup_by_key(|(i, _)| *i);
        read.into_iter()
            .map(|(i, back)| (range(i), back.map(range)))
            .collect()
    }

    /// How many sentences hold a word.
    pub(crate) fn count(&self, text: &str) -> usize {
        (0..self.starts.len())
            .filter(|&i| {
                let end = self.starts.get(i + 1).copied().unwrap_or(text.len());
                !text[self.starts[i]..end].trim().is_empty()
            })
            .count()
    }

    /// Whether some sentence is a fragment: a few words and no verb to be
    /// or have ("GPT-5.", "One AWS bill.").
    pub(crate) fn has_fragment(&self, text: &str) -> bool {
        (0..self.starts.len()).any(|i| {
            let end = self.starts.get(i + 1).copied().unwrap_or(text.len());
            let words: Vec<&str> = text[self.starts[i]..end].split_whitespace().collect();
            !words.is_empty()
                && words.len() <= 3
                && !words.iter().any(|w| {
                    let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'');
                    matches!(
                        w,
                        "is" | "are"
                            | "was"
                            | "were"
                            | "be"
                            | "has"
                            | "have"
                            | "had"
                            | "it's"
                            | "isn't"
                    )
                })
        })
    }

    pub(crate) fn of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// Start and end of the sentence holding `offset`, in a text of `len` bytes.
    pub(crate) fn bounds(&self, offset: usize, len: usize) -> (usize, usize) {
        let i = self.of(offset);
        (
            self.starts[i],
            self.starts.get(i + 1).copied().unwrap_or(len),
        )
    }
}

/// Whether the `.` at `dot` closes an abbreviation that does not end the
/// sentence there.
fn abbreviation(text: &str, dot: usize, upper: &dyn Fn(usize) -> bool) -> bool {
    let word_start = text[..dot].rfind(' ').map_or(0, |i| i + 1);
    let word = text[word_start..dot].trim_start_matches(['"', '\'', '(', '[']);
    if NEVER_FINAL.contains(&word) {
        return true;
    }
    if !RARELY_FINAL.contains(&word) {
        return false;
    }
    let next = dot + 2;
    match text.get(next..).and_then(|t| t.chars().next()) {
        Some(c) if c.is_ascii_digit() => true,
        Some(c) if c.is_alphabetic() => !upper(next),
        _ => false,
    }
}

/// Longest sentence, in bytes, read whole for claims.
pub(crate) const LONGEST_SENTENCE: usize = 4096;

/// Bytes of context on each side of a name in an over-long sentence.
const WINDOW: usize = 256;

/// The windows of words around the names in `sentence`, an over-long
/// sentence: each name with `WINDOW` bytes on each side, cut at spaces,
/// overlapping windows merged.
pub(crate) fn windows(
    text: &str,
    sentence: &Range<usize>,
    names: impl Iterator<Item = (usize, usize)>,
) -> Vec<Range<usize>> {
    let mut starts: Vec<(usize, usize)> = names.filter(|n| sentence.contains(&n.0)).collect();
    starts.sort_unstable();
    let mut out: Vec<Range<usize>> = Vec::new();
    for (start, end) in starts {
        let from = text.floor_char_boundary(start.saturating_sub(WINDOW).max(sentence.start));
        let from = text[from..start].find(' ').map_or(start, |k| from + k + 1);
        let from = if start.saturating_sub(WINDOW) <= sentence.start {
            sentence.start
        } else {
            from
        };
        let to = text.ceil_char_boundary((end + WINDOW).min(sentence.end));
        let to = if to == sentence.end {
            to
        } else {
            text[end..to].rfind(' ').map_or(end, |k| end + k)
        };
        match out.last_mut() {
            Some(last) if from <= last.end => last.end = last.end.max(to),
            _ => out.push(from..to),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_end_before_closing_quotes_and_brackets() {
        let s = Sentences::new("a \"b.\" c (d?) e f.) g", &|_| false);
        assert_eq!(s.starts, [0, 6, 13, 19]);
        assert_eq!(Sentences::new("v2.5 and x.y", &|_| false).starts, [0]);
    }

    #[test]
    fn full_width_stops_end_sentences_without_a_space() {
        let text = "いいえ。提供しません？ はい！";
        let s = Sentences::new(text, &|_| false);
        let cut: Vec<&str> = s
            .starts
            .iter()
            .zip(s.starts.iter().skip(1).chain([&text.len()]))
            .map(|(&a, &b)| text[a..b].trim())
            .collect();
        assert_eq!(cut, ["いいえ。", "提供しません？", "はい！"]);
    }

    #[test]
    fn an_over_long_sentence_is_read_in_windows_cut_at_spaces() {
        let filler = "é dolor ".repeat(100);
        let text = format!("{filler}calls chatgpt {filler}{filler}and openai {filler}");
        let names = [text.find("chatgpt").unwrap(), text.find("openai").unwrap()];
        let w = windows(&text, &(0..text.len()), names.iter().map(|&n| (n, n + 6)));
        assert_eq!(w.len(), 2, "{w:?}");
        for (r, &n) in w.iter().zip(&names) {
            assert!(r.contains(&n) && r.len() <= 2 * WINDOW + 7, "{r:?}");
            // Whole words: each window starts after a space and ends before one.
            assert!(text[..r.start].ends_with(' ') && text[r.end..].starts_with(' '));
        }
        // Names closer than a window share one.
        let close = windows(
            &text,
            &(0..text.len()),
            [(900, 906), (1000, 1006)].into_iter(),
        );
        assert_eq!(close.len(), 1);
    }

    #[test]
    fn abbreviations_end_sentences_only_before_a_capital() {
        let none = |t: &str| Sentences::new(t, &|_| false).starts;
        assert_eq!(none("see dr. x and e.g. y"), [0]);
        assert_eq!(none("tools, etc. and more. next"), [0, 21]);
        assert_eq!(none("no. 5 and u.s. 2"), [0]);
        // A capital after "etc." starts a new sentence; not after "Dr.".
        let caps = |t: &str| Sentences::new(t, &|_| true).starts;
        assert_eq!(caps("a etc. next"), [0, 6]);
        assert_eq!(caps("a dr. next"), [0]);
    }
}
