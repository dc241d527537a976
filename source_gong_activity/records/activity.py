"""The `activity` record: Gong's 15 counters of one user for one period (or window), from either aggregate endpoint."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from ..calendar.days import company_date, company_midnight
from .ids import record_id
from .metrics import to_unified_metrics
from .users import users_of_page
from .values import MalformedResponse, listed, required_text


def to_unified_record(
    identifier: str,
    user: Mapping[str, Any],
    aggregation_period: str,
    start_time: str,
    end_time: str,
    counters: Any,
    remote_data: Mapping[str, Any],
    company_time_zone: str | None,
    start_date: str,
) -> dict[str, Any]:
    """One unified record; `start_date`/`end_date` are the period's days in the company's calendar (`company_date`):
    a warehouse that stores instants in UTC would put a Tokyo Monday on Sunday, the date never."""
    return {
        "id": identifier,
        "user": user,
        "start_time": start_time,
        "end_time": end_time,
        "start_date": start_date,
        "end_date": company_date(end_time, company_time_zone),
        "company_time_zone": company_time_zone,
        "aggregation_period": aggregation_period,
        "metrics": to_unified_metrics(counters),
        "zero_filled": False,
        "created_at": None,
        "updated_at": None,
        "remote_data": remote_data,
    }


def records_by_period(
    response: Mapping[str, Any],
    aggregation_period: str,
    directory: Mapping[str, Mapping[str, Any]],
    time_zone: str | None,
) -> Iterator[dict[str, Any]]:
    """Records of one /v2/stats/activity/aggregate-by-period page: one per user per period, made one at a time
    so that a page of a hundred users' year of days is never held twice in memory."""
    for entry, where, user_id, email, user in users_of_page(response, "usersAggregateActivity", directory):
        for period_index, item in enumerate(listed(entry, "userAggregateActivity", where)):
            try:
                start_time = required_text(item, "fromDate")
                start_date = company_date(start_time, time_zone)
                yield to_unified_record(
                    record_id(user_id, aggregation_period, start_date),
                    user,
                    aggregation_period,
                    start_time,
                    required_text(item, "toDate"),
                    item,
                    {"userId": user_id, "userEmailAddress": email, **item},
                    time_zone,
                    start_date,
                )
            except MalformedResponse as error:
                # The location is built only on failure: this loop runs once per record.
                raise MalformedResponse(f"{where}.userAggregateActivity[{period_index}] {error}") from None


def records_of_total(
    response: Mapping[str, Any],
    from_date: str,
    to_date: str,
    directory: Mapping[str, Mapping[str, Any]],
    time_zone: str | None,
) -> Iterator[dict[str, Any]]:
    """Records of one /v2/stats/activity/aggregate page: one per user for the whole window [from_date, to_date)."""
    start_time, end_time = window_bounds(response, from_date, to_date, time_zone)
    start_date = company_date(start_time, time_zone)
    for entry, where, user_id, _, user in users_of_page(response, "usersAggregateActivityStats", directory):
        try:
            yield to_unified_record(
                record_id(user_id, "total", from_date, to_date),  # a total is named by the window asked for
                user,
                "total",
                start_time,
                end_time,
                entry.get("userAggregateActivityStats"),
                entry,
                time_zone,
                start_date,
            )
        except MalformedResponse as error:
            raise MalformedResponse(f"{where}.userAggregateActivityStats {error}") from None


def window_bounds(response: Mapping[str, Any], from_date: str, to_date: str, time_zone: str | None) -> tuple[str, str]:
    """The window's `fromDateTime` and `toDateTime` as Gong gave them, or, where it did not, the company's midnights
    of the requested days."""
    start_time = response.get("fromDateTime")
    end_time = response.get("toDateTime")
    if type(start_time) is not str or not start_time:
        start_time = company_midnight(dt.date.fromisoformat(from_date), time_zone)
    if type(end_time) is not str or not end_time:
        end_time = company_midnight(dt.date.fromisoformat(to_date), time_zone)
    return start_time, end_time
