"""Gong's limits and faults through the real command line: budget, 429s, the daily cap, retried and lasting faults."""

from __future__ import annotations

import datetime as dt
import math
import re
import time
from typing import Any

import pytest

from integration_tests.harness import (
    ACCESS_KEY,
    EmulatorProcess,
    activity_catalog,
    by_id,
    emulator_config,
    expected_records,
    run_connector,
)

# Two windows of seven days (periods_per_window=7): the users lookup and every later window run after a fault.
START, END = dt.date(2024, 1, 1), dt.date(2024, 1, 15)
# Those windows, counted on a calendar (not the connector's own `windows()`, which could only agree with itself).
SEVEN_DAY_WINDOWS = [(dt.date(2024, 1, 1), dt.date(2024, 1, 8)), (dt.date(2024, 1, 8), dt.date(2024, 1, 15))]
REQUEST_ID = re.compile(r"requestId [a-z0-9]{19}\b")


def read(emulator: EmulatorProcess, tmp_path, **overrides: Any):
    config = emulator_config(
        emulator, **{"start_date": str(START), "end_date": str(END), "periods_per_window": 7, **overrides}
    )
    return run_connector(tmp_path, "read", config, activity_catalog())


def fewest_calls(emulator: EmulatorProcess, windows: list[tuple[dt.date, dt.date]], page_size: int = 100) -> int:
    """The calls a fault-free sync needs: each window's pages of active users, the users lookup's pages, and the one
    call that learns the company's zone (aggregate-by-period never names it)."""
    dataset = emulator.dataset
    activity = sum(math.ceil(len(dataset.active_user_ids(a, b)) / page_size) for a, b in windows)
    return activity + math.ceil(len(dataset.users()) / page_size) + 1


def statuses(emulator: EmulatorProcess) -> dict[str, int]:
    """Responses by status over every endpoint."""
    totals: dict[str, int] = {}
    for by_status in emulator.stats()["requests"].values():
        for status, count in by_status.items():
            totals[status] = totals.get(status, 0) + count
    return totals


def test_given_gong_allows_3_calls_per_second_when_read_at_the_default_budget_then_no_call_is_refused(tmp_path) -> None:
    # Five one-week windows of three pages each plus three users pages: 18 calls, far more than one second's worth.
    # Here the budget meets a real limiter; its exact pace (never 4 calls in 1.025 s, and no slower) is proven on a
    # fake clock in unit_tests/gong/test_limits.py, since this test cannot: its 25 ms margin covers the usual
    # jitter between our stamp and the emulator's, not a loaded machine holding one call back longer than that. So a
    # run that drew a 429 gets one more try. A budget of 4 calls a second, or none, draws 429s in every run.
    start, end = dt.date(2024, 1, 1), dt.date(2024, 2, 5)
    for _ in range(2):
        with EmulatorProcess(rate_limit=3) as limited:
            config = emulator_config(
                limited,
                start_date=str(start),
                end_date=str(end),
                aggregation_period="week",
                periods_per_window=1,
                requests_per_second=None,
            )
            run = run_connector(tmp_path, "read", config, activity_catalog())
            stats, by_status = limited.stats(), statuses(limited)
            expected = expected_records(limited.dataset, start, end, "week")
        if "429" not in by_status:
            break
    assert stats["total_api_requests"] >= 10
    assert run.exit_code == 0 and not run.errors
    assert "429" not in by_status, by_status
    assert by_id(run.records) == expected
    assert run.states[-1]["start_time"] == str(end)


def test_given_429_with_retry_after_from_a_shared_quota_when_read_then_waits_as_told_and_returns_all_records(
    tmp_path,
) -> None:
    with EmulatorProcess(fail_every=3, fail_status=429) as shared:
        run = read(shared, tmp_path)
        stats, by_status = shared.stats(), statuses(shared)
        assert by_status.get("429", 0) >= 2, by_status
        assert stats["early_requests_after_retry_after"] == 0
        assert run.exit_code == 0 and not run.errors
        assert by_id(run.records) == expected_records(shared.dataset, START, END, "day")
        assert run.states[-1]["start_time"] == str(END)


def test_given_the_daily_quota_runs_out_in_the_third_window_when_read_then_stops_with_the_first_two_windows_saved(
    tmp_path,
) -> None:
    # One page per call series: window 1, the one call that learns the company's zone (aggregate-by-period never
    # names it) and the users lookup are calls 1 to 3, window 2 is call 4, window 3 is refused.
    with EmulatorProcess(page_size=1000, daily_cap=4, daily_retry_after=3600) as capped:
        started = time.monotonic()
        run = read(capped, tmp_path, end_date="2024-01-29", max_retry_after_seconds=60)
        elapsed = time.monotonic() - started
        refused = statuses(capped).get("429", 0)

    assert elapsed < 60, "the connector waited for the daily quota instead of stopping"
    assert run.exit_code != 0 and refused == 1
    assert run.errors and {error.failure_type.value for error in run.errors} == {"transient_error"}
    message = run.errors[-1].message
    assert "quota is used up" in message and "3600 seconds" in message
    resets_at = dt.datetime.strptime(
        re.search(r"until about (\d{4}-\d\d-\d\d \d\d:\d\d) UTC", message).group(1), "%Y-%m-%d %H:%M"
    )
    in_an_hour = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(hours=1)
    assert abs(resets_at - in_an_hour) < dt.timedelta(minutes=5)
    assert [state["start_time"] for state in run.states] == ["2024-01-08", "2024-01-15"]
    assert by_id(run.records) == expected_records(capped.dataset, START, dt.date(2024, 1, 15), "day")


@pytest.mark.parametrize(
    "flags, extra_calls",
    [
        pytest.param({"fail_every": 5}, 1, id="every-5th-call-answers-500"),
        pytest.param({"truncate_every": 4}, 1, id="every-4th-body-cut-in-half"),
        pytest.param({"drop_every": 4}, 1, id="every-4th-connection-dropped"),
        pytest.param({"latency_ms": 40}, 0, id="slow-answers"),
    ],
)
def test_given_a_passing_fault_when_read_then_the_call_is_retried_and_the_records_equal_the_truth(
    tmp_path, flags: dict[str, int], extra_calls: int
) -> None:
    with EmulatorProcess(**flags) as faulty:
        run = read(faulty, tmp_path)
        calls = faulty.stats()["total_api_requests"]
        fewest = fewest_calls(faulty, SEVEN_DAY_WINDOWS)
    assert run.exit_code == 0 and not run.errors
    assert by_id(run.records) == expected_records(faulty.dataset, START, END, "day")
    assert run.states[-1]["start_time"] == str(END)
    # A fault costs at least one more call; slow answers cost none.
    assert calls >= fewest + extra_calls if extra_calls else calls == fewest, (calls, fewest)


def test_given_every_call_answers_503_when_read_then_fails_as_transient_quoting_gongs_error_and_request_id(
    tmp_path,
) -> None:
    with EmulatorProcess(fail_every=1, fail_status=503) as down:
        run = read(down, tmp_path, max_retries=1)
        by_status = statuses(down)
    assert by_status == {"503": 2}, "one call and one retry"
    assert run.exit_code != 0 and run.records == [] and run.states == []
    assert run.errors and {error.failure_type.value for error in run.errors} == {"transient_error"}
    message = run.errors[-1].message
    assert "HTTP 503" in message and "An unexpected error occurred (injected fault)" in message
    assert REQUEST_ID.search(message), message


def test_given_a_fault_outlasting_the_retries_in_the_second_window_when_read_then_the_first_windows_state_is_kept(
    tmp_path,
) -> None:
    # One page per call series: window 1, the zone call and the users lookup are calls 1 to 3; window 2's call 4
    # fails, unretried.
    with EmulatorProcess(page_size=1000, fail_every=4, fail_status=503) as flaky:
        run = read(flaky, tmp_path, max_retries=0)
    assert run.exit_code != 0
    assert run.errors[-1].failure_type.value == "transient_error" and "HTTP 503" in run.errors[-1].message
    assert [state["start_time"] for state in run.states] == ["2024-01-08"]
    assert by_id(run.records) == expected_records(flaky.dataset, START, dt.date(2024, 1, 8), "day")


def test_given_a_wrong_access_key_when_read_then_fails_with_a_config_error_saying_the_credentials_were_rejected(
    tmp_path,
) -> None:
    with EmulatorProcess() as gong:
        wrong = {"auth_type": "access_key", "access_key": ACCESS_KEY, "access_key_secret": "Wq8rT2mZx4Lp9vKc3NbY"}
        run = read(gong, tmp_path, credentials=wrong)
        by_status = statuses(gong)
    assert by_status == {"401": 1}, "a rejected credential is not retried"
    assert run.exit_code != 0 and run.records == [] and run.states == []
    assert run.errors and {error.failure_type.value for error in run.errors} == {"config_error"}
    assert "rejected the credentials" in run.errors[-1].message and REQUEST_ID.search(run.errors[-1].message)


def test_given_gong_answers_400_to_a_past_window_when_read_then_fails_with_a_system_error_quoting_gong(
    tmp_path,
) -> None:
    with EmulatorProcess(fail_every=1, fail_status=400) as rejecting:
        run = read(rejecting, tmp_path)
        by_status = statuses(rejecting)
    assert by_status == {"400": 1}, "a rejected request is not retried"
    assert run.exit_code != 0 and run.records == [] and run.states == []
    assert run.errors and {error.failure_type.value for error in run.errors} == {"system_error"}
    message = run.errors[-1].message
    assert (
        "HTTP 400" in message
        and "An unexpected error occurred (injected fault)" in message
        and REQUEST_ID.search(message)
    )
