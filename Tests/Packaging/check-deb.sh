#!/usr/bin/env bash
# `make check-deb` (after `make deb`): the package's contents and fields; then, as root,
# the package installed with dpkg -i (twice, as an upgrade would): the tools in /usr/bin,
# the units as systemd reads them, man, bash-completion, the clever-sync user and
# /var/lib/clever-sync (0700), a whole run as that user, a profile's timer enabled;
# dpkg -r keeps the state, dpkg -P removes it, the enabled timer and every file of the
# package. The clever-sync user is kept on purge (Debian's way); this check deletes it
# afterwards when it made it. It refuses to run where clever-roster or
# /var/lib/clever-sync already is: removing them would remove a real installation's data.
set -euo pipefail
cd "$(dirname "$0")/../.."
check_name=check-deb
. Tests/Packaging/check-common.sh

version=$(source_version)
architecture=$(dpkg --print-architecture)
deb=${DEB_DIR:-.build/deb}/clever-roster_${version}_${architecture}.deb
[ -f "$deb" ] || { echo "check-deb: $deb is missing: make deb builds it" >&2; exit 1; }
tools=(qs-extract clever-map clever-validate clever-csv sftp-put clever-sync)

# --- The package as built.
contents=$(dpkg-deb --contents "$deb" | awk '{print $1, $2, $6}')
has() { grep -qxF -e "$1" <<<"$contents"; }
ships_tools() { for tool in "${tools[@]}"; do has "-rwxr-xr-x root/root ./usr/bin/$tool" || return 1; done; }
check "the six tools in /usr/bin, 0755, root's" ships_tools
ships_rest() {
  local page tool
  for page in man/*.[1-8]; do has "-rw-r--r-- root/root ./usr/share/man/man${page##*.}/${page#man/}.gz" || return 1; done
  for tool in "${tools[@]}"; do
    has "-rw-r--r-- root/root ./usr/share/bash-completion/completions/$tool" &&
      has "-rw-r--r-- root/root ./usr/share/zsh/site-functions/_$tool" &&
      has "-rw-r--r-- root/root ./usr/share/fish/vendor_completions.d/$tool.fish" || return 1
  done
  has "-rw-r--r-- root/root ./lib/systemd/system/clever-sync@.service" &&
    has "-rw-r--r-- root/root ./lib/systemd/system/clever-sync@.timer" &&
    has "-rw-r--r-- root/root ./usr/share/doc/clever-roster/copyright" &&
    has "-rw-r--r-- root/root ./usr/share/doc/clever-roster/examples/clever-sync/lincoln.toml"
}
check "the manual (gzipped), completions, systemd units, copyright and examples" ships_rest
check "nothing under /usr/local, no install list" bash -c '! grep -E "/usr/local|installed-files" <<<"$1"' _ "$contents"
unit() { dpkg-deb --fsys-tarfile "$deb" | tar -xO "./lib/systemd/system/clever-sync@.service"; }
check "the packaged unit starts /usr/bin/clever-sync" grep -qx 'ExecStart=/usr/bin/clever-sync tick --profile %i' <(unit)
check "Version is the tools' ($version), Architecture dpkg's ($architecture)" \
  [ "$(dpkg-deb --field "$deb" Version Architecture)" = "$(printf 'Version: %s\nArchitecture: %s' "$version" "$architecture")" ]

# Every library the executables load comes from a package that Depends names.
depends=$(dpkg-deb --field "$deb" Depends)
echo "check-deb: Depends: $depends"
depends_on() { sed 's/, */\n/g' <<<"$depends" | sed 's/ .*//' | grep -qxF -e "$1"; }
covers_libraries() {
  local tool library path package
  for tool in "${tools[@]}"; do
    for library in $(objdump -p ".build/release/$tool" | awk '$1 == "NEEDED" {print $2}'); do
      path=$(ldconfig -p | awk -v lib="$library" '$1 == lib {print $NF; exit}')
      package=$(dpkg -S "$path" 2>/dev/null | head -1 | cut -d: -f1) ||
        package=$(dpkg -S "$(readlink -f "$path")" | head -1 | cut -d: -f1)
      [ -n "$package" ] && depends_on "$package" || { echo "$tool: $library ($package) is not in Depends" >&2; return 1; }
    done
  done
}
check "Depends names the package of every library the tools load" covers_libraries
check "Depends names adduser, which postinst runs" depends_on adduser

# --- The package installed, removed and purged.
if [ "$(id -u)" -ne 0 ]; then
  echo "check-deb: not root: installing the package with dpkg is not tried" >&2
  finish
  exit 0
fi
if dpkg-query -W -f='${Status}' clever-roster 2>/dev/null | grep -q installed || [ -e /var/lib/clever-sync ]; then
  echo "check-deb: clever-roster or /var/lib/clever-sync is on this machine already: not touching it" >&2
  exit 1
fi
user_existed=false
getent passwd clever-sync >/dev/null && user_existed=true
enabled=/etc/systemd/system/timers.target.wants/clever-sync@check.timer
cleanup() {
  dpkg -P clever-roster >/dev/null 2>&1 || true
  rm -f "$enabled"
  $user_existed || userdel clever-sync 2>/dev/null || true
  $user_existed || groupdel clever-sync 2>/dev/null || true
}
trap cleanup EXIT

dpkg -i "$deb" >/dev/null
dpkg -i "$deb" >/dev/null # a reinstall runs postinst again over the user and the folder
files=$(dpkg -L clever-roster)
check "/usr/bin/clever-map --version prints $version" prints_version /usr/bin/clever-map
check "the system user clever-sync, home /var/lib/clever-sync, no login shell" \
  bash -c '[[ "$(getent passwd clever-sync | cut -d: -f3,6,7)" =~ ^[0-9]+:/var/lib/clever-sync:/usr/sbin/nologin$ ]] &&
    [ "$(id -u clever-sync)" -lt 1000 ]'
check "/var/lib/clever-sync is clever-sync's, mode 0700" [ "$(stat -c '%a %U %G' /var/lib/clever-sync)" = "700 clever-sync clever-sync" ]
check "systemd-analyze verify passes the installed units (their ExecStart and man pages exist)" \
  systemd-analyze verify /lib/systemd/system/clever-sync@.service /lib/systemd/system/clever-sync@.timer
check "man finds clever-sync(1) in /usr/share/man" [ "$(man -w clever-sync)" = /usr/share/man/man1/clever-sync.1.gz ]
check "bash-completion loads the installed completion; 'clever-sync sched' completes to 'schedule'" \
  completes_sched '. /usr/share/bash-completion/bash_completion; __load_completion clever-sync'
check "clever-sync finds its stages in /usr/bin, as user clever-sync (PATH points nowhere)" \
  whole_run_finds_stages /usr/bin/clever-sync /var/lib/clever-sync/check clever-sync
systemctl enable clever-sync@check.timer >/dev/null 2>&1 || true
check "systemctl enable links a profile's timer" [ -L "$enabled" ]

dpkg -r clever-roster >/dev/null
gone() { while IFS= read -r path; do [ -d "$path" ] || [ ! -e "$path" ] || { echo "$path is left" >&2; return 1; }; done <<<"$files"; }
check "dpkg -r removes the package's files" gone
check "dpkg -r removes /usr/share/doc/clever-roster" [ ! -e /usr/share/doc/clever-roster ]
check "dpkg -r keeps the state (student data)" [ -s /var/lib/clever-sync/check/state/history.sqlite ]
dpkg -P clever-roster >/dev/null
check "dpkg -P removes /var/lib/clever-sync" [ ! -e /var/lib/clever-sync ]
check "dpkg -P removes the profiles' enabled timers" [ ! -L "$enabled" ]
check "dpkg -P leaves the package unknown to dpkg" bash -c '! dpkg-query -W clever-roster >/dev/null 2>&1 || [ "$(dpkg-query -W -f="\${Status}" clever-roster)" = "unknown ok not-installed" ]'
user_kept() { getent passwd clever-sync >/dev/null; }
check "dpkg -P keeps the clever-sync user (Debian leaves system users)" user_kept

finish
