//! Matching: one compiled automaton for every phrase of every policy.
//!
//! [`Linter`] is built once per run from the loaded policies. It expands
//! nothing at check time: every rule pattern, approved phrase and context
//! pattern is a literal of a single Aho-Corasick automaton (built when the
//! first block is matched, see [`automaton`]), scanned once over each
//! prose block. Before any extraction, a prefilter searches the
//! raw text, chunk by chunk, for the distinctive words of every rule
//! literal: a file where no chunk has them is proven clean without being
//! parsed, and in the others only the blocks in chunks that have them are
//! normalized and matched.

use std::collections::HashMap;
use std::ops::Range;

use std::sync::Arc;

mod anchors;
mod automaton;
mod casing;
mod examples;
mod prefilter;
mod version;

pub use examples::{check_examples, load_policy};
pub use version::literal_matches;

use automaton::Automaton;
use prefilter::Prefilter;

use crate::Error;
use crate::claims::NameKind;
use crate::finding::{Applicability, Finding, Fix, Severity, Span};
use crate::policy::{Policy, Rule, RuleKind, VERSION};
use crate::resolve::{BlockContext, ContextSpec, Hit, HitKind, Resolved, RuleSpec, resolve};
use crate::source::{Block, ExtractOptions, Format, Scope, Source, collapse_whitespace};
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
    automaton: Automaton,
    /// For each automaton pattern, its uses: `uses[use_starts[p]..use_starts[p + 1]]`.
    uses: Vec<Use>,
    /// The text after each version of a literal with versions.
    tails: Vec<Vec<String>>,
    /// Written forms of phrases whose case matters.
    forms: Vec<Vec<String>>,
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
                    case_sensitive: rule.case_sensitive,
                    claim: rule.claim.clone(),
                });
                rules.push((p, rule));
            }
        }

        let table = LiteralTable::new(&rules, &policies);
        let LiteralTable {
            literals,
            uses,
            tails,
            forms,
            ..
        } = table;

        let origins: Vec<String> = policies.iter().map(|p| p.origin.clone()).collect();
        let automaton = Automaton::new(literals, &origins)?;
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
            tails,
            forms,
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

    /// Whether `source` may contain a finding, judged from its raw text;
    /// `false` proves it has none.
    pub fn may_match(&self, source: &Source) -> bool {
        self.scope(source).is_none_or(|parts| !parts.is_empty())
    }

    /// The parts of `source` that may hold a finding, judged chunk by chunk
    /// from the raw text (a match and its context never leave the chunk
    /// they are in, see [`Source::for_each_chunk`]): `None` when there is
    /// no prefilter, empty when no part may.
    fn scope(&self, source: &Source) -> Option<Vec<Range<usize>>> {
        let prefilter = self.prefilter.as_ref()?;
        // Documents are extracted text: no markup is left in them.
        let markup = matches!(
            source.format(),
            Format::Markdown | Format::Mdx | Format::Html
        );
        let text = source.text().as_bytes();
        let anchors = prefilter.anchors(text, markup);
        let mut parts = Vec::new();
        if anchors.is_empty() {
            return Some(parts);
        }
        let mut found = prefilter.found();
        source.for_each_chunk(self.extract, |chunk| {
            let first = anchors.partition_point(|&a| a < chunk.start);
            if anchors.get(first).is_some_and(|&a| a < chunk.end)
                && prefilter.chunk_may_match(&text[chunk.clone()], markup, &mut found)
            {
                parts.push(chunk);
            }
        });
        Some(parts)
    }

    /// Checks one source in full, without the prefilter: what the prefilter
    /// must never change.
    pub fn check_unfiltered(&self, source: &Source) -> Vec<Finding> {
        self.checked(source, false).findings
    }

    /// Checks one source; findings are ordered by position.
    pub fn check(&self, source: &Source) -> Vec<Finding> {
        self.check_full(source).findings
    }

    /// Checks one source and applies its suppression directives, reporting
    /// what they did beside the findings kept.
    pub fn check_full(&self, source: &Source) -> Checked {
        self.checked(source, true)
    }

    fn checked(&self, source: &Source, prefilter: bool) -> Checked {
        let parts = if prefilter { self.scope(source) } else { None };
        let may_have_directives = suppress::may_have_directives(source.text());
        let (mut findings, code) = match &parts {
            Some(parts) if parts.is_empty() => (Vec::new(), None),
            _ => {
                let mut scope = parts.as_deref().map_or(Scope::ALL, Scope::only);
                if !may_have_directives {
                    // Directives need every code range; findings do not.
                    scope = scope.prose_only();
                }
                let (findings, code) = self.findings(source, scope);
                (findings, Some(code))
            }
        };
        let markdown = matches!(
            source.format(),
            Format::Markdown | Format::Mdx | Format::Html
        );
        let directives = if may_have_directives {
            // A file the prefilter ruled out is read only for its code.
            let code =
                code.unwrap_or_else(|| source.for_each_block_with(self.extract, &mut |_| {}));
            suppress::parse(source.text(), markdown, &code)
        } else {
            Vec::new()
        };
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

    /// Every finding of `source` in the blocks that start in `scope`,
    /// ordered by position, and the ranges its reader calls code.
    fn findings(&self, source: &Source, scope: Scope) -> (Vec<Finding>, Vec<Range<usize>>) {
        let mut findings = Vec::new();
        let mut hits = Vec::new();
        let code = source.for_each_block_where(self.extract, scope, &mut |block| {
            self.check_block(source.text(), block, &mut hits, &mut findings)
        });
        findings.sort_by_key(|f| (f.span, f.rule.clone()));
        // Two readings of one cell can land on the same span.
        findings.dedup_by(|a, b| a.rule == b.rule && a.span == b.span);
        if !crate::fix::rewrites(source.format()) {
            // Files copylint never rewrites show their fixes, never apply them.
            for fix in findings.iter_mut().filter_map(|f| f.fix.as_mut()) {
                fix.applicability = Applicability::Display;
            }
        }
        (findings, code)
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
        // A table cell's claims are read with its row's label and its
        // column's header before it ("gpt-oss-120b | Bedrock access | ✅"):
        // only claim names are taken from them.
        let prefix = match &block.row {
            Some(row) => format!("{row}, {}, ", block.column.as_deref().unwrap_or_default()),
            None => String::new(),
        };
        let plen = prefix.len();
        let joined;
        let text = if plen == 0 {
            block.text.as_str()
        } else {
            joined = prefix + &block.text;
            joined.as_str()
        };
        hits.clear();
        let mut any_rule = false;
        for m in self.automaton.get().find_overlapping_iter(text) {
            let start = m.start();
            if text[..start]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
            {
                continue;
            }
            let p = m.pattern().as_usize();
            for u in &self.uses[self.use_starts[p]..self.use_starts[p + 1]] {
                let end = match u.tail {
                    None => m.end(),
                    Some(_) if !text.as_bytes().get(m.end()).is_some_and(u8::is_ascii_digit) => {
                        continue;
                    }
                    Some(t) => match version::match_tail(text, m.end() + 1, &self.tails[t]) {
                        Some(end) => end,
                        None => continue,
                    },
                };
                if text[end..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric)
                {
                    continue;
                }
                if start < plen && !matches!(u.kind, HitKind::Name(..)) {
                    continue;
                }
                // A model's id in inline code is read by claim rules only.
                if !matches!(u.kind, HitKind::Name(..))
                    && block
                        .code
                        .iter()
                        .any(|c| start < c.end + plen && end > c.start + plen)
                {
                    continue;
                }
                let cased = u.forms.is_none_or(|f| {
                    start >= plen
                        && self.forms[f]
                            .iter()
                            .any(|form| casing::matches(form, block, source, start - plen))
                });
                if !cased && !matches!(u.kind, HitKind::Approved(_)) {
                    continue;
                }
                any_rule |= matches!(u.kind, HitKind::Rule(_) | HitKind::Name(..));
                hits.push(Hit {
                    kind: u.kind,
                    start,
                    end,
                    cased,
                });
            }
        }
        if !any_rule {
            return;
        }
        let upper = |norm: usize| {
            norm >= plen
                && casing::source_char(block, source, norm - plen).is_some_and(char::is_uppercase)
        };
        let written = |r: Range<usize>| {
            if r.start >= plen {
                block.source_text(source, r.start - plen..r.end - plen)
            } else {
                text[r].to_string()
            }
        };
        let context = BlockContext {
            written: Some(&written),
            column: block.column.as_deref(),
            // A header labels the cells below it; a cell read with its
            // row's label is denied by any negation of its own ("It isn't.").
            denies: block.heading
                || (block.column.is_some() && denies(&block.text))
                || (block.row.is_some() && negates(&block.text))
                || (block.row.is_none()
                    && block
                        .column
                        .as_deref()
                        .is_some_and(|c| row_denies(c, &block.row_cells))),
            row_cells: &block.row_cells,
            label: block.column.is_some() && block.row.is_none() && !block.heading,
            row_label: block.row.as_deref(),
            cell: plen > 0,
        };
        let resolution = resolve(&self.specs, hits, text, &upper, context);
        let text = block.text.as_str();
        for mut r in resolution.kept {
            if plen > 0 {
                // Back to the cell: a claim read wholly in the headers
                // stands on the whole cell.
                let cell = |at: usize| at.saturating_sub(plen);
                if r.end <= plen {
                    (r.start, r.end) = (0, text.len());
                } else {
                    (r.start, r.end) = (cell(r.start), cell(r.end));
                }
                r.sentence = (0, text.len());
            }
            let rule = &self.rules[r.rule].1;
            let range = block.source_range(r.start..r.end);
            let matched = collapse_whitespace(&source[range.clone()]);
            let message = if rule.template.uses_matched() {
                let written = block.source_text(source, r.start..r.end);
                Arc::from(rule.template.render(&written))
            } else {
                rule.message.clone()
            };
            let span = Span::new(range.start, range.end);
            // A replacement over markup would drop it: no fix then.
            let plain =
                || !source[range.clone()].contains(['*', '_', '`', '[', ']', '<', '>', '\\', '&']);
            let applicability = match rule.kind {
                RuleKind::Term => Applicability::Safe,
                _ => Applicability::Unsafe,
            };
            let fix = (rule.fix.as_ref())
                .filter(|_| plain())
                .map(|to| Fix::replace(span, to, applicability));
            let (context, context_match) = sentence_of(source, block, &r);
            findings.push(Finding {
                rule: rule.id.clone(),
                severity: r.severity,
                message,
                span,
                matched,
                suggestions: match (r.claim, &rule.claim) {
                    (Some(c), Some(spec)) if resolution.milder[c] => spec
                        .milder
                        .as_ref()
                        .map_or_else(|| rule.suggestions.clone(), |m| m.suggestions.clone()),
                    _ => rule.suggestions.clone(),
                },
                fix,
                context,
                context_match,
                unit: block.unit,
                claim: r.claim.map(|c| Arc::new(resolution.claims[c].clone())),
            });
        }
    }
}

/// Whether a table cell's text denies its row: it is empty or a dash, or
/// opens with "no", "not", "none", "n/a" or a cross.
fn denies(cell: &str) -> bool {
    let cell = cell.trim();
    let first = cell
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | '-' | '—'))
        .next()
        .unwrap_or_default();
    let idiom = ["not any more", "not anymore", "no longer"]
        .iter()
        .any(|i| cell.starts_with(i));
    if idiom {
        return false;
    }
    cell.chars().all(|c| matches!(c, '-' | ' ' | '—' | '–'))
        || ["no", "not", "none", "n/a", "na", "❌", "✗", "✘", "🚫"].contains(&first)
}

/// Whether every other cell of a row denies it: the label of "| Direct
/// calls to GPT-5 | No |" says what is not offered. `headers` are the
/// table's, joined by " | "; `cells` the row's, each after its header.
fn row_denies(headers: &str, cells: &str) -> bool {
    let headers: Vec<&str> = headers.split(" | ").collect();
    let others: Vec<&str> = cells
        .split(';')
        .enumerate()
        .skip(1)
        .filter_map(|(i, cell)| {
            let cell = cell.trim();
            let header = headers.get(i).map_or("", |h| h.trim());
            let text = cell.strip_prefix(header).unwrap_or(cell).trim();
            (!text.is_empty()).then_some(text)
        })
        .collect();
    !others.is_empty() && others.iter().all(|c| denies(c))
}

/// Whether a cell's first clause holds a negation ("It isn't."), not
/// one that says a need is gone ("You don't need to be anymore").
fn negates(cell: &str) -> bool {
    let first = cell
        .split(['.', ';', '—', '-', ':'])
        .next()
        .unwrap_or_default();
    let words: Vec<&str> = crate::language::tokenize(first, 0..first.len())
        .iter()
        .map(|t| &first[t.start..t.end])
        .collect();
    !words
        .iter()
        .any(|w| ["anymore", "longer", "more", "need", "needs"].contains(w))
        && words
            .iter()
            .any(|w| crate::language::lexicon::NEGATORS.contains(w))
}

/// The sentence around `r` as a reader sees it, and where the match lies
/// in it.
fn sentence_of(source: &str, block: &Block, r: &Resolved) -> (String, Span) {
    let text = block.text.as_str();
    let (from, to) = r.sentence;
    let from = from + (text[from..r.start].len() - text[from..r.start].trim_start().len());
    let to = to - (text[r.end..to].len() - text[r.end..to].trim_end().len());
    let context = block.source_text(source, from..to);
    let before = block.source_text(source, from..r.start);
    let matched = block.source_text(source, r.start..r.end);
    // `source_text` trims each piece, so find the match after the words
    // before it rather than adding lengths.
    let mut start = before.trim_end().len().min(context.len());
    while !context.is_char_boundary(start) {
        start -= 1;
    }
    let found = context[start..]
        .find(matched.as_str())
        .map(|i| start + i)
        .or_else(|| context.find(matched.as_str()));
    let span = match found {
        Some(i) => Span::new(i, i + matched.len()),
        None => Span::new(0, 0),
    };
    (context, span)
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

/// What a match of an automaton literal stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Use {
    kind: HitKind,
    /// For a literal with versions: index of the text after each version.
    tail: Option<usize>,
    /// For a phrase whose case matters: index of its written forms.
    forms: Option<usize>,
}

/// The automaton's literals, each with what its matches stand for.
#[derive(Default)]
struct LiteralTable {
    literals: Vec<String>,
    uses: Vec<Vec<Use>>,
    ids: HashMap<String, usize>,
    tails: Vec<Vec<String>>,
    tail_ids: HashMap<Vec<String>, usize>,
    forms: Vec<Vec<String>>,
    /// (literal id, kind, tail) to the index of its written forms.
    form_ids: HashMap<(usize, HitKind, Option<usize>), usize>,
}

impl LiteralTable {
    /// The literals of every rule, context and approved phrase.
    fn new(rules: &[(usize, Rule)], policies: &[Policy]) -> LiteralTable {
        let mut table = LiteralTable::default();
        for (r, (_, rule)) in rules.iter().enumerate() {
            if let Some(claim) = &rule.claim {
                let kinds = [
                    (&rule.cased, NameKind::Object),
                    (&claim.owner_names, NameKind::Owner),
                    (&claim.milder_names, NameKind::Milder),
                ];
                for (names, kind) in kinds {
                    for lit in names {
                        table.add(lit, HitKind::Name(r, kind), rule.case_sensitive);
                    }
                }
                continue;
            }
            for lit in &rule.cased {
                table.add(lit, HitKind::Rule(r), rule.case_sensitive);
            }
            if let Some(c) = &rule.context {
                for lit in &c.cased {
                    table.add(lit, HitKind::Context(r), c.case_sensitive);
                }
            }
        }
        for (p, policy) in policies.iter().enumerate() {
            for lit in &policy.approved_cased {
                table.add(lit, HitKind::Approved(p), true);
            }
        }
        table
    }

    /// Adds the phrase `cased` (normalized, case as written) standing for
    /// `kind`; `keep_case` records its written form for checking case.
    fn add(&mut self, cased: &str, kind: HitKind, keep_case: bool) {
        let literal = crate::source::normalize(cased);
        match literal.split_once(VERSION) {
            None => self.add_literal(&literal, kind, None, keep_case.then_some(cased)),
            Some((head, rest)) => {
                // The automaton finds the name; a digit must follow it.
                let tail: Vec<String> = rest.split(VERSION).map(str::to_string).collect();
                let next = self.tails.len();
                let t = *self.tail_ids.entry(tail.clone()).or_insert(next);
                if t == next {
                    self.tails.push(tail);
                }
                self.add_literal(head, kind, Some(t), keep_case.then_some(cased));
            }
        }
    }

    fn add_literal(
        &mut self,
        literal: &str,
        kind: HitKind,
        tail: Option<usize>,
        form: Option<&str>,
    ) {
        let id = *self.ids.entry(literal.to_string()).or_insert_with(|| {
            self.literals.push(literal.to_string());
            self.uses.push(Vec::new());
            self.literals.len() - 1
        });
        let forms = form.map(|form| {
            let next = self.forms.len();
            let f = *self.form_ids.entry((id, kind, tail)).or_insert(next);
            if f == next {
                self.forms.push(Vec::new());
            }
            if !self.forms[f].iter().any(|x| x == form) {
                self.forms[f].push(form.to_string());
            }
            f
        });
        let u = Use { kind, tail, forms };
        if !self.uses[id].contains(&u) {
            self.uses[id].push(u);
        }
    }
}
