//! The literal automaton: every rule, context and approved literal of the
//! loaded policies in one Aho-Corasick automaton, built the first time a
//! block is matched.
//!
//! Building it is most of what a start costs (the default policy's
//! literals make a DFA of thousands of states), and a run whose files the
//! prefilter rules out never matches a block: a pre-commit hook checking
//! one clean file does not build it at all. A run that needs it builds it
//! once, on the first worker to get there, while the others wait.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, BuildError, MatchKind};

use crate::Error;

/// Literal tables up to this many bytes in all are built lazily.
///
/// aho-corasick fails to build only when an index overflows `i32`: with at
/// most this many bytes of literals there are at most as many states and
/// patterns, and match entries (a state lists the patterns that are
/// suffixes of its text, of distinct lengths, so fewer than
/// `sqrt(2 * LAZY_LIMIT)`) number under 1.6 billion. So a lazy build cannot
/// fail; a larger table is built at once, where its error can be reported.
const LAZY_LIMIT: usize = 1 << 20;

/// The automaton over a fixed list of literals, built on first use.
pub(super) struct Automaton {
    literals: Vec<String>,
    built: OnceLock<AhoCorasick>,
}

impl Automaton {
    /// The automaton over `literals` (pattern `i` is `literals[i]`); an
    /// error names `policies` when it cannot be built.
    pub(super) fn new(literals: Vec<String>, policies: &[String]) -> Result<Automaton, Error> {
        Automaton::lazy_up_to(LAZY_LIMIT, literals, policies)
    }

    /// As [`Automaton::new`], building at once over `limit` bytes.
    fn lazy_up_to(
        limit: usize,
        literals: Vec<String>,
        policies: &[String],
    ) -> Result<Automaton, Error> {
        let automaton = Automaton {
            literals,
            built: OnceLock::new(),
        };
        let bytes: usize = automaton.literals.iter().map(String::len).sum();
        if bytes > limit {
            let built = build(&automaton.literals).map_err(|e| Error::Automaton {
                policies: policies.to_vec(),
                message: e.to_string(),
            })?;
            automaton.built.get_or_init(|| built);
        }
        Ok(automaton)
    }

    /// The automaton, built now if it has not been.
    pub(super) fn get(&self) -> &AhoCorasick {
        self.built.get_or_init(|| {
            build(&self.literals)
                .unwrap_or_else(|e| unreachable!("a table within LAZY_LIMIT builds: {e}"))
        })
    }

    /// Whether the automaton has been built.
    #[cfg(test)]
    pub(super) fn is_built(&self) -> bool {
        self.built.get().is_some()
    }
}

/// A DFA, the fastest to search, or whatever aho-corasick picks when the
/// DFA would be too large.
fn build(literals: &[String]) -> Result<AhoCorasick, BuildError> {
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .kind(Some(AhoCorasickKind::DFA))
        .build(literals)
        .or_else(|_| AhoCorasick::new(literals))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Linter, Policy};

    #[test]
    fn is_built_only_when_a_block_gets_past_the_prefilter() {
        let linter = Linter::new(vec![Policy::default_policy()]).expect("it compiles");
        assert!(!linter.automaton.is_built());
        let clean = linter.check_text("Deploy the endpoint, then call the API.");
        assert!(clean.is_empty(), "{clean:?}");
        assert!(!linter.automaton.is_built(), "the prefilter ruled it out");
        let found = linter.check_text("The team uses Chat-GPT daily.");
        assert!(
            found.iter().any(|f| &*f.rule == "chatgpt-spelling"),
            "{found:?}"
        );
        assert!(linter.automaton.is_built());
    }

    #[test]
    fn a_table_too_large_to_be_sure_of_is_built_at_once() {
        let small = Automaton::new(vec!["gpt".into()], &[]).expect("it builds");
        assert!(!small.is_built());
        assert_eq!(small.get().find("a gpt").map(|m| m.start()), Some(2));
        let literals = vec!["gpt".to_string(), "sora".to_string()];
        let large = Automaton::lazy_up_to(6, literals.clone(), &[]).expect("it builds");
        assert!(large.is_built(), "7 bytes is over the limit");
        assert_eq!(
            large.get().find("a sora").map(|m| m.pattern().as_usize()),
            Some(1)
        );
        let within = Automaton::lazy_up_to(7, literals, &[]).expect("it builds");
        assert!(!within.is_built());
    }
}
