#!/bin/sh
# Debian packages the test suite uses: a real Secret Service (gnome-keyring
# under dbus), poppler-utils to render PDFs, the PostgreSQL server binaries,
# and the libraries Qt needs even offscreen. Installed only when missing and
# only as root; otherwise the tests that need them say why they are skipped.
set -e
PKGS="gnome-keyring dbus dbus-x11 poppler-utils postgresql libegl1 libgl1 libfontconfig1 libxkbcommon0 libdbus-1-3 libglib2.0-0"
command -v dpkg-query >/dev/null 2>&1 || exit 0
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "Installing test packages:$missing"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
else
    echo "Some test packages are missing:$missing (tests that need them will be skipped)" >&2
fi
