//! Release artifacts: the version the binary reports, and the archives
//! cargo-dist (`dist`) builds for the host target.

use crate::common;

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use common::packaging::{self, checkout, text};
use serde_json::Value;

/// The `name` field of the embedded policy file.
fn embedded_policy_name() -> String {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("crates/copylint-core/wordlists/aws-openai-sre.toml");
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

/// The host's target triple, as rustc names it.
fn host_triple() -> String {
    let out = Command::new("rustc")
        .arg("-vV")
        .output()
        .expect("rustc runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .expect("rustc -vV names the host")
        .to_string()
}

/// Runs `dist build` with `args` in the checkout; its JSON manifest.
fn dist_build(args: &[&str]) -> Value {
    let mut cmd = Command::new(packaging::tool("COPYLINT_DIST", "dist"));
    cmd.arg("build")
        .args(args)
        .arg("--output-format=json")
        .current_dir(checkout());
    // What `cargo test` sets for this test must not reach dist's cargo.
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy().into_owned();
        if key.starts_with("CARGO_") && key != "CARGO_HOME" {
            cmd.env_remove(key);
        }
    }
    let out = cmd.output().expect("dist runs");
    assert!(out.status.success(), "dist build {args:?}: {}", text(&out));
    serde_json::from_slice(&out.stdout).expect("dist's JSON manifest")
}

/// `dist build` for the host target: an archive with its checksum that
/// unpacks to a working binary, and the two installers.
#[test]
#[ignore = "needs dist (cargo-dist; .ci/run installs it)"]
fn dist_build_makes_an_archive_that_unpacks_to_a_working_binary() {
    let host = host_triple();
    let start = Instant::now();
    let manifest = dist_build(&["--artifacts=local", "--target", &host]);
    println!("dist build: {:.1} s", start.elapsed().as_secs_f64());
    let artifacts = manifest["artifacts"].as_object().expect("artifacts");
    let names: Vec<&String> = artifacts.keys().collect();
    println!("artifacts: {names:?}");

    let archive = artifacts
        .values()
        .find(|a| {
            a["kind"] == "executable-zip"
                && a["target_triples"]
                    .as_array()
                    .is_some_and(|t| t.iter().any(|t| t == host.as_str()))
        })
        .unwrap_or_else(|| panic!("no archive for {host}: {names:?}"));
    let distrib = checkout().join("target/distrib");
    let archive_name = archive["name"].as_str().unwrap();
    let archive_path = distrib.join(archive_name);
    assert_eq!(archive_name, format!("copylint-{host}.tar.xz"));

    // Its checksum file holds the archive's SHA-256.
    let checksum_name = archive["checksum"].as_str().expect("a checksum artifact");
    let recorded = fs::read_to_string(distrib.join(checksum_name)).unwrap();
    let computed = Command::new("sha256sum")
        .arg(&archive_path)
        .output()
        .unwrap();
    let computed = String::from_utf8_lossy(&computed.stdout);
    assert_eq!(
        recorded.split_whitespace().next(),
        computed.split_whitespace().next(),
        "{checksum_name}"
    );

    // It unpacks to a folder with the binary, the README, the changelog
    // and the licences, and the binary works.
    let unpacked = tempfile::tempdir().unwrap();
    let tar = Command::new("tar")
        .arg("-xJf")
        .arg(&archive_path)
        .arg("-C")
        .arg(unpacked.path())
        .output()
        .expect("tar runs");
    assert!(tar.status.success(), "tar: {}", text(&tar));
    let folder = unpacked.path().join(format!("copylint-{host}"));
    for file in ["README.md", "CHANGELOG.md", "LICENSE-MIT", "LICENSE-APACHE"] {
        assert!(folder.join(file).is_file(), "{file} in {archive_name}");
    }
    let binary = folder.join("copylint");
    let version = Command::new(&binary).arg("--version").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&version.stdout),
        packaging::version_line()
    );
    let check = Command::new(&binary)
        .arg("examples/")
        .current_dir(checkout())
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1), "{}", text(&check));
    assert!(String::from_utf8_lossy(&check.stdout).contains("calls-on-openai"));

    // The installers, for the release page (global artifacts: no build).
    dist_build(&["--artifacts=global"]);
    let shell = fs::read_to_string(distrib.join("copylint-installer.sh")).expect("shell installer");
    assert!(
        shell.contains(env!("CARGO_PKG_VERSION")),
        "the shell installer names the version"
    );
    let syntax = Command::new("sh")
        .arg("-n")
        .arg(distrib.join("copylint-installer.sh"))
        .output()
        .unwrap();
    assert!(syntax.status.success(), "sh -n: {}", text(&syntax));
    let powershell =
        fs::read_to_string(distrib.join("copylint-installer.ps1")).expect("PowerShell installer");
    assert!(powershell.contains(env!("CARGO_PKG_VERSION")));
}

/// What `dist` would release: an archive with a checksum for each of the
/// five targets, both installers and one file of every checksum.
#[test]
#[ignore = "needs dist (cargo-dist; .ci/run installs it)"]
fn dist_plans_every_target_with_checksums_and_installers() {
    let out = Command::new(packaging::tool("COPYLINT_DIST", "dist"))
        .args(["plan", "--output-format=json"])
        .current_dir(checkout())
        .output()
        .expect("dist runs");
    assert!(out.status.success(), "dist plan: {}", text(&out));
    let manifest: Value = serde_json::from_slice(&out.stdout).expect("dist's JSON manifest");
    let artifacts = manifest["artifacts"].as_object().expect("artifacts");
    let kind = |name: &str| {
        artifacts
            .get(name)
            .map(|a| a["kind"].as_str().unwrap_or(""))
    };
    for (target, ext) in [
        ("x86_64-unknown-linux-gnu", "tar.xz"),
        ("x86_64-unknown-linux-musl", "tar.xz"),
        ("x86_64-apple-darwin", "tar.xz"),
        ("aarch64-apple-darwin", "tar.xz"),
        ("x86_64-pc-windows-msvc", "zip"),
    ] {
        let archive = format!("copylint-{target}.{ext}");
        assert_eq!(kind(&archive), Some("executable-zip"), "{archive}");
        let checksum = format!("{archive}.sha256");
        assert_eq!(kind(&checksum), Some("checksum"), "{checksum}");
    }
    assert_eq!(kind("copylint-installer.sh"), Some("installer"));
    assert_eq!(kind("copylint-installer.ps1"), Some("installer"));
    assert_eq!(kind("sha256.sum"), Some("unified-checksum"));

    // The release workflow is the one dist generates from this configuration.
    let out = Command::new(packaging::tool("COPYLINT_DIST", "dist"))
        .args(["generate", "--check"])
        .current_dir(checkout())
        .output()
        .expect("dist runs");
    assert!(
        out.status.success(),
        ".github/workflows/release.yml is stale (run `dist generate`): {}",
        text(&out)
    );
}
