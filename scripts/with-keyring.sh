#!/bin/sh
# Run a command inside a private D-Bus session with an unlocked gnome-keyring,
# in a throwaway HOME, so keyring tests use a real Secret Service and never
# the developer's own. Without dbus-run-session or gnome-keyring the command
# runs as it is (the keyring tests then skip, saying why).
set -e
if command -v dbus-run-session >/dev/null 2>&1 && command -v gnome-keyring-daemon >/dev/null 2>&1 \
    && command -v dbus-send >/dev/null 2>&1; then
    ALONGSIDE_TEST_HOME=$(mktemp -d)
    export ALONGSIDE_TEST_HOME
    trap 'rm -rf "$ALONGSIDE_TEST_HOME"' EXIT
    HOME="$ALONGSIDE_TEST_HOME" XDG_DATA_HOME="$ALONGSIDE_TEST_HOME/.local/share" \
    dbus-run-session -- sh -c '
        echo -n "alongside-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
        # The unlocked daemon registers on this session bus after the command
        # above returns. Wait for that event: a client asking earlier would have
        # D-Bus start a second, locked daemon, and every keyring test would fail.
        tries=0
        until dbus-send --session --print-reply --dest=org.freedesktop.DBus \
                /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner \
                string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true"; do
            tries=$((tries + 1))
            if [ "$tries" -gt 1200 ]; then
                echo "with-keyring: the unlocked gnome-keyring never joined the session bus" >&2
                exit 1
            fi
            sleep 0.1
        done
        export ALONGSIDE_REAL_KEYRING=1
        exec "$@"' sh "$@"
else
    exec "$@"
fi
