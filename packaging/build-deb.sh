#!/bin/sh
# Build alongside_<version>_amd64.deb from the PyInstaller bundle.
#
#   packaging/build-deb.sh BUNDLE_DIR OUT_DIR     (make deb: dist/alongside -> dist/)
#
# The bundle goes to /opt/alongside, with /usr/bin/alongside a symlink to it,
# the desktop entry, AppStream metainfo and icons in their standard places.
# Files are root's, modes 0755/0644, and every mtime is SOURCE_DATE_EPOCH
# (default: the last commit's time), so the same bundle gives the same .deb.
set -eu

[ $# -eq 2 ] || { echo "usage: $0 BUNDLE_DIR OUT_DIR" >&2; exit 2; }
BUNDLE=$1
OUT=$2
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
APP_ID=uk.org.alongside.Alongside

[ -x "$BUNDLE/alongside" ] || { echo "No bundle at $BUNDLE (run make bundle first)" >&2; exit 1; }
# The desktop entry and metainfo must validate before they ship.
desktop-file-validate "$HERE/linux/$APP_ID.desktop"
appstreamcli validate --no-net --no-color "$HERE/linux/$APP_ID.metainfo.xml" >/dev/null

# The version's one source is app/__init__.py; 1.2.0rc1 becomes 1.2.0~rc1.
VERSION=$(sed -n 's/^__version__ *= *["'\'']\([^"'\'']*\)["'\''].*/\1/p' "$ROOT/app/__init__.py")
[ -n "$VERSION" ] || { echo "No __version__ in app/__init__.py" >&2; exit 1; }
grep -q "<release version=\"$VERSION\"" "$HERE/linux/$APP_ID.metainfo.xml" || {
    echo "Add <release version=\"$VERSION\" date=...> to packaging/linux/$APP_ID.metainfo.xml" >&2
    exit 1
}
DEB_VERSION=$(echo "$VERSION" | sed 's/\([0-9]\)\(a\|b\|rc\|\.dev\)/\1~\2/')

# What the bundle does not carry (ldd on dist/alongside/_internal): the C
# library (the bundle's copies of system libraries come from the build
# machine, so it needs that machine's glibc or newer), OpenGL/EGL, DRM and
# Wayland, libxcb and the xcb helpers Qt's xcb plugin loads. fontconfig,
# D-Bus and GLib are listed too: the window needs them whether or not a
# given PyInstaller build picks up the build machine's copies.
GLIBC=$(getconf GNU_LIBC_VERSION | sed 's/^glibc //')
DEPENDS="libc6 (>= $GLIBC), libxcb1, libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, libxcb-image0, libxcb-render-util0, libxcb-shape0, libxkbcommon-x11-0, libegl1, libgl1, libdrm2, libwayland-client0, libwayland-cursor0, libwayland-egl1, libfontconfig1, libdbus-1-3, libglib2.0-0, fonts-dejavu-core"

if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
    SOURCE_DATE_EPOCH=$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || echo 0)
fi
export SOURCE_DATE_EPOCH

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
PKG=$STAGE/alongside
SHARE=$PKG/usr/share

mkdir -p "$PKG/DEBIAN" "$PKG/opt" "$PKG/usr/bin" "$SHARE/applications" "$SHARE/metainfo" \
    "$SHARE/icons/hicolor/scalable/apps" "$SHARE/doc/alongside"
cp -a "$BUNDLE" "$PKG/opt/alongside"
ln -s /opt/alongside/alongside "$PKG/usr/bin/alongside"
cp "$HERE/linux/$APP_ID.desktop" "$SHARE/applications/"
cp "$HERE/linux/$APP_ID.metainfo.xml" "$SHARE/metainfo/"
cp "$HERE/icons/$APP_ID.svg" "$SHARE/icons/hicolor/scalable/apps/"
for png in "$HERE"/icons/*x*/"$APP_ID.png"; do
    size=$(basename "$(dirname "$png")")
    mkdir -p "$SHARE/icons/hicolor/$size/apps"
    cp "$png" "$SHARE/icons/hicolor/$size/apps/"
done
cp "$HERE/linux/copyright" "$SHARE/doc/alongside/copyright"

# Refresh the desktop's caches if this system has the tools (Debian's own
# triggers usually do it too).
cat > "$PKG/DEBIAN/postinst" <<'SCRIPT'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
    if command -v gtk-update-icon-cache >/dev/null 2>&1; then
        gtk-update-icon-cache -q -t -f /usr/share/icons/hicolor || true
    fi
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q /usr/share/applications || true
    fi
fi
exit 0
SCRIPT
sed 's/"\$1" = configure/"$1" = remove ] || [ "$1" = purge/' "$PKG/DEBIAN/postinst" > "$PKG/DEBIAN/postrm"

# Modes: directories and executables 0755, everything else (shared
# libraries included) 0644.
find "$PKG" -type d -exec chmod 0755 {} +
find "$PKG" -type f -exec chmod 0644 {} +
chmod 0755 "$PKG/opt/alongside/alongside" "$PKG/DEBIAN/postinst" "$PKG/DEBIAN/postrm"
find "$BUNDLE" -type f -perm -u+x ! -name '*.so' ! -name '*.so.*' | while read -r f; do
    chmod 0755 "$PKG/opt/alongside/${f#"$BUNDLE"/}"
done

INSTALLED_SIZE=$(du -sk --apparent-size --exclude=DEBIAN "$PKG" | cut -f1)
cat > "$PKG/DEBIAN/control" <<CONTROL
Package: alongside
Version: $DEB_VERSION
Architecture: amd64
Maintainer: Alongside engineers <engineers@alongside.example>
Section: misc
Priority: optional
Installed-Size: $INSTALLED_SIZE
Depends: $DEPENDS
Description: casework and delegated access for people who help others
 Alongside is a desktop casework application for the people who help others
 through public services: library staff at public terminals, Citizens Advice
 advisers, GP receptionists, and carers acting with someone's permission.
 .
 It keeps people, cases, notes, tasks and documents in an encrypted database
 on the computer or a shared office server, works with no network, and prints
 the paper forms of public services in English and Welsh. This package is a
 self-contained build (Python and Qt included) installed in /opt/alongside.
CONTROL
chmod 0644 "$PKG/DEBIAN/control"

find "$PKG" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
mkdir -p "$OUT"
DEB="$OUT/alongside_${DEB_VERSION}_amd64.deb"
dpkg-deb --root-owner-group -Zxz --build "$PKG" "$DEB" >/dev/null
echo "$DEB"
