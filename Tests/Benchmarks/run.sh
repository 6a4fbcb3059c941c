#!/usr/bin/env bash
# Time and peak memory of clever-map and clever-csv (release build) on the example
# school and on a generated district, with `jq -c .` over the same stream as a named
# peer: it only parses and re-prints the JSON, the least any stage must do.
# Usage: [BIN=dir] Tests/Benchmarks/run.sh [STUDENTS]   (default 100000; BIN: the executables, default .build/release)
set -euo pipefail
cd "$(dirname "$0")/../.."
students=${1:-100000}
bin=${BIN:-.build/release}  # BIN=dir compares another build
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() {  # label, command...; prints seconds and peak resident memory
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" 2>>"$work/stderr"
  read -r seconds kib < "$work/time"
  printf '%-28s %8.2f s %9.1f MiB\n' "$label" "$seconds" "$(echo "$kib / 1024" | bc -l)"
  echo "$seconds" > "$work/last"
}

echo "== example school ($(wc -l < examples/lincoln-academy/school.ndjson) lines)"
measure "clever-map" sh -c "$bin/clever-map examples/lincoln-academy/school.ndjson > $work/example.ndjson"
measure "clever-csv write" sh -c "$bin/clever-csv -o $work/example-out < $work/example.ndjson > /dev/null"

echo "== generated district: $students students"
python3 Tests/Benchmarks/generate-district.py --students "$students" --seed 1 > "$work/district.ndjson"
echo "input: $(wc -l < "$work/district.ndjson") lines, $(du -m "$work/district.ndjson" | cut -f1) MiB"
measure "clever-map" sh -c "$bin/clever-map $work/district.ndjson > $work/clever.ndjson"
map=$(cat "$work/last")
measure "clever-csv write" sh -c "$bin/clever-csv -o $work/out < $work/clever.ndjson > /dev/null"
csv=$(cat "$work/last")
measure "clever-csv read" sh -c "$bin/clever-csv read $work/out > /dev/null"
if command -v jq > /dev/null; then
  measure "peer: jq -c . (map input)" sh -c "jq -c . $work/district.ndjson > /dev/null"
  jqmap=$(cat "$work/last")
  measure "peer: jq -c . (csv input)" sh -c "jq -c . $work/clever.ndjson > /dev/null"
  jqcsv=$(cat "$work/last")
  echo "ratio clever-map / jq:       $(echo "scale=2; $map / $jqmap" | bc)"
  echo "ratio clever-csv write / jq: $(echo "scale=2; $csv / $jqcsv" | bc)"
else
  echo "(install jq to compare with it)"
fi
ls -l "$work/out" | tail -n +2
