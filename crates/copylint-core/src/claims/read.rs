//! Reading one sentence for the claims of one rule.

use std::ops::Range;

use super::questions::{requests_answer, retracted};
use super::spec::{ClaimSpec, Compiled};
use super::{Claim, Name, NameKind};
use crate::finding::Severity;
use crate::language::Sentence;
use crate::language::lexicon::tag;

/// What the reader is told of the sentence's place.
#[derive(Clone, Copy, Debug, Default)]
pub struct Scope {
    /// The sentence is a table cell whose headers or own words clear it
    /// (an Azure column, a cell that says "Not offered").
    pub cleared: bool,
    /// The sentence is a short block of fragments, read as one: a model
    /// and a platform in any of them make a claim.
    pub block: bool,
    /// The milder names' safe word is said nearby (in a table cell's row).
    pub safe: bool,
    /// The sentence opens with a table cell's row label and header.
    pub cell: bool,
}

/// A claim found, in the block's normalized offsets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub severity: Severity,
    /// Its object is one of the rule's milder names.
    pub milder: bool,
    pub claim: Claim,
    /// For a pronoun placed by a platform, the bytes of its clause: an
    /// approved phrase there says what the pronoun is ("Say it's enabled
    /// by OpenAI and built on Bedrock").
    pub pronoun_clause: Option<Range<usize>>,
}

/// Most words between a verb and its object ("opens access for every
/// team to …", "lets agents directly and securely talk to …").
pub(super) const MAX_GAP: usize = 6;
/// Most words of a noun phrase around a name ("OpenAI's newest reasoning
/// models").
pub(super) const MAX_NP: usize = 4;

/// Most words between a model's name and a platform that make an
/// availability claim together.
pub(super) const COLOCATION: usize = 16;

/// Negators that do not deny: "no longer need a proxy", "not only".
pub(super) fn weak_negation(s: &Sentence, i: usize) -> bool {
    // An answer's "No, …" or "No —": the interjection, not a negation.
    (s.is(i, &["no"]) && (s.is(i + 1, &[",", "-", "!", "."]) || i + 1 == s.len()))
        || (s.is(i, &["not"]) && s.is(i + 1, &["anymore"]))
        || (s.is(i, &["zero"]) && i > 0 && s.is(i - 1, &["from"]))
        || (s.is(i, &["not"]) && s.is(i + 1, &["any"]) && s.is(i + 2, &["more", "longer"]))
        || (s.is(i, &["no"])
            && s.is(
                i + 1,
                &["longer", "more", "extra", "new", "separate", "need"],
            ))
        || (s.is(i, &["not"]) && s.is(i + 1, &["only", "just"]))
        || (s.is(i, &["without"]))
}

/// An object of a claim: tokens of its noun phrase, and what it names.
#[derive(Clone, Debug)]
pub(super) struct Object {
    /// Tokens of the name (or pronoun).
    pub(super) name: Range<usize>,
    /// The name's own bytes, which a token may run past ("chatgpt.commented"
    /// where markup joined two words); `None` for a pronoun.
    pub(super) bytes: Option<Range<usize>>,
    /// The noun phrase around it, for frames.
    pub(super) phrase: Range<usize>,
    pub(super) kind: NameKind,
    /// A bare owner ("OpenAI", not "OpenAI's models").
    pub(super) bare_owner: bool,
    /// The name a pronoun stands for.
    pub(super) antecedent: Option<String>,
    /// A name for the owner's models in general ("OpenAI models"), not a
    /// model.
    pub(super) generic: bool,
}

/// The claims of one rule in `text[sentence]`. `names` are the rule's
/// names in the block (any order); `previous` is the sentence before, in
/// the same block, whose names pronouns may stand for. `severity` is the
/// rule's. `column_clears` says the sentence is a table cell whose column
/// is a third party's.
// Each argument is one thing the reader is told; bundling them would only
// move the list into a struct built for this one call.
#[allow(clippy::too_many_arguments)]
pub fn read(
    spec: &ClaimSpec,
    severity: Severity,
    text: &str,
    s: &Sentence,
    previous: Option<&Sentence>,
    names: &[Name],
    scope: Scope,
    written: &dyn Fn(Range<usize>) -> String,
) -> Vec<Found> {
    let sentence = s.range.clone();
    if s.is_empty() {
        return Vec::new();
    }
    let safe = spec.milder.as_ref().map_or(&[][..], |m| &m.safe[..]);
    let objects = objects(s, text, &sentence, previous.map(|p| &p.range), names, safe);
    if objects.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<(Range<usize>, &Object, Claim)> = Vec::new();
    let reader = Reader {
        written,
        spec,
        compiled: spec.compiled(),
        s,
        objects: &objects,
        block: scope.block,
        cell: scope.cell,
        safe: scope.safe
            || spec.milder.as_ref().is_some_and(|m| {
                // In the sentence, or in the one before it that a pronoun
                // looks back to.
                [Some(s), previous]
                    .into_iter()
                    .flatten()
                    .any(|x| (0..x.len()).any(|k| m.safe.iter().any(|seq| x.matches_at(k, seq))))
            }),
    };
    for o in &objects {
        reader.verbs(o, &mut found);
        reader.frames(o, &mut found);
        reader.near(o, &mut found);
        if !found.iter().any(|(_, f, _)| std::ptr::eq(*f, o)) {
            reader.colocated(o, &mut found);
        }
    }
    // Taken back by the sentence after it, or, in a short block read as
    // one, by a sentence inside it.
    let taken_back = retracted(text, sentence.end)
        || (scope.block
            && text[sentence.clone()]
                .match_indices(['.', '!'])
                .any(|(k, _)| retracted(text, sentence.start + k + 1)));
    if found.is_empty() || scope.cleared || reader.reported() || taken_back {
        return Vec::new();
    }
    let written = text[sentence.clone()].trim();
    let asked = written
        .trim_end_matches(['"', '\'', '*', '_', ')', ' '])
        .ends_with(['?', '\u{FF1F}'])
        || written.starts_with("q:")
        || written.starts_with("question:");
    // "Q: Can agents call GPT-5? A: Yes." answers with the claim.
    let answered = |from: usize| reader.affirms(text, from);
    // "Has anyone noticed that …?" asserts what follows "that".
    let rhetorical = (0..s.len()).any(|k| {
        s.is(
            k,
            &[
                "noticed", "know", "knew", "heard", "realise", "realize", "seen", "believe",
            ],
        ) && s.is(k + 1, &["that"])
    });
    let question = asked && !answered(sentence.end) && !rhetorical;
    // "Describe how the proposed solution provides access to …": a
    // question put as a request.
    let mut out = Vec::new();
    for (tokens, o, mut claim) in found {
        if reader.cleared(&tokens, o, claim.verb.is_none()) {
            continue;
        }
        // In a block read as one, a claim in a clause that asks.
        let clause = s.clause_of(tokens.start);
        let asks_here = scope.block
            && clause.end > clause.start
            && s.is(clause.end - 1, &["?"])
            && !answered(s.tokens[clause.end - 1].end);
        let question = question || asks_here || requests_answer(s, tokens.start);
        let milder = o.kind == NameKind::Milder;
        let mut sev = match (&spec.milder, milder) {
            (Some(m), true) => m.severity,
            _ => severity,
        };
        if question {
            sev = Severity::Info;
        }
        claim.actor = reader.actor(&tokens);
        let mut bytes = s.bytes(tokens.clone());
        if let Some(name) = &o.bytes {
            // The finding starts or ends with the name itself, not with the
            // whole token around it.
            if tokens.end == o.name.end && name.end > bytes.start && name.end < bytes.end {
                bytes.end = name.end;
            }
            if tokens.start == o.name.start && name.start > bytes.start && name.start < bytes.end {
                bytes.start = name.start;
            }
        }
        let pronoun_clause = (o.antecedent.is_some() && claim.verb.is_none())
            .then(|| s.bytes(s.clause_of(tokens.start)));
        out.push(Found {
            start: bytes.start,
            end: bytes.end,
            severity: sev,
            milder,
            claim,
            pronoun_clause,
        });
    }
    out
}

/// Nouns that make the words before them describe a format, not a
/// service ("OpenAI's API format", "API conventions").
pub(super) const DESCRIBED: &[&str] = &[
    "format",
    "formats",
    "spec",
    "specs",
    "specification",
    "schema",
    "shape",
    "style",
    "standard",
    "conventions",
    "compatibility",
    "syntax",
    "signature",
    "signatures",
];

/// Superlatives that stand for a model after an owner's possessive.
const SUPERLATIVES: &[&str] = &[
    "best",
    "latest",
    "newest",
    "finest",
    "smartest",
    "strongest",
    "flagship",
    "top",
];

/// The objects of a sentence: its names, owners' possessives with a model
/// head, and pronouns that follow a name.
fn objects(
    s: &Sentence,
    text: &str,
    sentence: &Range<usize>,
    previous: Option<&Range<usize>>,
    names: &[Name],
    safe: &[Vec<String>],
) -> Vec<Object> {
    // Overlapping names: the longest wins, and a milder one on a tie.
    let mut inside: Vec<Name> = names
        .iter()
        .filter(|n| n.start >= sentence.start && n.end <= sentence.end)
        .copied()
        .collect();
    inside.sort_by_key(|n| (n.start, std::cmp::Reverse(n.end), std::cmp::Reverse(n.kind)));
    let mut kept: Vec<Name> = Vec::new();
    for n in inside {
        match kept.last_mut() {
            Some(last) if n.start < last.end => {
                if n.end - n.start > last.end - last.start
                    || (n.end - n.start == last.end - last.start && n.kind > last.kind)
                {
                    *last = n;
                }
            }
            _ => kept.push(n),
        }
    }
    let mut objects = Vec::new();
    for n in &kept {
        let first = s.tokens.partition_point(|t| t.end <= n.start);
        let mut last = first;
        while last < s.len() && s.tokens[last].start < n.end {
            last += 1;
        }
        // "open-weight" names the milder models only in an owner's phrase
        // ("OpenAI's open-weight models"), not on its own ("two dozen
        // open-weight models").
        if first >= last
            || (n.kind == NameKind::Milder && safe.iter().any(|q| s.matches_at(first, q)))
        {
            continue;
        }
        // "OpenAI-compatible", "OpenAI-style": the company's name inside
        // an adjective describes something else.
        let rest = &text[n.end..s.tokens[last - 1].end.max(n.end)];
        if n.kind == NameKind::Owner
            && rest.starts_with('-')
            && rest[1..].starts_with(|c: char| c.is_alphabetic())
        {
            continue;
        }
        let mut o = Object {
            name: first..last,
            bytes: Some(n.start..n.end),
            phrase: first..last,
            kind: n.kind,
            bare_owner: false,
            antecedent: None,
            // "OpenAI models", "GPT models": the family, not a model.
            generic: s.has(last - 1, tag::MODEL_HEAD) && !s.is(last - 1, &["gpt"]),
        };
        if n.kind == NameKind::Owner {
            o.generic = true;
            o.bare_owner = true;
            let possessive = s.is(last, &["'s", "'"]);
            let from = if possessive { last + 1 } else { last };
            let mut end = from;
            let mut head = None;
            while end < s.len() && end < from + MAX_NP && s.tokens[end].word && !stop(s, end) {
                if s.has(end, tag::MODEL_HEAD) {
                    head = Some(end);
                }
                end += 1;
            }
            // "OpenAI's best.", "OpenAI's latest, on Bedrock": a superlative
            // alone after the possessive stands for a model.
            if possessive && head.is_none() && end == from + 1 && s.is(from, SUPERLATIVES) {
                head = Some(from);
            }
            let milder_inside = kept.iter().any(|m| {
                m.kind == NameKind::Milder
                    && s.tokens.get(from).is_some_and(|t| m.start >= t.start)
                    && s.tokens
                        .get(end.saturating_sub(1))
                        .is_some_and(|t| m.start < t.end)
            });
            if milder_inside && (possessive || head.is_some()) {
                // "OpenAI's open-weight gpt-oss models": the milder name
                // says which models.
                o.kind = NameKind::Milder;
                o.bare_owner = false;
                o.phrase = first..end;
            } else if let Some(h) = head {
                o.kind = NameKind::Object;
                o.bare_owner = false;
                o.phrase = first..h + 1;
            } else if possessive {
                o.bare_owner = false;
                o.phrase = first..end;
            }
        }
        extend_phrase(s, &mut o);
        // "compatible with OpenAI's API format": a format, not the models.
        let end = o.name.end.max(o.phrase.end);
        let compatible = o.phrase.start >= 2
            && s.is(o.phrase.start - 1, &["with"])
            && s.is(
                o.phrase.start - 2,
                &["compatible", "compatibility", "interoperable"],
            );
        if s.is(end, DESCRIBED) || compatible {
            continue;
        }
        objects.push(o);
    }
    // "OpenAI GPT-5": the owner before a model's name is part of it.
    let starts: Vec<usize> = objects.iter().map(|o| o.name.start).collect();
    for o in &mut objects {
        if o.bare_owner && starts.contains(&o.name.end) {
            o.bare_owner = false;
        }
    }
    // Pronouns: after a name in this sentence, or anywhere when the
    // previous sentence of the block names one.
    let before: Option<(NameKind, bool, String)> = previous.and_then(|p| {
        names
            .iter()
            .filter(|n| n.start >= p.start && n.end <= p.end)
            .max_by_key(|n| n.start)
            .map(|n| {
                (
                    n.kind,
                    n.kind == NameKind::Owner,
                    text[n.start..n.end].to_string(),
                )
            })
    });
    for i in 0..s.len() {
        // "the same model" after a name stands for it ("Same model, same
        // weights — just delivered through …").
        // Not a compound: "the model catalogue", "the model ID".
        let definite = s.is(i, &["same"])
            && s.is(i + 1, &["model", "models"])
            && !s.has(i + 2, tag::MODEL_HEAD)
            && !s.is(i + 2, COMPOUND_TAILS);
        if !(s.has(i, tag::PRONOUN) || definite) || objects.iter().any(|o| o.name.contains(&i)) {
            continue;
        }
        // "these models", "those models": the demonstrative and its noun.
        let demonstrative = definite || s.is(i, &["these", "those", "both"]);
        if demonstrative && !s.has(i + 1, tag::MODEL_HEAD) {
            continue;
        }
        let here = objects
            .iter()
            .filter(|o| o.antecedent.is_none() && o.name.end <= i)
            .max_by_key(|o| o.name.start)
            .map(|o| (o.kind, o.bare_owner, s.text_of(o.name.clone()).to_string()));
        let Some((kind, bare_owner, antecedent)) = here.or_else(|| before.clone()) else {
            continue;
        };
        let end = if demonstrative { i + 2 } else { i + 1 };
        objects.push(Object {
            name: i..end,
            bytes: None,
            phrase: i..end,
            kind,
            bare_owner,
            antecedent: Some(antecedent),
            generic: false,
        });
    }
    objects
}

/// Nouns that make "model" a modifier: "the model catalogue".
const COMPOUND_TAILS: &[&str] = &[
    "card",
    "cards",
    "list",
    "id",
    "ids",
    "name",
    "names",
    "provider",
    "providers",
    "menu",
    "picker",
    "selection",
    "selector",
    "garden",
    "hub",
    "registry",
    "library",
    "string",
    "parameter",
    "weights",
    "version",
    "versions",
    "lifecycle",
    "choice",
    "choices",
    "access",
    "layer",
    "side",
    "level",
    "vendor",
    "vendors",
    "builders",
    "training",
    "quality",
];

/// Widens an object's phrase over the modifiers before it ("the newest")
/// and a list it stands in ("GPT-5, o3 and GPT-4o").
fn extend_phrase(s: &Sentence, o: &mut Object) {
    let mut a = o.phrase.start;
    while a > 0 && o.phrase.start - a < MAX_NP && modifier(s, a - 1) {
        a -= 1;
    }
    o.phrase.start = a;
}

/// A word that may stand before a name in its noun phrase.
fn modifier(s: &Sentence, i: usize) -> bool {
    s.tokens[i].word && !stop(s, i) || s.is(i, &["'s", "-"])
}

/// Words a phrase or a gap never runs through.
pub(super) fn stop(s: &Sentence, i: usize) -> bool {
    let w = s.word(i);
    if !s.tokens[i].word {
        return !matches!(w, "\"" | "'" | "*" | "_" | "-" | "`");
    }
    (s.has(i, tag::PREP) && !matches!(w, "of" | "for"))
        || s.has(i, tag::NEG | tag::OPENER | tag::REPORT)
        || matches!(
            w,
            "and" | "or" | "that" | "which" | "who" | "if" | "when" | "where" | "so" | "as"
        )
        || (s.has(i, tag::AUX) && !matches!(w, "now" | "also" | "just" | "still" | "to"))
}

pub(super) struct Reader<'a, 's> {
    /// The source text of a normalized byte range, as written.
    pub(super) written: &'a dyn Fn(Range<usize>) -> String,
    pub(super) spec: &'a ClaimSpec,
    /// `spec`'s verbs, frames and sets.
    pub(super) compiled: &'a Compiled,
    pub(super) s: &'a Sentence<'s>,
    pub(super) objects: &'a [Object],
    /// Read a short block as one: co-location spans its fragments.
    pub(super) block: bool,
    /// The sentence opens with a table cell's row label and header.
    pub(super) cell: bool,
    /// The sentence says the milder names' safe word ("open-weight"):
    /// availability is safe to say of them.
    pub(super) safe: bool,
}

impl Reader<'_, '_> {
    pub(super) fn object_text(&self, o: &Object) -> String {
        let end = o.name.end.max(o.phrase.end);
        let written = (self.written)(self.s.bytes(o.name.start..end));
        match &o.antecedent {
            Some(a) => format!("{written} ({a})"),
            None => written,
        }
    }

    /// Who acts: the words before the claim in its clause, without
    /// auxiliaries, when they name someone.
    pub(super) fn actor(&self, tokens: &Range<usize>) -> Option<String> {
        let s = self.s;
        let clause = s.clause_of(tokens.start);
        let mut end = tokens.start;
        while end > clause.start
            && (s.has(end - 1, tag::AUX)
                || s.has(end - 1, tag::ADVERB)
                || s.word(end - 1).ends_with("ly")
                || !s.tokens[end - 1].word)
        {
            end -= 1;
        }
        let mut start = end;
        while start > clause.start && end - start < 5 && !stop(s, start - 1) {
            start -= 1;
        }
        while start < end && (s.is(start, &["and", "but", "so"]) || !s.tokens[start].word) {
            start += 1;
        }
        (start < end).then(|| (self.written)(s.bytes(start..end)))
    }
}
