"""Calendar arithmetic: Gong's period boundaries, windows of whole periods, and where a sync resumes."""

from __future__ import annotations

import dataclasses
import datetime as dt

# Gong's aggregationPeriod values for every granularity served by /aggregate-by-period.
GONG_PERIOD = {"day": "DAY", "week": "WEEK", "month": "MONTH", "quarter": "QUARTER", "year": "YEAR"}

Window = tuple[dt.date, dt.date]


def period_start(day: dt.date, period: str) -> dt.date:
    """The first day of the period containing `day` (weeks start on Monday, the rest are calendar aligned)."""
    if period == "day":
        return day
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    if period == "quarter":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if period == "year":
        return dt.date(day.year, 1, 1)
    raise ValueError(f"no calendar periods for {period!r}")


def next_period_start(day: dt.date, period: str) -> dt.date:
    """The first day of the period after the one containing `day`."""
    start = period_start(day, period)
    if period == "day":
        return start + dt.timedelta(days=1)
    if period == "week":
        return start + dt.timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    month_index = start.year * 12 + start.month - 1 + months
    return dt.date(month_index // 12, month_index % 12 + 1, 1)


def windows(start: dt.date, end: dt.date, period: str, periods_per_window: int) -> list[Window]:
    """Splits [start, end) into windows of whole periods, so that no period is ever split across two windows.

    The first window may begin inside a period (Gong clips the first period to the filter); every later window
    begins on a period boundary.
    """
    if period == "total":
        return [(start, end)] if start < end else []
    result: list[Window] = []
    window_start = start
    while window_start < end:
        window_end = window_start
        for _ in range(periods_per_window):
            window_end = next_period_start(window_end, period)
            if window_end >= end:
                break
        window_end = min(window_end, end)
        result.append((window_start, window_end))
        window_start = window_end
    return result


def resume_point(start: dt.date, end: dt.date, today: dt.date, period: str, lookback_days: int) -> dt.date:
    """Where the next sync must start so that every period that may still change is read again.

    That is the start of the current period when the window ends today (it is incomplete), and no later than
    the period holding the day `lookback_days` before today (activity Gong records late). A window that ends
    before today changes no more. For `total`, the next sync covers the days since this one.
    """
    if period == "total":
        return end
    point = end
    last_day = end - dt.timedelta(days=1)
    if end >= today and next_period_start(last_day, period) != end:
        point = period_start(last_day, period)
    if lookback_days:
        point = min(point, period_start(today - dt.timedelta(days=lookback_days), period))
    return max(start, point)


def first_day_to_read(start: dt.date, saved: dt.date | None, resume: dt.date, period: str) -> dt.date:
    """The first day this sync reads: the saved state aligned down to a period start, never before `start`.

    A saved day later than `resume` (a state from the future, or from a finer granularity) is pulled back to it,
    so an odd state can only cause periods to be read again, never skipped.
    """
    if saved is None:
        return start
    day = min(saved, resume)
    if period != "total":
        day = period_start(day, period)
    return max(start, day)


@dataclasses.dataclass(frozen=True)
class SyncSpan:
    """The days a stream syncs: periods of `period` from `start` to `end` (exclusive; None: up to today), every
    sync reading again the periods that may still change (the current one, and the last `lookback_days`)."""

    start: dt.date
    end: dt.date | None
    period: str
    lookback_days: int

    def end_bound(self, today: dt.date) -> dt.date:
        return min(self.end, today) if self.end else today

    def resume_point(self, today: dt.date) -> dt.date:
        return resume_point(self.start, self.end_bound(today), today, self.period, self.lookback_days)

    def first_day(self, saved: dt.date | None, today: dt.date) -> dt.date:
        return first_day_to_read(self.start, saved, self.resume_point(today), self.period)

    def windows(self, first: dt.date, today: dt.date, periods_per_window: int) -> list[Window]:
        return windows(first, self.end_bound(today), self.period, periods_per_window)
