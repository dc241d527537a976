"""A fixed company day (--today) and late counts (--grow-recent-days with POST /_emulator/advance)."""

from __future__ import annotations

import datetime as dt

import pytest
import requests

from integration_tests.gong_emulator.activity import COUNTERS

from .conftest import AGGREGATE, BY_PERIOD, DAY_BY_DAY, filter_body, read_all_pages

TODAY = dt.date(2024, 6, 12)  # a Wednesday
RECENT = 5  # so 06-07 .. 06-11 grow
FROM = TODAY - dt.timedelta(days=14)


def _advance(emulator) -> dict:
    response = requests.post(emulator.base_url + "/_emulator/advance")
    assert response.status_code == 200
    return response.json()


def _by_day(emulator, session) -> dict[tuple[str, str], dict]:
    """(user id, YYYY-MM-DD) -> that day's item, from aggregate-by-period DAY over [FROM, TODAY)."""
    pages = read_all_pages(
        session, emulator.base_url + BY_PERIOD, {"aggregationPeriod": "DAY", **filter_body(FROM, TODAY)}
    )
    return {
        (user["userId"], item["fromDate"][:10]): item
        for page in pages
        for user in page["usersAggregateActivity"]
        for item in user["userAggregateActivity"]
    }


def _truth_by_day(emulator) -> dict[tuple[str, str], dict]:
    records = requests.get(
        emulator.base_url + "/_emulator/truth",
        params={"fromDate": FROM.isoformat(), "toDate": TODAY.isoformat(), "period": "DAY"},
    ).json()
    return {(record["userId"], record["fromDate"]): record["counters"] for record in records}


def test_given_today_when_validating_to_date_then_the_fixed_day_bounds_it(start_emulator, session):
    emulator = start_emulator(today=TODAY)

    ok = session.post(emulator.base_url + AGGREGATE, json=filter_body(FROM, TODAY))
    future = session.post(emulator.base_url + AGGREGATE, json=filter_body(FROM, TODAY + dt.timedelta(days=1)))

    assert emulator.dataset.today() == TODAY
    assert ok.status_code == 200
    assert future.status_code == 400 and "2024-06-12" in future.json()["errors"][0]
    config = requests.get(emulator.base_url + "/_emulator/config").json()
    assert (config["today"], config["company_today"]) == ("2024-06-12", "2024-06-12")


def test_given_grow_recent_days_when_not_advanced_then_counts_are_the_base_ones(start_emulator, session):
    growing, plain = start_emulator(today=TODAY, grow_recent_days=RECENT), start_emulator(today=TODAY)

    assert _by_day(growing, session) == _by_day(plain, session)


def test_given_two_advances_when_served_then_recent_active_days_grow_by_two_and_nothing_else_changes(
    start_emulator, session
):
    emulator = start_emulator(today=TODAY, grow_recent_days=RECENT)
    before = _by_day(emulator, session)

    assert _advance(emulator) == {"generation": 1, "grown_days": {"fromDate": "2024-06-07", "toDate": "2024-06-12"}}
    assert _advance(emulator)["generation"] == 2
    after = _by_day(emulator, session)

    assert after.keys() == before.keys()
    grown = 0
    for key, item in before.items():
        is_recent = key[1] >= "2024-06-07"
        is_active = any(item[name] for name in COUNTERS)
        step = 2 if is_recent and is_active else 0
        assert {name: after[key][name] for name in COUNTERS} == {name: item[name] + step for name in COUNTERS}, key
        grown += bool(step)
    assert grown > 10


def test_given_an_advance_when_asking_the_truth_then_it_matches_what_is_served(start_emulator, session):
    emulator = start_emulator(today=TODAY, grow_recent_days=RECENT)
    _advance(emulator)

    served = {key: {name: item[name] for name in COUNTERS} for key, item in _by_day(emulator, session).items()}

    assert served == _truth_by_day(emulator)


def test_given_an_advance_when_reading_the_whole_window_then_the_total_includes_the_late_counts(
    start_emulator, session
):
    emulator = start_emulator(today=TODAY, grow_recent_days=RECENT)
    _advance(emulator)
    days = _by_day(emulator, session)

    totals = read_all_pages(session, emulator.base_url + AGGREGATE, filter_body(FROM, TODAY))

    for page in totals:
        for user in page["usersAggregateActivityStats"]:
            expected = {
                name: sum(item[name] for (user_id, _), item in days.items() if user_id == user["userId"])
                for name in COUNTERS
            }
            assert user["userAggregateActivityStats"] == expected


def test_given_an_advance_when_reading_day_by_day_then_lists_grow_at_their_end_keeping_the_ids_served(
    start_emulator, session
):
    emulator = start_emulator(today=TODAY, grow_recent_days=RECENT)
    body = filter_body(TODAY - dt.timedelta(days=2), TODAY)

    def lists() -> dict:
        pages = read_all_pages(session, emulator.base_url + DAY_BY_DAY, body)
        return {
            user["userId"]: user["userDailyActivityStats"] for page in pages for user in page["usersDetailedActivities"]
        }

    before = lists()
    _advance(emulator)
    after = lists()

    assert after.keys() == before.keys()
    for user_id, days in before.items():
        for old, new in zip(days, after[user_id], strict=True):
            for name in COUNTERS:
                if any(old[counter] for counter in COUNTERS):
                    assert new[name][: len(old[name])] == old[name] and len(new[name]) == len(old[name]) + 1
                else:
                    assert new[name] == old[name] == []


@pytest.mark.parametrize("flags", [{}, {"grow_recent_days": 0}])
def test_given_no_growth_when_advancing_then_nothing_changes(start_emulator, session, flags):
    emulator = start_emulator(today=TODAY, **flags)
    before = _by_day(emulator, session)

    assert _advance(emulator) == {"generation": 1, "grown_days": None}

    assert _by_day(emulator, session) == before
