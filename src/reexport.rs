//! copylint's library under the name it was first published with: all of
//! [`copylint_core`], re-exported. It depends on the command line's crates
//! too (clap, the language server's, the progress bar); depend on
//! `copylint-core` for the library alone.
//!
//! ```
//! use copylint::{Format, Linter, Policy, Source};
//!
//! let linter = Linter::new(vec![Policy::default_policy()])?;
//! let source = Source::new("page.md", "It enables access to ChatGPT.", Format::Markdown);
//! assert_eq!(&*linter.check(&source)[0].rule, "enables-access");
//! # Ok::<(), copylint::Error>(())
//! ```

pub use copylint_core::*;
