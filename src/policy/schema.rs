//! The policy file's TOML schema and its compilation into a [`Policy`].
//!
//! Deserialization is strict (`deny_unknown_fields`); spans are kept on
//! every user-written string so that semantic errors (an unknown set, a
//! duplicate id, an oversized expansion) point at the right line.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::pattern::{MAX_EXPANSION, Pattern, Sets, is_set_name};
use super::{Context, Example, Policy, Problem, Rule, RuleKind};
use crate::finding::Severity;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    name: Spanned<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    approved: Vec<Spanned<String>>,
    #[serde(default)]
    sets: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    #[serde(default)]
    rules: Vec<RawRule>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum RawKind {
    Phrase,
    Mention,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    #[serde(default = "default_kind")]
    kind: Spanned<RawKind>,
    severity: Severity,
    message: Spanned<String>,
    pattern: Spanned<String>,
    context: Option<Spanned<RawContext>>,
    #[serde(default)]
    suggestions: Vec<String>,
    fix: Option<String>,
    explanation: String,
    bad: Spanned<Vec<Spanned<String>>>,
    good: Spanned<Vec<Spanned<String>>>,
}

fn default_kind() -> Spanned<RawKind> {
    Spanned::new(0..0, RawKind::Phrase)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContext {
    near: Spanned<String>,
    #[serde(default)]
    after: bool,
    severity: Option<Severity>,
    #[serde(default)]
    required: bool,
}

/// The span of the text inside a TOML string whose token spans `token`,
/// shifted to `offset` within it when the string is a plain one-line string.
fn inner_span(text: &str, token: Range<usize>, offset: usize) -> Range<usize> {
    let raw = text.get(token.clone()).unwrap_or_default();
    let simple = raw.len() >= 2
        && (raw.starts_with('"') || raw.starts_with('\''))
        && !raw.starts_with("\"\"\"")
        && !raw.starts_with("'''")
        && !raw.contains('\\');
    if simple && offset + 1 < raw.len() {
        let at = token.start + 1 + offset;
        at..(token.end - 1).max(at + 1)
    } else {
        token
    }
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Parses and validates a policy file, returning every problem found.
pub fn compile(origin: &str, text: &str) -> Result<Policy, Vec<Problem>> {
    let raw: RawPolicy =
        toml::from_str(text).map_err(|e| vec![Problem::new(e.message().to_string(), e.span())])?;
    let mut problems = Vec::new();

    // Term sets: each term may use `{}` and `[]` but not other sets.
    let mut sets = Sets::new();
    for (name, terms) in &raw.sets {
        if !is_set_name(name.get_ref()) {
            problems.push(Problem::new(
                format!(
                    "`{}` is not a valid set name (letters, digits, `-` and `_`)",
                    name.get_ref()
                ),
                Some(name.span()),
            ));
        }
        if terms.is_empty() {
            problems.push(Problem::new(
                format!("term set `{}` is empty", name.get_ref()),
                Some(name.span()),
            ));
        }
        let mut expanded = Vec::new();
        for term in terms {
            if expanded.len() as u128 > MAX_EXPANSION {
                problems.push(Problem::new(
                    format!(
                        "term set `{}` has more than {MAX_EXPANSION} terms",
                        name.get_ref()
                    ),
                    Some(name.span()),
                ));
                break;
            }
            match Pattern::parse(term.get_ref(), false).and_then(|p| p.expand(&Sets::new())) {
                Ok(lits) => expanded.extend(lits),
                Err(e) => problems.push(Problem::new(
                    format!("in term set `{}`: {}", name.get_ref(), e.message),
                    Some(inner_span(text, term.span(), e.offset)),
                )),
            }
        }
        expanded.sort();
        expanded.dedup();
        sets.insert(name.get_ref().clone(), expanded);
    }

    let expand =
        |pattern: &Spanned<String>, what: &str, problems: &mut Vec<Problem>| -> Vec<String> {
            match Pattern::parse(pattern.get_ref(), true).and_then(|p| p.expand(&sets)) {
                Ok(lits) => lits,
                Err(e) => {
                    problems.push(Problem::new(
                        format!("{what}: {}", e.message),
                        Some(inner_span(text, pattern.span(), e.offset)),
                    ));
                    Vec::new()
                }
            }
        };

    let mut approved = Vec::new();
    for phrase in &raw.approved {
        approved.extend(expand(phrase, "in approved phrase", &mut problems));
    }
    approved.sort();
    approved.dedup();

    let mut ids = HashSet::new();
    let mut rules = Vec::new();
    for r in &raw.rules {
        let id = r.id.get_ref();
        if !is_kebab(id) {
            problems.push(Problem::new(
                format!("rule id `{id}` is not kebab-case (lowercase words joined by `-`)"),
                Some(r.id.span()),
            ));
        }
        if !ids.insert(id.clone()) {
            problems.push(Problem::new(
                format!("duplicate rule id `{id}`"),
                Some(r.id.span()),
            ));
        }
        if r.message.get_ref().trim().is_empty() {
            problems.push(Problem::new(
                format!("rule `{id}` has an empty message"),
                Some(r.message.span()),
            ));
        }
        let literals = expand(
            &r.pattern,
            &format!("in the pattern of rule `{id}`"),
            &mut problems,
        );
        let kind = match *r.kind.get_ref() {
            RawKind::Phrase => RuleKind::Phrase,
            RawKind::Mention => RuleKind::Mention,
        };
        let context = r.context.as_ref().map(|c| {
            if kind == RuleKind::Mention {
                problems.push(Problem::new(
                    format!("mention rule `{id}` cannot have a context"),
                    Some(c.span()),
                ));
            }
            let c = c.get_ref();
            Context {
                near: c.near.get_ref().clone(),
                literals: expand(
                    &c.near,
                    &format!("in the context of rule `{id}`"),
                    &mut problems,
                ),
                after: c.after,
                severity: c.severity,
                required: c.required,
            }
        });
        for (list, which) in [(&r.bad, "bad"), (&r.good, "good")] {
            if list.get_ref().is_empty() {
                problems.push(
                    Problem::new(format!("rule `{id}` has no {which} example"), Some(list.span())).with_note(
                        "every rule needs at least one `bad` example it fires on and one `good` example it does not",
                    ),
                );
            }
        }
        rules.push(Rule {
            id: Arc::from(id.as_str()),
            id_span: Some(r.id.span()),
            kind,
            severity: r.severity,
            message: Arc::from(r.message.get_ref().as_str()),
            pattern: r.pattern.get_ref().clone(),
            literals,
            context,
            suggestions: r.suggestions.clone().into(),
            fix: r.fix.clone(),
            explanation: r.explanation.clone(),
            bad: examples(&r.bad),
            good: examples(&r.good),
        });
    }
    if raw.rules.is_empty() {
        problems.push(Problem::new(
            "the policy defines no rules",
            Some(raw.name.span()),
        ));
    }

    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Policy {
        name: raw.name.into_inner(),
        description: raw.description,
        origin: origin.to_string(),
        approved,
        rules,
        text: Arc::from(text),
    })
}

fn examples(list: &Spanned<Vec<Spanned<String>>>) -> Vec<Example> {
    list.get_ref()
        .iter()
        .map(|s| Example {
            text: s.get_ref().clone(),
            span: Some(s.span()),
        })
        .collect()
}
