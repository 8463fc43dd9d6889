//! Helpers for the packaging tests: the copylint wheel, the Python tools
//! that build and install it, and a `PATH` without a Rust toolchain.
//!
//! `.ci/run` installs maturin and pre-commit into `.venv-ci`, builds the
//! wheel once and passes its folder in `COPYLINT_WHEEL_DIR`; without that
//! variable the first test that needs the wheel builds it with maturin into
//! `target/tmp/wheels` (once per test binary).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

pub fn checkout() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Standard output and standard error, for assertion messages.
pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A tool named by `$var`, else found on `PATH`, else in `.venv-ci/bin`
/// (where `.ci/run` installs the Python ones).
pub fn tool(var: &str, name: &str) -> PathBuf {
    if let Some(path) = std::env::var_os(var).filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    let on_path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&on_path)
        .chain([checkout().join(".venv-ci/bin")])
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| panic!("{name} not found: set {var}, or run .ci/run, which installs it"))
}

/// `PATH` without the folders that hold cargo, rustc or rustup: what a
/// machine without a Rust toolchain has.
pub fn path_without_rust() -> OsString {
    let on_path = std::env::var_os("PATH").unwrap_or_default();
    let kept = std::env::split_paths(&on_path)
        .filter(|dir| {
            !["cargo", "rustc", "rustup"]
                .iter()
                .any(|tool| dir.join(tool).exists())
        })
        .collect::<Vec<_>>();
    std::env::join_paths(kept).expect("PATH folders join again")
}

/// The folder holding this version's copylint wheel.
pub fn wheel_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        if let Some(dir) = std::env::var_os("COPYLINT_WHEEL_DIR").filter(|d| !d.is_empty()) {
            return PathBuf::from(dir);
        }
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("wheels");
        let _ = std::fs::remove_dir_all(&out);
        let build = Command::new(tool("COPYLINT_MATURIN", "maturin"))
            .args(["build", "--release", "--out"])
            .arg(&out)
            .current_dir(checkout().join("pypi"))
            .output()
            .expect("maturin runs");
        assert!(build.status.success(), "maturin build: {}", text(&build));
        out
    })
}

/// This version's copylint wheel.
pub fn wheel() -> PathBuf {
    let prefix = format!("copylint-{}-", env!("CARGO_PKG_VERSION"));
    let dir = wheel_dir();
    let wheels = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            name.starts_with(&prefix) && name.ends_with(".whl")
        })
        .collect::<Vec<_>>();
    match wheels.as_slice() {
        [one] => one.clone(),
        other => panic!("expected one {prefix}*.whl in {}: {other:?}", dir.display()),
    }
}

/// What `copylint --version` prints.
pub fn version_line() -> String {
    let run = Command::new(env!("CARGO_BIN_EXE_copylint"))
        .arg("--version")
        .output()
        .expect("copylint runs");
    String::from_utf8_lossy(&run.stdout).into_owned()
}

/// A fresh virtual environment in `dir` with the wheel installed from
/// `wheel_dir()` alone (no index); its `bin` folder.
pub fn venv_with_wheel(dir: &Path) -> PathBuf {
    let python = tool("COPYLINT_PYTHON", "python3");
    let out = Command::new(&python)
        .args(["-m", "venv"])
        .arg(dir)
        .output()
        .expect("python runs");
    assert!(out.status.success(), "python -m venv: {}", text(&out));
    let bin = dir.join("bin");
    let out = Command::new(bin.join("python"))
        .args([
            "-m",
            "pip",
            "install",
            "--no-index",
            "--disable-pip-version-check",
        ])
        .arg("--find-links")
        .arg(wheel_dir())
        .arg(format!("copylint=={}", env!("CARGO_PKG_VERSION")))
        .env("PATH", path_without_rust())
        .output()
        .expect("pip runs");
    assert!(out.status.success(), "pip install: {}", text(&out));
    bin
}
