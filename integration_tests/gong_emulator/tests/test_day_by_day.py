"""Day-by-day call-id lists agree with aggregate-by-period's DAY counters, day by day, page by page."""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import AGGREGATE, BY_PERIOD, DAY_BY_DAY, INTERACTION, filter_body, read_all_pages

# Six weeks around the start of daylight saving time in US/Pacific (2024-03-10).
FROM, TO = dt.date(2024, 2, 19), dt.date(2024, 4, 1)  # 42 days (2024 is a leap year)
COUNTER_NAMES = {
    "callsAsHost",
    "callsAttended",
    "ownCallsListenedTo",
    "othersCallsListenedTo",
    "callsGaveFeedback",
    "callsReceivedFeedback",
    "callsRequestedFeedback",
    "callsCommentsGiven",
    "callsCommentsReceived",
    "callsSharedInternally",
    "callsSharedExternally",
    "callsScorecardsFilled",
    "callsScorecardsReceived",
    "callsMarkedAsFeedbackGiven",
    "callsMarkedAsFeedbackReceived",
}


@pytest.fixture
def paged(start_emulator):
    return start_emulator(users=30, page_size=7)


def _detailed(emulator, session, frm=FROM, to=TO, **extra) -> dict[str, list[dict]]:
    pages = read_all_pages(session, emulator.base_url + DAY_BY_DAY, filter_body(frm, to, **extra))
    return {
        user["userId"]: user["userDailyActivityStats"] for page in pages for user in page["usersDetailedActivities"]
    }


def test_given_multi_week_window_over_pages_when_compared_with_day_counters_then_every_list_length_matches(
    paged, session
):
    detailed = _detailed(paged, session)
    by_period = read_all_pages(
        session, paged.base_url + BY_PERIOD, {"aggregationPeriod": "DAY", **filter_body(FROM, TO)}
    )
    counters = {
        user["userId"]: user["userAggregateActivity"] for page in by_period for user in page["usersAggregateActivity"]
    }

    assert list(detailed) == list(counters)
    assert len(by_period) >= 3
    for user_id, days in detailed.items():
        assert len(days) == len(counters[user_id]) == (TO - FROM).days
        for served, counted in zip(days, counters[user_id], strict=True):
            assert (served["fromDate"], served["toDate"]) == (counted["fromDate"], counted["toDate"])
            assert set(served) == COUNTER_NAMES | {"fromDate", "toDate"}
            assert {name: len(served[name]) for name in COUNTER_NAMES} == {
                name: counted[name] for name in COUNTER_NAMES
            }
    assert sum(len(day["callsAttended"]) for days in detailed.values() for day in days) > 100


def test_given_window_across_daylight_saving_when_served_then_one_item_per_day_with_the_zone_offset(paged, session):
    days = next(iter(_detailed(paged, session).values()))

    assert [item["fromDate"][:10] for item in days] == [(FROM + dt.timedelta(days=n)).isoformat() for n in range(42)]
    assert [item["toDate"] for item in days[:-1]] == [item["fromDate"] for item in days[1:]]
    by_day = {item["fromDate"][:10]: item for item in days}
    assert by_day["2024-03-09"]["fromDate"] == "2024-03-09T00:00:00-08:00"
    assert by_day["2024-03-10"]["fromDate"] == "2024-03-10T00:00:00-08:00"
    assert by_day["2024-03-10"]["toDate"] == "2024-03-11T00:00:00-07:00"
    assert days[-1]["toDate"] == "2024-04-01T00:00:00-07:00"


@pytest.mark.parametrize(
    "timezone, first_offset, last_offset", [("Europe/Berlin", "+01:00", "+02:00"), ("Asia/Kolkata", "+05:30", "+05:30")]
)
def test_given_another_company_zone_when_served_then_dates_carry_its_offset_and_the_answer_names_no_zone(
    start_emulator, session, timezone, first_offset, last_offset
):
    # Berlin moves its clocks on Sunday 2024-03-31; Kolkata never does.
    emulator = start_emulator(timezone=timezone)

    response = session.post(emulator.base_url + DAY_BY_DAY, json=filter_body(dt.date(2024, 3, 31), dt.date(2024, 4, 2)))

    assert response.status_code == 200
    # Gong's UsersDayByDayActivity has no timeZone, fromDateTime or toDateTime: only the items' offsets tell.
    assert set(response.json()) == {"requestId", "records", "usersDetailedActivities"}
    sunday, monday = response.json()["usersDetailedActivities"][0]["userDailyActivityStats"]
    assert (sunday["fromDate"], sunday["toDate"]) == ("2024-03-31T00:00:00" + first_offset, monday["fromDate"])
    assert monday["fromDate"] == f"2024-04-01T00:00:00{last_offset}"


def test_given_page_size_7_when_paging_then_pages_cover_the_same_users_in_the_same_order_as_by_period(paged, session):
    pages = read_all_pages(session, paged.base_url + DAY_BY_DAY, filter_body(FROM, TO))
    by_period = read_all_pages(
        session, paged.base_url + BY_PERIOD, {"aggregationPeriod": "DAY", **filter_body(FROM, TO)}
    )

    total = pages[0]["records"]["totalRecords"]
    assert [page["records"]["currentPageNumber"] for page in pages] == list(range(len(pages)))
    assert [page["records"]["currentPageSize"] for page in pages] == [7] * (len(pages) - 1) + [
        total - 7 * (len(pages) - 1)
    ]
    assert all("cursor" in page["records"] for page in pages[:-1]) and "cursor" not in pages[-1]["records"]
    served = [user["userId"] for page in pages for user in page["usersDetailedActivities"]]
    assert served == [user["userId"] for page in by_period for user in page["usersAggregateActivity"]]
    assert served == sorted(served, key=int) and len(served) == total


def test_given_day_by_day_cursor_when_used_on_by_period_then_400(paged, session):
    first = session.post(paged.base_url + DAY_BY_DAY, json=filter_body(FROM, TO)).json()

    response = session.post(
        paged.base_url + BY_PERIOD,
        json={"aggregationPeriod": "DAY", "cursor": first["records"]["cursor"], **filter_body(FROM, TO)},
    )

    assert response.status_code == 400


def test_given_user_ids_when_served_then_only_those_users_and_equal_to_ground_truth(paged, session):
    wanted = [user["id"] for user in paged.dataset.users()[2:6]]

    served = _detailed(paged, session, userIds=wanted)

    assert set(served) <= set(wanted) and served
    assert served == paged.dataset.expected_day_by_day(FROM, TO, wanted)


def test_given_window_when_served_then_equals_expected_day_by_day(paged, session):
    assert _detailed(paged, session) == paged.dataset.expected_day_by_day(FROM, TO)


def test_given_call_ids_when_inspected_then_numeric_unique_per_list_and_hosted_calls_are_attended(paged, session):
    detailed = _detailed(paged, session)

    items = [item for days in detailed.values() for item in days]
    ids = [call for item in items for name in COUNTER_NAMES for call in item[name]]
    assert ids and all(call.isdigit() and call.isascii() and len(call) <= 19 and int(call) < 2**63 for call in ids)
    for item in items:
        assert all(len(set(item[name])) == len(item[name]) for name in COUNTER_NAMES)
        shorter = min(item["callsAsHost"], item["callsAttended"], key=len)
        assert set(item["callsAsHost"]) & set(item["callsAttended"]) == set(shorter)
    assert len(set(ids)) > len(ids) / 4, "ids repeat only within one user's day"


def test_given_same_seed_when_served_by_two_emulators_then_same_ids_and_another_seed_differs(start_emulator, session):
    one, two, other = start_emulator(), start_emulator(), start_emulator(seed=43)
    frm, to = dt.date(2024, 5, 6), dt.date(2024, 5, 11)

    first, second = _detailed(one, session, frm, to), _detailed(two, session, frm, to)

    assert first == second
    other_ids = {
        call for days in _detailed(other, session, frm, to).values() for day in days for call in day["callsAttended"]
    }
    first_ids = {call for days in first.values() for day in days for call in day["callsAttended"]}
    assert first_ids and not first_ids & other_ids


def test_given_no_detailed_scope_when_calling_then_403_names_the_scope_and_other_endpoints_answer(
    start_emulator, session
):
    emulator = start_emulator(no_detailed_scope=True)
    body = filter_body(FROM, TO)

    refused = session.post(emulator.base_url + DAY_BY_DAY, json=body)

    assert refused.status_code == 403
    assert set(refused.json()) == {"requestId", "errors"}
    assert "api:stats:user-actions:detailed" in refused.json()["errors"][0]
    assert session.post(emulator.base_url + AGGREGATE, json=body).status_code == 200
    assert session.post(emulator.base_url + BY_PERIOD, json={"aggregationPeriod": "DAY", **body}).status_code == 200
    assert session.post(emulator.base_url + INTERACTION, json=body).status_code == 200
    assert session.get(emulator.base_url + "/v2/users").status_code == 200


def test_given_to_date_tomorrow_when_calling_then_400_says_future(start_emulator, session):
    # The company's today, fixed: a midnight during the run cannot turn tomorrow into today.
    today = dt.date(2024, 6, 12)
    emulator = start_emulator(today=today)

    response = session.post(
        emulator.base_url + DAY_BY_DAY, json=filter_body(today - dt.timedelta(days=3), today + dt.timedelta(days=1))
    )

    assert response.status_code == 400
    assert "future" in response.json()["errors"][0]
    accepted = session.post(emulator.base_url + DAY_BY_DAY, json=filter_body(today - dt.timedelta(days=3), today))
    assert accepted.status_code == 200


@pytest.mark.parametrize(
    "body",
    [{}, {"filter": {"fromDate": "2024-3-01", "toDate": "2024-04-01"}}, {"filter": {"fromDate": "2024-03-01"}}],
)
def test_given_bad_filter_when_calling_then_400(emulator, session, body):
    response = session.post(emulator.base_url + DAY_BY_DAY, json=body)

    assert response.status_code == 400
    assert response.json()["errors"]


def test_given_window_before_history_when_calling_then_404_no_users_found(emulator, session):
    response = session.post(emulator.base_url + DAY_BY_DAY, json=filter_body(dt.date(2023, 6, 1), dt.date(2023, 7, 1)))

    assert response.status_code == 404
    assert response.json()["errors"] == ["No users found corresponding to the provided filters"]
