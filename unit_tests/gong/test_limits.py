"""How long each retry and the call budget wait, bounded above as well as below, without sleeping: the sleeps are
recorded instead, on a clock that moves by them alone.

The CDK's HTTP client sleeps in `airbyte_cdk.sources.streams.http.rate_limiting` (a backoff strategy's answer plus one
second) or, for a rate limit without an answer, through the `backoff` library; the call budget sleeps in
`airbyte_cdk.sources.streams.call_rate` and reads the time through `pyrate_limiter.clocks`; the token endpoint's
retries sleep in `source_gong_activity.gong.auth`. All of them get one fake clock, which stands still but for their
sleeps, each returning at once: the recorded sleeps are exactly the waits the read chose, to the microsecond.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import backoff._sync
import pyrate_limiter.clocks
import pytest
import requests
from airbyte_cdk.models import ConfiguredAirbyteCatalog, SyncMode
from airbyte_cdk.sources.streams import call_rate
from airbyte_cdk.sources.streams.http import rate_limiting
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.mock_http import HttpMocker, HttpRequest, HttpResponse
from airbyte_cdk.test.state_builder import StateBuilder

from source_gong_activity.gong import auth
from source_gong_activity.gong.limits import build_api_budget
from unit_tests.builders import (
    ActivityPage,
    a_config,
    a_user,
    a_users_page,
    an_error_response,
    by_period_request,
    counters,
    users_request,
)
from unit_tests.command_line import read

ALICE = "1000000000000000001"
# The clock is fake and moves only by the sleeps, so every wait is exact: this is its resolution, a microsecond.
EXACTLY = 1e-6
# A strategy cannot ask the CDK for no extra wait at all (it ignores a 0), so a wait of one second is asked as 0.001 s
# plus the CDK's own second.
LEAST_WAIT = 1.001
# After a 429 the call budget keeps its window free of calls: 1 s + the 25 ms margin at any rate of 1 call a second
# or more (these tests run at 100).
BUDGET_WINDOW = 1.025
POLL = 0.001  # the call budget's last wait at its window's edge, until its millisecond stamp moves on (FakeClock)


class FakeClock:
    """A `time` module whose clock moves only when something sleeps: each sleep is written down, returns at once and
    moves the clock on by exactly its length. Nothing else moves it, so the machine's load cannot show in a wait.

    Its time counts whole microseconds from a fixed start (2026-01-01 00:00 UTC), so sums of sleeps carry no float
    drift. A sleep of 0 s is a no-op (the backoff library "sleeps" 0 s around the CDK's own sleeps), except for the call
    budget (`polling()`): at its window's edge it sleeps 0 s until its whole-millisecond stamp moves on, which takes
    under a millisecond of real time; here that poll takes exactly POLL seconds.
    """

    START_MICROSECONDS = 1_767_225_600 * 1_000_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._microseconds = self.START_MICROSECONDS
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            return
        with self._lock:
            self.sleeps.append(seconds)
            self._microseconds += round(seconds * 1_000_000)

    def time(self) -> float:
        with self._lock:
            return self._microseconds / 1_000_000

    def polling(self) -> Any:
        clock = self

        class Polling:
            def sleep(self, seconds: float) -> None:
                clock.sleep(seconds if seconds > 0 else POLL)

            def __getattr__(self, name: str) -> Any:
                return getattr(clock, name)

        return Polling()

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeClock]:
    fake = FakeClock()
    for module in (rate_limiting, backoff._sync, auth):
        monkeypatch.setattr(module, "time", fake)
    monkeypatch.setattr(call_rate, "time", fake.polling())
    monkeypatch.setattr(pyrate_limiter.clocks, "time", fake.time)
    yield fake


def _catalog() -> ConfiguredAirbyteCatalog:
    return CatalogBuilder().with_stream("activity", SyncMode.incremental).build()


def _a_day_of_activity() -> HttpResponse:
    day = ("2024-01-01T00:00:00-08:00", "2024-01-02T00:00:00-08:00", counters(1))
    return ActivityPage().with_user(ALICE, "alice@acme.example", [day]).build()


def _read_one_day(http_mocker: HttpMocker, answers: list[HttpResponse], **config: Any) -> list[dict[str, Any]]:
    """Reads one day whose request gets `answers` in turn; returns the records (the last answer is the day).

    The saved state names the company's zone, so the one day's call and the users lookup are all the calls."""
    http_mocker.get(users_request(), a_users_page([a_user(ALICE, "Alice", "Able")]))
    one_day = by_period_request("DAY", "2024-01-01", "2024-01-02").build()
    http_mocker.post(one_day, answers)
    state = StateBuilder().with_stream_state("activity", {"company_time_zone": "US/Pacific"}).build()
    output = read(a_config(end_date="2024-01-02", **config), _catalog(), state)
    assert not output.errors, [error.trace.error.message for error in output.errors]
    http_mocker.assert_number_of_calls(one_day, len(answers))
    return [message.record.data for message in output.records]


def _cut_off_page() -> HttpResponse:
    body = _a_day_of_activity().body
    return HttpResponse(body[: len(body) // 2], 200)


@pytest.mark.parametrize(
    "retry_afters, waits",
    [
        pytest.param([7], [7], id="one-429-retry-after-7"),
        pytest.param([2, 3], [2, 3], id="two-429s-retry-after-2-then-3"),
        pytest.param([600], [600], id="one-429-retry-after-600-the-longest-allowed"),
        # The CDK's least wait, then the budget holds the retry until its window after the refused call has passed.
        pytest.param([1], [LEAST_WAIT, BUDGET_WINDOW - LEAST_WAIT, POLL], id="one-429-retry-after-1-within-the-window"),
    ],
)
def test_given_429s_with_retry_after_when_read_then_each_waits_exactly_its_retry_after(
    clock: FakeClock, retry_afters: list[int], waits: list[float]
) -> None:
    answers = [an_error_response(429, "Too many requests", retry_after=seconds) for seconds in retry_afters]
    with HttpMocker() as http_mocker:
        records = _read_one_day(http_mocker, [*answers, _a_day_of_activity()], max_retry_after_seconds=600)

    assert [record["id"] for record in records] == [f"{ALICE}:day:2024-01-01"]
    assert clock.sleeps == pytest.approx(waits, abs=EXACTLY)


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(lambda: an_error_response(500), id="500"),
        pytest.param(lambda: an_error_response(502), id="502"),
        pytest.param(lambda: an_error_response(503), id="503"),
        pytest.param(lambda: an_error_response(504), id="504"),
        pytest.param(lambda: an_error_response(408), id="408"),
        pytest.param(_cut_off_page, id="200-with-a-cut-off-body"),
    ],
)
def test_given_three_passing_faults_when_read_then_the_retries_wait_1_2_and_4_seconds(
    clock: FakeClock, fault: Any
) -> None:
    with HttpMocker() as http_mocker:
        records = _read_one_day(http_mocker, [fault(), fault(), fault(), _a_day_of_activity()], max_retries=3)

    assert [record["id"] for record in records] == [f"{ALICE}:day:2024-01-01"]
    assert clock.sleeps == pytest.approx([LEAST_WAIT, 2, 4], abs=EXACTLY)


def test_given_three_429s_without_retry_after_when_read_then_the_retries_wait_1_2_and_4_seconds(
    clock: FakeClock,
) -> None:
    with HttpMocker() as http_mocker:
        records = _read_one_day(http_mocker, [an_error_response(429)] * 3 + [_a_day_of_activity()], max_retries=3)

    assert len(records) == 1
    # The budget's window after the first 429 outlasts its one-second wait by the 25 ms margin and its poll.
    assert clock.sleeps == pytest.approx([LEAST_WAIT, BUDGET_WINDOW - LEAST_WAIT, POLL, 2, 4], abs=EXACTLY)


def test_given_eight_server_errors_when_read_then_the_waits_double_up_to_a_minute(clock: FakeClock) -> None:
    with HttpMocker() as http_mocker:
        records = _read_one_day(http_mocker, [an_error_response(500)] * 8 + [_a_day_of_activity()], max_retries=8)

    assert len(records) == 1
    assert clock.sleeps == pytest.approx([LEAST_WAIT, 2, 4, 8, 16, 32, 60, 60], abs=EXACTLY)


def test_given_the_token_endpoint_fails_three_times_when_read_then_its_retries_wait_1_2_and_4_seconds(
    clock: FakeClock,
) -> None:
    token_url = "https://app.gong.io/oauth2/generate-customer-token"
    token_request = HttpRequest(token_url, query_params={"grant_type": "refresh_token", "refresh_token": "rt-unit-0"})
    token = {
        "access_token": "at-unit-1",
        "refresh_token": "rt-unit-1",
        "expires_in": 3600,
        "api_base_url_for_customer": "https://api.gong.io",
    }
    credentials = {
        "auth_type": "oauth2.0",
        "client_id": "unit-client-id-1234",
        "client_secret": "unit-client-secret-5678",
        "refresh_token": "rt-unit-0",
    }
    with HttpMocker() as http_mocker:
        http_mocker.post(token_request, [an_error_response(500)] * 3 + [HttpResponse(json.dumps(token), 200)])
        records = _read_one_day(http_mocker, [_a_day_of_activity()], credentials=credentials, max_retries=3)
        http_mocker.assert_number_of_calls(token_request, 4)

    assert len(records) == 1
    assert clock.sleeps == pytest.approx([1, 2, 4], abs=EXACTLY)  # the token endpoint's own retries: no CDK second


def test_given_the_default_budget_when_calls_follow_each_other_then_never_4_in_1025_ms_and_no_slower(
    clock: FakeClock,
) -> None:
    """Gong allows 3 calls a second (moving window); the budget keeps a window 25 ms longer, so that the jitter between
    our stamp and Gong's never makes a 4th call land inside Gong's second. Twelve calls, as fast as the budget lets."""
    budget = build_api_budget(3.0)  # requests_per_second's default, as the docs give it
    request = requests.Request("POST", "https://api.gong.io/v2/stats/activity/aggregate-by-period").prepare()
    asked_at = []
    for _ in range(12):
        budget.acquire_call(request)
        asked_at.append(clock.time())

    # Three at once, then three more each time the window (and the poll at its edge) has passed: never four in a
    # window, and no slower.
    window = BUDGET_WINDOW + POLL
    expected = [0, 0, 0, window, window, window, 2 * window, 2 * window, 2 * window, 3 * window, 3 * window, 3 * window]
    assert [at - asked_at[0] for at in asked_at] == pytest.approx(expected, abs=EXACTLY)
