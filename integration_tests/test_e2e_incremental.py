"""Incremental syncs through the real command line: nothing lost, nothing split, nothing asked of the future.

Every test compares the records with the emulator's ground truth and the final state with a value written here; the
windows a sync must read are dates written here too, never the connector's own `windows()`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import signal

import pytest

from integration_tests.harness import (
    REPO,
    ConnectorRun,
    EmulatorProcess,
    activity_catalog,
    by_id,
    company_day_at,
    emulator_config,
    expected_records,
    run_connector,
)

ZONE = "US/Pacific"  # the emulator's default company zone
START, MIDDLE, END = dt.date(2024, 1, 20), dt.date(2024, 2, 14), dt.date(2024, 3, 10)  # MIDDLE is a Wednesday
DEFAULT_LOOKBACK_DAYS = 7  # the docs' default for lookback_days
USERS_PAGES = 3  # the users lookup: 250 users, 100 a page
# The connector's clock in the tests that depend on today, with the emulator's `today` the company's day then: 11:00
# UTC is 2025-06-17 in UTC-12, 2025-06-18 in US/Pacific (04:00) and 2025-06-19 in UTC+14.
FROZEN = dt.datetime(2025, 6, 18, 11, 0, tzinfo=dt.UTC)


def _state_message(stream_state: dict) -> list:
    return [{"type": "STREAM", "stream": {"stream_descriptor": {"name": "activity"}, "stream_state": stream_state}}]


def _state(start_time: dt.date, zone: str = ZONE) -> dict:
    return {"start_time": str(start_time), "company_time_zone": zone}


def _days(*dates: str) -> list[dict]:
    return [_state(dt.date.fromisoformat(day)) for day in dates]


def _ok(run: ConnectorRun) -> bool:
    return run.exit_code == 0 and not run.errors


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

    assert _ok(first) and _ok(second) and _ok(full)
    assert (
        by_id(first.records + second.records)
        == by_id(full.records)
        == expected_records(emulator.dataset, START, END, period)
    )
    # Both end dates are past: each sync's state is its end date, whatever the period.
    assert (first.states[-1], second.states[-1], full.states[-1]) == (_state(MIDDLE), _state(END), _state(END))


def test_total_syncs_each_cover_the_days_since_the_previous_one(emulator: EmulatorProcess, tmp_path) -> None:
    config = emulator_config(emulator, aggregation_period="total", start_date=str(START))
    first = run_connector(tmp_path, "read", {**config, "end_date": str(MIDDLE)}, activity_catalog())
    second = run_connector(
        tmp_path, "read", {**config, "end_date": str(END)}, activity_catalog(), state=_state_message(first.states[-1])
    )

    assert _ok(first) and _ok(second)
    # One record per active user and sync, spanning exactly the days since the previous sync, zero counters included.
    assert by_id(first.records) == expected_records(emulator.dataset, START, MIDDLE, "total")
    assert by_id(second.records) == expected_records(emulator.dataset, MIDDLE, END, "total")
    assert (first.states[-1], second.states[-1]) == (_state(MIDDLE), _state(END))


# 2024 read 30 days a window (periods_per_window=30) from 2024-01-01 to the exclusive end 2024-12-31: the 13 window
# ends, each a STATE, counted on a calendar (2024 is a leap year).
YEAR_START, YEAR_END = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
THIRTY_DAY_WINDOW_ENDS = [
    "2024-01-31",
    "2024-03-01",
    "2024-03-31",
    "2024-04-30",
    "2024-05-30",
    "2024-06-29",
    "2024-07-29",
    "2024-08-28",
    "2024-09-27",
    "2024-10-27",
    "2024-11-26",
    "2024-12-26",
    "2024-12-31",
]


def test_a_sync_killed_after_a_state_resumes_there_without_gap_or_loss(emulator: EmulatorProcess, tmp_path) -> None:
    config = emulator_config(
        emulator, start_date=str(YEAR_START), end_date=str(YEAR_END), periods_per_window=30, lookback_days=0
    )
    killed = run_connector(tmp_path, "read", config, activity_catalog(), stop_after_states=4)
    resumed = run_connector(tmp_path, "read", config, activity_catalog(), state=_state_message(killed.states[-1]))

    assert killed.exit_code == -signal.SIGTERM and killed.states == _days(*THIRTY_DAY_WINDOW_ENDS[:4])
    assert _ok(resumed) and resumed.states == _days(*THIRTY_DAY_WINDOW_ENDS[4:])
    # The resumed sync starts at the saved day, not before: nothing read twice, nothing skipped.
    assert min(record["start_date"] for record in resumed.records) >= THIRTY_DAY_WINDOW_ENDS[3]
    assert by_id(killed.records + resumed.records) == expected_records(emulator.dataset, YEAR_START, YEAR_END, "day")


@pytest.mark.parametrize(
    "time_zone, today", [("Etc/GMT+12", dt.date(2025, 6, 17)), ("Pacific/Kiritimati", dt.date(2025, 6, 19))]
)
def test_extreme_company_time_zones_get_no_400_and_the_last_complete_day(
    tmp_path, time_zone: str, today: dt.date
) -> None:
    assert company_day_at(FROZEN, time_zone) == today
    start = today - dt.timedelta(days=10)
    with EmulatorProcess(timezone=time_zone, today=today) as far_away:
        config = emulator_config(far_away, start_date=str(start), lookback_days=2)
        run = run_connector(tmp_path, "read", config, activity_catalog(), frozen_at=FROZEN)
        statuses, expected = far_away.stats()["requests"], expected_records(far_away.dataset, start, today, "day")

    assert _ok(run)
    assert not any("400" in by_status for by_status in statuses.values()), statuses
    assert by_id(run.records) == expected
    assert any(record_id.endswith(str(today - dt.timedelta(days=1))) for record_id in expected)
    assert run.states[-1] == _state(today - dt.timedelta(days=2), time_zone)  # the lookback of 2 days this config sets


def test_a_state_from_the_future_is_pulled_back_to_the_lookback_and_the_sync_succeeds(tmp_path) -> None:
    abnormal = json.loads((REPO / "integration_tests" / "abnormal_state.json").read_text())
    assert abnormal[0]["stream"]["stream_state"] == {"start_time": "2099-01-01", "company_time_zone": ZONE}
    today = dt.date(2025, 6, 18)
    with EmulatorProcess(today=today) as gong:
        config = emulator_config(gong, start_date=str(START))
        run = run_connector(tmp_path, "read", config, activity_catalog(), state=abnormal, frozen_at=FROZEN)
        expected = expected_records(gong.dataset, dt.date(2025, 6, 11), today, "day")

    # Read again from where a correct state would stand: the default lookback (7 days) before today.
    assert _ok(run)
    assert by_id(run.records) == expected
    assert run.states[-1] == _state(dt.date(2025, 6, 11))


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
    assert _ok(run) and by_id(run.records) == expected_records(emulator.dataset, START, MIDDLE, "day")
    assert run.states[-1] == _state(MIDDLE)


def test_a_corrupt_state_fails_with_a_config_error_naming_the_problem(emulator: EmulatorProcess, tmp_path) -> None:
    run = run_connector(
        tmp_path, "read", emulator_config(emulator), activity_catalog(), state=_state_message({"start_time": 20240101})
    )
    assert run.exit_code != 0 and run.records == [] and run.states == []
    assert run.errors and all(error.failure_type.value == "config_error" for error in run.errors)
    assert run.errors[-1].message == (
        "The saved state of stream 'activity' is not usable: 'start_time' must be a date YYYY-MM-DD, got 20240101. "
        "Fix the state or reset the stream."
    )


# A year of days from 2024-03-01 to the exclusive end 2025-03-01, 92 days a window (the default for days), the last
# one clipped: the window bounds counted on a calendar.
BACKFILL_WINDOWS = [
    (dt.date(2024, 3, 1), dt.date(2024, 6, 1)),
    (dt.date(2024, 6, 1), dt.date(2024, 9, 1)),
    (dt.date(2024, 9, 1), dt.date(2024, 12, 2)),
    (dt.date(2024, 12, 2), dt.date(2025, 3, 1)),
]


def test_a_one_year_daily_backfill_reads_each_window_once_with_one_state_each_and_no_other_call(
    tmp_path, capsys
) -> None:
    start, end = BACKFILL_WINDOWS[0][0], BACKFILL_WINDOWS[-1][1]
    with EmulatorProcess() as fresh:
        run = run_connector(
            tmp_path, "read", emulator_config(fresh, start_date=str(start), end_date=str(end)), activity_catalog()
        )
        calls = {path: sum(by_status.values()) for path, by_status in fresh.stats()["requests"].items()}
        pages = [math.ceil(len(fresh.dataset.active_user_ids(a, b)) / 100) for a, b in BACKFILL_WINDOWS]
        expected = expected_records(fresh.dataset, start, end, "day")
    with capsys.disabled():
        print(f"\n1-year daily back-fill, 250 users: {calls}; windows' pages {pages}, users pages {USERS_PAGES}")

    assert _ok(run)
    assert by_id(run.records) == expected and len(run.records) == len(expected)
    assert run.states == [_state(window_end) for _, window_end in BACKFILL_WINDOWS]
    assert calls == {
        "POST /v2/stats/activity/aggregate-by-period": sum(pages),
        "GET /v2/users": USERS_PAGES,
        "POST /v2/stats/activity/aggregate": 1,  # the company's zone, asked once per sync
    }


GROWING_DAYS = 5  # the emulator's recent days whose counts keep growing: fewer than the default lookback
TODAY = dt.date(2025, 6, 18)  # the company's day at FROZEN
# The growing days, the last GROWING_DAYS before TODAY, and the default lookback's first day, counted on a calendar.
GROWN_DAYS = {
    dt.date(2025, 6, 13),
    dt.date(2025, 6, 14),
    dt.date(2025, 6, 15),
    dt.date(2025, 6, 16),
    dt.date(2025, 6, 17),
}
LOOKBACK_START = dt.date(2025, 6, 11)


def _sync_then_late_counts_then_sync(tmp_path, **overrides) -> tuple:
    """Syncs the month up to today, lets the last GROWING_DAYS days' counts grow, and syncs again from the state."""
    start = dt.date(2025, 5, 19)
    with EmulatorProcess(grow_recent_days=GROWING_DAYS, today=TODAY) as gong:
        config = emulator_config(gong, start_date=str(start), **overrides)
        first = run_connector(tmp_path, "read", config, activity_catalog(), frozen_at=FROZEN)
        before = expected_records(gong.dataset, start, TODAY, "day")
        gong.advance()
        second = run_connector(
            tmp_path, "read", config, activity_catalog(), state=_state_message(first.states[-1]), frozen_at=FROZEN
        )
        after = expected_records(gong.dataset, start, TODAY, "day")
    grown = {record_id for record_id in after if after[record_id] != before[record_id]}
    assert grown and {after[record_id]["start_date"] for record_id in grown} == GROWN_DAYS, (
        "the late counts must fall on each of the growing days, so that the test can tell"
    )
    return first, second, before, after


def test_given_late_counts_within_the_default_lookback_when_synced_again_then_the_same_ids_carry_them(
    tmp_path,
) -> None:
    first, second, before, after = _sync_then_late_counts_then_sync(tmp_path)

    assert _ok(first) and _ok(second)
    assert by_id(first.records) == before
    assert by_id(second.records) == {
        key: record for key, record in after.items() if record["start_date"] >= LOOKBACK_START
    }
    assert by_id(first.records + second.records) == after  # the destination's rows after dedup: every late count
    assert first.states[-1] == second.states[-1] == _state(LOOKBACK_START)


def test_given_late_counts_and_no_lookback_when_synced_again_then_they_are_missed(tmp_path) -> None:
    first, second, before, after = _sync_then_late_counts_then_sync(tmp_path, lookback_days=0)

    assert _ok(first) and _ok(second) and second.records == []
    assert by_id(first.records + second.records) == before != after
    assert first.states[-1] == second.states[-1] == _state(TODAY)
