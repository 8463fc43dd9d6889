//! A claim rule, compiled: its verbs by every inflection, its frames and
//! terms as word sequences, and what clears it.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

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

/// A claim rule: what its policy wrote, expanded, and compiled into verb
/// forms and word sequences the first time a sentence is read with it.
///
/// Compiling the default policy's claim rules (every inflection of every
/// verb, frames and sets by hundreds of word sequences) is a large part of
/// a start; a run whose files hold none of a rule's names never needs it.
#[derive(Clone, Debug, Default)]
pub struct ClaimSpec {
    source: ClaimSource,
    compiled: OnceLock<Compiled>,
    pub milder: Option<Milder>,
    /// The owner's names, with their case as written (for the automaton).
    pub owner_names: Vec<String>,
    /// The milder names, likewise.
    pub milder_names: Vec<String>,
}

/// A claim rule's verbs by every inflection, and its frames and sets as
/// word sequences.
#[derive(Clone, Debug, Default)]
pub(crate) struct Compiled {
    pub verbs: Vec<Verb>,
    /// Each written form of each verb: the verb's index and its use.
    pub forms: HashMap<String, Vec<(usize, Inflection)>>,
    pub frames: Vec<Frame>,
    pub near: Seqs,
    pub platforms: Seqs,
    pub actors: Seqs,
}

/// What a policy writes for a claim rule, expanded to literals.
#[derive(Clone, Debug, Default)]
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
        // As the compiled form would say: a set counts when one of its
        // literals has a word.
        let no_words = |set: &[String]| set.iter().all(|l| words(l).is_empty());
        self.source.verbs.is_empty()
            && self.source.frames.is_empty()
            && no_words(&self.source.near)
            && no_words(&self.source.platforms)
    }

    /// The spec of `source`; nothing is compiled until it is read with.
    pub fn new(mut source: ClaimSource) -> ClaimSpec {
        ClaimSpec {
            milder: source.milder.take(),
            source,
            ..ClaimSpec::default()
        }
    }

    /// The verbs, frames and sets, compiled now if they have not been.
    pub(crate) fn compiled(&self) -> &Compiled {
        self.compiled.get_or_init(|| Compiled::new(&self.source))
    }

    /// Whether the verbs, frames and sets have been compiled.
    #[cfg(test)]
    pub(crate) fn is_compiled(&self) -> bool {
        self.compiled.get().is_some()
    }
}

impl Compiled {
    fn new(source: &ClaimSource) -> Compiled {
        let mut spec = Compiled::default();
        for (lemma, particles, milder, object_last) in &source.verbs {
            let index = spec.verbs.len();
            for (form, inflection) in inflections(lemma) {
                let uses = spec.forms.entry(form).or_default();
                if !uses.contains(&(index, inflection)) {
                    uses.push((index, inflection));
                }
            }
            let bare = particles.is_empty() || particles.iter().any(|p| p.trim().is_empty());
            spec.verbs.push(Verb {
                lemma: lemma.clone(),
                particles: particles
                    .iter()
                    .map(|p| words(p))
                    .filter(|w| !w.is_empty())
                    .collect(),
                bare,
                milder: *milder,
                object_last: *object_last,
            });
        }
        for (_, before, after) in &source.frames {
            spec.frames.push(Frame {
                before: Seqs::new(before),
                after: Seqs::new(after),
            });
        }
        spec.near = Seqs::new(&source.near);
        spec.platforms = Seqs::new(&source.platforms);
        spec.actors = Seqs::new(&source.actors);
        spec
    }
}

#[cfg(test)]
mod tests {
    use crate::{Linter, Policy};

    fn compiled(linter: &Linter) -> Vec<bool> {
        linter
            .rules()
            .filter_map(|(_, r)| r.claim.as_ref())
            .map(|c| c.is_compiled())
            .collect()
    }

    #[test]
    fn a_claim_rule_is_compiled_when_a_sentence_is_first_read_with_it() {
        let linter = Linter::new(vec![Policy::default_policy()]).expect("it compiles");
        assert!(
            !compiled(&linter).is_empty(),
            "the default policy has claim rules"
        );
        assert!(compiled(&linter).iter().all(|&c| !c));
        assert!(linter.check_text("Deploy the endpoint.").is_empty());
        assert!(
            compiled(&linter).iter().all(|&c| !c),
            "no name, no claim read"
        );
        let found = linter.check_text("Customers can access OpenAI models from their AWS account.");
        assert!(!found.is_empty());
        assert!(compiled(&linter).iter().any(|&c| c));
    }

    #[test]
    fn a_set_whose_literals_have_no_words_makes_no_claim() {
        use super::{ClaimSource, ClaimSpec};
        let spec = |near: &[&str]| {
            ClaimSpec::new(ClaimSource {
                near: near.iter().map(|n| n.to_string()).collect(),
                ..ClaimSource::default()
            })
        };
        assert!(spec(&["", " "]).is_empty());
        assert!(!spec(&[" ", "bridge"]).is_empty());
        assert!(
            !spec(&[" ", "bridge"]).is_compiled(),
            "telling does not compile"
        );
    }
}
