"""Aggregation periods: Monday weeks, calendar months, quarters and years, clipped, with the company's offsets."""

from __future__ import annotations

import datetime as dt

import pytest

from integration_tests.gong_emulator.periods import midnight_iso, period_windows

from .conftest import AGGREGATE, BY_PERIOD, filter_body

D = dt.date


@pytest.mark.parametrize(
    "period, frm, to, expected",
    [
        (
            "DAY",
            D(2024, 2, 28),
            D(2024, 3, 2),
            [(D(2024, 2, 28), D(2024, 2, 29)), (D(2024, 2, 29), D(2024, 3, 1)), (D(2024, 3, 1), D(2024, 3, 2))],
        ),
        # 2024-03-06 is a Wednesday: the first week is clipped to start there, the next starts on Monday the 11th.
        (
            "WEEK",
            D(2024, 3, 6),
            D(2024, 3, 20),
            [(D(2024, 3, 6), D(2024, 3, 11)), (D(2024, 3, 11), D(2024, 3, 18)), (D(2024, 3, 18), D(2024, 3, 20))],
        ),
        ("WEEK", D(2024, 3, 4), D(2024, 3, 11), [(D(2024, 3, 4), D(2024, 3, 11))]),
        (
            "MONTH",
            D(2024, 1, 15),
            D(2024, 3, 10),
            [(D(2024, 1, 15), D(2024, 2, 1)), (D(2024, 2, 1), D(2024, 3, 1)), (D(2024, 3, 1), D(2024, 3, 10))],
        ),
        ("MONTH", D(2024, 12, 1), D(2025, 1, 1), [(D(2024, 12, 1), D(2025, 1, 1))]),
        (
            "QUARTER",
            D(2024, 2, 10),
            D(2024, 8, 1),
            [(D(2024, 2, 10), D(2024, 4, 1)), (D(2024, 4, 1), D(2024, 7, 1)), (D(2024, 7, 1), D(2024, 8, 1))],
        ),
        ("QUARTER", D(2024, 11, 5), D(2025, 1, 2), [(D(2024, 11, 5), D(2025, 1, 1)), (D(2025, 1, 1), D(2025, 1, 2))]),
        (
            "YEAR",
            D(2023, 6, 1),
            D(2025, 2, 1),
            [(D(2023, 6, 1), D(2024, 1, 1)), (D(2024, 1, 1), D(2025, 1, 1)), (D(2025, 1, 1), D(2025, 2, 1))],
        ),
    ],
)
def test_given_window_when_split_into_periods_then_calendar_aligned_and_clipped(period, frm, to, expected):
    assert period_windows(frm, to, period) == expected


@pytest.mark.parametrize(
    "zone, day, expected",
    [
        ("US/Pacific", D(2024, 3, 4), "2024-03-04T00:00:00-08:00"),
        ("US/Pacific", D(2024, 3, 11), "2024-03-11T00:00:00-07:00"),  # after the spring-forward on 2024-03-10
        ("US/Pacific", D(2024, 11, 4), "2024-11-04T00:00:00-08:00"),
        ("Europe/London", D(2024, 7, 1), "2024-07-01T00:00:00+01:00"),
        ("Etc/GMT+12", D(2024, 7, 1), "2024-07-01T00:00:00-12:00"),
        ("Pacific/Kiritimati", D(2024, 7, 1), "2024-07-01T00:00:00+14:00"),
        ("Asia/Kolkata", D(2024, 7, 1), "2024-07-01T00:00:00+05:30"),
    ],
)
def test_given_zone_when_formatting_midnight_then_offset_in_force_that_day(zone, day, expected):
    assert midnight_iso(day, zone) == expected


def test_given_week_window_across_dst_when_served_then_items_carry_each_days_offset(start_emulator, session):
    emulator = start_emulator(users=5)
    body = {"aggregationPeriod": "WEEK", **filter_body(D(2024, 3, 1), D(2024, 3, 20))}

    response = session.post(emulator.base_url + BY_PERIOD, json=body).json()

    # Gong's UsersAggregateByPeriodActivity has no timeZone, fromDateTime or toDateTime: only the items' offsets tell.
    assert set(response) == {"requestId", "records", "usersAggregateActivity"}
    for user in response["usersAggregateActivity"]:
        assert [(item["fromDate"], item["toDate"]) for item in user["userAggregateActivity"]] == [
            ("2024-03-01T00:00:00-08:00", "2024-03-04T00:00:00-08:00"),
            ("2024-03-04T00:00:00-08:00", "2024-03-11T00:00:00-07:00"),
            ("2024-03-11T00:00:00-07:00", "2024-03-18T00:00:00-07:00"),
            ("2024-03-18T00:00:00-07:00", "2024-03-20T00:00:00-07:00"),
        ]


@pytest.mark.parametrize("zone, offset", [("Etc/GMT+12", "-12:00"), ("Pacific/Kiritimati", "+14:00")])
def test_given_extreme_zone_when_served_then_aggregate_envelope_and_period_items_use_its_offset(
    start_emulator, session, zone, offset
):
    emulator = start_emulator(users=5, timezone=zone)
    body = filter_body(D(2024, 5, 1), D(2024, 6, 1))

    total = session.post(emulator.base_url + AGGREGATE, json=body).json()
    by_period = session.post(emulator.base_url + BY_PERIOD, json={"aggregationPeriod": "MONTH", **body}).json()

    assert total["timeZone"] == zone
    assert total["fromDateTime"] == "2024-05-01T00:00:00" + offset
    assert {
        item["fromDate"] for user in by_period["usersAggregateActivity"] for item in user["userAggregateActivity"]
    } == {"2024-05-01T00:00:00" + offset}


def test_given_active_user_when_served_by_day_then_every_day_is_present_including_all_zero_days(
    start_emulator, session
):
    emulator = start_emulator(users=10)
    frm, to = D(2024, 4, 1), D(2024, 5, 1)  # includes weekends, which are mostly quiet

    response = session.post(
        emulator.base_url + BY_PERIOD, json={"aggregationPeriod": "DAY", **filter_body(frm, to)}
    ).json()

    zero_days = 0
    for user in response["usersAggregateActivity"]:
        items = user["userAggregateActivity"]
        assert len(items) == 30
        assert [item["fromDate"][:10] for item in items] == [
            (frm + dt.timedelta(days=n)).isoformat() for n in range(30)
        ]
        zero_days += sum(not any(v for k, v in item.items() if k not in ("fromDate", "toDate")) for item in items)
    assert zero_days > 0
