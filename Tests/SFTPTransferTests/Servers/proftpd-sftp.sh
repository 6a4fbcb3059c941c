#!/usr/bin/env bash
# proftpd-sftp.sh: a real ProFTPD with mod_sftp on 127.0.0.1, for tests.
#
#   proftpd-sftp.sh --port 0 --root DIR --user NAME --password-file FILE --host-key FILE
#                   [--authorized-keys FILE] [--no-posix-rename] [--allow-overwrite] [--log FILE]
#
# Needs root and Debian's proftpd-core + proftpd-mod-crypto (mod_sftp), openssl, and
# ssh-keygen for --authorized-keys. Nothing under /etc/proftpd is read: the config, the
# password file, a copy of the host key, the scoreboard and the log live in a private
# temporary folder (mktemp -d, 0700) that is removed when the launcher stops.
#
# What it runs: `proftpd -n` (foreground) with mod_sftp alone on 127.0.0.1:PORT
# (SocketBindTight, IPv4 only). --port 0 picks a free port; if another process takes it
# before proftpd binds, the launcher tries again with another (up to 5 times).
#
#  * Login NAME is a virtual user (AuthUserFile, mod_auth_file only; PAM and /etc/passwd are
#    not consulted) with the password on the first line of --password-file (a trailing
#    CR/LF is dropped). It gets the uid/gid of DIR's owner, so it can write whatever that
#    owner can; when DIR belongs to root the session runs as uid 0 (RootLogin on), but
#    ProFTPD's mod_cap drops CAP_DAC_OVERRIDE, so file modes still apply even then
#    (chmod 555 DIR makes creating a file fail with SFTP status 3). Its home is DIR and it
#    is chrooted there (DefaultRoot ~), so "/students.csv" and "students.csv" both mean
#    DIR/students.csv. Files it creates belong to DIR's owner.
#  * Authentication offered: password, plus publickey when --authorized-keys is given
#    (an OpenSSH authorized_keys file or one public key; converted to RFC 4716 with
#    `ssh-keygen -e` for SFTPAuthorizedUserKeys).
#  * Host key: --host-key (a private key file, e.g. `ssh-keygen -t ed25519 -N '' -f KEY`;
#    ProFTPD 1.3.8 serves an ed25519 key alone, no RSA/ECDSA key is needed or generated).
#  * ProFTPD's defaults are kept: AllowOverwrite off (an SFTP OPEN with truncate or a
#    RENAME onto an existing file is refused) and posix-rename@openssh.com advertised.
#    --allow-overwrite adds "AllowOverwrite on"; --no-posix-rename adds
#    "SFTPExtensions -posixRename".
#  * --log FILE: SystemLog, SFTPLog and TransferLog, appended to FILE. ProFTPD refuses to
#    log into a world-writable folder such as /tmp, so it logs inside the private folder
#    and `tail -f` copies that to FILE as it grows (within ~0.1 s; the last lines are
#    copied before the launcher exits). `proftpd -n` writes its SystemLog lines (logins,
#    STARTUP/SHUTDOWN) to stderr, so its stderr goes there too.
#
# Output: exactly one line "port=NNNNN" on stdout once proftpd listens (its listening
# socket on 127.0.0.1:NNNNN is seen in /proc, owned by the proftpd master); nothing else
# is ever written to stdout.
#
# Exit: 64 bad usage, 69 cannot start (missing package, not root, proftpd refused the
# config or exited before listening) with a message on stderr (and proftpd's own output);
# after "port=" SIGTERM (or SIGINT/SIGHUP) stops proftpd and its session processes, removes
# the temporary folder and exits 0; 70 if proftpd dies by itself after starting.
#
# Processes: proftpd runs as a background child of this script, in the same process group
# (no job control; proftpd -n does not setsid, and neither do its session processes), so
# start the launcher as the leader of a process group of its own (setsid, or
# posix_spawn with POSIX_SPAWN_SETPGROUP / setpgid(0,0)) and then
#     kill -STOP -- -PGID    freezes the launcher, the proftpd master and every session;
#     kill -CONT -- -PGID    resumes them all.
# Send SIGCONT before SIGTERM if you froze the group: a stopped launcher only runs its
# SIGTERM handler once continued. Do not SIGKILL the launcher: that leaves proftpd and the
# temporary folder behind (kill the whole group with SIGKILL if you must).
set -u

EX_USAGE=64
EX_UNAVAILABLE=69
EX_SOFTWARE=70

PROFTPD=${PROFTPD:-/usr/sbin/proftpd}
MODULE_PATH=${PROFTPD_MODULE_PATH:-/usr/lib/proftpd}
START_TIMEOUT=${PROFTPD_SFTP_START_TIMEOUT:-15}   # seconds to wait for the listener

me=${0##*/}

usage() {
  [ $# -gt 0 ] && printf '%s: %s\n' "$me" "$*" >&2
  cat >&2 <<EOF
usage: $me --port PORT --root DIR --user NAME --password-file FILE --host-key FILE
       [--authorized-keys FILE] [--no-posix-rename] [--allow-overwrite] [--log FILE]
EOF
  exit $EX_USAGE
}

fail() { # fail CODE MESSAGE...
  local code=$1
  shift
  printf '%s: %s\n' "$me" "$*" >&2
  exit "$code"
}

port= root= user= password_file= host_key= authorized_keys= log_file=
posix_rename=1 allow_overwrite=0

need_value() { [ $# -ge 2 ] || usage "$1 needs a value"; }
while [ $# -gt 0 ]; do
  case $1 in
    --port) need_value "$@"; port=$2; shift 2 ;;
    --root) need_value "$@"; root=$2; shift 2 ;;
    --user) need_value "$@"; user=$2; shift 2 ;;
    --password-file) need_value "$@"; password_file=$2; shift 2 ;;
    --host-key) need_value "$@"; host_key=$2; shift 2 ;;
    --authorized-keys) need_value "$@"; authorized_keys=$2; shift 2 ;;
    --log) need_value "$@"; log_file=$2; shift 2 ;;
    --port=*) port=${1#*=}; shift ;;
    --root=*) root=${1#*=}; shift ;;
    --user=*) user=${1#*=}; shift ;;
    --password-file=*) password_file=${1#*=}; shift ;;
    --host-key=*) host_key=${1#*=}; shift ;;
    --authorized-keys=*) authorized_keys=${1#*=}; shift ;;
    --log=*) log_file=${1#*=}; shift ;;
    --no-posix-rename) posix_rename=0; shift ;;
    --allow-overwrite) allow_overwrite=1; shift ;;
    -h | --help)
      sed -n '2,/^set -u$/{/^set -u$/d;s/^# \{0,1\}//;p}' "$0"
      exit 0 ;;
    *) usage "unknown argument: $1" ;;
  esac
done

[ -n "$port" ] || usage "--port is required (0 picks a free one)"
[ -n "$root" ] || usage "--root is required"
[ -n "$user" ] || usage "--user is required"
[ -n "$password_file" ] || usage "--password-file is required"
[ -n "$host_key" ] || usage "--host-key is required"
[[ $port =~ ^[0-9]{1,5}$ ]] && [ "$((10#$port))" -le 65535 ] || usage "--port must be 0..65535: $port"
port=$((10#$port))
[[ $user =~ ^[A-Za-z0-9_][A-Za-z0-9._-]*$ ]] || usage "--user must be letters, digits, '.', '_' or '-': $user"
[ -d "$root" ] || usage "--root is not a directory: $root"
root=$(cd "$root" && pwd -P) || usage "--root cannot be entered: $root"
case $root in *:* | *$'\n'*) usage "--root must not contain ':' or a newline: $root" ;; esac
[ -f "$password_file" ] && [ -r "$password_file" ] || usage "--password-file is not a readable file: $password_file"
[ -f "$host_key" ] && [ -r "$host_key" ] || usage "--host-key is not a readable file: $host_key"
if [ -n "$authorized_keys" ]; then
  [ -f "$authorized_keys" ] && [ -r "$authorized_keys" ] || usage "--authorized-keys is not a readable file: $authorized_keys"
fi
password=
IFS= read -r password <"$password_file" || [ -n "$password" ]
password=${password%$'\r'}
[ -n "$password" ] || usage "--password-file's first line is empty: $password_file"

# What cannot be had here is 69.
[ "$(id -u)" = 0 ] || fail $EX_UNAVAILABLE "must run as root (proftpd chroots and switches users)"
[ -x "$PROFTPD" ] || fail $EX_UNAVAILABLE "$PROFTPD not found: apt-get install --no-install-recommends proftpd-core proftpd-mod-crypto"
[ -f "$MODULE_PATH/mod_sftp.so" ] || fail $EX_UNAVAILABLE "$MODULE_PATH/mod_sftp.so not found: apt-get install --no-install-recommends proftpd-mod-crypto"
command -v openssl >/dev/null || fail $EX_UNAVAILABLE "openssl not found (needed to hash the password): apt-get install openssl"
if [ -n "$authorized_keys" ]; then
  command -v ssh-keygen >/dev/null || fail $EX_UNAVAILABLE "ssh-keygen not found (needed for --authorized-keys): apt-get install openssh-client"
fi
if [ -n "$log_file" ]; then
  : >>"$log_file" 2>/dev/null || fail $EX_UNAVAILABLE "cannot write --log file: $log_file"
fi

tmp= master= relay= cleaned=0

descendants() { # every live descendant pid of $1, from /proc
  local parent=$1 pid stat rest ppid
  local -a kids=()
  for stat in /proc/[0-9]*/stat; do
    pid=${stat#/proc/}
    pid=${pid%/stat}
    IFS= read -r rest 2>/dev/null <"$stat" || continue
    rest=${rest##*) }   # state ppid ... (after the command name, which may hold spaces)
    ppid=${rest#* }
    ppid=${ppid%% *}
    [ "$ppid" = "$parent" ] && kids+=("$pid")
  done
  for pid in "${kids[@]}"; do
    echo "$pid"
    descendants "$pid"
  done
}

alive() { # alive PID: exists and is not a zombie
  local rest
  IFS= read -r rest 2>/dev/null <"/proc/$1/stat" || return 1
  rest=${rest##*) }
  [ "${rest%% *}" != Z ]
}

stop_server() {
  [ -n "$master" ] || return 0
  local pid pids i comm
  pids=$(descendants "$master")
  # Resume everything first (a frozen process does not act on SIGTERM), then ask the master
  # to stop: proftpd's master sends SIGTERM to its sessions itself.
  kill -CONT "$master" $pids 2>/dev/null
  kill -TERM "$master" 2>/dev/null
  for ((i = 0; i < 50; i++)); do
    alive "$master" || break
    sleep 0.1
  done
  alive "$master" && kill -KILL "$master" 2>/dev/null
  wait "$master" 2>/dev/null
  # Sessions that outlived the master: give them a moment, then kill them.
  for ((i = 0; i < 20; i++)); do
    local left=
    for pid in $pids; do
      alive "$pid" && IFS= read -r comm 2>/dev/null <"/proc/$pid/comm" && [ "$comm" = proftpd ] && left+=" $pid"
    done
    [ -z "$left" ] && break
    [ "$i" -eq 10 ] && kill -TERM $left 2>/dev/null
    [ "$i" -eq 19 ] && kill -KILL $left 2>/dev/null
    sleep 0.1
  done
  master=
}

cleanup() {
  [ "$cleaned" = 1 ] && return
  cleaned=1
  stop_server
  if [ -n "$relay" ]; then
    wait "$relay" 2>/dev/null   # tail --pid ends once proftpd is gone, after copying the rest
    relay=
  fi
  [ -n "$tmp" ] && rm -rf -- "$tmp"
}

on_signal() {
  trap '' TERM INT HUP
  cleanup
  exit 0
}
trap on_signal TERM INT HUP
trap cleanup EXIT

tmp=$(mktemp -d "${TMPDIR:-/tmp}/proftpd-sftp.XXXXXXXX") || fail $EX_UNAVAILABLE "cannot create a temporary folder"
chmod 0700 "$tmp"

# The login: DIR's owner, so the session can write DIR.
read -r uid gid < <(stat -c '%u %g' "$root") || fail $EX_UNAVAILABLE "cannot stat $root"
hash=$(printf '%s\n' "$password" | openssl passwd -6 -stdin) || fail $EX_UNAVAILABLE "openssl passwd -6 failed"
umask 077
printf '%s:%s:%s:%s::%s:/bin/false\n' "$user" "$hash" "$uid" "$gid" "$root" >"$tmp/passwd"
printf '%s:x:%s:\n' "$user" "$gid" >"$tmp/group"

# mod_sftp refuses a group- or world-readable host key; a private copy is always 0600.
cp -- "$host_key" "$tmp/host_key" || fail $EX_UNAVAILABLE "cannot copy $host_key"
chmod 0600 "$tmp/host_key"

auth_methods=password
if [ -n "$authorized_keys" ]; then
  auth_methods="publickey password"
  : >"$tmp/authorized_keys"
  if grep -q -- '---- BEGIN SSH2 PUBLIC KEY ----' "$authorized_keys"; then
    cp -- "$authorized_keys" "$tmp/authorized_keys"
  else
    n=0
    while IFS= read -r line || [ -n "$line" ]; do
      line=${line%$'\r'}
      [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
      # Drop authorized_keys options ("restrict,from=... ssh-ed25519 AAAA...").
      if [[ $line =~ ((ssh-|ecdsa-|sk-)[^[:space:]]+[[:space:]]+[A-Za-z0-9+/=]+.*)$ ]]; then
        line=${BASH_REMATCH[1]}
      fi
      printf '%s\n' "$line" >"$tmp/one.pub"
      ssh-keygen -e -f "$tmp/one.pub" >>"$tmp/authorized_keys" 2>"$tmp/keygen.err" ||
        fail $EX_USAGE "--authorized-keys: cannot convert a key with ssh-keygen -e: $(cat "$tmp/keygen.err")"
      n=$((n + 1))
    done <"$authorized_keys"
    rm -f "$tmp/one.pub" "$tmp/keygen.err"
    [ "$n" -gt 0 ] || usage "--authorized-keys holds no key: $authorized_keys"
  fi
fi

pick_port() {
  local p
  if command -v python3 >/dev/null; then
    p=$(python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' 2>/dev/null) && { echo "$p"; return; }
  fi
  # No python3: a random port that /proc/net/tcp does not show in use.
  local i hex
  for ((i = 0; i < 100; i++)); do
    p=$((20000 + RANDOM % 40000))
    printf -v hex ':%04X ' "$p"
    grep -q "$hex" /proc/net/tcp /proc/net/tcp6 2>/dev/null || { echo "$p"; return; }
  done
  return 1
}

write_config() { # write_config PORT
  {
    cat <<EOF
# Generated by $me for a test; not /etc/proftpd.
ModulePath $MODULE_PATH
LoadModule mod_sftp.c

ServerName "proftpd-sftp test server"
ServerType standalone
DefaultServer on
UseIPv6 off
DefaultAddress 127.0.0.1
SocketBindTight on
Port $1
MaxInstances 64
Umask 022

PidFile $tmp/proftpd.pid
ScoreboardFile $tmp/proftpd.scoreboard
DelayEngine off
ControlsEngine off
WtmpLog off
UseReverseDNS off

SystemLog $tmp/proftpd.log
TransferLog $tmp/proftpd.log

AuthPAM off
AuthOrder mod_auth_file.c
AuthUserFile $tmp/passwd
AuthGroupFile $tmp/group
RequireValidShell off
DefaultRoot ~
EOF
    [ "$uid" = 0 ] && echo "RootLogin on"
    [ "$allow_overwrite" = 1 ] && echo "AllowOverwrite on"
    cat <<EOF

SFTPEngine on
SFTPLog $tmp/proftpd.log
SFTPHostKey $tmp/host_key
SFTPAuthMethods $auth_methods
EOF
    [ -n "$authorized_keys" ] && echo "SFTPAuthorizedUserKeys file:$tmp/authorized_keys"
    [ "$posix_rename" = 0 ] && echo "SFTPExtensions -posixRename"
  } >"$tmp/proftpd.conf"
}

listening() { # listening PORT PID: PID holds a socket listening on 127.0.0.1:PORT
  local want inode fd
  printf -v want '0100007F:%04X' "$1"
  inode=$(awk -v a="$want" '$2 == a && $4 == "0A" { print $10; exit }' /proc/net/tcp 2>/dev/null)
  [ -n "$inode" ] || return 1
  for fd in /proc/"$2"/fd/*; do
    [ "$(readlink "$fd" 2>/dev/null)" = "socket:[$inode]" ] && return 0
  done
  return 1
}

explain() { # what proftpd said, on stderr
  {
    [ -s "$tmp/proftpd.log" ] && tail -n 20 "$tmp/proftpd.log" | sed 's/^/  proftpd: /'
  } >&2
}

tries=1
[ "$port" = 0 ] && tries=5
started=0
for ((try = 1; try <= tries; try++)); do
  listen_port=$port
  if [ "$port" = 0 ]; then
    listen_port=$(pick_port) || fail $EX_UNAVAILABLE "cannot find a free port"
  fi
  write_config "$listen_port"
  : >"$tmp/proftpd.log"
  # proftpd -n writes its SystemLog messages to stderr (the SystemLog file stays empty):
  # they go to the same log as SFTPLog and TransferLog.
  "$PROFTPD" -n -c "$tmp/proftpd.conf" </dev/null >>"$tmp/proftpd.log" 2>&1 &
  master=$!
  deadline=$((SECONDS + START_TIMEOUT))
  while :; do
    if listening "$listen_port" "$master"; then
      started=1
      break
    fi
    if ! alive "$master"; then
      wait "$master"
      status=$?
      master=
      break
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      printf '%s: proftpd did not listen on 127.0.0.1:%s within %ss\n' "$me" "$listen_port" "$START_TIMEOUT" >&2
      explain
      exit $EX_UNAVAILABLE
    fi
    sleep 0.05
  done
  [ "$started" = 1 ] && break
  if [ "$port" = 0 ] && grep -qi 'address already in use' "$tmp/proftpd.log" 2>/dev/null; then
    continue # someone took the port we picked: pick another
  fi
  break
done
if [ "$started" != 1 ]; then
  printf '%s: proftpd exited (status %s) before listening on 127.0.0.1:%s\n' "$me" "${status:-?}" "$listen_port" >&2
  explain
  exit $EX_UNAVAILABLE
fi

if [ -n "$log_file" ]; then
  # Deaf to SIGTERM/SIGINT/SIGHUP sent to the whole group: it ends when proftpd has, after
  # copying the last lines.
  (
    trap '' TERM INT HUP
    exec tail -n +1 -s 0.1 --pid="$master" -f "$tmp/proftpd.log" >>"$log_file" 2>/dev/null
  ) &
  relay=$!
fi

printf 'port=%s\n' "$listen_port"

# Stay until a signal (the trap runs as soon as one arrives, interrupting wait) or proftpd
# ending by itself.
wait "$master"
status=$?
master=
printf '%s: proftpd exited by itself (status %s)\n' "$me" "$status" >&2
explain
exit $EX_SOFTWARE
