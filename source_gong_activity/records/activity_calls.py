"""The `activity_calls` record: per user per day, the ids of the calls behind each of the 15 activity counters."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from itertools import chain
from typing import Any

from ..calendar.days import company_date
from .ids import record_id
from .metrics import complaint, unified_metrics
from .users import users_of_page
from .values import MalformedResponse, is_gong_id, listed, required_text

_ONLY_LIST = frozenset({list})
_ONLY_STR = frozenset({str})


def records_of_call_ids(
    response: Mapping[str, Any], directory: Mapping[str, Mapping[str, Any]], time_zone: str | None
) -> Iterator[dict[str, Any]]:
    """Records of one /v2/stats/activity/day-by-day page: one per user per day, made one at a time."""
    for entry, where, user_id, email, user in users_of_page(response, "usersDetailedActivities", directory):
        for day_index, item in enumerate(listed(entry, "userDailyActivityStats", where)):
            try:
                start_time, end_time = required_text(item, "fromDate"), required_text(item, "toDate")
                start_date = company_date(start_time, time_zone)  # the company's calendar day, as in `activity`
                yield {
                    "id": record_id(user_id, "day", start_date),  # the same id as that user-day's daily activity
                    "user": user,
                    "start_time": start_time,
                    "end_time": end_time,
                    "start_date": start_date,
                    "end_date": company_date(end_time, time_zone),
                    "company_time_zone": time_zone,
                    "aggregation_period": "day",
                    "call_ids": to_call_id_lists(item),
                    "created_at": None,
                    "updated_at": None,
                    "remote_data": {"userId": user_id, "userEmailAddress": email, **item},
                }
            except MalformedResponse as error:
                raise MalformedResponse(f"{where}.userDailyActivityStats[{day_index}] {error}") from None


def to_call_id_lists(item: Any) -> dict[str, list[str] | None]:
    """The 15 lists of call ids under the unified metric names, every id a decimal string; checked in bulk (this runs
    once per record), and taken apart only when Gong sent something other than 15 lists of strings.

    Gong's contract leaves the ids untyped, with JSON numbers of up to 20 digits as examples: each id is its exact
    decimal string here, where `remote_data` has Gong's item as sent (a number that fits 64 bits stays a number
    there; the decoder gives a wider one as its digits, `gong.body.decode_json`). A list Gong left out (or sent as
    null) is null in the record, as a missing counter is in `activity`.
    """
    try:
        lists = unified_metrics(item)
    except AttributeError:
        raise MalformedResponse(complaint(item, _is_call_id_list, "call id lists", "list of call ids")) from None
    if _ONLY_LIST.issuperset(map(type, lists.values())) and _ONLY_STR.issuperset(
        map(type, chain.from_iterable(lists.values()))
    ):
        return lists
    if not all(_is_call_id_list(value) for value in lists.values()):
        raise MalformedResponse(complaint(item, _is_call_id_list, "call id lists", "list of call ids"))
    return {name: None if ids is None else [str(call_id) for call_id in ids] for name, ids in lists.items()}


def _is_call_id_list(value: Any) -> bool:
    """Missing, or a list of ids each as Gong may send one (`is_gong_id`)."""
    return value is None or (isinstance(value, list) and all(map(is_gong_id, value)))
