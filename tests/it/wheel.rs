//! The Python wheel (pypi/pyproject.toml, built by maturin): what it holds,
//! and that `pip install` of it alone, with no Rust toolchain, gives a
//! working `copylint`.

use crate::common;

use std::process::Command;

use common::packaging::{self, checkout, text};
use serde_json::Value;

/// The wheel's file names, METADATA and WHEEL, read by Python's zipfile.
fn wheel_contents() -> Value {
    const READ: &str = "import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = z.namelist()
meta = lambda n: next(z.read(x).decode() for x in names if x.endswith('.dist-info/' + n))
json.dump({'names': names, 'metadata': meta('METADATA'), 'wheel': meta('WHEEL')}, sys.stdout)";
    let out = Command::new(packaging::tool("COPYLINT_PYTHON", "python3"))
        .args(["-c", READ])
        .arg(packaging::wheel())
        .output()
        .expect("python runs");
    assert!(out.status.success(), "{}", text(&out));
    serde_json::from_slice(&out.stdout).expect("JSON from python")
}

#[test]
#[ignore = "needs maturin and python3 (.ci/run installs them)"]
fn wheel_holds_the_binary_and_its_metadata_only() {
    let contents = wheel_contents();
    let version = env!("CARGO_PKG_VERSION");
    let data = format!("copylint-{version}.data/");
    let info = format!("copylint-{version}.dist-info/");
    let names: Vec<&str> = contents["names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    println!(
        "wheel {}:\n  {}",
        packaging::wheel().display(),
        names.join("\n  ")
    );

    let binary = format!("{data}scripts/copylint");
    assert!(names.contains(&binary.as_str()), "no {binary}: {names:?}");
    for required in ["METADATA", "WHEEL", "RECORD"] {
        let path = format!("{info}{required}");
        assert!(names.contains(&path.as_str()), "no {path}: {names:?}");
    }
    // Besides the binary: only metadata, its licences and software bill of
    // materials. No Python modules, libraries, sources or stray files.
    for name in &names {
        let allowed = *name == binary
            || (name.starts_with(&info)
                && (!name[info.len()..].contains('/')
                    || name[info.len()..].starts_with("licenses/")
                    || name[info.len()..].starts_with("sboms/")));
        assert!(allowed, "unexpected file in the wheel: {name}");
    }

    let metadata = contents["metadata"].as_str().unwrap();
    let field = |key: &str| -> Vec<&str> {
        metadata
            .lines()
            .take_while(|line| !line.is_empty())
            .filter_map(|line| line.strip_prefix(key)?.strip_prefix(": "))
            .collect()
    };
    assert_eq!(field("Name"), ["copylint"]);
    assert_eq!(field("Version"), [version]);
    assert_eq!(field("License-Expression"), ["MIT OR Apache-2.0"]);
    assert!(field("Summary")[0].contains("wording policy"), "{metadata}");
    assert!(
        field("Requires-Dist").is_empty(),
        "the binary needs no Python package"
    );
    let urls = field("Project-URL");
    for label in ["Repository", "Changelog", "Issues"] {
        assert!(
            urls.iter().any(|u| u.starts_with(label)),
            "{label}: {urls:?}"
        );
    }
    let classifiers = field("Classifier");
    assert!(
        classifiers.contains(&"Environment :: Console"),
        "{classifiers:?}"
    );
    assert!(
        metadata.contains("## Install"),
        "the README is the long description"
    );

    // A platform wheel for any Python 3: the binary does not use Python.
    let wheel = contents["wheel"].as_str().unwrap();
    assert!(wheel.contains("Root-Is-Purelib: false"), "{wheel}");
    assert!(
        wheel.lines().any(|l| l.starts_with("Tag: py3-none-")),
        "{wheel}"
    );
}

#[test]
#[ignore = "needs maturin and python3 (.ci/run installs them)"]
fn pip_install_of_the_wheel_alone_gives_a_working_copylint() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = packaging::venv_with_wheel(&tmp.path().join("venv"));
    assert!(
        bin.join("copylint").is_file(),
        "pip put copylint in the venv"
    );

    // As a new user runs it: the venv's bin folder on a PATH with no Rust.
    let mut path = vec![bin.clone()];
    path.extend(std::env::split_paths(&packaging::path_without_rust()));
    let path = std::env::join_paths(path).unwrap();
    let from_venv = |args: &[&str]| {
        Command::new("copylint")
            .args(args)
            .current_dir(checkout())
            .env("PATH", &path)
            .env_remove("NO_COLOR")
            .output()
            .expect("the installed copylint runs")
    };

    let out = from_venv(&["--version"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        packaging::version_line()
    );

    // `copylint examples/` finds what the cargo-built binary finds.
    let installed = from_venv(&["examples/"]);
    let built = common::run(&["examples/"]);
    let stdout = String::from_utf8_lossy(&installed.stdout);
    assert_eq!(installed.status.code(), Some(1), "{}", text(&installed));
    assert!(
        stdout.contains("examples/collateral/needs-review/launch-blog-post.md"),
        "{stdout}"
    );
    assert_eq!(stdout, built.stdout);
}
