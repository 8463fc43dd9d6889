//! The Dask driver (`contrib/dask`) on a real `LocalCluster` with two
//! workers over the corpus, through its pytest suite: the merged report
//! equals a single copylint run. `.ci/run` installs `dask[distributed]`
//! and pytest into .venv-ci and points COPYLINT_PYTEST at its pytest.

use crate::common;

use std::path::Path;
use std::process::Command;

#[test]
#[ignore = "needs dask: pip install 'dask[distributed]' pytest into a venv and set COPYLINT_PYTEST to its pytest"]
fn the_dask_driver_merges_shards_run_on_a_local_cluster() {
    let pytest = std::env::var("COPYLINT_PYTEST").unwrap_or_else(|_| "pytest".into());
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("contrib/dask");
    let out = Command::new(&pytest)
        .args(["-q", "-p", "no:cacheprovider", "-p", "no:logging", "."])
        .current_dir(&dir)
        .env("COPYLINT_BIN", env!("CARGO_BIN_EXE_copylint"))
        .env("COPYLINT_CORPUS", common::corpus())
        // The workers import the driver's module to run its tasks.
        .env("PYTHONPATH", &dir)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {pytest}: {e}; install pytest and dask[distributed]")
        });
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("4 passed"), "{stdout}");
}
