"""The pure mapping from Gong's JSON to unified records."""

from __future__ import annotations

import pytest

from source_gong_activity.mapping import (
    METRICS,
    MalformedResponse,
    records_by_period,
    records_of_total,
    to_unified_user,
)

from .builders import counters


def _page(items, user_id="42", email="a@acme.example"):
    return {"usersAggregateActivity": [{"userId": user_id, "userEmailAddress": email, "userAggregateActivity": items}]}


def test_every_gong_counter_lands_in_its_unified_metric() -> None:
    values = counters(3)
    [record] = list(
        records_by_period(
            _page([{**values, "fromDate": "2024-03-10T00:00:00-08:00", "toDate": "2024-03-11T00:00:00-07:00"}]),
            "day",
            {},
        )
    )
    assert len(METRICS) == 15
    assert {METRICS[name]: value for name, value in values.items()} == record["metrics"]
    # The id takes the period's calendar day in the company's zone, whatever the offset (here across DST).
    assert record["id"] == "42:day:2024-03-10"
    assert (record["start_time"], record["end_time"]) == ("2024-03-10T00:00:00-08:00", "2024-03-11T00:00:00-07:00")


@pytest.mark.parametrize(
    "directory_entry, expected",
    [
        (None, {"id": "42", "name": None, "emails": [{"email": "stats@acme.example", "is_primary": True}]}),
        (
            {
                "emailAddress": "ann.lee@acme.example",
                "emailAliases": ["ann@acme.example", "ann.lee@acme.example"],
                "firstName": "Ann",
                "lastName": "Lee",
            },
            {
                "id": "42",
                "name": "Ann Lee",
                "emails": [
                    {"email": "ann.lee@acme.example", "is_primary": True},
                    {"email": "ann@acme.example", "is_primary": False},
                ],
            },
        ),
        (
            {"emailAddress": None, "firstName": "Ann", "lastName": None},
            {"id": "42", "name": "Ann", "emails": [{"email": "stats@acme.example", "is_primary": True}]},
        ),
    ],
)
def test_user_from_directory_or_stats_email(directory_entry, expected) -> None:
    assert to_unified_user("42", "stats@acme.example", directory_entry) == expected


def test_total_record_id_spans_the_filter_dates_and_times_come_from_the_envelope() -> None:
    body = {
        "fromDateTime": "2024-01-01T00:00:00-08:00",
        "toDateTime": "2024-02-01T00:00:00-08:00",
        "usersAggregateActivityStats": [
            {"userId": "7", "userEmailAddress": "b@acme.example", "userAggregateActivityStats": counters(1)}
        ],
    }
    [record] = list(records_of_total(body, "2024-01-01", "2024-02-01", {}))
    assert record["id"] == "7:total:2024-01-01:2024-02-01"
    assert record["aggregation_period"] == "total" and record["start_time"] == "2024-01-01T00:00:00-08:00"


@pytest.mark.parametrize(
    "body, complaint",
    [
        ({}, "no list 'usersAggregateActivity'"),
        ({"usersAggregateActivity": [{"userAggregateActivity": []}]}, "usersAggregateActivity[0] has no 'userId'"),
        (_page([{**counters(1), "toDate": "x"}]), "has no 'fromDate'"),
        (
            _page(
                [
                    {
                        **counters(1),
                        "callsAsHost": "3",
                        "fromDate": "2024-01-01T00:00:00Z",
                        "toDate": "2024-01-02T00:00:00Z",
                    }
                ]
            ),
            "'callsAsHost'",
        ),
    ],
)
def test_missing_or_mistyped_fields_fail_clearly(body, complaint) -> None:
    with pytest.raises(MalformedResponse, match=complaint.replace("[", r"\[").replace("]", r"\]")):
        list(records_by_period(body, "day", {}))
