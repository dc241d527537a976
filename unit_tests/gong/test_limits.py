"""How long each retry and the call budget wait, bounded above as well as below, without sleeping: the sleeps are
recorded instead.

The CDK's HTTP client sleeps in `airbyte_cdk.sources.streams.http.rate_limiting` (a backoff strategy's answer plus one
second) or, for a rate limit without an answer, through the `backoff` library; the call budget sleeps in
`airbyte_cdk.sources.streams.call_rate` and reads the time through `pyrate_limiter.clocks`; the token endpoint's
retries sleep in `source_gong_activity.auth`. All of them get one clock whose time runs on with the real one but jumps
ahead by each sleep, which returns at once: the recorded sleeps are exactly the waits the read chose.
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
# "Exactly" is to the millisecond: a strategy cannot ask the CDK for no extra wait at all (it ignores a 0), so a wait
# of one second is asked as 0.001 s plus the CDK's own second.
MILLISECOND = 0.0011
# After a 429 the call budget keeps its window free of calls: 1 s + the 25 ms margin at any rate of 1 call a second
# or more (these tests run at 100).
BUDGET_WINDOW = 1.025


class FastForwardClock:
    """A `time` module whose clock jumps ahead by each sleep, which is written down and returns at once.

    Between sleeps its time runs on with the real one (the call budget polls until its window has passed).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._skipped = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        if seconds <= 0:  # the backoff library "sleeps" 0 s around the CDK's own sleeps
            return
        with self._lock:
            self.sleeps.append(seconds)
            self._skipped += seconds

    def time(self) -> float:
        with self._lock:
            return time.time() + self._skipped

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[FastForwardClock]:
    fast = FastForwardClock()
    for module in (rate_limiting, backoff._sync, call_rate, auth):
        monkeypatch.setattr(module, "time", fast)
    monkeypatch.setattr(pyrate_limiter.clocks, "time", fast.time)
    yield fast


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
    "retry_afters",
    [
        pytest.param([7], id="one-429-retry-after-7"),
        pytest.param([2, 3], id="two-429s-retry-after-2-then-3"),
        pytest.param([600], id="one-429-retry-after-600-the-longest-allowed"),
        pytest.param([1], id="one-429-retry-after-1-shorter-than-the-budget-window"),
    ],
)
def test_given_429s_with_retry_after_when_read_then_each_waits_exactly_its_retry_after(
    clock: FastForwardClock, retry_afters: list[int]
) -> None:
    answers = [an_error_response(429, "Too many requests", retry_after=seconds) for seconds in retry_afters]
    with HttpMocker() as http_mocker:
        records = _read_one_day(http_mocker, [*answers, _a_day_of_activity()], max_retry_after_seconds=600)

    assert [record["id"] for record in records] == [f"{ALICE}:day:2024-01-01"]
    # Never less than Gong asked; more only where the budget's window is longer than the Retry-After.
    assert sum(retry_afters) <= sum(clock.sleeps) <= sum(max(r, BUDGET_WINDOW) for r in retry_afters) + MILLISECOND


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
    clock: FastForwardClock, fault: Any
) -> None:
    with HttpMocker() as http_mocker:
        records = _read_one_day(http_mocker, [fault(), fault(), fault(), _a_day_of_activity()], max_retries=3)

    assert [record["id"] for record in records] == [f"{ALICE}:day:2024-01-01"]
    assert clock.sleeps == pytest.approx([1, 2, 4], abs=MILLISECOND)


def test_given_three_429s_without_retry_after_when_read_then_the_retries_wait_1_2_and_4_seconds(
    clock: FastForwardClock,
) -> None:
    with HttpMocker() as http_mocker:
        records = _read_one_day(http_mocker, [an_error_response(429)] * 3 + [_a_day_of_activity()], max_retries=3)

    assert len(records) == 1
    # The budget's window after the first 429 outlasts its one-second wait by at most the 25 ms margin.
    assert [seconds for seconds in clock.sleeps if seconds > BUDGET_WINDOW - 1] == pytest.approx(
        [1, 2, 4], abs=MILLISECOND
    )
    assert 7 <= sum(clock.sleeps) <= 7 + (BUDGET_WINDOW - 1) + MILLISECOND


def test_given_eight_server_errors_when_read_then_the_waits_double_up_to_a_minute(clock: FastForwardClock) -> None:
    with HttpMocker() as http_mocker:
        records = _read_one_day(http_mocker, [an_error_response(500)] * 8 + [_a_day_of_activity()], max_retries=8)

    assert len(records) == 1
    assert clock.sleeps == pytest.approx([1, 2, 4, 8, 16, 32, 60, 60], abs=MILLISECOND)


def test_given_the_token_endpoint_fails_three_times_when_read_then_its_retries_wait_1_2_and_4_seconds(
    clock: FastForwardClock,
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
    assert clock.sleeps == pytest.approx([1, 2, 4], abs=MILLISECOND)


def test_given_the_default_budget_when_calls_follow_each_other_then_never_4_in_1025_ms_and_no_slower(
    clock: FastForwardClock,
) -> None:
    """Gong allows 3 calls a second (moving window); the budget keeps a window 25 ms longer, so that the jitter between
    our stamp and Gong's never makes a 4th call land inside Gong's second. Twelve calls, as fast as the budget lets."""
    budget = build_api_budget(3.0)  # requests_per_second's default, as the docs give it
    request = requests.Request("POST", "https://api.gong.io/v2/stats/activity/aggregate-by-period").prepare()
    asked_at = []
    for _ in range(12):
        budget.acquire_call(request)
        asked_at.append(clock.time())

    spans_of_four = [later - first for first, later in zip(asked_at, asked_at[3:], strict=False)]
    # The budget stamps in whole milliseconds, hence the millisecond either side.
    assert min(spans_of_four) >= BUDGET_WINDOW - MILLISECOND, spans_of_four
    assert max(spans_of_four) <= BUDGET_WINDOW + 10 * MILLISECOND, spans_of_four
    assert asked_at[2] - asked_at[0] < MILLISECOND * 10, "the first three calls go at once"
