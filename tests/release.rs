//! Release artifacts: the version the binary reports, and the archives
//! cargo-dist (`dist`) builds for the host target.

mod common;

use std::path::Path;

/// The `name` field of the embedded policy file.
fn embedded_policy_name() -> String {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("wordlists/aws-openai-sre.toml");
    let text = std::fs::read_to_string(&file).expect("the embedded policy file is readable");
    let doc: toml::Table = text.parse().expect("the embedded policy is TOML");
    doc["name"]
        .as_str()
        .expect("the policy has a name")
        .to_string()
}

#[test]
fn version_names_the_embedded_policy() {
    let expected = format!(
        "copylint {} (embedded policy: {})\n",
        env!("CARGO_PKG_VERSION"),
        embedded_policy_name()
    );
    for flag in ["--version", "-V"] {
        let run = common::run(&[flag]);
        assert_eq!(run.code, 0, "{flag}: {}", run.stderr);
        assert_eq!(run.stdout, expected, "{flag}");
    }
}
