"""The activity endpoints reject malformed requests with 400 and answer an empty result with 404."""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import AGGREGATE, BY_PERIOD

# The company's today, fixed (--today): a midnight during the run cannot turn "tomorrow" into today.
TODAY = dt.date(2024, 6, 12)
TOMORROW = (TODAY + dt.timedelta(days=1)).isoformat()


@pytest.fixture
def emulator(start_emulator):
    return start_emulator(today=TODAY)


def _dates(days_back: int = 14) -> tuple[str, str]:
    return (TODAY - dt.timedelta(days=days_back)).isoformat(), TODAY.isoformat()


BAD_FILTERS = {
    "missing filter": lambda frm, to, tomorrow: {},
    "filter not an object": lambda frm, to, tomorrow: {"filter": [frm, to]},
    "missing fromDate": lambda frm, to, tomorrow: {"filter": {"toDate": to}},
    "missing toDate": lambda frm, to, tomorrow: {"filter": {"fromDate": frm}},
    "fromDate without dashes": lambda frm, to, tomorrow: {"filter": {"fromDate": frm.replace("-", ""), "toDate": to}},
    "fromDate single-digit month": lambda frm, to, tomorrow: {"filter": {"fromDate": "2024-1-05", "toDate": to}},
    "toDate is a date-time": lambda frm, to, tomorrow: {"filter": {"fromDate": frm, "toDate": to + "T00:00:00Z"}},
    "toDate not a calendar day": lambda frm, to, tomorrow: {"filter": {"fromDate": frm, "toDate": "2024-02-30"}},
    "fromDate equals toDate": lambda frm, to, tomorrow: {"filter": {"fromDate": to, "toDate": to}},
    "fromDate after toDate": lambda frm, to, tomorrow: {"filter": {"fromDate": to, "toDate": frm}},
    "non-numeric userIds": lambda frm, to, tomorrow: {"filter": {"fromDate": frm, "toDate": to, "userIds": ["abc"]}},
    "userIds not a list": lambda frm, to, tomorrow: {"filter": {"fromDate": frm, "toDate": to, "userIds": "123"}},
    "bad createdFromDateTime": lambda frm, to, tomorrow: {
        "filter": {"fromDate": frm, "toDate": to, "createdFromDateTime": "yesterday"}
    },
    "garbage cursor": lambda frm, to, tomorrow: {"cursor": "abc.def", "filter": {"fromDate": frm, "toDate": to}},
}


@pytest.mark.parametrize("path", [AGGREGATE, BY_PERIOD])
@pytest.mark.parametrize("case", sorted(BAD_FILTERS))
def test_given_bad_filter_when_posting_then_400_with_errors(emulator, session, path, case):
    body = BAD_FILTERS[case](*_dates(), TOMORROW)
    body.setdefault("aggregationPeriod", "WEEK")

    response = session.post(emulator.base_url + path, json=body)

    assert response.status_code == 400, response.text
    assert response.json()["errors"] and response.json()["requestId"]


@pytest.mark.parametrize("raw", [b"not json", b"[1, 2]", b"", b'"text"'])
def test_given_body_that_is_not_a_json_object_when_posting_then_400(emulator, session, raw):
    response = session.post(emulator.base_url + AGGREGATE, data=raw, headers={"Content-Type": "application/json"})

    assert response.status_code == 400
    assert response.json()["errors"]


def test_given_to_date_tomorrow_when_posting_then_400_says_future(emulator, session):
    frm, _ = _dates()

    response = session.post(emulator.base_url + AGGREGATE, json={"filter": {"fromDate": frm, "toDate": TOMORROW}})

    assert response.status_code == 400
    assert "future" in response.json()["errors"][0]


def test_given_to_date_today_when_posting_then_200(emulator, session):
    frm, today = _dates()

    response = session.post(emulator.base_url + AGGREGATE, json={"filter": {"fromDate": frm, "toDate": today}})

    assert response.status_code == 200


@pytest.mark.parametrize("period", [None, "week", "FORTNIGHT", 7])
def test_given_bad_aggregation_period_when_posting_by_period_then_400(emulator, session, period):
    frm, to = _dates()
    body = {"filter": {"fromDate": frm, "toDate": to}}
    if period is not None:
        body["aggregationPeriod"] = period

    response = session.post(emulator.base_url + BY_PERIOD, json=body)

    assert response.status_code == 400
    assert "aggregationPeriod" in response.json()["errors"][0]


def test_given_aggregation_period_inside_filter_only_when_posting_then_400(emulator, session):
    frm, to = _dates()

    response = session.post(
        emulator.base_url + BY_PERIOD, json={"filter": {"fromDate": frm, "toDate": to, "aggregationPeriod": "DAY"}}
    )

    assert response.status_code == 400


@pytest.mark.parametrize("path", [AGGREGATE, BY_PERIOD])
@pytest.mark.parametrize(
    "window, user_ids",
    [
        (("2023-01-01", "2023-06-01"), None),  # before --history-start: nobody had activity
        (None, ["1234567890123456789"]),  # a numeric id nobody has
    ],
)
def test_given_no_matching_activity_when_posting_then_404_no_users_found(emulator, session, path, window, user_ids):
    frm, to = window or _dates()
    body = {"aggregationPeriod": "MONTH", "filter": {"fromDate": frm, "toDate": to}}
    if user_ids:
        body["filter"]["userIds"] = user_ids

    response = session.post(emulator.base_url + path, json=body)

    assert response.status_code == 404
    assert response.json()["errors"] == ["No users found corresponding to the provided filters"]
