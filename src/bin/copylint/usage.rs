//! Flag combinations that would do nothing, or that cannot work, found
//! before anything is read: each is a usage error with a hint, never a
//! silent no-op.

use std::path::Path;

use copylint::error::Error;
use copylint::report::OutputFormat;

use crate::cli::Cli;

/// Rejects flag combinations that would silently do nothing.
pub fn validate(cli: &Cli) -> Result<(), Error> {
    let args = &cli.check;
    validate_summary(
        cli.output.format.into(),
        cli.output.summary,
        cli.output.summary_only,
    )?;
    let reads_stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
    if args.stdin_filename.is_some() && !reads_stdin {
        return Err(Error::usage(
            "--stdin-filename needs `-` among the paths to read standard input",
            "add `-` to the paths: copylint --stdin-filename NAME -",
        ));
    }
    if reads_stdin && args.files_from.as_deref() == Some(Path::new("-")) {
        return Err(Error::usage(
            "`-` and --files-from - cannot both read standard input",
            "write the list to a file and pass --files-from FILE",
        ));
    }
    if args.unsafe_fixes && !args.fix && !args.diff {
        return Err(Error::usage(
            "--unsafe-fixes does nothing without --fix or --diff",
            "add --fix to apply them, or --diff to see them",
        ));
    }
    if (args.fix || args.diff) && reads_stdin {
        return Err(Error::usage(
            "--fix and --diff rewrite files, not standard input",
            "name the file instead of `-`",
        ));
    }
    if args.shard.is_some() && reads_stdin {
        return Err(Error::usage(
            "--shard cannot split standard input",
            "name the files instead of `-`, or run without --shard",
        ));
    }
    let remote = args.paths.iter().any(|p| is_remote(p));
    if remote && !cfg!(feature = "s3") {
        return Err(Error::usage(
            "this copylint was built without reading s3:// (the `s3` feature)",
            "cargo install copylint --features s3",
        ));
    }
    if remote && (args.fix || args.diff) {
        return Err(Error::usage(
            "--fix and --diff rewrite local files; objects in S3 are only read",
            "drop --fix, or copy the objects and fix the copies",
        ));
    }
    if args.null && args.files_from.is_none() {
        return Err(Error::usage(
            "--null does nothing without --files-from",
            "add --files-from FILE (or -) with the NUL-separated list",
        ));
    }
    Ok(())
}

/// Whether a path given on the command line names object storage.
pub fn is_remote(path: &Path) -> bool {
    path.to_str().is_some_and(|p| p.starts_with("s3://"))
}

/// Rejects `--summary` or `--summary-only` with a format that has no summary.
pub fn validate_summary(
    format: OutputFormat,
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
    if let Some(flag) = summary_flag
        && !format.has_summary()
    {
        let name = format.name();
        return Err(Error::usage(
            format!("{flag} does nothing with --format {name}, which has no summary"),
            "use --format human, short, json or ndjson for a summary, or run copylint twice",
        ));
    }
    Ok(())
}
