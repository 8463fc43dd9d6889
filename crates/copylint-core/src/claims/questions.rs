//! Questions and what answers them: a reply that affirms a claim asked
//! about, a question put as a request, and a sentence taken back by the
//! one after it.

use super::read::{Reader, weak_negation};
use crate::language::Sentence;
use crate::language::lexicon::tag;

/// Most words of a reply that names a platform as the answer to a
/// question ("In Amazon Bedrock, via the SRE.").
const AFFIRMING_REPLY: usize = 6;

/// Nouns for people after a platform's name ("your AWS account team").
const PEOPLE: &[&str] = &[
    "team",
    "teams",
    "rep",
    "reps",
    "manager",
    "managers",
    "representative",
    "contact",
    "contacts",
    "specialist",
    "specialists",
    "architect",
    "architects",
    "sales",
];

/// Verbs that put a question as a request ("describe how …").
const ASKING: &[&str] = &[
    "describe", "explain", "outline", "detail", "confirm", "clarify", "specify", "state",
    "indicate", "tell",
];

/// Words that open an embedded question.
const QUESTION_WORDS: &[&str] = &["how", "whether", "if", "what", "which", "where", "why"];

/// Whether a request before token `at` puts the sentence as a question:
/// "Describe how …", "Please confirm whether …", not "We show how …".
pub(super) fn requests_answer(s: &Sentence, at: usize) -> bool {
    (0..at).any(|k| {
        let imperative = k == 0 || !s.tokens[k - 1].word || s.is(k - 1, &["please"]);
        imperative
            && s.is(k, ASKING)
            && (s.is(k + 1, QUESTION_WORDS)
                || (s.is(k + 1, &["us", "me"]) && s.is(k + 2, QUESTION_WORDS)))
    })
}

/// Whether the sentence after `text[..end]` takes the one before it back:
/// "I wrote that the deal “brings ChatGPT's models to Bedrock.” It
/// doesn't.", "I said GPT-5 runs in Bedrock. That was wrong."
pub(super) fn retracted(text: &str, end: usize) -> bool {
    let next = text[end..].trim_start();
    let next = &next[..next
        .find(['.', '!', '?', ';', '\u{3002}', '\u{FF1F}', '\u{FF01}'])
        .unwrap_or(next.len())];
    let words: Vec<&str> = next
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .collect();
    let back = |w: &str| matches!(w, "it" | "that" | "this" | "they" | "which");
    let wrong = |w: &str| matches!(w, "wrong" | "incorrect" | "false" | "untrue" | "inaccurate");
    match words.as_slice() {
        // "It doesn't.", "That isn't so.", "It does not."
        [first, rest @ ..] if back(first) && rest.len() <= 3 => {
            rest.iter().any(|w| w.ends_with("n't") || *w == "not") || rest.iter().any(|w| wrong(w))
        }
        ["not", "true" | "so" | "quite"] | ["wrong"] | ["false"] => true,
        _ => false,
    }
}

impl Reader<'_, '_> {
    /// Whether the words from `text[from..]`, after a question, answer it
    /// with the claim: a "yes", or a reply that names a platform of ours
    /// as where the asked-for thing is, in a few words ("Just AWS.", "The
    /// Stateful Runtime Environment.") or of a pronoun for it ("You'll
    /// find it on AWS."), and denies nothing, names no third party and
    /// says no safe word. A reply that sends the asker elsewhere ("Send the
    /// request to your AWS account team") is no answer.
    pub(super) fn affirms(&self, text: &str, from: usize) -> bool {
        let after = text[from..].trim_start();
        let head: String = after.chars().take(24).collect();
        if ["a: yes", "yes", "answer: yes"]
            .iter()
            .any(|y| after.starts_with(y))
            || head.split([' ', ',', '-', ':']).take(4).any(|w| w == "yes")
        {
            return true;
        }
        let start = text.len() - after.len();
        let end = after
            .find(['.', '!', '?', '\u{3002}', '\u{FF1F}', '\u{FF01}'])
            .map_or(text.len(), |k| start + k + 1);
        let reply = Sentence::new(text, start..end);
        let said = |seqs: &super::spec::Seqs, k: usize| {
            seqs.starting(reply.word(k))
                .any(|seq| reply.matches_at(k, seq))
        };
        let (mut platform, mut pronoun, mut words) = (false, false, 0);
        for k in 0..reply.len() {
            if (reply.has(k, tag::NEG) && !weak_negation(&reply, k))
                || reply.has(k, tag::NEG_SIGN)
                || said(&self.compiled.actors, k)
                || self
                    .spec
                    .milder
                    .as_ref()
                    .is_some_and(|m| m.safe.iter().any(|seq| reply.matches_at(k, seq)))
            {
                return false;
            }
            // "your AWS account team" is people, not a platform.
            platform |= said(&self.compiled.platforms, k)
                && !(k + 1..(k + 4).min(reply.len())).any(|j| reply.is(j, PEOPLE));
            pronoun |= reply.is(k, &["it", "them", "they"]);
            words += usize::from(reply.tokens[k].word);
        }
        platform && (words <= AFFIRMING_REPLY || pronoun)
    }
}
