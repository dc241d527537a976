"""Gong's limits: a per-second rate and a daily cap, both answered with 429 and Retry-After; plus the stats."""

from __future__ import annotations

import datetime as dt
import threading

import requests

from .conftest import AGGREGATE, BASIC, MovedClock, filter_body


def _post(emulator, session) -> requests.Response:
    today = emulator.dataset.today()
    return session.post(emulator.base_url + AGGREGATE, json=filter_body(today - dt.timedelta(days=10), today))


def test_given_rate_limit_2_when_3_calls_in_a_second_then_429_retry_after_and_early_call_counted(
    start_emulator, session
):
    clock = MovedClock()  # the test moves time itself: no race with the machine's load, and no sleep
    emulator = start_emulator(rate_limit=2, clock=clock)

    statuses = [_post(emulator, session).status_code]
    clock.now = 0.25
    statuses.append(_post(emulator, session).status_code)
    clock.now = 0.5
    limited = _post(emulator, session)  # the first call leaves the moving second at 1.0: wait 0.5, rounded up
    impatient = _post(emulator, session)  # arrives before the Retry-After has passed
    clock.now = 0.5 + int(limited.headers["Retry-After"])  # exactly when the Retry-After says
    patient = _post(emulator, session)

    assert statuses == [200, 200]
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "1"
    assert limited.json()["errors"] and limited.json()["requestId"]
    assert impatient.status_code == 429
    assert patient.status_code == 200
    stats = emulator.stats()
    assert stats["early_requests_after_retry_after"] == 1
    assert stats["requests"] == {"POST /v2/stats/activity/aggregate": {"200": 3, "429": 2}}
    assert stats["total_api_requests"] == 5


def test_given_rate_limit_2_when_the_second_moves_on_then_a_call_is_let_through_exactly_when_the_oldest_leaves(
    start_emulator, session
):
    clock = MovedClock()
    emulator = start_emulator(rate_limit=2, clock=clock)
    calls = []

    for now in (0.0, 0.5, 0.875, 1.0, 1.0, 1.375, 1.5):
        clock.now = now
        calls.append((now, _post(emulator, session).status_code))

    # Two calls in any moving second: the one at 0.0 leaves it at 1.0, the one at 0.5 at 1.5.
    assert calls == [(0.0, 200), (0.5, 200), (0.875, 429), (1.0, 200), (1.0, 429), (1.375, 429), (1.5, 200)]


def test_given_daily_cap_2_when_third_call_then_429_with_long_retry_after(start_emulator, session):
    emulator = start_emulator(daily_cap=2, daily_retry_after=7200)

    responses = [_post(emulator, session) for _ in range(3)]

    assert [response.status_code for response in responses] == [200, 200, 429]
    assert responses[2].headers["Retry-After"] == "7200"


def test_given_stats_when_reset_then_counters_restart_and_endpoint_matches_method(emulator, session):
    _post(emulator, session)
    http_stats = requests.get(emulator.base_url + "/_emulator/stats").json()
    assert http_stats == emulator.stats()
    assert http_stats["total_api_requests"] == 1

    assert requests.post(emulator.base_url + "/_emulator/reset-stats").status_code == 200

    assert emulator.stats() == {
        "requests": {},
        "total_api_requests": 0,
        "early_requests_after_retry_after": 0,
        "max_concurrent": 0,
    }


def test_given_parallel_slow_calls_when_served_then_max_concurrent_counts_them(start_emulator):
    emulator = start_emulator(latency_ms=300)
    threads = [threading.Thread(target=lambda: _post(emulator, _basic_session())) for _ in range(3)]

    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert emulator.stats()["max_concurrent"] == 3


def test_given_config_endpoint_when_read_then_it_reflects_the_flags(start_emulator):
    emulator = start_emulator(page_size=7, timezone="Europe/Paris")

    config = requests.get(emulator.base_url + "/_emulator/config").json()

    assert (config["page_size"], config["timezone"], config["history_start"]) == (7, "Europe/Paris", "2024-01-01")


def _basic_session() -> requests.Session:
    http = requests.Session()
    http.auth = BASIC
    return http
