//! Settings: the command line, the configuration file and the policies,
//! resolved once into one value that knows where each setting came from.
//!
//! Every command starts from [`Settings::resolve`]; `copylint config`
//! renders the result. Nothing downstream looks at raw flags or at the
//! configuration file again, so each merge (flag over file over default)
//! is written once, here.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use copylint::config::{self, Config, RuleSetting};
use copylint::error::Error;
use copylint::finding::{FailOn, Severity};
use copylint::policy::{self, DEFAULT_POLICY, DEFAULT_POLICY_NAME, Policy};
use copylint::source::office::Limits;
use copylint::source::{Extensions, ExtractOptions};
use copylint::walk::WalkOptions;
use copylint::{Linter, engine};

use crate::cli::{CheckArgs, PolicyArgs};

/// Where a setting's value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    Default,
    CommandLine,
    ConfigFile,
    /// A rule's own severity, as its policy sets it.
    Policy,
    /// Compiled into copylint.
    Embedded,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Origin::Default => "default",
            Origin::CommandLine => "command line",
            Origin::ConfigFile => "configuration file",
            Origin::Policy => "policy",
            Origin::Embedded => "embedded",
        })
    }
}

/// A value and where it came from.
#[derive(Clone, Debug)]
pub struct Setting<T> {
    pub value: T,
    pub origin: Origin,
}

impl<T> Setting<T> {
    /// The flag's value if given, else the file's, else `default`.
    fn merge(flag: Option<T>, file: Option<T>, default: T) -> Setting<T> {
        match (flag, file) {
            (Some(value), _) => Setting {
                value,
                origin: Origin::CommandLine,
            },
            (None, Some(value)) => Setting {
                value,
                origin: Origin::ConfigFile,
            },
            (None, None) => Setting {
                value: default,
                origin: Origin::Default,
            },
        }
    }
}

/// Files larger than this are not read, unless the flag or the
/// configuration says otherwise.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 << 20;

/// Most worker threads per core: more only adds scheduling cost.
pub const MAX_JOBS_PER_CORE: usize = 4;

/// Everything a command runs with.
pub struct Settings {
    /// The configuration file, if one was used.
    pub config: Option<Config>,
    /// How the configuration file was found (or why none was used).
    pub config_found: &'static str,
    /// The compiled policies.
    pub linter: Linter,
    /// Where each of `linter.policies()` came from.
    pub policy_origins: Vec<Origin>,
    /// Where each active rule's severity came from, by rule id.
    pub rule_origins: HashMap<String, Origin>,
    /// Rules the configuration turned off.
    pub rules_off: Vec<String>,
    pub fail_on: Setting<FailOn>,
    pub check_code: Setting<bool>,
    pub check_comments: Setting<bool>,
    pub extensions: Setting<Extensions>,
    pub ignore_files: Setting<bool>,
    pub include: Setting<Vec<String>>,
    pub exclude: Setting<Vec<String>>,
    pub jobs: Setting<usize>,
    pub limits: LimitSettings,
    pub walk: WalkOptions,
    /// Things said while resolving that do not stop the run.
    pub warnings: Vec<String>,
}

impl Settings {
    /// Resolves the arguments, searching for the configuration from
    /// `start` (default: the current directory).
    pub fn resolve(
        args: &PolicyArgs,
        check: &CheckArgs,
        start: Option<&Path>,
    ) -> Result<Settings, Error> {
        let (config, config_found) = load_config(args, start)?;
        let (policies, policy_origins) = load_policies(args, config.as_ref())?;
        let (overrides, rules_off) = rule_overrides(config.as_ref(), &policies)?;
        let file = config.as_ref();
        let check_code = Setting::merge(None, file.and_then(|c| c.check_code), false);
        let check_comments = Setting::merge(None, file.and_then(|c| c.check_comments), false);
        let ocr = Setting::merge(check.ocr.then_some(true), file.and_then(|c| c.ocr), false);
        if ocr.value && !cfg!(feature = "ocr") {
            return Err(Error::usage(
                format!(
                    "this copylint was built without reading images (the `ocr` feature), \
                     and OCR is asked for (by the {})",
                    ocr.origin
                ),
                "cargo install copylint --features ocr (needs Tesseract), or drop --ocr",
            ));
        }
        let limits = LimitSettings::resolve(check, file);
        let linter =
            Linter::with_overrides(policies, &overrides)?.with_extract_options(ExtractOptions {
                check_code: check_code.value,
                comments: check_comments.value,
                limits: limits.archive(),
                ocr: ocr.value,
            });
        let rule_origins = linter
            .rules()
            .map(|(_, r)| {
                let from = if overrides.contains_key(&*r.id) {
                    Origin::ConfigFile
                } else {
                    Origin::Policy
                };
                (r.id.to_string(), from)
            })
            .collect();
        let extensions = Setting::merge(
            None,
            file.and_then(|c| c.extensions.clone()),
            Extensions::default(),
        );
        let ignore_files = Setting::merge(check.no_ignore.then_some(false), None, true);
        let listed = |v: Option<&Vec<String>>| v.filter(|v| !v.is_empty()).cloned();
        let (jobs, warnings) = resolve_jobs(check.jobs);
        let walk = WalkOptions {
            hidden: check.hidden,
            follow: check.follow,
            ignore_files: ignore_files.value,
            extensions: extensions.value.clone(),
            filter: file.and_then(|c| c.filter.clone()),
            // Only a progress bar needs sizes before files are read.
            sizes: false,
        };
        Ok(Settings {
            fail_on: Setting::merge(check.fail_on, file.and_then(|c| c.fail_on), FailOn::Error),
            include: Setting::merge(None, listed(file.map(|c| &c.include)), Vec::new()),
            exclude: Setting::merge(None, listed(file.map(|c| &c.exclude)), Vec::new()),
            config,
            config_found,
            linter,
            policy_origins,
            rule_origins,
            rules_off,
            check_code,
            check_comments,
            extensions,
            ignore_files,
            jobs,
            limits,
            walk,
            warnings,
        })
    }
}

/// How much is read: of a file, and inflated from a document's archive.
pub struct LimitSettings {
    pub max_file_size: Setting<u64>,
    pub max_entry_size: Setting<u64>,
    pub max_document_size: Setting<u64>,
    pub max_compression_ratio: Setting<u64>,
}

impl LimitSettings {
    fn resolve(check: &CheckArgs, file: Option<&Config>) -> LimitSettings {
        let limits = file.map(|c| c.limits).unwrap_or_default();
        let defaults = Limits::default();
        LimitSettings {
            max_file_size: Setting::merge(
                check.max_file_size,
                limits.max_file_size,
                DEFAULT_MAX_FILE_SIZE,
            ),
            max_entry_size: Setting::merge(None, limits.max_entry_size, defaults.entry),
            max_document_size: Setting::merge(None, limits.max_document_size, defaults.document),
            max_compression_ratio: Setting::merge(
                None,
                limits.max_compression_ratio,
                defaults.ratio,
            ),
        }
    }

    /// The limits of a document's zip archive.
    pub fn archive(&self) -> Limits {
        Limits {
            entry: self.max_entry_size.value,
            document: self.max_document_size.value,
            ratio: self.max_compression_ratio.value,
        }
    }
}

/// The number of worker threads: `--jobs` (0 meaning the default), at most
/// [`MAX_JOBS_PER_CORE`] per core.
fn resolve_jobs(flag: Option<usize>) -> (Setting<usize>, Vec<String>) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cap = cores * MAX_JOBS_PER_CORE;
    match flag {
        None | Some(0) => (
            Setting {
                value: cores,
                origin: Origin::Default,
            },
            Vec::new(),
        ),
        Some(n) => {
            let warnings = if n > cap {
                vec![format!(
                    "--jobs {n} is more than {MAX_JOBS_PER_CORE} per core; using {cap} ({cores} cores)"
                )]
            } else {
                Vec::new()
            };
            let value = n.min(cap);
            (
                Setting {
                    value,
                    origin: Origin::CommandLine,
                },
                warnings,
            )
        }
    }
}

/// Finds and loads the configuration the arguments call for.
fn load_config(
    args: &PolicyArgs,
    start: Option<&Path>,
) -> Result<(Option<Config>, &'static str), Error> {
    let (path, found) = match (&args.config, args.no_config) {
        (_, true) => (None, "ignored (--no-config)"),
        (Some(path), _) => (Some(path.clone()), "named with --config"),
        (None, false) => match start
            .map(Path::to_path_buf)
            .or_else(|| std::env::current_dir().ok())
            .and_then(|d| config::discover(&d))
        {
            Some(found) => (Some(found), "found by searching from the current directory"),
            None => (None, "none found"),
        },
    };
    match path {
        Some(path) => Ok((Some(Config::load(&path)?), found)),
        None => Ok((None, found)),
    }
}

/// Reads, validates and checks the examples of one policy file.
pub fn read_policy(path: &PathBuf) -> Result<Policy, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::read("policy file", path, e))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::Policy(policy::PolicyError {
            origin: path.to_string_lossy().into_owned(),
            text: String::new(),
            problems: vec![policy::Problem::new(
                "the policy file is not valid UTF-8",
                None,
            )],
        })
    })?;
    // Every problem at once: those of the rules and their failing examples.
    engine::load_policy(&path.to_string_lossy(), &text)
}

/// The embedded policy (unless turned off), then the configuration's
/// policies, then those named with `--policy`, with where each came from.
fn load_policies(
    args: &PolicyArgs,
    config: Option<&Config>,
) -> Result<(Vec<Policy>, Vec<Origin>), Error> {
    let mut policies = Vec::new();
    let mut origins = Vec::new();
    // A configuration that names its own policies asks for the embedded
    // one explicitly.
    let use_default = !args.no_default_policy
        && match config {
            Some(c) if !c.policies.is_empty() => c.default_policy == Some(true),
            Some(c) => c.default_policy != Some(false),
            None => true,
        };
    if use_default {
        // Compiled in and checked by the test suite, so its examples need
        // not run again at every start.
        policies.push(Policy::load(DEFAULT_POLICY_NAME, DEFAULT_POLICY)?);
        origins.push(Origin::Embedded);
    }
    let from_config = config
        .into_iter()
        .flat_map(|c| c.policies.iter().map(|(p, _)| (p, Origin::ConfigFile)));
    let from_flags = args.policies.iter().map(|p| (p, Origin::CommandLine));
    for (path, origin) in from_config.chain(from_flags) {
        policies.push(read_policy(path)?);
        origins.push(origin);
    }
    if policies.is_empty() {
        return Err(Error::NoPolicy);
    }
    Ok((policies, origins))
}

type Overrides = HashMap<String, Option<Severity>>;

/// The configuration's rule settings, checked against the loaded rules.
fn rule_overrides(
    config: Option<&Config>,
    policies: &[Policy],
) -> Result<(Overrides, Vec<String>), Error> {
    let mut overrides = HashMap::new();
    let mut off = Vec::new();
    let Some(config) = config else {
        return Ok((overrides, off));
    };
    for (id, setting, span) in &config.rules {
        if !policies
            .iter()
            .any(|p| p.rules.iter().any(|r| &*r.id == id))
        {
            let known = policies.iter().flat_map(|p| p.rules.iter().map(|r| &*r.id));
            let mut error = config.error(format!("unknown rule `{id}`"), span.clone());
            if let Some(near) = copylint::error::did_you_mean(id, known) {
                error.problems[0]
                    .notes
                    .push(format!("did you mean `{near}`?"));
            }
            return Err(Error::Config(error));
        }
        if *setting == RuleSetting::Off {
            off.push(id.clone());
        }
        overrides.insert(id.clone(), setting.severity());
    }
    Ok((overrides, off))
}

/// Rejects `--summary` or `--summary-only` with a format that has no summary.
pub fn validate_summary(
    format: copylint::report::OutputFormat,
    summary: bool,
    summary_only: bool,
) -> Result<(), Error> {
    let summary_flag = if summary {
        Some("--summary")
    } else if summary_only {
        Some("--summary-only")
    } else {
        None
    };
    let no_summary = match format {
        copylint::report::OutputFormat::Sarif => Some("sarif"),
        copylint::report::OutputFormat::Github => Some("github"),
        copylint::report::OutputFormat::Csv => Some("csv"),
        copylint::report::OutputFormat::Html => Some("html"),
        _ => None,
    };
    if let (Some(flag), Some(name)) = (summary_flag, no_summary) {
        return Err(Error::usage(
            format!("{flag} does nothing with --format {name}, which has no summary"),
            "use --format human, short, json or ndjson for a summary, or run copylint twice",
        ));
    }
    Ok(())
}
