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
use toml::de::{DeTable, DeValue, Deserializer, ValueDeserializer};

use super::message::Template;
use super::pattern::{MAX_EXPANSION, Pattern, Sets, VERSION_SET, is_set_name};
use super::{Context, Example, Policy, Problem, Rule, RuleKind};
use crate::claims::{ClaimSource, ClaimSpec, Milder};
use crate::finding::Severity;
use crate::source::{normalize, normalize_cased};

/// Everything but the rules, which are read one by one so that a mistake
/// in one rule does not hide those in the others.
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
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum RawKind {
    Phrase,
    Mention,
    Term,
    Claim,
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
    #[serde(rename = "case-sensitive")]
    case_sensitive: Option<Spanned<bool>>,
    context: Option<Spanned<RawContext>>,
    claim: Option<Spanned<RawClaim>>,
    #[serde(default)]
    suggestions: Vec<String>,
    fix: Option<Spanned<String>>,
    /// A term rule's correct spelling.
    expected: Option<Spanned<String>>,
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
    #[serde(default, rename = "case-sensitive")]
    case_sensitive: bool,
}

/// The span of the text inside a TOML string whose token spans `token`,
/// shifted to `offset` within it when the string is a plain one-line string.
/// What makes a claim of a claim rule's names (`[rules.claim]`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClaim {
    /// The names' owner: an object only as a possessive before a model,
    /// or after a verb or frame.
    owner: Option<Spanned<String>>,
    /// Verbs that claim for every name: a lemma, then its particles.
    #[serde(default)]
    verbs: Vec<Spanned<String>>,
    /// Verbs that claim only of the models themselves ("host", "serve",
    /// "use"): not of the owner company, nor of the milder names where
    /// their safe word is said.
    #[serde(default, rename = "model-verbs")]
    model_verbs: Vec<Spanned<String>>,
    /// Frames around the object, written with `_` for it.
    #[serde(default)]
    frames: Vec<Spanned<String>>,
    /// Terms that claim with a name in their clause.
    #[serde(default)]
    near: Vec<Spanned<String>>,
    /// A main name and one of these in one clause is a claim.
    platforms: Option<Spanned<String>>,
    /// Third parties whose acting clears a claim in their clause.
    actors: Option<Spanned<String>>,
    milder: Option<Spanned<RawMilder>>,
}

/// Names whose claims are milder (`[rules.claim.milder]`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMilder {
    pattern: Spanned<String>,
    severity: Severity,
    #[serde(default)]
    suggestions: Vec<String>,
    /// Words that make availability safe to say of the milder names.
    safe: Option<Spanned<String>>,
}

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

/// A problem from the TOML reader.
fn toml_problem(e: &toml::de::Error) -> Problem {
    Problem::new(e.message().to_string(), e.span())
}

/// Parses and validates a policy file. Returns the policy made of the rules
/// that compiled (when the file could be read at all) and every problem
/// found, so that one run reports them all.
pub fn compile(origin: &str, text: &str) -> (Option<Policy>, Vec<Problem>) {
    let (mut doc, syntax) = DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        return (None, syntax.iter().map(toml_problem).collect());
    }
    let raw_rules = doc.get_mut().remove("rules");
    let raw = match RawPolicy::deserialize(Deserializer::from(doc)) {
        Ok(raw) => raw,
        Err(e) => return (None, vec![toml_problem(&e)]),
    };
    let mut problems = Vec::new();
    let sets = compile_sets(text, &raw.sets, &mut problems);
    let expand =
        |pattern: &Spanned<String>, what: &str, problems: &mut Vec<Problem>| match Pattern::parse(
            pattern.get_ref(),
            true,
        )
        .and_then(|p| p.expand(&sets))
        {
            Ok(lits) => Some(lits),
            Err(e) => {
                problems.push(Problem::new(
                    format!("{what}: {}", e.message),
                    Some(inner_span(text, pattern.span(), e.offset)),
                ));
                None
            }
        };

    let mut approved_cased = Vec::new();
    for phrase in &raw.approved {
        approved_cased
            .extend(expand(phrase, "in approved phrase", &mut problems).unwrap_or_default());
    }
    approved_cased.sort();
    approved_cased.dedup();

    let mut rules = Vec::new();
    let mut ids = HashSet::new();
    for value in raw_rules.as_ref().map(rule_values).unwrap_or_default() {
        let r = match value {
            Ok(value) => match RawRule::deserialize(ValueDeserializer::from(value)) {
                Ok(r) => r,
                Err(e) => {
                    problems.push(toml_problem(&e));
                    continue;
                }
            },
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        let before = problems.len();
        let rule = compile_rule(text, &r, &mut ids, &expand, &mut problems);
        if problems.len() == before {
            rules.extend(rule);
        }
    }
    if raw_rules.is_none() {
        problems.push(Problem::new(
            "the policy defines no rules",
            Some(raw.name.span()),
        ));
    }
    let approved = lowered(&approved_cased);
    let policy = Policy {
        name: raw.name.into_inner(),
        description: raw.description,
        origin: origin.to_string(),
        approved,
        approved_cased,
        rules,
        text: Arc::from(text),
    };
    (Some(policy), problems)
}

/// The rule tables of the `rules` array, each with its span, or a problem
/// for an entry that is not a table.
fn rule_values<'i>(rules: &Spanned<DeValue<'i>>) -> Vec<Result<Spanned<DeValue<'i>>, Problem>> {
    match rules.get_ref() {
        DeValue::Array(items) => items
            .iter()
            .map(|item| match item.get_ref() {
                DeValue::Table(_) => Ok(item.clone()),
                _ => Err(Problem::new(
                    "a rule must be a table (`[[rules]]`)",
                    Some(item.span()),
                )),
            })
            .collect(),
        _ => vec![Err(Problem::new(
            "`rules` must be an array of tables (`[[rules]]`)",
            Some(rules.span()),
        ))],
    }
}

/// The lower-case forms of case-preserved literals, sorted and deduplicated.
fn lowered(cased: &[String]) -> Vec<String> {
    let mut out: Vec<String> = cased.iter().map(|c| normalize(c)).collect();
    out.sort();
    out.dedup();
    out
}

/// Expands the term sets; each term may use `{}`, `[]`, `~` and
/// `<version>` but not other sets.
fn compile_sets(
    text: &str,
    raw: &BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    problems: &mut Vec<Problem>,
) -> Sets {
    let mut sets = Sets::new();
    for (name, terms) in raw {
        if !is_set_name(name.get_ref()) {
            problems.push(Problem::new(
                format!(
                    "`{}` is not a valid set name (letters, digits, `-` and `_`)",
                    name.get_ref()
                ),
                Some(name.span()),
            ));
        }
        if name.get_ref() == VERSION_SET {
            problems.push(Problem::new(
                format!(
                    "`{VERSION_SET}` is a built-in set (a version number): choose another name"
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
    sets
}

type Expand<'a> = dyn Fn(&Spanned<String>, &str, &mut Vec<Problem>) -> Option<Vec<String>> + 'a;

/// Validates and compiles one rule; problems are pushed to `problems`.
fn compile_rule(
    text: &str,
    r: &RawRule,
    ids: &mut HashSet<String>,
    expand: &Expand<'_>,
    problems: &mut Vec<Problem>,
) -> Option<Rule> {
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
    let template = match Template::parse(r.message.get_ref()) {
        Ok(t) => Some(t),
        Err(e) => {
            problems.push(Problem::new(
                format!("in the message of rule `{id}`: {}", e.message),
                Some(inner_span(text, r.message.span(), e.offset)),
            ));
            None
        }
    };
    let cased = expand(
        &r.pattern,
        &format!("in the pattern of rule `{id}`"),
        problems,
    );
    let kind = match *r.kind.get_ref() {
        RawKind::Phrase => RuleKind::Phrase,
        RawKind::Mention => RuleKind::Mention,
        RawKind::Term => RuleKind::Term,
        RawKind::Claim => RuleKind::Claim,
    };
    let (fix, case_sensitive) = replacement(r, kind, cased.as_deref(), problems);
    let context = r.context.as_ref().map(|c| {
        if kind == RuleKind::Mention {
            problems.push(Problem::new(
                format!("mention rule `{id}` cannot have a context"),
                Some(c.span()),
            ));
        }
        let c = c.get_ref();
        let cased = expand(&c.near, &format!("in the context of rule `{id}`"), problems)
            .unwrap_or_default();
        Context {
            near: c.near.get_ref().clone(),
            literals: lowered(&cased),
            cased,
            case_sensitive: c.case_sensitive,
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
    let claim = claim_spec(r, kind, expand, problems);
    let (cased, template) = (cased?, template?);
    let mut literals = lowered(&cased);
    if let Some(c) = &claim {
        literals.extend(lowered(&c.owner_names));
        literals.extend(lowered(&c.milder_names));
        literals.sort();
        literals.dedup();
    }
    Some(Rule {
        id: Arc::from(id.as_str()),
        id_span: Some(r.id.span()),
        kind,
        severity: r.severity,
        message: Arc::from(r.message.get_ref().as_str()),
        template,
        pattern: r.pattern.get_ref().clone(),
        literals,
        cased,
        claim: claim.map(Arc::new),
        case_sensitive,
        context,
        suggestions: match (&fix, kind) {
            (Some(expected), RuleKind::Term) if r.suggestions.is_empty() => {
                vec![expected.clone()].into()
            }
            _ => r.suggestions.clone().into(),
        },
        fix,
        explanation: r.explanation.clone(),
        bad: examples(&r.bad),
        good: examples(&r.good),
    })
}

/// A claim rule's `[rules.claim]`, compiled; problems when a claim rule
/// lacks one or another rule has one.
fn claim_spec(
    r: &RawRule,
    kind: RuleKind,
    expand: &Expand<'_>,
    problems: &mut Vec<Problem>,
) -> Option<ClaimSpec> {
    let id = r.id.get_ref();
    let Some(raw) = &r.claim else {
        if kind == RuleKind::Claim {
            problems.push(
                Problem::new(
                    format!("claim rule `{id}` needs a `[rules.claim]` table"),
                    Some(r.id.span()),
                )
                .with_note("it says which verbs, frames, terms or platforms make a claim of the rule's names"),
            );
        }
        return None;
    };
    if kind != RuleKind::Claim {
        problems.push(
            Problem::new(
                format!("`[rules.claim]` is for claim rules, and rule `{id}` is not one"),
                Some(raw.span()),
            )
            .with_note("write `kind = \"claim\"`"),
        );
        return None;
    }
    let raw = raw.get_ref();
    let what = |field: &str| format!("in `{field}` of claim rule `{id}`");
    let list =
        |items: &[Spanned<String>], field: &str, problems: &mut Vec<Problem>| -> Vec<String> {
            items
                .iter()
                .flat_map(|p| expand(p, &what(field), problems).unwrap_or_default())
                .collect()
        };
    let one =
        |p: &Option<Spanned<String>>, field: &str, problems: &mut Vec<Problem>| -> Vec<String> {
            p.as_ref()
                .and_then(|p| expand(p, &what(field), problems))
                .unwrap_or_default()
        };
    let mut verbs = Vec::new();
    for (items, field, milder) in [
        (&raw.verbs, "verbs", true),
        (&raw.model_verbs, "model-verbs", false),
    ] {
        for item in items.iter() {
            let written = item.get_ref().trim();
            // "route {to|into} _": the object comes after the particle.
            let (written, object_last) = match written.strip_suffix('_') {
                Some(w) => (w.trim_end(), true),
                None => (written, false),
            };
            let (lemma, rest) = written.split_once(' ').unwrap_or((written, ""));
            if lemma.is_empty() || !lemma.chars().all(|c| c.is_alphabetic() || c == '-') {
                problems.push(Problem::new(
                    format!(
                        "{}: `{written}` must start with a verb's base form (a word)",
                        what(field)
                    ),
                    Some(item.span()),
                ));
                continue;
            }
            let particles = if rest.trim().is_empty() {
                Vec::new()
            } else {
                // The lemma leads, so particles that are all optional
                // ("call [on|into]") expand too.
                let whole = Spanned::new(item.span(), format!("{lemma} {}", rest.trim()));
                expand(&whole, &what(field), problems)
                    .unwrap_or_default()
                    .iter()
                    .map(|l| normalize(l))
                    .map(|l| l.get(lemma.len()..).unwrap_or_default().trim().to_string())
                    .collect()
            };
            verbs.push((lemma.to_lowercase(), particles, milder, object_last));
        }
    }
    let mut frames = Vec::new();
    for item in &raw.frames {
        let written = item.get_ref();
        let Some((before, after)) = written.split_once('_').filter(|(_, a)| !a.contains('_'))
        else {
            problems.push(Problem::new(
                format!(
                    "{}: `{written}` must hold one `_` where the object stands",
                    what("frames")
                ),
                Some(item.span()),
            ));
            continue;
        };
        let side = |text: &str, problems: &mut Vec<Problem>| -> Vec<String> {
            if text.trim().is_empty() {
                return Vec::new();
            }
            let text = Spanned::new(item.span(), text.trim().to_string());
            expand(&text, &what("frames"), problems)
                .unwrap_or_default()
                .iter()
                .map(|l| normalize(l))
                .collect()
        };
        let (b, a) = (side(before, problems), side(after, problems));
        if b.is_empty() && a.is_empty() {
            problems.push(Problem::new(
                format!(
                    "{}: `{written}` has no words around its `_`",
                    what("frames")
                ),
                Some(item.span()),
            ));
            continue;
        }
        frames.push((written.clone(), b, a));
    }
    let milder = raw.milder.as_ref().map(|m| {
        let m = m.get_ref();
        let names = expand(&m.pattern, &what("milder"), problems).unwrap_or_default();
        let safe = m
            .safe
            .as_ref()
            .and_then(|p| expand(p, &what("milder.safe"), problems))
            .unwrap_or_default();
        (
            names,
            Milder {
                severity: m.severity,
                suggestions: m.suggestions.clone().into(),
                safe: safe
                    .iter()
                    .map(|l| crate::claims::words(&normalize(l)))
                    .filter(|w| !w.is_empty())
                    .collect(),
            },
        )
    });
    let norm = |v: Vec<String>| v.iter().map(|l| normalize(l)).collect::<Vec<_>>();
    let mut spec = ClaimSpec::new(ClaimSource {
        verbs,
        frames,
        near: norm(list(&raw.near, "near", problems)),
        platforms: norm(one(&raw.platforms, "platforms", problems)),
        actors: norm(one(&raw.actors, "actors", problems)),
        milder: milder.as_ref().map(|(_, m)| m.clone()),
    });
    spec.owner_names = one(&raw.owner, "owner", problems);
    spec.milder_names = milder.map(|(n, _)| n).unwrap_or_default();
    if spec.is_empty() {
        problems.push(Problem::new(
            format!("claim rule `{id}` has no verbs, frames, near terms or platforms"),
            Some(r.id.span()),
        ));
    }
    Some(spec)
}

/// A rule's fix and whether it matches with its case as written. A term
/// rule's fix is its `expected` form, and it is always case-sensitive: the
/// wrong forms differ from the right one in case or spacing only.
fn replacement(
    r: &RawRule,
    kind: RuleKind,
    cased: Option<&[String]>,
    problems: &mut Vec<Problem>,
) -> (Option<String>, bool) {
    let id = r.id.get_ref();
    let case_sensitive = r.case_sensitive.as_ref().is_some_and(|c| *c.get_ref());
    if kind != RuleKind::Term {
        if let Some(expected) = &r.expected {
            problems.push(
                Problem::new(
                    format!("`expected` is for term rules, and rule `{id}` is not one"),
                    Some(expected.span()),
                )
                .with_note(
                    "write `kind = \"term\"`, or `fix = \"…\"` for a phrase rule's replacement",
                ),
            );
        }
        return (r.fix.as_ref().map(|f| f.get_ref().clone()), case_sensitive);
    }
    if let Some(fix) = &r.fix {
        problems.push(Problem::new(
            format!("term rule `{id}` replaces its matches with `expected`; it takes no `fix`"),
            Some(fix.span()),
        ));
    }
    if let Some(c) = r.case_sensitive.as_ref().filter(|c| !*c.get_ref()) {
        problems.push(Problem::new(
            format!("term rule `{id}` always matches its wrong forms with their case as written"),
            Some(c.span()),
        ));
    }
    let Some(expected) = &r.expected else {
        problems.push(Problem::new(
            format!("term rule `{id}` needs `expected`, the spelling to write instead"),
            Some(r.id.span()),
        ));
        return (None, true);
    };
    let right = expected.get_ref();
    if right.trim().is_empty() {
        problems.push(Problem::new(
            format!("term rule `{id}` has an empty `expected`"),
            Some(expected.span()),
        ));
    }
    let right_norm = normalize_cased(right);
    if let Some(same) = cased
        .unwrap_or_default()
        .iter()
        .find(|lit| **lit == right_norm)
    {
        problems.push(
            Problem::new(
                format!("the pattern of term rule `{id}` matches its expected form `{same}`"),
                Some(r.pattern.span()),
            )
            .with_note(
                "list only the wrong forms: the rule would replace the right one with itself",
            ),
        );
    }
    (Some(right.clone()), true)
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
