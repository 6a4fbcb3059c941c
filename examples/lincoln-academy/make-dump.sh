#!/usr/bin/env bash
# Makes dump/, the saved QuickSchools API responses of the example school that the
# README's main command replays (`qs-extract --from`). The responses come from the test
# suite's scripted QuickSchools server serving school.ndjson in the API's shapes, read by
# qs-extract --save exactly as it reads the real API, 25 items a page.
#
#   make-dump.sh [QS_EXTRACT]     (default: ../../.build/debug/qs-extract)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$here/../..
extract=${1:-$root/.build/debug/qs-extract}
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

# A throw-away key: the scripted server accepts it for the fixture, and it is no secret.
key=lincolnacademy.example-key
printf '%s\n' "$key" >"$work/key" && chmod 600 "$work/key"
python3 "$root/Tests/QuickSchoolsAPITests/Server/qs-server.py" --port 0 \
  --fixture "$key=$here/school.ndjson" >"$work/port" &
server=$!
for _ in $(seq 50); do grep -q '^port=' "$work/port" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/^port=//p' "$work/port")

rm -rf "$here/dump"
"$extract" --base-url "http://127.0.0.1:$port/sms/v1" --api-key-file "$work/key" --rate 0 \
  --items-per-page 25 --save "$here/dump" >/dev/null
echo "make-dump: wrote $here/dump" >&2
