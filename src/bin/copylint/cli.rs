//! The command line: clap definitions only, no logic. What the flags mean
//! together is resolved once, into [`crate::settings::Settings`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use copylint::finding::{FailOn, Severity};
use copylint::report::OutputFormat;

/// clap's view of a library enum: the values a flag takes, each mapped to
/// the library's own type. The library knows nothing of clap.
macro_rules! value_enum {
    ($(#[$meta:meta])* $arg:ident => $lib:ident { $($(#[$vmeta:meta])* $variant:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
        pub enum $arg {
            $($(#[$vmeta])* $variant,)*
        }

        impl From<$arg> for $lib {
            fn from(arg: $arg) -> $lib {
                match arg {
                    $($arg::$variant => $lib::$variant,)*
                }
            }
        }
    };
}

/// Checks marketing copy against a wording policy.
///
/// Walks Markdown and text files, extracts their prose, and reports every
/// phrase the policy forbids, with the approved wording to use instead.
#[derive(Debug, Default, Parser)]
#[command(name = "copylint", version = copylint::policy::VERSION_WITH_POLICY)]
#[command(
    after_help = "Exit status: 0 when nothing at or above --fail-on was found, 1 when something was, 2 on usage, policy or I/O errors."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub check: CheckArgs,

    #[command(flatten)]
    pub policy: PolicyArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the active rules.
    Rules,
    /// Print one rule's explanation and examples.
    Explain {
        /// The rule id, for example `enables-access`.
        rule: String,
    },
    /// Work with policy files.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Write a commented starter copylint.toml (never overwrites one).
    Init,
    /// Print the effective configuration and where each part came from.
    Config,
    /// Print a shell completion script.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff).
    Man,
    /// Run the language server on standard input and output, for editors.
    Lsp,
    /// Merge the `--format ndjson` outputs of shards (`--shard K/N`) into
    /// one report in any format, as one run over the whole tree writes it.
    Merge(MergeArgs),
}

/// `copylint merge`: the outputs to merge and how to report them.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The NDJSON outputs of the shards (all N of them, each once).
    #[arg(required = true, value_name = "SHARD")]
    pub inputs: Vec<PathBuf>,

    /// Exit 1 when a finding at or above this level was found [default: error].
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<FailOnArg>,

    /// After the findings, print a summary, as a run does.
    #[arg(long)]
    pub summary: bool,

    /// Print only the summary, no findings.
    #[arg(long, conflicts_with = "summary")]
    pub summary_only: bool,

    /// No warnings; errors are still printed.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Validate policy files and run every rule's examples.
    Check {
        /// Policy files to check.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Print every phrase the active rules' patterns expand to, one per line.
    Literals,
}

/// Which policies and configuration are loaded.
#[derive(Debug, Default, Args)]
pub struct PolicyArgs {
    /// Use this configuration file instead of searching for copylint.toml.
    #[arg(long, value_name = "FILE", global = true, conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Ignore configuration files.
    #[arg(long, global = true)]
    pub no_config: bool,

    /// Print the effective configuration and exit (as `copylint config`).
    #[arg(long, global = true)]
    pub show_config: bool,

    /// Load a policy file (repeatable).
    #[arg(long = "policy", value_name = "FILE", global = true)]
    pub policies: Vec<PathBuf>,

    /// Do not load the embedded default policy.
    #[arg(long, global = true)]
    pub no_default_policy: bool,
}

/// What to check.
#[derive(Debug, Default, Args)]
pub struct CheckArgs {
    /// Files or directories to check; `-` reads standard input [default:
    /// `.`, unless --files-from names the files].
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Walk into hidden files and folders too.
    #[arg(long)]
    pub hidden: bool,

    /// Follow symbolic links while walking (loops are reported, not walked).
    #[arg(short = 'L', long)]
    pub follow: bool,

    /// Check files that .gitignore or .ignore files exclude too.
    #[arg(long)]
    pub no_ignore: bool,

    /// Read the text of images in documents with OCR (Tesseract; a build
    /// with the `ocr` feature).
    #[arg(long)]
    pub ocr: bool,

    /// With --ocr, the longest reading one image may take, in seconds
    /// (default 30, or ocr-timeout in the configuration); an image that
    /// takes longer is named in a warning.
    #[arg(long, value_name = "SECONDS", value_parser = copylint::config::parse_seconds)]
    pub ocr_timeout: Option<std::time::Duration>,

    /// Name (and, by its extension, format) of the text read from standard input.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,

    /// Read the paths to check from FILE (`-` for standard input), one per
    /// line; directories in it are walked, and files are checked when their
    /// extension is a Markdown or text one.
    #[arg(long, value_name = "FILE")]
    pub files_from: Option<PathBuf>,

    /// The --files-from list is separated by NUL bytes (`find -print0`, `git ls-files -z`).
    #[arg(short = '0', long = "null")]
    pub null: bool,

    /// Exit 1 when a finding at or above this level is found [default: error].
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<FailOnArg>,

    /// Show only findings at or above this level, in every format (the exit
    /// status still follows --fail-on).
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub min_severity: Option<SeverityArg>,

    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record today's findings in FILE, to adopt copylint on existing copy.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,

    /// Apply the safe fixes of the findings to the files, then report what
    /// remains. Office documents and PDFs are never rewritten.
    #[arg(long)]
    pub fix: bool,

    /// With --fix or --diff, apply unsafe fixes too: rewordings a person
    /// should review.
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Print the fixes as a unified diff instead of writing them; the exit
    /// status is as with --fix.
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,

    /// Warn about suppression directives that suppressed nothing.
    #[arg(long)]
    pub report_unused_directives: bool,

    /// Number of files checked at once; 0 means the default, one per core.
    /// More than 4 per core is lowered to that, with a warning, and never
    /// more than there are files.
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,

    /// Check only shard K of N (K from 1): the files whose path, relative to
    /// the root it was found under, hashes into it (FNV-1a 64). The shards
    /// of one tree cover every file once; `copylint merge` joins their
    /// `--format ndjson` outputs.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<copylint::shard::Shard>,

    /// Skip files larger than SIZE (bytes, or with a K, M or G suffix);
    /// default 64M, or max-file-size in the configuration's [limits].
    #[arg(long, value_name = "SIZE", value_parser = copylint::config::parse_size)]
    pub max_file_size: Option<u64>,
}

/// How output looks.
#[derive(Debug, Default, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Human, global = true)]
    pub format: FormatArg,

    /// After the findings, print a summary: findings per rule, the files
    /// with the most severe findings first, totals of files, bytes and time.
    #[arg(long)]
    pub summary: bool,

    /// Print only the summary, no findings.
    #[arg(long, conflicts_with = "summary")]
    pub summary_only: bool,

    /// No progress bar and no warnings; errors are still printed.
    #[arg(short, long)]
    pub quiet: bool,

    /// When to use colour (NO_COLOR is honoured with `auto`).
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

value_enum! {
    /// `--fail-on`'s values.
    FailOnArg => FailOn { Error, Warning, Info, Never }
}

value_enum! {
    /// `--min-severity`'s values.
    SeverityArg => Severity { Info, Warning, Error }
}

value_enum! {
    /// `--format`'s values.
    #[derive(Default)]
    FormatArg => OutputFormat {
        /// rustc-style diagnostics with the snippet underlined.
        #[default]
        Human,
        /// One line per finding: `path:line:column: severity: message [rule]`.
        Short,
        /// One JSON document with every diagnostic and a summary.
        Json,
        /// One JSON object per line: each diagnostic as `json` shows it, then
        /// `{"summary":{...}}`; before it, `{"run":{...}}`, what `copylint
        /// merge` needs.
        Ndjson,
        /// A SARIF 2.1.0 log, for GitHub code scanning and other SARIF viewers.
        Sarif,
        /// GitHub Actions workflow commands (`::error file=...::message`), which
        /// annotate the files in a workflow run.
        Github,
        /// One row per finding with a header row (RFC 4180), for spreadsheets.
        Csv,
        /// One self-contained HTML page for reviewers: totals, a chart, files
        /// most severe first, and each finding in its sentence.
        Html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each library value has exactly one flag value, named as the library
    /// names it (the configuration file and the reports use those names).
    #[test]
    fn flag_values_are_the_library_values_by_name() {
        fn names<A: ValueEnum>() -> Vec<String> {
            A::value_variants()
                .iter()
                .map(|v| v.to_possible_value().unwrap().get_name().to_string())
                .collect()
        }
        let formats: Vec<_> = FormatArg::value_variants()
            .iter()
            .map(|&a| OutputFormat::from(a))
            .collect();
        assert_eq!(formats, OutputFormat::ALL);
        let format_names: Vec<_> = OutputFormat::ALL.iter().map(|f| f.name()).collect();
        assert_eq!(names::<FormatArg>(), format_names);
        let levels: Vec<_> = FailOnArg::value_variants()
            .iter()
            .map(|&a| FailOn::from(a))
            .collect();
        assert_eq!(levels, FailOn::ALL);
        let level_names: Vec<_> = FailOn::ALL.iter().map(|f| f.as_str()).collect();
        assert_eq!(names::<FailOnArg>(), level_names);
        let severities: Vec<_> = SeverityArg::value_variants()
            .iter()
            .map(|&a| Severity::from(a))
            .collect();
        assert_eq!(severities, Severity::ALL);
        let severity_names: Vec<_> = Severity::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(names::<SeverityArg>(), severity_names);
    }
}
