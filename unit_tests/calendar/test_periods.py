"""`calendar.periods`: Gong's period boundaries, windows of whole periods and where a sync resumes."""

from __future__ import annotations

import datetime as dt

import pytest

from source_gong_activity.calendar.periods import (
    first_day_to_read,
    next_period_start,
    period_start,
    resume_point,
    windows,
)

D = dt.date.fromisoformat


@pytest.mark.parametrize(
    "day, period, start, following",
    [
        ("2024-01-10", "day", "2024-01-10", "2024-01-11"),
        ("2024-01-10", "week", "2024-01-08", "2024-01-15"),  # Wednesday -> Monday
        ("2024-01-08", "week", "2024-01-08", "2024-01-15"),
        ("2024-01-07", "week", "2024-01-01", "2024-01-08"),  # a Sunday belongs to the week that began on Monday
        ("2024-02-29", "month", "2024-02-01", "2024-03-01"),
        ("2024-12-31", "month", "2024-12-01", "2025-01-01"),
        ("2024-05-15", "quarter", "2024-04-01", "2024-07-01"),
        ("2024-11-30", "quarter", "2024-10-01", "2025-01-01"),
        ("2024-06-30", "year", "2024-01-01", "2025-01-01"),
    ],
)
def test_period_boundaries(day: str, period: str, start: str, following: str) -> None:
    assert period_start(D(day), period) == D(start)
    assert next_period_start(D(day), period) == D(following)


@pytest.mark.parametrize(
    "start, end, period, per_window, expected",
    [
        ("2024-01-01", "2024-01-05", "day", 2, [("2024-01-01", "2024-01-03"), ("2024-01-03", "2024-01-05")]),
        # A Wednesday start: the first window ends on a Monday, every later one spans whole weeks.
        ("2024-01-03", "2024-01-24", "week", 2, [("2024-01-03", "2024-01-15"), ("2024-01-15", "2024-01-24")]),
        (
            "2024-01-15",
            "2024-07-02",
            "month",
            3,
            [("2024-01-15", "2024-04-01"), ("2024-04-01", "2024-07-01"), ("2024-07-01", "2024-07-02")],
        ),
        (
            "2023-11-01",
            "2024-05-01",
            "quarter",
            1,
            [("2023-11-01", "2024-01-01"), ("2024-01-01", "2024-04-01"), ("2024-04-01", "2024-05-01")],
        ),
        (
            "2023-06-01",
            "2025-02-01",
            "year",
            1,
            [("2023-06-01", "2024-01-01"), ("2024-01-01", "2025-01-01"), ("2025-01-01", "2025-02-01")],
        ),
        ("2024-01-01", "2024-03-01", "total", 1, [("2024-01-01", "2024-03-01")]),
        ("2024-03-01", "2024-03-01", "day", 5, []),
    ],
)
def test_windows_hold_whole_periods(start: str, end: str, period: str, per_window: int, expected: list) -> None:
    assert windows(D(start), D(end), period, per_window) == [(D(a), D(b)) for a, b in expected]


@pytest.mark.parametrize(
    "end, today, period, lookback, expected",
    [
        ("2024-01-10", "2024-01-10", "day", 0, "2024-01-10"),  # today is never read, yesterday is complete
        ("2024-01-10", "2024-01-10", "day", 2, "2024-01-08"),
        ("2024-01-10", "2024-01-10", "week", 0, "2024-01-08"),  # Wednesday: the current week is incomplete
        ("2024-01-15", "2024-01-15", "week", 0, "2024-01-15"),  # Monday: last week is complete
        ("2024-01-15", "2024-01-15", "week", 1, "2024-01-08"),
        ("2024-01-10", "2024-01-10", "month", 0, "2024-01-01"),
        ("2024-01-10", "2024-03-01", "week", 2, "2024-01-10"),  # a fixed end in the past changes no more
        ("2024-01-10", "2024-01-10", "total", 5, "2024-01-10"),
    ],
)
def test_resume_point(end: str, today: str, period: str, lookback: int, expected: str) -> None:
    assert resume_point(D("2023-01-01"), D(end), D(today), period, lookback) == D(expected)


def test_resume_point_never_precedes_start_date() -> None:
    assert resume_point(D("2024-01-09"), D("2024-01-10"), D("2024-01-10"), "month", 30) == D("2024-01-09")


@pytest.mark.parametrize(
    "saved, resume, period, expected",
    [
        (None, "2024-06-01", "day", "2024-01-01"),
        ("2024-03-13", "2024-06-01", "week", "2024-03-11"),
        ("2099-01-01", "2024-06-01", "day", "2024-06-01"),  # state from the future is pulled back
        ("2023-01-01", "2024-06-01", "day", "2024-01-01"),  # never before start_date
        ("2024-03-13", "2024-06-01", "total", "2024-03-13"),
    ],
)
def test_first_day_to_read(saved, resume, period, expected) -> None:
    assert first_day_to_read(D("2024-01-01"), D(saved) if saved else None, D(resume), period) == D(expected)


@pytest.mark.parametrize(
    "start, end, period, expected",
    [
        ("2024-03-06", "2024-03-20", "week", "2024-03-06/2024-03-11 2024-03-11/2024-03-18 2024-03-18/2024-03-20"),
        ("2024-01-15", "2024-03-01", "month", "2024-01-15/2024-02-01 2024-02-01/2024-03-01"),
        ("2024-03-30", "2024-04-02", "day", "2024-03-30/2024-03-31 2024-03-31/2024-04-01 2024-04-01/2024-04-02"),
        ("2024-02-10", "2024-08-01", "quarter", "2024-02-10/2024-04-01 2024-04-01/2024-07-01 2024-07-01/2024-08-01"),
        ("2024-02-10", "2024-08-01", "total", "2024-02-10/2024-08-01"),
    ],
)
def test_periods_of_a_window_are_calendar_periods_clipped_to_it(start, end, period, expected) -> None:
    periods = [tuple(D(day) for day in pair.split("/")) for pair in expected.split()]
    # What the zero records are made for: windows of one period each.
    assert windows(D(start), D(end), period, 1) == periods
