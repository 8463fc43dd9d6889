"""Run copylint's shards on a Dask cluster, then merge them into one report.

One task per shard runs the copylint binary on a worker with
``--shard K/N --fail-on never --format ndjson`` and returns its NDJSON;
the client gathers the outputs and runs ``copylint merge``, whose output
is the bytes one copylint run over the whole tree writes (apart from
timings) and whose exit status follows ``--fail-on`` as a run's does.

The workers need copylint on their PATH (or ``--copylint``) and the files
at the paths given, for example on a shared file system: a path is sharded
relative to the root it is found under, so each worker must see the same
root path.

    python copylint_dask.py --scheduler tcp://scheduler:8786 --shards 64 \\
        --format html /data/collateral > report.html
    python copylint_dask.py --local-workers 4 --shards 8 docs/
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Sequence


class ShardFailed(RuntimeError):
    """A shard's copylint run exited with an error (status 2)."""


def check_shard(copylint: str, shard: int, shards: int, args: Sequence[str]) -> bytes:
    """Runs shard ``shard`` of ``shards`` (from 1) and returns its NDJSON."""
    command = [copylint, "--shard", f"{shard}/{shards}", "--fail-on", "never",
               "--format", "ndjson", "--quiet", *args]
    result = subprocess.run(command, capture_output=True, check=False)
    # Status 2 with an output is a run that checked its files but found a
    # file it could not read: merge reports that (and exits 2) as one run
    # would. Without an output, the run itself failed.
    if result.returncode != 0 and not (result.returncode == 2 and result.stdout):
        raise ShardFailed(
            f"shard {shard}/{shards} exited {result.returncode}: "
            + result.stderr.decode(errors="replace").strip()
        )
    return result.stdout


def run(client, paths: Sequence[str], shards: int, *, copylint: str = "copylint",
        check_args: Sequence[str] = (), merge_args: Sequence[str] = ()) \
        -> subprocess.CompletedProcess:
    """Checks ``paths`` in ``shards`` tasks on the Dask ``client``, then
    merges them with ``copylint merge merge_args``; returns that run."""
    if shards < 1:
        raise ValueError("shards must be at least 1")
    args = [*check_args, *paths]
    futures = [
        client.submit(check_shard, copylint, k, shards, args, pure=False, key=f"copylint-shard-{k}-of-{shards}")
        for k in range(1, shards + 1)
    ]
    outputs = client.gather(futures)
    with tempfile.TemporaryDirectory(prefix="copylint-shards-") as tmp:
        files = []
        for k, output in enumerate(outputs, start=1):
            path = Path(tmp, f"shard-{k}.ndjson")
            path.write_bytes(output)
            files.append(str(path))
        return subprocess.run([copylint, "merge", *merge_args, *files],
                              capture_output=True, check=False)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--scheduler", help="address of a running Dask scheduler")
    where.add_argument("--local-workers", type=int, metavar="N",
                       help="start a LocalCluster with N workers")
    parser.add_argument("--shards", type=int, required=True, metavar="N")
    parser.add_argument("--copylint", default="copylint", help="the copylint binary")
    parser.add_argument("--format", default="human")
    parser.add_argument("paths", nargs="+")
    args, merge_flags = parser.parse_known_args(argv)
    from dask.distributed import Client, LocalCluster

    if args.scheduler:
        client = Client(args.scheduler)
    else:
        client = Client(LocalCluster(n_workers=args.local_workers, threads_per_worker=1))
    with client:
        merged = run(client, args.paths, args.shards, copylint=args.copylint,
                     merge_args=["--format", args.format, *merge_flags])
    sys.stdout.buffer.write(merged.stdout)
    sys.stderr.buffer.write(merged.stderr)
    return merged.returncode


if __name__ == "__main__":
    sys.exit(main())
