#!/usr/bin/env bash
# `make install` and `make uninstall`: puts the six tools, their manual, their shell
# completions, the examples, README and LICENSE under $DESTDIR$PREFIX, or removes them.
#
#   install.sh install     # needs the release build and .build/completions (make does both)
#   install.sh uninstall
#
# Install records every file it wrote and every folder it created, relative to PREFIX, in
# PREFIX/share/doc/clever-roster/installed-files; uninstall removes exactly those (the
# folders only when empty), so nothing it did not put there is touched.
set -euo pipefail
cd "$(dirname "$0")/../.."
umask 022

action=${1:-}
prefix=${PREFIX:-/usr/local}
root=${DESTDIR:-}$prefix
release=${RELEASE_BIN:-.build/release}
completions=${COMPLETIONS:-.build/completions}
tools=(qs-extract clever-map clever-validate clever-csv sftp-put clever-sync)
doc=share/doc/clever-roster
manifest_entry=$doc/installed-files
manifest=$root/$manifest_entry

fail() { echo "install.sh: $*" >&2; exit 1; }
case "$prefix" in /*) ;; *) fail "PREFIX must be an absolute path, not '$prefix'" ;; esac

entries=()

# Creates the folder (relative to PREFIX) and its missing parents, recording each one made.
make_folder() {
  local made="" part
  local -a parts
  IFS=/ read -ra parts <<<"$1"
  for part in "${parts[@]}"; do
    made=${made:+$made/}$part
    if [ ! -d "$root/$made" ]; then
      install -d -m 0755 "$root/$made"
      entries+=("d $made")
    fi
  done
}

# put MODE SOURCE TARGET: one file, TARGET relative to PREFIX.
put() {
  [ -f "$2" ] || fail "$2 is missing (make install builds it; run make, not this script)"
  make_folder "$(dirname "$3")"
  install -m "$1" "$2" "$root/$3"
  entries+=("f $3")
}

install_all() {
  install -d -m 0755 "$root"
  local tool page file
  for tool in "${tools[@]}"; do put 0755 "$release/$tool" "bin/$tool"; done
  for page in man/*.[1-8]; do put 0644 "$page" "share/man/man${page##*.}/${page#man/}"; done
  for tool in "${tools[@]}"; do
    put 0644 "$completions/bash/$tool" "share/bash-completion/completions/$tool"
    put 0644 "$completions/zsh/_$tool" "share/zsh/site-functions/_$tool"
    put 0644 "$completions/fish/$tool.fish" "share/fish/vendor_completions.d/$tool.fish"
  done
  put 0644 README.md "$doc/README.md"
  put 0644 LICENSE "$doc/LICENSE"
  # The examples as the repository has them, without what running them generates.
  while IFS= read -r -d '' file; do
    if [ -x "$file" ]; then put 0755 "$file" "$doc/$file"; else put 0644 "$file" "$doc/$file"; fi
  done < <(find examples \( -path examples/lincoln-academy/out -o -path examples/ci/reports \
    -o -name __pycache__ -o -name '*.swp' \) -prune -o -type f -print0 | sort -z)
  entries+=("f $manifest_entry")
  # A second install over the first keeps the first one's entries (the folders it made).
  { [ -f "$manifest" ] && cat "$manifest"; printf '%s\n' "${entries[@]}"; } | sort -u >"$manifest.new"
  chmod 0644 "$manifest.new"
  mv "$manifest.new" "$manifest"
  echo "installed ${#tools[@]} tools, their manual, completions and examples in $root"
}

uninstall_all() {
  [ -f "$manifest" ] || fail "nothing installed in $root: $manifest is missing (PREFIX or DESTDIR differ from the install's?)"
  local kind path
  local -a folders=()
  while read -r kind path; do
    case "$path" in /* | ../* | */../* | *..) fail "$manifest: refusing the path '$path'" ;; esac
    case "$kind" in
      f) rm -f "$root/$path" ;;
      d) folders+=("$path") ;;
      *) fail "$manifest: unknown entry '$kind $path'" ;;
    esac
  done <"$manifest"
  # Deepest first; a folder that holds something install did not put there stays.
  if [ ${#folders[@]} -gt 0 ]; then
    printf '%s\n' "${folders[@]}" | sort -r | while IFS= read -r path; do
      rmdir --ignore-fail-on-non-empty "$root/$path"
    done
  fi
  echo "removed what make install put in $root"
}

case "$action" in
  install) install_all ;;
  uninstall) uninstall_all ;;
  *) fail "usage: install.sh install|uninstall (PREFIX, DESTDIR from the environment)" ;;
esac
