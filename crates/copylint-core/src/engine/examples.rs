//! Rule examples: every rule must fire on each of its `bad` examples and
//! stay silent on each of its `good` ones, checked whenever a policy file
//! loads. It lives with the matcher because it needs a [`Linter`].
//!
//! This catches the rule that can never match (a typo in a pattern, a set
//! that normalizes differently than expected) and the rule that fires on
//! the very wording it recommends.

use super::Linter;
use crate::policy::{Policy, PolicyError, Problem, Rule};
use crate::source::normalize;

/// Loads a policy file and checks its examples, reporting every problem in
/// one error: those of the rules that did not compile and the failing
/// examples of those that did.
pub fn load_policy(origin: &str, text: &str) -> Result<Policy, crate::Error> {
    let (policy, mut problems) = Policy::compile(origin, text);
    if let Some(policy) = &policy {
        let linter = Linter::new(vec![policy.clone()])?;
        problems.extend(self::problems(&linter, policy));
        problems.sort_by_key(|p| p.span.as_ref().map(|s| s.start));
    }
    match policy {
        Some(policy) if problems.is_empty() => Ok(policy),
        _ => Err(crate::Error::Policy(PolicyError {
            origin: origin.to_string(),
            text: text.to_string(),
            problems,
        })),
    }
}

/// When `rule` fires on `example` once the approved phrases are set aside:
/// a note naming the approved phrases that swallow its match.
fn swallowed(policy: &Policy, rule: &Rule, example: &str) -> Option<String> {
    let bare = Policy {
        approved: Vec::new(),
        approved_cased: Vec::new(),
        ..policy.clone()
    };
    let linter = Linter::new(vec![bare]).ok()?;
    let found = linter
        .check_text(example)
        .into_iter()
        .find(|f| f.rule == rule.id)?;
    let text = normalize(example);
    let matched = normalize(&found.matched);
    let phrases: Vec<String> = policy
        .approved
        .iter()
        .filter(|a| a.contains(&matched) && text.contains(a.as_str()))
        .map(|a| format!("`{a}`"))
        .collect();
    Some(format!(
        "its match `{}` lies inside the approved phrase {}, which exempts it",
        found.matched,
        if phrases.is_empty() {
            "of this policy".to_string()
        } else {
            phrases.join(", ")
        }
    ))
}

/// Checks every rule of `policy` against its examples; the error lists one
/// problem per failing example.
pub fn check_examples(policy: &Policy) -> Result<(), crate::Error> {
    let linter = Linter::new(vec![policy.clone()])?;
    let problems = problems(&linter, policy);
    if problems.is_empty() {
        return Ok(());
    }
    Err(crate::Error::Policy(PolicyError {
        origin: policy.origin.clone(),
        text: policy.text.to_string(),
        problems,
    }))
}

fn problems(linter: &Linter, policy: &Policy) -> Vec<Problem> {
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
                if let Some(note) = swallowed(policy, rule, &example.text) {
                    p = p.with_note(note);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_policy_passes_its_examples() {
        let policy = Policy::default_policy();
        assert!(
            policy
                .rules
                .iter()
                .all(|r| !r.bad.is_empty() && !r.good.is_empty())
        );
        if let Err(e) = check_examples(&policy) {
            panic!("{e:?}");
        }
    }

    #[test]
    fn a_rule_that_misses_its_bad_example_is_an_error_at_its_line() {
        let text = "name = \"t\"\n[[rules]]\nid = \"r\"\nseverity = \"error\"\nmessage = \"m\"\npattern = \"calls on\"\nexplanation = \"e\"\nbad = [\"it phones home\"]\ngood = [\"fine\"]\n";
        let policy = Policy::load("t.toml", text).expect("the schema is valid");
        let Err(crate::Error::Policy(e)) = check_examples(&policy) else {
            panic!("the bad example must fail");
        };
        let span = e.problems[0].span.clone().expect("the example's place");
        assert_eq!(&text[span], "\"it phones home\"");
    }
}
