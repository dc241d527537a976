"""`records.activity` on every shape Gong's published contract allows: instants in UTC, counters and lists left out."""

from __future__ import annotations

from typing import Any

import pytest

from source_gong_activity.records.activity import records_by_period, records_of_total
from source_gong_activity.records.activity_calls import records_of_call_ids


def _by_period_page(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"usersAggregateActivity": [{"userId": "42", "userAggregateActivity": items}]}


@pytest.mark.parametrize(
    "zone, start, end, start_date, end_date",
    [
        ("Asia/Tokyo", "2026-11-29T15:00:00.000Z", "2026-11-30T15:00:00.000Z", "2026-11-30", "2026-12-01"),
        ("US/Pacific", "2024-03-10T08:00:00Z", "2024-03-11T07:00:00Z", "2024-03-10", "2024-03-11"),
    ],
)
def test_given_utc_instants_when_mapped_then_dates_and_id_are_the_company_s_days(
    zone: str, start: str, end: str, start_date: str, end_date: str
) -> None:
    item = {"callsAsHost": 1, "fromDate": start, "toDate": end}
    [record] = records_by_period(_by_period_page([item]), "day", {}, zone)
    assert (record["id"], record["start_date"], record["end_date"]) == (f"42:day:{start_date}", start_date, end_date)
    assert (record["start_time"], record["company_time_zone"]) == (start, zone)

    calls_page = {"usersDetailedActivities": [{"userId": "42", "userDailyActivityStats": [item | {"callsAsHost": []}]}]}
    [calls] = records_of_call_ids(calls_page, {}, zone)
    assert (calls["id"], calls["start_date"], calls["end_date"]) == (f"42:day:{start_date}", start_date, end_date)


def test_given_counters_left_out_or_null_when_mapped_then_they_are_null_and_the_rest_are_kept() -> None:
    item = {"callsAsHost": 2, "callsAttended": None, "fromDate": "2024-03-04T00:00:00-08:00"}
    [record] = records_by_period(_by_period_page([{**item, "toDate": "2024-03-05T00:00:00-08:00"}]), "day", {}, None)
    assert record["metrics"]["calls_hosted"] == 2
    assert [name for name, value in record["metrics"].items() if value is None] == [
        name for name in record["metrics"] if name != "calls_hosted"
    ]


def test_given_an_entry_without_counters_or_emails_when_mapped_then_the_record_is_all_nulls() -> None:
    body = {"usersAggregateActivityStats": [{"userId": "7"}]}
    [record] = records_of_total(body, "2024-03-04", "2024-03-11", {}, "US/Pacific")
    assert set(record["metrics"].values()) == {None}
    assert record["user"] == {"id": "7", "name": None, "emails": []}
    # The window's bounds were not given either: the company's midnights of the requested days stand in.
    assert (record["start_time"], record["end_time"]) == ("2024-03-04T00:00:00-08:00", "2024-03-11T00:00:00-07:00")
    assert (record["start_date"], record["end_date"]) == ("2024-03-04", "2024-03-11")


@pytest.mark.parametrize(
    "body",
    [{}, {"usersAggregateActivity": None}, {"usersAggregateActivity": [{"userId": "42"}]}],
)
def test_given_lists_left_out_when_mapped_then_there_are_no_records_and_no_failure(body: dict) -> None:
    assert list(records_by_period(body, "week", {}, "US/Pacific")) == []
