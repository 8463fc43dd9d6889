//! Arbitrary bytes as a policy file: loading returns Ok or Err and never
//! panics or hangs (libFuzzer's -timeout catches hangs), and an error's
//! diagnostics render through codespan as `copylint` prints them.
//!
//! Like the CLI, non-UTF-8 policy files are rejected before parsing, so the
//! input is read as UTF-8 lossily: every input still reaches the parser.

#![no_main]

use codespan_reporting::term::{self, termcolor::Buffer};
use copylint::{Format, Linter, Policy, Source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match Policy::load("fuzz.toml", &text) {
        Ok(policy) => {
            // A policy that loads compiles into a linter, which checks its
            // own examples again without panicking.
            let examples: Vec<String> = policy
                .rules
                .iter()
                .flat_map(|r| r.bad.iter().chain(&r.good))
                .map(|e| e.text.clone())
                .collect();
            // A policy that loads may still fail to compile (an automaton
            // too large): that is an error, never a panic.
            let Ok(linter) = Linter::new(vec![policy]) else {
                return;
            };
            for (_, rule) in linter.rules() {
                for lit in &rule.literals {
                    assert!(!lit.is_empty(), "rule {} has an empty literal", rule.id);
                }
            }
            for example in examples.iter().take(16) {
                let _ = linter.check(&Source::new("example.md", example.as_str(), Format::Markdown));
            }
        }
        Err(e) => {
            assert!(!e.problems.is_empty(), "a policy error with no problem");
            let file = e.file();
            let config = term::Config::default();
            for color in [false, true] {
                let mut buffer = if color { Buffer::ansi() } else { Buffer::no_color() };
                for d in e.diagnostics() {
                    term::emit_to_write_style(&mut buffer, &config, &file, &d)
                        .unwrap_or_else(|err| panic!("rendering diagnostic {d:?} failed: {err}"));
                }
                assert!(!buffer.as_slice().is_empty());
            }
            let _ = e.to_string();
        }
    }
});
