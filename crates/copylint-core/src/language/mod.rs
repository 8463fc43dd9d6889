//! Language: the words of a sentence that holds a policy name, and its
//! clauses, for reading claims.
//!
//! Works on a block's normalized text (lower case, straight quotes,
//! dashes as `-`). A [`Sentence`] is built only for sentences where the
//! automaton found a name, so prose without names costs nothing here. The
//! layer knows English's closed classes ([`lexicon`]) and how verbs
//! inflect; it does not tag open-class words. Part-of-speech guesses for
//! those are hints at best (a tagger calls "calls" a noun in "The SRE calls
//! on ChatGPT"), so a claim rule carries its own verbs and frames, and this
//! layer only says where words, clauses and noun phrases are.

pub mod lexicon;
pub(crate) mod sentences;

use std::ops::Range;

/// One word or punctuation mark, by byte offsets into the block's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub word: bool,
}

/// A sentence cut into tokens and clauses.
#[derive(Debug)]
pub struct Sentence<'a> {
    text: &'a str,
    /// Where the sentence is in the block's text.
    pub range: Range<usize>,
    pub tokens: Vec<Token>,
    /// Each token's word classes ([`lexicon::tag`] bits).
    tags: Vec<u32>,
    /// Token index ranges of its clauses, in order, covering every token.
    pub clauses: Vec<Range<usize>>,
}

/// Splits a word's clitic ending off: `openai's` is `openai` and `'s`,
/// `doesn't` is `does` and `n't`.
fn clitic(word: &str) -> Option<usize> {
    let lower = word.len();
    for end in ["n't", "'s", "'re", "'ll", "'ve", "'d"] {
        if lower > end.len() + 1 && word.ends_with(end) {
            return Some(lower - end.len());
        }
    }
    if lower > 2 && word.ends_with('\'') && word[..lower - 1].ends_with('s') {
        // Plural possessive: "agents'".
        return Some(lower - 1);
    }
    None
}

/// The tokens of `text[range]`.
pub fn tokenize(text: &str, range: Range<usize>) -> Vec<Token> {
    let mut tokens = Vec::new();
    let s = &text[range.clone()];
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        if !c.is_alphanumeric() {
            tokens.push(Token {
                start: range.start + i,
                end: range.start + i + c.len_utf8(),
                word: false,
            });
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            if d.is_alphanumeric() {
                end = j + d.len_utf8();
                chars.next();
                continue;
            }
            // Joiners stay inside a word when a letter or digit follows:
            // "gpt-4.1", "o4-mini", "openai's"; a colon before a digit, as
            // in a model's id ("command-r-v1:0").
            let next = s[j + d.len_utf8()..].chars().next();
            let joins = (matches!(d, '-' | '.' | '\'' | '_' | '/')
                && next.is_some_and(char::is_alphanumeric))
                || (d == ':' && next.is_some_and(|n| n.is_ascii_digit()));
            // A plural possessive ends the word with its apostrophe.
            let possessive = d == '\''
                && s[i..j].ends_with('s')
                && !s[j + 1..].chars().next().is_some_and(char::is_alphanumeric);
            if joins || possessive {
                end = j + d.len_utf8();
                chars.next();
                if possessive {
                    break;
                }
                continue;
            }
            break;
        }
        let word = &s[i..end];
        match clitic(word) {
            Some(cut) => {
                tokens.push(Token {
                    start: range.start + i,
                    end: range.start + i + cut,
                    word: true,
                });
                tokens.push(Token {
                    start: range.start + i + cut,
                    end: range.start + end,
                    word: true,
                });
            }
            None => tokens.push(Token {
                start: range.start + i,
                end: range.start + end,
                word: true,
            }),
        }
    }
    tokens
}

impl<'a> Sentence<'a> {
    /// Reads the sentence `text[range]`.
    pub fn new(text: &'a str, range: Range<usize>) -> Sentence<'a> {
        let tokens = tokenize(text, range.clone());
        let tags = tokens
            .iter()
            .map(|t| lexicon::tags(&text[t.start..t.end]))
            .collect();
        let mut sentence = Sentence {
            text,
            range,
            tokens,
            tags,
            clauses: Vec::new(),
        };
        sentence.clauses = sentence.split_clauses();
        sentence
    }

    /// The text of token `i`.
    pub fn word(&self, i: usize) -> &'a str {
        let t = self.tokens[i];
        &self.text[t.start..t.end]
    }

    /// Whether token `i` is one of `words`.
    pub fn is(&self, i: usize, words: &[&str]) -> bool {
        i < self.tokens.len() && words.contains(&self.word(i))
    }

    /// Whether token `i` is of any of the classes in `tag` (bits of
    /// [`lexicon::tag`]).
    pub fn has(&self, i: usize, tag: u32) -> bool {
        self.tags.get(i).is_some_and(|t| t & tag != 0)
    }

    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The clause holding token `i`.
    pub fn clause_of(&self, i: usize) -> Range<usize> {
        self.clauses
            .iter()
            .find(|c| c.contains(&i))
            .cloned()
            .unwrap_or(0..self.tokens.len())
    }

    /// Whether `words` (token texts) occur in order from token `at`.
    pub fn matches_at(&self, at: usize, words: &[String]) -> bool {
        at + words.len() <= self.tokens.len()
            && words
                .iter()
                .enumerate()
                .all(|(k, w)| self.word(at + k) == w)
    }

    /// Byte range of tokens `from..to`.
    pub fn bytes(&self, tokens: Range<usize>) -> Range<usize> {
        match (self.tokens.get(tokens.start), tokens.end.checked_sub(1)) {
            (Some(first), Some(last)) if last >= tokens.start => first.start..self.tokens[last].end,
            _ => 0..0,
        }
    }

    /// The text of tokens `from..to`, as written in the normalized text.
    pub fn text_of(&self, tokens: Range<usize>) -> &'a str {
        let r = self.bytes(tokens);
        &self.text[r]
    }

    /// Clause boundaries: `;`, `:`, `.`, brackets, `!`, `?`, a dash between
    /// spaces, a bar (table syntax), the words that open a clause ("but",
    /// "while", "unlike"…), and a comma before "and", "or", "so", "which" or
    /// "who". A clause opened by a contrast ("unlike Azure", "instead of
    /// …") ends at its first comma.
    fn split_clauses(&self) -> Vec<Range<usize>> {
        let mut clauses = Vec::new();
        let mut start = 0;
        let mut contrast = false;
        for i in 0..self.tokens.len() {
            let w = self.word(i);
            let boundary_before = self.has(i, lexicon::tag::OPENER | lexicon::tag::CONDITION)
                || (w == "instead" && self.is(i + 1, &["of"]))
                || (w == "rather" && self.is(i + 1, &["than"]));
            if boundary_before && i > start {
                clauses.push(start..i);
                start = i;
            }
            if i == start {
                contrast = self.has(i, lexicon::tag::CONTRAST | lexicon::tag::CONDITION);
            }
            let punct = !self.tokens[i].word;
            let boundary_after = punct
                && (matches!(
                    w,
                    ";" | ":" | "(" | ")" | "[" | "]" | "!" | "?" | "|" | "•" | "."
                ) || (w == "-" && self.spaced(i))
                    || (w == "," && (contrast || self.is(i + 1, &["and", "so", "which", "who"]))));
            if boundary_after {
                clauses.push(start..i + 1);
                start = i + 1;
            }
        }
        if start < self.tokens.len() || clauses.is_empty() {
            clauses.push(start..self.tokens.len());
        }
        clauses
    }

    /// Whether token `i` has a space on both sides.
    fn spaced(&self, i: usize) -> bool {
        let t = self.tokens[i];
        self.text[..t.start].ends_with(' ') && self.text[t.end..].starts_with(' ')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text, 0..text.len())
            .iter()
            .map(|t| &text[t.start..t.end])
            .collect()
    }

    #[test]
    fn names_stay_whole_and_clitics_split() {
        assert_eq!(
            words("openai's gpt-4.1-mini doesn't call o3."),
            [
                "openai",
                "'s",
                "gpt-4.1-mini",
                "does",
                "n't",
                "call",
                "o3",
                "."
            ]
        );
        assert_eq!(
            words("the agents' \"calls on\" it"),
            ["the", "agents", "'", "\"", "calls", "on", "\"", "it"]
        );
    }

    fn clauses(text: &str) -> Vec<&str> {
        let s = Sentence::new(text, 0..text.len());
        s.clauses.iter().map(|c| s.text_of(c.clone())).collect()
    }

    #[test]
    fn clauses_split_at_openers_and_punctuation() {
        assert_eq!(
            clauses("unlike azure, the sre calls gpt-5 but it never stores prompts; done"),
            [
                "unlike azure,",
                "the sre calls gpt-5",
                "but it never stores prompts;",
                "done"
            ]
        );
        assert_eq!(
            clauses("agents keep state - and gpt-5, o3 and o4-mini, all here"),
            ["agents keep state -", "and gpt-5, o3 and o4-mini, all here"]
        );
    }
}
