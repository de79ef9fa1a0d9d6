#!/bin/sh
# Debian packages the test suite uses: a real Secret Service (gnome-keyring
# under dbus), poppler-utils to render PDFs, the PostgreSQL server binaries,
# and the libraries Qt needs even offscreen. Installed only when missing and
# only as root; otherwise the tests that need them say why they are skipped.
exec sh "$(dirname "$0")/apt-ensure.sh" warn "test packages" \
    gnome-keyring dbus dbus-x11 poppler-utils postgresql libegl1 libgl1 libfontconfig1 \
    libxkbcommon0 libdbus-1-3 libglib2.0-0
