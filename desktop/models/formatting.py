"""How lengths are written, in one place for every view: a clock (1:02:03) where columns line
up, a rounded length (12 min) where it is read in passing."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication


def clock(ms: int) -> str:
    """0:05, 12:34 or 1:02:03."""
    whole = max(0, ms) // 1000
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _seconds(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None  # also drops NaN


def clock_text(seconds: Any) -> str:
    """A clock for a length in seconds; empty when unknown. A short clip still shows 0:01."""
    value = _seconds(seconds)
    return "" if value is None else clock(max(1, round(value)) * 1000)


def length_text(seconds: Any) -> str:
    """12 s, 5 min or 1 h 3 min; empty when unknown."""
    value = _seconds(seconds)
    if value is None:
        return ""
    whole = round(value)
    if whole < 60:
        return QCoreApplication.translate("Length", "%1 s").replace("%1", str(max(whole, 1)))
    minutes = round(value / 60)
    if minutes < 60:
        return QCoreApplication.translate("Length", "%1 min").replace("%1", str(minutes))
    return (
        QCoreApplication.translate("Length", "%1 h %2 min")
        .replace("%1", str(minutes // 60))
        .replace("%2", str(minutes % 60))
    )
