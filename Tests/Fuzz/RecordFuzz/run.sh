#!/usr/bin/env bash
# Builds the stream-line fuzz target outside the repo and fuzzes it.
#   Tests/Fuzz/RecordFuzz/run.sh [seconds]        (default 300; WORK=/tmp/recordfuzz)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
work=${WORK:-/tmp/recordfuzz}
seconds=${1:-300}
export PATH=/opt/swift/usr/bin:$PATH
export SWIFT_BACKTRACE=enable=no   # let libFuzzer, not Swift's backtracer, handle the crash

mkdir -p "$work/Sources/RecordFuzz" "$work/corpus" "$work/artifacts"
cp "$here/Package.swift" "$work/"
cp "$here/Sources/RecordFuzz/FuzzTarget.swift" "$work/Sources/RecordFuzz/"
for module in RecordStream CleverFormat RosterRecords; do   # fresh copies every run
  rm -rf "$work/Sources/$module"
  mkdir -p "$work/Sources/$module"
  cp "$repo/Sources/$module"/*.swift "$work/Sources/$module/"
done
cd "$work"
swift build -c debug -j 1 -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
./.build/debug/RecordFuzz corpus "$here/seeds" \
  -max_total_time="$seconds" -max_len=2048 -timeout=5 \
  -artifact_prefix=artifacts/ -print_final_stats=1
