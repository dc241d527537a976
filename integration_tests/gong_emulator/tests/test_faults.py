"""Injected faults: every Nth /v2 call fails, is truncated, is dropped, and every call can be slowed down; one path
can fail on every call, or be refused as a bad request."""

from __future__ import annotations

import datetime as dt
import json
import re
import time

import pytest
import requests

from .conftest import AGGREGATE, BY_PERIOD, INTERACTION, filter_body


def _post(emulator, session) -> requests.Response:
    today = emulator.dataset.today()
    return session.post(emulator.base_url + AGGREGATE, json=filter_body(today - dt.timedelta(days=10), today))


def test_given_fail_every_3_when_calling_6_times_then_calls_3_and_6_fail_with_gong_body(start_emulator, session):
    emulator = start_emulator(fail_every=3)

    responses = [_post(emulator, session) for _ in range(6)]

    assert [response.status_code for response in responses] == [200, 200, 500, 200, 200, 500]
    assert set(responses[2].json()) == {"requestId", "errors"}


def test_given_fail_status_429_when_failing_then_retry_after_1(start_emulator, session):
    emulator = start_emulator(fail_every=1, fail_status=429)

    response = _post(emulator, session)

    assert response.status_code == 429 and response.headers["Retry-After"] == "1"


def test_given_truncate_every_2_when_calling_then_second_body_is_half_and_not_json(start_emulator, session):
    emulator = start_emulator(truncate_every=2)

    whole, cut = _post(emulator, session), _post(emulator, session)

    assert cut.status_code == 200
    assert abs(len(cut.content) - len(whole.content) // 2) < 100
    with pytest.raises(json.JSONDecodeError):
        json.loads(cut.content)


def test_given_drop_every_2_when_calling_then_second_connection_closes_without_answer(start_emulator, session):
    emulator = start_emulator(drop_every=2)

    first = _post(emulator, session)
    with pytest.raises(requests.ConnectionError):
        _post(emulator, session)
    third = _post(emulator, session)

    assert (first.status_code, third.status_code) == (200, 200)
    assert emulator.stats()["requests"]["POST /v2/stats/activity/aggregate"] == {"200": 2, "dropped": 1}


def test_given_latency_when_calling_then_each_answer_is_delayed(start_emulator, session):
    emulator = start_emulator(latency_ms=250)

    started = time.perf_counter()
    response = _post(emulator, session)

    assert response.status_code == 200
    assert time.perf_counter() - started >= 0.25


@pytest.mark.parametrize("status", [500, 503])
def test_given_fail_path_when_calling_then_every_call_to_that_path_fails_and_the_others_answer(
    start_emulator, session, status
):
    emulator = start_emulator(fail_path=AGGREGATE, fail_status=status)
    today = emulator.dataset.today()

    failed = [_post(emulator, session) for _ in range(3)]
    other = session.post(emulator.base_url + BY_PERIOD, json={"aggregationPeriod": "DAY", **_week(today)})
    users = session.get(emulator.base_url + "/v2/users")

    assert [response.status_code for response in failed] == [status] * 3
    assert set(failed[0].json()) == {"requestId", "errors"}
    assert (other.status_code, users.status_code) == (200, 200)
    assert emulator.stats()["requests"][f"POST {AGGREGATE}"] == {str(status): 3}


def test_given_fail_path_and_fail_status_401_when_calling_then_that_path_answers_401_before_credentials(
    start_emulator, session
):
    # A fault on purpose (GET /v2/users documents 403, not 401): what a client does with a 401 it did not expect.
    emulator = start_emulator(fail_path="/v2/users", fail_status=401)

    response = session.get(emulator.base_url + "/v2/users")

    assert response.status_code == 401 and set(response.json()) == {"requestId", "errors"}
    assert _post(emulator, session).status_code == 200


def test_given_bad_request_path_when_calling_it_with_a_good_body_then_400_malformed_request_in_gongs_shape(
    start_emulator, session
):
    emulator = start_emulator(bad_request_path=INTERACTION)
    today = emulator.dataset.today()

    refused = [session.post(emulator.base_url + INTERACTION, json=_week(today)) for _ in range(2)]
    other = _post(emulator, session)

    assert [response.status_code for response in refused] == [400, 400]
    body = refused[0].json()
    assert set(body) == {"requestId", "errors"} and body["errors"] == ["Malformed request"]
    assert re.fullmatch(r"[a-z0-9]{19}", body["requestId"])
    assert other.status_code == 200


def test_given_bad_request_path_when_credentials_or_scope_are_refused_then_those_answer_first(start_emulator, session):
    emulator = start_emulator(bad_request_path=INTERACTION, no_interaction_scope=True, scope_status=401)
    today = emulator.dataset.today()

    no_scope = session.post(emulator.base_url + INTERACTION, json=_week(today))
    wrong_key = requests.post(emulator.base_url + INTERACTION, json=_week(today), auth=("test-access-key", "wrong"))

    assert no_scope.status_code == 401 and "scope" in no_scope.json()["errors"][0]
    assert wrong_key.status_code == 401 and "credentials" in wrong_key.json()["errors"][0]


def _week(today: dt.date) -> dict:
    return filter_body(today - dt.timedelta(days=7), today)
