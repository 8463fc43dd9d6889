//! Prints the findings of the default policy, with each claim's parts, for
//! each text given (Markdown; `\n` stands for a line break), to see how a
//! sentence is read while working on claim rules:
//!
//! ```sh
//! cargo run --example claims -- "GPT-4o is back. It's reachable from Bedrock."
//! ```

use copylint::{Format, Linter, Policy, Source};

fn main() {
    let linter = match Linter::new(vec![Policy::default_policy()]) {
        Ok(linter) => linter,
        Err(e) => {
            eprintln!("the default policy does not compile: {e}");
            std::process::exit(2);
        }
    };
    for text in std::env::args().skip(1) {
        println!("=== {text}");
        let source = Source::new("text.md", text.replace("\\n", "\n"), Format::Markdown);
        for f in linter.check(&source) {
            match &f.claim {
                Some(claim) => println!(
                    "{} {} {:?}: {}",
                    f.severity,
                    f.rule,
                    f.matched,
                    claim.describe()
                ),
                None => println!("{} {} {:?}", f.severity, f.rule, f.matched),
            }
        }
    }
}
