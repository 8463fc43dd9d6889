#!/usr/bin/env bash
# The work of the copylint GitHub Action (action.yml at the repository
# root): install copylint's wheel into a virtual environment under
# $RUNNER_TEMP, then check the copy with the step's inputs.
#
# Environment, as the runner and action.yml set it:
#   GITHUB_ACTION_PATH  this repository's checkout (the action's own files)
#   RUNNER_TEMP         a scratch folder that lives for the job
#   GITHUB_OUTPUT       the file step outputs are appended to
#   INPUT_PATHS, INPUT_FORMAT, INPUT_FAIL_ON, INPUT_CONFIG,
#   INPUT_SARIF_FILE, INPUT_VERSION   the action's inputs
# pip honours its own variables (PIP_INDEX_URL, PIP_FIND_LINKS...).
#
# Exit status: copylint's own (1 when something at or above fail-on was
# found, 2 on a usage, policy or I/O error), or 2 when it cannot be
# installed.
set -euo pipefail

action_path=${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}
version=${INPUT_VERSION:-}
if [[ -z $version ]]; then
  # The action's own version: the one place it is kept.
  version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$action_path/Cargo.toml" | head -n 1)
fi
if [[ -z $version ]]; then
  echo "::error title=copylint::cannot tell which copylint version to install"
  exit 2
fi

venv="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/copylint-$version"
bin="$venv/bin"
[[ -d $venv/Scripts ]] && bin="$venv/Scripts" # Windows
copylint="$bin/copylint"
if ! "$copylint" --version >/dev/null 2>&1; then
  python=$(command -v python3 || command -v python || true)
  if [[ -z $python ]]; then
    echo "::error title=copylint::Python 3 is needed to install copylint (actions/setup-python)"
    exit 2
  fi
  echo "::group::Installing copylint $version"
  "$python" -m venv "$venv"
  [[ -d $venv/Scripts ]] && bin="$venv/Scripts" && copylint="$bin/copylint"
  if ! "$bin/python" -m pip install --disable-pip-version-check --quiet "copylint==$version"; then
    echo "::endgroup::"
    echo "::error title=copylint::pip could not install copylint==$version"
    exit 2
  fi
  echo "::endgroup::"
fi
"$copylint" --version
if [[ -n ${GITHUB_OUTPUT:-} ]]; then
  echo "version=$version" >>"$GITHUB_OUTPUT"
fi

format=${INPUT_FORMAT:-github}
args=(--format "$format" --fail-on "${INPUT_FAIL_ON:-error}")
if [[ -n ${INPUT_CONFIG:-} ]]; then
  args+=(--config "$INPUT_CONFIG")
fi
# Paths are separated by spaces or new lines; none means the current folder.
read -r -d '' -a paths < <(printf '%s\0' "${INPUT_PATHS:-.}") || true
if [[ ${#paths[@]} -eq 0 ]]; then
  paths=(.)
fi

status=0
if [[ $format == sarif ]]; then
  sarif=${INPUT_SARIF_FILE:-copylint.sarif}
  "$copylint" "${args[@]}" -- "${paths[@]}" >"$sarif" || status=$?
  if [[ -n ${GITHUB_OUTPUT:-} ]]; then
    echo "sarif-file=$sarif" >>"$GITHUB_OUTPUT"
  fi
  echo "copylint wrote $sarif"
else
  "$copylint" "${args[@]}" -- "${paths[@]}" || status=$?
fi
exit "$status"
