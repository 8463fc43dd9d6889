//! Resolution: from raw automaton hits in one block to the findings kept.
//!
//! Applies sentence context (`near`, `after`, `required`), approved-phrase
//! exemptions, mention rules and greedy overlap resolution: candidates are
//! ranked by severity (most severe first), start (earliest first), length
//! (longest first) and rule order, and each is kept only if it overlaps none
//! already kept. Mentions are considered last, only in sentences left with no
//! other finding.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Bound::{Excluded, Unbounded};

use std::sync::Arc;

use crate::claims::{self, Claim, ClaimSpec, Name, NameKind};
use crate::finding::Severity;
use crate::language::Sentence;
use crate::language::sentences::{LONGEST_SENTENCE, Sentences, windows};
use crate::policy::RuleKind;

/// What resolution needs to know of a rule.
#[derive(Clone, Debug)]
pub struct RuleSpec {
    /// Index of the policy the rule belongs to: approved phrases only exempt
    /// matches of their own policy's rules.
    pub policy: usize,
    pub kind: RuleKind,
    pub severity: Severity,
    pub context: Option<ContextSpec>,
    /// Only approved phrases with their case as written exempt its matches.
    pub case_sensitive: bool,
    /// For a claim rule: what makes a claim of its names.
    pub claim: Option<Arc<ClaimSpec>>,
}

#[derive(Clone, Copy, Debug)]
pub struct ContextSpec {
    pub after: bool,
    pub severity: Option<Severity>,
    pub required: bool,
}

/// What an automaton hit stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HitKind {
    /// A match of a rule's pattern (index into the rule table).
    Rule(usize),
    /// A match of an approved phrase of a policy (index of the policy).
    Approved(usize),
    /// A match of a rule's context pattern (index of the rule).
    Context(usize),
    /// A name of a claim rule (index of the rule), and what it names.
    Name(usize, NameKind),
}

/// One whole-word match in a block's normalized text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub kind: HitKind,
    pub start: usize,
    pub end: usize,
    /// The source has the case of the phrase as written (always true for a
    /// phrase whose case does not matter).
    pub cased: bool,
}

/// A finding kept for a block, in normalized offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub rule: usize,
    pub severity: Severity,
    pub start: usize,
    pub end: usize,
    /// The sentence around the finding, in normalized offsets.
    pub sentence: (usize, usize),
    /// For a claim: its index in [`Resolution::claims`].
    pub claim: Option<usize>,
}

/// The findings kept for a block, and the parts of the claims among them.
#[derive(Debug, Default)]
pub struct Resolution {
    pub kept: Vec<Resolved>,
    pub claims: Vec<Claim>,
    /// For each claim: whether its object is one of the rule's milder
    /// names (its suggestions are the milder ones).
    pub milder: Vec<bool>,
}

/// What resolution knows of a block beyond its text.
#[derive(Clone, Copy, Default)]
pub struct BlockContext<'a> {
    /// For a table cell: the headers that govern it, normalized.
    pub column: Option<&'a str>,
    /// A table cell that denies its row ("Not offered", "—", "❌").
    pub denies: bool,
    /// For a table cell: the row's cells before it, with their headers;
    /// for a row's label, all of the row's cells.
    pub row_cells: &'a str,
    /// The block is a row's label (its first cell).
    pub label: bool,
    /// For a table cell after the first column: the row's label.
    pub row_label: Option<&'a str>,
    /// The text opens with a table cell's row label and header ("OpenAI,
    /// Models in Bedrock, GPT-5"), which are not its sentence's subject.
    pub cell: bool,
    /// The source text of a normalized byte range, as written (for the
    /// parts of a claim); the normalized text itself when `None`.
    pub written: Option<&'a dyn Fn(std::ops::Range<usize>) -> String>,
}

/// Most words of a block whose sentences are read as one, for claims: a
/// headline or an ad of fragments.
const SHORT_BLOCK: usize = 15;

/// Whether `start..end` lies in a URL, an e-mail address or a domain name
/// (`openai.com`, `chat.openai.com`), which mention rules do not count.
fn in_address(text: &str, start: usize, end: usize) -> bool {
    let token_start = text[..start].rfind(' ').map_or(0, |i| i + 1);
    let token_end = text[end..].find(' ').map_or(text.len(), |i| end + i);
    let token = &text[token_start..token_end];
    if token.contains("://") || token.starts_with("www.") {
        return true;
    }
    if let Some(at) = token.find('@')
        && token[at..].contains('.')
        && at > 0
    {
        return true;
    }
    let bytes = text.as_bytes();
    let label_before =
        start >= 2 && bytes[start - 1] == b'.' && bytes[start - 2].is_ascii_alphanumeric();
    let label_after =
        bytes.get(end) == Some(&b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_lowercase);
    label_before || label_after
}

/// Spans sorted by start, with the running maximum of their ends: answers
/// "does some span contain / overlap / start in this range" in O(log n), so
/// a block with a million hits resolves in n log n.
#[derive(Default)]
struct SpanIndex {
    starts: Vec<usize>,
    max_end: Vec<usize>,
}

impl SpanIndex {
    fn new(mut spans: Vec<(usize, usize)>) -> SpanIndex {
        spans.sort_unstable();
        let mut max = 0;
        let max_end = spans
            .iter()
            .map(|&(_, e)| {
                max = max.max(e);
                max
            })
            .collect();
        SpanIndex {
            starts: spans.into_iter().map(|(s, _)| s).collect(),
            max_end,
        }
    }

    /// Some span lies around all of `start..end`.
    fn contains(&self, start: usize, end: usize) -> bool {
        let i = self.starts.partition_point(|&s| s <= start);
        i > 0 && self.max_end[i - 1] >= end
    }

    /// Some span overlaps `start..end`.
    fn overlaps(&self, start: usize, end: usize) -> bool {
        let i = self.starts.partition_point(|&s| s < end);
        i > 0 && self.max_end[i - 1] > start
    }

    /// Some span starts within `from..to`.
    fn starts_in(&self, from: usize, to: usize) -> bool {
        let i = self.starts.partition_point(|&s| s < from);
        self.starts.get(i).is_some_and(|&s| s < to)
    }
}

/// Keeps, in ranking order, each candidate that overlaps none kept before.
fn keep_greedy(mut candidates: Vec<Resolved>, kept: &mut BTreeMap<usize, Resolved>) {
    candidates.sort_by_key(|c| {
        (
            Reverse(c.severity),
            c.start,
            Reverse(c.end - c.start),
            c.rule,
        )
    });
    for c in candidates {
        // Kept findings never overlap, so only the neighbours can.
        let before = kept
            .range(..=c.start)
            .next_back()
            .is_some_and(|(_, k)| k.end > c.start);
        let after = kept
            .range((Excluded(c.start), Unbounded))
            .next()
            .is_some_and(|(&s, _)| s < c.end);
        if !before && !after {
            kept.insert(c.start, c);
        }
    }
}

/// Resolves the hits of one block into the findings to report, ordered by
/// position.
/// `upper` tells whether the source character at a normalized offset of
/// `text` is an upper-case letter.
pub fn resolve(
    rules: &[RuleSpec],
    hits: &[Hit],
    text: &str,
    upper: &dyn Fn(usize) -> bool,
    block: BlockContext,
) -> Resolution {
    let sentences = Sentences::new(text, upper);
    let mut names: BTreeMap<usize, Vec<Name>> = BTreeMap::new();
    // Approved phrases by policy and by whether their case is as written.
    let mut approved: HashMap<(usize, bool), Vec<(usize, usize)>> = HashMap::new();
    let mut context: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
    for h in hits {
        match h.kind {
            HitKind::Approved(p) => {
                approved
                    .entry((p, false))
                    .or_default()
                    .push((h.start, h.end));
                if h.cased {
                    approved
                        .entry((p, true))
                        .or_default()
                        .push((h.start, h.end));
                }
            }
            HitKind::Context(r) => context.entry(r).or_default().push((h.start, h.end)),
            HitKind::Name(r, kind) => names.entry(r).or_default().push(Name {
                start: h.start,
                end: h.end,
                kind,
            }),
            HitKind::Rule(_) => {}
        }
    }
    let approved: HashMap<(usize, bool), SpanIndex> = approved
        .into_iter()
        .map(|(k, v)| (k, SpanIndex::new(v)))
        .collect();
    let context: HashMap<usize, SpanIndex> = context
        .into_iter()
        .map(|(k, v)| (k, SpanIndex::new(v)))
        .collect();
    let empty = SpanIndex::default();

    let mut phrases = Vec::new();
    let mut terms = Vec::new();
    let mut mentions = Vec::new();
    for hit in hits {
        let HitKind::Rule(r) = hit.kind else { continue };
        let spec = &rules[r];
        let approved = approved
            .get(&(spec.policy, spec.case_sensitive))
            .unwrap_or(&empty);
        let mut candidate = Resolved {
            rule: r,
            severity: spec.severity,
            start: hit.start,
            end: hit.end,
            sentence: (0, 0),
            claim: None,
        };
        match spec.kind {
            RuleKind::Phrase | RuleKind::Term => {
                // A misspelt name is misspelt in an approved phrase too, and
                // in a web or mail address it is not prose.
                let exempt = match spec.kind {
                    RuleKind::Term => in_address(text, hit.start, hit.end),
                    _ => approved.contains(hit.start, hit.end),
                };
                if exempt {
                    continue;
                }
                if let Some(ctx) = &spec.context {
                    let (sentence_start, sentence_end) = sentences.bounds(hit.start, text.len());
                    let from = if ctx.after { hit.end } else { sentence_start };
                    let holds = context
                        .get(&r)
                        .is_some_and(|c| c.starts_in(from, sentence_end));
                    if holds {
                        candidate.severity = ctx.severity.unwrap_or(spec.severity);
                    } else if ctx.required {
                        continue;
                    }
                }
                match spec.kind {
                    RuleKind::Term => terms.push(candidate),
                    _ => phrases.push(candidate),
                }
            }
            RuleKind::Mention => {
                if !approved.overlaps(hit.start, hit.end) && !in_address(text, hit.start, hit.end) {
                    mentions.push(candidate);
                }
            }
            // A claim rule's names are read below, sentence by sentence.
            RuleKind::Claim => {}
        }
    }
    let mut claim_parts = Vec::new();
    let mut claim_milder = Vec::new();
    // Each sentence is read into words once, whichever rules read it.
    let mut parsed: HashMap<(usize, usize), Sentence> = HashMap::new();
    let block_words = std::cell::OnceCell::new();
    for (r, names) in &names {
        let spec = &rules[*r];
        let Some(claim) = &spec.claim else { continue };
        let approved = approved
            .get(&(spec.policy, spec.case_sensitive))
            .unwrap_or(&empty);
        // A name in an approved phrase ("OpenAI-integrated") is no object.
        let names: Vec<Name> = names
            .iter()
            .filter(|n| !approved.overlaps(n.start, n.end))
            .copied()
            .collect();
        let names = names.as_slice();
        // The milder names' safe word anywhere in the block or its row
        // ("Yes. gpt-oss-120b is OpenAI's open-weight model, …").
        let safe_row = claim.milder.as_ref().is_some_and(|m| {
            let said = |words: &[String]| {
                m.safe
                    .iter()
                    .any(|seq| words.windows(seq.len()).any(|w| w == seq.as_slice()))
            };
            said(&claims::words(block.row_cells))
                || said(block_words.get_or_init(|| claims::words(text)))
        });
        let scope = claims::Scope {
            safe: safe_row,
            cleared: block.denies
                || block.column.is_some_and(|c| claims::names_actor(claim, c))
                || (block.label && claims::names_actor(claim, block.row_cells))
                // A row about a third party ("| Microsoft Azure | Routes
                // all API calls to OpenAI models |"), not a quoted
                // objection that names one ("| “We're on Azure.” | …").
                || block
                    .row_label
                    .is_some_and(|r| !r.trim_start().starts_with('"') && claims::names_actor(claim, r)),
            block: false,
            cell: block.cell,
        };
        // A short block of fragments ("GPT-5. Now streaming from AWS.")
        // reads as one sentence.
        let short = text.split(' ').count() <= SHORT_BLOCK
            && sentences.count(text) > 1
            && sentences.has_fragment(text);
        let mut read_in: Vec<_> = sentences
            .with_names(names.iter().map(|n| n.start), text)
            .into_iter()
            .map(|(sentence, previous)| (sentence, previous, scope))
            .collect();
        // A "sentence" of many kilobytes (a file without punctuation) is no
        // prose: each run of names in it is read in a window of words
        // around it, so that such a text costs what its names do.
        if read_in.iter().any(|(r, _, _)| r.len() > LONGEST_SENTENCE) {
            read_in = read_in
                .into_iter()
                .flat_map(|(sentence, previous, scope)| {
                    if sentence.len() <= LONGEST_SENTENCE {
                        return vec![(sentence, previous, scope)];
                    }
                    windows(text, &sentence, names.iter().map(|n| (n.start, n.end)))
                        .into_iter()
                        .map(|w| (w, None, scope))
                        .collect()
                })
                .collect();
        }
        if short {
            read_in = vec![(
                0..text.len(),
                None,
                claims::Scope {
                    block: true,
                    ..scope
                },
            )];
        }
        for (sentence, previous, _) in &read_in {
            for range in std::iter::once(sentence).chain(previous) {
                parsed
                    .entry((range.start, range.end))
                    .or_insert_with(|| Sentence::new(text, range.clone()));
            }
        }
        for (sentence, previous, scope) in read_in {
            let normalized = |r: std::ops::Range<usize>| text[r].to_string();
            let written = block.written.unwrap_or(&normalized);
            let found = claims::read(
                claim,
                spec.severity,
                text,
                &parsed[&(sentence.start, sentence.end)],
                previous.map(|p| &parsed[&(p.start, p.end)]),
                names,
                scope,
                written,
            );
            for f in found {
                if approved.contains(f.start, f.end)
                    || f.pronoun_clause
                        .is_some_and(|c| approved.starts_in(c.start, c.end))
                {
                    continue;
                }
                claim_parts.push(f.claim);
                claim_milder.push(f.milder);
                phrases.push(Resolved {
                    rule: *r,
                    severity: f.severity,
                    start: f.start,
                    end: f.end,
                    sentence: (0, 0),
                    claim: Some(claim_parts.len() - 1),
                });
            }
        }
    }

    let mut kept = BTreeMap::new();
    keep_greedy(phrases, &mut kept);
    // Spelling is a separate concern from claims: a misspelt name is
    // reported (and fixed) whatever else its sentence says, and it leaves
    // the sentence's claims to the other rules.
    let mut spelt = BTreeMap::new();
    keep_greedy(terms, &mut spelt);
    let busy: HashSet<usize> = kept.values().map(|k| sentences.of(k.start)).collect();
    mentions.retain(|m| !busy.contains(&sentences.of(m.start)));
    keep_greedy(mentions, &mut kept);
    let mut kept: Vec<Resolved> = kept.into_values().chain(spelt.into_values()).collect();
    kept.sort_by_key(|k| (k.start, k.end));
    for k in &mut kept {
        // A claim read across a short block's fragments spans sentences.
        let (from, _) = sentences.bounds(k.start, text.len());
        let (_, to) = sentences.bounds(k.end.saturating_sub(1).max(k.start), text.len());
        k.sentence = (from, to);
    }
    Resolution {
        kept,
        claims: claim_parts,
        milder: claim_milder,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrase(severity: Severity) -> RuleSpec {
        RuleSpec {
            policy: 0,
            kind: RuleKind::Phrase,
            severity,
            context: None,
            case_sensitive: false,
            claim: None,
        }
    }

    fn hit(kind: HitKind, start: usize, end: usize) -> Hit {
        Hit {
            kind,
            start,
            end,
            cased: true,
        }
    }

    fn resolve(rules: &[RuleSpec], hits: &[Hit], text: &str) -> Vec<Resolved> {
        super::resolve(rules, hits, text, &|_| false, BlockContext::default()).kept
    }

    #[test]
    fn ranks_by_severity_then_start_then_length_then_order() {
        let rules = [
            phrase(Severity::Warning),
            phrase(Severity::Error),
            phrase(Severity::Error),
        ];
        let text = "aaaa bbbb cccc dddd";
        // Warning first in text, error overlapping it later: the error wins.
        let got = resolve(
            &rules,
            &[hit(HitKind::Rule(0), 0, 9), hit(HitKind::Rule(1), 5, 14)],
            text,
        );
        assert_eq!(got.iter().map(|r| r.rule).collect::<Vec<_>>(), [1]);
        // Same severity: earliest start wins.
        let got = resolve(
            &rules,
            &[hit(HitKind::Rule(2), 5, 14), hit(HitKind::Rule(1), 0, 9)],
            text,
        );
        assert_eq!(
            got.iter().map(|r| (r.rule, r.start)).collect::<Vec<_>>(),
            [(1, 0)]
        );
        // Same start: longest wins; same span: rule order wins.
        let got = resolve(
            &rules,
            &[hit(HitKind::Rule(1), 0, 4), hit(HitKind::Rule(2), 0, 9)],
            text,
        );
        assert_eq!(got[0].rule, 2);
        let got = resolve(
            &rules,
            &[hit(HitKind::Rule(2), 0, 4), hit(HitKind::Rule(1), 0, 4)],
            text,
        );
        assert_eq!(got[0].rule, 1);
        // Non-overlapping findings are all kept.
        let got = resolve(
            &rules,
            &[hit(HitKind::Rule(0), 0, 4), hit(HitKind::Rule(0), 5, 9)],
            text,
        );
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn context_changes_severity_within_one_sentence_only() {
        let mut rule = phrase(Severity::Warning);
        rule.context = Some(ContextSpec {
            after: true,
            severity: Some(Severity::Error),
            required: false,
        });
        let rules = [rule];
        let text = "x y. z w";
        let same = resolve(
            &rules,
            &[hit(HitKind::Rule(0), 0, 1), hit(HitKind::Context(0), 2, 3)],
            text,
        );
        assert_eq!(same[0].severity, Severity::Error);
        let other = resolve(
            &rules,
            &[hit(HitKind::Rule(0), 0, 1), hit(HitKind::Context(0), 5, 6)],
            text,
        );
        assert_eq!(other[0].severity, Severity::Warning);
        let before = resolve(
            &rules,
            &[hit(HitKind::Rule(0), 2, 3), hit(HitKind::Context(0), 0, 1)],
            text,
        );
        assert_eq!(before[0].severity, Severity::Warning);
    }

    #[test]
    fn addresses_are_not_prose() {
        let at = |t: &str, w: &str| {
            let s = t.find(w).unwrap();
            in_address(t, s, s + w.len())
        };
        assert!(at("see openai.com today", "openai"));
        assert!(at("see chat.openai.com/x", "openai"));
        assert!(at("mail help@openai.com", "openai"));
        assert!(at("go https://x.example/openai now", "openai"));
        assert!(!at("we use openai. next", "openai"));
        assert!(!at("openai/chatgpt", "openai"));
    }

    #[test]
    fn span_index_answers_containment_overlap_and_starts() {
        let idx = SpanIndex::new(vec![(10, 20), (0, 30), (40, 45)]);
        assert!(idx.contains(5, 25) && idx.contains(40, 45) && !idx.contains(35, 41));
        assert!(idx.overlaps(29, 31) && idx.overlaps(44, 50) && !idx.overlaps(30, 40));
        assert!(idx.starts_in(5, 11) && !idx.starts_in(11, 40) && idx.starts_in(40, 41));
    }

    #[test]
    fn many_hits_resolve_in_linear_time() {
        let rules = [phrase(Severity::Error)];
        let make = |n: usize| {
            let text = "ab ".repeat(n);
            let hits: Vec<Hit> = (0..n)
                .map(|i| hit(HitKind::Rule(0), i * 3, i * 3 + 2))
                .collect();
            (text, hits)
        };
        let (text, hits) = make(1000);
        assert_eq!(resolve(&rules, &hits, &text).len(), 1000);
        crate::test_support::assert_linear("resolution", 20_000, make, |(text, hits)| {
            assert_eq!(resolve(&rules, hits, text).len(), hits.len());
        });
    }

    #[test]
    fn mentions_yield_to_approved_phrases_and_other_findings() {
        let mention = RuleSpec {
            policy: 0,
            kind: RuleKind::Mention,
            severity: Severity::Info,
            context: None,
            case_sensitive: false,
            claim: None,
        };
        let rules = [phrase(Severity::Error), mention];
        let text = "aa bb. cc dd. ee ff";
        let got = resolve(
            &rules,
            &[
                hit(HitKind::Rule(0), 0, 2),
                hit(HitKind::Rule(1), 3, 5),
                hit(HitKind::Approved(0), 7, 12),
                hit(HitKind::Rule(1), 10, 12),
                hit(HitKind::Rule(1), 17, 19),
            ],
            text,
        );
        assert_eq!(
            got.iter().map(|r| (r.rule, r.start)).collect::<Vec<_>>(),
            [(0, 0), (1, 17)]
        );
    }
}
