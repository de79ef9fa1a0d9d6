#!/bin/sh
# Debian packages `make deb` uses: dpkg-deb (dpkg) and the desktop entry and
# AppStream checkers. With a .deb as argument (make smoke-deb), also the
# packages that .deb depends on, so that `dpkg -i` needs nothing else, and
# xvfb, on which the smoke test opens the installed window. Installed only when
# missing and only as root. (librsvg2-bin is needed only to re-render the
# icons: packaging/icons/render.sh.)
set -e
command -v dpkg-query >/dev/null 2>&1 || { echo "Building the package needs Debian's dpkg" >&2; exit 1; }
PKGS="dpkg desktop-file-utils appstream"
if [ -n "${1:-}" ]; then
    # "libc6 (>= 2.36), libxcb1, ..." -> "libc6 libxcb1 ..."
    PKGS="$PKGS xvfb $(dpkg-deb -f "$1" Depends | sed 's/([^)]*)//g; s/,/ /g')"
fi
exec sh "$(dirname "$0")/apt-ensure.sh" stop "packages for building and installing the .deb" $PKGS
