//! The informational commands: `rules`, `explain`, `policy check` and
//! `policy literals`.

use std::io;
use std::path::PathBuf;

use super::{EXIT_CLEAN, EXIT_ERROR, Streams, error, read_policy, setup};
use crate::cli::{Cli, FailOn};
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

/// `copylint init`: writes a commented starter configuration.
pub fn init(s: &mut Streams) -> io::Result<u8> {
    for name in crate::config::FILE_NAMES {
        if std::path::Path::new(name).exists() {
            error(
                s,
                format_args!("{name} already exists; it was not overwritten"),
            )?;
            return Ok(EXIT_ERROR);
        }
    }
    let name = crate::config::FILE_NAMES[0];
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(name)
        .and_then(|mut f| io::Write::write_all(&mut f, crate::config::STARTER.as_bytes()));
    match written {
        Ok(()) => {
            writeln!(
                s.out,
                "wrote {name}: every setting is commented out; edit it to taste"
            )?;
            Ok(EXIT_CLEAN)
        }
        Err(e) => {
            error(
                s,
                format_args!("cannot write {name}: {}", crate::walk::describe(&e)),
            )?;
            Ok(EXIT_ERROR)
        }
    }
}

/// `copylint config`: the effective configuration and where each part came from.
pub fn show_config(cli: &Cli, s: &mut Streams) -> io::Result<u8> {
    let Some(setup) = setup(&cli.policy, s)? else {
        return Ok(EXIT_ERROR);
    };
    let config = setup.config.as_ref();
    let from = |set: bool, flag: bool| match (flag, set) {
        (true, _) => "command line",
        (false, true) => "configuration file",
        (false, false) => "default",
    };
    match config {
        Some(c) => writeln!(
            s.out,
            "configuration file: {} ({})",
            escape_control(&c.path.to_string_lossy()),
            setup.config_source
        )?,
        None => writeln!(s.out, "configuration file: none ({})", setup.config_source)?,
    }
    writeln!(s.out, "policies:")?;
    for policy in setup.linter.policies() {
        let source = if policy.origin == crate::policy::DEFAULT_POLICY_NAME {
            "embedded"
        } else if cli
            .policy
            .policies
            .iter()
            .any(|p| p.to_string_lossy() == policy.origin)
        {
            "command line"
        } else {
            "configuration file"
        };
        writeln!(
            s.out,
            "  {} — {} rules ({source})",
            escape_control(&policy.origin),
            policy.rules.len()
        )?;
    }
    let fail_on = cli
        .check
        .fail_on
        .or(config.and_then(|c| c.fail_on))
        .unwrap_or(FailOn::Error);
    let fail_on_name = format!("{fail_on:?}").to_lowercase();
    writeln!(
        s.out,
        "fail-on: {fail_on_name} ({})",
        from(
            config.is_some_and(|c| c.fail_on.is_some()),
            cli.check.fail_on.is_some()
        )
    )?;
    let list = |v: Option<&Vec<String>>| {
        v.filter(|v| !v.is_empty())
            .map_or("(none)".to_string(), |v| v.join(", "))
    };
    writeln!(
        s.out,
        "include: {} ({})",
        list(config.map(|c| &c.include)),
        from(config.is_some_and(|c| !c.include.is_empty()), false)
    )?;
    writeln!(
        s.out,
        "exclude: {} ({})",
        list(config.map(|c| &c.exclude)),
        from(config.is_some_and(|c| !c.exclude.is_empty()), false)
    )?;
    let check_code = config.and_then(|c| c.check_code);
    writeln!(
        s.out,
        "check-code: {} ({})",
        check_code.unwrap_or(false),
        from(check_code.is_some(), false)
    )?;
    let extensions = config
        .and_then(|c| c.extensions.clone())
        .unwrap_or_default();
    writeln!(
        s.out,
        "extensions: markdown = {}; text = {} ({})",
        extensions.markdown.join(", "),
        extensions.text.join(", "),
        from(config.is_some_and(|c| c.extensions.is_some()), false)
    )?;
    writeln!(
        s.out,
        "ignore files: {} ({})",
        if cli.check.no_ignore {
            "not respected"
        } else {
            "respected"
        },
        if cli.check.no_ignore {
            "command line"
        } else {
            "default"
        }
    )?;
    writeln!(s.out, "rules:")?;
    for (_, rule) in setup.linter.rules() {
        let setting = config.and_then(|c| c.rules.iter().find(|(id, ..)| id == &*rule.id));
        let source = if setting.is_some() {
            "configuration file"
        } else {
            "policy"
        };
        writeln!(
            s.out,
            "  {:24} {:16} ({source})",
            rule.id,
            severity_label(rule)
        )?;
    }
    for (id, ..) in config.map(|c| c.rules.as_slice()).unwrap_or_default() {
        if !setup.linter.rules().any(|(_, r)| &*r.id == id) {
            writeln!(s.out, "  {id:24} off              (configuration file)")?;
        }
    }
    Ok(EXIT_CLEAN)
}

/// `copylint completions SHELL`.
pub fn completions(shell: clap_complete::Shell, s: &mut Streams) -> io::Result<u8> {
    let mut command = <Cli as clap::CommandFactory>::command();
    clap_complete::generate(shell, &mut command, "copylint", &mut s.out);
    Ok(EXIT_CLEAN)
}

/// `copylint man`.
pub fn man(s: &mut Streams) -> io::Result<u8> {
    let command = <Cli as clap::CommandFactory>::command();
    clap_mangen::Man::new(command).render(&mut s.out)?;
    Ok(EXIT_CLEAN)
}
