#!/bin/sh
# The one "install Debian packages when missing" step the ensure-* scripts share.
#   sh scripts/apt-ensure.sh stop|warn "what they are for" PKG...
# Installs the missing ones when run as root. Otherwise, with "stop", prints the
# one command that installs them and fails; with "warn", says what is missing
# (the callers carry on without them). Off Debian (no dpkg-query) it does nothing.
set -e
mode=$1; why=$2; shift 2
command -v dpkg-query >/dev/null 2>&1 || exit 0
missing=""
for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "Installing $why:$missing"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
elif [ "$mode" = warn ]; then
    echo "Some $why are missing:$missing (what needs them says why it is skipped)" >&2
else
    echo "Alongside needs $why. Install them with:" >&2
    echo "  sudo apt-get install -y$missing" >&2
    exit 1
fi
