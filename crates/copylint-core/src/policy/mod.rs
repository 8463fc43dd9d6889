//! Policies: the wording rules copylint enforces, read from TOML.
//!
//! A policy file names term sets, approved phrases and rules; loading it
//! parses the TOML strictly (unknown keys are errors), expands every
//! pattern to literals, and checks every rule against its own examples.
//! Every error points at the line of the policy file that caused it. The
//! default policy is compiled into the binary.

mod message;
mod pattern;
mod schema;

use std::ops::Range;
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFile;

use crate::finding::Severity;
pub use message::{PLACEHOLDERS, Template};
pub use pattern::{MAX_EXPANSION, Pattern, PatternError, Sets, VERSION, is_set_name};

/// The embedded default policy: AWS's guidance on describing the Stateful
/// Runtime Environment built with OpenAI.
pub const DEFAULT_POLICY: &str = include_str!("../../wordlists/aws-openai-sre.toml");
/// The name the embedded default policy is shown under.
pub const DEFAULT_POLICY_NAME: &str = "<default policy: aws-openai-sre.toml>";
/// What `copylint --version` prints after the program name: the crate's
/// version and the `name` of the embedded policy (tests/it/release.rs keeps
/// the two in step).
pub const VERSION_WITH_POLICY: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (embedded policy: aws-openai-sre)"
);

/// What a rule looks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleKind {
    /// Report each match of the pattern.
    Phrase,
    /// Report each term that overlaps no approved phrase, in a sentence with
    /// no other finding.
    Mention,
    /// Report each wrong spelling of a name (matched with its case as
    /// written) with a safe fix to the expected form.
    Term,
    /// Report each claim about the pattern's names: verbs, frames, terms
    /// and platforms that assert something of them, read in their clause.
    Claim,
}

/// Sentence context that changes what a rule does.
#[derive(Clone, Debug)]
pub struct Context {
    /// The pattern text, as written.
    pub near: String,
    /// Its expanded literals, normalized.
    pub literals: Vec<String>,
    /// The same, with their case as written.
    pub cased: Vec<String>,
    /// A context phrase counts only with its case as written.
    pub case_sensitive: bool,
    /// Only a match after the rule's own match counts.
    pub after: bool,
    /// Severity when the context holds.
    pub severity: Option<Severity>,
    /// The rule fires only when the context holds.
    pub required: bool,
}

/// One compiled rule.
#[derive(Clone, Debug)]
pub struct Rule {
    pub id: Arc<str>,
    /// Where the policy file wrote the id.
    pub id_span: Option<Range<usize>>,
    pub kind: RuleKind,
    pub severity: Severity,
    /// The message as written.
    pub message: Arc<str>,
    /// The message, parsed.
    pub template: Template,
    pub pattern: String,
    /// The expanded, normalized literals; a [`VERSION`] character in one
    /// stands for a version number.
    pub literals: Vec<String>,
    /// The same, with their case as written.
    pub cased: Vec<String>,
    /// A match counts only with its case as written.
    pub case_sensitive: bool,
    pub context: Option<Context>,
    /// For a claim rule: what makes a claim of its names.
    pub claim: Option<Arc<crate::claims::ClaimSpec>>,
    pub suggestions: Arc<[String]>,
    /// The replacement a rule declares for its matches. A phrase rule's is
    /// applied only with unsafe fixes (rewording a claim is a person's
    /// call); a term rule's is its expected form, and safe.
    pub fix: Option<String>,
    pub explanation: String,
    /// Examples the rule must fire on.
    pub bad: Vec<Example>,
    /// Examples the rule must not fire on.
    pub good: Vec<Example>,
}

/// A rule's example sentence, and where the policy file wrote it.
#[derive(Clone, Debug)]
pub struct Example {
    pub text: String,
    pub span: Option<Range<usize>>,
}

/// One loaded, validated policy file.
#[derive(Clone, Debug)]
pub struct Policy {
    pub name: String,
    pub description: String,
    /// Where it came from: a path, or [`DEFAULT_POLICY_NAME`].
    pub origin: String,
    /// Expanded, normalized approved phrases.
    pub approved: Vec<String>,
    /// The same, with their case as written.
    pub approved_cased: Vec<String>,
    pub rules: Vec<Rule>,
    /// The policy file's text, for errors that point into it.
    pub text: Arc<str>,
}

/// One problem in a policy file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub span: Option<Range<usize>>,
    pub notes: Vec<String>,
}

impl Problem {
    pub fn new(message: impl Into<String>, span: Option<Range<usize>>) -> Problem {
        Problem {
            message: message.into(),
            span,
            notes: Vec::new(),
        }
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Problem {
        self.notes.push(note.into());
        self
    }
}

/// Why a policy file could not be loaded: one or more problems, each with a
/// place in the file.
#[derive(Clone, Debug, thiserror::Error)]
#[error("invalid policy {origin}: {}", problems.first().map_or("", |p| p.message.as_str()))]
pub struct PolicyError {
    pub origin: String,
    pub text: String,
    pub problems: Vec<Problem>,
}

/// Longest policy-file line shown as a snippet in an error.
const MAX_SNIPPET_LINE: usize = 500;

impl PolicyError {
    /// The problems as codespan diagnostics over [`PolicyError::file`].
    pub fn diagnostics(&self) -> Vec<Diagnostic<()>> {
        self.problems
            .iter()
            .map(|p| {
                let mut d = Diagnostic::error()
                    .with_message(&p.message)
                    .with_notes(p.notes.clone());
                if let Some(span) = &p.span {
                    let start = self.text.floor_char_boundary(span.start);
                    let end = self.text.floor_char_boundary(span.end.max(start));
                    let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
                    let line_end = self.text[start..]
                        .find('\n')
                        .map_or(self.text.len(), |i| start + i);
                    if line_end - line_start <= MAX_SNIPPET_LINE {
                        d = d.with_labels(vec![Label::primary((), start..end)]);
                    } else {
                        // A huge line would flood the terminal: name the place instead.
                        let line = self.text[..start].matches('\n').count() + 1;
                        let column = self.text[line_start..start].chars().count() + 1;
                        d.notes
                            .insert(0, format!("at {}:{line}:{column}", self.origin));
                    }
                }
                d
            })
            .collect()
    }

    /// The policy file, for rendering the diagnostics.
    pub fn file(&self) -> SimpleFile<&str, &str> {
        SimpleFile::new(&self.origin, &self.text)
    }
}

impl Policy {
    /// Parses and validates a policy. Its rules' examples are checked by
    /// [`crate::engine::check_examples`], which needs a linter.
    pub fn load(origin: &str, text: &str) -> Result<Policy, PolicyError> {
        match Policy::compile(origin, text) {
            (Some(policy), problems) if problems.is_empty() => Ok(policy),
            (_, problems) => Err(PolicyError {
                origin: origin.to_string(),
                text: text.to_string(),
                problems,
            }),
        }
    }

    /// Parses and validates a policy, keeping going after a problem: the
    /// policy of the rules that compiled (when the file could be read at
    /// all), and every problem found.
    pub fn compile(origin: &str, text: &str) -> (Option<Policy>, Vec<Problem>) {
        schema::compile(origin, text)
    }

    /// The embedded default policy. Its examples are checked by the test
    /// suite, not at every start.
    pub fn default_policy() -> Policy {
        Policy::load(DEFAULT_POLICY_NAME, DEFAULT_POLICY)
            .unwrap_or_else(|e| panic!("the embedded default policy is invalid: {e:?}"))
    }

    /// 1-based line and column of a byte offset in the policy's text.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = self.text.floor_char_boundary(offset);
        let before = &self.text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (
            before.matches('\n').count() + 1,
            before[line_start..].chars().count() + 1,
        )
    }

    /// `origin:line:column` of a rule's id, or the origin alone.
    pub fn rule_location(&self, rule: &Rule) -> String {
        match &rule.id_span {
            Some(span) => {
                let (line, column) = self.line_column(span.start);
                format!("{}:{line}:{column}", self.origin)
            }
            None => self.origin.clone(),
        }
    }
}
