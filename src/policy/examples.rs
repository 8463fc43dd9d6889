//! Rule examples: every rule must fire on each of its `bad` examples and
//! stay silent on each of its `good` ones, checked whenever a policy loads.
//!
//! This catches the rule that can never match (a typo in a pattern, a set
//! that normalizes differently than expected) and the rule that fires on
//! the very wording it recommends.

use super::{Policy, Problem};
use crate::engine::Linter;

/// Returns one problem per failing example.
pub fn check(policy: &Policy) -> Vec<Problem> {
    let linter = Linter::new(vec![policy.clone()]);
    let mut problems = Vec::new();
    for rule in &policy.rules {
        for example in &rule.bad {
            let findings = linter.check_text(&example.text);
            if !findings.iter().any(|f| f.rule == rule.id) {
                let mut p = Problem::new(
                    format!("rule `{}` does not fire on its bad example", rule.id),
                    example.span.clone(),
                );
                for f in findings {
                    p = p.with_note(format!(
                        "rule `{}` took `{}` instead",
                        f.rule,
                        &example.text[f.span.range()]
                    ));
                }
                problems.push(p.with_note(format!("pattern: {}", rule.pattern)));
            }
        }
        for example in &rule.good {
            for f in linter
                .check_text(&example.text)
                .iter()
                .filter(|f| f.rule == rule.id)
            {
                problems.push(Problem::new(
                    format!(
                        "rule `{}` fires on its good example, at `{}`",
                        rule.id,
                        &example.text[f.span.range()]
                    ),
                    example.span.clone(),
                ));
            }
        }
    }
    problems
}
