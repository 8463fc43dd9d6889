//! The informational commands: `rules`, `explain`, `policy check` and
//! `policy literals`.

use std::io;
use std::path::PathBuf;

use super::{EXIT_CLEAN, EXIT_ERROR, Streams, error, read_policy};
use crate::engine::Linter;
use crate::policy;
use crate::report::{OutputFormat, escape_control};

pub fn rules(linter: &Linter, format: OutputFormat, s: &mut Streams) -> io::Result<u8> {
    if format == OutputFormat::Json {
        let rules: Vec<serde_json::Value> = linter
            .rules()
            .map(|(policy, rule)| {
                serde_json::json!({
                    "id": &*rule.id,
                    "policy": policy.name,
                    "severity": rule.severity,
                    "context_severity": rule.context.as_ref().and_then(|c| c.severity),
                    "pattern": rule.pattern,
                    "message": &*rule.message,
                    "suggestions": &*rule.suggestions,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *s.out, &rules)?;
        writeln!(s.out)?;
        return Ok(EXIT_CLEAN);
    }
    let width = linter.rules().map(|(_, r)| r.id.len()).max().unwrap_or(0);
    for (policy, rule) in linter.rules() {
        writeln!(
            s.out,
            "{:width$}  {:<16}  {}  {}",
            rule.id,
            severity_label(rule),
            policy.name,
            rule.pattern
        )?;
    }
    Ok(EXIT_CLEAN)
}

/// "warning", or "warning/error" for a rule whose context raises it.
fn severity_label(rule: &policy::Rule) -> String {
    match rule.context.as_ref().and_then(|c| c.severity) {
        Some(s) if s != rule.severity => format!("{}/{}", rule.severity, s),
        _ => rule.severity.to_string(),
    }
}

pub fn explain(linter: &Linter, id: &str, s: &mut Streams) -> io::Result<u8> {
    let Some((policy, rule)) = linter.rules().find(|(_, r)| &*r.id == id) else {
        let known: Vec<&str> = linter.rules().map(|(_, r)| &*r.id).collect();
        error(
            s,
            format_args!(
                "unknown rule `{}`; the active rules are: {}",
                escape_control(id),
                known.join(", ")
            ),
        )?;
        return Ok(EXIT_ERROR);
    };
    writeln!(
        s.out,
        "{} ({}) from policy {}",
        rule.id,
        severity_label(rule),
        policy.name
    )?;
    writeln!(s.out)?;
    writeln!(s.out, "{}", rule.explanation.trim())?;
    writeln!(s.out)?;
    writeln!(s.out, "Pattern: {}", rule.pattern)?;
    if let Some(c) = &rule.context {
        let place = if c.after {
            "after the match"
        } else {
            "in the sentence"
        };
        let effect = match (c.required, c.severity) {
            (true, _) => "fires only then".to_string(),
            (false, Some(sev)) => format!("{sev} then"),
            (false, None) => "no change".to_string(),
        };
        writeln!(s.out, "Context: {} {place} ({effect})", c.near)?;
    }
    if !rule.suggestions.is_empty() {
        writeln!(s.out, "Suggestions: {}", rule.suggestions.join("; "))?;
    }
    writeln!(s.out)?;
    writeln!(s.out, "Bad:")?;
    for e in &rule.bad {
        writeln!(s.out, "  {}", e.text)?;
    }
    writeln!(s.out, "Good:")?;
    for e in &rule.good {
        writeln!(s.out, "  {}", e.text)?;
    }
    Ok(EXIT_CLEAN)
}

pub fn policy_check(files: &[PathBuf], s: &mut Streams) -> io::Result<u8> {
    let mut code = EXIT_CLEAN;
    for path in files {
        match read_policy(path, s)? {
            Some(p) => {
                let examples: usize = p.rules.iter().map(|r| r.bad.len() + r.good.len()).sum();
                writeln!(
                    s.out,
                    "{}: ok ({} rules, {} examples checked)",
                    escape_control(&path.to_string_lossy()),
                    p.rules.len(),
                    examples
                )?;
            }
            None => code = EXIT_ERROR,
        }
    }
    Ok(code)
}

pub fn literals(linter: &Linter, s: &mut Streams) -> io::Result<u8> {
    let mut literals: Vec<&str> = linter
        .rules()
        .flat_map(|(_, r)| r.literals.iter().map(String::as_str))
        .collect();
    literals.sort_unstable();
    literals.dedup();
    for literal in literals {
        writeln!(s.out, "{literal}")?;
    }
    Ok(EXIT_CLEAN)
}
