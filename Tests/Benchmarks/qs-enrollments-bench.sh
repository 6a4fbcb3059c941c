#!/usr/bin/env bash
# Requests and time of qs-extract for a small school (70 sections, the fewest the
# generator makes) and a district of about 4,000 sections (57 schools), enrollments read
# per section (/sectionenrollments/{id}, one request each) and in bulk (the students'
# smsClassSubjectSetIdList, one request per page of students), against the scripted
# QuickSchools server on loopback. Prints the requests, the time at --rate 0 (the
# server's own speed) and what the requests cost at the default rate of 4 a second,
# which is what a real run waits.
#   Tests/Benchmarks/qs-enrollments-bench.sh        (needs a release build)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${BIN:-.build/release}
[ -x "$bin/qs-extract" ] || { echo "build first: make release" >&2; exit 1; }
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

python3 Tests/Benchmarks/generate-district.py --students 300 --schools 1 --seed 4 > "$work/school.ndjson"
python3 Tests/Benchmarks/generate-district.py --students 100000 --schools 57 --seed 5 > "$work/district.ndjson"

run() {  # name file server-options...: prints one table row
  local name=$1 file=$2; shift 2
  local keys=() fixtures=()
  for code in $(grep '"qs.school"' "$file" | sed 's/.*"code":"\([^"]*\)".*/\1/'); do
    keys+=("$code.bench$RANDOM"); fixtures+=(--fixture "${keys[-1]}=$file")
  done
  python3 Tests/QuickSchoolsAPITests/Server/qs-server.py --port 0 "${fixtures[@]}" "$@" > "$work/port" 2>/dev/null &
  pids+=($!)
  for _ in $(seq 1200); do grep -q "^port=" "$work/port" && break; sleep 0.05; done
  local port sections start end summary requests
  port=$(sed -n 's/^port=//p' "$work/port")
  printf '%s\n' "${keys[@]}" > "$work/keys"; chmod 600 "$work/keys"
  sections=$(grep -c '"qs.section"' "$file")
  start=$(date +%s.%N)
  "$bin/qs-extract" --api-key-file "$work/keys" --base-url "http://127.0.0.1:$port/sms/v1" --rate 0 \
    > "$work/out.ndjson" 2> "$work/err"
  end=$(date +%s.%N)
  summary=$(tail -1 "$work/err")
  requests=$(sed -n 's/.*; \([0-9]*\) requests,.*/\1/p' <<<"$summary")
  printf '%-44s %9s %9s %9.2fs %10.0fs\n' "$name" "$sections" "$requests" "$(echo "$end - $start" | bc)" \
    "$(echo "$requests / 4" | bc -l)"
  kill "${pids[-1]}" 2>/dev/null || true
}

printf '%-44s %9s %9s %10s %11s\n' "case" "sections" "requests" "rate 0" "at 4/s"
run "school, per section" "$work/school.ndjson"
run "school, from the students' lists" "$work/school.ndjson" --student-section-ids
run "district (57 schools), per section" "$work/district.ndjson"
run "district (57 schools), from the students' lists" "$work/district.ndjson" --student-section-ids
