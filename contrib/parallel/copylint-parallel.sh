#!/bin/sh
# One big machine: SHARDS shards of COLLATERAL at once with GNU parallel,
# their NDJSON in RESULTS, then one report (any `copylint merge` flags,
# such as --format html, follow on the command line).
set -eu
export COLLATERAL RESULTS SHARDS
seq "$SHARDS" | parallel --halt now,fail=1 \
  'copylint --shard {}/$SHARDS --fail-on never --format ndjson "$COLLATERAL" > "$RESULTS/shard-{}.ndjson"'
copylint merge "$@" "$RESULTS"/shard-*.ndjson
