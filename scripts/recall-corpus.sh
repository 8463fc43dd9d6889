#!/usr/bin/env bash
# Gathers the public test documents that scripts/recall.py measures
# copylint's extraction on: the test corpora of pdf.js, pdfminer.six,
# Apache Tika, Apache POI, python-docx, python-pptx, pandoc, the ODF
# Toolkit and Mozilla's readability, and later those of pypdf, py-pdf's
# sample-files, the Open Preservation Foundation's format-corpus and the
# Open XML SDK, as their repositories hold them.
# Nothing from a `nonfree` folder is taken. The documents stay outside this
# repository (their licences vary); MANIFEST in the output folder records
# the commit each corpus came from.
#
#   scripts/recall-corpus.sh OUT [CLONES]
#
# CLONES (default OUT/.clones) holds one git directory per repository,
# named owner+name (a bare clone, or a clone's .git); a missing one is
# cloned from GitHub (--depth 1, bare).
set -euo pipefail
out=${1:?usage: scripts/recall-corpus.sh OUT [CLONES]}
clones=${2:-$out/.clones}
mkdir -p "$out" "$clones"
: >"$out/MANIFEST"

# corpus name, owner/name, extended regex of the paths taken
corpora=(
  "pdfjs mozilla/pdf.js ^test/pdfs/[^/]+\.pdf$"
  "pdfminer pdfminer/pdfminer.six ^samples/.*\.pdf$"
  "tika apache/tika /test-documents/.*\.(pdf|pptx|odp|docx|odt|html?)$"
  "poi apache/poi ^test-data/.*\.(pdf|pptx|odp|docx|odt|html?)$"
  "python-docx python-openxml/python-docx ^(features/steps|tests)/test_files/.*\.docx$"
  "python-pptx scanny/python-pptx ^(features/steps|tests)/test_files/.*\.pptx$"
  "pandoc jgm/pandoc ^test/(docx|pptx|odt)/.*\.(docx|pptx|odt)$"
  "odftoolkit tdf/odftoolkit ^(odfdom/src/test/resources|docs/docs)/.*\.(odt|odp|pdf)$"
  "readability mozilla/readability ^test/test-pages/[^/]+/source\.html$"
  # Added later, and measured once before any tuning on them:
  "pypdf py-pdf/pypdf ^resources/.*\.pdf$"
  "pdf-samples py-pdf/sample-files \.(pdf|odt|html?)$"
  "format-corpus openpreserve/format-corpus \.(pdf|pptx|odp|docx|odt|html?)$"
  "openxml-sdk dotnet/Open-XML-SDK ^test/.*\.(docx|pptx)$"
)

for line in "${corpora[@]}"; do
  read -r name repo pattern <<<"$line"
  git_dir=$clones/${repo/\//+}
  if [[ -d $git_dir/repo ]]; then git_dir=$git_dir/repo; fi
  if [[ ! -d $git_dir ]]; then
    git clone --quiet --bare --depth 1 "https://github.com/$repo" "$git_dir"
  fi
  commit=$(git --git-dir="$git_dir" rev-parse HEAD)
  rm -rf "${out:?}/$name"
  mkdir -p "$out/$name"
  # One file at a time: a shallow or partial clone may lack a blob, and
  # that file is left out (and counted) rather than the whole corpus.
  missing=0
  while IFS= read -r path; do
    mkdir -p "$out/$name/$(dirname "$path")"
    git --git-dir="$git_dir" cat-file blob "HEAD:$path" >"$out/$name/$path" 2>/dev/null ||
      { rm -f "$out/$name/$path"; missing=$((missing + 1)); }
  done < <(git --git-dir="$git_dir" ls-tree -r --name-only HEAD |
    grep -E -i "$pattern" | grep -v -i '/nonfree/')
  count=$(find "$out/$name" -type f | wc -l)
  echo "$name $repo $commit $count files ($missing unreadable)" | tee -a "$out/MANIFEST"
done
