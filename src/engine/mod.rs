//! Matching: one compiled automaton for every phrase of every policy.
//!
//! [`Linter`] is built once per run from the loaded policies. It expands
//! nothing at check time: every rule pattern, approved phrase and context
//! pattern is a literal of a single Aho-Corasick automaton, scanned once
//! over each prose block. Before any extraction, a prefilter searches the
//! raw text for one distinctive word of every rule literal; a file without
//! any is proven clean without being parsed.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use std::collections::HashMap;

use std::sync::Arc;

mod examples;
mod prefilter;

pub use examples::check_examples;

use prefilter::Prefilter;

use crate::Error;
use crate::finding::{Applicability, Finding, Fix, Severity, Span};
use crate::policy::{Policy, Rule};
use crate::resolve::{ContextSpec, Hit, HitKind, RuleSpec, resolve};
use crate::source::{Block, ExtractOptions, Format, Source, collapse_whitespace};
use crate::suppress::{self, Directive, Suppressions};

/// One source's findings after suppression directives, and what the
/// directives did.
#[derive(Debug, Default)]
pub struct Checked {
    pub findings: Vec<Finding>,
    /// Directives that suppressed nothing.
    pub unused: Vec<Directive>,
    /// Directives naming a rule no loaded policy has, with that name.
    pub unknown: Vec<(Directive, String)>,
}

/// The compiled policies, ready to check sources.
pub struct Linter {
    policies: Vec<Policy>,
    /// Every rule of every policy, in policy order then file order.
    rules: Vec<(usize, Rule)>,
    specs: Vec<RuleSpec>,
    automaton: AhoCorasick,
    /// For each automaton pattern, its uses: `uses[use_starts[p]..use_starts[p + 1]]`.
    uses: Vec<HitKind>,
    use_starts: Vec<usize>,
    prefilter: Option<Prefilter>,
    extract: ExtractOptions,
}

impl Linter {
    /// Compiles `policies` with each rule's own severity.
    pub fn new(policies: Vec<Policy>) -> Result<Linter, Error> {
        Linter::with_overrides(policies, &HashMap::new())
    }

    /// Compiles `policies`; `overrides` maps a rule id to the severity to
    /// use instead of its own, or to `None` to turn the rule off.
    pub fn with_overrides(
        policies: Vec<Policy>,
        overrides: &HashMap<String, Option<Severity>>,
    ) -> Result<Linter, Error> {
        check_unique_ids(&policies)?;
        let mut rules = Vec::new();
        let mut specs = Vec::new();
        for (p, policy) in policies.iter().enumerate() {
            for rule in &policy.rules {
                let severity = match overrides.get(&*rule.id) {
                    Some(None) => continue,
                    Some(Some(s)) => *s,
                    None => rule.severity,
                };
                let mut rule = rule.clone();
                // An override sets the rule's severity whether or not its
                // context holds.
                let overridden = overrides.contains_key(&*rule.id);
                let context = rule.context.as_ref().map(|c| ContextSpec {
                    after: c.after,
                    severity: if overridden { None } else { c.severity },
                    required: c.required,
                });
                rule.severity = severity;
                specs.push(RuleSpec {
                    policy: p,
                    kind: rule.kind,
                    severity,
                    context,
                });
                rules.push((p, rule));
            }
        }

        let mut table = LiteralTable::default();
        for (r, (_, rule)) in rules.iter().enumerate() {
            for lit in &rule.literals {
                table.add(lit, HitKind::Rule(r));
            }
            for lit in rule.context.iter().flat_map(|c| &c.literals) {
                table.add(lit, HitKind::Context(r));
            }
        }
        for (p, policy) in policies.iter().enumerate() {
            for lit in &policy.approved {
                table.add(lit, HitKind::Approved(p));
            }
        }
        let LiteralTable { literals, uses, .. } = table;

        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&literals)
            .or_else(|_| AhoCorasick::new(&literals))
            .map_err(|e| Error::Automaton {
                policies: policies.iter().map(|p| p.origin.clone()).collect(),
                message: e.to_string(),
            })?;
        let mut use_starts = vec![0];
        let mut flat = Vec::new();
        for u in uses {
            flat.extend(u);
            use_starts.push(flat.len());
        }
        let prefilter = Prefilter::new(rules.iter().map(|(_, r)| r));
        Ok(Linter {
            policies,
            rules,
            specs,
            automaton,
            uses: flat,
            use_starts,
            prefilter,
            extract: ExtractOptions::default(),
        })
    }

    /// Extracts prose with `options` (whether Markdown code is checked).
    pub fn with_extract_options(mut self, options: ExtractOptions) -> Linter {
        self.extract = options;
        self
    }

    /// What extraction treats as prose, and its limits.
    pub fn extract_options(&self) -> ExtractOptions {
        self.extract
    }

    /// The loaded policies.
    pub fn policies(&self) -> &[Policy] {
        &self.policies
    }

    /// The active rules, in order, with the index of their policy.
    pub fn rules(&self) -> impl Iterator<Item = (&Policy, &Rule)> {
        self.rules.iter().map(|(p, r)| (&self.policies[*p], r))
    }

    /// Whether `text` may contain a finding; `false` proves it has none.
    pub fn may_match(&self, text: &[u8]) -> bool {
        self.prefilter.as_ref().is_none_or(|p| p.may_match(text))
    }

    /// Checks one source; findings are ordered by position.
    pub fn check(&self, source: &Source) -> Vec<Finding> {
        self.check_full(source).findings
    }

    /// Checks one source and applies its suppression directives, reporting
    /// what they did beside the findings kept.
    pub fn check_full(&self, source: &Source) -> Checked {
        let mut findings = Vec::new();
        if self.may_match(source.text().as_bytes()) {
            let mut hits = Vec::new();
            source.for_each_block_with(self.extract, &mut |block| {
                self.check_block(source.text(), block, &mut hits, &mut findings)
            });
            findings.sort_by_key(|f| (f.span, f.rule.clone()));
        }
        let markdown = matches!(
            source.format(),
            Format::Markdown | Format::Mdx | Format::Html
        );
        let directives = suppress::parse(source.text(), markdown);
        if directives.is_empty() {
            return Checked {
                findings,
                unused: Vec::new(),
                unknown: Vec::new(),
            };
        }
        let mut suppressions = Suppressions::new(source.text(), directives);
        findings.retain(|f| !suppressions.suppresses(&f.rule, f.span.range()));
        let known: Vec<&str> = self
            .policies
            .iter()
            .flat_map(|p| p.rules.iter().map(|r| &*r.id))
            .collect();
        Checked {
            findings,
            unused: suppressions.unused().into_iter().cloned().collect(),
            unknown: suppressions
                .unknown_rules(&known)
                .into_iter()
                .map(|(d, rule)| (d.clone(), rule.to_string()))
                .collect(),
        }
    }

    /// Checks a piece of plain text, as a rule example is checked.
    pub fn check_text(&self, text: &str) -> Vec<Finding> {
        self.check(&Source::new("<example>", text, Format::Text))
    }

    fn check_block(
        &self,
        source: &str,
        block: &Block,
        hits: &mut Vec<Hit>,
        findings: &mut Vec<Finding>,
    ) {
        let text = block.text.as_str();
        hits.clear();
        let mut any_rule = false;
        for m in self.automaton.find_overlapping_iter(text) {
            let (start, end) = (m.start(), m.end());
            let before = text[..start].chars().next_back();
            let after = text[end..].chars().next();
            if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric)
            {
                continue;
            }
            let p = m.pattern().as_usize();
            for &kind in &self.uses[self.use_starts[p]..self.use_starts[p + 1]] {
                any_rule |= matches!(kind, HitKind::Rule(_));
                hits.push(Hit { kind, start, end });
            }
        }
        if !any_rule {
            return;
        }
        for r in resolve(&self.specs, hits, text) {
            let rule = &self.rules[r.rule].1;
            let range = block.source_range(r.start..r.end);
            let matched = collapse_whitespace(&source[range.clone()]);
            let message = if rule.message.contains("{matched}") {
                let written = block.source_text(source, r.start..r.end);
                Arc::from(rule.message.replace("{matched}", &written))
            } else {
                rule.message.clone()
            };
            let span = Span::new(range.start, range.end);
            // A replacement over markup would drop it: no fix then.
            let plain = !source[range].contains(['*', '_', '`', '[', ']', '<', '>', '\\', '&']);
            let fix = (rule.fix.as_ref())
                .filter(|_| plain)
                .map(|to| Fix::replace(span, to, Applicability::Unsafe));
            findings.push(Finding {
                rule: rule.id.clone(),
                severity: r.severity,
                message,
                span,
                matched,
                suggestions: rule.suggestions.clone(),
                fix,
                unit: block.unit,
            });
        }
    }
}

/// Checks that no rule id is used by two of `policies`; the error points
/// at the second definition and names the first.
fn check_unique_ids(policies: &[Policy]) -> Result<(), Error> {
    let mut seen: HashMap<&str, (&Policy, &Rule)> = HashMap::new();
    for policy in policies {
        for rule in &policy.rules {
            if let Some((first_policy, first)) = seen.insert(&rule.id, (policy, rule)) {
                let problem = crate::policy::Problem::new(
                    format!("rule id `{}` is already defined by another policy", rule.id),
                    rule.id_span.clone(),
                )
                .with_note(format!(
                    "first defined at {}",
                    first_policy.rule_location(first)
                ))
                .with_note("rule ids must be unique across the loaded policies; rename one, or turn one off in copylint.toml");
                return Err(Error::DuplicateRule {
                    id: rule.id.to_string(),
                    error: crate::policy::PolicyError {
                        origin: policy.origin.clone(),
                        text: policy.text.to_string(),
                        problems: vec![problem],
                    },
                });
            }
        }
    }
    Ok(())
}

/// The automaton's literals, each with what its matches stand for.
#[derive(Default)]
struct LiteralTable {
    literals: Vec<String>,
    uses: Vec<Vec<HitKind>>,
    ids: HashMap<String, usize>,
}

impl LiteralTable {
    fn add(&mut self, literal: &str, kind: HitKind) {
        let id = *self.ids.entry(literal.to_string()).or_insert_with(|| {
            self.literals.push(literal.to_string());
            self.uses.push(Vec::new());
            self.literals.len() - 1
        });
        if !self.uses[id].contains(&kind) {
            self.uses[id].push(kind);
        }
    }
}
