"""How lengths and dates are written, in one place for every view: a clock (1:02:03) where
columns line up, a rounded length (12 min) where it is read in passing, and dates in the
locale's medium form ("2 Dec 2026, 12:59"; "2026年12月2日 12:59").

Qt has no medium date format: its short one is all digits (the C locale's reads "2 12 2026")
and its long one spells the weekday. The medium pattern is the long one without the weekday,
the month abbreviated."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale, Qt, QTime


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


_WEEKDAY = re.compile(r"\s*[,，]?\s*d{4}\s*[,，]?\s*")


def medium_date_pattern(locale: QLocale | None = None) -> str:
    """The locale's long date pattern without the weekday, the month abbreviated."""
    long = (locale or QLocale()).dateFormat(QLocale.FormatType.LongFormat)
    pattern = _WEEKDAY.sub(" ", long).strip().replace("MMMM", "MMM")
    return pattern or "d MMM yyyy"


def date_text(value: Any) -> str:
    """A date (or an ISO date string) in the medium form: "2 Dec 2026"; "" when empty; an
    unreadable string as it is."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return str(value)
    day = QDate(value.year, value.month, value.day)
    return QLocale().toString(day, medium_date_pattern())


def time_text(moment: datetime) -> str:
    """Hours and minutes in the locale's form: "12:59", "12:59 PM"."""
    return QLocale().toString(QTime(moment.hour, moment.minute), QLocale.FormatType.ShortFormat)


def date_time_text(value: Any) -> str:
    """A moment in local time, medium form: "2 Dec 2026, 12:59". `value` is an aware or
    naive (taken as local) datetime, or the engine's ISO text (UTC when it says so)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            moment = QDateTime.fromString(value, Qt.DateFormat.ISODate)
            if not moment.isValid():
                return str(value)
            value = moment.toLocalTime().toPython()
    if not isinstance(value, datetime):
        return str(value or "")
    local = value.astimezone()
    return (
        QCoreApplication.translate("Dates", "%1, %2", "date, then time")
        .replace("%1", date_text(local))
        .replace("%2", time_text(local))
    )


def listed(names: Iterable[str]) -> str:
    """Names in a run, with the UI language's separator ("Drama, War"; "剧情、战争")."""
    separator = QCoreApplication.translate("Formatting", ", ", "between the names in a list")
    return separator.join(name for name in names if name)
