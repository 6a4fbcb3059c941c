#!/usr/bin/env bash
# A dry run of the nightly roster upload, for CI: extract, map, validate strictly, write
# Clever's files into a throw-away directory. Nothing is uploaded. The job fails (non-zero
# status) when any stage fails, and so when clever-validate finds an error, or, under
# --strict, a warning.
#
#   dry-run.sh [DUMP]
#
#   DUMP        what to check: a dump saved by `qs-extract --save` (a folder, replayed
#               with `qs-extract --from`), or QuickSchools records (an NDJSON file);
#               default: the example school's dump, ../lincoln-academy/dump
#   REPORT_DIR  where the JUnit report (clever-validate.xml) and files.ndjson (what would
#               be uploaded) go; default: ./reports. Keep it as a CI artifact.
#   OUT         where Clever's files are written (default: a temporary directory, removed
#               at the end: the files hold student data)
#   STRICT      the strictness option of clever-validate (default: --strict); STRICT= lets
#               warnings pass, so only errors fail the job
#
# The tools are taken from PATH, or else from ../../.build/debug (a `swift build` of this
# repository).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dump=${1:-$here/../lincoln-academy/dump}
REPORT_DIR=${REPORT_DIR:-reports}
STRICT=${STRICT---strict}

for tool in qs-extract clever-map clever-validate clever-csv; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    if [ -x "$here/../../.build/debug/$tool" ]; then
      PATH="$(cd "$here/../../.build/debug" && pwd):$PATH"
    else
      echo "dry-run: $tool is neither on PATH nor in $here/../../.build/debug (run swift build)" >&2
      exit 69
    fi
  fi
done

if [ ! -r "$dump" ]; then
  echo "dry-run: cannot read the saved records $dump" >&2
  exit 66
fi
mkdir -p "$REPORT_DIR"

if [ -n "${OUT:-}" ]; then
  out=$OUT
else
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  out=$scratch/clever
fi

# Extract: replay a saved dump (no network, no key), or read saved records as they are.
if [ -d "$dump" ]; then
  extract() { qs-extract --from "$dump"; }
else
  extract() { cat "$dump"; }
fi

set +e
# shellcheck disable=SC2086  # $STRICT is one option or none
extract \
  | clever-map \
  | clever-validate $STRICT --junit "$REPORT_DIR/clever-validate.xml" \
  | clever-csv -o "$out" >"$REPORT_DIR/files.ndjson"
status=("${PIPESTATUS[@]}")
set -e

# Name every stage that failed. The first failure that is not SIGPIPE (141, a stage whose
# reader had already stopped) is the cause, and the job's exit status.
stages=(extract clever-map clever-validate clever-csv)
failed=""
cause=0
for i in "${!stages[@]}"; do
  s=${status[$i]}
  [ "$s" -eq 0 ] && continue
  failed+=" ${stages[$i]}=$s"
  if [ "$cause" -eq 0 ] || { [ "$cause" -eq 141 ] && [ "$s" -ne 141 ]; }; then cause=$s; fi
done
if [ "$cause" -ne 0 ]; then
  echo "dry-run: FAILED (exit status:$failed); nothing would be uploaded." \
    "Report: $REPORT_DIR/clever-validate.xml" >&2
  exit "$cause"
fi
if [ -n "${OUT:-}" ]; then where="written to $out"; else where="written to a temporary directory, now removed"; fi
echo "dry-run: passed: Clever would take this set (files $where; nothing uploaded)." \
  "Report: $REPORT_DIR/clever-validate.xml" >&2
