#!/usr/bin/env bash
# `make deb`: the Debian package .build/deb/clever-roster_VERSION_ARCH.deb, from the
# release build and .build/completions (make provides both):
# - what `make install` puts, with PREFIX=/usr: the tools in /usr/bin, the manual
#   (gzipped, as Debian has it), completions, and /usr/share/doc/clever-roster with the
#   examples, README and the license as copyright; not install's list of its files
#   (dpkg keeps its own);
# - the systemd units of examples/clever-sync/ in /lib/systemd/system: the examples name
#   /usr/local/bin, where `make install` puts the tools, so the package's units and
#   documented crontab line are rewritten here to /usr/bin;
# - control from control.in: the version the tools print, dpkg's architecture, Depends
#   computed by dpkg-shlibdeps from the libraries the executables load (plus adduser,
#   which postinst runs); postinst, prerm and postrm beside this script.
set -euo pipefail
cd "$(dirname "$0")/../../.."
umask 022

release=${RELEASE_BIN:-.build/release}
out=${DEB_DIR:-.build/deb}
maintainer=${DEB_MAINTAINER:-The clever-roster authors <maintainers@users.noreply.r-seed-2c3e7500.example>}
here=Sources/Packaging/deb

fail() { echo "deb/build.sh: $*" >&2; exit 1; }
command -v dpkg-shlibdeps >/dev/null || fail "dpkg-shlibdeps is missing: apt-get install dpkg-dev (make setup does)"
version=$("$release/clever-sync" --version)
[[ "$version" =~ ^[0-9][A-Za-z0-9.+~-]*$ ]] || fail "'$version' (clever-sync --version) is not a Debian version"
architecture=$(dpkg --print-architecture)

# The tree is built as debian/clever-roster in a scratch folder, where dpkg-shlibdeps
# expects a package's files.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stage=$work/debian/clever-roster
DESTDIR=$stage PREFIX=/usr bash Sources/Packaging/install.sh install >/dev/null
doc=$stage/usr/share/doc/clever-roster
rm "$doc/installed-files"
mv "$doc/LICENSE" "$doc/copyright"
gzip -9n "$stage"/usr/share/man/man*/*
# Stripped as Debian's packages are (dh_strip's options): a third of each tool's size.
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$stage"/usr/bin/*

install -d -m 0755 "$stage/lib/systemd/system"
for unit in clever-sync@.service clever-sync@.timer; do
  sed -e 's|/usr/local/bin/|/usr/bin/|g' \
    -e 's|^# Install: /etc/systemd/system/|# Installed by the clever-roster package: /lib/systemd/system/|' \
    "examples/clever-sync/$unit" >"$stage/lib/systemd/system/$unit"
  chmod 0644 "$stage/lib/systemd/system/$unit"
done
rewritten=("$doc"/examples/clever-sync/{crontab,clever-sync@.service,clever-sync@.timer})
sed -i -e 's|/usr/local/bin/|/usr/bin/|g' "${rewritten[@]}"
if grep -l /usr/local "$stage"/lib/systemd/system/* "${rewritten[@]}"; then
  fail "the files above still name /usr/local: the package puts the tools in /usr/bin"
fi

install -d -m 0755 "$stage/DEBIAN"
printf 'Source: clever-roster\n\nPackage: clever-roster\nArchitecture: any\n' >"$work/debian/control"
shlibs=$(cd "$work" && dpkg-shlibdeps -O debian/clever-roster/usr/bin/*)
shlibs=$(sed -n 's/^shlibs:Depends=//p' <<<"$shlibs")
[ -n "$shlibs" ] || fail "dpkg-shlibdeps found no library the tools load"
installed_size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)

sed -e "s|@VERSION@|$version|" -e "s|@ARCHITECTURE@|$architecture|" -e "s|@MAINTAINER@|$maintainer|" \
  -e "s|@INSTALLED_SIZE@|$installed_size|" -e "s|@DEPENDS@|$shlibs, adduser|" "$here/control.in" >"$stage/DEBIAN/control"
for script in postinst prerm postrm; do install -m 0755 "$here/$script" "$stage/DEBIAN/$script"; done
(cd "$stage" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) >"$stage/DEBIAN/md5sums"
chmod 0644 "$stage/DEBIAN/control" "$stage/DEBIAN/md5sums"

mkdir -p "$out"
deb=$out/clever-roster_${version}_${architecture}.deb
dpkg-deb --build --root-owner-group "$stage" "$deb" >/dev/null
echo "built $deb ($(du -k "$deb" | cut -f1) KiB): Depends: $shlibs, adduser"
