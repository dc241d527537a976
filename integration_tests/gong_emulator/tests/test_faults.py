"""Injected faults: every Nth /v2 call fails, is truncated, is dropped, and every call can be slowed down."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
import requests

from .conftest import AGGREGATE, filter_body


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
