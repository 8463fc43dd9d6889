#!/usr/bin/env bash
# copylint against ripgrep on a large corpus and on one small file.
#
# Usage: scripts/bench.sh [--runs N] [--small-runs N] [--size SIZE] [--profile P] [--strict]
#        scripts/bench.sh --small-only [--small-runs N] [--small-file F]
#
#   --runs N        timed runs of each tool per corpus target, alternating
#                   copylint, ripgrep, copylint, ... Default 5. Env: BENCH_RUNS.
#   --small-runs N  timed runs of each tool on the small file. Default 200.
#                   Env: BENCH_SMALL_RUNS.
#   --size SIZE     corpus size for scripts/make-corpus.sh. Default 1G.
#                   Env: CORPUS_SIZE.
#   --small-file F  the small file (default: the corpus file closest to 5 KB).
#                   Env: BENCH_SMALL_FILE.
#   --small-only    time the small file only, as a pre-commit hook runs
#                   copylint: no large corpus is built, and the small file
#                   is chosen in the source corpus. Env: BENCH_SMALL_ONLY=1.
#   BASELINE (env): another copylint binary (an earlier build) timed on
#                   the small file in the same alternating rounds, with
#                   its ratio to this one and to ripgrep.
#   CORPUS_SOURCE, CORPUS_OUT (env): passed to make-corpus.sh; the corpus is
#                   read from CORPUS_OUT (default target/bench-corpus).
#   --profile P     the cargo profile of the copylint measured. Default dist:
#                   the release archives' build (release with thin LTO),
#                   which is what users of a bulk scan install. Env:
#                   BENCH_PROFILE.
#   --strict        exit 1 when a target fails (default: report only).
#   RG (env):       the ripgrep binary to compare with (default: rg on PATH).
#   --collateral DIR  instead, bench the collateral corpus in DIR (made by
#                   make-collateral.sh: docx/ pptx/ odt/ html/ pdf/) against
#                   ripgrep-all and pdfgrep; see "Collateral" below.
#                   Env: BENCH_COLLATERAL.
#
# Steps: build copylint with the profile; build the corpus once (make-corpus.sh,
# a no-op when already built); write phrases.txt from `copylint policy
# literals`; then, target by target, warm the page cache with one untimed
# run of each tool (nothing is dropped from the cache; the warm-up comes right
# before each target's timed runs because the machine may reclaim page cache
# that is idle for a minute) and time, alternating the two tools run by run:
#
#   md     copylint --format short md/   vs  rg -i -F -c --no-ignore --hidden -f phrases.txt md/
#   txt    copylint --format short txt/  vs  rg -i -F -c --no-ignore --hidden -f phrases.txt txt/
#   small  the same two commands on one ~5 KB Markdown file, whole process
#          (hyperfine -N in alternating rounds when hyperfine is installed);
#          targets: median <= 15 ms and <= 2x ripgrep's, with the CPU time
#          (user + sys) of each beside, which a busy machine inflates less
#   rss    peak RSS of copylint over the md runs (GNU time -v)
#
# Collateral (--collateral DIR), format by format, with the same warm-up and
# alternation:
#
#   copylint --format short FMT/   vs  rga -i -F -c -f phrases.txt FMT/
#                                      (its cache emptied before each run,
#                                      untimed: --rga-no-cache fails in 0.10)
#   pdf/ also                      vs  pdfgrep -r -i -c -f phrases.txt pdf/
#
# rga has no PowerPoint adapter, so pptx/ times copylint alone. The PDF row
# runs only when copylint reads PDF (it checks one file first). Targets:
# rga/copylint >= 10 on every format, pdfgrep/copylint >= 5, peak RSS of
# copylint <= 128 MiB. Recall: the files where rga counts a phrase against
# those where copylint reports a finding, each difference listed.
#
# For the corpora it also reports CPU time (user + sys) and the blocks read
# from disk ("File system inputs"), which should be 0 with a warm cache.
#
# Both tools run with their default thread count from inside the corpus
# folder, their output going to files (not /dev/null, which ripgrep detects
# and short-cuts). copylint's exit status 1 (findings) and ripgrep's 1 (no
# match) are expected; status 2 from either is an error. Results, outputs and
# raw timings go to target/bench-results/.
set -euo pipefail

die() { echo "bench: error: $*" >&2; exit 2; }
log() { echo "bench: $*" >&2; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${BENCH_RUNS:-5}
small_runs=${BENCH_SMALL_RUNS:-200}
size=${CORPUS_SIZE:-1G}
small_file=${BENCH_SMALL_FILE:-}
small_only=${BENCH_SMALL_ONLY:-0}
baseline=${BASELINE:-}
strict=0
collateral=${BENCH_COLLATERAL:-}
profile=${BENCH_PROFILE:-dist}

while [ $# -gt 0 ]; do
    case $1 in
        --runs) [ $# -ge 2 ] || die "--runs needs a value"; runs=$2; shift 2 ;;
        --runs=*) runs=${1#*=}; shift ;;
        --small-runs) [ $# -ge 2 ] || die "--small-runs needs a value"; small_runs=$2; shift 2 ;;
        --small-runs=*) small_runs=${1#*=}; shift ;;
        --size) [ $# -ge 2 ] || die "--size needs a value"; size=$2; shift 2 ;;
        --size=*) size=${1#*=}; shift ;;
        --profile) [ $# -ge 2 ] || die "--profile needs a value"; profile=$2; shift 2 ;;
        --profile=*) profile=${1#*=}; shift ;;
        --small-file) [ $# -ge 2 ] || die "--small-file needs a value"; small_file=$2; shift 2 ;;
        --small-file=*) small_file=${1#*=}; shift ;;
        --small-only) small_only=1; shift ;;
        --strict) strict=1; shift ;;
        --collateral) [ $# -ge 2 ] || die "--collateral needs a folder"; collateral=$2; shift 2 ;;
        --collateral=*) collateral=${1#*=}; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, not '$runs'"
[[ $small_runs =~ ^[1-9][0-9]*$ ]] || die "--small-runs must be a positive integer, not '$small_runs'"
[ -z "$baseline" ] || [ -x "$baseline" ] || die "BASELINE=$baseline is not an executable"

# ---------------------------------------------------------------- tools
command -v cargo >/dev/null || die "cargo not found (install Rust: https://rustup.rs)"
# Read whole before grepping: `grep -q` stopping early would end time with
# SIGPIPE, which pipefail reports as a failure.
if ! [ -x /usr/bin/time ] || ! [[ "$(/usr/bin/time -v true 2>&1)" == *"Maximum resident set size"* ]]; then
    die "GNU time with -v not found at /usr/bin/time (apt-get install -y time)"
fi
if [ -n "${RG:-}" ]; then
    [ -x "$RG" ] || die "RG=$RG is not an executable"
    PATH=$(dirname "$RG"):$PATH
elif ! command -v rg >/dev/null; then
    if [ -x "$HOME/.cargo/bin/rg" ]; then
        PATH=$HOME/.cargo/bin:$PATH
    else
        log "ripgrep not found: cargo install ripgrep"
        cargo install ripgrep || die "cannot install ripgrep (cargo install ripgrep failed)"
        PATH=$HOME/.cargo/bin:$PATH
        command -v rg >/dev/null || die "ripgrep installed but rg is not on PATH"
    fi
fi
hyperfine=""
if command -v hyperfine >/dev/null; then
    if command -v jq >/dev/null; then
        hyperfine=hyperfine
    else
        log "hyperfine found but jq is not (apt-get install -y jq): timing the small file with a shell loop"
    fi
else
    log "hyperfine not found (apt-get install -y hyperfine): timing the small file with a shell loop"
fi

# ---------------------------------------------------------------- helpers
# run_timed NAME OUTFILE CMD...: runs CMD under GNU time, appends
# "wall_s max_rss_kb user_s sys_s fs_inputs" to $results/NAME.times.
run_timed() {
    local name=$1 out=$2; shift 2
    local tfile=$results/time.txt start end rc=0
    start=$(date +%s%N)
    /usr/bin/time -v -o "$tfile" "$@" >"$out" 2>"$out.err" || rc=$?
    end=$(date +%s%N)
    check_status "$name" "$rc" "$out.err"
    local rss user sys inputs
    rss=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$tfile")
    user=$(sed -n 's/^[[:space:]]*User time (seconds): //p' "$tfile")
    sys=$(sed -n 's/^[[:space:]]*System time (seconds): //p' "$tfile")
    inputs=$(sed -n 's/^[[:space:]]*File system inputs: //p' "$tfile")
    echo "$(( (end - start) / 1000 )) ${rss:-0} ${user:-0} ${sys:-0} ${inputs:-0}" \
        | awk '{printf "%.6f %s %s %s %s\n", $1 / 1e6, $2, $3, $4, $5}' >>"$results/$name.times"
}

check_status() {
    local name=$1 rc=$2 err=$3
    if [ "$rc" -gt 1 ]; then
        echo "bench: error: $name exited with status $rc; its standard error:" >&2
        head -20 "$err" >&2 || true
        exit 2
    fi
}

median() { sort -g | awk '{v[NR] = $1} END {if (NR == 0) {print "nan"; exit} if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
col() { awk -v c="$1" '{print $c}' "$2"; }
maxcol() { awk -v c="$1" 'BEGIN {m = 0} $c > m {m = $c} END {print m}' "$2"; }
secs() { awk -v t="$1" 'BEGIN {if (t < 0.1) printf "%.2f ms", t * 1000; else printf "%.3f s", t}'; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f MiB", k / 1024}'; }

# ---------------------------------------------------------------- collateral
# bench_collateral DIR: the collateral corpus against ripgrep-all and pdfgrep.
bench_collateral() {
    local dir rga pdfgrep rga_cache fmt files bytes i rc
    dir=$(cd "$1" 2>/dev/null && pwd) || die "no collateral corpus at $1 (make it with make-collateral.sh)"
    rga=$(command -v rga) || die "rga not found (cargo install ripgrep_all --locked; it needs pdftotext and pandoc)"
    command -v pdftotext >/dev/null || die "pdftotext not found (apt-get install -y poppler-utils): rga needs it for PDF"
    command -v pandoc >/dev/null || die "pandoc not found (apt-get install -y pandoc): rga needs it for docx, odt and html"
    pdfgrep=$(command -v pdfgrep) || die "pdfgrep not found (apt-get install -y pdfgrep)"
    rga_cache=$results/rga-cache
    local phrases=$results/phrases.txt
    "$copylint" policy literals >"$phrases" || die "copylint policy literals failed"
    [ -s "$phrases" ] || die "copylint policy literals printed nothing"

    local formats=()
    for fmt in docx pptx odt html pdf; do
        [ -d "$dir/$fmt" ] && [ -n "$(ls -A "$dir/$fmt")" ] || { log "$fmt/: missing or empty, skipped"; continue; }
        if [ $fmt = pdf ]; then
            local one
            one=$(find "$dir/pdf" -name '*.pdf' | LC_ALL=C sort | head -1)
            rc=0; "$copylint" --format short "$one" >/dev/null 2>"$results/pdf-probe.err" || rc=$?
            if [ "$rc" -gt 1 ]; then
                log "pdf/: copylint does not read PDF yet ($(head -1 "$results/pdf-probe.err")): PDF row skipped"
                continue
            fi
        fi
        formats+=("$fmt")
    done
    [ ${#formats[@]} -gt 0 ] || die "nothing to bench in $dir"

    local cl_cmd=("$copylint" --format short)
    local rga_cmd=("$rga" --rga-cache-path="$rga_cache" -i -F -c -f "$phrases")
    local pg_cmd=("$pdfgrep" -r -i -c -f "$phrases")
    local header
    header=$(cat <<HDR
date:      $(date -u '+%Y-%m-%d %H:%M:%S UTC')
machine:   $(nproc) cores (nproc), $(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo), $(uname -sr)
load:      $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, at start)
copylint:  $("$copylint" --version) ($copylint, profile $profile), source $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
rga:       $("$rga" --version 2>&1 | head -1); cache emptied before each run
pdfgrep:   $("$pdfgrep" --version | head -1)
corpus:    $dir
runs:      $runs per tool per format, alternating, after one untimed run of each (page cache warm)
HDR
)
    echo "$header"
    cd "$dir"
    for fmt in "${formats[@]}"; do
        log "$fmt/: warming the page cache (one untimed run of each tool)"
        "${cl_cmd[@]}" "$fmt/" >"$results/warm.out" 2>&1 || true
        if [ $fmt != pptx ]; then rm -rf "$rga_cache"; "${rga_cmd[@]}" "$fmt/" >"$results/warm.out" 2>&1 || true; fi
        [ $fmt != pdf ] || "${pg_cmd[@]}" "$fmt/" >"$results/warm.out" 2>&1 || true
        for ((i = 1; i <= runs; i++)); do
            log "$fmt/: run $i/$runs"
            run_timed "copylint-$fmt" "$results/copylint-$fmt.out" "${cl_cmd[@]}" "$fmt/"
            if [ $fmt != pptx ]; then
                rm -rf "$rga_cache"
                run_timed "rga-$fmt" "$results/rga-$fmt.out" "${rga_cmd[@]}" "$fmt/"
            fi
            [ $fmt != pdf ] || run_timed "pdfgrep-$fmt" "$results/pdfgrep-$fmt.out" "${pg_cmd[@]}" "$fmt/"
        done
    done
    rm -rf "$rga_cache"

    local table=$results/collateral.md fails=0 cl r q v
    {
        echo "| format | files | bytes | copylint median | rga median | rga/copylint | pdfgrep median | pdfgrep/copylint | copylint peak RSS | result |"
        echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
        for fmt in "${formats[@]}"; do
            files=$(find "$fmt" -type f | wc -l)
            bytes=$(du -sb "$fmt" | cut -f1)
            cl=$(col 1 "$results/copylint-$fmt.times" | median)
            local rss row_fail=0 rcol="" rq="" pcol="" pq=""
            rss=$(maxcol 2 "$results/copylint-$fmt.times")
            [ "$rss" -le $((128 * 1024)) ] || row_fail=1
            if [ -f "$results/rga-$fmt.times" ]; then
                r=$(col 1 "$results/rga-$fmt.times" | median)
                rcol=$(secs "$r"); rq=$(awk -v a="$r" -v b="$cl" 'BEGIN {printf "%.1fx", a / b}')
                awk -v a="$r" -v b="$cl" 'BEGIN {exit !(a / b >= 10)}' || row_fail=1
            else
                rcol="(no adapter)"
            fi
            if [ -f "$results/pdfgrep-$fmt.times" ]; then
                r=$(col 1 "$results/pdfgrep-$fmt.times" | median)
                pcol=$(secs "$r"); pq=$(awk -v a="$r" -v b="$cl" 'BEGIN {printf "%.1fx", a / b}')
                awk -v a="$r" -v b="$cl" 'BEGIN {exit !(a / b >= 5)}' || row_fail=1
            fi
            if [ $row_fail -eq 0 ]; then v=PASS; else v=FAIL; fails=$((fails + 1)); fi
            echo "| $fmt | $files | $bytes | $(secs "$cl") | $rcol | $rq | $pcol | $pq | $(mib "$rss") | $v |"
        done
        echo
        echo "Targets: rga/copylint >= 10x, pdfgrep/copylint >= 5x, copylint peak RSS <= 128 MiB (max of runs)."
    } >"$table"
    echo
    cat "$table"
    collateral_recall "${formats[@]}"
    if [ "$fails" -gt 0 ]; then
        echo "$fails format(s) FAIL"
        [ "$strict" -eq 0 ] || return 1
    else
        echo "all formats PASS"
    fi
}

# collateral_recall FORMAT...: files where rga counted a phrase against files
# where copylint reported a finding, from the last timed runs' output.
collateral_recall() {
    local fmt both rga_only cl_only
    echo
    echo "Recall (files with at least one hit):"
    for fmt in "$@"; do
        [ -f "$results/rga-$fmt.out" ] || continue
        awk -F: '$NF > 0 {sub(/:[0-9]+$/, ""); print}' "$results/rga-$fmt.out" | LC_ALL=C sort -u >"$results/recall-rga-$fmt.txt"
        sed -n 's/^\(.*\.'"$fmt"'\):[0-9]*:[0-9]*: .*/\1/p' "$results/copylint-$fmt.out" | LC_ALL=C sort -u >"$results/recall-copylint-$fmt.txt"
        both=$(LC_ALL=C comm -12 "$results/recall-rga-$fmt.txt" "$results/recall-copylint-$fmt.txt" | wc -l)
        rga_only=$(LC_ALL=C comm -23 "$results/recall-rga-$fmt.txt" "$results/recall-copylint-$fmt.txt")
        cl_only=$(LC_ALL=C comm -13 "$results/recall-rga-$fmt.txt" "$results/recall-copylint-$fmt.txt")
        echo "  $fmt: both $both; rga only $(grep -c . <<<"$rga_only"); copylint only $(grep -c . <<<"$cl_only")"
        [ -z "$rga_only" ] || echo "$rga_only" | sed 's/^/    rga only: /'
        [ -z "$cl_only" ] || echo "$cl_only" | sed 's/^/    copylint only: /'
    done
}

# ---------------------------------------------------------------- build
log "building copylint (profile $profile)"
(cd "$repo" && cargo build --profile "$profile" --quiet) || die "cargo build --profile $profile failed"
target_dir=${CARGO_TARGET_DIR:-$repo/target}
case $profile in
    dev) copylint=$target_dir/debug/copylint ;;
    *) copylint=$target_dir/$profile/copylint ;;
esac
[ -x "$copylint" ] || die "no binary at $copylint after the build"
rg=$(command -v rg)

results=$repo/target/bench-results
mkdir -p "$results"
rm -f "$results"/*.json "$results"/*.times "$results"/*.cpu

if [ -n "$collateral" ]; then
    bench_collateral "$collateral"
    exit $?
fi

if [ "$small_only" = 1 ]; then
    # The source corpus itself, as make-corpus.sh would copy it.
    corpus=$(cd "${CORPUS_SOURCE:-$repo/../shared/corpus}" 2>/dev/null && pwd) \
        || die "no source corpus at ${CORPUS_SOURCE:-$repo/../shared/corpus} (set CORPUS_SOURCE)"
    first_copy=.
else
    corpus=${CORPUS_OUT:-$repo/target/bench-corpus}
    CORPUS_SIZE=$size CORPUS_OUT=$corpus "$repo/scripts/make-corpus.sh" || die "make-corpus.sh failed"
    corpus=$(cd "$corpus" && pwd)
    [ -f "$corpus/STAMP" ] || die "no corpus stamp at $corpus/STAMP"
    tree_bytes=$(sed -n 's/^tree_bytes=//p' "$corpus/STAMP")
    [ -n "$tree_bytes" ] || die "corpus stamp has no tree_bytes"
    first_copy=md/copy-0001
fi

phrases=$results/phrases.txt
"$copylint" policy literals >"$phrases" || die "copylint policy literals failed"
[ -s "$phrases" ] || die "copylint policy literals printed nothing"

cd "$corpus"
if [ "$small_only" != 1 ]; then
    md_files=$(find md -type f | wc -l)
    for tree in md txt; do
        seen=$("$rg" --files "$tree" | wc -l)
        [ "$seen" -eq "$md_files" ] || die "ripgrep sees $seen files in $tree/, find sees $md_files (ignore rules?)"
    done
fi

if [ -z "$small_file" ]; then
    # The file closest to 5 KB (5000 bytes) in the first copy, without spaces in its path.
    small_file=$(find "$first_copy" -type f -name '*.md' ! -path ./SOURCES.md -printf '%s %p\n' | grep -v '^[0-9]* .* ' \
        | awk '{d = $1 - 5000; if (d < 0) d = -d; print d, $2}' | LC_ALL=C sort -n -k1,1 -k2,2 | awk 'NR == 1 {print $2}')
fi
[ -f "$small_file" ] || die "small file $small_file not found"
small_file=$(realpath --relative-to="$corpus" "$small_file" 2>/dev/null || echo "$small_file")
[[ $small_file != *" "* ]] || die "the small file's path must not contain spaces: $small_file"
small_bytes=$(stat -c %s "$small_file")

# The two commands, as arrays; the target path is appended.
cl_cmd=("$copylint" --format short)
rg_cmd=("$rg" -i -F -c --no-ignore --hidden -f "$phrases")

# ---------------------------------------------------------------- machine
if commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null); then
    [ -z "$(git -C "$repo" status --porcelain -- src crates Cargo.toml Cargo.lock 2>/dev/null)" ] \
        || commit="$commit + uncommitted changes in src/, crates/ or Cargo.*"
    commit="commit $commit"
else
    commit="$repo (not a git checkout)"
fi
cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
[ -n "$cpu" ] || cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
mem=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
header=$(cat <<EOF
date:      $(date -u '+%Y-%m-%d %H:%M:%S UTC')
machine:   $(nproc) cores (nproc), $mem memory, CPU: ${cpu:-unknown}, $(uname -sr)
load:      $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, at start)
copylint:  $("$copylint" --version) ($copylint, profile $profile), source $commit
ripgrep:   $("$rg" --version | head -1) ($rg)
timer:     ${hyperfine:+$(hyperfine --version) for the small file; }date +%s%N around /usr/bin/time -v for the corpora
corpus:    $(if [ "$small_only" = 1 ]; then echo "$corpus (small file only)"; else echo "$corpus: md/ and txt/, $md_files files each, $tree_bytes bytes each ($(sed -n 's/^copies=//p' "$corpus/STAMP") copies of $(sed -n 's/^source=\([^ ]*\).*/\1/p' "$corpus/STAMP"))"; fi)
baseline:  $(if [ -n "$baseline" ]; then echo "$("$baseline" --version) ($baseline), timed on the small file beside copylint"; else echo none; fi)
phrases:   $(wc -l <"$phrases") lines in $phrases
small:     $small_file ($small_bytes bytes)
runs:      $( [ "$small_only" = 1 ] || echo "$runs per tool per corpus, alternating; ")$small_runs per tool on the small file
EOF
)
echo "$header"

# warm TARGET: one untimed run of each tool, to bring TARGET into the page cache.
warm() {
    local target=$1 rc
    log "$target: warming the page cache (one untimed run of each tool)"
    rc=0; "${cl_cmd[@]}" "$target" >"$results/warm.out" 2>"$results/warm.err" || rc=$?
    check_status "copylint (warm-up on $target)" "$rc" "$results/warm.err"
    rc=0; "${rg_cmd[@]}" "$target" >"$results/warm.out" 2>"$results/warm.err" || rc=$?
    check_status "ripgrep (warm-up on $target)" "$rc" "$results/warm.err"
}

# ---------------------------------------------------------------- corpora
trees=(md txt)
[ "$small_only" != 1 ] || trees=()
for tree in "${trees[@]}"; do
    warm "$tree/"
    for ((i = 1; i <= runs; i++)); do
        log "$tree: run $i/$runs"
        run_timed "copylint-$tree" "$results/copylint-$tree.out" "${cl_cmd[@]}" "$tree/"
        run_timed "rg-$tree" "$results/rg-$tree.out" "${rg_cmd[@]}" "$tree/"
    done
done

# ---------------------------------------------------------------- small file
warm "$small_file"
small_tools=(copylint rg)
if [ -n "$baseline" ]; then
    small_tools+=(baseline)
    "$baseline" --format short "$small_file" >"$results/warm.out" 2>&1 || true
fi
# small_cmd TOOL: sets cmd to TOOL's command on the small file.
small_cmd() {
    case $1 in
        copylint) cmd=("${cl_cmd[@]}" "$small_file") ;;
        rg) cmd=("${rg_cmd[@]}" "$small_file") ;;
        baseline) cmd=("$baseline" "${cl_cmd[@]:1}" "$small_file") ;;
    esac
}
if [ -n "$hyperfine" ]; then
    rounds=10
    [ "$small_runs" -ge "$rounds" ] || rounds=$small_runs
    per_round=$(( (small_runs + rounds - 1) / rounds ))
    for ((r = 1; r <= rounds; r++)); do
        log "small: round $r/$rounds ($per_round runs of each tool, hyperfine -N)"
        for tool in "${small_tools[@]}"; do
            small_cmd $tool
            # hyperfine -N splits its command like a shell: quote each word.
            line=$(printf '%q ' "${cmd[@]}")
            hyperfine -N -i --output=pipe --style=none --warmup 3 --runs "$per_round" \
                --export-json "$results/small-$tool-$r.json" "$line" >/dev/null 2>"$results/hyperfine.err" \
                || { cat "$results/hyperfine.err" >&2; die "hyperfine failed on: $line"; }
            jq -r '.results[0].times[]' "$results/small-$tool-$r.json" | awk '{print $1, 0}' >>"$results/small-$tool.times"
            # hyperfine gives the round's mean CPU time, not each run's.
            jq -r '.results[0] | "\(.user + .system)"' "$results/small-$tool-$r.json" >>"$results/small-$tool.cpu"
            worst=$(jq '[.results[0].exit_codes[]] | max' "$results/small-$tool-$r.json")
            check_status "$tool (small file, hyperfine)" "$worst" /dev/null
        done
    done
else
    for ((i = 1; i <= small_runs; i++)); do
        [ $((i % 50)) -ne 1 ] || log "small: run $i/$small_runs (shell loop)"
        for tool in "${small_tools[@]}"; do
            small_cmd $tool
            rc=0; start=$(date +%s%N)
            "${cmd[@]}" >"$results/small-$tool.out" 2>"$results/small-$tool.err" || rc=$?
            end=$(date +%s%N)
            check_status "$tool (small file)" "$rc" "$results/small-$tool.err"
            echo "$(( (end - start) / 1000 ))" | awk '{printf "%.6f 0\n", $1 / 1e6}' >>"$results/small-$tool.times"
        done
    done
fi

# ---------------------------------------------------------------- report
med() { col 1 "$results/$1.times" | median; }
mbps() { awk -v b="$1" -v t="$2" 'BEGIN {printf "%.1f", b / t / 1e6}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN {print (v <= t) ? "PASS" : "FAIL"}'; }

table=$results/results.md
fails=0
{
    echo "| target | copylint median | rg median | copylint MB/s | rg MB/s | copylint peak RSS | rg peak RSS | ratio copylint/rg | target | result |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    for tree in "${trees[@]}"; do
        cl=$(med "copylint-$tree"); r=$(med "rg-$tree")
        q=$(ratio "$cl" "$r")
        limit=1.5
        if [ $tree = md ]; then label="Markdown corpus (md/, $runs runs)"; else label="Text corpus (txt/, $runs runs)"; fi
        v=$(verdict "$q" $limit); [ "$v" = PASS ] || fails=$((fails + 1))
        echo "| $label | $(secs "$cl") | $(secs "$r") | $(mbps "$tree_bytes" "$cl") | $(mbps "$tree_bytes" "$r") | $(mib "$(maxcol 2 "$results/copylint-$tree.times")") | $(mib "$(maxcol 2 "$results/rg-$tree.times")") | $q | <= $limit | $v |"
    done
    cl=$(med small-copylint); r=$(med small-rg)
    q=$(ratio "$cl" "$r"); v=$(verdict "$q" 2.0); [ "$v" = PASS ] || fails=$((fails + 1))
    echo "| Small file ($small_bytes B, $(wc -l <"$results/small-copylint.times") runs) | $(secs "$cl") | $(secs "$r") | $(mbps "$small_bytes" "$cl") | $(mbps "$small_bytes" "$r") | | | $q | <= 2.0 | $v |"
    v=$(verdict "$cl" 0.015); [ "$v" = PASS ] || fails=$((fails + 1))
    echo "| Small file, copylint median | $(secs "$cl") | | | | | | | <= 15 ms | $v |"
    if [ "$small_only" != 1 ]; then
        rss_kb=$(maxcol 2 "$results/copylint-md.times")
        rss_med=$(col 2 "$results/copylint-md.times" | median)
        v=$(verdict "$rss_kb" $((64 * 1024))); [ "$v" = PASS ] || fails=$((fails + 1))
        echo "| Peak RSS, copylint on md/ (max of $runs runs; median $(mib "$rss_med")) | | | | | $(mib "$rss_kb") | | | <= 64 MiB | $v |"
        echo
        echo "| corpus | copylint CPU (user+sys) | rg CPU (user+sys) | CPU ratio | copylint CPU use | rg CPU use | blocks read from disk (max of runs) |"
        echo "|---|---:|---:|---:|---:|---:|---:|"
        for tree in "${trees[@]}"; do
            ccpu=$(awk '{print $3 + $4}' "$results/copylint-$tree.times" | median)
            rcpu=$(awk '{print $3 + $4}' "$results/rg-$tree.times" | median)
            cw=$(med "copylint-$tree"); rw=$(med "rg-$tree")
            echo "| $tree/ | $(secs "$ccpu") | $(secs "$rcpu") | $(ratio "$ccpu" "$rcpu") | $(awk -v c="$ccpu" -v w="$cw" 'BEGIN {printf "%.0f%%", 100 * c / w}') | $(awk -v c="$rcpu" -v w="$rw" 'BEGIN {printf "%.0f%%", 100 * c / w}') | copylint $(maxcol 5 "$results/copylint-$tree.times"), rg $(maxcol 5 "$results/rg-$tree.times") |"
        done
    fi
    # The small file tool by tool: wall and CPU time (CPU as the median
    # of hyperfine's per-round means), each against copylint's.
    echo
    echo "| small file | wall median | CPU (user+sys) | wall / copylint | CPU / copylint |"
    echo "|---|---:|---:|---:|---:|"
    cc=nan
    [ ! -s "$results/small-copylint.cpu" ] || cc=$(median <"$results/small-copylint.cpu")
    for t in "${small_tools[@]}"; do
        w=$(med "small-$t")
        if [ "$cc" = nan ]; then c="n/a"; cq="n/a"; else
            c=$(median <"$results/small-$t.cpu"); cq=$(ratio "$c" "$cc"); c=$(secs "$c")
        fi
        echo "| $t | $(secs "$w") | $c | $(ratio "$w" "$cl") | $cq |"
    done
} >"$table"

{
    echo "$header"
    echo "load:      $(cut -d' ' -f1-3 /proc/loadavg) (at end)"
    echo
    cat "$table"
    echo
    echo "MB = 10^6 bytes. Ratios are of medians; CPU use = median CPU time / median wall time (200% = both cores of 2)."
    echo "Raw runs (wall s, max RSS KiB, user s, sys s, fs inputs): $results/*.times"
} >"$results/report.txt"

echo
echo "load:      $(cut -d' ' -f1-3 /proc/loadavg) (at end)"
echo
cat "$table"
echo
echo "MB = 10^6 bytes. Ratios are of medians; CPU use = median CPU time / median wall time (200% = both cores of 2)."
echo "Raw runs (wall s, max RSS KiB, user s, sys s, fs inputs): $results/*.times; this report: $results/report.txt"
for tree in "${trees[@]}"; do
    echo "$tree: copylint printed $(wc -l <"$results/copylint-$tree.out") finding lines; ripgrep counted $(awk -F: '{s += $NF} END {print s + 0}' "$results/rg-$tree.out") matching lines in $(wc -l <"$results/rg-$tree.out") files"
done
if [ "$fails" -gt 0 ]; then
    echo "$fails target(s) FAIL"
    [ "$strict" -eq 0 ] || exit 1
else
    echo "all targets PASS"
fi
