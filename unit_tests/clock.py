"""Unit tests whose mocks name today's dates in some zone: run once more if that zone's midnight passed meanwhile."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar
from zoneinfo import ZoneInfo

T = TypeVar("T")


def on_one_day(zone: str, attempt: Callable[[dt.date], T]) -> T:
    """`attempt(today)` with today in `zone`, run once more if that zone's midnight passed while it ran.

    The attempt's mocks name that day's dates, and the connector reads the clock during the run: a run across the
    midnight asks for other dates than the mocks name, and fails or answers wrongly (integration_tests/harness.py's
    `on_one_company_day` does the same for the end-to-end tests). So the attempt asserts nothing and only returns
    what it saw, the test asserts on the run that kept to one day, and a run that raised counts only if it did.
    """
    for _ in range(2):
        today = dt.datetime.now(ZoneInfo(zone)).date()
        try:
            result = attempt(today)
        except Exception:
            if dt.datetime.now(ZoneInfo(zone)).date() == today:
                raise
            continue  # it crossed the midnight: its failure says nothing about the connector
        if dt.datetime.now(ZoneInfo(zone)).date() == today:
            return result
    raise AssertionError(f"midnight in {zone} passed during two runs in a row")
