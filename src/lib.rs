//! copylint checks marketing copy against a wording policy.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod finding;
pub mod source;
pub mod engine;
pub mod policy;
pub mod resolve;
pub mod report;
pub mod walk;
pub mod cli;
pub mod run;
