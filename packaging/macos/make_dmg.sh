#!/usr/bin/env bash
# Packs dist/Reelcast.app (from build_app.sh) into dist/Reelcast-<version>-macos-<arch>.dmg, a
# compressed disk image whose window holds the app and a link to /Applications to drag it onto.
# Usage, from anywhere: packaging/macos/make_dmg.sh   (PYTHON=... to pick the interpreter)
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-python3}

version=$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
arch=$(uname -m)
test -d dist/Reelcast.app || { echo "dist/Reelcast.app missing: run build_app.sh first" >&2; exit 1; }

stage=build/macos/dmg
rm -rf "$stage"
mkdir -p "$stage"
# ditto keeps the bundle's symlinks, permissions and signatures intact.
ditto dist/Reelcast.app "$stage/Reelcast.app"
ln -s /Applications "$stage/Applications"

out="dist/Reelcast-$version-macos-$arch.dmg"
hdiutil create -volname Reelcast -srcfolder "$stage" -ov -format UDZO "$out"
echo "built $out"
