"""The `activity_calls` stream: per user per day, the ids of the calls behind each of the 15 activity counters."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from itertools import chain
from typing import Any

from .engine import StatsStream
from .mapping import (
    MalformedResponse,
    complaint,
    page_time_zone,
    required_list,
    required_text,
    unified_metrics,
    users_of_page,
)

_ONLY_LIST = frozenset({list})
_ONLY_STR = frozenset({str})


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

    def map_page(
        self, body: Mapping[str, Any], from_date: str, to_date: str, users: Mapping[str, Mapping[str, Any]]
    ) -> Iterator[dict[str, Any]]:
        return records_of_call_ids(body, users)


def records_of_call_ids(
    response: Mapping[str, Any], directory: Mapping[str, Mapping[str, Any]]
) -> Iterator[dict[str, Any]]:
    """Records of one /v2/stats/activity/day-by-day page: one per user per day, made one at a time."""
    time_zone = page_time_zone(response)
    for entry, where, user_id, email, user in users_of_page(response, "usersDetailedActivities", directory):
        for day_index, item in enumerate(required_list(entry, "userDailyActivityStats", where)):
            try:
                start_time, end_time = required_text(item, "fromDate"), required_text(item, "toDate")
                yield {
                    "id": f"{user_id}:day:{start_time[:10]}",  # the same id as that user-day's daily activity
                    "user": user,
                    "start_time": start_time,
                    "end_time": end_time,
                    "start_date": start_time[:10],  # the company's calendar day, as in `activity`
                    "end_date": end_time[:10],
                    "company_time_zone": time_zone,
                    "aggregation_period": "day",
                    "call_ids": to_call_id_lists(item),
                    "created_at": None,
                    "updated_at": None,
                    "remote_data": {"userId": user_id, "userEmailAddress": email, **item},
                }
            except MalformedResponse as error:
                raise MalformedResponse(f"{where}.userDailyActivityStats[{day_index}] {error}") from None


def to_call_id_lists(item: Any) -> dict[str, list[str]]:
    """The 15 lists of call ids under the unified metric names; checked in bulk, explained only on failure."""
    try:
        lists = unified_metrics(item)
    except (KeyError, TypeError):
        lists = None
    if (
        lists is None
        or not _ONLY_LIST.issuperset(map(type, lists.values()))
        or not _ONLY_STR.issuperset(map(type, chain.from_iterable(lists.values())))
    ):
        raise MalformedResponse(complaint(item, _is_call_id_list, "call id lists", "list of call ids"))
    return lists


def _is_call_id_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(call_id, str) for call_id in value)
