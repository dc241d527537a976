"""`workspaces` and `coaching` through the real command line, against the emulator's truth (GET /_emulator/truth):
every record, exactly one call per workspace, manager and period, the company's midnights, refusals and scopes."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
import requests
from airbyte_cdk.models import FailureType, Status, Type

from integration_tests.harness import ConnectorRun, EmulatorProcess, catalog_of, emulator_config, run_connector

# Two months across US/Pacific's change to summer time (2024-03-10), long past.
START, MIDDLE, END = dt.date(2024, 3, 1), dt.date(2024, 4, 1), dt.date(2024, 5, 1)
USERS = 30


def records_of(run: ConnectorRun, stream: str) -> list[dict[str, Any]]:
    return [message.record.data for message in run.of_type(Type.RECORD) if message.record.stream == stream]


def states_of(run: ConnectorRun, stream: str) -> list[dict[str, Any]]:
    states = [m.state.stream for m in run.of_type(Type.STATE) if m.state.stream.stream_descriptor.name == stream]
    return [dict(state.stream_state.__dict__) for state in states]


def midnight(day: dt.date, time_zone: str) -> str:
    """The company's midnight with its offset, worked out here from the zone (not with the connector's code)."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=zoneinfo.ZoneInfo(time_zone)).isoformat()


def managers_of(users: list[dict[str, Any]], user_ids: list[str] | None = None) -> list[str]:
    """Every managerId in the users list, in its order; with user_ids, those users' managers only."""
    found: dict[str, None] = {}
    for user in users:
        if user.get("managerId") and (not user_ids or user["id"] in user_ids):
            found[user["managerId"]] = None
    return list(found)


def expected_coaching(
    gong: EmulatorProcess, periods: list[tuple[dt.date, dt.date]], user_ids: list[str] | None = None
) -> tuple[dict[str, dict[str, Any]], int, list[str]]:
    """The records by id (from the truth endpoint), the number of 200 calls, and the refused managers."""
    time_zone = gong.flags["timezone"]
    workspaces = gong.truth(endpoint="workspaces")
    managers = managers_of(gong.dataset.users(), user_ids)
    records, answered, refused = {}, 0, []
    for start, end in periods:
        for workspace in workspaces:
            for manager in managers:
                params = {"workspace-id": workspace["id"], "manager-id": manager}
                params.update({"from": midnight(start, time_zone), "to": midnight(end, time_zone)})
                try:
                    data = gong.truth(endpoint="coaching", **params)
                except requests.HTTPError:
                    refused.append(manager)
                    continue
                answered += 1
                for item in data:
                    for entry in item["directReportsMetrics"]:
                        report = entry["report"]["id"]
                        if user_ids and report not in user_ids:
                            continue
                        metrics = entry.get("metrics") or {}
                        records[f"{workspace['id']}:{manager}:{report}:{start}"] = {
                            "workspace_id": workspace["id"],
                            "manager": manager,
                            "report": report,
                            "start_date": str(start),
                            "end_date": str(end),
                            "start_time": params["from"],
                            "end_time": params["to"],
                            "metrics": {name: len(ids) for name, ids in metrics.items()},
                            "call_ids": {name: [str(i) for i in ids] for name, ids in metrics.items()},
                            "company_time_zone": time_zone,
                        }
    return records, answered, sorted(set(refused))


def view(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    keys = ("workspace_id", "start_date", "end_date", "start_time", "end_time", "metrics", "call_ids")
    return {
        record["id"]: {
            **{key: record[key] for key in keys},
            "manager": record["manager"]["id"],
            "report": record["report"]["id"],
            "company_time_zone": record["company_time_zone"],
        }
        for record in records
    }


def warnings_of(run: ConnectorRun, words: str) -> list[str]:
    return [m.log.message for m in run.of_type(Type.LOG) if m.log.level.value == "WARN" and words in m.log.message]


@pytest.mark.parametrize("time_zone", ["US/Pacific", "Asia/Tokyo"])
def test_coaching_equals_the_truth_at_one_call_per_workspace_manager_and_month_and_skips_the_deactivated_manager(
    tmp_path, time_zone: str
) -> None:
    with EmulatorProcess(users=USERS, timezone=time_zone) as gong:
        config = emulator_config(gong, start_date=str(START), end_date=str(END))
        run = run_connector(tmp_path, "read", config, catalog_of(["workspaces", "coaching"]))
        calls = gong.stats()["requests"]
        expected, answered, refused = expected_coaching(gong, [(START, MIDDLE), (MIDDLE, END)])
        workspaces = gong.truth(endpoint="workspaces")
        names = {user["id"]: f"{user['firstName']} {user['lastName']}" for user in gong.dataset.users()}

    assert run.exit_code == 0 and not run.errors, [error.message for error in run.errors]
    records = records_of(run, "coaching")
    assert len(records) == len(expected) > 50
    assert view(records) == expected
    assert all(record["manager"]["name"] == names[record["manager"]["id"]] for record in records)
    assert all(record["report"]["name"] == names[record["report"]["id"]] for record in records)
    assert records_of(run, "workspaces") == workspaces
    # One deactivated manager: refused once per workspace (then skipped), with one warning naming them.
    [manager] = refused
    assert calls["GET /v2/coaching"] == {"200": answered, "400": len(workspaces)}
    [warning] = warnings_of(run, "skips manager")
    assert manager in warning and names[manager] in warning and "deactivated" in warning
    assert calls["GET /v2/workspaces"] == {"200": 1} and calls["GET /v2/users"] == {"200": 1}
    # A STATE after each month; the cost line before the first coaching call.
    assert [state["start_time"] for state in states_of(run, "coaching")] == [str(MIDDLE), str(END)]
    managers = len(managers_of(gong.dataset.users()))
    cost = f"plans {len(workspaces) * managers * 2:,} calls, one per workspace, manager and month"
    assert any(cost in message.log.message for message in run.of_type(Type.LOG))


def test_two_incremental_syncs_equal_one_and_user_ids_narrow_managers_and_records(tmp_path) -> None:
    with EmulatorProcess(users=USERS) as gong:
        chosen = [user["id"] for user in gong.dataset.users() if user.get("managerId")][3:6]
        one = run_connector(
            tmp_path, "read", emulator_config(gong, start_date=str(START), end_date=str(END)), catalog_of(["coaching"])
        )
        first = run_connector(
            tmp_path,
            "read",
            emulator_config(gong, start_date=str(START), end_date=str(MIDDLE)),
            catalog_of(["coaching"]),
        )
        state = [
            {
                "type": "STREAM",
                "stream": {"stream_descriptor": {"name": "coaching"}, "stream_state": states_of(first, "coaching")[-1]},
            }
        ]
        gong.reset_stats()
        second = run_connector(
            tmp_path,
            "read",
            emulator_config(gong, start_date=str(START), end_date=str(END)),
            catalog_of(["coaching"]),
            state=state,
        )
        second_calls = gong.count("GET /v2/coaching")
        gong.reset_stats()
        narrow = run_connector(
            tmp_path,
            "read",
            emulator_config(gong, start_date=str(START), end_date=str(MIDDLE), user_ids=chosen),
            catalog_of(["coaching"]),
        )
        narrow_calls = gong.count("GET /v2/coaching")
        expected, answered, refused = expected_coaching(gong, [(START, MIDDLE)], chosen)
        workspaces = len(gong.truth(endpoint="workspaces"))

    assert all(run.exit_code == 0 for run in (one, first, second, narrow))
    both = {**view(records_of(first, "coaching")), **view(records_of(second, "coaching"))}
    assert len(records_of(first, "coaching")) + len(records_of(second, "coaching")) == len(both)
    assert both == view(records_of(one, "coaching"))
    assert second_calls == workspaces * (len(managers_of(gong.dataset.users())) - 1) + workspaces  # one month
    assert view(records_of(narrow, "coaching")) == expected and expected
    assert {record["report"]["id"] for record in records_of(narrow, "coaching")} <= set(chosen)
    assert narrow_calls == answered + len(refused) * workspaces


@pytest.mark.parametrize(
    "flag, scope",
    [
        ("no_coaching_scope", "api:coaching:read"),
        ("no_workspaces_scope", "api:workspaces:read"),
        ("no_users_scope", "api:users:read"),
    ],
)
def test_given_a_key_without_a_coaching_scope_then_check_passes_naming_it_and_coaching_fails_alone(
    tmp_path, flag: str, scope: str
) -> None:
    with EmulatorProcess(users=USERS, **{flag: True}) as gong:
        config = emulator_config(gong, start_date=str(START), end_date=str(MIDDLE))
        check = run_connector(tmp_path, "check", config)
        read = run_connector(tmp_path, "read", config, catalog_of(["activity", "coaching"]))

    [status] = [message.connectionStatus for message in check.of_type(Type.CONNECTION_STATUS)]
    assert status.status == Status.SUCCEEDED and scope in status.message and "'coaching'" in status.message
    assert records_of(read, "activity") and not records_of(read, "coaching")
    assert read.exit_code != 0
    [error] = [error for error in read.errors if error.stream_descriptor is not None]
    assert (error.stream_descriptor.name, error.failure_type) == ("coaching", FailureType.config_error)
    assert scope in error.message and "Traceback" not in read.stdout
