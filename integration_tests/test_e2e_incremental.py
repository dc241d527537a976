"""Incremental syncs through the real command line: nothing lost, nothing split, nothing asked of the future."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter, defaultdict

import pytest

from integration_tests.harness import (
    REPO,
    EmulatorProcess,
    activity_catalog,
    by_id,
    company_today,
    emulator_config,
    expected_records,
    run_connector,
)
from source_gong_activity.periods import windows

START, MIDDLE, END = dt.date(2024, 1, 20), dt.date(2024, 2, 14), dt.date(2024, 3, 10)  # MIDDLE is a Wednesday


def _state_message(stream_state: dict) -> list:
    return [{"type": "STREAM", "stream": {"stream_descriptor": {"name": "activity"}, "stream_state": stream_state}}]


@pytest.mark.parametrize("period", ["day", "week", "month", "quarter", "year"])
def test_two_consecutive_syncs_equal_one_full_refresh_after_dedup(
    emulator: EmulatorProcess, tmp_path, period: str
) -> None:
    config = emulator_config(emulator, aggregation_period=period, start_date=str(START), lookback_days=0)
    first = run_connector(tmp_path, "read", {**config, "end_date": str(MIDDLE)}, activity_catalog())
    second = run_connector(
        tmp_path, "read", {**config, "end_date": str(END)}, activity_catalog(), state=_state_message(first.states[-1])
    )
    full = run_connector(tmp_path, "read", {**config, "end_date": str(END)}, activity_catalog("full_refresh"))

    assert first.exit_code == second.exit_code == full.exit_code == 0
    assert (
        by_id(first.records + second.records)
        == by_id(full.records)
        == expected_records(emulator.dataset, START, END, period)
    )


def test_total_syncs_cover_the_days_since_the_previous_one(emulator: EmulatorProcess, tmp_path) -> None:
    config = emulator_config(emulator, aggregation_period="total", start_date=str(START))
    first = run_connector(tmp_path, "read", {**config, "end_date": str(MIDDLE)}, activity_catalog())
    second = run_connector(
        tmp_path, "read", {**config, "end_date": str(END)}, activity_catalog(), state=_state_message(first.states[-1])
    )
    full = run_connector(tmp_path, "read", {**config, "end_date": str(END)}, activity_catalog("full_refresh"))

    assert first.states[-1]["start_time"] == str(MIDDLE) and second.states[-1]["start_time"] == str(END)
    assert {r["id"].split(":", 2)[2] for r in second.records} == {f"{MIDDLE}:{END}"}
    summed: dict = defaultdict(Counter)
    for record in first.records + second.records:
        summed[record["user"]["id"]].update(record["metrics"])
    assert {user: dict(+metrics) for user, metrics in summed.items()} == {
        r["user"]["id"]: dict(+Counter(r["metrics"])) for r in full.records
    }


def test_a_sync_killed_after_a_state_resumes_without_gap_or_loss(emulator: EmulatorProcess, tmp_path) -> None:
    config = emulator_config(emulator, start_date="2024-01-01", end_date="2024-12-31", periods_per_window=30)
    uninterrupted = run_connector(tmp_path, "read", config, activity_catalog())
    killed = run_connector(tmp_path, "read", config, activity_catalog(), stop_after_states=4)
    resumed = run_connector(tmp_path, "read", config, activity_catalog(), state=_state_message(killed.states[-1]))

    assert len(killed.states) == 4 and killed.exit_code != 0
    assert resumed.exit_code == 0
    assert by_id(killed.records + resumed.records) == by_id(uninterrupted.records)
    assert len(uninterrupted.states) >= 12  # one STATE per window of 30 days


@pytest.mark.parametrize("time_zone", ["Etc/GMT+12", "Pacific/Kiritimati"])
def test_extreme_company_time_zones_get_no_400_and_the_last_complete_day(tmp_path, time_zone: str) -> None:
    with EmulatorProcess(timezone=time_zone) as far_away:
        today = company_today(time_zone)
        start = today - dt.timedelta(days=10)
        config = emulator_config(far_away, start_date=str(start), lookback_days=2)
        run = run_connector(tmp_path, "read", config, activity_catalog())
        statuses = far_away.stats()["requests"]
    assert run.exit_code == 0 and not run.errors
    assert not any("400" in by_status for by_status in statuses.values()), statuses
    expected = expected_records(far_away.dataset, start, today, "day")
    assert by_id(run.records) == expected
    assert any(record_id.endswith(str(today - dt.timedelta(days=1))) for record_id in expected)
    assert run.states[-1] == {
        "start_time": str(today - dt.timedelta(days=2)),
        "company_time_zone": time_zone,
    }  # the lookback of 2 days this config sets


def test_a_state_from_the_future_is_pulled_back_and_the_sync_succeeds(emulator: EmulatorProcess, tmp_path) -> None:
    abnormal = json.loads((REPO / "integration_tests" / "abnormal_state.json").read_text())
    run = run_connector(
        tmp_path, "read", emulator_config(emulator, start_date=str(START)), activity_catalog(), state=abnormal
    )
    assert run.exit_code == 0 and not run.errors
    assert run.states[-1]["start_time"] <= str(company_today("US/Pacific"))


@pytest.mark.parametrize(
    "state",
    [
        [],
        _state_message({}),
        [{"type": "STREAM", "stream": {"stream_descriptor": {"name": "calls"}, "stream_state": {"x": 1}}}],
    ],
)
def test_an_empty_state_or_one_for_another_stream_starts_from_start_date(
    emulator: EmulatorProcess, tmp_path, state
) -> None:
    config = emulator_config(emulator, start_date=str(START), end_date=str(MIDDLE))
    run = run_connector(tmp_path, "read", config, activity_catalog(), state=state)
    assert run.exit_code == 0 and by_id(run.records) == expected_records(emulator.dataset, START, MIDDLE, "day")


def test_a_corrupt_state_fails_with_a_config_error_naming_the_problem(emulator: EmulatorProcess, tmp_path) -> None:
    run = run_connector(
        tmp_path, "read", emulator_config(emulator), activity_catalog(), state=_state_message({"start_time": 20240101})
    )
    assert run.exit_code != 0
    assert run.errors and all(error.failure_type.value == "config_error" for error in run.errors)
    assert "'start_time' must be a date" in run.errors[-1].message


def test_a_one_year_daily_backfill_costs_only_the_windows_call_series_and_the_users_pages(tmp_path, capsys) -> None:
    with EmulatorProcess() as fresh:
        today = company_today("US/Pacific")
        start = today - dt.timedelta(days=365)
        run = run_connector(tmp_path, "read", emulator_config(fresh, start_date=str(start)), activity_catalog())
        calls = fresh.stats()["total_api_requests"]
        minimum = sum(
            math.ceil(len(fresh.dataset.active_user_ids(a, b)) / 100) for a, b in windows(start, today, "day", 92)
        )
        users_pages = math.ceil(len(fresh.dataset.users()) / 100)
    with capsys.disabled():
        print(
            f"\n1-year daily back-fill, 250 users: {calls} API calls; "
            f"windows' call series {minimum} + users pages {users_pages}"
        )
    assert run.exit_code == 0
    assert calls <= minimum + users_pages
