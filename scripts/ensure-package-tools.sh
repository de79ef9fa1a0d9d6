#!/bin/sh
# Debian packages `make deb` uses: dpkg-deb (dpkg) and the desktop entry and
# AppStream checkers. With a .deb as argument (make smoke-deb), also the
# packages that .deb depends on, so that `dpkg -i` needs nothing else.
# Installed only when missing and only as root. (librsvg2-bin is needed only
# to re-render the icons: packaging/icons/render.sh.)
set -e
command -v dpkg-query >/dev/null 2>&1 || { echo "Building the package needs Debian's dpkg" >&2; exit 1; }
PKGS="dpkg desktop-file-utils appstream"
if [ -n "${1:-}" ]; then
    # "libc6 (>= 2.36), libxcb1, ..." -> "libc6 libxcb1 ..."
    # xvfb: the smoke test opens the installed window on a real X server.
    PKGS="$PKGS xvfb $(dpkg-deb -f "$1" Depends | sed 's/([^)]*)//g; s/,/ /g')"
fi
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "Installing packages for building and installing the .deb:$missing"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
else
    echo "Building or installing the package needs:$missing. Install them with:" >&2
    echo "  sudo apt-get install -y$missing" >&2
    exit 1
fi
