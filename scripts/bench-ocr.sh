#!/usr/bin/env bash
# Times --ocr on a folder of real decks and documents, and what counting
# images costs a run without it.
#
# Usage: scripts/bench-ocr.sh OCR_BINARY DECKS [BASE_BINARY BINARY [CORPUS]]
#
# OCR_BINARY is copylint built with `--features ocr`. It is run RUNS
# (default 3) times with --ocr on DECKS; the median wall time gives images
# per second: images shown (each place an image is shown, as the notices
# count them without --ocr) and distinct images (media files by SHA-256,
# which is what is read: each once per run). The same files without --ocr
# are timed too.
#
# With BASE_BINARY (a default build of the commit before image counting)
# and BINARY (a default build of this one), both are run alternately
# CHECKS (default 11) times on CORPUS (default ../shared/corpus) and on
# DECKS, and the medians and their ratio are printed.
set -euo pipefail
ocr=$1
decks=$2
base=${3:-}
branch=${4:-}
corpus=${5:-../shared/corpus}
runs=${RUNS:-3}
checks=${CHECKS:-11}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s.%N; }
timed() {
  local t0 t1
  t0=$(now)
  "$@" > /dev/null 2>&1 || true
  t1=$(now)
  echo "$t1 - $t0" | bc
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
shown=$({ "$ocr" --format json --fail-on never "$decks" 2>/dev/null || true; } |
  python3 -c 'import json,sys; s=json.load(sys.stdin)["summary"]; print((s.get("images_not_read") or {}).get("images", 0))')
distinct=$(python3 - "$decks" <<'PY'
import hashlib, os, sys, zipfile
seen = set()
for root, _, files in os.walk(sys.argv[1]):
    for name in files:
        try:
            with zipfile.ZipFile(os.path.join(root, name)) as z:
                for entry in z.namelist():
                    if "/media/" in entry or entry.startswith("Pictures/"):
                        seen.add(hashlib.sha256(z.read(entry)).hexdigest())
        except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
            pass
print(len(seen))
PY
)
echo "images shown: $shown; distinct media files: $distinct"
plain=$(for ((r = 0; r < runs; r++)); do timed "$ocr" --fail-on never "$decks"; done | median)
with=$(for ((r = 0; r < runs; r++)); do timed "$ocr" --ocr --fail-on never "$decks"; done | median)
echo "without --ocr, seconds (median of $runs): $plain"
echo "with --ocr, seconds (median of $runs): $with"
echo "images shown per second: $(echo "scale=2; $shown / $with" | bc)"
echo "distinct images per second: $(echo "scale=2; $distinct / $with" | bc)"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

if [[ -n $base && -n $branch ]]; then
  for target in "$corpus" "$decks"; do
    : > /tmp/bench-ocr-base.$$
    : > /tmp/bench-ocr-branch.$$
    for ((r = 0; r < checks; r++)); do
      timed "$base" --fail-on never "$target" >> /tmp/bench-ocr-base.$$
      timed "$branch" --fail-on never "$target" >> /tmp/bench-ocr-branch.$$
    done
    b=$(median < /tmp/bench-ocr-base.$$)
    n=$(median < /tmp/bench-ocr-branch.$$)
    echo "$target: before $b s, after $n s (medians of $checks, alternating); after/before: $(echo "scale=3; $n / $b" | bc)"
  done
  rm -f /tmp/bench-ocr-base.$$ /tmp/bench-ocr-branch.$$
  echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
fi
