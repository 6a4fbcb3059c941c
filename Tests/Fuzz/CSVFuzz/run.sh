#!/usr/bin/env bash
# Builds the CSVCodec fuzz target outside the repo and fuzzes it.
#   Tests/Fuzz/CSVFuzz/run.sh [seconds]        (default 300; WORK=/tmp/csvfuzz)
# Environment passed through to the target: CSVFUZZ_MAX_ROW_BYTES (default 4096) and
# CSVFUZZ_TOLERATE (known bugs to step over, see Sources/CSVFuzz/FuzzTarget.swift).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
work=${WORK:-/tmp/csvfuzz}
seconds=${1:-300}
export PATH=/opt/swift/usr/bin:$PATH
export SWIFT_BACKTRACE=enable=no   # let libFuzzer, not Swift's backtracer, handle the crash

mkdir -p "$work/Sources/CSVCodec" "$work/Sources/CSVFuzz" "$work/corpus" "$work/artifacts"
cp "$here/Package.swift" "$work/"
cp "$here/Sources/CSVFuzz/FuzzTarget.swift" "$work/Sources/CSVFuzz/"
cp "$repo"/Sources/CSVCodec/*.swift "$work/Sources/CSVCodec/"   # fresh copies every run
rm -rf "$work/Sources/RecordStream" && mkdir -p "$work/Sources/RecordStream"
cp "$repo"/Sources/RecordStream/*.swift "$work/Sources/RecordStream/"
cd "$work"
swift build -c debug -j 1 -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
# One process, one core. The regression corpus and the seeds start the corpus.
./.build/debug/CSVFuzz corpus "$here/seeds" "$repo/Tests/CSVCodecTests/FuzzCorpus" \
  -max_total_time="$seconds" -max_len=2048 -timeout=5 \
  -artifact_prefix=artifacts/ -print_final_stats=1
