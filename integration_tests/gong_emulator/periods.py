"""Gong's calendar arithmetic: aggregation periods, the company's day and its ISO-8601 timestamps."""

from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo

AGGREGATION_PERIODS = ("DAY", "WEEK", "MONTH", "QUARTER", "YEAR")

# Gong documents the filter dates as exactly YYYY-MM-DD; date.fromisoformat alone would also take 20240101.
_DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_day(text: object) -> dt.date | None:
    """The date in a strict YYYY-MM-DD string, or None when it is anything else."""
    if not isinstance(text, str) or not _DATE_PATTERN.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def period_start(day: dt.date, period: str) -> dt.date:
    """The first day of the calendar period that holds `day` (weeks start on Monday)."""
    if period == "DAY":
        return day
    if period == "WEEK":
        return day - dt.timedelta(days=day.weekday())
    if period == "MONTH":
        return day.replace(day=1)
    if period == "QUARTER":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if period == "YEAR":
        return dt.date(day.year, 1, 1)
    raise ValueError(f"unknown aggregation period {period!r}")


def next_period_start(start: dt.date, period: str) -> dt.date:
    """The first day of the period after the one that starts on `start`."""
    if period == "DAY":
        return start + dt.timedelta(days=1)
    if period == "WEEK":
        return start + dt.timedelta(days=7)
    months = {"MONTH": 1, "QUARTER": 3, "YEAR": 12}[period]
    month_index = start.year * 12 + start.month - 1 + months
    return dt.date(month_index // 12, month_index % 12 + 1, 1)


def period_windows(from_date: dt.date, to_date: dt.date, period: str) -> list[tuple[dt.date, dt.date]]:
    """Calendar periods covering [from_date, to_date), the first and last clipped to the window."""
    windows = []
    start = period_start(from_date, period)
    while start < to_date:
        end = next_period_start(start, period)
        windows.append((max(start, from_date), min(end, to_date)))
        start = end
    return windows


def company_today(timezone: str) -> dt.date:
    """The current calendar day in the company's time zone, which bounds Gong's toDate."""
    return dt.datetime.now(zoneinfo.ZoneInfo(timezone)).date()


@functools.lru_cache(maxsize=200_000)
def midnight_iso(day: dt.date, timezone: str) -> str:
    """Midnight of `day` in the company's zone as Gong writes it, e.g. 2024-03-04T00:00:00-08:00.

    The offset is the one in force at that instant, so it changes across daylight saving time.
    """
    return dt.datetime(day.year, day.month, day.day, tzinfo=zoneinfo.ZoneInfo(timezone)).isoformat()


# Gong writes a UTC time with a varying number of fraction digits (its own example: 2020-11-20T21:30:07.233692Z).
_FRACTION_DIGITS = (6, 3, 1)


def utc_iso(moment: dt.datetime, digits: int = 6) -> str:
    """`moment` in UTC with `Z` and at least `digits` fraction digits, e.g. 2024-03-04T08:00:00.000Z.

    Digits are never cut where they are not zero, so the string is always the same instant as `moment`.
    """
    utc = moment.astimezone(dt.UTC)
    fraction = f"{utc.microsecond:06d}"
    fraction = fraction[: max(digits, len(fraction.rstrip("0")))]
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{fraction}Z"


@functools.lru_cache(maxsize=200_000)
def midnight_utc(day: dt.date, timezone: str) -> str:
    """The instant of `midnight_iso(day, timezone)` written in UTC, e.g. 2024-03-04T08:00:00.000000Z.

    The fraction has 6, 3 or 1 digits depending on the day, so one answer holds several of Gong's forms.
    """
    moment = dt.datetime(day.year, day.month, day.day, tzinfo=zoneinfo.ZoneInfo(timezone))
    return utc_iso(moment, _FRACTION_DIGITS[day.toordinal() % len(_FRACTION_DIGITS)])
