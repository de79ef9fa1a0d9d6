#!/bin/sh
# Run a command inside a private D-Bus session with an unlocked gnome-keyring,
# in a throwaway HOME, so keyring tests use a real Secret Service and never
# the developer's own. Without dbus-run-session or gnome-keyring the command
# runs as it is (the keyring tests then skip, saying why).
set -e
if command -v dbus-run-session >/dev/null 2>&1 && command -v gnome-keyring-daemon >/dev/null 2>&1; then
    ALONGSIDE_TEST_HOME=$(mktemp -d)
    export ALONGSIDE_TEST_HOME
    trap 'rm -rf "$ALONGSIDE_TEST_HOME"' EXIT
    HOME="$ALONGSIDE_TEST_HOME" XDG_DATA_HOME="$ALONGSIDE_TEST_HOME/.local/share" \
    dbus-run-session -- sh -c '
        echo -n "alongside-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
        export ALONGSIDE_REAL_KEYRING=1
        exec "$@"' sh "$@"
else
    exec "$@"
fi
