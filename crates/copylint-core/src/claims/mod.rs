//! Claims: what a sentence asserts about a rule's names, however it is
//! worded.
//!
//! A claim rule names its objects (the automaton finds them), and the
//! words that make a claim of them: verbs by lemma in any inflection,
//! active or passive, with their particles ("wire … into"); frames around
//! the object ("a bridge to X", "X at your fingertips"); terms that claim
//! with a name in their clause ("most capable"); and platforms that make
//! an availability claim with a name in their clause ("GPT-5 on Bedrock").
//! A pronoun stands for a name before it in its sentence or the previous
//! one. What clears a claim is read from its scope: a negation before it
//! in its clause, a third party in its clause (not after "unlike" or
//! "without"), the name's owner as the one acting, reported speech. A
//! question is only information. Each claim found carries its parts, so a
//! reviewer sees why.

mod questions;
mod read;
mod scope;
mod spec;
mod triggers;

use serde::{Deserialize, Serialize};

pub use read::{Found, Scope, read};
pub use spec::{ClaimSource, ClaimSpec, Milder, words};

/// What kind of name an automaton hit of a claim rule is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NameKind {
    /// One of the rule's objects (a model, a product).
    Object,
    /// The objects' owner (a company): an object only as a possessive
    /// before a model ("OpenAI's newest models") or after a verb or frame.
    Owner,
    /// A name whose claims are milder (models that are in fact hosted).
    Milder,
}

/// A name found in a block's normalized text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Name {
    pub start: usize,
    pub end: usize,
    pub kind: NameKind,
}

/// The parts of a claim, as a reviewer reads them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Claim {
    /// Who the sentence says does it, when it names someone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// The verb, with its particle ("connect to").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verb: Option<String>,
    /// What is claimed: the name, or the pronoun and the name it stands for.
    pub object: String,
    /// The frame, term or platform that made the claim without a verb.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame: Option<String>,
}

impl Claim {
    /// One line for people: `actor: the SRE · verb: call · object: GPT-5`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(a) = &self.actor {
            parts.push(format!("actor: {a}"));
        }
        if let Some(v) = &self.verb {
            parts.push(format!("verb: {v}"));
        }
        parts.push(format!("object: {}", self.object));
        if let Some(f) = &self.frame {
            parts.push(format!("frame: {f}"));
        }
        parts.join(" · ")
    }
}

/// Whether `header` (normalized) names one of the rule's third parties: a
/// table column headed "Azure OpenAI" is about Azure.
pub fn names_actor(spec: &ClaimSpec, header: &str) -> bool {
    let words = spec::words(header);
    spec.compiled()
        .actors
        .iter()
        .any(|seq| words.windows(seq.len()).any(|w| w == seq.as_slice()))
}
