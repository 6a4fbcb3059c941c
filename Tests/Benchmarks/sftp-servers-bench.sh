#!/usr/bin/env bash
# sftp-put against OpenSSH's sftp on the three kinds of server a district meets, on
# loopback: OpenSSH's sshd (test-sshd.sh), ProFTPD with mod_sftp as Debian ships it
# (Tests/SFTPTransferTests/Servers/proftpd-sftp.sh) and a server with the semantics of
# Clever's (Servers/clever-sftp.py, one channel at a time, objects stored at close).
# Two cases: a school set (six files, about 10 MB) and one file of 100 MB; each tool
# uploads the same files, the tools taking turns within each run; the median of RUNS
# runs (at least 5), connection set-up included, and sftp-put's time over sftp's.
# Needs root, a release build, ProFTPD, paramiko and sshpass (.ci/setup installs them).
#   Tests/Benchmarks/sftp-servers-bench.sh [RUNS]     (default 7; also: sftp-bench.sh servers)
# SERVERS="clever" (any of openssh proftpd clever) measures only those.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-7}
[ "$runs" -ge 5 ] || { echo "at least 5 runs" >&2; exit 64; }
bin=${BIN:-.build/release}
[ -x "$bin/sftp-put" ] || { echo "build first: make release" >&2; exit 1; }
servers=Tests/SFTPTransferTests/Servers
work=$(mktemp -d)
chmod 711 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -CONT -- "-$pid" 2>/dev/null || true; kill -TERM -- "-$pid" 2>/dev/null || true; done
  bash Tests/Benchmarks/test-sshd.sh stop "$work/sshd" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# The files.
mkdir -p "$work/big" "$work/set"
head -c $((75 << 20)) /dev/urandom | base64 -w 76 > "$work/big/students.csv"  # about 100 MiB of text
python3 Tests/Benchmarks/generate-district.py --students 25000 --seed 3 | $bin/clever-map 2>/dev/null \
  | $bin/clever-csv -o "$work/set" > /dev/null 2>&1
set_files=$(ls "$work"/set/*.csv | tr '\n' ' ')
echo "school set: $(ls "$work"/set/*.csv | wc -l) files, $(du -cb "$work"/set/*.csv | tail -1 | cut -f1) bytes" >&2

# OpenSSH: key login, as in sftp-bench.sh.
export SSHD_USER=cleverbench SSHD_AUTH_METHODS=publickey
info=$(bash Tests/Benchmarks/test-sshd.sh start "$work/sshd")
ossh_port=$(awk '$1=="PORT"{print $2}' <<<"$info"); ossh_user=$(awk '$1=="USER"{print $2}' <<<"$info")
key=$(awk '$1=="KEY"{print $2}' <<<"$info"); ossh_known=$(awk '$1=="KNOWN_HOSTS"{print $2}' <<<"$info")
home=$(cat "$work/sshd/home"); mkdir -p "$home/up"; chown "$ossh_user" "$home/up"

# ProFTPD and the Clever-like server: password login (sshpass for sftp).
password="bench-$RANDOM$RANDOM"; printf '%s' "$password" > "$work/password"; chmod 600 "$work/password"
ssh-keygen -q -t ed25519 -N '' -C bench -f "$work/hostkey"
start() {  # name script args...: sets $port (not in a subshell, so cleanup knows the pid)
  local name=$1; shift
  mkdir -p "$work/$name.root"
  /usr/bin/python3 -c 'import os, sys; os.setpgid(0, 0); os.execvp(sys.argv[1], sys.argv[1:])' "$@" \
    --port 0 --root "$work/$name.root" --user bench --password-file "$work/password" --host-key "$work/hostkey" \
    > "$work/$name.out" 2> "$work/$name.err" &
  pids+=($!)
  for _ in $(seq 200); do grep -q '^port=' "$work/$name.out" 2>/dev/null && break; sleep 0.05; done
  port=$(sed -n 's/^port=//p' "$work/$name.out")
  [ -n "$port" ] || { echo "$name did not start: $(cat "$work/$name.err")" >&2; exit 69; }
  echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$work/hostkey.pub")" > "$work/$name.known"
}
# --allow-overwrite for OpenSSH's sftp, which writes over the targets (ProFTPD's default
# refuses that); sftp-put, which renames, needs no such setting.
start proftpd bash "$servers/proftpd-sftp.sh" --allow-overwrite; proftpd_port=$port
start clever /usr/bin/python3 "$servers/clever-sftp.py"; clever_port=$port

put() {  # tool server files...
  local tool=$1 server=$2; shift 2
  case $server in
    openssh) local p=$ossh_port u=$ossh_user known=$ossh_known dir="~/up" sftpdir=up ;;
    proftpd) local p=$proftpd_port u=bench known=$work/proftpd.known dir="" sftpdir=. ;;
    clever) local p=$clever_port u=bench known=$work/clever.known dir="" sftpdir=/ ;;
  esac
  case $tool in
    sftp-put)
      if [ "$server" = openssh ]; then
        $bin/sftp-put -i "$key" --known-hosts "$known" "sftp://$u@127.0.0.1:$p/$dir" "$@" > /dev/null 2> "$work/put.err"
      else
        SFTP_PASSWORD=$password $bin/sftp-put --known-hosts "$known" "sftp://$u@127.0.0.1:$p/$dir" "$@" > /dev/null 2> "$work/put.err"
      fi || { cat "$work/put.err" >&2; return 1; } ;;
    sftp)
      { for f in "$@"; do echo "put $f $sftpdir"; done; } > "$work/batch"
      if [ "$server" = openssh ]; then
        sftp -q -b "$work/batch" -F /dev/null -i "$key" -o UserKnownHostsFile="$known" -o StrictHostKeyChecking=yes \
          -o BatchMode=yes -P "$p" "$u@127.0.0.1" > /dev/null 2>&1
      else
        SSHPASS=$password sshpass -e sftp -q -o BatchMode=no -b "$work/batch" -F /dev/null -o UserKnownHostsFile="$known" \
          -o StrictHostKeyChecking=yes -o PubkeyAuthentication=no -P "$p" "$u@127.0.0.1" > /dev/null 2>&1
      fi ;;
  esac
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
seconds() {
  # Each run meets an idle server: right after a session ends ProFTPD's daemon takes up
  # to 0.4 s to accept the next, which would land on whichever tool came second.
  sleep 1
  local start end; start=$(date +%s.%N)
  put "$@" || { echo "failed: $1 to $2" >&2; return 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

printf '%-34s %10s %10s %12s\n' "server, case" "sftp-put" "sftp" "ours/sftp"
for server in ${SERVERS:-openssh proftpd clever}; do
  for files in "school set:$set_files" "100 MB file:$work/big/students.csv"; do
    name=${files%%:*}; list=${files#*:}
    : > "$work/t.sftp-put"; : > "$work/t.sftp"
    for _ in $(seq "$runs"); do
      for tool in sftp-put sftp; do
        # shellcheck disable=SC2086
        seconds "$tool" "$server" $list >> "$work/t.$tool"
      done
    done
    ours=$(median < "$work/t.sftp-put"); theirs=$(median < "$work/t.sftp")
    printf '%-34s %9.3fs %9.3fs %11.2fx\n' "$server, $name" "$ours" "$theirs" "$(echo "$ours / $theirs" | bc -l)"
  done
done
echo "(ours/sftp at most 1.00 means sftp-put is as fast or faster; median of $runs runs each, connection set-up included)"
