#!/usr/bin/env bash
# Builds dist/Reelcast.app on macOS (and dist/reelcast/, the same one-folder bundle as elsewhere).
# Needs: macOS with Xcode's command line tools (sips, iconutil), and a Python 3.11 environment
# with Reelcast and the build tools installed:
#   pip install -c packaging/constraints.txt . && pip install -r packaging/requirements-build.txt
# Usage, from anywhere: packaging/macos/build_app.sh   (PYTHON=... to pick the interpreter)
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-python3}

# .icns from the committed PNGs: iconutil wants an .iconset folder with fixed names; sips scales
# the 256 px PNG down (no larger PNG exists, so the set stops at 256 px, which iconutil accepts).
iconset=build/macos/reelcast.iconset
rm -rf "$iconset"
mkdir -p "$iconset"
src=resources/icons/reelcast-256.png
for spec in 16:icon_16x16 32:icon_16x16@2x 32:icon_32x32 64:icon_32x32@2x \
            128:icon_128x128 256:icon_128x128@2x 256:icon_256x256; do
  size=${spec%%:*}
  name=${spec#*:}
  sips -z "$size" "$size" "$src" --out "$iconset/$name.png" >/dev/null
done
iconutil -c icns "$iconset" -o build/macos/reelcast.icns

"$PYTHON" -m PyInstaller --noconfirm --clean packaging/macos/reelcast-macos.spec
echo "built dist/Reelcast.app"
