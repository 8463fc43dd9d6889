"""The Dask driver on a real LocalCluster with 2 workers over the corpus:
the merged report equals one copylint run over the same tree."""

import os
import re
import subprocess

import pytest
from dask.distributed import Client, LocalCluster

import copylint_dask

COPYLINT = os.environ["COPYLINT_BIN"]
CORPUS = os.environ["COPYLINT_CORPUS"]


def timeless(text: bytes) -> bytes:
    text = re.sub(rb'"seconds":[0-9.e-]+', b'"seconds":0', text)
    return re.sub(rb"checked in [0-9.]+ s", b"checked in 0 s", text)


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as c:
        assert len(c.scheduler_info()["workers"]) == 2
        yield c


@pytest.mark.parametrize("flags", [
    ["--format", "json", "--summary"],
    ["--format", "human", "--color", "never"],
    ["--format", "sarif"],
])
def test_merged_equals_single_run(client, flags):
    assert os.path.isdir(CORPUS), CORPUS
    single = subprocess.run([COPYLINT, "--no-config", *flags, CORPUS], capture_output=True)
    assert single.returncode in (0, 1), single.stderr
    assert b'"diagnostics":[]' not in single.stdout
    merged = copylint_dask.run(client, [CORPUS], 5, copylint=COPYLINT,
                               check_args=["--no-config"], merge_args=["--no-config", *flags])
    assert merged.returncode == single.returncode, merged.stderr
    assert merged.stderr == single.stderr
    assert timeless(merged.stdout) == timeless(single.stdout)


def test_a_failing_shard_fails_loudly(client):
    with pytest.raises(copylint_dask.ShardFailed, match=r"shard [12]/2 exited 2: error: unexpected argument"):
        copylint_dask.run(client, ["--no-such-flag"], 2, copylint=COPYLINT)
