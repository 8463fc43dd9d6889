//! The words that make a claim of an object: verbs before it or after it
//! (passive, relative clause), frames around it, terms near it, and a
//! platform beside a model.

use std::ops::Range;

use super::read::{COLOCATION, DESCRIBED, MAX_GAP, MAX_NP, Object, Reader, stop};
use super::{Claim, NameKind};
use crate::language::lexicon::{Inflection, PREPOSITIONS, tag};

impl Reader<'_, '_> {
    /// The object whose name starts at token `j`, if any.
    pub(super) fn object_at<'o>(&self, objects: &'o Object, j: usize) -> Option<&'o Object> {
        (objects.name.start == j || objects.phrase.start == j).then_some(objects)
    }

    /// Verbs before the object (active) or after it (passive).
    pub(super) fn verbs<'o>(
        &self,
        o: &'o Object,
        found: &mut Vec<(Range<usize>, &'o Object, Claim)>,
    ) {
        let s = self.s;
        let clause = s.clause_of(o.name.start);
        for i in clause.clone() {
            let Some(uses) = self.compiled.forms.get(s.word(i)) else {
                continue;
            };
            for &(v, inflection) in uses {
                let verb = &self.compiled.verbs[v];
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
    pub(super) fn relative(&self, o: &Object, i: usize) -> bool {
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
    pub(super) fn reaches(
        &self,
        i: usize,
        v: usize,
        o: &Object,
        end: usize,
    ) -> Option<Option<String>> {
        let s = self.s;
        let verb = &self.compiled.verbs[v];
        let mut j = i + 1;
        let mut gap = 0;
        let mut particle: Option<String> = None;
        while j < end && gap <= MAX_GAP {
            if self.object_at(o, j).is_some() || j == o.name.start {
                if naming(s, &verb.lemma, i, j, o) && particle.is_none() {
                    return None;
                }
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
            if (stop(s, j) && !from_to) || self.compiled.forms.contains_key(s.word(j)) {
                return None;
            }
            gap += usize::from(s.tokens[j].word);
            j += 1;
        }
        None
    }

    /// Whether the participle at `i` is passive with `o` as its subject:
    /// "ChatGPT can be reached", "GPT-5 requests are served".
    pub(super) fn passive(&self, o: &Object, i: usize) -> bool {
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
    pub(super) fn frames<'o>(
        &self,
        o: &'o Object,
        found: &mut Vec<(Range<usize>, &'o Object, Claim)>,
    ) {
        // Open-weight models called so are hosted: "gpt-oss-20b, OpenAI's
        // open-weight model, now in your Bedrock catalogue".
        if o.kind == NameKind::Milder && self.safe {
            return;
        }
        for frame in &self.compiled.frames {
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
            // "It calls on GPT-4o": a pronoun before a frame's words is a
            // subject, not a name the frame describes.
            if o.antecedent.is_some()
                && frame.before.is_empty()
                && !self
                    .s
                    .is(o.name.end, &["is", "are", "'s", "'re", "was", "were"])
            {
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
    pub(super) fn ends_before(&self, seq: &[String], o: &Object) -> Option<usize> {
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
    pub(super) fn starts_after(&self, seq: &[String], o: &Object) -> Option<usize> {
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
    pub(super) fn near<'o>(
        &self,
        o: &'o Object,
        found: &mut Vec<(Range<usize>, &'o Object, Claim)>,
    ) {
        let s = self.s;
        // The milder models called by their safe word ("gpt-oss-120b,
        // OpenAI's open-weight model, through one API") are described, not
        // offered.
        if o.kind == NameKind::Milder && self.safe {
            return;
        }
        let clause = s.clause_of(o.name.start);
        for k in clause.clone() {
            for seq in self.compiled.near.starting(s.word(k)) {
                if let Some(end) = self.near_at(k, seq, clause.end)
                    // "compatible with OpenAI's API format": the words
                    // describe a format, not a service.
                    && !s.is(end, DESCRIBED)
                {
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
    pub(super) fn colocated<'o>(
        &self,
        o: &'o Object,
        found: &mut Vec<(Range<usize>, &'o Object, Claim)>,
    ) {
        let milder = o.kind == NameKind::Milder && !self.safe;
        if o.bare_owner {
            self.owner_placed(o, found);
            return;
        }
        if !(o.kind == NameKind::Object || milder) {
            return;
        }
        let s = self.s;
        let own = s.clause_of(o.name.start);
        // A pronoun for a model is placed only by a platform in its own
        // clause: "GPT-4o is back. It's reachable from your Bedrock agents."
        // Only as the subject of being somewhere: "they're on AWS now",
        // "it runs under your IAM roles", not "they keep their state in
        // Bedrock", where "they" may be anything named before.
        let pronoun = o.antecedent.is_some();
        if pronoun
            && !s.is(
                o.name.end,
                &[
                    "is", "are", "'s", "'re", "was", "were", "runs", "run", "lives", "sits", "now",
                ],
            )
        {
            return;
        }
        if o.generic
            && o.kind != NameKind::Milder
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
        let window = if pronoun {
            own.clone()
        } else if self.block {
            0..s.len()
        } else {
            o.name.start.saturating_sub(COLOCATION)..(o.name.end + COLOCATION).min(s.len())
        };
        // The nearest platform, one in the name's own clause first.
        let mut places: Vec<(usize, &Vec<String>)> = window
            .clone()
            .filter(|k| !o.name.contains(k))
            // Quoted wording is not where a pronoun's model is: "the line
            // “tap OpenAI's models from AWS” was wrong and I've cut it".
            .filter(|&k| !(pronoun && self.in_quotes(&(k..k + 1))))
            .filter_map(|k| {
                // A one-word platform also counts inside a hyphenated
                // compound: "the AWS–OpenAI runtime".
                let word = s.word(k);
                let seq = self
                    .spec
                    .compiled()
                    .platforms
                    .starting(word)
                    .find(|seq| k + seq.len() <= window.end && s.matches_at(k, seq))
                    .or_else(|| {
                        word.contains('-')
                            .then(|| {
                                word.split('-').find_map(|part| {
                                    self.compiled
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
        }
    }

    /// The company itself put on a platform, as a product: "OpenAI on
    /// AWS", "run OpenAI on Bedrock". Only right beside it: "built with
    /// OpenAI, on AWS" and "OpenAI Frontier on AWS" say something else.
    fn owner_placed<'o>(&self, o: &'o Object, found: &mut Vec<(Range<usize>, &'o Object, Claim)>) {
        let s = self.s;
        let at = o.name.end;
        if at + 1 >= s.len()
            || !s.is(at, &["on", "via", "through", "inside", "within"])
            || (o.name.start > 0 && s.is(o.name.start - 1, &["with", "by", "from", "of"]))
        {
            return;
        }
        let Some(seq) = self
            .compiled
            .platforms
            .starting(s.word(at + 1))
            .find(|seq| s.matches_at(at + 1, seq))
        else {
            return;
        };
        let end = at + 1 + seq.len();
        found.push((
            o.name.start..end,
            o,
            Claim {
                object: self.object_text(o),
                frame: Some(format!("_ {} {}", s.word(at), seq.join(" "))),
                ..Claim::default()
            },
        ));
    }

    /// Where `seq` ends when it starts at token `k`, its last word after at
    /// most two inserted words ("most powerful OpenAI model").
    pub(super) fn near_at(&self, k: usize, seq: &[String], end: usize) -> Option<usize> {
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
}

/// "Call" that names rather than calls: "coverage has called the runtime
/// 'OpenAI on AWS'", "we call it what it is".
fn naming(s: &crate::language::Sentence, lemma: &str, i: usize, j: usize, o: &Object) -> bool {
    if lemma != "call" {
        return false;
    }
    // A noun phrase between the verb and the name: "call the runtime X".
    let between = (i + 1..j).any(|k| {
        s.tokens[k].word && !s.has(k, tag::ADVERB | tag::DET) && !s.word(k).ends_with("ly")
    });
    // A pronoun followed by the name it is given: "call it what it is".
    let named = o.antecedent.is_some()
        && (s.is(o.name.end, &["what", "a", "an", "the", "\""]) || s.has(o.name.end, tag::DET));
    between || named
}
