#!/bin/sh
# Install (or with --uninstall remove) SprintDesk's launcher, icons and AppStream metadata for
# the current user, in the XDG data directory ($XDG_DATA_HOME, default ~/.local/share).
# Usage: packaging/install-desktop.sh [--uninstall] [PATH-TO-SPRINTDESK-LAUNCHER]
set -eu
APP_ID=io.github.sprintdesk.SprintDesk
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
SIZES="16 24 32 48 64 128 256 512"

if [ "${1:-}" = "--uninstall" ]; then
    rm -f "$DATA/applications/$APP_ID.desktop" "$DATA/metainfo/$APP_ID.metainfo.xml" \
          "$DATA/icons/hicolor/scalable/apps/$APP_ID.svg"
    for size in $SIZES; do
        rm -f "$DATA/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
    done
    echo "Removed the SprintDesk launcher from $DATA."
    exit 0
fi

EXEC=${1:-$(command -v sprintdesk || true)}
if [ -z "$EXEC" ] || [ ! -x "$EXEC" ]; then
    echo "install-desktop: cannot find the sprintdesk launcher; pass its path." >&2
    exit 2
fi
case "$EXEC" in
    *" "*) EXEC="\"$EXEC\"" ;;  # the Exec key needs quotes around a path with spaces
esac

mkdir -p "$DATA/applications" "$DATA/metainfo" "$DATA/icons/hicolor/scalable/apps"
sed "s|^Exec=.*|Exec=$EXEC|" "$HERE/$APP_ID.desktop" > "$DATA/applications/$APP_ID.desktop"
cp "$HERE/$APP_ID.metainfo.xml" "$DATA/metainfo/$APP_ID.metainfo.xml"
cp "$ROOT/resources/icons/sprintdesk.svg" "$DATA/icons/hicolor/scalable/apps/$APP_ID.svg"
for size in $SIZES; do
    mkdir -p "$DATA/icons/hicolor/${size}x${size}/apps"
    cp "$ROOT/resources/icons/sprintdesk-$size.png" \
       "$DATA/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
done
if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$DATA/applications" || true
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q -t "$DATA/icons/hicolor" || true
fi
echo "Installed the SprintDesk launcher in $DATA/applications (runs $EXEC)."
