//! The prefilter: proves, from a file's raw text, that it cannot contain a
//! finding, before any Markdown is parsed or text normalized.
//!
//! Every rule literal needs its distinctive words ("chatgpt", "enables")
//! somewhere in the file; a rule whose context is required also needs the
//! words of one of its context phrases. One ASCII-case-insensitive
//! automaton finds which of those words occur (as substrings, so the test
//! is conservative), and the file is skipped when no rule could be
//! satisfied. Byte sequences that can hide a word until normalization (soft
//! hyphens, zero-width characters, entities) send the file to the full
//! check.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::policy::Rule;
use crate::source::normalize::INVISIBLE;

/// Every marker: the characters normalization drops, then [`MARKERS`].
fn markers() -> impl Iterator<Item = String> {
    INVISIBLE
        .iter()
        .map(char::to_string)
        .chain(MARKERS.iter().map(|m| m.to_string()))
}

/// Byte sequences besides [`INVISIBLE`] characters that can hide a word
/// from the prefilter once normalized: entities, case-folding signs.
const MARKERS: &[&str] = &[
    "\u{212A}",
    "\u{130}",
    "&#",
    "&shy;",
    "&zwj;",
    "&zwnj;",
    "&nobreak;",
    "&zerowidthspace;",
    "&negative",
];

/// Frequent English words: never required when a literal has rarer ones.
const COMMON_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "for", "from", "has", "have", "in",
    "into", "is", "it", "its", "of", "on", "or", "our", "the", "this", "to", "upon", "use", "we",
    "with", "you", "your",
];

/// For one literal, the ids of the words it needs.
type Needs = Vec<u16>;

struct RuleNeeds {
    literals: Vec<Needs>,
    /// For a rule whose context is required: the needs of each context phrase.
    context: Option<Vec<Needs>>,
}

pub struct Prefilter {
    automaton: AhoCorasick,
    /// Words ids below this are markers.
    markers: usize,
    words: usize,
    rules: Vec<RuleNeeds>,
}

/// The words a literal needs: its ASCII words of two characters or more
/// that are not common (a lone digit would match everywhere), or else its
/// longest ASCII word. `None` when it has no ASCII word at all (nothing
/// to look for).
fn needed_words(literal: &str) -> Option<Vec<&str>> {
    let words: Vec<&str> = literal
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && w.is_ascii())
        .collect();
    let rare: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| w.len() > 1 && !COMMON_WORDS.contains(w))
        .collect();
    if rare.is_empty() {
        words
            .iter()
            .copied()
            .max_by_key(|w| w.len())
            .map(|w| vec![w])
    } else {
        Some(rare)
    }
}

impl Prefilter {
    /// Builds the prefilter for `rules`, or `None` when some literal gives
    /// it nothing to look for (then every file gets the full check).
    pub fn new<'a>(rules: impl Iterator<Item = &'a Rule>) -> Option<Prefilter> {
        let mut words: Vec<String> = markers().collect();
        let id = |word: &str, words: &mut Vec<String>| -> Option<u16> {
            let i = match words.iter().position(|w| w == word) {
                Some(i) => i,
                None => {
                    words.push(word.to_string());
                    words.len() - 1
                }
            };
            u16::try_from(i).ok()
        };
        let needs = |literals: &[String], words: &mut Vec<String>| -> Option<Vec<Needs>> {
            let mut out: Vec<Needs> = Vec::new();
            for literal in literals {
                let mut ids: Needs = Vec::new();
                for w in needed_words(literal)? {
                    ids.push(id(w, words)?);
                }
                ids.sort_unstable();
                ids.dedup();
                if !out.contains(&ids) {
                    out.push(ids);
                }
            }
            Some(out)
        };
        let mut compiled = Vec::new();
        for rule in rules {
            let literals = needs(&rule.literals, &mut words)?;
            let context = match &rule.context {
                Some(c) if c.required => Some(needs(&c.literals, &mut words)?),
                _ => None,
            };
            compiled.push(RuleNeeds { literals, context });
        }
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&words)
            .ok()?;
        Some(Prefilter {
            automaton,
            markers: markers().count(),
            words: words.len(),
            rules: compiled,
        })
    }

    /// Whether `text` may hold a finding; `false` proves it holds none.
    pub fn may_match(&self, text: &[u8]) -> bool {
        let mut present = vec![false; self.words];
        let mut any = false;
        for m in self.automaton.find_overlapping_iter(text) {
            let id = m.pattern().as_usize();
            if id < self.markers {
                return true;
            }
            // Words of a whole-word match are whole words in the raw text
            // too (non-ASCII neighbours are let through, conservatively).
            let before = m.start().checked_sub(1).map(|i| text[i]);
            let after = text.get(m.end()).copied();
            if before.is_some_and(|b| b.is_ascii_alphanumeric())
                || after.is_some_and(|b| b.is_ascii_alphanumeric())
            {
                continue;
            }
            present[id] = true;
            any = true;
        }
        if !any {
            return false;
        }
        let satisfied = |needs: &Needs| needs.iter().all(|&w| present[usize::from(w)]);
        self.rules.iter().any(|rule| {
            rule.literals.iter().any(satisfied)
                && rule
                    .context
                    .as_ref()
                    .is_none_or(|c| c.iter().any(satisfied))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;

    fn prefilter() -> Prefilter {
        let policy = Policy::default_policy();
        Prefilter::new(policy.rules.iter()).expect("the default policy has words to look for")
    }

    #[test]
    fn needs_rare_words() {
        assert_eq!(
            needed_words("enables access to"),
            Some(vec!["enables", "access"])
        );
        assert_eq!(
            needed_words("call on the gpt-4o"),
            Some(vec!["call", "gpt", "4o"])
        );
        assert_eq!(needed_words("open ai"), Some(vec!["open", "ai"]));
        assert_eq!(needed_words("o1"), Some(vec!["o1"]));
        assert_eq!(needed_words("on the"), Some(vec!["the"]));
        assert_eq!(needed_words("日本"), None);
    }

    #[test]
    fn skips_only_what_cannot_match() {
        let p = prefilter();
        assert!(!p.may_match(b"Plain documentation about SageMaker endpoints."));
        assert!(
            !p.may_match(b"The latest models are here."),
            "needs OpenAI or access too"
        );
        assert!(p.may_match(b"Get ACCESS to the latest models."));
        assert!(p.may_match(b"It enables\naccess to data."));
        assert!(p.may_match(b"We use CHATGPT."));
        assert!(
            p.may_match(b"en\xC2\xADables access to"),
            "a soft hyphen could hide a word"
        );
        assert!(p.may_match(b"call&#115; on"), "an entity could hide a word");
        assert!(
            !p.may_match(b"enables things"),
            "half a phrase is not enough"
        );
        assert!(
            !p.may_match(b"Open the io1 volume; maintain it."),
            "words match whole"
        );
        assert!(p.may_match(b"Open\xC2\xA0AI"));
        assert!(p.may_match(b"[Open](x) AI"));
    }

    #[test]
    fn every_character_normalization_drops_is_a_marker() {
        // If the two lists drifted apart, the prefilter would silently drop
        // files that match once an invisible character is removed.
        let markers: Vec<String> = markers().collect();
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let s = c.to_string();
            if crate::source::normalize(&format!("a{s}b")) == "ab" {
                assert!(markers.contains(&s), "{c:?} is dropped but not a marker");
            }
        }
    }
}
