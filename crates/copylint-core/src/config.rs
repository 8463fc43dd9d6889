//! Configuration: finding and reading `copylint.toml`, and merging it with
//! the command line.
//!
//! A configuration file is looked for in the current directory and its
//! parents, stopping at the repository root (the first directory holding
//! `.git`); `--config FILE` names one and `--no-config` ignores any. It can
//! only describe: policy paths (relative to it, and never outside its
//! directory tree), the failure level, include and exclude globs, rule
//! severities, whether Markdown code is checked, extra extensions, and
//! the size limits of `[limits]`. Every error points at its line.

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
    ocr: Option<bool>,
    ocr_timeout: Option<Spanned<toml::Value>>,
    extensions: Option<RawExtensions>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<RuleSetting>>,
    limits: Option<RawLimits>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawLimits {
    max_file_size: Option<Spanned<toml::Value>>,
    max_entry_size: Option<Spanned<toml::Value>>,
    max_document_size: Option<Spanned<toml::Value>>,
    max_compression_ratio: Option<Spanned<toml::Value>>,
}

/// The size limits a configuration sets (`[limits]`); `None` where it
/// sets none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SizeLimits {
    /// Files larger than this are not read (as `--max-file-size`).
    pub max_file_size: Option<u64>,
    /// Bytes inflated from one entry of a document's zip archive.
    pub max_entry_size: Option<u64>,
    /// Bytes inflated from one document's zip archive in all.
    pub max_document_size: Option<u64>,
    /// The highest declared compression ratio of an entry over 1 MiB.
    pub max_compression_ratio: Option<u64>,
}

/// Parses a size: `1048576`, `512K`, `64M`, `1G` (powers of 1024; `KiB`,
/// `MB` and the like are accepted too).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(digits);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size"))?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => {
            return Err(format!(
                "`{text}` is not a size (use a number with K, M or G)"
            ));
        }
    };
    number
        .checked_mul(1 << shift)
        .ok_or_else(|| format!("`{text}` is too large"))
}

/// A time limit in seconds (`30`, `0.5`): more than 0, and at most a day.
pub fn parse_seconds(text: &str) -> Result<std::time::Duration, String> {
    let seconds: f64 = (text.trim().parse())
        .map_err(|_| format!("{text:?} is not a number of seconds, such as 30 or 0.5"))?;
    seconds_limit(seconds)
}

fn seconds_limit(seconds: f64) -> Result<std::time::Duration, String> {
    if !(seconds > 0.0 && seconds <= 86_400.0) {
        return Err(format!(
            "{seconds} s: a time limit must be more than 0 and at most a day (86400)"
        ));
    }
    Ok(std::time::Duration::from_secs_f64(seconds))
}

/// A size as [`parse_size`] reads it, in its shortest exact form (`64M`).
pub fn format_size(bytes: u64) -> String {
    for (shift, unit) in [(30, "G"), (20, "M"), (10, "K")] {
        if bytes >= 1 << shift && bytes.is_multiple_of(1 << shift) {
            return format!("{}{unit}", bytes >> shift);
        }
    }
    bytes.to_string()
}

impl RawLimits {
    /// The limits, each checked: a size is a positive number of bytes or a
    /// string such as `"256M"`; a ratio is a positive whole number.
    fn resolve(&self, problems: &mut Vec<Problem>) -> SizeLimits {
        let mut check = |value: &Option<Spanned<toml::Value>>, ratio: bool| {
            let value = value.as_ref()?;
            let parsed = match value.get_ref() {
                toml::Value::Integer(n) => {
                    u64::try_from(*n).map_err(|_| format!("{n} is negative"))
                }
                toml::Value::String(text) if !ratio => parse_size(text),
                _ if ratio => Err("a compression ratio is a whole number, such as 200".into()),
                _ => Err("a size is a number of bytes or a string such as \"256M\"".into()),
            };
            match parsed {
                Ok(0) => problems.push(Problem::new(
                    "a limit must be more than 0",
                    Some(value.span()),
                )),
                Ok(n) => return Some(n),
                Err(e) => problems.push(Problem::new(e, Some(value.span()))),
            }
            None
        };
        SizeLimits {
            max_file_size: check(&self.max_file_size, false),
            max_entry_size: check(&self.max_entry_size, false),
            max_document_size: check(&self.max_document_size, false),
            max_compression_ratio: check(&self.max_compression_ratio, true),
        }
    }
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
    /// Read the text of images with OCR (a build with the `ocr` feature).
    pub ocr: Option<bool>,
    /// The longest OCR may take to read one image (`ocr-timeout`, seconds).
    pub ocr_timeout: Option<std::time::Duration>,
    pub extensions: Option<Extensions>,
    /// Rule id, setting, and the span of the id (for "unknown rule" errors).
    pub rules: Vec<(String, RuleSetting, Range<usize>)>,
    /// `[limits]`.
    pub limits: SizeLimits,
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

        let limits = raw
            .limits
            .as_ref()
            .map(|l| l.resolve(&mut problems))
            .unwrap_or_default();

        let ocr_timeout = raw.ocr_timeout.as_ref().and_then(|value| {
            let parsed = match value.get_ref() {
                toml::Value::Integer(n) => seconds_limit(*n as f64),
                toml::Value::Float(n) => seconds_limit(*n),
                _ => Err("ocr-timeout is a number of seconds, such as 30 or 0.5".into()),
            };
            parsed
                .map_err(|e| problems.push(Problem::new(e, Some(value.span()))))
                .ok()
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
            ocr: raw.ocr,
            ocr_timeout,
            extensions,
            rules: raw
                .rules
                .iter()
                .map(|(k, v)| (k.get_ref().clone(), *v.get_ref(), k.span()))
                .collect(),
            limits,
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

# Read the text of images (slides, scans, diagrams) with OCR; needs a
# copylint built with the `ocr` feature (default: false).
# ocr = false

# The longest OCR may take to read one image, in seconds (as --ocr-timeout;
# default: 30); an image that takes longer is named in a warning.
# ocr-timeout = 30

# More file extensions to read as Markdown or as plain text.
# [extensions]
# markdown = ["mdown"]
# text = ["rst"]

# Change a rule's severity ("error", "warning", "info") or turn it "off".
# [rules]
# unapproved-mention = "off"
# enables-access = "error"

# How much is read: files larger than max-file-size are not checked (as
# --max-file-size); from a Word, PowerPoint or OpenDocument file (a zip
# archive), at most max-entry-size is inflated per part and
# max-document-size in all, and no part over 1 MiB may declare a
# compression ratio above max-compression-ratio. Over a limit, the file is
# reported as too large and the others are still checked.
# [limits]
# max-file-size = "64M"
# max-entry-size = "256M"
# max-document-size = "256M"
# max-compression-ratio = 200
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
        assert_eq!(
            config.limits,
            SizeLimits {
                max_file_size: Some(64 << 20),
                max_entry_size: Some(256 << 20),
                max_document_size: Some(256 << 20),
                max_compression_ratio: Some(200),
            }
        );
    }

    #[test]
    fn parses_and_formats_sizes() {
        assert_eq!(parse_size("100"), Ok(100));
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("2 KiB"), Ok(2048));
        assert_eq!(parse_size("1g"), Ok(1 << 30));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("5T").is_err());
        assert!(parse_size("99999999999999G").is_err());
        for (bytes, text) in [
            (64 << 20, "64M"),
            (1 << 30, "1G"),
            (1536, "1536"),
            (2048, "2K"),
        ] {
            assert_eq!(format_size(bytes), text);
            assert_eq!(parse_size(text), Ok(bytes));
        }
    }
}
