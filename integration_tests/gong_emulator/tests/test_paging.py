"""Paging is over users, by opaque cursors that only work for the request series that issued them."""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import AGGREGATE, BY_PERIOD, filter_body, read_all_pages

FROM, TO = dt.date(2024, 3, 1), dt.date(2024, 4, 1)


@pytest.fixture
def small_pages(start_emulator):
    return start_emulator(users=14, page_size=5)


def test_given_page_size_5_when_reading_by_period_then_three_pages_hold_every_active_user(small_pages, session):
    truth = small_pages.dataset.expected(FROM, TO, "WEEK")
    active = sorted({record["userId"] for record in truth}, key=int)
    assert 11 <= len(active) <= 15, "the scenario needs 3 pages of 5"

    pages = read_all_pages(
        session, small_pages.base_url + BY_PERIOD, {"aggregationPeriod": "WEEK", **filter_body(FROM, TO)}
    )

    assert [page["records"]["currentPageNumber"] for page in pages] == [0, 1, 2]
    assert [page["records"]["currentPageSize"] for page in pages] == [5, 5, len(active) - 10]
    assert {page["records"]["totalRecords"] for page in pages} == {len(active)}
    assert "cursor" not in pages[-1]["records"]
    served = [user["userId"] for page in pages for user in page["usersAggregateActivity"]]
    assert served == active


def test_given_page_size_5_when_reading_aggregate_then_totals_match_truth(small_pages, session):
    truth = {record["userId"]: record["counters"] for record in small_pages.dataset.expected(FROM, TO)}

    pages = read_all_pages(session, small_pages.base_url + AGGREGATE, filter_body(FROM, TO))

    served = {
        user["userId"]: user["userAggregateActivityStats"]
        for page in pages
        for user in page["usersAggregateActivityStats"]
    }
    assert served == truth
    assert len(pages) == 3


def _first_cursor(emulator, session, path: str, body: dict) -> str:
    response = session.post(emulator.base_url + path, json=body)
    assert response.status_code == 200
    return response.json()["records"]["cursor"]


@pytest.mark.parametrize(
    "change",
    [
        lambda body: body["filter"].update(toDate="2024-03-31"),
        lambda body: body["filter"].update(userIds=[]),
        lambda body: body.update(aggregationPeriod="DAY"),
    ],
)
def test_given_cursor_when_reused_with_another_filter_or_period_then_400_invalid_cursor(small_pages, session, change):
    body = {"aggregationPeriod": "WEEK", **filter_body(FROM, TO)}
    body["cursor"] = _first_cursor(small_pages, session, BY_PERIOD, body)
    change(body)

    response = session.post(small_pages.base_url + BY_PERIOD, json=body)

    assert response.status_code == 400
    assert "Invalid cursor" in response.json()["errors"][0]


def test_given_cursor_when_reused_on_another_endpoint_then_400(small_pages, session):
    body = filter_body(FROM, TO)
    cursor = _first_cursor(small_pages, session, AGGREGATE, body)

    response = session.post(
        small_pages.base_url + BY_PERIOD, json={"aggregationPeriod": "WEEK", "cursor": cursor, **body}
    )

    assert response.status_code == 400


def test_given_cursor_when_filter_keys_are_reordered_then_it_still_works(small_pages, session):
    body = filter_body(FROM, TO)
    cursor = _first_cursor(small_pages, session, AGGREGATE, body)
    reordered = {"cursor": cursor, "filter": {"toDate": TO.isoformat(), "fromDate": FROM.isoformat()}}

    response = session.post(small_pages.base_url + AGGREGATE, json=reordered)

    assert response.status_code == 200
    assert response.json()["records"]["currentPageNumber"] == 1


def test_given_tampered_cursor_when_posting_then_400(small_pages, session):
    body = filter_body(FROM, TO)
    cursor = _first_cursor(small_pages, session, AGGREGATE, body)
    payload, signature = cursor.split(".")

    response = session.post(small_pages.base_url + AGGREGATE, json={"cursor": payload + "x." + signature, **body})

    assert response.status_code == 400
