//! A claim rule, compiled: its verbs by every inflection, its frames and
//! terms as word sequences, and what clears it.

use std::collections::HashMap;
use std::sync::Arc;

use crate::finding::Severity;
use crate::language::lexicon::{Inflection, inflections};
use crate::language::tokenize;

/// The words of a literal, as the language layer cuts them.
pub fn words(literal: &str) -> Vec<String> {
    tokenize(literal, 0..literal.len())
        .iter()
        .map(|t| literal[t.start..t.end].to_string())
        .collect()
}

/// One verb of a claim rule: "connect {to|with}", "call [on|into]".
#[derive(Clone, Debug)]
pub(crate) struct Verb {
    pub lemma: String,
    /// The particles that may follow it, as word sequences.
    pub particles: Vec<Vec<String>>,
    /// The verb claims without a particle too.
    pub bare: bool,
    /// Counts for the rule's milder names too (an availability verb such
    /// as "host" does not: hosting open-weight models is a fact).
    pub milder: bool,
    /// The object follows the particle ("route requests to _"), never
    /// stands before it ("route it to the alias" routes something else).
    pub object_last: bool,
}

/// Word sequences, found by their first or last word: a frame's or a
/// set's expansions run to hundreds, and a sentence is matched against
/// the few that start (or end) with a word it has.
#[derive(Clone, Debug, Default)]
pub(crate) struct Seqs {
    /// Longest first, so that "azure openai service" wins over "azure".
    all: Vec<Vec<String>>,
    first: HashMap<String, Vec<usize>>,
    last: HashMap<String, Vec<usize>>,
}

impl Seqs {
    fn new(literals: &[String]) -> Seqs {
        let mut all: Vec<Vec<String>> = literals.iter().map(|l| words(l)).collect();
        all.retain(|w| !w.is_empty());
        all.sort_by_key(|w| std::cmp::Reverse(w.len()));
        all.dedup();
        let mut seqs = Seqs {
            all,
            ..Seqs::default()
        };
        for (i, seq) in seqs.all.iter().enumerate() {
            seqs.first.entry(seq[0].clone()).or_default().push(i);
            seqs.last
                .entry(seq[seq.len() - 1].clone())
                .or_default()
                .push(i);
        }
        seqs
    }

    pub fn is_empty(&self) -> bool {
        self.all.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Vec<String>> {
        self.all.iter()
    }

    /// The sequences that start with `word`, longest first.
    pub fn starting<'a>(&'a self, word: &str) -> impl Iterator<Item = &'a Vec<String>> + 'a {
        self.first
            .get(word)
            .into_iter()
            .flatten()
            .map(|&i| &self.all[i])
    }

    /// The sequences that end with `word`, longest first.
    pub fn ending<'a>(&'a self, word: &str) -> impl Iterator<Item = &'a Vec<String>> + 'a {
        self.last
            .get(word)
            .into_iter()
            .flatten()
            .map(|&i| &self.all[i])
    }
}

/// A frame: words before the object, words after it, or both.
#[derive(Clone, Debug)]
pub(crate) struct Frame {
    pub before: Seqs,
    pub after: Seqs,
}

/// What the milder names of a rule make of a claim.
#[derive(Clone, Debug)]
pub struct Milder {
    pub severity: Severity,
    pub suggestions: Arc<[String]>,
    /// Words that make availability safe to say of the milder names, in
    /// the same sentence ("open-weight"): only access verbs and frames
    /// claim then.
    pub safe: Vec<Vec<String>>,
}

/// A compiled claim rule.
#[derive(Clone, Debug, Default)]
pub struct ClaimSpec {
    pub(crate) verbs: Vec<Verb>,
    /// Each written form of each verb: the verb's index and its use.
    pub(crate) forms: HashMap<String, Vec<(usize, Inflection)>>,
    pub(crate) frames: Vec<Frame>,
    pub(crate) near: Seqs,
    pub(crate) platforms: Seqs,
    pub(crate) actors: Seqs,
    pub milder: Option<Milder>,
    /// The owner's names, with their case as written (for the automaton).
    pub owner_names: Vec<String>,
    /// The milder names, likewise.
    pub milder_names: Vec<String>,
}

/// What a policy writes for a claim rule, expanded to literals.
pub struct ClaimSource {
    /// `(lemma, particle literals, milder too, object after the
    /// particle)`; an empty particle literal means the verb claims alone.
    pub verbs: Vec<(String, Vec<String>, bool, bool)>,
    /// `(frame as written, literals before the object, after it)`.
    pub frames: Vec<(String, Vec<String>, Vec<String>)>,
    pub near: Vec<String>,
    pub platforms: Vec<String>,
    pub actors: Vec<String>,
    pub milder: Option<Milder>,
}

impl ClaimSpec {
    /// Whether nothing can make a claim.
    pub fn is_empty(&self) -> bool {
        self.verbs.is_empty()
            && self.frames.is_empty()
            && self.near.is_empty()
            && self.platforms.is_empty()
    }

    pub fn new(source: ClaimSource) -> ClaimSpec {
        let mut spec = ClaimSpec {
            milder: source.milder,
            ..ClaimSpec::default()
        };
        for (lemma, particles, milder, object_last) in source.verbs {
            let index = spec.verbs.len();
            for (form, inflection) in inflections(&lemma) {
                let uses = spec.forms.entry(form).or_default();
                if !uses.contains(&(index, inflection)) {
                    uses.push((index, inflection));
                }
            }
            let bare = particles.is_empty() || particles.iter().any(|p| p.trim().is_empty());
            spec.verbs.push(Verb {
                lemma,
                particles: particles
                    .iter()
                    .map(|p| words(p))
                    .filter(|w| !w.is_empty())
                    .collect(),
                bare,
                milder,
                object_last,
            });
        }
        for (_, before, after) in source.frames {
            spec.frames.push(Frame {
                before: Seqs::new(&before),
                after: Seqs::new(&after),
            });
        }
        spec.near = Seqs::new(&source.near);
        spec.platforms = Seqs::new(&source.platforms);
        spec.actors = Seqs::new(&source.actors);
        spec
    }
}
