//! What clears a claim: a negation, a third party or the owner acting,
//! reported speech, a hypothesis, quoted wording.

use std::ops::Range;

use super::read::{Object, Reader, weak_negation};
use crate::language::lexicon::tag;

impl Reader<'_, '_> {
    /// Whether the sentence reports someone else's words.
    pub(super) fn reported(&self) -> bool {
        let s = self.s;
        (0..s.len()).any(|i| {
            // "One analyst put it", not "your analysts".
            let ours = i > 0 && s.is(i - 1, &["your", "our", "my", "their", "its"]);
            // A commentator is someone speaking only when saying or
            // thinking something ("analysts expect …", "critics: …"), not
            // when acting ("analysts query GPT-4o in plain English").
            let speaking = !s.has(i, tag::COMMENTATOR)
                || (i + 1..(i + 4).min(s.len()))
                    .any(|j| s.has(j, tag::REPORT | tag::THINKING) || s.is(j, &[":", "\""]));
            // "the framing", not "customer-story framing".
            let framing = !s.is(i, &["framing"]) || (i > 0 && s.has(i - 1, tag::DET));
            if (s.has(i, tag::ATTRIBUTION) && !ours && speaking && framing)
                || (i > 0 && s.is(i, &["put"]) && s.is(i + 1, &["it"]))
            {
                return true;
            }
            if s.is(i, &["according"]) {
                return s.is(i + 1, &["to"]);
            }
            // "in its view", "in Microsoft's reading": someone else's view.
            if s.is(i, &["view", "opinion", "reading", "telling", "words"])
                && ((i >= 2
                    && s.is(i - 2, &["in"])
                    && s.is(i - 1, &["its", "their", "his", "her"]))
                    || (i >= 3 && s.is(i - 3, &["in"]) && s.is(i - 1, &["'s"])))
            {
                return true;
            }
            // A reporting verb after its subject: not the imperative "Say
            // it plainly", nor a noun ("our claims agents").
            // "Jassy's memo, as cited by CNBC, says …", "…, says Jassy".
            // Only the present "says", which a relative clause's past
            // ("those who, like our readers, wrote …") is not.
            let aside = i > 1
                && s.is(i - 1, &[",", ")"])
                && s.tokens[i - 2].word
                && s.word(i).ends_with('s');
            s.has(i, tag::REPORT)
                && i > 0
                && (s.tokens[i - 1].word || aside)
                && !s.is(i - 1, &["we", "i", "you", "'s"])
                // "When asked, say …": a condition, not someone speaking.
                && !s.is(i - 1, &["when", "if", "once", "unless", "as"])
                && !s.has(i - 1, tag::DET)
                && !s.has(i - 1, tag::PREP)
                && !s.has(i - 1, tag::AUX)
        })
    }

    /// Whether the claim over `tokens` about `o` is cleared by its scope.
    pub(super) fn cleared(&self, tokens: &Range<usize>, o: &Object, verbless: bool) -> bool {
        let s = self.s;
        let first = s.clause_of(tokens.start);
        let last = s.clause_of(tokens.end.saturating_sub(1).max(tokens.start));
        let clause = first.start.min(last.start)..first.end.max(last.end);
        // A negation before the claim's end, in its clause.
        // A claim without a verb ("API calls to GPT-5 are not made …") is
        // denied by a negation anywhere in its clause.
        // So is a claim that opens its clause as its subject ("Trading
        // Dogecoin is not possible").
        let subject = (clause.start..tokens.start).all(|k| !s.tokens[k].word || s.has(k, tag::DET));
        let reach = if verbless || subject {
            clause.end
        } else {
            tokens.end.min(clause.end)
        };
        // "… doesn't go through Redmond": the negation is about the third
        // party after it, not the claim.
        let about_actor = |k: usize| {
            k >= tokens.end && (k + 1..(k + 5).min(s.len())).any(|j| self.actor_named(j..j + 1))
        };
        let negated = (clause.start..reach).filter(|&k| !about_actor(k)).any(|k| {
            (s.has(k, tag::NEG) && !weak_negation(s, k) || s.has(k, tag::NEG_SIGN))
                && !(s.is(k, &["without"]) && k >= tokens.start)
        }) || clause.clone().any(|k| s.has(k, tag::NEG_SIGN));
        // A hypothesis: "if AWS offered GPT-5, …".
        if s.is(clause.start, &["if", "unless"]) {
            return true;
        }
        // An embedded question: "please confirm whether your platform …".
        if s.is(clause.start, &["whether"]) && clause.start > 0 && s.tokens[clause.start - 1].word {
            return true;
        }
        // "What the SRE is not: a route to …".
        let denied_before = clause.start >= 2
            && s.is(clause.start - 1, &[":"])
            && (s.is(clause.start - 2, &["not", "n't"])
                || (clause.start >= 3
                    && s.is(clause.start - 3, &["not", "n't"])
                    && !s.tokens[clause.start - 2].word));
        if negated || denied_before {
            return true;
        }
        // "Azure: serves GPT-5 via API": a short label names who acts.
        let label = s
            .clauses
            .iter()
            .take_while(|c| c.end <= clause.start)
            .last();
        if let Some(label) = label
            && label.len() <= 4
            && s.is(label.end - 1, &[":"])
            && self.actor_named(label.clone())
        {
            return true;
        }
        // A claim in quotes that the sentence talks about (delete the
        // bullet "reach OpenAI's models via AWS"), or a quotation that is
        // the whole sentence (a myth, an objection).
        if self.quoted_mention(tokens) || (s.is(0, &["\""]) && self.in_quotes(tokens)) {
            return true;
        }
        // A third party in the clause, not set against.
        if self.actor_in(clause.clone()) {
            return true;
        }
        // "… run on Azure, and stateless calls to GPT models are hosted
        // there": the place is the third party named before.
        let there = clause.clone().any(|k| {
            s.is(k, &["there"])
                && !s.is(
                    k + 1,
                    &["is", "are", "'s", "'re", "was", "were", "will", "may"],
                )
        });
        if there && self.actor_named(0..clause.start) && !self.names_platform(clause.clone()) {
            return true;
        }
        // A third party elsewhere in the sentence, when the claim's clause
        // names no platform of ours: "any stateless call to an OpenAI
        // model … — Amazon included — is hosted on Azure".
        if !self.names_platform(clause.clone()) {
            let opener = (tokens.end..s.len()).find(|&k| s.has(k, tag::OPENER));
            if self.actor_in(tokens.end..opener.unwrap_or(s.len())) {
                return true;
            }
        }
        // The owner itself acting: "OpenAI will run … on AWS capacity".
        let mut k = clause.start;
        while k < tokens.start
            && (s.has(k, tag::DET)
                || s.is(k, &["which", "that", "who", "and", "so", "then", "where"])
                || !s.tokens[k].word)
        {
            k += 1;
        }
        k < tokens.start
            && self.objects.iter().any(|x| {
                // Not a table row's label before its cell ("OpenAI,
                // Models in Bedrock, GPT-5").
                x.bare_owner
                    && x.name.start == k
                    && !std::ptr::eq(x, o)
                    && !(self.cell && s.is(x.name.end, &[","]))
            })
    }

    /// Whether a platform of ours is named in tokens `range`.
    fn names_platform(&self, range: Range<usize>) -> bool {
        let s = self.s;
        range.into_iter().any(|k| {
            self.compiled
                .platforms
                .starting(s.word(k))
                .any(|seq| s.matches_at(k, seq))
        })
    }

    /// Whether a third party acts in tokens `range`: named there, and not
    /// set against ("unlike Azure", "zero Azure", "without Azure").
    pub(super) fn actor_in(&self, range: Range<usize>) -> bool {
        let s = self.s;
        range.clone().any(|k| {
            self.actor_at(k, range.end)
                && !(k.saturating_sub(3).max(range.start)..k).any(|j| {
                    s.has(j, tag::CONTRAST)
                        || s.has(j, tag::NEG)
                        || s.is(j, &["zero", "than", "no", "none"])
                })
        })
    }

    /// Whether the claim over `tokens` lies inside a pair of quotes.
    pub(super) fn in_quotes(&self, tokens: &Range<usize>) -> bool {
        let s = self.s;
        let before = (0..tokens.start).filter(|&k| s.is(k, &["\""])).count();
        let after = (tokens.end..s.len()).any(|k| s.is(k, &["\""]));
        before % 2 == 1 && after
    }

    /// Whether a third party is named in tokens `range`, set against or not.
    pub(super) fn actor_named(&self, range: Range<usize>) -> bool {
        range.clone().any(|k| self.actor_at(k, range.end))
    }

    /// Whether a third party's name starts at token `k` and ends by `end`.
    fn actor_at(&self, k: usize, end: usize) -> bool {
        let s = self.s;
        self.compiled
            .actors
            .starting(s.word(k))
            .any(|seq| k + seq.len() <= end && s.matches_at(k, seq))
    }

    /// Whether the claim over `tokens` lies in quotes that a word before
    /// them presents as wording, not as a statement.
    pub(super) fn quoted_mention(&self, tokens: &Range<usize>) -> bool {
        let s = self.s;
        let Some(open) = (0..tokens.start).rev().find(|&k| s.is(k, &["\""])) else {
            return false;
        };
        let quotes_before = (0..open).filter(|&k| s.is(k, &["\""])).count();
        if quotes_before % 2 == 1 {
            return false;
        }
        let Some(k) = (open.saturating_sub(4)..open).find(|&k| s.has(k, tag::WORDING)) else {
            return false;
        };
        // Wording put forward, not discussed: "Say it plainly — “…”",
        // "let's lead with this line: “…”". Unless the sentence takes it
        // back ("never say", "delete the line").
        let denied = (0..open).any(|j| s.has(j, tag::NEG) && !weak_negation(s, j));
        let imperative = s.is(k, &["say", "write", "tell"])
            && (k == 0
                || !s.tokens[k - 1].word
                || s.is(
                    k - 1,
                    &["just", "simply", "then", "and", "always", "please", "now"],
                ));
        let lead = (0..open)
            .any(|j| s.is(j, &["lead", "open", "start", "close", "go"]) && s.is(j + 1, &["with"]));
        denied || !(imperative || lead)
    }
}
