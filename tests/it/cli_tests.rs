//! Command-line cases as data: each `tests/cmd/*.toml` runs the real binary
//! with its arguments, environment and standard input in one of the input
//! folders beside it (`fs.base`), and pins the exit status, standard output
//! and standard error in full. `[..]` in an expected output matches any
//! text within its line (used only for times and the number of cores).
//!
//! To see what changed after a change of output, run
//! `TRYCMD=overwrite cargo test --test it cli_tests::` and read the diff of
//! `tests/cmd/` before committing it.

use std::path::Path;

#[test]
fn cli_tests() {
    trycmd::TestCases::new()
        .register_bin("copylint", Path::new(env!("CARGO_BIN_EXE_copylint")))
        .case("tests/cmd/*.toml");
}
