#!/usr/bin/env bash
# Every stage alone (release build) on a generated district: seconds, MB/s of input and
# peak memory; the whole pipeline from a saved dump, wall and CPU; and named peers doing
# the same work in the same run: `jq -c .` over each stage's input (it only parses and
# re-prints the JSON, the least any stage must do), Miller (`mlr`, if installed) and
# Python's json + csv (python-csv-peer.py) writing the CSV files. Ratios are ours over
# the peer's time: below 1 is faster than the peer.
# Then: each executable's start-up (`--version`, mean of 20), and with SCALE=n the peak
# memory of each stage again on n students, as bytes per student of the difference, and
# the whole pipeline from a dump of n students.
# Usage: [BIN=dir] [SCALE=n] Tests/Benchmarks/run.sh [STUDENTS]
#   (default 100000; BIN: the executables, default .build/release)
set -euo pipefail
cd "$(dirname "$0")/../.."
students=${1:-100000}
bin=${BIN:-.build/release}  # BIN=dir compares another build
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# label, input file (for MB/s; - for none), command...: prints seconds, MB/s, peak memory
measure() {
  local label=$1 input=$2; shift 2
  /usr/bin/time -f "%e %M %U %S" -o "$work/time" "$@" 2>>"$work/stderr"
  read -r seconds kib user sys < "$work/time"
  local rate="-"
  if [ "$input" != - ]; then
    rate=$(echo "scale=1; $(du -sb "$input" | cut -f1) / 1000000 / ($seconds + 0.005)" | bc)
  fi
  printf '%-34s %7.2f s %8s MB/s %8.1f MiB  (cpu %.2f s)\n' "$label" "$seconds" "$rate" "$(echo "$kib / 1024" | bc -l)" \
    "$(echo "$user + $sys" | bc)"
  echo "$seconds" > "$work/last"
}
ratio() { echo "scale=2; $1 / $2" | bc; }

echo "== example school ($(wc -l < examples/lincoln-academy/school.ndjson) lines)"
measure "clever-map" - sh -c "$bin/clever-map examples/lincoln-academy/school.ndjson > $work/example.ndjson"
measure "clever-csv write" - sh -c "$bin/clever-csv -o $work/example-out < $work/example.ndjson > /dev/null"
measure "example end to end (dump)" - sh -c "$bin/qs-extract --from examples/lincoln-academy/dump | $bin/clever-map \
  | $bin/clever-validate | $bin/clever-csv -o $work/example-end > /dev/null"

echo "== generated district: $students students"
python3 Tests/Benchmarks/generate-district.py --students "$students" --seed 1 > "$work/district.ndjson"
python3 Tests/Benchmarks/make-qs-dump.py "$work/district.ndjson" "$work/dump" > /dev/null
echo "input: $(wc -l < "$work/district.ndjson") lines, $(du -m "$work/district.ndjson" | cut -f1) MiB"
measure "qs-extract --from (dump)" "$work/dump" sh -c "$bin/qs-extract --from $work/dump > $work/extracted.ndjson"
measure "clever-map" "$work/district.ndjson" sh -c "$bin/clever-map $work/district.ndjson > $work/clever.ndjson"
map=$(cat "$work/last")
measure "clever-validate (stream)" "$work/clever.ndjson" sh -c "$bin/clever-validate < $work/clever.ndjson > /dev/null"
validate=$(cat "$work/last")
measure "clever-csv write" "$work/clever.ndjson" sh -c "$bin/clever-csv -o $work/out < $work/clever.ndjson > /dev/null"
csv=$(cat "$work/last")
measure "clever-validate (CSV directory)" "$work/out" sh -c "$bin/clever-validate $work/out > /dev/null"
measure "clever-csv read" "$work/out" sh -c "$bin/clever-csv read $work/out > /dev/null"
measure "pipeline from the dump" "$work/dump" bash -c "set -o pipefail; $bin/qs-extract --from $work/dump | $bin/clever-map \
  | $bin/clever-validate | $bin/clever-csv -o $work/piped > /dev/null"

echo "== peers, same inputs"
if command -v jq > /dev/null; then
  measure "peer: jq -c . (map input)" "$work/district.ndjson" sh -c "jq -c . $work/district.ndjson > /dev/null"
  jqmap=$(cat "$work/last")
  measure "peer: jq -c . (clever records)" "$work/clever.ndjson" sh -c "jq -c . $work/clever.ndjson > /dev/null"
  jqcsv=$(cat "$work/last")
  echo "ratio clever-map / jq:             $(ratio "$map" "$jqmap")"
  echo "ratio clever-validate / jq:        $(ratio "$validate" "$jqcsv")"
  echo "ratio clever-csv write / jq:       $(ratio "$csv" "$jqcsv")"
else
  echo "(install jq to compare with it)"
fi
measure "peer: python json+csv (write)" "$work/clever.ndjson" \
  sh -c "python3 Tests/Benchmarks/python-csv-peer.py $work/py-out < $work/clever.ndjson"
echo "ratio clever-csv write / python:   $(ratio "$csv" "$(cat "$work/last")")"
if command -v mlr > /dev/null; then
  measure "peer: mlr --ijsonl --ocsv cat" "$work/clever.ndjson" \
    sh -c "mlr --ijsonl --ocsv cat $work/clever.ndjson > /dev/null"
  echo "ratio clever-csv write / mlr:      $(ratio "$csv" "$(cat "$work/last")")"
else
  echo "(install miller to compare with mlr)"
fi
ls -l "$work/out" | tail -n +2

echo "== start-up (--version, mean of 20 runs)"
for tool in qs-extract clever-map clever-validate clever-csv sftp-put clever-sync; do
  start=$(date +%s%N)
  for _ in $(seq 20); do "$bin/$tool" --version > /dev/null; done
  printf '%-16s %6.1f ms\n' "$tool" "$(echo "($(date +%s%N) - $start) / 20000000" | bc -l)"
done

# Peak memory (KiB) of each stage on a district of $1 students, one line per stage.
peaks() {
  local dir="$work/scale-$1"
  mkdir -p "$dir"
  python3 Tests/Benchmarks/generate-district.py --students "$1" --seed 1 > "$dir/district.ndjson"
  python3 Tests/Benchmarks/make-qs-dump.py "$dir/district.ndjson" "$dir/dump" > /dev/null
  local -a steps=(
    "qs-extract|$bin/qs-extract --from $dir/dump > /dev/null"
    "clever-map|$bin/clever-map $dir/district.ndjson > $dir/clever.ndjson"
    "clever-validate (stream)|$bin/clever-validate < $dir/clever.ndjson > /dev/null"
    "clever-csv write|$bin/clever-csv -o $dir/out < $dir/clever.ndjson > /dev/null"
    "clever-validate (CSV directory)|$bin/clever-validate $dir/out > /dev/null"
    "clever-csv read|$bin/clever-csv read $dir/out > /dev/null")
  for step in "${steps[@]}"; do
    /usr/bin/time -f "%M" -o "$work/peak" sh -c "${step#*|}" 2>> "$work/stderr"
    echo "${step%%|*}|$(cat "$work/peak")"
  done
  rm -rf "$dir/out" "$dir/clever.ndjson"
}
if [ -n "${SCALE:-}" ]; then
  echo "== peak memory: $students against $SCALE students"
  paste -d'|' <(peaks "$students") <(peaks "$SCALE" | cut -d'|' -f2) | while IFS='|' read -r stage small large; do
    printf '%-34s %8.1f MiB %8.1f MiB  %6.0f bytes per student\n' "$stage" "$(echo "$small / 1024" | bc -l)" \
      "$(echo "$large / 1024" | bc -l)" "$(echo "($large - $small) * 1024 / ($SCALE - $students)" | bc -l)"
  done
  rm -rf "$work/scale-$students"
  big="$work/scale-$SCALE"
  measure "pipeline from the dump ($SCALE)" "$big/dump" bash -c "set -o pipefail; $bin/qs-extract --from $big/dump \
    | $bin/clever-map | $bin/clever-validate | $bin/clever-csv -o $big/piped > /dev/null"
fi
