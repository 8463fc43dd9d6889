#!/usr/bin/env python3
"""Per-file time of copylint's PDF extraction against pdftotext's, and
copylint's peak RSS, over the PDFs of a folder (or a sample of them).

Each file is read RUNS times by each tool, alternating; a file's time is
its median. Printed: the median over files of copylint's time divided by
pdftotext's (below 1 is faster), the ratio of the summed medians, and the
largest peak resident set copylint reached (GNU time's %M).

  cargo build --example extract_text
  scripts/pdf-speed.py CORPUS --ours $CARGO_TARGET_DIR/debug/examples/extract_text \\
      [--runs 3] [--sample 200]
"""

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import time


def timed(argv, timeout):
    start = time.perf_counter()
    try:
        p = subprocess.run(["/usr/bin/time", "-f", "%M", *argv], stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return timeout, 0
    elapsed = time.perf_counter() - start
    lines = p.stderr.decode("utf-8", "replace").strip().splitlines()
    rss = int(lines[-1]) if lines and lines[-1].isdigit() else 0
    return elapsed, rss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--ours", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sample", type=int, default=0,
                    help="only the N files whose path hashes lowest")
    ap.add_argument("--timeout", type=float, default=120)
    args = ap.parse_args()
    files = []
    for root, dirs, names in os.walk(args.corpus):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        files += [os.path.join(root, n) for n in names if n.lower().endswith(".pdf")]
    files.sort(key=lambda f: hashlib.sha256(os.path.relpath(f, args.corpus).encode()).digest())
    if args.sample:
        files = files[: args.sample]
    ratios, ours_total, theirs_total, peak = [], 0.0, 0.0, (0, "")
    for f in files:
        ours, theirs = [], []
        for _ in range(args.runs):
            t, rss = timed([args.ours, f], args.timeout)
            ours.append(t)
            if rss > peak[0]:
                peak = (rss, f)
            theirs.append(timed(["pdftotext", "-q", f, "-"], args.timeout)[0])
        o, p = statistics.median(ours), statistics.median(theirs)
        ratios.append(o / p)
        ours_total += o
        theirs_total += p
    print(f"files: {len(files)}, runs each: {args.runs}")
    print(f"median per-file ratio copylint/pdftotext: {statistics.median(ratios):.3f}")
    print(f"summed medians: copylint {ours_total:.2f} s, pdftotext {theirs_total:.2f} s, "
          f"ratio {ours_total / theirs_total:.3f}")
    print(f"files where copylint is slower: {sum(r > 1 for r in ratios)}")
    print(f"peak RSS of copylint: {peak[0] / 1024:.1f} MiB ({os.path.relpath(peak[1], args.corpus)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
