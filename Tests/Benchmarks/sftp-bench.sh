#!/usr/bin/env bash
# Uploads the same files with sftp-put, OpenSSH's sftp and curl (libssh2) to one real
# sshd on loopback, directly and through delay-proxy.py (10 ms each way), and prints
# the median of RUNS runs of each, connection set-up included, with ratios to sftp.
# Needs root (test-sshd.sh creates a user and runs sshd) and a release build.
#   Tests/Benchmarks/sftp-bench.sh [RUNS]     (default 7)
# BIN names the directory of the release build (default .build/release), e.g.
#   BIN=.build-perf/release Tests/Benchmarks/sftp-bench.sh 9
# NOCURL=1 leaves curl out (through the proxy it takes about 35 s a run), for more runs
# of the other two in the same time.
#   Tests/Benchmarks/sftp-bench.sh servers [RUNS]   three servers (sftp-servers-bench.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
# `sftp-bench.sh servers [RUNS]`: the same against OpenSSH, ProFTPD and a Clever-like server.
if [ "${1:-}" = servers ]; then shift; exec bash Tests/Benchmarks/sftp-servers-bench.sh "$@"; fi
runs=${1:-7}
bin=${BIN:-.build/release}
[ -x "$bin/sftp-put" ] || { echo "build first: make release" >&2; exit 1; }
work=$(mktemp -d)
chmod 711 "$work"  # sshd reads the authorized keys inside as the test user
export SSHD_USER=cleverbench SSHD_AUTH_METHODS=publickey
info=$(bash Tests/Benchmarks/test-sshd.sh start "$work/sshd")
port=$(awk '$1=="PORT"{print $2}' <<<"$info"); user=$(awk '$1=="USER"{print $2}' <<<"$info")
key=$(awk '$1=="KEY"{print $2}' <<<"$info"); known=$(awk '$1=="KNOWN_HOSTS"{print $2}' <<<"$info")
proxy_port=$((port + 1))
python3 Tests/Benchmarks/delay-proxy.py "$proxy_port" "$port" 10 & proxy=$!
cleanup() { kill $proxy 2>/dev/null || true; bash Tests/Benchmarks/test-sshd.sh stop "$work/sshd" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
# The proxy's port needs the same host key line.
sed "s/\]:$port /]:$proxy_port /" "$known" >> "$known"
pub=$(ssh-keygen -lf "$work/sshd/host_ed25519.pub" -E sha256 | awk '{print $2}' | sed 's/^SHA256://')
home=$(cat "$work/sshd/home")

# The files: one of 100 MB, and a school-sized set (a 2,000-student district's six files).
mkdir -p "$work/big" "$work/set"
head -c $((75 << 20)) /dev/urandom | base64 -w 76 > "$work/big/students.csv"  # about 100 MiB of text
python3 Tests/Benchmarks/generate-district.py --students 2000 --seed 3 | $bin/clever-map 2>/dev/null \
  | $bin/clever-csv -o "$work/set" > /dev/null 2>&1
mkdir -p "$home/up"; chown "$user" "$home/up"

put() {  # tool port files...
  local tool=$1 p=$2; shift 2
  case $tool in
    sftp-put) $bin/sftp-put -i "$key" --known-hosts "$known" "sftp://$user@127.0.0.1:$p/~/up" "$@" > /dev/null 2>"$work/put.err" || { cat "$work/put.err" >&2; tail -5 "$work/sshd/sshd.log" >&2; return 1; } ;;
    sftp)
      { for f in "$@"; do echo "put $f up/"; done; } > "$work/batch"
      sftp -q -b "$work/batch" -F /dev/null -i "$key" -o UserKnownHostsFile="$known" -o StrictHostKeyChecking=yes \
        -o BatchMode=yes -P "$p" "$user@127.0.0.1" > /dev/null 2>&1 ;;
    curl)
      local list; list=$(IFS=,; echo "$*")
      curl -sS --key "$key" --pubkey "$key.pub" --hostpubsha256 "$pub" -T "{$list}" "sftp://$user@127.0.0.1:$p/~/up/" ;;
  esac
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

seconds() {  # tool port files...: one timed run
  local start end; start=$(date +%s.%N)
  put "$@" || { echo "failed: $1" >&2; return 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

tools="sftp-put sftp"; [ -n "${NOCURL:-}" ] || tools="$tools curl"
printf '%-34s %10s %10s %10s %12s %12s\n' "case" "sftp-put" "sftp" "curl" "sftp/ours" "curl/ours"
for path in "loopback $port" "10 ms each way $proxy_port"; do
  label=${path% *}; p=${path##* }
  for files in "100 MB file:$work/big/students.csv" "school set (6 files):$(ls "$work"/set/*.csv | tr '\n' ' ')"; do
    name=${files%%:*}; list=${files#*:}
    # The tools take turns within each run, so a slow spell of the machine does not
    # fall on one tool's runs only.
    : > "$work/t.sftp-put"; : > "$work/t.sftp"; : > "$work/t.curl"
    for _ in $(seq "$runs"); do
      for tool in $tools; do
        # shellcheck disable=SC2086
        seconds "$tool" "$p" $list >> "$work/t.$tool"
      done
    done
    ours=$(median < "$work/t.sftp-put"); theirs=$(median < "$work/t.sftp"); curls=$(median < "$work/t.curl")
    if [ -n "$curls" ]; then
      printf '%-34s %9.3fs %9.3fs %9.3fs %11.2fx %11.2fx\n' "$label, $name" "$ours" "$theirs" "$curls" \
        "$(echo "$theirs / $ours" | bc -l)" "$(echo "$curls / $ours" | bc -l)"
    else
      printf '%-34s %9.3fs %9.3fs %10s %11.2fx %12s\n' "$label, $name" "$ours" "$theirs" - \
        "$(echo "$theirs / $ours" | bc -l)" -
    fi
  done
done
echo "(ratios above 1: sftp-put is faster; median of $runs runs each, connection set-up included)"
