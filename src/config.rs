//! Configuration: finding and reading `copylint.toml`, and merging it with
//! the command line.
//!
//! A configuration file is looked for in the current directory and its
//! parents, stopping at the repository root (the first directory holding
//! `.git`); `--config FILE` names one and `--no-config` ignores any. It can
//! only describe: policy paths (relative to it, and never outside its
//! directory tree), the failure level, include and exclude globs, rule
//! severities, whether Markdown code is checked, and extra extensions.
//! Every error points at its line.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::finding::FailOn;
use crate::finding::Severity;
use crate::policy::{PolicyError, Problem};
use crate::source::Extensions;
use crate::walk::PathFilter;

/// File names searched for, in order.
pub const FILE_NAMES: &[&str] = &["copylint.toml", ".copylint.toml"];

/// An error in a configuration file: the same shape as a policy error.
pub type ConfigError = PolicyError;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    policies: Vec<Spanned<String>>,
    default_policy: Option<bool>,
    fail_on: Option<FailOn>,
    #[serde(default)]
    include: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    check_code: Option<bool>,
    check_comments: Option<bool>,
    extensions: Option<RawExtensions>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<RuleSetting>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExtensions {
    #[serde(default)]
    markdown: Vec<String>,
    #[serde(default)]
    text: Vec<String>,
}

/// What the configuration does to one rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleSetting {
    Error,
    Warning,
    Info,
    Off,
}

impl RuleSetting {
    /// The severity to use, or `None` to turn the rule off.
    pub fn severity(self) -> Option<Severity> {
        match self {
            RuleSetting::Error => Some(Severity::Error),
            RuleSetting::Warning => Some(Severity::Warning),
            RuleSetting::Info => Some(Severity::Info),
            RuleSetting::Off => None,
        }
    }
}

/// A loaded configuration file.
#[derive(Clone, Debug)]
pub struct Config {
    /// The file, as found or named.
    pub path: PathBuf,
    /// Its directory, absolute: the base of its relative paths and globs.
    pub dir: PathBuf,
    pub text: String,
    pub policies: Vec<(PathBuf, Range<usize>)>,
    pub default_policy: Option<bool>,
    pub fail_on: Option<FailOn>,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub filter: Option<PathFilter>,
    pub check_code: Option<bool>,
    /// Check reviewers' comments in Word and OpenDocument files too.
    pub check_comments: Option<bool>,
    pub extensions: Option<Extensions>,
    /// Rule id, setting, and the span of the id (for "unknown rule" errors).
    pub rules: Vec<(String, RuleSetting, Range<usize>)>,
}

/// Looks for a configuration file from `start` up to the repository root.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let start = std::path::absolute(start).ok()?;
    for dir in start.ancestors() {
        for name in FILE_NAMES {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    None
}

fn globs(patterns: &[Spanned<String>], problems: &mut Vec<Problem>) -> Option<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for p in patterns {
        match Glob::new(p.get_ref()) {
            Ok(glob) => {
                builder.add(glob);
            }
            Err(e) => problems.push(Problem::new(
                format!("invalid glob: {}", e.kind()),
                Some(p.span()),
            )),
        }
    }
    builder.build().ok()
}

impl Config {
    /// Reads and validates the configuration file at `path`.
    pub fn load(path: &Path) -> Result<Config, crate::Error> {
        let origin = path.to_string_lossy().into_owned();
        let fail = |text: String, problems: Vec<Problem>| {
            crate::Error::Config(ConfigError {
                origin: origin.clone(),
                text,
                problems,
            })
        };
        let bytes =
            std::fs::read(path).map_err(|e| crate::Error::read("configuration file", path, e))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            fail(
                String::new(),
                vec![Problem::new(
                    "the configuration file is not valid UTF-8",
                    None,
                )],
            )
        })?;
        let raw: RawConfig = match toml::from_str(&text) {
            Ok(raw) => raw,
            Err(e) => {
                let problem = Problem::new(e.message().to_string(), e.span());
                return Err(fail(text, vec![problem]));
            }
        };
        let dir = std::path::absolute(path)
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .unwrap_or_default();
        let mut problems = Vec::new();

        // Policies: relative to the file, never outside its directory tree.
        let root = dir.canonicalize().unwrap_or_else(|_| dir.clone());
        let mut policies = Vec::new();
        for p in &raw.policies {
            let joined = dir.join(p.get_ref());
            match joined.canonicalize() {
                Ok(real) if real.starts_with(&root) => policies.push((joined, p.span())),
                Ok(_) => problems.push(
                    Problem::new("policy file outside the configuration's directory", Some(p.span()))
                        .with_note("a configuration can only use policies in its own directory tree; name others with --policy"),
                ),
                Err(e) => problems.push(Problem::new(
                    format!("cannot read policy file {}: {}", p.get_ref(), crate::error::describe_io(&e)),
                    Some(p.span()),
                )),
            }
        }

        let include = globs(&raw.include, &mut problems);
        let exclude = globs(&raw.exclude, &mut problems);
        let filter = (!raw.include.is_empty() || !raw.exclude.is_empty()).then(|| PathFilter {
            base: dir.clone(),
            include: if raw.include.is_empty() {
                None
            } else {
                include
            },
            exclude: exclude.unwrap_or_else(GlobSet::empty),
        });

        let extensions = raw.extensions.map(|e| {
            let mut ext = Extensions::default();
            let clean =
                |v: Vec<String>| v.into_iter().map(|s| s.trim_start_matches('.').to_string());
            ext.markdown.extend(clean(e.markdown));
            ext.text.extend(clean(e.text));
            ext
        });

        if !problems.is_empty() {
            return Err(fail(text, problems));
        }
        Ok(Config {
            path: path.to_path_buf(),
            dir,
            policies,
            default_policy: raw.default_policy,
            fail_on: raw.fail_on,
            include: raw.include.iter().map(|s| s.get_ref().clone()).collect(),
            exclude: raw.exclude.iter().map(|s| s.get_ref().clone()).collect(),
            filter,
            check_code: raw.check_code,
            check_comments: raw.check_comments,
            extensions,
            rules: raw
                .rules
                .iter()
                .map(|(k, v)| (k.get_ref().clone(), *v.get_ref(), k.span()))
                .collect(),
            text,
        })
    }

    /// An error about this file, at `span`.
    pub fn error(&self, message: impl Into<String>, span: Range<usize>) -> ConfigError {
        ConfigError {
            origin: self.path.to_string_lossy().into_owned(),
            text: self.text.clone(),
            problems: vec![Problem::new(message, Some(span))],
        }
    }
}

/// The starter configuration `copylint init` writes.
pub const STARTER: &str = r#"# copylint configuration. Paths and globs are relative to this file.
# Every key is optional; delete what you do not need.

# Policy files to load.
# policies = ["wordlists/our-policy.toml"]

# The embedded default policy, aws-openai-sre (AWS's guidance on describing
# the Stateful Runtime Environment built with OpenAI). When this file
# names its own policies, the embedded one is loaded only if this is true.
default-policy = true

# Exit with status 1 when a finding at or above this level is found:
# "error" (the default), "warning", "info" or "never".
# fail-on = "error"

# Only check walked files matching these globs, and skip these.
# include = ["docs/**", "collateral/**"]
# exclude = ["docs/archive/**"]

# Check Markdown code blocks and inline code too (default: false).
# check-code = false

# Check reviewers' comments in Word and OpenDocument files too (default: false).
# check-comments = false

# More file extensions to read as Markdown or as plain text.
# [extensions]
# markdown = ["mdown"]
# text = ["rst"]

# Change a rule's severity ("error", "warning", "info") or turn it "off".
# [rules]
# unapproved-mention = "off"
# enables-access = "error"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_config_is_valid_and_so_is_it_uncommented() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("copylint.toml");
        std::fs::write(&path, STARTER).unwrap();
        Config::load(&path).unwrap();
        std::fs::create_dir(dir.path().join("wordlists")).unwrap();
        std::fs::write(dir.path().join("wordlists/our-policy.toml"), "").unwrap();
        let uncommented: String = STARTER
            .lines()
            .map(|l| {
                l.strip_prefix("# ")
                    .filter(|r| r.contains(" = ") || r.starts_with('['))
                    .unwrap_or(l)
            })
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(&path, uncommented).unwrap();
        let config = Config::load(&path).unwrap();
        assert_eq!(config.fail_on, Some(FailOn::Error));
        assert_eq!(config.rules.len(), 2);
        assert!(config.extensions.unwrap().text.contains(&"rst".to_string()));
    }
}
