//! The informational commands: `rules`, `explain`, `policy check`,
//! `policy literals`, `init`, `config`, `completions` and `man`.

use std::io::Write;
use std::path::PathBuf;

use copylint::config::format_size;
use copylint::error::{Error, did_you_mean};
use copylint::policy;
use copylint::report::{OutputFormat, count, escape_control};

use crate::cli::Cli;
use crate::settings::{LimitSettings, Origin, Settings, read_policy};
use crate::{EXIT_CLEAN, EXIT_ERROR, Outcome, Streams, report_error};

pub fn rules(settings: &Settings, s: &mut Streams) -> Outcome {
    let linter = &settings.linter;
    if settings.output.format == OutputFormat::Json {
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
        serde_json::to_writer_pretty(&mut *s.out, &rules).map_err(std::io::Error::from)?;
        writeln!(s.out)?;
        return Ok(EXIT_CLEAN);
    }
    let rows: Vec<[String; 4]> = linter
        .rules()
        .map(|(policy, rule)| {
            [
                rule.id.to_string(),
                severity_label(rule),
                policy.name.clone(),
                rule.pattern.clone(),
            ]
        })
        .collect();
    let header = ["RULE", "SEVERITY", "POLICY", "PATTERN"].map(String::from);
    let width = |c: usize| {
        rows.iter()
            .chain([&header])
            .map(|r| r[c].chars().count())
            .max()
            .unwrap_or(0)
    };
    let (w0, w1, w2) = (width(0), width(1), width(2));
    for row in [&header].into_iter().chain(&rows) {
        writeln!(
            s.out,
            "{:w0$}  {:w1$}  {:w2$}  {}",
            row[0], row[1], row[2], row[3]
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

pub fn explain(settings: &Settings, id: &str, s: &mut Streams) -> Outcome {
    let linter = &settings.linter;
    let Some((policy, rule)) = linter.rules().find(|(_, r)| &*r.id == id) else {
        let known: Vec<String> = linter.rules().map(|(_, r)| r.id.to_string()).collect();
        return Err(Error::UnknownRule {
            id: id.to_string(),
            suggestion: did_you_mean(id, known.iter().map(String::as_str)),
            known,
        }
        .into());
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
        // A claim rule's example shows the parts it is read as.
        let claims = linter.check_text(&e.text);
        for claim in claims
            .iter()
            .filter(|f| f.rule == rule.id)
            .filter_map(|f| f.claim.as_ref())
        {
            writeln!(s.out, "    claim: {}", claim.describe())?;
        }
    }
    writeln!(s.out, "Good:")?;
    for e in &rule.good {
        writeln!(s.out, "  {}", e.text)?;
    }
    Ok(EXIT_CLEAN)
}

pub fn policy_check(files: &[PathBuf], s: &mut Streams) -> Outcome {
    let mut code = EXIT_CLEAN;
    for path in files {
        match read_policy(path) {
            Ok(p) => {
                let examples: usize = p.rules.iter().map(|r| r.bad.len() + r.good.len()).sum();
                writeln!(
                    s.out,
                    "{}: ok ({}, {} checked)",
                    escape_control(&path.to_string_lossy()),
                    count(p.rules.len(), "rule"),
                    count(examples, "example")
                )?;
            }
            Err(e) => {
                // Every file is checked; each error is reported.
                report_error(&e, s)?;
                code = EXIT_ERROR;
            }
        }
    }
    Ok(code)
}

pub fn literals(settings: &Settings, s: &mut Streams) -> Outcome {
    // A version number is shown as the pattern writes it.
    let mut literals: Vec<String> = settings
        .linter
        .rules()
        .flat_map(|(_, r)| r.literals.iter())
        .map(|l| l.replace(copylint::policy::VERSION, "<version>"))
        .collect();
    literals.sort_unstable();
    literals.dedup();
    for literal in literals {
        writeln!(s.out, "{literal}")?;
    }
    Ok(EXIT_CLEAN)
}
/// `copylint init`: writes a commented starter configuration.
pub fn init(s: &mut Streams) -> Outcome {
    for name in copylint::config::FILE_NAMES {
        if std::path::Path::new(name).exists() {
            return Err(Error::Usage {
                message: format!("{name} already exists; it was not overwritten"),
                hint: None,
            }
            .into());
        }
    }
    let name = copylint::config::FILE_NAMES[0];
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(name)
        .and_then(|mut f| f.write_all(copylint::config::STARTER.as_bytes()))
        .map_err(|e| Error::Io {
            verb: "write",
            what: "configuration file",
            path: name.into(),
            source: e,
        })?;
    writeln!(
        s.out,
        "wrote {name}: every setting is commented out; edit it to taste"
    )?;
    Ok(EXIT_CLEAN)
}

/// `copylint config`: the resolved settings and where each came from.
pub fn show_config(settings: &Settings, s: &mut Streams) -> Outcome {
    let out = &mut *s.out;
    match &settings.config {
        Some(c) => writeln!(
            out,
            "configuration file: {} ({})",
            escape_control(&c.path.to_string_lossy()),
            settings.config_found
        )?,
        None => writeln!(out, "configuration file: none ({})", settings.config_found)?,
    }
    writeln!(out, "policies:")?;
    for (policy, origin) in settings
        .linter
        .policies()
        .iter()
        .zip(&settings.policy_origins)
    {
        writeln!(
            out,
            "  {} — {} ({origin})",
            escape_control(&policy.origin),
            count(policy.rules.len(), "rule")
        )?;
    }
    let f = &settings.fail_on;
    writeln!(out, "fail-on: {} ({})", f.value.as_str(), f.origin)?;
    let list = |v: &[String]| {
        if v.is_empty() {
            "(none)".to_string()
        } else {
            v.join(", ")
        }
    };
    let (i, e) = (&settings.include, &settings.exclude);
    writeln!(out, "include: {} ({})", list(&i.value), i.origin)?;
    writeln!(out, "exclude: {} ({})", list(&e.value), e.origin)?;
    let c = &settings.check_code;
    writeln!(out, "check-code: {} ({})", c.value, c.origin)?;
    let c = &settings.check_comments;
    writeln!(out, "check-comments: {} ({})", c.value, c.origin)?;
    let x = &settings.extensions;
    writeln!(
        out,
        "extensions: markdown = {}; text = {} ({})",
        x.value.markdown.join(", "),
        x.value.text.join(", "),
        x.origin
    )?;
    let g = &settings.ignore_files;
    let respected = if g.value {
        "respected"
    } else {
        "not respected"
    };
    writeln!(out, "ignore files: {respected} ({})", g.origin)?;
    let j = &settings.jobs;
    writeln!(out, "jobs: {} ({})", j.value, j.origin)?;
    write_limits(out, &settings.limits)?;
    writeln!(out, "rules:")?;
    for (_, rule) in settings.linter.rules() {
        let origin = settings
            .rule_origins
            .get(&*rule.id)
            .copied()
            .unwrap_or(Origin::Policy);
        writeln!(
            out,
            "  {:24} {:16} ({origin})",
            rule.id,
            severity_label(rule)
        )?;
    }
    for id in &settings.rules_off {
        writeln!(out, "  {id:24} off              ({})", Origin::ConfigFile)?;
    }
    Ok(EXIT_CLEAN)
}

/// The `[limits]` part of `copylint config`.
fn write_limits(out: &mut dyn Write, limits: &LimitSettings) -> std::io::Result<()> {
    writeln!(out, "limits:")?;
    for (name, limit, size) in [
        ("max-file-size", &limits.max_file_size, true),
        ("max-entry-size", &limits.max_entry_size, true),
        ("max-document-size", &limits.max_document_size, true),
        (
            "max-compression-ratio",
            &limits.max_compression_ratio,
            false,
        ),
    ] {
        let value = if size {
            format_size(limit.value)
        } else {
            limit.value.to_string()
        };
        writeln!(out, "  {name:24} {value:16} ({})", limit.origin)?;
    }
    Ok(())
}

/// `copylint completions SHELL`.
pub fn completions(shell: clap_complete::Shell, s: &mut Streams) -> Outcome {
    let mut command = <Cli as clap::CommandFactory>::command();
    clap_complete::generate(shell, &mut command, "copylint", &mut s.out);
    Ok(EXIT_CLEAN)
}

/// `copylint man`.
pub fn man(s: &mut Streams) -> Outcome {
    let command = <Cli as clap::CommandFactory>::command();
    clap_mangen::Man::new(command).render(&mut s.out)?;
    Ok(EXIT_CLEAN)
}
