"""The company's days: a day written as `YYYY-MM-DD`, and Gong's instants read as days and midnights in its zone.

One time-zone library for all calendar code: the standard library's `zoneinfo`. It reads the same IANA database as
pendulum (whose 3.x zones are `zoneinfo` zones underneath), needs no third-party types on the record path, and caches
each zone, which matters here: `company_date` runs once per record.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo
from typing import Any

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ZoneUnknown(ValueError):
    """A day or an instant that only the company's time zone can tell, while the zone is not known: the record that
    needs it is not written (a record on the wrong day would be counted twice once a later sync knows the zone)."""


def is_written_as_day(text: Any) -> bool:
    """Whether `text` has the form `YYYY-MM-DD` (a real calendar day or not)."""
    return isinstance(text, str) and _DAY.match(text) is not None


def parse_day(text: Any) -> dt.date | None:
    """The day `text` names as `YYYY-MM-DD`, or None when it is not one (a wrong form or no such day)."""
    if not is_written_as_day(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def is_known_time_zone(name: Any) -> bool:
    if not isinstance(name, str) or not name:
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (ValueError, OSError, zoneinfo.ZoneInfoNotFoundError):  # a malformed name, or no such zone
        return False
    return True


def day_in(now: dt.datetime, time_zone: str) -> dt.date:
    """The calendar day of the instant `now` in `time_zone`."""
    return now.astimezone(zoneinfo.ZoneInfo(time_zone)).date()


@functools.lru_cache(maxsize=4096)
def company_date(instant: str, time_zone: str | None) -> str:
    """The company's calendar day (`YYYY-MM-DD`) of one of Gong's date-times.

    Gong writes a date-time with the company's offset (`2026-11-30T00:00:00+09:00`) or in UTC with `Z`
    (`2026-11-29T15:00:00.000Z`): the same instant, whose day is found in the company's zone, not by cutting the
    string. Without the zone, a date-time with an offset is the company's day as written, and one in UTC cannot be
    told (`ZoneUnknown`); a date-time that does not parse counts as written. Cached: this runs once per record, over
    a few hundred distinct period starts.
    """
    if time_zone is None:
        if instant[-1:] in ("Z", "z"):
            raise ZoneUnknown(f"the time {instant!r} in UTC")
        return instant[:10]
    try:
        moment = dt.datetime.fromisoformat(instant)
    except ValueError:
        return instant[:10]
    if moment.tzinfo is None:
        return instant[:10]
    return moment.astimezone(zoneinfo.ZoneInfo(time_zone)).date().isoformat()


def company_midnight(day: dt.date, time_zone: str | None) -> str:
    """The start of `day` in the company's zone as Gong writes it (`2024-03-04T00:00:00-08:00`), for a period whose
    answer did not give its bounds; without the zone it cannot be told (`ZoneUnknown`)."""
    if time_zone is None:
        raise ZoneUnknown(f"no time for the start of {day}")
    return dt.datetime.combine(day, dt.time(), zoneinfo.ZoneInfo(time_zone)).isoformat()
