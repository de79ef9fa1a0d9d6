#!/bin/sh
# The Qt xcb plugin needs these X libraries, which PySide6 does not bring.
# Install them when we are root; otherwise stop with the one command that does.
set -e
PKGS="libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxkbcommon-x11-0 libxcb-shape0 libegl1 libgl1 libfontconfig1 libdbus-1-3"
command -v dpkg-query >/dev/null 2>&1 || exit 0   # not Debian: see README
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "Installing libraries the Qt window needs:$missing"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
else
    echo "The Alongside window needs some system libraries. Install them with:" >&2
    echo "  sudo apt-get install -y$missing" >&2
    exit 1
fi
