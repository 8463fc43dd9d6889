//! copylint checks marketing copy against a wording policy.
//!
//! The pipeline, one module per stage: [`walk`] finds files, [`source`]
//! decodes them and extracts prose blocks with a source map, [`engine`]
//! matches every policy phrase with one automaton, [`resolve`] applies
//! context, approved phrases and overlaps, and [`report`] writes the
//! [`Finding`]s. [`policy`] loads the rules; [`run`] drives it all for the
//! command line ([`cli`]).
//!
//! ```
//! use copylint::{Format, Linter, Policy, Source};
//!
//! let linter = Linter::new(vec![Policy::default_policy()]);
//! let source = Source::new("page.md", "The SRE **enables** access to ChatGPT.", Format::Markdown);
//! let findings = linter.check(&source);
//! assert_eq!(&*findings[0].rule, "enables-access");
//! ```
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod baseline;
pub mod cli;
pub mod config;
pub mod engine;
pub mod finding;
pub mod policy;
pub mod report;
pub mod resolve;
pub mod run;
pub mod source;
pub mod suppress;
pub mod walk;

pub use engine::Linter;
pub use finding::{Finding, Severity, Span};
pub use policy::Policy;
pub use source::{Format, Source};
