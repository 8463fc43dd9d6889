//! Reading one sentence for the claims of one rule.

use std::ops::Range;

use super::spec::ClaimSpec;
use super::{Claim, Name, NameKind};
use crate::finding::Severity;
use crate::language::Sentence;
use crate::language::lexicon::{Inflection, PREPOSITIONS, tag};

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
}

/// Most words between a verb and its object ("opens access for every
/// team to …", "lets agents directly and securely talk to …").
const MAX_GAP: usize = 6;
/// Most words of a noun phrase around a name ("OpenAI's newest reasoning
/// models").
const MAX_NP: usize = 4;

/// Most words between a model's name and a platform that make an
/// availability claim together.
const COLOCATION: usize = 16;

/// Negators that do not deny: "no longer need a proxy", "not only".
fn weak_negation(s: &Sentence, i: usize) -> bool {
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
struct Object {
    /// Tokens of the name (or pronoun).
    name: Range<usize>,
    /// The name's own bytes, which a token may run past ("chatgpt.commented"
    /// where markup joined two words); `None` for a pronoun.
    bytes: Option<Range<usize>>,
    /// The noun phrase around it, for frames.
    phrase: Range<usize>,
    kind: NameKind,
    /// A bare owner ("OpenAI", not "OpenAI's models").
    bare_owner: bool,
    /// The name a pronoun stands for.
    antecedent: Option<String>,
    /// A name for the owner's models in general ("OpenAI models"), not a
    /// model.
    generic: bool,
}

/// The claims of one rule in `text[sentence]`. `names` are the rule's
/// names in the block (any order); `previous` is the sentence before, in
/// the same block, whose names pronouns may stand for. `severity` is the
/// rule's. `column_clears` says the sentence is a table cell whose column
/// is a third party's.
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
    let objects = objects(s, text, &sentence, previous.map(|p| &p.range), names);
    if objects.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<(Range<usize>, &Object, Claim)> = Vec::new();
    let reader = Reader {
        written,
        spec,
        s: &s,
        objects: &objects,
        block: scope.block,
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
    if found.is_empty() || scope.cleared || reader.reported() {
        return Vec::new();
    }
    let written = text[sentence.clone()].trim();
    let asked = written
        .trim_end_matches(['"', '\'', '*', '_', ')', ' '])
        .ends_with('?')
        || written.starts_with("q:")
        || written.starts_with("question:");
    // "Q: Can agents call GPT-5? A: Yes." answers with the claim.
    let after = text[sentence.end..].trim_start();
    let answered = |after: &str| {
        let head: String = after.chars().take(24).collect();
        ["a: yes", "yes", "answer: yes"]
            .iter()
            .any(|y| after.starts_with(y))
            || head.split([' ', ',', '-', ':']).take(4).any(|w| w == "yes")
    };
    // "Has anyone noticed that …?" asserts what follows "that".
    let rhetorical = (0..s.len()).any(|k| {
        s.is(
            k,
            &[
                "noticed", "know", "knew", "heard", "realise", "realize", "seen", "believe",
            ],
        ) && s.is(k + 1, &["that"])
    });
    let question = asked && !answered(after) && !rhetorical;
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
            && !answered(&text[s.tokens[clause.end - 1].end..]);
        let question = question || asks_here;
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
        out.push(Found {
            start: bytes.start,
            end: bytes.end,
            severity: sev,
            milder,
            claim,
        });
    }
    out
}

/// The objects of a sentence: its names, owners' possessives with a model
/// head, and pronouns that follow a name.
fn objects(
    s: &Sentence,
    text: &str,
    sentence: &Range<usize>,
    previous: Option<&Range<usize>>,
    names: &[Name],
) -> Vec<Object> {
    // Overlapping names: the longest wins, and a milder one on a tie.
    let mut inside: Vec<Name> = names
        .iter()
        .filter(|n| n.start >= sentence.start && n.end <= sentence.end)
        .copied()
        .collect();
    inside.sort_by_key(|n| (n.start, std::cmp::Reverse(n.end), std::cmp::Reverse(n.kind)));
    let owners: Vec<usize> = inside
        .iter()
        .filter(|n| n.kind == NameKind::Owner)
        .map(|n| n.start)
        .collect();
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
        if first >= last {
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
            generic: owners.contains(&n.start)
                || s.has(last - 1, tag::MODEL_HEAD) && !s.is(last - 1, &["gpt"]),
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
        if !s.has(i, tag::PRONOUN) || objects.iter().any(|o| o.name.contains(&i)) {
            continue;
        }
        // "these models", "those models": the demonstrative and its noun.
        let demonstrative = s.is(i, &["these", "those", "both"]);
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
fn stop(s: &Sentence, i: usize) -> bool {
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

struct Reader<'a, 's> {
    /// The source text of a normalized byte range, as written.
    written: &'a dyn Fn(Range<usize>) -> String,
    spec: &'a ClaimSpec,
    s: &'a Sentence<'s>,
    objects: &'a [Object],
    /// Read a short block as one: co-location spans its fragments.
    block: bool,
    /// The sentence says the milder names' safe word ("open-weight"):
    /// availability is safe to say of them.
    safe: bool,
}

impl Reader<'_, '_> {
    /// The object whose name starts at token `j`, if any.
    fn object_at<'o>(&self, objects: &'o Object, j: usize) -> Option<&'o Object> {
        (objects.name.start == j || objects.phrase.start == j).then_some(objects)
    }

    /// Verbs before the object (active) or after it (passive).
    fn verbs<'o>(&self, o: &'o Object, found: &mut Vec<(Range<usize>, &'o Object, Claim)>) {
        let s = self.s;
        let clause = s.clause_of(o.name.start);
        for i in clause.clone() {
            let Some(uses) = self.spec.forms.get(s.word(i)) else {
                continue;
            };
            for &(v, inflection) in uses {
                let verb = &self.spec.verbs[v];
                // Availability verbs ("host", "serve") claim only of the
                // main names: open-weight models are hosted, and a company
                // is not.
                let company = o.kind == NameKind::Owner || o.bare_owner;
                if ((o.kind == NameKind::Milder && self.safe) || company) && !verb.milder {
                    continue;
                }
                if i < o.name.start {
                    if let Some(particle) = self.reaches(i, v, o, clause.end) {
                        let written = match &particle {
                            Some(p) => format!("{} {}", verb.lemma, p),
                            None => verb.lemma.clone(),
                        };
                        found.push((
                            i..o.phrase.end.max(o.name.end),
                            o,
                            Claim {
                                verb: Some(written),
                                object: self.object_text(o),
                                ..Claim::default()
                            },
                        ));
                        return;
                    }
                } else if i >= o.name.end
                    && matches!(inflection, Inflection::Participle)
                    && self.passive(o, i)
                {
                    let particle = verb
                        .particles
                        .iter()
                        .find(|p| s.matches_at(i + 1, p))
                        .map(|p| p.len());
                    if particle.is_none() && !verb.bare {
                        continue;
                    }
                    let end = i + 1 + particle.unwrap_or(0);
                    found.push((
                        o.name.start..end,
                        o,
                        Claim {
                            verb: Some(format!("{} (passive)", s.text_of(i..end))),
                            object: self.object_text(o),
                            ..Claim::default()
                        },
                    ));
                    return;
                } else if i >= o.phrase.end
                    && matches!(inflection, Inflection::Base)
                    && self.relative(o, i)
                {
                    found.push((
                        o.name.start..i + 1,
                        o,
                        Claim {
                            verb: Some(verb.lemma.clone()),
                            object: self.object_text(o),
                            ..Claim::default()
                        },
                    ));
                    return;
                }
            }
        }
    }

    /// Whether the verb at `i` takes `o` as its object in a relative clause
    /// after it: "the cheapest OpenAI model you can invoke", "models that
    /// your agents can call".
    fn relative(&self, o: &Object, i: usize) -> bool {
        let s = self.s;
        let gap = o.phrase.end..i;
        if gap.is_empty() || gap.len() > 5 {
            return false;
        }
        let subject = gap.clone().any(|k| {
            s.is(
                k,
                &[
                    "you",
                    "we",
                    "they",
                    "customers",
                    "developers",
                    "agents",
                    "teams",
                    "users",
                    "builders",
                ],
            )
        });
        let modal = gap
            .clone()
            .any(|k| s.is(k, &["can", "could", "will", "may", "get"]));
        subject
            && modal
            && gap.clone().all(|k| {
                s.tokens[k].word
                    && (!stop(s, k) || s.has(k, tag::AUX) || s.is(k, &["that", "which"]))
            })
    }

    /// Whether verb `v` at token `i` reaches object `o` through at most
    /// [`MAX_GAP`] words, with a particle where the verb needs one; the
    /// particle, if any.
    fn reaches(&self, i: usize, v: usize, o: &Object, end: usize) -> Option<Option<String>> {
        let s = self.s;
        let verb = &self.spec.verbs[v];
        let mut j = i + 1;
        let mut gap = 0;
        let mut particle: Option<String> = None;
        while j < end && gap <= MAX_GAP {
            if self.object_at(o, j).is_some() || j == o.name.start {
                let after = verb
                    .particles
                    .iter()
                    .find(|p| s.matches_at(o.phrase.end, p) || s.matches_at(o.name.end, p));
                if verb.bare || particle.is_some() {
                    return Some(particle);
                }
                if verb.object_last {
                    return None;
                }
                return after.map(|p| Some(p.join(" ")));
            }
            if let Some(p) = verb.particles.iter().find(|p| s.matches_at(j, p)) {
                particle = Some(p.join(" "));
                j += p.len();
                continue;
            }
            // "swap the model ID from Mistral Large to GPT-4o".
            let from_to = s.is(j, &["from"])
                && particle.is_none()
                && verb
                    .particles
                    .iter()
                    .any(|p| p.first().is_some_and(|w| w == "to"));
            if (stop(s, j) && !from_to) || self.spec.forms.contains_key(s.word(j)) {
                return None;
            }
            gap += usize::from(s.tokens[j].word);
            j += 1;
        }
        None
    }

    /// Whether the participle at `i` is passive with `o` as its subject:
    /// "ChatGPT can be reached", "GPT-5 requests are served".
    fn passive(&self, o: &Object, i: usize) -> bool {
        let s = self.s;
        // "models from OpenAI are hosted": the name is not the subject.
        if o.phrase.start > 0 && s.has(o.phrase.start - 1, tag::PREP) {
            return false;
        }
        let mut k = i;
        let mut aux = false;
        while k > o.name.end {
            k -= 1;
            let w = s.word(k);
            if s.has(k, tag::PASSIVE) {
                aux = true;
                continue;
            }
            if s.has(k, tag::AUX | tag::ADVERB) || w.ends_with("ly") {
                continue;
            }
            if !aux && k >= o.phrase.end && i - k <= MAX_NP && s.tokens[k].word && !stop(s, k) {
                // A noun after the name: "GPT-5 requests are served".
                continue;
            }
            return false;
        }
        // "GPT-4o hosted behind Bedrock": a participle right after the
        // name, then a preposition.
        let reduced = i == o.phrase.end.max(o.name.end) && s.has(i + 1, tag::PREP);
        aux || reduced || i == o.name.end + 1 && s.is(o.name.end, &[","])
    }

    /// Frames around the object.
    fn frames<'o>(&self, o: &'o Object, found: &mut Vec<(Range<usize>, &'o Object, Claim)>) {
        for frame in &self.spec.frames {
            let before = if frame.before.is_empty() {
                Some((o.phrase.start, None))
            } else {
                // Only the sequences whose last word stands before the name.
                (o.phrase.start.max(1)..=o.name.start)
                    .flat_map(|p| frame.before.ending(self.s.word(p - 1)))
                    .filter_map(|seq| Some((self.ends_before(seq, o)?, Some(seq))))
                    .min_by_key(|(at, _)| *at)
            };
            let Some((from, said_before)) = before else {
                continue;
            };
            let after = if frame.after.is_empty() {
                Some((o.name.end, None))
            } else {
                // Only the sequences whose first word stands after it.
                (o.name.end..(o.name.end + 2 * MAX_NP).min(self.s.len()))
                    .flat_map(|q| frame.after.starting(self.s.word(q)))
                    .filter_map(|seq| Some((self.starts_after(seq, o)?, Some(seq))))
                    .max_by_key(|(at, _)| *at)
            };
            let Some((to, said_after)) = after else {
                continue;
            };
            // The frame as the sentence says it: "access to _".
            let said = [
                said_before.map(|w| w.join(" ")),
                Some("_".to_string()),
                said_after.map(|w| w.join(" ")),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
            // "OpenAI runs on AWS", "OpenAI gets access to GPUs": the
            // company itself, not its models.
            let placed = frame.after.iter().all(|seq| {
                seq.first().is_some_and(|w| {
                    PREPOSITIONS.contains(&w.as_str())
                        || matches!(w.as_str(), "now" | "," | "one" | "a" | "two" | "within")
                })
            });
            if o.bare_owner && !frame.after.is_empty() && !placed {
                continue;
            }
            found.push((
                from..to.max(o.name.end).max(o.phrase.end),
                o,
                Claim {
                    object: self.object_text(o),
                    frame: Some(said),
                    ..Claim::default()
                },
            ));
            return;
        }
    }

    /// Where `seq` starts, when it ends just before the object's phrase
    /// (a few words may stand before its last word: "access for every team
    /// to").
    fn ends_before(&self, seq: &[String], o: &Object) -> Option<usize> {
        let s = self.s;
        let n = seq.len();
        for p in (o.phrase.start..=o.name.start).rev() {
            if p >= n && s.matches_at(p - n, seq) {
                return Some(p - n);
            }
            if n >= 2 && p >= 1 && s.word(p - 1) == seq[n - 1] {
                // The last word, then search back for the rest over an
                // insertion of a few words.
                let head = &seq[..n - 1];
                let mut q = p - 1;
                let mut gap = 0;
                while q > 0 && gap <= 4 {
                    q -= 1;
                    if q + 1 >= head.len() && s.matches_at(q + 1 - head.len(), head) {
                        return Some(q + 1 - head.len());
                    }
                    if !s.tokens[q].word || (stop(s, q) && !s.is(q, &["for", "to", "from"])) {
                        break;
                    }
                    gap += 1;
                }
            }
        }
        None
    }

    /// Where `seq` ends, when it starts just after the object's phrase,
    /// over a few words of it ("GPT-5 requests are", "models, now on").
    fn starts_after(&self, seq: &[String], o: &Object) -> Option<usize> {
        let s = self.s;
        let mut q = o.name.end;
        let mut gap = 0;
        while q <= s.len() && gap <= MAX_NP {
            if s.matches_at(q, seq) {
                return Some(q + seq.len());
            }
            if q == s.len() {
                break;
            }
            let w = s.word(q);
            let skippable = matches!(w, "is" | "are" | "'s" | "'re" | "now" | "also" | "," | "-")
                || s.has(q, tag::ADVERB)
                || (s.tokens[q].word && !stop(s, q));
            if !skippable {
                break;
            }
            gap += usize::from(s.tokens[q].word);
            q += 1;
        }
        None
    }

    /// Terms that claim with a name in their clause ("most capable").
    fn near<'o>(&self, o: &'o Object, found: &mut Vec<(Range<usize>, &'o Object, Claim)>) {
        let s = self.s;
        let clause = s.clause_of(o.name.start);
        for k in clause.clone() {
            for seq in self.spec.near.starting(s.word(k)) {
                if let Some(end) = self.near_at(k, seq, clause.end) {
                    let from = k.min(o.name.start);
                    let to = end.max(o.name.end);
                    found.push((
                        from..to,
                        o,
                        Claim {
                            object: self.object_text(o),
                            frame: Some(seq.join(" ")),
                            ..Claim::default()
                        },
                    ));
                    return;
                }
            }
        }
    }

    /// A model named in one clause with a platform: "GPT-5 on Bedrock".
    fn colocated<'o>(&self, o: &'o Object, found: &mut Vec<(Range<usize>, &'o Object, Claim)>) {
        let milder = o.kind == NameKind::Milder && !self.safe;
        if !(o.kind == NameKind::Object || milder) || o.antecedent.is_some() {
            return;
        }
        let s = self.s;
        let own = s.clause_of(o.name.start);
        if o.generic
            && self
                .objects
                .iter()
                .any(|x| x.kind == NameKind::Milder && own.contains(&x.name.start))
        {
            // A clause about open-weight models: "gpt-oss is the only
            // OpenAI model family hosted in Bedrock".
            return;
        }
        if self.actor_named(own.clone()) {
            // "Azure serves GPT-5 by API": the model is someone else's there.
            return;
        }
        // A platform near the name, in any clause of the sentence ("GPT-5
        // and o3, which run right alongside your agents in Bedrock"), or
        // anywhere in a short block of fragments.
        let window = if self.block {
            0..s.len()
        } else {
            o.name.start.saturating_sub(COLOCATION)..(o.name.end + COLOCATION).min(s.len())
        };
        // The nearest platform, one in the name's own clause first.
        let mut places: Vec<(usize, &Vec<String>)> = window
            .clone()
            .filter(|k| !o.name.contains(k))
            .filter_map(|k| {
                // A one-word platform also counts inside a hyphenated
                // compound: "the AWS–OpenAI runtime".
                let word = s.word(k);
                let seq = self
                    .spec
                    .platforms
                    .starting(word)
                    .find(|seq| k + seq.len() <= window.end && s.matches_at(k, seq))
                    .or_else(|| {
                        word.contains('-')
                            .then(|| {
                                word.split('-').find_map(|part| {
                                    self.spec
                                        .platforms
                                        .starting(part)
                                        .find(|seq| seq.len() == 1)
                                })
                            })
                            .flatten()
                    })?;
                Some((k, seq))
            })
            .collect();
        places.sort_by_key(|&(k, _)| (!own.contains(&k), k.abs_diff(o.name.start)));
        if let Some(&(k, seq)) = places.first() {
            // The weakest reading: the finding is the name alone, so a
            // verb or frame over the same words is reported instead.
            let _ = k;
            found.push((
                o.name.clone(),
                o,
                Claim {
                    object: self.object_text(o),
                    frame: Some(format!("with {}", seq.join(" "))),
                    ..Claim::default()
                },
            ));
            return;
        }
    }

    fn object_text(&self, o: &Object) -> String {
        let end = o.name.end.max(o.phrase.end);
        let written = (self.written)(self.s.bytes(o.name.start..end));
        match &o.antecedent {
            Some(a) => format!("{written} ({a})"),
            None => written,
        }
    }

    /// Whether the sentence reports someone else's words.
    fn reported(&self) -> bool {
        let s = self.s;
        (0..s.len()).any(|i| {
            // "One analyst put it", not "your analysts".
            let ours = i > 0 && s.is(i - 1, &["your", "our", "my", "their", "its"]);
            if (s.has(i, tag::ATTRIBUTION) && !ours)
                || (i > 0 && s.is(i, &["put"]) && s.is(i + 1, &["it"]))
            {
                return true;
            }
            if s.is(i, &["according"]) {
                return s.is(i + 1, &["to"]);
            }
            // A reporting verb after its subject: not the imperative "Say
            // it plainly", nor a noun ("our claims agents").
            s.has(i, tag::REPORT)
                && i > 0
                && s.tokens[i - 1].word
                && !s.is(i - 1, &["we", "i", "you", "'s"])
                && !s.has(i - 1, tag::DET)
                && !s.has(i - 1, tag::PREP)
                && !s.has(i - 1, tag::AUX)
        })
    }

    /// Whether the claim over `tokens` about `o` is cleared by its scope.
    fn cleared(&self, tokens: &Range<usize>, o: &Object, verbless: bool) -> bool {
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
        // A third party elsewhere in the sentence, when the claim's clause
        // names no platform of ours: "any stateless call to an OpenAI
        // model … — Amazon included — is hosted on Azure".
        let ours = clause.clone().any(|k| {
            self.spec
                .platforms
                .starting(s.word(k))
                .any(|seq| s.matches_at(k, seq))
        });
        if !ours {
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
            && self
                .objects
                .iter()
                .any(|x| x.bare_owner && x.name.start == k && !std::ptr::eq(x, o))
    }

    /// Whether a third party acts in tokens `range`: named there, and not
    /// set against ("unlike Azure", "zero Azure", "without Azure").
    fn actor_in(&self, range: Range<usize>) -> bool {
        let s = self.s;
        range.clone().any(|k| {
            self.spec
                .actors
                .starting(s.word(k))
                .any(|seq| k + seq.len() <= range.end && s.matches_at(k, seq))
                && !(k.saturating_sub(3).max(range.start)..k).any(|j| {
                    s.has(j, tag::CONTRAST)
                        || s.has(j, tag::NEG)
                        || s.is(j, &["zero", "than", "no", "none"])
                })
        })
    }

    /// Whether the claim over `tokens` lies inside a pair of quotes.
    fn in_quotes(&self, tokens: &Range<usize>) -> bool {
        let s = self.s;
        let before = (0..tokens.start).filter(|&k| s.is(k, &["\""])).count();
        let after = (tokens.end..s.len()).any(|k| s.is(k, &["\""]));
        before % 2 == 1 && after
    }

    /// Whether a third party is named in tokens `range`, set against or not.
    fn actor_named(&self, range: Range<usize>) -> bool {
        let s = self.s;
        range.clone().any(|k| {
            self.spec
                .actors
                .starting(s.word(k))
                .any(|seq| k + seq.len() <= range.end && s.matches_at(k, seq))
        })
    }

    /// Whether the claim over `tokens` lies in quotes that a word before
    /// them presents as wording, not as a statement.
    fn quoted_mention(&self, tokens: &Range<usize>) -> bool {
        let s = self.s;
        let Some(open) = (0..tokens.start).rev().find(|&k| s.is(k, &["\""])) else {
            return false;
        };
        let quotes_before = (0..open).filter(|&k| s.is(k, &["\""])).count();
        if quotes_before % 2 == 1 {
            return false;
        }
        (open.saturating_sub(4)..open).any(|k| s.has(k, tag::WORDING))
    }

    /// Where `seq` ends when it starts at token `k`, its last word after at
    /// most two inserted words ("most powerful OpenAI model").
    fn near_at(&self, k: usize, seq: &[String], end: usize) -> Option<usize> {
        let s = self.s;
        if k + seq.len() <= end && s.matches_at(k, seq) {
            return Some(k + seq.len());
        }
        let n = seq.len();
        if n < 2 || k + n > end || !s.matches_at(k, &seq[..n - 1]) {
            return None;
        }
        let last = &seq[n - 1];
        (k + n - 1..(k + n + 1).min(end))
            .take_while(|&j| s.tokens[j].word && !stop(s, j))
            .find(|&j| s.word(j) == last)
            .map(|j| j + 1)
    }

    /// Who acts: the words before the claim in its clause, without
    /// auxiliaries, when they name someone.
    fn actor(&self, tokens: &Range<usize>) -> Option<String> {
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
