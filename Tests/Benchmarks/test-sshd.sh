#!/usr/bin/env bash
# A throwaway OpenSSH sshd on 127.0.0.1 for the SFTP benchmark, configured like the
# tests' TestSSHServer (Tests/SFTPTransferTests/TestSSHServer.swift): its own host and
# client keys, known_hosts, internal-sftp, uploads landing in the test user's home.
# Needs root (it creates the user and runs sshd with privilege separation).
#
#   Tests/Benchmarks/test-sshd.sh start [DIR]   prints PORT, USER, KEY, KNOWN_HOSTS, DIR, PIDFILE
#   Tests/Benchmarks/test-sshd.sh stop DIR      stops that server, removes DIR and the uploads
#
# Environment: SSHD_USER (default cleversftp), SSHD_AUTH_METHODS (e.g. publickey),
# SSHD_MAX_STARTUPS (default 100:30:200, so parallel benchmark connections are not dropped).
set -euo pipefail
user=${SSHD_USER:-cleversftp}

die() { echo "test-sshd: $*" >&2; exit 1; }

# Running (a zombie waits for init to reap it, which takes a while on some machines).
alive() { local state; state=$(ps -o stat= -p "$1" 2>/dev/null) && [[ $state != Z* ]]; }
tree() { local child; for child in $(pgrep -P "$1"); do echo "$child"; tree "$child"; done; }

stop() {
  local dir=$1
  [ -f "$dir/sshd.config" ] || die "$dir holds no test sshd"
  local pid; pid=$(cat "$dir/sshd.pgid" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -STOP "$pid" 2>/dev/null; then
    # sshd gives every connection a session of its own: freeze the tree (so nothing forks
    # or gets orphaned), kill it, then the listener.
    local kids="" now
    for _ in 1 2 3 4 5; do
      now=$(tree "$pid")
      [ "$now" = "$kids" ] && break
      kids=$now
      kill -STOP $kids 2>/dev/null || true
      sleep 0.05
    done
    [ -z "$kids" ] || kill -KILL $kids 2>/dev/null || true
    kill -TERM -- "-$pid" 2>/dev/null || true
    kill -CONT -- "-$pid" 2>/dev/null || true
    for _ in $(seq 100); do alive "$pid" || break; sleep 0.05; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  # The uploads (not the user, its dot-files or the home), unless a TestSSHServer of the same
  # user is alive in a test process (it holds a shared lock on USER.live).
  local home; home=$(cat "$dir/home" 2>/dev/null || true)
  user=$(cat "$dir/user" 2>/dev/null || echo "$user")
  mkdir -p -m 700 /run/TestSSHServer
  if [ -n "$home" ] && [ -d "$home" ] && flock -n -x "/run/TestSSHServer/$user.live" true; then
    find "$home" -mindepth 1 -maxdepth 1 ! -name '.*' -exec rm -rf {} +
  fi
  rm -rf "$dir"
}

start() {
  [ "$(id -u)" -eq 0 ] || die "must run as root (creates user $user, runs sshd)"
  id "$user" >/dev/null 2>&1 || useradd -m -s /usr/sbin/nologin "$user"
  # `stop` empties the home: only ever for a nologin test account.
  case $(getent passwd "$user" | cut -d: -f7) in
    */nologin | */false) ;;
    *) die "$user is not a nologin test account" ;;
  esac
  local home; home=$(getent passwd "$user" | cut -d: -f6)
  local dir=${1:-}
  if [ -z "$dir" ]; then dir=$(mktemp -d /tmp/test-sshd.XXXXXX); else mkdir -p "$dir"; fi
  # sshd reads authorized_keys as the user: others may traverse the folder (not list it),
  # and read the authorized_keys folder; every private key stays 0600.
  chmod 711 "$dir"
  echo "$home" > "$dir/home"
  echo "$user" > "$dir/user"
  mkdir -p /run/sshd && chmod 755 /run/sshd

  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  ssh-keygen -q -N '' -t ed25519 -f "$dir/host_ed25519" -C test-host
  ssh-keygen -q -N '' -t rsa -b 2048 -f "$dir/host_rsa" -C test-host
  ssh-keygen -q -N '' -t ed25519 -f "$dir/client_ed25519" -C test-client
  mkdir -p -m 755 "$dir/authorized_keys"
  install -m 644 "$dir/client_ed25519.pub" "$dir/authorized_keys/$user"
  echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$dir/host_ed25519.pub")" > "$dir/known_hosts"

  cat > "$dir/sshd.config" <<EOF
ListenAddress 127.0.0.1
Port $port
HostKey $dir/host_ed25519
HostKey $dir/host_rsa
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys/%u
StrictModes no
UsePAM yes
PasswordAuthentication yes
KbdInteractiveAuthentication yes
PubkeyAuthentication yes
PermitRootLogin no
AllowUsers $user
AuthenticationMethods ${SSHD_AUTH_METHODS:-any}
MaxStartups ${SSHD_MAX_STARTUPS:-100:30:200}
PrintMotd no
Subsystem sftp internal-sftp
LogLevel VERBOSE
EOF
  /usr/sbin/sshd -t -f "$dir/sshd.config" || die "sshd rejects $dir/sshd.config"
  # A session and process group of its own, like the tests' server. Each connection gets
  # a session of its own from sshd, hence the tree walk in `stop`.
  setsid /usr/sbin/sshd -D -e -f "$dir/sshd.config" </dev/null >/dev/null 2>"$dir/sshd.log" &
  echo $! > "$dir/sshd.pgid"  # setsid execs in place when not a group leader: pid = pgid
  for _ in $(seq 100); do
    if grep -qF "Server listening on 127.0.0.1 port $port." "$dir/sshd.log"; then
      echo "PORT $port"
      echo "USER $user"
      echo "KEY $dir/client_ed25519"
      echo "KNOWN_HOSTS $dir/known_hosts"
      echo "DIR $dir"
      echo "PIDFILE $dir/sshd.pid"
      return 0
    fi
    alive "$(cat "$dir/sshd.pgid")" || break
    sleep 0.1
  done
  tail -n 20 "$dir/sshd.log" >&2
  stop "$dir"
  die "sshd did not listen on 127.0.0.1:$port"
}

case ${1:-} in
  start) start "${2:-}" ;;
  stop) [ -n "${2:-}" ] || die "usage: $0 stop DIR"; stop "$2" ;;
  *) die "usage: $0 start [DIR] | stop DIR" ;;
esac
