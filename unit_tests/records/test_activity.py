"""`records.activity`: the unified `activity` record of one user's period or window, on the company's calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from source_gong_activity.records.activity import records_by_period, records_of_total
from source_gong_activity.records.values import MalformedResponse
from unit_tests.builders import counters


def _page(items, user_id="42", email="a@acme.example"):
    return {"usersAggregateActivity": [{"userId": user_id, "userEmailAddress": email, "userAggregateActivity": items}]}


def _day_page(start_time: str, end_time: str) -> dict:
    return _page([{**counters(1), "fromDate": start_time, "toDate": end_time}])


@pytest.mark.parametrize(
    "time_zone, start_time, end_time, start_date, end_date",
    [
        # Tokyo's Monday 2026-11-30 begins on Sunday in UTC; its calendar day must stay Monday.
        ("Asia/Tokyo", "2026-11-30T00:00:00+09:00", "2026-12-01T00:00:00+09:00", "2026-11-30", "2026-12-01"),
        # A Pacific day across the spring DST change: the offsets differ, the days do not.
        ("US/Pacific", "2024-03-10T00:00:00-08:00", "2024-03-11T00:00:00-07:00", "2024-03-10", "2024-03-11"),
        # Kiritimati (UTC+14) is a calendar day ahead of most of the world.
        ("Pacific/Kiritimati", "2026-01-01T00:00:00+14:00", "2026-01-02T00:00:00+14:00", "2026-01-01", "2026-01-02"),
        # Gong gives no zone: the days still come from the offsets, the zone is null.
        (None, "2024-07-01T00:00:00-04:00", "2024-07-02T00:00:00-04:00", "2024-07-01", "2024-07-02"),
    ],
)
def test_given_a_company_zone_when_mapped_then_the_record_carries_its_calendar_days_and_zone(
    time_zone, start_time, end_time, start_date, end_date
) -> None:
    [record] = list(records_by_period(_day_page(start_time, end_time), "day", {}, time_zone))
    assert (record["start_date"], record["end_date"], record["company_time_zone"]) == (start_date, end_date, time_zone)
    assert record["id"] == f"42:day:{start_date}"


def test_given_a_tokyo_monday_when_mapped_then_start_date_is_a_monday_though_its_utc_instant_is_a_sunday() -> None:
    page = _day_page("2026-11-30T00:00:00+09:00", "2026-12-01T00:00:00+09:00")
    [record] = list(records_by_period(page, "day", {}, "Asia/Tokyo"))
    instant = dt.datetime.fromisoformat(record["start_time"])
    assert instant.astimezone(dt.UTC).strftime("%A") == "Sunday"
    assert dt.date.fromisoformat(record["start_date"]).strftime("%A") == "Monday"
    assert instant.astimezone(dt.timezone(dt.timedelta(hours=9))).date() == dt.date.fromisoformat(record["start_date"])


def test_given_a_week_across_dst_when_mapped_then_end_date_is_the_day_after_its_last_day() -> None:
    page = _day_page("2024-03-04T00:00:00-08:00", "2024-03-11T00:00:00-07:00")
    [record] = list(records_by_period(page, "week", {}, "US/Pacific"))
    last_day = dt.date.fromisoformat(record["end_date"]) - dt.timedelta(days=1)
    assert (record["start_date"], last_day.strftime("%A")) == ("2024-03-04", "Sunday")


# Gong's counter -> the unified metric, written out from ../shared/gong-api.md rather than read from the connector's
# own table, so that two swapped names fail here.
GONG_COUNTER_TO_UNIFIED_METRIC = [
    ("callsAsHost", "calls_hosted"),
    ("callsAttended", "calls_attended"),
    ("ownCallsListenedTo", "calls_listened_own"),
    ("othersCallsListenedTo", "calls_listened_others"),
    ("callsGaveFeedback", "feedback_given"),
    ("callsReceivedFeedback", "feedback_received"),
    ("callsRequestedFeedback", "feedback_requested"),
    ("callsCommentsGiven", "comments_given"),
    ("callsCommentsReceived", "comments_received"),
    ("callsSharedInternally", "calls_shared_internally"),
    ("callsSharedExternally", "calls_shared_externally"),
    ("callsScorecardsFilled", "scorecards_filled"),
    ("callsScorecardsReceived", "scorecards_received"),
    ("callsMarkedAsFeedbackGiven", "calls_marked_feedback_given"),
    ("callsMarkedAsFeedbackReceived", "calls_marked_feedback_received"),
]


def test_every_gong_counter_lands_in_its_unified_metric() -> None:
    values = counters(3)  # 15 distinct values: a metric that took another counter's value shows
    [record] = list(
        records_by_period(
            _page([{**values, "fromDate": "2024-03-10T00:00:00-08:00", "toDate": "2024-03-11T00:00:00-07:00"}]),
            "day",
            {},
            "US/Pacific",
        )
    )
    assert len(GONG_COUNTER_TO_UNIFIED_METRIC) == len(values) == 15
    assert record["metrics"] == {unified: values[gong] for gong, unified in GONG_COUNTER_TO_UNIFIED_METRIC}
    # The id takes the period's calendar day in the company's zone, whatever the offset (here across DST).
    assert record["id"] == "42:day:2024-03-10"
    assert (record["start_time"], record["end_time"]) == ("2024-03-10T00:00:00-08:00", "2024-03-11T00:00:00-07:00")


def test_total_record_id_spans_the_filter_dates_and_times_come_from_the_envelope() -> None:
    body = {
        "fromDateTime": "2024-01-01T00:00:00-08:00",
        "toDateTime": "2024-02-01T00:00:00-08:00",
        "usersAggregateActivityStats": [
            {"userId": "7", "userEmailAddress": "b@acme.example", "userAggregateActivityStats": counters(1)}
        ],
    }
    [record] = list(records_of_total(body, "2024-01-01", "2024-02-01", {}, "US/Pacific"))
    assert record["id"] == "7:total:2024-01-01:2024-02-01"
    assert record["aggregation_period"] == "total" and record["start_time"] == "2024-01-01T00:00:00-08:00"
    assert (record["start_date"], record["end_date"], record["company_time_zone"]) == (
        "2024-01-01",
        "2024-02-01",
        "US/Pacific",
    )


@pytest.mark.parametrize(
    "body, complaint",
    [
        ({"usersAggregateActivity": "none"}, "no list 'usersAggregateActivity'"),
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
        list(records_by_period(body, "day", {}, "US/Pacific"))
