//! copylint checks marketing copy against a wording policy.
//!
//! The pipeline, one module per stage: [`walk`] finds files, [`source`]
//! decodes them and extracts prose blocks with a source map, [`engine`]
//! matches every policy phrase with one automaton, [`resolve`] applies
//! context, approved phrases and overlaps, and [`report`] writes the
//! [`Finding`]s (and [`Notice`]s about files) to any `io::Write`.
//! [`file`] runs one file through them (size limit, format, suppression
//! notices, fixes) for the command line and the language server alike.
//! [`policy`] loads the rules, [`config`] reads `copylint.toml`,
//! [`suppress`] and [`baseline`] decide which findings are kept, and
//! [`error`] holds the setup failures as data. [`shard`] picks one shard
//! of the files for a sharded run, and [`merge`] reads the NDJSON outputs
//! of shards back into one run's findings for the reporters. [`frame`]
//! reads and writes the Content-Length frames of the language server's
//! stream, from any reader. The command line lives in the binary; this
//! library never touches the process's streams.
//!
//! ```
//! use copylint_core::{Format, Linter, Policy, Source};
//!
//! let linter = Linter::new(vec![Policy::default_policy()])?;
//! let source = Source::new("page.md", "The SRE **enables** access to ChatGPT.", Format::Markdown);
//! let findings = linter.check(&source);
//! assert_eq!(&*findings[0].rule, "enables-access");
//! # Ok::<(), copylint_core::Error>(())
//! ```
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod baseline;
pub mod claims;
pub mod config;
pub mod engine;
pub mod error;
pub mod file;
pub mod finding;
pub mod fix;
pub mod frame;
pub mod language;
pub mod merge;
pub mod ocr;
pub mod policy;
pub mod report;
pub mod resolve;
pub mod shard;
pub mod source;
pub mod suppress;
#[cfg(test)]
mod test_support;
pub mod walk;

pub use engine::Linter;
pub use error::Error;
pub use finding::{FailOn, Finding, Notice, NoticeKind, NoticeLevel, Severity, Span};
pub use policy::Policy;
pub use source::{Format, Source};
