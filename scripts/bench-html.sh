#!/usr/bin/env bash
# Times the HTML report at scale: writes a tree of FILES Markdown files with
# PER findings each (default 2,000 x 50 = 100,000 findings), then measures
# `copylint --format html` and headless Chromium loading the page and
# running its script (--dump-dom returns once the page has loaded), and
# taking a screenshot of the first screen.
# Usage: scripts/bench-html.sh [COPYLINT_BINARY]; RUNS (default 3) runs each,
# the median is printed. Needs chromium.
set -euo pipefail
bin=${1:-target/release/copylint}
files=${FILES:-2000}
per=${PER:-50}
runs=${RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for ((d = 0; d < 20; d++)); do mkdir -p "$work/tree/folder$d"; done
line='The SRE enables access to ChatGPT for every agent, says the draft.'
for ((i = 0; i < files; i++)); do
  f="$work/tree/folder$((i % 20))/page$i.md"
  for ((j = 0; j < per; j++)); do printf '%s\n\n' "$line"; done > "$f"
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s.%N; }

for ((r = 0; r < runs; r++)); do
  t0=$(now)
  "$bin" --format html --fail-on never "$work/tree" > "$work/report.html"
  t1=$(now)
  echo "$t1 - $t0" | bc
done | median | sed 's/^/copylint --format html, seconds (median): /'
echo "findings: $(grep -o '<dd id="n-errors">[0-9]*' "$work/report.html" | grep -o '[0-9]*$')"
echo "page size, bytes: $(wc -c < "$work/report.html")"

printf '<!DOCTYPE html><title>x</title>' > "$work/empty.html"
load() {
  profile=$(mktemp -d)
  t0=$(now)
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run \
    --user-data-dir="$profile" --dump-dom "file://$work/$1" > "$work/dom.html" 2>/dev/null
  t1=$(now)
  rm -rf "$profile"
  echo "$t1 - $t0" | bc
}
for ((r = 0; r < runs; r++)); do load empty.html; done | median |
  sed 's/^/chromium on an empty page (start-up), seconds (median): /'
for ((r = 0; r < runs; r++)); do load report.html; done | median | sed 's/^/chromium load + script + DOM dump, seconds (median): /'
shot() {
  profile=$(mktemp -d)
  t0=$(now)
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run \
    --user-data-dir="$profile" --window-size=1000,900 \
    --screenshot="$work/shot.png" "file://$work/$1" > /dev/null 2>&1
  t1=$(now)
  rm -rf "$profile"
  echo "$t1 - $t0" | bc
}
for ((r = 0; r < runs; r++)); do shot report.html; done | median | sed 's/^/chromium load + script + first screen painted (screenshot), seconds (median): /'
grep -o 'id="status" role="status">[^<]*' "$work/dom.html" | sed 's/.*>/status line after load: /'
