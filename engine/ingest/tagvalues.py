"""Turning raw tag values into catalogue values, shared by the audio and video readers."""

from __future__ import annotations

import email.utils
import re
from datetime import date, datetime

from engine.ingest.metadata import Metadata

_DATE = re.compile(
    r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?)?)?"
)


def parse_tag_date(value: str | None) -> tuple[str | None, int | None]:
    """(ISO date or datetime, year) from a tag date; ("2021-03-04", 2021), (None, 2021), ...

    A bare year or year-month gives only the year: air_date promises a full date.
    """
    if not value:
        return None, None
    match = _DATE.match(value)
    if match is None:
        try:  # RSS-style dates copied into tags by podcast tools
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None, None
        return parsed.date().isoformat(), parsed.year
    year = int(match.group(1))
    if not 1000 <= year <= 9999:
        return None, None
    if match.group(3) is None:
        return None, year
    try:
        day = date(year, int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None, year
    if match.group(4) is None:
        return day.isoformat(), year
    try:
        moment = datetime(
            year,
            day.month,
            day.day,
            int(match.group(4)),
            int(match.group(5)),
            int(match.group(6) or 0),
        )
    except ValueError:
        return day.isoformat(), year
    return moment.isoformat(), year


def put_tag_date(md: Metadata, value: str | None, source: str) -> None:
    """Offer a tag date to `md` as air_date and year."""
    iso, year = parse_tag_date(value)
    md.put("air_date", iso, source)
    md.put("year", year, source)
