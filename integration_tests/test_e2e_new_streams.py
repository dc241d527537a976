"""`activity_calls` and `interaction_stats` through the real command line, against the emulator's ground truth."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from airbyte_cdk.models import FailureType, Type

from integration_tests.harness import (
    GONG_TO_UNIFIED,
    ConnectorRun,
    EmulatorProcess,
    by_id,
    catalog_of,
    emulator_config,
    expected_records,
    run_connector,
)

START, MIDDLE, END = dt.date(2024, 3, 1), dt.date(2024, 4, 10), dt.date(2024, 6, 10)  # a Friday; 101 days
UNIFIED_STAT = {  # Gong's stat names as the docs name the metrics, written out again
    "Talk Ratio": "talk_ratio",
    "Longest Monologue": "longest_monologue",
    "Longest Customer Story": "longest_customer_story",
    "Interactivity": "interactivity",
    "Patience": "patience",
    "Question Rate": "question_rate",
}


def records_of(run: ConnectorRun, stream: str) -> list[dict[str, Any]]:
    return [m.record.data for m in run.of_type(Type.RECORD) if m.record.stream == stream]


def last_state_of(run: ConnectorRun, stream: str) -> dict[str, Any]:
    states = [m.state.stream for m in run.of_type(Type.STATE) if m.state.stream.stream_descriptor.name == stream]
    return dict(states[-1].stream_state.__dict__)


def state_messages(states: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"type": "STREAM", "stream": {"stream_descriptor": {"name": name}, "stream_state": state}}
        for name, state in states.items()
    ]


def two_weeks_at_a_time(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """activity_calls' windows, as its docs state them: 14 days each from the first day read, the last clipped."""
    return [(day, min(day + dt.timedelta(days=14), end)) for day in _days(start, end, step=14)]


def _days(start: dt.date, end: dt.date, step: int) -> list[dt.date]:
    return [start + dt.timedelta(days=n) for n in range(0, (end - start).days, step)]


def expected_call_ids(emulator: EmulatorProcess, start: dt.date, end: dt.date) -> dict[str, dict[str, Any]]:
    """By record id, the call id lists the emulator serves for each user and day of each window.

    Gong lists, for every day of a window, each user with activity somewhere in that window: the windows matter.
    """
    expected = {}
    for first, last in two_weeks_at_a_time(start, end):
        for user_id, days in emulator.dataset.expected_day_by_day(first, last).items():
            for day in days:
                lists = {GONG_TO_UNIFIED[name]: day[name] for name in GONG_TO_UNIFIED}
                record_id = f"{user_id}:day:{day['fromDate'][:10]}"
                expected[record_id] = {"call_ids": lists, "start_date": day["fromDate"][:10]}
    return expected


def period_starts(start: dt.date, end: dt.date, period: str) -> list[tuple[dt.date, dt.date]]:
    """The periods of [start, end): Monday weeks or calendar months, the first clipped to start (computed here)."""
    periods, day = [], start
    while day < end:
        if period == "week":
            following = day + dt.timedelta(days=7 - day.weekday())
        elif period == "month":
            following = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        else:
            following = end
        periods.append((day, min(following, end)))
        day = min(following, end)
    return periods


def expected_interaction(emulator: EmulatorProcess, start: dt.date, end: dt.date, period: str) -> dict[str, Any]:
    expected = {}
    for first, last in period_starts(start, end, period):
        for user_id, stats in emulator.dataset.expected_interaction(first, last).items():
            metrics = dict.fromkeys(UNIFIED_STAT.values())
            metrics.update({UNIFIED_STAT[stat["name"]]: stat["value"] for stat in stats})
            suffix = f"total:{first}:{last}" if period == "total" else f"{period}:{first}"
            expected[f"{user_id}:{suffix}"] = {"metrics": metrics, "start_date": str(first), "end_date": str(last)}
    return expected


def calls_view(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["id"]: {"call_ids": r["call_ids"], "start_date": r["start_date"]} for r in records}


def interaction_view(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["id"]: {k: r[k] for k in ("metrics", "start_date", "end_date")} for r in records}


def test_activity_calls_equal_the_emulator_truth_and_each_list_is_as_long_as_its_activity_counter(
    emulator: EmulatorProcess, tmp_path
) -> None:
    config = emulator_config(emulator, start_date=str(START), end_date=str(END))
    emulator.reset_stats()
    run = run_connector(tmp_path, "read", config, catalog_of(["activity", "activity_calls"]))

    assert run.exit_code == 0 and not run.errors
    calls = records_of(run, "activity_calls")
    assert calls_view(calls) == expected_call_ids(emulator, START, END)
    activity = {record["id"]: record for record in records_of(run, "activity")}
    assert by_id(activity.values()) == expected_records(emulator.dataset, START, END, "day")
    nothing = dict.fromkeys(GONG_TO_UNIFIED.values(), 0)
    for record in calls:
        # The same id, one to one; a quiet day may be listed by only one stream (Gong lists the users active in
        # each stream's window, and the two streams' windows differ), and then it counts nothing.
        counters = activity[record["id"]]["metrics"] if record["id"] in activity else nothing
        assert {name: len(ids) for name, ids in record["call_ids"].items()} == counters
        assert record["id"] not in activity or record["user"] == activity[record["id"]]["user"]
    assert sum(record["id"] in activity for record in calls) > 0.9 * len(calls)
    # One call series per two-week window, a page per 100 users active in it: never one call series per day.
    pages = [len(emulator.dataset.active_user_ids(a, b)) for a, b in two_weeks_at_a_time(START, END)]
    assert emulator.count("POST /v2/stats/activity/day-by-day") == sum(max(1, -(-n // 100)) for n in pages)
    # Both streams in one catalog share one users lookup: 250 users, three pages, once.
    assert emulator.count("GET /v2/users") == 3


def test_two_incremental_syncs_of_activity_calls_equal_one(emulator: EmulatorProcess, tmp_path) -> None:
    config = emulator_config(emulator, start_date=str(START), lookback_days=0)
    first = run_connector(tmp_path, "read", {**config, "end_date": str(MIDDLE)}, catalog_of(["activity_calls"]))
    state = state_messages({"activity_calls": last_state_of(first, "activity_calls")})
    second = run_connector(tmp_path, "read", {**config, "end_date": str(END)}, catalog_of(["activity_calls"]), state)

    assert first.exit_code == second.exit_code == 0
    assert last_state_of(first, "activity_calls")["start_time"] == str(MIDDLE)
    merged = calls_view(records_of(first, "activity_calls") + records_of(second, "activity_calls"))
    assert merged == {**expected_call_ids(emulator, START, MIDDLE), **expected_call_ids(emulator, MIDDLE, END)}


@pytest.mark.parametrize("period", ["week", "month", "total"])
def test_interaction_stats_equal_the_emulator_truth(emulator: EmulatorProcess, tmp_path, period: str) -> None:
    config = emulator_config(emulator, start_date=str(START), end_date=str(END), interaction_period=period)
    run = run_connector(tmp_path, "read", config, catalog_of(["interaction_stats"]))

    assert run.exit_code == 0 and not run.errors
    records = records_of(run, "interaction_stats")
    assert interaction_view(records) == expected_interaction(emulator, START, END, period)
    assert any(record["metrics"]["longest_customer_story"] is None for record in records)  # a stat some users lack
    assert {record["aggregation_period"] for record in records} == {period}
    # The cost, said before the first call: one window per period.
    [plan] = [log for log in _logs(run) if log.startswith("Stream 'interaction_stats' plans")]
    assert re.match(rf"Stream 'interaction_stats' plans {len(period_starts(START, END, period))} window\(s\)", plan)


def test_two_incremental_syncs_of_interaction_stats_equal_one(emulator: EmulatorProcess, tmp_path) -> None:
    config = emulator_config(emulator, start_date=str(START), lookback_days=0, interaction_period="week")
    middle = dt.date(2024, 4, 8)  # a Monday: the first sync ends on a week boundary
    first = run_connector(tmp_path, "read", {**config, "end_date": str(middle)}, catalog_of(["interaction_stats"]))
    state = state_messages({"interaction_stats": last_state_of(first, "interaction_stats")})
    second = run_connector(tmp_path, "read", {**config, "end_date": str(END)}, catalog_of(["interaction_stats"]), state)

    assert first.exit_code == second.exit_code == 0
    merged = interaction_view(records_of(first, "interaction_stats") + records_of(second, "interaction_stats"))
    assert merged == expected_interaction(emulator, START, END, "week")
    # One STATE per period: the first sync checkpointed after each of its weeks.
    assert len([m for m in first.of_type(Type.STATE)]) == len(period_starts(START, middle, "week"))


def test_a_stat_gong_adds_later_appears_under_the_naming_rule(tmp_path) -> None:
    with EmulatorProcess(extra_interaction_stat="Filler Words") as emulator:
        config = emulator_config(emulator, start_date=str(START), end_date=str(MIDDLE), interaction_period="total")
        run = run_connector(tmp_path, "read", config, catalog_of(["interaction_stats"]))
    assert run.exit_code == 0 and not run.errors
    with_extra = [r for r in records_of(run, "interaction_stats") if "filler_words" in r["metrics"]]
    assert with_extra and all(isinstance(r["metrics"]["filler_words"], int | float) for r in with_extra)


@pytest.mark.parametrize(
    "flag, stream, scope",
    [
        ("no_detailed_scope", "activity_calls", "api:stats:user-actions:detailed"),
        ("no_interaction_scope", "interaction_stats", "api:stats:interaction"),
    ],
)
def test_given_a_key_without_an_optional_scope_then_check_passes_naming_it_and_read_syncs_the_rest(
    tmp_path, flag: str, stream: str, scope: str
) -> None:
    with EmulatorProcess(**{flag: True}) as emulator:
        config = emulator_config(emulator, start_date=str(START), end_date=str(MIDDLE))
        check = run_connector(tmp_path, "check", config)
        read = run_connector(tmp_path, "read", config, catalog_of(["activity", stream]))
        truth = expected_records(emulator.dataset, START, MIDDLE, "day")

    [status] = check.of_type(Type.CONNECTION_STATUS)
    assert check.exit_code == 0 and status.connectionStatus.status.value == "SUCCEEDED"
    assert (
        f"'{stream}' cannot be synced" in status.connectionStatus.message and scope in status.connectionStatus.message
    )
    assert by_id(records_of(read, "activity")) == truth and records_of(read, stream) == []
    [error] = read.errors
    assert error.failure_type == FailureType.config_error and scope in error.message
    assert read.exit_code != 0 and "Traceback" not in read.stdout + read.stderr


def _logs(run: ConnectorRun) -> list[str]:
    return [message.log.message for message in run.of_type(Type.LOG)]
