"""Every shape Gong's published contract allows (../shared/gong-contract.json), one rule a test: instants in UTC,
missing values, call ids as JSON numbers, 404s whatever their words, 401 for a missing scope, where credentials go."""

from __future__ import annotations

import json
import logging
from typing import Any

import orjson
import pytest
import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.streams.http.error_handlers import ResponseAction
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_gong_activity.calendar.days import company_date
from source_gong_activity.gong.auth import _checked_regional_url
from source_gong_activity.gong.body import decode_json
from source_gong_activity.gong.errors import GongErrorHandler
from source_gong_activity.records.activity import records_by_period, records_of_total
from source_gong_activity.records.activity_calls import records_of_call_ids
from source_gong_activity.records.interaction import records_of_interaction

# -- calendar days from instants ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "instant, zone, day",
    [
        # Gong's offset form: the written day is the company's.
        ("2026-11-30T00:00:00+09:00", "Asia/Tokyo", "2026-11-30"),
        ("2024-03-11T00:00:00-07:00", "US/Pacific", "2024-03-11"),
        # The same instants in UTC with Z: Tokyo's Monday midnight is Sunday 15:00 UTC.
        ("2026-11-29T15:00:00Z", "Asia/Tokyo", "2026-11-30"),
        ("2026-11-29T15:00:00.000000Z", "Asia/Tokyo", "2026-11-30"),
        ("2024-03-11T07:00:00.5Z", "US/Pacific", "2024-03-11"),  # just after DST began: UTC-7
        ("2024-03-10T08:00:00.233692Z", "US/Pacific", "2024-03-10"),  # the day DST began: still UTC-8 at midnight
        ("2024-11-03T07:00:00Z", "US/Pacific", "2024-11-03"),  # the day DST ended: UTC-7 at midnight
        ("2026-01-01T10:00:00Z", "Pacific/Kiritimati", "2026-01-02"),  # UTC+14
        # No zone known, or a date-time that does not parse (Gong's own example has an hour of "000"): the written day.
        ("2026-11-29T15:00:00Z", None, "2026-11-29"),
        ("2019-01-21T000:00:00-08:00", "US/Pacific", "2019-01-21"),
        ("2019-01-21T00:00:00", "US/Pacific", "2019-01-21"),
    ],
)
def test_company_date_is_the_company_s_calendar_day_of_the_instant(instant: str, zone: str | None, day: str) -> None:
    assert company_date(instant, zone) == day


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


# -- values Gong left out ---------------------------------------------------------------------------------------------


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


def test_given_call_id_lists_left_out_when_mapped_then_they_are_null() -> None:
    item = {"callsAsHost": ["1"], "fromDate": "2024-03-04T00:00:00-08:00", "toDate": "2024-03-05T00:00:00-08:00"}
    page = {"usersDetailedActivities": [{"userId": "42", "userDailyActivityStats": [item]}]}
    [record] = records_of_call_ids(page, {}, "US/Pacific")
    assert record["call_ids"]["calls_hosted"] == ["1"]
    assert {name for name, ids in record["call_ids"].items() if ids is None} == set(record["call_ids"]) - {
        "calls_hosted"
    }


def test_given_an_interaction_answer_without_its_window_when_mapped_then_the_requested_days_stand_in() -> None:
    body = {"peopleInteractionStats": [{"userId": "7", "personInteractionStats": [{"name": "Patience", "value": 1}]}]}
    [record] = records_of_interaction(body, "week", "2026-11-30", "2026-12-07", {}, "Asia/Tokyo")
    assert (record["start_time"], record["start_date"], record["end_date"]) == (
        "2026-11-30T00:00:00+09:00",
        "2026-11-30",
        "2026-12-07",
    )


# -- call ids as JSON numbers -----------------------------------------------------------------------------------------

# Gong's own examples: 19 and 20 digits; the second is above 2**64, where orjson would make a float of it.
BIG_IDS = (5580564522626337006, 37555663966526337006)


def test_given_call_ids_as_json_numbers_of_up_to_20_digits_when_decoded_and_mapped_then_they_are_exact_text() -> None:
    item = {
        "callsAsHost": list(BIG_IDS),
        "callsAttended": ["7782342274025937895", 45],
        "fromDate": "2024-03-04T00:00:00-08:00",
        "toDate": "2024-03-05T00:00:00-08:00",
    }
    raw = json.dumps({"usersDetailedActivities": [{"userId": "42", "userDailyActivityStats": [item]}]}).encode()
    assert orjson.loads(raw)["usersDetailedActivities"][0]["userDailyActivityStats"][0]["callsAsHost"][1] != BIG_IDS[1]

    [record] = records_of_call_ids(decode_json(raw), {}, "US/Pacific")

    assert record["call_ids"]["calls_hosted"] == ["5580564522626337006", "37555663966526337006"]
    assert record["call_ids"]["calls_attended"] == ["7782342274025937895", "45"]


@pytest.mark.parametrize(
    "raw",
    [
        b'{"ids": ["37555663966526337006"], "n": 3}',  # a 20-digit string is no number: orjson is safe
        b'{"ids": [37555663966526337006]}',
        b'{"ids":[1, 37555663966526337006]}',
        b'{"ids": {"a": 37555663966526337006}}',
    ],
)
def test_decode_json_keeps_every_integer_exact(raw: bytes) -> None:
    assert decode_json(raw) == json.loads(raw)


# -- the error table --------------------------------------------------------------------------------------------------


def _response(
    status: int, body: Any, url: str = "https://api.gong.io/v2/stats/activity/aggregate"
) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body if isinstance(body, bytes) else json.dumps(body).encode()
    response.request = requests.Request("POST", url, json={"filter": {}}).prepare()
    response.url = url
    return response


def _handler(**options: Any) -> GongErrorHandler:
    return GongErrorHandler(logging.getLogger("test"), None, max_retries=1, max_time_seconds=60, **options)


@pytest.mark.parametrize(
    "words",
    ["No users found corresponding to the provided filters", "An error has occurred", "User not found", ""],
)
def test_a_404_in_gong_s_error_shape_is_an_empty_result_whatever_its_words(words: str) -> None:
    resolution = _handler().interpret_response(_response(404, {"requestId": "r-1", "errors": [words]}))
    assert resolution.response_action == ResponseAction.IGNORE


@pytest.mark.parametrize("body", [b"<html><body>Not Found</body></html>", {"message": "no route"}, b""])
def test_a_404_that_is_not_gong_s_error_shape_fails_naming_the_url(body: Any) -> None:
    url = "https://gong.example.com/api/v2/stats/activity/aggregate"
    resolution = _handler().interpret_response(_response(404, body, url))
    assert (resolution.response_action, resolution.failure_type) == (ResponseAction.FAIL, FailureType.config_error)
    assert resolution.error_message.startswith(f"{url} answered 404 (HTTP 404 with no Gong error body)")
    assert "'base_url'" in resolution.error_message


def test_a_404_from_an_endpoint_that_documents_none_is_a_wrong_path_even_in_gong_s_shape() -> None:
    response = _response(404, {"requestId": "r-2", "errors": ["Not found"]}, "https://api.gong.io/v2/users")
    resolution = _handler(empty_on_404=False).interpret_response(response)
    assert resolution.response_action == ResponseAction.FAIL and "https://api.gong.io/v2/users" in str(
        resolution.error_message
    )


def test_a_401_without_a_refresh_to_spend_names_both_a_missing_scope_and_bad_credentials() -> None:
    response = _response(
        401, {"requestId": "r-3", "errors": ["Access denied"]}, "https://api.gong.io/v2/stats/interaction"
    )
    resolution = _handler(scope="api:stats:interaction").interpret_response(response)
    assert (resolution.response_action, resolution.failure_type) == (ResponseAction.FAIL, FailureType.config_error)
    assert resolution.error_message == (
        "Gong rejected the credentials for /v2/stats/interaction: they are not valid (check the access key and secret "
        "or the OAuth token, and 'base_url' if the company is served by a regional host), or they lack the scope "
        "api:stats:interaction (HTTP 401: Access denied (requestId r-3))."
    )


def test_a_401_spends_the_sync_s_one_refresh_then_is_read_as_a_refusal() -> None:
    refreshes = iter([True])

    def may_refresh() -> bool:
        return next(refreshes, False)

    handler = GongErrorHandler(logging.getLogger("test"), may_refresh, max_retries=1, max_time_seconds=60)
    actions = [handler.interpret_response(_response(401, {"errors": ["Access denied"]})).response_action for _ in "ab"]
    assert actions == [ResponseAction.REFRESH_TOKEN_THEN_RETRY, ResponseAction.FAIL]


@pytest.mark.parametrize("status", [401, 403])
def test_an_optional_lookup_refused_with_401_or_403_is_ignored(status: int) -> None:
    response = _response(status, {"errors": ["Access denied"]}, "https://api.gong.io/v2/users/extensive")
    assert _handler(optional=True).interpret_response(response).response_action == ResponseAction.IGNORE


# -- where credentials may go -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://us-49467.api.gong.io",
        "https://api.gong.io/",
        "https://gong.io",
        "http://127.0.0.1:8080",
        "http://localhost:9000",
        "https://[::1]:8443",
    ],
)
def test_the_regional_host_is_used_when_it_is_https_under_gong_io_or_loopback(url: str) -> None:
    assert _checked_regional_url(url) == url.rstrip("/")


@pytest.mark.parametrize(
    "url",
    [
        "http://us-49467.api.gong.io",  # not https: the token would cross the network in clear
        "https://api.gong.io.evil.example",  # gong.io must end the host name
        "https://evilgong.io",
        "https://user:pw@api.gong.io",
        "https://10.0.0.5",
        "ftp://api.gong.io",
        "https://api.gong.io:notaport",
    ],
)
def test_any_other_regional_host_is_refused_with_a_clear_config_error(url: str) -> None:
    with pytest.raises(AirbyteTracedException) as raised:
        _checked_regional_url(url)
    assert raised.value.failure_type == FailureType.config_error
    assert raised.value.message.startswith(f"Gong's token response named the API host {url!r}, which is not an https")
    assert "no credential was sent to it" in raised.value.message


def test_decode_json_finds_a_big_integer_across_the_slices_it_scans() -> None:
    for padding in range(1 << 20, (1 << 20) - 25, -1):  # the 20 digits cut at every place by the slice boundary
        raw = b'{"pad": "' + b"x" * padding + b'", "ids": [37555663966526337006]}'
        assert decode_json(raw)["ids"] == [37555663966526337006], padding
