#!/bin/sh
# The Qt xcb plugin needs these X libraries, which PySide6 does not bring.
# Install them when we are root; otherwise stop with the one command that does.
exec sh "$(dirname "$0")/apt-ensure.sh" stop "the libraries its window needs" \
    libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 \
    libxkbcommon-x11-0 libxcb-shape0 libegl1 libgl1 libfontconfig1 libdbus-1-3
