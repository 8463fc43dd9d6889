//! Confusable folding: OCR reads glyphs that look alike as one another
//! (`OpenAl` for `OpenAI`, `0penAI`, `rnodel` for `model`), which exact
//! matching would miss.
//!
//! Each word of OCR text is reduced to a skeleton in which the look-alikes
//! are one character (`I`, `l`, `1` and `|`; `O`, `o` and `0`; `rn` and
//! `m`; `vv` and `w`), and a word that is not itself in the policy's
//! vocabulary but has the skeleton of one that is becomes that word. Only
//! text read by OCR is folded, so prose is still matched exactly; and only
//! towards the words the policies name, so a word is never changed into
//! one that nothing matches.

use std::collections::{HashMap, HashSet};

/// The words of a policy's phrases, by skeleton.
#[derive(Clone, Debug, Default)]
pub struct Fold {
    /// The words as written.
    words: HashSet<String>,
    /// Skeleton to the words that have it, fewest changes first when read.
    skeletons: HashMap<String, Vec<String>>,
}

impl Fold {
    /// The vocabulary of `phrases` (each rule's literals with their case
    /// as written): their words of two or more characters.
    pub fn new<'a>(phrases: impl IntoIterator<Item = &'a str>) -> Fold {
        let mut fold = Fold::default();
        for phrase in phrases {
            for word in words(phrase) {
                if word.chars().count() < 2 || !fold.words.insert(word.to_string()) {
                    continue;
                }
                let entry = fold.skeletons.entry(skeleton(word)).or_default();
                entry.push(word.to_string());
                entry.sort();
            }
        }
        fold
    }

    /// `text` with each word that is a look-alike of a vocabulary word
    /// replaced by it; other words, spaces and punctuation unchanged.
    pub fn apply(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find(is_word_char) {
            out.push_str(&rest[..start]);
            rest = &rest[start..];
            let end = rest.find(|c: char| !is_word_char(c)).unwrap_or(rest.len());
            let word = &rest[..end];
            out.push_str(self.fold_word(word));
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    }

    fn fold_word<'a>(&'a self, word: &'a str) -> &'a str {
        if self.words.contains(word) {
            return word;
        }
        let Some(candidates) = self.skeletons.get(&skeleton(word)) else {
            return word;
        };
        // The candidate that differs from the word in the fewest
        // characters (by position, after the same folding of pairs).
        candidates
            .iter()
            .min_by_key(|c| {
                let (a, b) = (unpair(c), unpair(word));
                a.chars().zip(b.chars()).filter(|(x, y)| x != y).count()
                    + a.chars().count().abs_diff(b.chars().count())
            })
            .map_or(word, String::as_str)
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '|'
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
}

/// Pairs of glyphs read for one: `rn` for `m`, `vv` for `w`.
fn unpair(word: &str) -> String {
    word.replace("rn", "m").replace("vv", "w")
}

/// A word with its look-alikes made one: `OpenAl`, `0penAI` and `OpenA1`
/// have one skeleton. Other letters keep their case.
fn skeleton(word: &str) -> String {
    unpair(word)
        .chars()
        .map(|c| match c {
            'I' | 'l' | '1' | '|' => 'l',
            'O' | 'o' | '0' => 'o',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fold() -> Fold {
        Fold::new(["OpenAI", "enable access to", "GPT-4o", "model", "Openai"])
    }

    #[test]
    fn look_alikes_become_the_policy_word() {
        let f = fold();
        assert_eq!(
            f.apply("Built with OpenAl models"),
            "Built with OpenAI models"
        );
        assert_eq!(
            f.apply("0penAI, OpenA1 and 0penAl."),
            "OpenAI, OpenAI and OpenAI."
        );
        assert_eq!(f.apply("a rnodel"), "a model");
        assert_eq!(f.apply("GPT-4O"), "GPT-4o");
        assert_eq!(f.apply("enab1e access"), "enable access");
    }

    #[test]
    fn words_of_the_policy_and_other_words_stay() {
        let f = fold();
        // A misspelling the policy names is not "corrected" away.
        assert_eq!(f.apply("Openai"), "Openai");
        // Case is not a look-alike: `OPENAI` is not folded to `OpenAI`.
        assert_eq!(f.apply("OPENAI and modal"), "OPENAI and modal");
        assert_eq!(f.apply(""), "");
        assert_eq!(f.apply("  ¿Qué?  "), "  ¿Qué?  ");
    }
}
