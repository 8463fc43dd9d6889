//! Prints the text copylint extracts from each PDF file named, page by
//! page, to compare extraction across versions:
//!
//! ```sh
//! cargo run --release --example pdf_text -- corpus/*.pdf > text.txt
//! ```

use copylint::Source;
use copylint::source::{ExtractOptions, Format, Unit};

fn main() {
    for path in std::env::args().skip(1) {
        println!("=== {path}");
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                println!("cannot read: {e}");
                continue;
            }
        };
        match Source::read(&path, bytes, Format::Pdf, ExtractOptions::default()) {
            Ok(source) => {
                let mut offset = 0;
                let mut page = 0;
                for line in source.text().split_inclusive('\n') {
                    if let Some((_, Unit::Page(p))) = source.unit_at(offset)
                        && p != page
                    {
                        page = p;
                        println!("--- page {p}");
                    }
                    print!("{line}");
                    offset += line.len();
                }
            }
            Err(e) => println!("not read: {}", e.message),
        }
    }
}
