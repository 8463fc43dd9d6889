//! Setup errors as data: everything that stops a run before a file is
//! checked (a policy, a configuration or a baseline that cannot be used,
//! a rule id defined twice, an unknown rule, an I/O failure on a named
//! file, a flag combination that does nothing).
//!
//! The library only builds these values; the binary turns each into a
//! message (with a source snippet where there is one) and an exit status,
//! in one place.

use std::io;
use std::path::PathBuf;

use crate::baseline::BaselineError;
use crate::policy::PolicyError;

/// A failure that stops a run before it checks anything.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A policy file that does not parse or validate.
    #[error(transparent)]
    Policy(#[from] PolicyError),
    /// A configuration file with problems; same shape as a policy error.
    #[error("invalid configuration {}", .0.origin)]
    Config(PolicyError),
    /// A rule id that two loaded policies both define; the error points at
    /// the second definition and names the first.
    #[error("rule id `{id}` is defined by two policies")]
    DuplicateRule { id: String, error: PolicyError },
    /// A rule named (by `explain`, say) that no loaded policy defines.
    #[error("unknown rule `{id}`")]
    UnknownRule {
        id: String,
        /// The active rule closest to `id`, when one is close.
        suggestion: Option<String>,
        known: Vec<String>,
    },
    /// A baseline file that is not a copylint baseline.
    #[error("{}: {source}", path.display())]
    Baseline {
        path: PathBuf,
        source: BaselineError,
    },
    /// A named file (policy, configuration, baseline, list) that cannot be
    /// read or written.
    #[error("cannot {verb} {what} {}: {}", path.display(), describe_io(source))]
    Io {
        verb: &'static str,
        what: &'static str,
        path: PathBuf,
        source: io::Error,
    },
    /// The loaded policies could not be compiled into one automaton.
    #[error("cannot compile the policies {}: {message}", policies.join(", "))]
    Automaton {
        policies: Vec<String>,
        message: String,
    },
    /// No policy is loaded.
    #[error(
        "no policy to check against: without the default policy, name one with --policy FILE or in copylint.toml"
    )]
    NoPolicy,
    /// An NDJSON output given to `copylint merge` that cannot be read, is
    /// truncated or corrupt (at `line`), or does not fit with the others.
    #[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Merge {
        path: PathBuf,
        line: Option<usize>,
        message: String,
    },
    /// Arguments that contradict each other or would do nothing.
    #[error("{message}")]
    Usage {
        message: String,
        hint: Option<String>,
    },
}

impl Error {
    /// A usage error with a hint saying what to do instead.
    pub fn usage(message: impl Into<String>, hint: impl Into<String>) -> Error {
        Error::Usage {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    /// A failure to read the file at `path`, which is a `what`.
    pub fn read(what: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Error {
        Error::Io {
            verb: "read",
            what,
            path: path.into(),
            source,
        }
    }
}

/// An I/O error as a short, lower-case phrase ("no such file or directory").
pub fn describe_io(err: &io::Error) -> String {
    use std::io::ErrorKind;
    match err.kind() {
        ErrorKind::NotFound => "no such file or directory".to_string(),
        ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => {
            let s = err.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_lowercase(),
                None => s,
            }
        }
    }
}

/// The candidate closest to `word` by edit distance, if it is close enough
/// to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(word, c), c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_rule() {
        let rules = ["enables-access", "calls-on", "frontier-model-claim"];
        assert_eq!(
            did_you_mean("enable-access", rules).as_deref(),
            Some("enables-access")
        );
        assert_eq!(did_you_mean("call-on", rules).as_deref(), Some("calls-on"));
        assert_eq!(did_you_mean("something-else", rules), None);
    }
}
