//! Resolution: from raw automaton hits in one block to the findings kept.
//!
//! Applies sentence context (`near`, `after`, `required`), approved-phrase
//! exemptions, mention rules and greedy overlap resolution: candidates are
//! ranked by severity (most severe first), start (earliest first), length
//! (longest first) and rule order, and each is kept only if it overlaps none
//! already kept. Mentions are considered last, only in sentences left with no
//! other finding.

use std::cmp::Reverse;

use crate::finding::Severity;
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
}

#[derive(Clone, Copy, Debug)]
pub struct ContextSpec {
    pub after: bool,
    pub severity: Option<Severity>,
    pub required: bool,
}

/// What an automaton hit stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HitKind {
    /// A match of a rule's pattern (index into the rule table).
    Rule(usize),
    /// A match of an approved phrase of a policy (index of the policy).
    Approved(usize),
    /// A match of a rule's context pattern (index of the rule).
    Context(usize),
}

/// One whole-word match in a block's normalized text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub kind: HitKind,
    pub start: usize,
    pub end: usize,
}

/// A finding kept for a block, in normalized offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub rule: usize,
    pub severity: Severity,
    pub start: usize,
    pub end: usize,
}

/// Sentence boundaries of a block: a sentence ends at `.`, `!` or `?`
/// followed by a space or the end of the block, with any closing quotes or
/// brackets in between (`“… our data.” Next`).
struct Sentences {
    starts: Vec<usize>,
}

impl Sentences {
    fn new(text: &str) -> Sentences {
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
            if matches!(bytes.get(end), None | Some(b' ')) {
                starts.push(end);
            }
        }
        Sentences { starts }
    }

    fn of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Keeps, in ranking order, each candidate that overlaps none kept before.
fn keep_greedy(mut candidates: Vec<Resolved>, kept: &mut Vec<Resolved>) {
    candidates.sort_by_key(|c| {
        (
            Reverse(c.severity),
            c.start,
            Reverse(c.end - c.start),
            c.rule,
        )
    });
    for c in candidates {
        if !kept
            .iter()
            .any(|k| overlaps((k.start, k.end), (c.start, c.end)))
        {
            kept.push(c);
        }
    }
}

/// Resolves the hits of one block into the findings to report, ordered by
/// position.
pub fn resolve(rules: &[RuleSpec], hits: &[Hit], text: &str) -> Vec<Resolved> {
    let sentences = Sentences::new(text);
    let approved: Vec<(usize, usize, usize)> = hits
        .iter()
        .filter_map(|h| match h.kind {
            HitKind::Approved(p) => Some((p, h.start, h.end)),
            _ => None,
        })
        .collect();
    let context_holds = |rule: usize, ctx: &ContextSpec, start: usize, end: usize| {
        let sentence = sentences.of(start);
        hits.iter().any(|h| {
            h.kind == HitKind::Context(rule)
                && sentences.of(h.start) == sentence
                && (!ctx.after || h.start >= end)
        })
    };

    let mut phrases = Vec::new();
    let mut mentions = Vec::new();
    for hit in hits {
        let HitKind::Rule(r) = hit.kind else { continue };
        let spec = &rules[r];
        let mut candidate = Resolved {
            rule: r,
            severity: spec.severity,
            start: hit.start,
            end: hit.end,
        };
        match spec.kind {
            RuleKind::Phrase => {
                if approved
                    .iter()
                    .any(|&(p, s, e)| p == spec.policy && s <= hit.start && hit.end <= e)
                {
                    continue;
                }
                if let Some(ctx) = &spec.context {
                    if context_holds(r, ctx, hit.start, hit.end) {
                        candidate.severity = ctx.severity.unwrap_or(spec.severity);
                    } else if ctx.required {
                        continue;
                    }
                }
                phrases.push(candidate);
            }
            RuleKind::Mention => {
                if approved
                    .iter()
                    .any(|&(p, s, e)| p == spec.policy && overlaps((s, e), (hit.start, hit.end)))
                {
                    continue;
                }
                mentions.push(candidate);
            }
        }
    }

    let mut kept = Vec::new();
    keep_greedy(phrases, &mut kept);
    let busy: Vec<usize> = kept.iter().map(|k| sentences.of(k.start)).collect();
    mentions.retain(|m| !busy.contains(&sentences.of(m.start)));
    keep_greedy(mentions, &mut kept);
    kept.sort_by_key(|k| (k.start, k.end, k.rule));
    kept
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
        }
    }

    fn hit(kind: HitKind, start: usize, end: usize) -> Hit {
        Hit { kind, start, end }
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
    fn sentences_end_before_closing_quotes_and_brackets() {
        let s = Sentences::new("a \"b.\" c (d?) e f.) g");
        assert_eq!(s.starts, [0, 6, 13, 19]);
        assert_eq!(Sentences::new("v2.5 and x.y").starts, [0]);
    }

    #[test]
    fn mentions_yield_to_approved_phrases_and_other_findings() {
        let mention = RuleSpec {
            policy: 0,
            kind: RuleKind::Mention,
            severity: Severity::Info,
            context: None,
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
