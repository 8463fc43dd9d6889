//! Prints the prose copylint checks in each file named (any format it
//! reads, chosen by extension as a walk chooses it), one block a line, for
//! measuring extraction against other tools (`scripts/recall.py`):
//!
//! ```sh
//! cargo run --example extract_text -- deck.pptx brief.pdf > text.txt
//! ```
//!
//! A file that cannot be read is named on standard error with the reason,
//! and the exit status is 1 when any could not be.

use std::io::Write;
use std::path::Path;

use copylint::Source;
use copylint::source::{ExtractOptions, Format};

fn main() {
    let mut failed = false;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for arg in std::env::args().skip(1) {
        let path = Path::new(&arg);
        let format = Format::from_extension(path).unwrap_or_else(|| Format::for_named(path));
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!("{arg}: cannot read: {e}");
                failed = true;
                continue;
            }
        };
        match Source::read(arg.as_str(), bytes, format, ExtractOptions::default()) {
            Ok(source) => source.for_each_block(&mut |block| {
                let _ = writeln!(out, "{}", block.text);
            }),
            Err(e) => {
                eprintln!("{arg}: not read: {}", e.message);
                failed = true;
            }
        }
    }
    let _ = out.flush();
    std::process::exit(i32::from(failed));
}
