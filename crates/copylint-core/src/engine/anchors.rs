//! Anchors: the few words without which no chunk can pass the prefilter,
//! found with vectorized searches before its automaton reads a byte.
//!
//! A rule is satisfied only when every word of one of its literal needs is
//! found (and of one of its context needs, when its context is required).
//! For each rule, one of those two sides is chosen, and a set of words that
//! meets every need of that side: a chunk that holds none of the chosen
//! words (at a word start, or at the start of a piece of a word that markup
//! joins) and no marker cannot satisfy the rule. The prefilter's automaton,
//! which takes one dependent table step per byte, then reads only the
//! chunks that hold an anchor, or a place where markup may join one.
//!
//! The anchors are searched for in the text with its ASCII letters folded
//! to lower case: aho-corasick uses no vectorized prefilter for a search
//! that ignores case, and does for one that does not. They are searched in
//! groups by length, since that prefilter fingerprints every pattern by as
//! many bytes as the shortest has.
//!
//! Which words are chosen changes only the speed, never the result: a
//! chunk with an anchor gets the prefilter's full search.

use std::collections::HashSet;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// For one literal, the words it needs: an id, and whether the word may
/// run on (it ends in a version's first digit: `gpt5` in `gpt55`).
pub(super) type Needs = Vec<(u16, bool)>;

/// What one rule needs to be satisfied, in words: the needs of each of its
/// literals, and of each context phrase when its context is required.
pub(super) struct RuleNeeds {
    pub(super) literals: Vec<Needs>,
    /// For a rule whose context is required: the needs of each context phrase.
    pub(super) context: Option<Vec<Needs>>,
}

/// The anchors of a set of rules, ready to search.
pub struct Anchors {
    /// One search per group of anchors (by length), over folded text, each
    /// with whether its patterns are markers (found anywhere, not only at a
    /// word start).
    groups: Vec<(AhoCorasick, Vec<bool>)>,
    /// Every anchor that is a word, in lower case: for the words that
    /// markup joins.
    named: Vec<Vec<u8>>,
    /// The length of the longest of those.
    longest: usize,
}

impl Anchors {
    /// The anchors for `rules`, whose needs name `words` by id; ids below
    /// `markers` are markers, which are always anchors.
    /// `None` if they could not be built (then the prefilter is not used).
    pub fn new(words: &[String], markers: usize, rules: &[RuleNeeds]) -> Option<Anchors> {
        let chosen = choose(words, markers, rules);
        // What makes the prefilter sound, checked rather than trusted.
        if !anchored(words, rules, &chosen) {
            return None;
        }
        let mut groups: [Vec<(Vec<u8>, bool)>; 3] = Default::default();
        for &id in &chosen {
            let folded = words[id].to_ascii_lowercase().into_bytes();
            groups[folded.len().clamp(1, 3) - 1].push((folded, id < markers));
        }
        let groups = groups
            .into_iter()
            .filter(|g| !g.is_empty())
            .map(|g| {
                let (patterns, marker): (Vec<Vec<u8>>, Vec<bool>) = g.into_iter().unzip();
                let search = AhoCorasickBuilder::new()
                    .match_kind(MatchKind::LeftmostFirst)
                    .build(patterns)
                    .ok()?;
                Some((search, marker))
            })
            .collect::<Option<Vec<_>>>()?;
        let named: Vec<Vec<u8>> = chosen
            .iter()
            .filter(|&&id| id >= markers)
            .map(|&id| words[id].to_ascii_lowercase().into_bytes())
            .collect();
        let longest = named.iter().map(Vec::len).max().unwrap_or(0);
        Some(Anchors {
            groups,
            named,
            longest,
        })
    }

    /// The sorted offsets in `text` where a chunk holding one may pass: an
    /// anchor written whole (a marker anywhere, a word where a word starts:
    /// the byte before it is no ASCII letter or digit, as the prefilter's
    /// own search requires), and in `markup`, where markup may join one
    /// (see [`Anchors::joins`]). A chunk with none of them cannot pass.
    pub fn find(&self, text: &[u8], markup: bool) -> Vec<usize> {
        let folded = text.to_ascii_lowercase();
        let mut hits = Vec::new();
        for (search, marker) in &self.groups {
            for m in search.find_iter(&folded) {
                let at = m.start();
                if marker[m.pattern().as_usize()]
                    || at == 0
                    || !folded[at - 1].is_ascii_alphanumeric()
                {
                    hits.push(at);
                }
            }
        }
        if markup {
            self.joins(text, &mut hits);
        }
        hits.sort_unstable();
        hits
    }

    /// Adds to `hits` the places where markup may join a word that starts
    /// with an anchor.
    ///
    /// Such a word starts at a piece (see [`crate::source::joins`]), and an anchor
    /// that lies within one piece is written at a word start, where
    /// [`Anchors::find`] finds it. So an anchor that only markup makes
    /// spans pieces: its first piece is a run of letters and digits at a
    /// word start that is a proper beginning of the anchor, and markup that
    /// may vanish follows it at once (`Op*en*AI`, `Ch[at](x)GPT`); the
    /// place is that markup. The one kind of piece that does not start at a
    /// word start follows a character reference (`Open&nbspAI`): every `&`
    /// is a place. Nothing here reads the markup itself, so no markup needs
    /// to be certain, and a place lies in the line of the piece before it:
    /// the places of a whole text are those of each of its chunks.
    fn joins(&self, text: &[u8], hits: &mut Vec<usize>) {
        hits.extend(memchr::memchr_iter(b'&', text));
        let begins_anchor = |&k: &usize| {
            let run = text[..k]
                .iter()
                .rev()
                .take(self.longest)
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            let start = k - run;
            run > 0
                && (start == 0 || !text[start - 1].is_ascii_alphanumeric())
                && self
                    .named
                    .iter()
                    .any(|w| w.len() > run && w[..run].eq_ignore_ascii_case(&text[start..k]))
        };
        hits.extend(memchr::memchr3_iter(b'*', b'_', b'~', text).filter(begins_anchor));
        hits.extend(memchr::memchr3_iter(b'[', b']', b'<', text).filter(begins_anchor));
    }
}

/// The ids of the anchors: every marker, and for each rule, the words that
/// meet every need of one of its sides.
///
/// Each rule takes the side that adds the fewest words to those chosen so
/// far, picking greedily the word that meets the most needs still unmet
/// (the longer one on a tie: long words are rarer). A word that a later
/// rule made needless is then dropped, shortest first, and so is a word
/// that starts with another anchor (words are lower case and distinct).
fn choose(words: &[String], markers: usize, rules: &[RuleNeeds]) -> Vec<usize> {
    let mut chosen: HashSet<usize> = (0..markers).collect();
    for rule in rules {
        let cheapest = sides(rule)
            .into_iter()
            .map(|side| cover(words, side, &chosen))
            .min_by_key(Vec::len)
            .unwrap_or_default();
        chosen.extend(cheapest);
    }
    let mut candidates: Vec<usize> = chosen.iter().copied().filter(|&w| w >= markers).collect();
    candidates.sort_by_key(|&w| (words[w].len(), w));
    for w in candidates {
        chosen.remove(&w);
        let covered = rules
            .iter()
            .all(|rule| sides(rule).into_iter().any(|side| met(side, &chosen)));
        if !covered {
            chosen.insert(w);
        }
    }
    // A word with another anchor at its start is found by that one.
    let mut chosen: Vec<usize> = chosen
        .iter()
        .copied()
        .filter(|&w| {
            w < markers
                || !chosen
                    .iter()
                    .any(|&p| p >= markers && p != w && words[w].starts_with(words[p].as_str()))
        })
        .collect();
    chosen.sort_unstable();
    chosen
}

/// Whether every rule has a side each need of which holds a word that
/// starts with an anchor of `chosen`.
fn anchored(words: &[String], rules: &[RuleNeeds], chosen: &[usize]) -> bool {
    let starts: Vec<bool> = words
        .iter()
        .map(|w| chosen.iter().any(|&a| w.starts_with(words[a].as_str())))
        .collect();
    rules.iter().all(|rule| {
        sides(rule).iter().any(|side| {
            side.iter()
                .all(|need| need.iter().any(|&(w, _)| starts[usize::from(w)]))
        })
    })
}

/// The literal side of `rule`, and its context side if it has one.
fn sides(rule: &RuleNeeds) -> Vec<&[Needs]> {
    std::iter::once(rule.literals.as_slice())
        .chain(rule.context.as_deref())
        .collect()
}

/// Whether `need` holds a word of `chosen`.
fn holds(need: &Needs, chosen: &HashSet<usize>) -> bool {
    need.iter().any(|&(w, _)| chosen.contains(&usize::from(w)))
}

/// Whether every need of `side` holds a word of `chosen`.
fn met(side: &[Needs], chosen: &HashSet<usize>) -> bool {
    side.iter().all(|need| holds(need, chosen))
}

/// The words to add to `chosen` so that every need of `side` holds one.
fn cover(words: &[String], side: &[Needs], chosen: &HashSet<usize>) -> Vec<usize> {
    let mut unmet: Vec<&Needs> = side.iter().filter(|n| !holds(n, chosen)).collect();
    let mut added = Vec::new();
    let mut counts = vec![0usize; words.len()];
    while !unmet.is_empty() {
        counts.fill(0);
        for need in &unmet {
            for &(w, _) in need.iter() {
                counts[usize::from(w)] += 1;
            }
        }
        let Some(best) = (0..words.len())
            .filter(|&w| counts[w] > 0)
            .max_by_key(|&w| (counts[w], words[w].len(), std::cmp::Reverse(w)))
        else {
            // A need with no word: nothing can be anchored.
            break;
        };
        added.push(best);
        unmet.retain(|need| !need.iter().any(|&(w, _)| usize::from(w) == best));
    }
    added
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|w| w.to_string()).collect()
    }

    fn needs(ids: &[&[u16]]) -> Vec<Needs> {
        ids.iter()
            .map(|n| n.iter().map(|&w| (w, false)).collect())
            .collect()
    }

    #[test]
    fn a_word_every_need_shares_anchors_them_all() {
        // 0: a marker; 1 access, 2 enables, 3 enabled.
        let w = words(&["&#", "access", "enables", "enabled"]);
        let rules = [RuleNeeds {
            literals: needs(&[&[1, 2], &[1, 3]]),
            context: None,
        }];
        assert_eq!(choose(&w, 1, &rules), [0, 1]);
    }

    #[test]
    fn a_rule_takes_the_side_anchored_already_and_drops_what_it_no_longer_needs() {
        // 1 models, 2 gpt, 3 chatgpt, 4 call.
        let w = words(&["&#", "models", "gpt", "chatgpt", "call"]);
        let rules = [
            // "call" + a name, or a name + "call": both sides need a word.
            RuleNeeds {
                literals: needs(&[&[4, 2], &[4, 3]]),
                context: None,
            },
            // Only "models" on the literal side; names in context.
            RuleNeeds {
                literals: needs(&[&[1]]),
                context: Some(needs(&[&[2], &[3]])),
            },
            // Names alone.
            RuleNeeds {
                literals: needs(&[&[2], &[3]]),
                context: None,
            },
        ];
        let chosen = choose(&w, 1, &rules);
        assert_eq!(chosen, [0, 2, 3], "{:?}", chosen);
    }

    #[test]
    fn finds_anchors_at_word_starts_in_any_case_and_markers_anywhere() {
        let w = words(&["\u{AD}", "gpt", "o1"]);
        let rules = [RuleNeeds {
            literals: needs(&[&[1], &[2]]),
            context: None,
        }];
        let a = Anchors::new(&w, 1, &rules).expect("it builds");
        let find = |t: &[u8]| a.find(t, false);
        assert_eq!(find(b"Use GPT, or O1."), [4, 12]);
        assert_eq!(find(b"chatgpt xo1 o1x"), [12], "a prefix is enough");
        assert_eq!(find("en\u{AD}ables".as_bytes()), [2]);
        assert!(find(b"no such words").is_empty());
        // In markup, also the places where markup may join one.
        let may_join = |t: &[u8]| a.find(t, true).len() > find(t).len();
        assert!(!may_join(b"Chat*GPT*"), "GPT is at a word start");
        assert!(may_join(b"G*PT*"));
        assert!(may_join(b"x, gp<b>t</b>"));
        assert!(!may_join(b"xgp<b>t</b>"), "not at a word start");
        assert!(may_join(b"O[](x)1"));
        assert!(may_join(b"&nbspo1"));
        assert!(
            !may_join(b"*Chat* O1 gpt_"),
            "no anchor begins before markup"
        );
        assert_eq!(a.find(b"x G*PT* &", true), [3, 8], "the places themselves");
    }

    #[test]
    fn the_default_policy_is_anchored_on_names_not_on_common_words() {
        let policy = crate::policy::Policy::default_policy();
        let p = super::super::prefilter::Prefilter::new(policy.rules.iter())
            .expect("the default policy has words to look for");
        // A chunk about models or calls, with no name, is ruled out at once.
        assert!(
            p.anchors(b"Call the models' API to access them.", false)
                .len()
                == 1
        );
        assert!(
            p.anchors(b"Call the latest models through the API.", false)
                .is_empty()
        );
        assert_eq!(p.anchors(b"Ask ChatGPT or o3.", false).len(), 2);
    }

    proptest::proptest! {
        #[test]
        fn every_rule_keeps_an_anchored_side(
            rules in proptest::collection::vec(
                (
                    proptest::collection::vec(proptest::collection::vec(0u16..12, 1..4), 1..5),
                    proptest::option::of(
                        proptest::collection::vec(proptest::collection::vec(0u16..12, 1..4), 1..5),
                    ),
                ),
                1..6,
            )
        ) {
            // Ids 0 and 1 are markers; some words start others.
            let w = words(&[
                "&#", "\u{AD}", "gpt", "gpt4", "chat", "chatgpt", "access", "accesses", "call",
                "o1", "models", "api",
            ]);
            let rules: Vec<RuleNeeds> = rules
                .into_iter()
                .map(|(literals, context)| RuleNeeds {
                    literals: needs_of(literals),
                    context: context.map(needs_of),
                })
                .collect();
            let chosen = choose(&w, 2, &rules);
            proptest::prop_assert!(chosen.starts_with(&[0, 1]), "markers are anchors");
            proptest::prop_assert!(anchored(&w, &rules, &chosen), "{:?}", chosen);
        }
    }

    fn needs_of(ids: Vec<Vec<u16>>) -> Vec<Needs> {
        ids.into_iter()
            .map(|n| n.into_iter().map(|w| (w.max(2), false)).collect())
            .collect()
    }
}
