//! Size limits set in the configuration's `[limits]`, through the real
//! binary: a file or document over a limit is reported as too large (an
//! error when named, exit 2), the others are still checked, and `copylint
//! config` shows each limit and where it came from.

use crate::common;
use common::*;

use std::path::Path;

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

fn fixture(name: &str) -> Vec<u8> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/documents");
    std::fs::read(dir.join(name)).expect("fixture")
}

/// A folder with the brief as Word and as OpenDocument text: as
/// LibreOffice writes it, the OpenDocument file inflates content.xml
/// (9 KB) and styles.xml (39 KB), the Word file under 20 KB in all.
fn briefs(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "copylint.toml", config);
    write(dir.path(), "brief.docx", fixture("brief.docx"));
    write(dir.path(), "brief.odt", fixture("brief.odt"));
    dir
}

fn files_with_findings(stdout: &str) -> Vec<&str> {
    let mut files: Vec<&str> = stdout.lines().filter_map(|l| l.split(':').next()).collect();
    files.dedup();
    files
}

#[test]
fn a_document_over_the_configured_limit_is_too_large_and_the_others_are_checked() {
    let dir = briefs("[limits]\nmax-document-size = \"20K\"\n");
    let r = run_in(
        dir.path(),
        &["--format", "short", "brief.docx", "brief.odt"],
        b"",
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(
        files_with_findings(&r.stdout),
        ["brief.docx"],
        "{}",
        r.stdout
    );
    assert!(
        r.stderr.contains("error: brief.odt: not checked: ")
            && r.stderr.contains("over its limit of 20480 bytes"),
        "{}",
        r.stderr
    );
    // Walked rather than named: a warning, and the findings decide.
    let r = run_in(dir.path(), &["--format", "json", "."], b"");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("warning: brief.odt: not checked"),
        "{}",
        r.stderr
    );
    let json: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    let kinds: Vec<&str> = json["notices"]
        .as_array()
        .expect("notices")
        .iter()
        .map(|n| n["kind"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(kinds, ["too-large"], "{}", r.stdout);
    // The default limit reads both.
    let r = run_in(
        dir.path(),
        &[
            "--no-config",
            "--format",
            "short",
            "brief.docx",
            "brief.odt",
        ],
        b"",
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        files_with_findings(&r.stdout),
        ["brief.docx", "brief.odt"],
        "{}",
        r.stdout
    );
}

#[test]
fn entry_limit_and_file_size_limit_from_the_configuration() {
    let dir = briefs("[limits]\nmax-entry-size = 16384\n");
    let r = run_in(dir.path(), &["--format", "short", "brief.odt"], b"");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "styles.xml in the archive declares 39083 bytes, over the limit of 16384 per entry"
        ),
        "{}",
        r.stderr
    );

    let dir = briefs("[limits]\nmax-file-size = \"1K\"\n");
    write(
        dir.path(),
        "big.md",
        "The SRE enables access to ChatGPT.\n".repeat(40),
    );
    write(
        dir.path(),
        "small.md",
        "The SRE enables access to ChatGPT.\n",
    );
    // Named, it fails the run; found by walking, it is measured when it is
    // opened, and is a warning.
    for (args, code) in [(&["big.md", "small.md"][..], 2), (&["."][..], 1)] {
        let r = run_in(dir.path(), &[&["--format", "short"], args].concat(), b"");
        assert_eq!(r.code, code, "{args:?}: {}", r.stderr);
        assert_eq!(files_with_findings(&r.stdout), ["small.md"]);
        assert!(
            r.stderr
                .contains("big.md: not checked: 1.4 KB is over the max-file-size limit of 1.0 KB"),
            "{}",
            r.stderr
        );
    }
    // The flag wins over the file.
    let r = run_in(
        dir.path(),
        &[
            "--max-file-size",
            "64K",
            "--format",
            "short",
            "big.md",
            "small.md",
        ],
        b"",
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(files_with_findings(&r.stdout), ["big.md", "small.md"]);
}

#[test]
fn config_shows_each_limit_and_its_origin() {
    let dir = briefs("[limits]\nmax-document-size = \"20K\"\nmax-compression-ratio = 50\n");
    let r = run_in(dir.path(), &["--max-file-size", "2M", "config"], b"");
    assert_eq!(r.code, 0, "{}", r.stderr);
    for line in [
        "  max-file-size            2M               (command line)",
        "  max-entry-size           256M             (default)",
        "  max-document-size        20K              (configuration file)",
        "  max-compression-ratio    50               (configuration file)",
    ] {
        assert!(r.stdout.contains(line), "{line}\n{}", r.stdout);
    }
}

#[test]
fn bad_limits_are_errors_at_their_line() {
    for (config, message, at) in [
        (
            "[limits]\nmax-entry-size = \"lots\"\n",
            "`lots` is not a size",
            ":2:18",
        ),
        (
            "[limits]\n\nmax-document-size = 0\n",
            "a limit must be more than 0",
            ":3:21",
        ),
        ("[limits]\nmax-file-size = -5\n", "-5 is negative", ":2:17"),
        (
            "[limits]\nmax-compression-ratio = \"200\"\n",
            "a compression ratio is a whole number",
            ":2:25",
        ),
        (
            "[limits]\nmax-file-size = true\n",
            "a size is a number of bytes or a string",
            ":2:17",
        ),
        (
            "[limits]\nmax-size = 5\n",
            "unknown field `max-size`",
            ":2:1",
        ),
    ] {
        let dir = briefs(config);
        let r = run_in(dir.path(), &["brief.docx"], b"");
        assert_eq!(r.code, 2, "{config}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{config}: {}", r.stdout);
        assert!(
            r.stderr.contains(message) && r.stderr.contains(&format!("copylint.toml{at}")),
            "{config}: {}",
            r.stderr
        );
    }
}
