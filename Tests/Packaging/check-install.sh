#!/usr/bin/env bash
# `make check-install`: `make install` into a temporary DESTDIR with PREFIX=/usr/local,
# then: exactly the expected files, each with its mode; the installed tools run; man finds
# and renders the installed pages; bash's completion completes `clever-sync sched`; the
# installed clever-sync runs a whole run with its stages found beside it. A second
# install over the first, then `make uninstall`, which must leave no file but one it did
# not install.
set -euo pipefail
cd "$(dirname "$0")/../.."
check_name=check-install
. Tests/Packaging/check-common.sh

prefix=/usr/local
destdir=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$destdir" "$work"' EXIT
root=$destdir$prefix
tools=(qs-extract clever-map clever-validate clever-csv sftp-put clever-sync)
doc=share/doc/clever-roster

make --no-print-directory install DESTDIR="$destdir" PREFIX="$prefix" >/dev/null

# What must be there, with its mode, from the repository (not from install.sh's list).
expected() {
  local tool page file
  for tool in "${tools[@]}"; do
    echo "755 bin/$tool"
    echo "644 share/bash-completion/completions/$tool"
    echo "644 share/zsh/site-functions/_$tool"
    echo "644 share/fish/vendor_completions.d/$tool.fish"
  done
  for page in man/*.[1-8]; do echo "644 share/man/man${page##*.}/${page#man/}"; done
  echo "644 $doc/README.md"
  echo "644 $doc/LICENSE"
  echo "644 $doc/installed-files"
  # The committed examples only: what running them writes (out/, reports/) is not installed.
  git ls-files examples | while IFS= read -r file; do
    if [ -x "$file" ]; then echo "755 $doc/$file"; else echo "644 $doc/$file"; fi
  done
}
installed() {
  (cd "$root" && find . -type f -printf '%m %P\n')
}
same_files() {
  diff <(expected | sort) <(installed | sort) >&2
}
check "exactly the expected files, each with its mode, in $prefix" same_files
check "folders are 0755" [ -z "$(find "$root" -type d ! -perm 0755)" ]
check "the installed tools are the release build" cmp -s .build/release/clever-sync "$root/bin/clever-sync"
check "the installed clever-map --version prints $(source_version)" prints_version "$root/bin/clever-map"

for section in 1 5; do
  check "man -w finds clever-sync($section) in the installed manual" \
    [ "$(man -M "$root/share/man" -w "$section" clever-sync)" = "$root/share/man/man$section/clever-sync.$section" ]
done
renders() { MANPAGER=cat man -M "$root/share/man" 1 clever-sync 2>/dev/null | grep -q 'clever-sync tick'; }
check "man renders the installed clever-sync(1)" renders

check "bash completes 'clever-sync sched' to 'schedule' with the installed script" \
  completes_sched ". '$root/share/bash-completion/completions/clever-sync'"
check "the zsh and fish completions are swift-argument-parser's for each tool" bash -c '
  for tool in "${@:2}"; do
    head -1 "$1/share/zsh/site-functions/_$tool" | grep -qx "#compdef $tool" || exit 1
    grep -q "^complete -c '\''$tool'\''" "$1/share/fish/vendor_completions.d/$tool.fish" || exit 1
  done' _ "$root" "${tools[@]}"
check "the installed clever-sync finds its stages beside it (PATH points nowhere)" \
  whole_run_finds_stages "$root/bin/clever-sync" "$work/run"

# Installing again over the first install changes nothing that uninstall must know.
make --no-print-directory install DESTDIR="$destdir" PREFIX="$prefix" >/dev/null
check "a second install installs the same files" same_files

# A file install did not put there survives uninstall, with its folders.
mkdir -p "$root/$doc/examples/mine"
echo "not installed by make install" >"$root/$doc/examples/mine/notes.txt"
make --no-print-directory uninstall DESTDIR="$destdir" PREFIX="$prefix" >/dev/null
left() { (cd "$destdir" && find . -mindepth 1 \( -type f -o -type l \) -printf '%P\n'); }
check "uninstall leaves only the file it did not install" [ "$(left)" = "usr/local/$doc/examples/mine/notes.txt" ]
rm "$root/$doc/examples/mine/notes.txt"
(cd "$root" && rmdir -p "$doc/examples/mine") 2>/dev/null || true
check "uninstall removes the folders it made" [ -z "$(find "$root" -mindepth 1)" ]

finish
