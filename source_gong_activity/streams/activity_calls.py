"""The `activity_calls` stream: per user per day, the ids of the calls behind each of the 15 activity counters."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..records.activity_calls import records_of_call_ids
from .engine import Page, StatsStream


class ActivityCallsStream(StatsStream):
    """`/v2/stats/activity/day-by-day`, always daily; its ids equal the daily `activity` records' ids."""

    name = "activity_calls"
    scope = "api:stats:user-actions:detailed"
    period = "day"
    # A page of 100 users' call ids is about 65 KB a day (6 MB for 92 days, and several times that once decoded): two
    # weeks per window keep the two pages in memory (the one mapped, the one fetched) under 1 MB each, and the peak
    # RSS of a year's back-fill for 2,000 users at 110 MB instead of 150 (bench/run.py), for 27 calls per 100 users
    # a year instead of 4.
    periods_per_window = 14

    def path(self, **kwargs: Any) -> str:
        return "v2/stats/activity/day-by-day"

    def map_page(self, page: Page) -> Iterator[dict[str, Any]]:
        return records_of_call_ids(page.body, page.users, page.time_zone)
