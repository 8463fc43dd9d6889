//! Settings: the command line, the configuration file and the policies,
//! resolved once into one value that knows where each setting came from.
//!
//! Every command that loads policies starts from [`Settings::resolve`];
//! `copylint config` renders the result. Nothing downstream looks at raw
//! flags or at the configuration file again, so each merge (flag over file
//! over default) is written once, here, and the language server, which
//! has no command line, resolves the same way from [`Cli::default`] and
//! its client's settings.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use copylint::config::{self, Config, RuleSetting};
use copylint::error::Error;
use copylint::file::{DEFAULT_MAX_FILE_SIZE, FileCheck, FixMode};
use copylint::finding::{Applicability, FailOn, Severity};
use copylint::policy::{self, DEFAULT_POLICY, DEFAULT_POLICY_NAME, Policy};
use copylint::report::OutputFormat;
use copylint::shard::Shard;
use copylint::source::office::Limits;
use copylint::source::{Extensions, ExtractOptions};
use copylint::walk::WalkOptions;
use copylint::{Linter, engine};

use crate::cli::{CheckArgs, Cli, Command, PolicyArgs};
use crate::usage;

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
    /// The longest OCR may take to read one image.
    #[cfg_attr(not(feature = "ocr"), allow(dead_code))]
    pub ocr_timeout: Setting<std::time::Duration>,
    pub extensions: Setting<Extensions>,
    pub ignore_files: Setting<bool>,
    pub include: Setting<Vec<String>>,
    pub exclude: Setting<Vec<String>>,
    pub jobs: Setting<usize>,
    pub limits: LimitSettings,
    pub walk: WalkOptions,
    /// What a check reads, and what it does besides reporting.
    pub inputs: Inputs,
    /// How the findings are reported.
    pub output: Output,
    /// Things said while resolving that do not stop the run.
    pub warnings: Vec<String>,
}

/// What a check reads, and what it does besides reporting.
#[derive(Debug, Default)]
pub struct Inputs {
    /// Local files and directories to check (`.` when nothing is named).
    pub roots: Vec<PathBuf>,
    /// Object storage prefixes (`s3://...`) to check (none without the
    /// `s3` feature: usage validation refuses them).
    #[cfg_attr(not(feature = "s3"), allow(dead_code))]
    pub remote: Vec<String>,
    /// When `-` is among the paths: the name standard input is checked as.
    pub stdin: Option<String>,
    /// A list of paths to check, and whether it is NUL-separated.
    pub files_from: Option<(PathBuf, bool)>,
    /// Only findings not in this baseline are reported.
    pub baseline: Option<PathBuf>,
    /// Today's findings are recorded here.
    pub write_baseline: Option<PathBuf>,
    /// `--fix` or `--diff`.
    pub fix: Option<FixMode>,
    /// Report directives that suppressed nothing.
    pub report_unused: bool,
    pub shard: Option<Shard>,
    /// Only findings at or above this severity are shown.
    pub min_severity: Option<Severity>,
}

impl Inputs {
    fn resolve(check: &CheckArgs) -> Inputs {
        let is_stdin = |p: &PathBuf| p.as_os_str() == "-";
        let mut roots: Vec<PathBuf> = (check.paths.iter())
            .filter(|p| !is_stdin(p) && !usage::is_remote(p))
            .cloned()
            .collect();
        if check.paths.is_empty() && check.files_from.is_none() {
            roots.push(PathBuf::from("."));
        }
        Inputs {
            roots,
            remote: (check.paths.iter())
                .filter(|p| usage::is_remote(p))
                .filter_map(|p| p.to_str().map(str::to_string))
                .collect(),
            stdin: check
                .paths
                .iter()
                .any(is_stdin)
                .then(|| (check.stdin_filename.clone()).unwrap_or_else(|| "<stdin>".to_string())),
            files_from: check.files_from.clone().map(|f| (f, check.null)),
            baseline: check.baseline.clone(),
            write_baseline: check.write_baseline.clone(),
            fix: (check.fix || check.diff).then_some(FixMode {
                min: if check.unsafe_fixes {
                    Applicability::Unsafe
                } else {
                    Applicability::Safe
                },
                write: check.fix,
            }),
            report_unused: check.report_unused_directives,
            shard: check.shard,
            min_severity: check.min_severity.map(Into::into),
        }
    }

    /// `--diff`: the fixes are shown, and are the whole output.
    pub fn diff(&self) -> bool {
        self.fix.is_some_and(|f| !f.write)
    }
}

/// How the findings are reported.
#[derive(Debug)]
pub struct Output {
    pub format: OutputFormat,
    /// A detailed summary after the findings.
    pub summary: bool,
    /// Only the summary, no findings.
    pub summary_only: bool,
    /// No progress bar and no warnings.
    pub quiet: bool,
}

impl Settings {
    /// Resolves the command line, after rejecting flag combinations that
    /// would do nothing. The configuration is searched for from the
    /// directory of `--stdin-filename` when a check names one, else from
    /// the current directory.
    pub fn from_cli(cli: &Cli) -> Result<Settings, Error> {
        match &cli.command {
            None => {
                usage::validate(cli)?;
                // Standard input named as a file gets the configuration of
                // that file's directory, as an editor expects.
                let stdin_dir = (cli.check.stdin_filename.as_ref())
                    .and_then(|name| Path::new(name).parent().map(Path::to_path_buf))
                    .filter(|dir| dir.is_dir());
                Settings::resolve(cli, stdin_dir.as_deref())
            }
            Some(Command::Merge(m)) => {
                usage::validate_summary(cli.output.format.into(), m.summary, m.summary_only)?;
                Settings::resolve(cli, None)
            }
            Some(_) => Settings::resolve(cli, None),
        }
    }

    /// How each file is checked, by the command line and the language
    /// server alike: with the policies, extensions and size limit resolved
    /// here, and no baseline, minimum severity or fixes.
    pub fn file_check(&self) -> FileCheck<'_> {
        FileCheck {
            max_file_size: self.limits.max_file_size.value,
            ..FileCheck::new(&self.linter, &self.walk.extensions)
        }
    }

    /// How much OCR may spend on one image.
    #[cfg(feature = "ocr")]
    pub fn ocr_limits(&self) -> copylint::ocr::OcrLimits {
        copylint::ocr::OcrLimits {
            timeout: self.ocr_timeout.value,
            ..copylint::ocr::OcrLimits::default()
        }
    }

    /// Resolves the arguments, searching for the configuration from
    /// `start` (default: the current directory).
    pub fn resolve(cli: &Cli, start: Option<&Path>) -> Result<Settings, Error> {
        let (args, check) = (&cli.policy, &cli.check);
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
        let ocr_timeout = Setting::merge(
            check.ocr_timeout,
            file.and_then(|c| c.ocr_timeout),
            std::time::Duration::from_secs(30),
        );
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
        // `copylint merge` has its own copies of the output flags.
        let (fail_on, output) = match &cli.command {
            Some(Command::Merge(m)) => (
                m.fail_on.or(check.fail_on),
                Output {
                    format: cli.output.format.into(),
                    summary: m.summary,
                    summary_only: m.summary_only,
                    quiet: m.quiet,
                },
            ),
            _ => (
                check.fail_on,
                Output {
                    format: cli.output.format.into(),
                    summary: cli.output.summary,
                    summary_only: cli.output.summary_only,
                    quiet: cli.output.quiet,
                },
            ),
        };
        Ok(Settings {
            fail_on: Setting::merge(
                fail_on.map(Into::into),
                file.and_then(|c| c.fail_on),
                FailOn::Error,
            ),
            inputs: Inputs::resolve(check),
            output,
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
            ocr_timeout,
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
