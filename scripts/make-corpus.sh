#!/usr/bin/env bash
# Replicates the real corpus (../shared/corpus) into a large benchmark corpus.
#
# Usage: scripts/make-corpus.sh [--size SIZE] [--source DIR] [--out DIR]
#
#   --size SIZE   total size to reach, at least; bytes, or with a binary
#                 suffix K, M, G (KiB, MiB, GiB). Default 1G. Env: CORPUS_SIZE.
#   --source DIR  the corpus to replicate: every *.md file under it except its
#                 top-level SOURCES.md. Default ../shared/corpus (relative to
#                 the repository). Env: CORPUS_SOURCE.
#   --out DIR     where to build. Default target/bench-corpus (target/ is
#                 gitignored). Env: CORPUS_OUT.
#
# Builds two trees of N whole copies of the source corpus, N = ceil(SIZE /
# source bytes), relative paths kept:
#   OUT/md/copy-0001/...   the .md files as they are
#   OUT/txt/copy-0001/...  the same files renamed .txt
# Idempotent: OUT/STAMP records what was built; when the source and N match,
# nothing is done. When only N changes, copies are added or removed. Each
# copy is built under a hidden name and renamed into place when complete, so
# an interrupted run never leaves a half copy that a scan would see.
set -euo pipefail

die() { echo "make-corpus: error: $*" >&2; exit 2; }
log() { echo "make-corpus: $*" >&2; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
size=${CORPUS_SIZE:-1G}
source_dir=${CORPUS_SOURCE:-$repo/../shared/corpus}
out=${CORPUS_OUT:-$repo/target/bench-corpus}

while [ $# -gt 0 ]; do
    case $1 in
        --size) [ $# -ge 2 ] || die "--size needs a value"; size=$2; shift 2 ;;
        --size=*) size=${1#*=}; shift ;;
        --source) [ $# -ge 2 ] || die "--source needs a value"; source_dir=$2; shift 2 ;;
        --source=*) source_dir=${1#*=}; shift ;;
        --out) [ $# -ge 2 ] || die "--out needs a value"; out=$2; shift 2 ;;
        --out=*) out=${1#*=}; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done

# Size to bytes.
parse_size() {
    local s=$1 n unit
    [[ $s =~ ^([0-9]+)([KkMmGg]?)(i?[Bb])?$ ]] || die "bad size '$s' (expected e.g. 1073741824, 100M, 1G)"
    n=${BASH_REMATCH[1]}; unit=${BASH_REMATCH[2]}
    case $unit in
        K|k) n=$((n * 1024)) ;;
        M|m) n=$((n * 1024 * 1024)) ;;
        G|g) n=$((n * 1024 * 1024 * 1024)) ;;
    esac
    [ "$n" -gt 0 ] || die "size must be positive"
    echo "$n"
}
want_bytes=$(parse_size "$size")

[ -d "$source_dir" ] || die "source corpus $source_dir not found (pass --source DIR)"
source_dir=$(cd "$source_dir" && pwd)

# The source's files, relative, sorted; the top-level SOURCES.md is metadata.
list=$(mktemp)
trap 'rm -f "$list"' EXIT
(cd "$source_dir" && find . -type f -name '*.md' ! -path './SOURCES.md' -printf '%P\n' | LC_ALL=C sort) >"$list"
files=$(wc -l <"$list")
[ "$files" -gt 0 ] || die "no .md files under $source_dir"
source_bytes=$(cd "$source_dir" && tr '\n' '\0' <"$list" | xargs -0 stat -c %s | awk '{s += $1} END {print s}')
copies=$(( (want_bytes + source_bytes - 1) / source_bytes ))
[ "$copies" -le 9999 ] || die "size $size needs $copies copies; at most 9999 are supported"

identity="source=$source_dir files=$files bytes=$source_bytes"
stamp=$out/STAMP

mkdir -p "$out"
out=$(cd "$out" && pwd)
stamp=$out/STAMP
if [ -f "$stamp" ] && [ "$(sed -n 1p "$stamp")" = "$identity" ] && [ "$(sed -n 2p "$stamp")" = "copies=$copies" ]; then
    log "already built: $out ($copies copies of $files files, $((copies * source_bytes)) bytes per tree)"
    exit 0
fi

# A different source (or none recorded): start over.
if ! [ -f "$stamp" ] || [ "$(sed -n 1p "$stamp")" != "$identity" ]; then
    if [ -e "$out/md" ] || [ -e "$out/txt" ]; then
        log "source changed or no stamp: removing $out/md and $out/txt"
    fi
    rm -rf "$out/md" "$out/txt" "$stamp"
fi
rm -f "$stamp"
mkdir -p "$out/md" "$out/txt"
# Leftovers of an interrupted run.
rm -rf "$out"/md/.partial-* "$out"/txt/.partial-*

avail_kb=$(df -Pk "$out" | awk 'NR == 2 {print $4}')
have=0
for d in "$out"/md/copy-*; do [ -d "$d" ] && have=$((have + 1)); done
need_kb=$(( (copies - have) * source_bytes * 2 * 11 / 10 / 1024 ))
if [ "$need_kb" -gt "$avail_kb" ]; then
    die "not enough disk space in $out: need about $((need_kb / 1024)) MiB, have $((avail_kb / 1024)) MiB"
fi

# Template copies, built once from the source (tar keeps relative paths).
build_template() {
    local tree=$1 dest=$2
    mkdir -p "$dest"
    tar -C "$source_dir" -cf - -T "$list" | tar -C "$dest" -xf -
    if [ "$tree" = txt ]; then
        while IFS= read -r rel; do
            mv "$dest/$rel" "$dest/${rel%.md}.txt"
        done <"$list"
    fi
}

log "making $copies copies of $files files ($source_bytes bytes) into $out/{md,txt}"
for tree in md txt; do
    template=""
    for ((i = 1; i <= copies; i++)); do
        name=$(printf 'copy-%04d' "$i")
        dest=$out/$tree/$name
        if [ -d "$dest" ]; then
            template=${template:-$dest}
            continue
        fi
        partial=$out/$tree/.partial-$name
        if [ -z "$template" ]; then
            build_template "$tree" "$partial"
        else
            cp -R "$template" "$partial"
        fi
        mv "$partial" "$dest"
        template=${template:-$dest}
        if [ $((i % 10)) -eq 0 ] || [ "$i" -eq "$copies" ]; then log "$tree: $i/$copies"; fi
    done
    # Copies beyond the requested number (a smaller size than before).
    for d in "$out/$tree"/copy-*; do
        [ -d "$d" ] || continue
        n=${d##*/copy-}
        if [ $((10#$n)) -gt "$copies" ]; then rm -rf "$d"; fi
    done
done

# Check the trees before recording them.
for tree in md txt; do
    got=$(find "$out/$tree" -type f | wc -l)
    [ "$got" -eq $((files * copies)) ] || die "$out/$tree has $got files, expected $((files * copies))"
done
printf '%s\ncopies=%s\ntree_bytes=%s\n' "$identity" "$copies" "$((copies * source_bytes))" >"$stamp"
log "done: $out ($copies copies, $((copies * source_bytes)) bytes per tree)"
