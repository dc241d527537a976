"""spec, check, discover and read through the real command line against the Gong emulator."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest
from airbyte_cdk.models import Status, Type

from integration_tests.harness import (
    REPO,
    SCHEMA,
    EmulatorProcess,
    activity_catalog,
    by_id,
    emulator_config,
    expected_records,
    run_connector,
)

# 50 days across the January/February month boundary, 250 users: three pages of active users per call series.
START, END = dt.date(2024, 1, 20), dt.date(2024, 3, 10)


def test_spec_prints_the_spec_file(tmp_path) -> None:
    run = run_connector(tmp_path, "spec")
    [spec] = run.of_type(Type.SPEC)
    assert run.exit_code == 0
    assert (
        spec.spec.connectionSpecification
        == json.loads((REPO / "source_gong_activity" / "spec.json").read_text())["connectionSpecification"]
    )


def test_check_with_a_good_key_succeeds(emulator: EmulatorProcess, tmp_path) -> None:
    run = run_connector(tmp_path, "check", emulator_config(emulator))
    [status] = run.of_type(Type.CONNECTION_STATUS)
    assert run.exit_code == 0 and status.connectionStatus.status == Status.SUCCEEDED


def test_check_with_a_wrong_key_fails_saying_the_credentials_were_rejected(emulator: EmulatorProcess, tmp_path) -> None:
    config = emulator_config(
        emulator,
        credentials={
            "auth_type": "access_key",
            "access_key": "wrong-key-123456",
            "access_key_secret": "wrong-secret-123456",
        },
    )
    run = run_connector(tmp_path, "check", config)
    [status] = run.of_type(Type.CONNECTION_STATUS)
    assert status.connectionStatus.status == Status.FAILED
    assert (
        "rejected the credentials" in status.connectionStatus.message and "requestId" in status.connectionStatus.message
    )


def test_check_on_the_wrong_regional_host_fails_pointing_at_base_url(tmp_path) -> None:
    with EmulatorProcess(regional_host="localhost") as regional:
        run = run_connector(tmp_path, "check", emulator_config(regional))
    [status] = run.of_type(Type.CONNECTION_STATUS)
    assert status.connectionStatus.status == Status.FAILED
    assert "'base_url'" in status.connectionStatus.message


def test_discover_lists_the_stats_streams_and_users(emulator: EmulatorProcess, tmp_path) -> None:
    run = run_connector(tmp_path, "discover", emulator_config(emulator))
    [catalog] = run.of_type(Type.CATALOG)
    assert [
        (stream.name, stream.source_defined_primary_key, stream.default_cursor_field)
        for stream in catalog.catalog.streams
    ] == [
        ("activity", [["id"]], ["start_time"]),
        ("activity_calls", [["id"]], ["start_time"]),
        ("interaction_stats", [["id"]], ["start_time"]),
        ("answered_scorecards", [["id"]], ["review_time"]),
        ("coaching", [["id"]], ["start_time"]),
        ("users", [["id"]], None),
        ("scorecards", [["id"]], None),
        ("workspaces", [["id"]], None),
    ]


@pytest.mark.parametrize("period", ["day", "week", "month", "quarter", "year", "total"])
def test_read_every_granularity_equals_the_ground_truth(emulator: EmulatorProcess, tmp_path, period: str) -> None:
    emulator.reset_stats()
    run = run_connector(
        tmp_path,
        "read",
        emulator_config(emulator, aggregation_period=period, start_date=str(START), end_date=str(END)),
        activity_catalog(),
    )

    assert run.exit_code == 0 and not run.errors
    ids = [record["id"] for record in run.records]
    assert len(ids) == len(set(ids)), "a record was emitted twice"
    assert by_id(run.records) == expected_records(emulator.dataset, START, END, period)
    for record in run.records[:50]:
        jsonschema.validate(record, SCHEMA)
    assert run.states[-1]["start_time"] == str(END)
    # Records reach stdout in batches: the counts the platform checks are still counts of records.
    state_counts = [message.state.sourceStats.recordCount for message in run.of_type(Type.STATE)]
    assert sum(state_counts) == len(ids)
    assert f"Read {len(ids)} records from activity stream" in [message.log.message for message in run.of_type(Type.LOG)]
    # At least three pages per call series: the paging was really exercised.
    path = "POST /v2/stats/activity/aggregate" + ("" if period == "total" else "-by-period")
    assert emulator.count(path, 200) >= 3


def test_a_quiet_window_answered_404_is_a_successful_sync_with_no_records(tmp_path) -> None:
    with EmulatorProcess(history_start="2025-01-01") as quiet:
        run = run_connector(
            tmp_path, "read", emulator_config(quiet, start_date="2024-06-01", end_date="2024-06-08"), activity_catalog()
        )
        assert quiet.count("POST /v2/stats/activity/aggregate-by-period", 404) == 1
    assert run.exit_code == 0 and run.records == [] and not run.errors
    assert run.states[-1]["start_time"] == "2024-06-08"


def test_user_ids_restrict_the_sync_to_those_users(emulator: EmulatorProcess, tmp_path) -> None:
    chosen = [user["id"] for user in emulator.dataset.users()[:3]]
    run = run_connector(
        tmp_path,
        "read",
        emulator_config(emulator, user_ids=chosen, start_date=str(START), end_date=str(END), aggregation_period="week"),
        activity_catalog(),
    )
    assert by_id(run.records) == expected_records(emulator.dataset, START, END, "week", user_ids=chosen)


def test_a_connector_stopped_and_continued_while_writing_loses_no_record(tmp_path) -> None:
    """SIGSTOP/SIGCONT every 20 ms (what a profiler's ptrace or a container freeze does) with stdout on a pipe."""
    from integration_tests.harness import CONNECTOR, parse_message, run_stopped_and_continued

    with EmulatorProcess(users=1000, history_start="2024-01-01") as gong:
        (tmp_path / "config.json").write_text(
            json.dumps(emulator_config(gong, start_date="2024-01-01", end_date="2024-05-01"))
        )
        (tmp_path / "catalog.json").write_text(json.dumps(activity_catalog()))
        command = [
            CONNECTOR,
            "read",
            "--config",
            str(tmp_path / "config.json"),
            "--catalog",
            str(tmp_path / "catalog.json"),
        ]
        exit_code = run_stopped_and_continued(command, tmp_path / "stdout.txt")
        messages = [parse_message(line) for line in (tmp_path / "stdout.txt").read_text().splitlines()]
        records = [m.record.data for m in messages if m.type == Type.RECORD]
        expected = expected_records(gong.dataset, dt.date(2024, 1, 1), dt.date(2024, 5, 1), "day")
    assert exit_code == 0
    assert len(records) == len(expected) and by_id(records) == expected
