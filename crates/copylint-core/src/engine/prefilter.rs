//! The prefilter: proves, from a chunk of a file's raw text, that it cannot
//! contain a finding, before any Markdown is parsed or text normalized.
//!
//! A chunk is a part of the file that no block crosses (see
//! [`crate::source::Source::for_each_chunk`]), so a match and its context
//! lie in one. Every rule literal needs its distinctive words ("chatgpt",
//! "enables") somewhere in the chunk; a rule whose context is required also
//! needs the words of one of its context phrases. One
//! ASCII-case-insensitive automaton finds which of those words occur, and
//! the chunk is skipped when no rule could be satisfied. The test must be
//! sound: any chunk it skips gives no finding when checked in full. So byte
//! sequences that can hide a word until normalization (soft hyphens,
//! zero-width characters, entities, case-folding signs) send the chunk to
//! the full check; in Markdown and HTML, the words that markup joins from
//! pieces (`en*abl*es`, `[Chat](x)GPT`) are searched as well, glued (see
//! [`crate::source::joins`]).
//!
//! The search is leftmost-longest and non-overlapping, which lets the
//! automaton run its fast search loop instead of reporting every pattern
//! that ends at every byte, and it stops as soon as one rule is satisfied.
//! Nothing is lost by not overlapping: words are ASCII letters and digits,
//! so no word start lies inside a match, and the words that start where a
//! longer one does are its prefixes, which are recorded with it.
//!
//! # Contract
//!
//! The prefilter reads raw bytes, the readers read markup; it is sound
//! only while these predicates over the raw bytes hold for what the
//! readers (pulldown-cmark, html5gum, the MDX masking) make of the same
//! bytes. Each is checked against extraction, construct by construct, in
//! `tests/it/prefilter.rs` (`contract`), and by the `fuzz_html` and
//! `fuzz_check` targets.
//!
//! - **Chunks.** No block crosses a chunk boundary
//!   ([`crate::source::Source::for_each_chunk`]).
//! - **Words.** Every ASCII word of a match is written in the raw bytes as
//!   ASCII letters and digits, starting at a word start, unless one of the
//!   constructs below hides it.
//! - **Invisible characters and case-folding signs** (every format): a
//!   character normalization drops ([`INVISIBLE`]) or whose lower case is
//!   ASCII (Kelvin sign, `İ`) is a marker: the chunk gets the full check.
//! - **Character references** (HTML, Markdown, MDX): a reference that can
//!   decode to letters or to nothing (numeric ones, `&shy;`, `&fjlig;`,
//!   `&Idot;`…) starts with one of [`entities::HIDING`], a marker. A
//!   legacy reference without `;` ([`entities::LEGACY`], which HTML decodes
//!   before letters: `Open&nbspAI`, `en&shyables`) vanishes as markup that
//!   may join. Other references decode to punctuation or letters outside
//!   ASCII, which end an ASCII word as the `&` and `;` do. The list of every
//!   reference the tokenizer knows (`tests/fixtures/entities/names.txt`)
//!   checks that none is missing.
//! - **Tags, comments and autolinks inside words** (HTML, inline HTML in
//!   Markdown): markup whose end is certain (CommonMark's tag syntax, a
//!   plain comment) vanishes and the pieces around it are glued; anything
//!   else that starts like markup (`</>`, `<![CDATA[`, `<?`, `<!x`, a tag
//!   with other attribute syntax) makes the chunk uncertain: full check.
//! - **Emphasis, links, footnote references** (Markdown): delimiters and
//!   brackets vanish, destinations and labels in plain form are skipped,
//!   any other form is uncertain.
//! - **MDX masking**: expressions, ESM and JSX tags become spaces, which
//!   only separate words: a raw search sees more words than the masked
//!   text holds, never fewer. JSX attribute strings are read as HTML
//!   attribute values, which have their own references and no markup.
//! - **Markdown escapes**: a backslash before punctuation leaves the
//!   punctuation (an escaped `&` leaves a reference unread), so an escape
//!   never makes letters; `\` before a letter is not an escape.

use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::anchors::{Anchors, Needs, RuleNeeds};
use crate::policy::{Rule, VERSION};
use crate::source::entities;
use crate::source::joins::{self, Joins};
use crate::source::normalize::INVISIBLE;

/// Every marker: the characters normalization drops, the signs whose lower
/// case is ASCII, and the references that can hide letters.
fn markers() -> impl Iterator<Item = String> {
    INVISIBLE
        .iter()
        .chain(&FOLDING)
        .map(char::to_string)
        .chain(entities::HIDING.iter().map(|m| m.to_string()))
}

/// The characters besides ASCII whose lower case (as normalization folds
/// it) is an ASCII letter: Kelvin sign, capital I with a dot.
const FOLDING: [char; 2] = ['\u{212A}', '\u{130}'];

/// Frequent English words: never required when a literal has rarer ones.
const COMMON_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "for", "from", "has", "have", "in",
    "into", "is", "it", "its", "of", "on", "or", "our", "the", "this", "to", "upon", "use", "we",
    "with", "you", "your",
];

pub struct Prefilter {
    /// The words no chunk can pass without: searched first, fast.
    anchors: Anchors,
    automaton: AhoCorasick,
    /// Words ids below this are markers.
    markers: usize,
    /// For each word, the other words that are its prefixes (ASCII case
    /// ignored): found at a word start wherever it is.
    prefixes: Vec<Vec<u16>>,
    /// For each word, the needs it is part of.
    uses: Vec<Vec<NeedRef>>,
    rules: Vec<RuleNeeds>,
    /// The length of each word, and of the longest.
    lengths: Vec<usize>,
    longest: usize,
}

/// One need of one rule: `rules[rule]`'s literal need `need`, or its
/// context need `need` when `context` is set.
#[derive(Clone, Copy)]
struct NeedRef {
    rule: u32,
    context: bool,
    need: u32,
}

/// What the search of one chunk has found so far, kept from chunk to
/// chunk to save allocating it: an entry counts only when it holds the
/// number of the chunk being searched, so the next chunk starts afresh.
pub struct Found {
    chunk: u32,
    /// For each word: found as a whole word; found at least at a word start.
    whole: Vec<u32>,
    start: Vec<u32>,
    /// For each rule: one literal need is satisfied; one context need is.
    literal: Vec<u32>,
    context: Vec<u32>,
}

impl Found {
    /// Forgets what was found: the next chunk begins.
    fn next_chunk(&mut self) {
        if self.chunk == u32::MAX {
            for v in [
                &mut self.whole,
                &mut self.start,
                &mut self.literal,
                &mut self.context,
            ] {
                v.fill(0);
            }
            self.chunk = 0;
        }
        self.chunk += 1;
    }

    fn has(&self, v: &[u32], i: usize) -> bool {
        v[i] == self.chunk
    }
}

/// The words a literal needs: its ASCII words of two characters or more
/// that are not common (a lone digit would match everywhere), or else its
/// longest ASCII word, each with whether it may run on. A literal with a
/// version has ten spellings, one per first digit, each cut after it. An
/// empty spelling list means the literal gives nothing to look for.
fn needed_words(literal: &str) -> Vec<Vec<(String, bool)>> {
    let spellings: Vec<(String, bool)> = match literal.split_once(VERSION) {
        None => vec![(literal.to_string(), false)],
        Some((head, _)) => ('0'..='9').map(|d| (format!("{head}{d}"), true)).collect(),
    };
    let mut out = Vec::new();
    for (spelling, open_end) in spellings {
        let words: Vec<(&str, bool)> = spelling
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| (w, open_end && spelling.ends_with(w)))
            .filter(|(w, _)| w.is_ascii())
            .collect();
        let rare: Vec<(String, bool)> = words
            .iter()
            .filter(|(w, _)| w.len() > 1 && !COMMON_WORDS.contains(w))
            .map(|&(w, open)| (w.to_string(), open))
            .collect();
        if !rare.is_empty() {
            out.push(rare);
        } else if let Some(&(w, open)) = words.iter().max_by_key(|(w, _)| w.len()) {
            out.push(vec![(w.to_string(), open)]);
        } else {
            return Vec::new();
        }
    }
    out
}

impl Prefilter {
    /// Builds the prefilter for `rules`, or `None` when some literal gives
    /// it nothing to look for (then every file gets the full check).
    pub fn new<'a>(rules: impl Iterator<Item = &'a Rule>) -> Option<Prefilter> {
        let mut words: Vec<String> = markers().collect();
        let mut ids: HashMap<String, u16> = HashMap::new();
        // One id per word, ASCII case ignored: the search reports only one
        // of several patterns that match the same bytes.
        let mut id = |word: &str, words: &mut Vec<String>| -> Option<u16> {
            let word = word.to_ascii_lowercase();
            if let Some(&i) = ids.get(&word) {
                return Some(i);
            }
            let i = u16::try_from(words.len()).ok()?;
            words.push(word.clone());
            ids.insert(word, i);
            Some(i)
        };
        let mut needs = |literals: &[String], words: &mut Vec<String>| -> Option<Vec<Needs>> {
            let mut out: Vec<Needs> = Vec::new();
            let mut seen: HashSet<Needs> = HashSet::new();
            for literal in literals {
                let spellings = needed_words(literal);
                if spellings.is_empty() {
                    return None;
                }
                for spelling in spellings {
                    let mut need: Needs = Vec::new();
                    for (w, open) in spelling {
                        need.push((id(&w, words)?, open));
                    }
                    need.sort_unstable();
                    need.dedup();
                    if seen.insert(need.clone()) {
                        out.push(need);
                    }
                }
            }
            Some(absorbed(out))
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
            .match_kind(MatchKind::LeftmostLongest)
            .build(&words)
            .ok()?;
        let markers = markers().count();
        let lengths: Vec<usize> = words.iter().map(String::len).collect();
        Some(Prefilter {
            anchors: Anchors::new(&words, markers, &compiled)?,
            automaton,
            markers,
            prefixes: prefixes(&words, markers),
            uses: uses(&compiled, words.len()),
            rules: compiled,
            longest: lengths.iter().copied().max().unwrap_or(0),
            lengths,
        })
    }

    /// Records that word `id` is at a word start, as a whole word when
    /// `whole`; whether that satisfies a rule.
    fn record(&self, found: &mut Found, id: usize, whole: bool) -> bool {
        let new_start = !found.has(&found.start, id);
        let new_whole = whole && !found.has(&found.whole, id);
        if !new_start && !new_whole {
            return false;
        }
        let chunk = found.chunk;
        found.start[id] = chunk;
        if whole {
            found.whole[id] = chunk;
        }
        let satisfied = |found: &Found, needs: &Needs| {
            needs.iter().all(|&(w, open)| {
                let w = usize::from(w);
                if open {
                    found.has(&found.start, w)
                } else {
                    found.has(&found.whole, w)
                }
            })
        };
        for &NeedRef {
            rule,
            context,
            need,
        } in &self.uses[id]
        {
            let (r, n) = (rule as usize, need as usize);
            let spec = &self.rules[r];
            let done = if context {
                found.has(&found.context, r)
            } else {
                found.has(&found.literal, r)
            };
            if done {
                continue;
            }
            let needs = match (context, &spec.context) {
                (true, Some(c)) => &c[n],
                _ => &spec.literals[n],
            };
            if !satisfied(found, needs) {
                continue;
            }
            if context {
                found.context[r] = chunk;
            } else {
                found.literal[r] = chunk;
            }
            if found.has(&found.literal, r)
                && (spec.context.is_none() || found.has(&found.context, r))
            {
                return true;
            }
        }
        false
    }

    /// Where in `text` a chunk may pass: the sorted offsets of its anchors
    /// (see [`super::anchors`]), and in `markup` of the places where markup
    /// may join one. A chunk that holds none cannot pass.
    pub fn anchors(&self, text: &[u8], markup: bool) -> Vec<usize> {
        self.anchors.find(text, markup)
    }

    /// A fresh record of what a search finds, for [`Prefilter::chunk_may_match`].
    pub fn found(&self) -> Found {
        let words = self.prefixes.len();
        let rules = self.rules.len();
        Found {
            chunk: 0,
            whole: vec![0; words],
            start: vec![0; words],
            literal: vec![0; rules],
            context: vec![0; rules],
        }
    }

    /// Whether `text` may hold a finding; `false` proves it holds none.
    /// `markup` is true for Markdown and HTML, whose markup can join words:
    /// the words it joins are searched too.
    #[cfg(test)]
    pub fn may_match(&self, text: &[u8], markup: bool) -> bool {
        self.chunk_may_match(text, markup, &mut self.found())
    }

    /// As [`Prefilter::may_match`], for one chunk of a file (a match and
    /// its context never leave their chunk), recording in `found`, which
    /// forgets what earlier chunks held.
    pub fn chunk_may_match(&self, text: &[u8], markup: bool, found: &mut Found) -> bool {
        found.next_chunk();
        if self.search(text, found) {
            return true;
        }
        markup
            && joins::for_each_joined(text, |word, starts| self.search_joined(word, starts, found))
                == Joins::MayMatch
    }

    /// Records the words found in `word`, a run of pieces that markup may
    /// join, each starting at one of `starts`: a word there starts at a
    /// piece, and it is whole where it ends with one.
    fn search_joined(&self, word: &[u8], starts: &[usize], found: &mut Found) -> bool {
        let ends_piece = |end: usize| end == word.len() || starts.binary_search(&end).is_ok();
        for &at in starts {
            let piece = &word[at..word.len().min(at + self.longest)];
            let Some(m) = self.automaton.find(piece).filter(|m| m.start() == 0) else {
                continue;
            };
            let id = m.pattern().as_usize();
            if self.record(found, id, ends_piece(at + m.end())) {
                return true;
            }
            for &p in &self.prefixes[id] {
                let p = usize::from(p);
                if self.record(found, p, ends_piece(at + self.lengths[p])) {
                    return true;
                }
            }
        }
        false
    }

    /// Records the words found in `text`; whether a rule is satisfied (or
    /// a marker found).
    fn search(&self, text: &[u8], found: &mut Found) -> bool {
        for m in self.automaton.find_iter(text) {
            let id = m.pattern().as_usize();
            if id < self.markers {
                return true;
            }
            // Words of a whole-word match are whole words in the raw text
            // too (non-ASCII neighbours are let through, conservatively).
            let before = m.start().checked_sub(1).map(|i| text[i]);
            if before.is_some_and(|b| b.is_ascii_alphanumeric()) {
                continue;
            }
            let after = text.get(m.end()).copied();
            let whole = !after.is_some_and(|b| b.is_ascii_alphanumeric());
            if self.record(found, id, whole) {
                return true;
            }
            for &p in &self.prefixes[id] {
                if self.record(found, usize::from(p), false) {
                    return true;
                }
            }
        }
        false
    }
}

/// `needs` without the needs that hold all of a smaller one: "call",
/// "directly", "openai" is satisfied only when "call", "openai" is.
fn absorbed(needs: Vec<Needs>) -> Vec<Needs> {
    let all: HashSet<&Needs> = needs.iter().collect();
    // A need holds a handful of words: try each proper subset.
    let holds_smaller = |need: &Needs| {
        let n = need.len();
        n < 16
            && (1..(1u32 << n) - 1).any(|mask| {
                let subset: Needs = (0..n)
                    .filter(|i| mask & (1 << i) != 0)
                    .map(|i| need[i])
                    .collect();
                all.contains(&subset)
            })
    };
    let keep: Vec<bool> = needs.iter().map(|n| !holds_smaller(n)).collect();
    needs
        .into_iter()
        .zip(keep)
        .filter_map(|(need, keep)| keep.then_some(need))
        .collect()
}

/// For each word, the ids of the other words that are its prefixes.
fn prefixes(words: &[String], markers: usize) -> Vec<Vec<u16>> {
    // Words are lower case and unique (see `Prefilter::new`).
    let mut out = vec![Vec::new(); words.len()];
    for (i, word) in words.iter().enumerate().skip(markers) {
        for (j, other) in words.iter().enumerate().skip(markers) {
            if other.len() < word.len() && word.starts_with(other.as_str()) {
                // Ids fit in u16: `new` gave up on more words than that.
                out[i].extend(u16::try_from(j).ok());
            }
        }
    }
    out
}

/// For each word, the needs it is part of.
fn uses(rules: &[RuleNeeds], words: usize) -> Vec<Vec<NeedRef>> {
    let mut out = vec![Vec::new(); words];
    for (r, rule) in rules.iter().enumerate() {
        let sides =
            std::iter::once((false, &rule.literals)).chain(rule.context.iter().map(|c| (true, c)));
        for (context, needs) in sides {
            for (n, need) in needs.iter().enumerate() {
                for &(w, _) in need {
                    out[usize::from(w)].push(NeedRef {
                        rule: r as u32,
                        context,
                        need: n as u32,
                    });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;

    fn prefilter() -> Prefilter {
        let policy = Policy::default_policy();
        Prefilter::new(policy.rules.iter()).expect("the default policy has words to look for")
    }

    fn words(literal: &str) -> Vec<Vec<(&'static str, bool)>> {
        needed_words(literal)
            .into_iter()
            .map(|s| {
                s.into_iter()
                    .map(|(w, open)| (&*String::leak(w), open))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn needs_rare_words() {
        assert_eq!(
            words("enables access to"),
            [[("enables", false), ("access", false)]]
        );
        assert_eq!(
            words("call on the gpt-4o"),
            [[("call", false), ("gpt", false), ("4o", false)]]
        );
        assert_eq!(words("open ai"), [[("open", false), ("ai", false)]]);
        assert_eq!(words("o1"), [[("o1", false)]]);
        assert_eq!(words("on the"), [[("the", false)]]);
        assert!(words("日本").is_empty());
    }

    #[test]
    fn a_version_needs_its_name_and_first_digit_at_a_word_start() {
        let v = words("gpt\u{E000} mini");
        assert_eq!(v.len(), 10);
        assert_eq!(v[5], [("gpt5", true)]);
        assert_eq!(words("gpt-\u{E000}")[5], [("gpt", false)]);
    }

    #[test]
    fn skips_only_what_cannot_match() {
        let p = prefilter();
        let p = |t: &[u8]| p.may_match(t, true);
        assert!(!p(b"Plain documentation about SageMaker endpoints."));
        assert!(
            !p(b"The latest models are here."),
            "needs OpenAI or access too"
        );
        assert!(
            !p(b"Get ACCESS to the latest models."),
            "a superlative claims only with an OpenAI name"
        );
        assert!(p(b"Get ACCESS to OpenAI's latest models."));
        assert!(p(b"It enables\naccess to data."));
        assert!(p(b"We use CHATGPT."));
        assert!(
            p(b"en\xC2\xADables access to"),
            "a soft hyphen could hide a word"
        );
        assert!(p(b"call&#115; on"), "an entity could hide a word");
        assert!(!p(b"enables things"), "half a phrase is not enough");
        assert!(
            !p(b"Open the io1 volume; maintain it."),
            "words match whole"
        );
        assert!(p(b"Open\xC2\xA0AI"));
        assert!(p(b"[Open](x) AI"));
    }

    #[test]
    fn a_word_found_inside_a_longer_one_at_its_start_counts() {
        // `o1preview` and the open `o1` of `o<version>` start at the same
        // byte; the search reports only the longer, the shorter must count.
        let rule = |id: &str, pattern: &str| {
            format!(
                "[[rules]]\nid = \"{id}\"\nseverity = \"error\"\nmessage = \"m\"\n\
                 pattern = \"{pattern}\"\nexplanation = \"e\"\nbad = [\"{pattern}\"]\ngood = [\"x\"]\n"
            )
        };
        let text = format!(
            "name = \"t\"\n{}{}",
            rule("long", "o1preview"),
            rule("open", "o<version>")
        );
        let policy = Policy::load("t.toml", &text).expect("the schema is valid");
        let p = Prefilter::new(policy.rules.iter()).expect("words to look for");
        assert!(p.may_match(b"Use O1previewX now.", false));
        assert!(p.may_match(b"Use o1preview now.", false));
        assert!(!p.may_match(b"Use xo1previewX now.", false));
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
