//! Sentence boundaries in a block's normalized text: where claims are
//! read, where a mention's sentence ends, and which blocks are short
//! fragments (a headline, an ad) read as one.

use std::ops::Range;

/// Abbreviations that never end a sentence (titles, "e.g.", "i.e."),
/// written in lower case without their last dot.
const NEVER_FINAL: &[&str] = &["mr", "mrs", "ms", "dr", "prof", "e.g", "i.e"];

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
    /// the sentence before it.
    pub(crate) fn with_names(
        &self,
        names: impl Iterator<Item = usize>,
        len: usize,
    ) -> Vec<(Range<usize>, Option<Range<usize>>)> {
        let mut indices: Vec<usize> = names
            .flat_map(|start| {
                let i = self.of(start);
                [i, i + 1]
            })
            .filter(|&i| i < self.starts.len())
            .collect();
        indices.sort_unstable();
        indices.dedup();
        let range = |i: usize| self.starts[i]..self.starts.get(i + 1).copied().unwrap_or(len);
        indices
            .into_iter()
            .map(|i| (range(i), i.checked_sub(1).map(range)))
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
