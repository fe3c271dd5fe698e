"""The one version, read from the installed distribution (set in pyproject.toml)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def app_version() -> str:
    try:
        return version("reelcast")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"
