#!/bin/sh
# Runs one copylint fuzz target for a number of seconds.
#
#   fuzz/run.sh fuzz_check 600          # 10 minutes, address sanitizer
#   SANITIZER=none fuzz/run.sh fuzz_policy 600
#   fuzz/run.sh fuzz_check 60 -jobs=2   # extra arguments go to libFuzzer
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). cargo-fuzz passes -Z flags
# to rustc (sanitizers, coverage instrumentation), which only nightly
# accepts; on a stable toolchain RUSTC_BOOTSTRAP=1 lets stable rustc accept
# them, so this script sets it. The address sanitizer links on stable
# 1.95; if it ever fails to, use SANITIZER=none.
#
# Hand-picked seeds live in fuzz/seeds/<target>/ (committed). They are
# copied into fuzz/corpus/<target>/ (ignored by git), which libFuzzer grows
# with the inputs it finds; crashes go to fuzz/artifacts/<target>/.
# Each input renders through one output format picked by a hash of it;
# COPYLINT_FUZZ_ALL_OUTPUTS=1 renders all (slower; good for replaying a
# corpus with -runs=0).
# Reproduce a crash with:
#   RUSTC_BOOTSTRAP=1 cargo fuzz run <target> fuzz/artifacts/<target>/crash-...
# and minimize it with:
#   RUSTC_BOOTSTRAP=1 cargo fuzz tmin <target> fuzz/artifacts/<target>/crash-...
set -eu

target=${1:?usage: fuzz/run.sh <fuzz_check|fuzz_policy|fuzz_html|fuzz_office|fuzz_pdf|fuzz_frame> [seconds] [libfuzzer args...]}
seconds=${2:-600}
[ $# -ge 2 ] && shift 2 || shift $#

cd "$(dirname "$0")"
mkdir -p "corpus/$target"
cp -n "seeds/$target"/* "corpus/$target/" 2>/dev/null || true
# The HTML extractor also starts from the documents the tests use.
if [ "$target" = fuzz_html ]; then
  cp -n ../tests/fixtures/documents/*.html "corpus/$target/" 2>/dev/null || true
fi

export RUSTC_BOOTSTRAP=1
exec cargo fuzz run --sanitizer "${SANITIZER:-address}" "$target" "corpus/$target" -- \
    -dict="dict/$target.dict" \
    -max_total_time="$seconds" \
    -timeout=10 \
    -rss_limit_mb=2048 \
    -max_len=65536 \
    -print_final_stats=1 \
    "$@"
