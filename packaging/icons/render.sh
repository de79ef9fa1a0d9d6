#!/bin/sh
# Render the PNG icons from the SVG at every size the desktop uses.
# Needs rsvg-convert (Debian: librsvg2-bin). The PNGs are committed, so
# building the package never needs this; run it after changing the SVG.
set -e
cd "$(dirname "$0")"
command -v rsvg-convert >/dev/null 2>&1 || {
    echo "rsvg-convert is missing: apt-get install librsvg2-bin" >&2
    exit 1
}
for size in 16 24 32 48 64 128 256 512; do
    mkdir -p "${size}x${size}"
    rsvg-convert -w "$size" -h "$size" uk.org.alongside.Alongside.svg \
        -o "${size}x${size}/uk.org.alongside.Alongside.png"
done
