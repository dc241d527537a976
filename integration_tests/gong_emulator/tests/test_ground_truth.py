"""Served numbers agree with the dataset's ground truth and with each other across granularities."""

from __future__ import annotations

import datetime as dt

import pytest

from integration_tests.gong_emulator import Dataset

from .conftest import AGGREGATE, BY_PERIOD, filter_body, read_all_pages

FROM, TO = dt.date(2024, 1, 1), dt.date(2024, 7, 1)


def _served_by_period(emulator, session, period: str, frm=FROM, to=TO) -> list[dict]:
    pages = read_all_pages(
        session, emulator.base_url + BY_PERIOD, {"aggregationPeriod": period, **filter_body(frm, to)}
    )
    return [
        {
            "userId": user["userId"],
            "userEmailAddress": user["userEmailAddress"],
            "fromDate": dt.date.fromisoformat(item.pop("fromDate")[:10]),
            "toDate": dt.date.fromisoformat(item.pop("toDate")[:10]),
            "counters": item,
        }
        for page in pages
        for user in page["usersAggregateActivity"]
        for item in user["userAggregateActivity"]
    ]


@pytest.mark.parametrize("period", ["DAY", "WEEK", "MONTH", "QUARTER", "YEAR"])
def test_given_period_when_served_then_records_equal_dataset_expected(emulator, session, period):
    assert _served_by_period(emulator, session, period) == emulator.dataset.expected(FROM, TO, period)


def test_given_window_when_aggregate_total_then_equals_sum_of_served_days(emulator, session):
    days = _served_by_period(emulator, session, "DAY")
    pages = read_all_pages(session, emulator.base_url + AGGREGATE, filter_body(FROM, TO))

    for page in pages:
        for user in page["usersAggregateActivityStats"]:
            user_days = [day["counters"] for day in days if day["userId"] == user["userId"]]
            summed = {name: sum(day[name] for day in user_days) for name in user_days[0]}
            assert user["userAggregateActivityStats"] == summed


def test_given_day_items_when_compared_with_daily_then_equal(emulator, session):
    for record in _served_by_period(emulator, session, "DAY", dt.date(2024, 2, 1), dt.date(2024, 2, 15)):
        assert record["counters"] == emulator.dataset.daily(record["userId"], record["fromDate"])


def test_given_user_ids_filter_when_served_then_only_those_users(emulator, session):
    wanted = [user["id"] for user in emulator.dataset.users()[:4]]

    pages = read_all_pages(session, emulator.base_url + AGGREGATE, filter_body(FROM, TO, userIds=wanted))

    served = [user["userId"] for page in pages for user in page["usersAggregateActivityStats"]]
    assert served == [record["userId"] for record in emulator.dataset.expected(FROM, TO, user_ids=wanted)]
    assert set(served) <= set(wanted)


def test_given_truth_endpoint_when_queried_then_json_of_expected(emulator, session):
    response = session.get(
        emulator.base_url + "/_emulator/truth",
        params={"fromDate": "2024-02-01", "toDate": "2024-03-01", "period": "WEEK"},
        auth=None,
    )

    expected = emulator.dataset.expected(dt.date(2024, 2, 1), dt.date(2024, 3, 1), "WEEK")
    assert response.json() == [
        {**record, "fromDate": record["fromDate"].isoformat(), "toDate": record["toDate"].isoformat()}
        for record in expected
    ]


def test_given_same_seed_when_built_twice_then_identical_and_more_users_extend_the_same_list():
    small, large = Dataset(seed=7, users=20), Dataset(seed=7, users=40)
    other = Dataset(seed=8, users=20)

    assert small.users() == Dataset(seed=7, users=20).users()
    assert {user["id"] for user in small.users()} <= {user["id"] for user in large.users()}
    assert small.users() != other.users()
    user_id = small.users()[0]["id"]
    assert small.expected(FROM, TO, "DAY", [user_id]) == large.expected(FROM, TO, "DAY", [user_id])


def test_given_history_when_inspected_then_quiet_users_quiet_days_and_no_activity_before_start():
    dataset = Dataset(seed=3, users=300, history_start=dt.date(2024, 1, 1))
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=n) for n in range(0, 364, 3)]

    active_users = dataset.active_user_ids(dt.date(2024, 1, 1), dt.date(2025, 1, 1))
    pairs = [(user["id"], day) for user in dataset.users() for day in days]
    quiet_pairs = sum(not any(dataset.daily(user_id, day).values()) for user_id, day in pairs)

    assert 0.05 <= 1 - len(active_users) / 300 <= 0.16
    assert 0.22 <= quiet_pairs / len(pairs) <= 0.42
    assert dataset.active_user_ids(dt.date(2023, 1, 1), dt.date(2024, 1, 1)) == []
