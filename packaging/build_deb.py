"""Builds dist/reelcast_<version>_amd64.deb from the PyInstaller bundle in dist/reelcast/.

Layout: the bundle in /opt/reelcast, shell launchers /usr/bin/reelcast and
/usr/bin/reelcast-desktop, the .desktop entry and hicolor icons. Depends comes from
packaging/system-packages.txt; Recommends names fonts the translations need (`RECOMMENDS`: without
a CJK font the Chinese UI is empty boxes, and the app says so); the version from pyproject.toml.
Run by `make package`:

    .venv/bin/python packaging/build_deb.py [--bundle dist/reelcast] [--out dist]

No postinst: Debian's hicolor-icon-theme and desktop-file-utils refresh their caches through
file triggers when a package installs into their folders.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINUX = ROOT / "packaging" / "linux"
EXECUTABLES = ("reelcast", "reelcast-desktop")
ICON_SIZES = (48, 128, 256)
DEFAULT_MAINTAINER = "Reelcast maintainers <maintainers@reelcast.invalid>"


def project_version() -> str:
    with open(ROOT / "pyproject.toml", "rb") as fh:
        return str(tomllib.load(fh)["project"]["version"])


def depends() -> str:
    """packaging/system-packages.txt (one name a line; comments, blanks skipped), comma-joined."""
    names = []
    for line in (ROOT / "packaging" / "system-packages.txt").read_text().splitlines():
        name = line.split("#", 1)[0].strip()
        if name:
            names.append(name)
    return ", ".join(names)


# Installed by default with the package (apt installs Recommends), not required to run it: a
# user who never picks Chinese, Japanese or Korean can remove it.
RECOMMENDS = ("fonts-noto-cjk",)


def recommends() -> str:
    return ", ".join(RECOMMENDS)


def deb_path(out_dir: Path, version: str) -> Path:
    return out_dir / f"reelcast_{version}_amd64.deb"


def _installed_size_kib(root: Path) -> int:
    """What `du -sk` says of the payload (everything but DEBIAN/), as Debian policy asks."""
    total = 0
    for entry in root.iterdir():
        if entry.name == "DEBIAN":
            continue
        out = subprocess.run(["du", "-sk", str(entry)], check=True, capture_output=True, text=True)
        total += int(out.stdout.split()[0])
    return total


def _normalise_modes(root: Path) -> None:
    """Directories 0755, files 0644, or 0755 when executable by anyone (umask-proof)."""
    for dirpath, _dirnames, filenames in os.walk(root):
        os.chmod(dirpath, 0o755)
        for name in filenames:
            path = Path(dirpath) / name
            if path.is_symlink():
                continue
            executable = path.stat().st_mode & 0o111
            os.chmod(path, 0o755 if executable else 0o644)


def stage(bundle: Path, staging: Path, version: str) -> Path:
    """Lays out the package tree in `staging` and returns it."""
    for name in EXECUTABLES:
        if not (bundle / name).is_file():
            raise SystemExit(f"build_deb: {bundle / name} is missing: run PyInstaller first")
    if staging.exists():
        shutil.rmtree(staging)
    opt = staging / "opt" / "reelcast"
    opt.parent.mkdir(parents=True)
    # symlinks=True keeps the links PyInstaller makes inside _internal/ as links.
    shutil.copytree(bundle, opt, symlinks=True)

    usr_bin = staging / "usr" / "bin"
    usr_bin.mkdir(parents=True)
    template = (LINUX / "launcher.in").read_text()
    for name in EXECUTABLES:
        launcher = usr_bin / name
        launcher.write_text(template.replace("@NAME@", name))
        launcher.chmod(0o755)

    share = staging / "usr" / "share"
    applications = share / "applications"
    applications.mkdir(parents=True)
    shutil.copy2(ROOT / "resources" / "reelcast.desktop", applications / "reelcast.desktop")

    icons = ROOT / "resources" / "icons"
    hicolor = share / "icons" / "hicolor"
    for size in ICON_SIZES:
        folder = hicolor / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True)
        shutil.copy2(icons / f"reelcast-{size}.png", folder / "reelcast.png")
    scalable = hicolor / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copy2(icons / "reelcast.svg", scalable / "reelcast.svg")

    doc = share / "doc" / "reelcast"
    doc.mkdir(parents=True)
    shutil.copy2(LINUX / "copyright", doc / "copyright")

    _normalise_modes(staging)
    debian = staging / "DEBIAN"
    debian.mkdir()
    control = (
        (LINUX / "control.in")
        .read_text()
        .replace("@VERSION@", version)
        .replace("@MAINTAINER@", os.environ.get("REELCAST_MAINTAINER", DEFAULT_MAINTAINER))
        .replace("@INSTALLED_SIZE@", str(_installed_size_kib(staging)))
        .replace("@DEPENDS@", depends())
        .replace("@RECOMMENDS@", recommends())
    )
    (debian / "control").write_text(control)
    os.chmod(debian, 0o755)
    os.chmod(debian / "control", 0o644)
    return staging


def build(bundle: Path, out_dir: Path, staging: Path) -> Path:
    version = project_version()
    stage(bundle, staging, version)
    out_dir.mkdir(parents=True, exist_ok=True)
    deb = deb_path(out_dir, version)
    # xz at the default level: -z9 saves a few per cent for minutes more on two cores.
    subprocess.run(
        ["dpkg-deb", "--build", "--root-owner-group", "-Zxz", str(staging), str(deb)],
        check=True,
    )
    shutil.rmtree(staging)  # a second copy of the whole bundle
    return deb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "reelcast")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--staging", type=Path, default=ROOT / "build" / "deb-root")
    args = parser.parse_args(argv)
    deb = build(args.bundle, args.out, args.staging)
    print(f"{deb} {deb.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
