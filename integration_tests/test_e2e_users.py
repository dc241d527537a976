"""The `users` stream and zero records for quiet users (`include_quiet_users`), through the real command line against
the emulator's users list: new users (created during the history), deactivated users and users without activity."""

from __future__ import annotations

import datetime as dt
import json
import math
import zoneinfo
from typing import Any

import pytest
from airbyte_cdk.models import FailureType, Status, Type

from integration_tests.harness import (
    REPO,
    EmulatorProcess,
    by_id,
    catalog_of,
    emulator_config,
    expected_records,
    run_connector,
)

START, END = dt.date(2024, 2, 26), dt.date(2024, 4, 8)  # six Monday weeks, long past
# The quiet-user syncs run on a frozen clock, the emulator's today the company's day then: Wednesday 2024-05-15 in
# US/Pacific (12:00), so a sync to today ends in a partial current week and month.
FROZEN, TODAY = dt.datetime(2024, 5, 15, 19, 0, tzinfo=dt.UTC), dt.date(2024, 5, 15)
USERS_PAGES = "GET /v2/users"
# A quiet user's record: the 15 unified counters, written out from ../shared/gong-api.md, each 0.
ZEROS = dict.fromkeys(
    [
        "calls_hosted",
        "calls_attended",
        "calls_listened_own",
        "calls_listened_others",
        "feedback_given",
        "feedback_received",
        "feedback_requested",
        "comments_given",
        "comments_received",
        "calls_shared_internally",
        "calls_shared_externally",
        "scorecards_filled",
        "scorecards_received",
        "calls_marked_feedback_given",
        "calls_marked_feedback_received",
    ],
    0,
)


def users_catalog() -> dict[str, Any]:
    return {
        "streams": [
            {
                "stream": {
                    "name": "users",
                    "json_schema": json.loads((REPO / "source_gong_activity" / "schemas" / "users.json").read_text()),
                    "supported_sync_modes": ["full_refresh"],
                    "source_defined_primary_key": [["id"]],
                },
                "sync_mode": "full_refresh",
                "destination_sync_mode": "overwrite",
                "primary_key": [["id"]],
            }
        ]
    }


def with_activity(catalog: dict[str, Any]) -> dict[str, Any]:
    return {"streams": catalog["streams"] + catalog_of(["activity"])["streams"]}


def records_of(run, stream: str) -> list[dict[str, Any]]:
    return [m.record.data for m in run.of_type(Type.RECORD) if m.record.stream == stream]


def expected_user(user: dict[str, Any]) -> dict[str, Any]:
    """A users record from Gong's user, written out field by field from the docs (not the connector's mapping)."""
    emails = [{"email": user["emailAddress"], "is_primary": True}]
    emails += [{"email": alias, "is_primary": False} for alias in user["emailAliases"]]
    return {
        "id": user["id"],
        "name": f"{user['firstName']} {user['lastName']}",
        "first_name": user["firstName"],
        "last_name": user["lastName"],
        "emails": emails,
        "title": user["title"],
        "manager_id": user["managerId"],
        "active": user["active"],
        "created": user["created"],
        "spoken_languages": [{"language": s["language"], "primary": s["primary"]} for s in user["spokenLanguages"]],
    }


def test_the_users_stream_equals_gong_s_users_list_with_no_phone_number_anywhere(tmp_path) -> None:
    with EmulatorProcess() as gong:
        run = run_connector(tmp_path, "read", emulator_config(gong), users_catalog())
        users = gong.dataset.users()

    assert run.exit_code == 0, run.stderr[-2000:]
    assert {record["id"]: record for record in records_of(run, "users")} == {
        user["id"]: expected_user(user) for user in users
    }
    assert any(user["managerId"] for user in users) and any(not user["active"] for user in users)
    for user in users:
        assert user["phoneNumber"] not in run.stdout and user["phoneNumber"] not in run.stderr
    assert "phone" not in run.stdout.lower()


def test_a_sync_of_users_and_activity_makes_one_users_call_series(tmp_path) -> None:
    with EmulatorProcess() as gong:
        config = emulator_config(gong, start_date=str(START), end_date=str(END), aggregation_period="week")
        run = run_connector(tmp_path, "read", config, with_activity(users_catalog()))
        users_calls = gong.count(USERS_PAGES)
        users = len(gong.dataset.users())

    assert run.exit_code == 0, run.stderr[-2000:]
    assert users_calls == math.ceil(users / 100) == 3
    assert len(records_of(run, "users")) == users and records_of(run, "activity")


def _created_day(user: dict[str, Any], zone: str) -> dt.date:
    return dt.datetime.fromisoformat(user["created"]).astimezone(zoneinfo.ZoneInfo(zone)).date()


def expected_zero_ids(
    gong: EmulatorProcess, period: str, start: dt.date, end: dt.date, user_ids: list[str] | None = None
) -> set[str]:
    """Every (user, period) of [start, end) an active user created before the period's end has no Gong record for,
    computed here from the emulator's users and truth."""
    dataset = gong.dataset
    gong_period = None if period == "total" else period.upper()
    periods = [(start, end)] if period == "total" else dataset.periods(start, end, gong_period)
    with_activity = {(item["userId"], item["fromDate"]) for item in dataset.expected(start, end, gong_period, user_ids)}
    expected = set()
    for user in dataset.users():
        if not user["active"] or (user_ids and user["id"] not in user_ids):
            continue
        for first, last in periods:
            if _created_day(user, dataset.timezone) < last and (user["id"], first) not in with_activity:
                expected.add(
                    f"{user['id']}:total:{first}:{last}" if period == "total" else f"{user['id']}:{period}:{first}"
                )
    return expected


@pytest.mark.parametrize(
    "period, start, end, user_ids, partial",
    [
        pytest.param("day", START, END, None, [], id="days"),
        pytest.param("week", START, END, None, [], id="monday-weeks"),
        pytest.param("total", START, END, None, [], id="total"),
        pytest.param("week", START, END, "some", [], id="monday-weeks-of-some-users"),
        # To today (no end_date): the current week is partial, Monday 2024-05-13 to the Wednesday.
        pytest.param("week", dt.date(2024, 4, 1), None, None, ["2024-05-13"], id="weeks-to-the-current-one"),
        # From a Wednesday to a Wednesday: the first and last weeks are partial.
        pytest.param(
            "week", dt.date(2024, 2, 28), dt.date(2024, 3, 27), None, ["2024-02-28", "2024-03-25"], id="partial-weeks"
        ),
        # From mid-January to today: the first month is partial, and so is the current one.
        pytest.param(
            "month", dt.date(2024, 1, 15), None, None, ["2024-01-15", "2024-05-01"], id="months-to-the-current-one"
        ),
    ],
)
def test_given_include_quiet_users_then_gong_s_records_are_unchanged_and_every_quiet_user_has_zeros(
    tmp_path, period: str, start: dt.date, end: dt.date | None, user_ids: str | None, partial: list[str]
) -> None:
    last = end or TODAY
    with EmulatorProcess(today=TODAY) as gong:
        users = gong.dataset.users()
        # Some users: a new one, a deactivated one, a busy one and a quiet one.
        chosen = None
        if user_ids:
            new = next(u["id"] for u in users if start < _created_day(u, gong.dataset.timezone) < last and u["active"])
            gone = next(u["id"] for u in users if not u["active"])
            chosen = [new, gone, *[u["id"] for u in users[:6]]]
        window = {
            "start_date": str(start),
            "end_date": end and str(end),
            "aggregation_period": period,
            "user_ids": chosen,
        }
        plain = run_connector(
            tmp_path, "read", emulator_config(gong, **window), catalog_of(["activity"]), frozen_at=FROZEN
        )
        plain_calls = gong.stats()["total_api_requests"]
        gong.reset_stats()
        filled = run_connector(
            tmp_path,
            "read",
            emulator_config(gong, include_quiet_users=True, **window),
            catalog_of(["activity"]),
            frozen_at=FROZEN,
        )
        filled_calls = gong.stats()["total_api_requests"]
        truth = expected_records(gong.dataset, start, last, period, chosen)
        zero_ids = expected_zero_ids(gong, period, start, last, chosen)

    assert plain.exit_code == 0 and filled.exit_code == 0, filled.stderr[-2000:]
    gong_records = [r for r in filled.records if not r["zero_filled"]]
    zero_records = [r for r in filled.records if r["zero_filled"]]
    assert by_id(gong_records) == truth == by_id(plain.records)
    assert {r["zero_filled"] for r in plain.records} == {False}
    assert {r["id"] for r in zero_records} == zero_ids and len(zero_records) == len(zero_ids)
    assert {json.dumps(r["metrics"], sort_keys=True) for r in zero_records} == {json.dumps(ZEROS, sort_keys=True)}
    assert filled_calls <= plain_calls
    # The partial periods (clipped to the sync's days, as Gong clips them) have their zeros too.
    assert set(partial) <= {r["start_date"] for r in zero_records}, partial
    # A user created during the sync's days has zeros from the period they joined in, not before.
    new_users = {u["id"] for u in users if start < _created_day(u, gong.dataset.timezone) < last and u["active"]}
    assert {r["user"]["id"] for r in zero_records} & new_users, "no new user was tested"


def test_without_the_users_scope_the_option_fails_check_and_activity_and_the_users_stream_fails_alone(tmp_path) -> None:
    with EmulatorProcess(no_users_scope=True) as gong:
        window = {"start_date": str(START), "end_date": str(END), "aggregation_period": "week"}
        check = run_connector(tmp_path, "check", emulator_config(gong, include_quiet_users=True, **window))
        check_plain = run_connector(tmp_path, "check", emulator_config(gong, **window))
        filled = run_connector(
            tmp_path, "read", emulator_config(gong, include_quiet_users=True, **window), catalog_of(["activity"])
        )
        plain = run_connector(tmp_path, "read", emulator_config(gong, **window), with_activity(users_catalog()))

    [status] = check.of_type(Type.CONNECTION_STATUS)
    assert status.connectionStatus.status == Status.FAILED
    assert status.connectionStatus.message.startswith(
        "The option 'include_quiet_users' needs Gong's users list, and Gong refused it: grant the key the scope "
        "api:users:read or turn the option off (HTTP 403: "
    )
    [plain_status] = check_plain.of_type(Type.CONNECTION_STATUS)
    assert plain_status.connectionStatus.status == Status.SUCCEEDED
    assert "The stream 'users' cannot be synced" in plain_status.connectionStatus.message

    [error] = filled.errors
    assert (error.stream_descriptor.name, error.failure_type) == ("activity", FailureType.config_error)
    assert error.message.startswith(
        "The option 'include_quiet_users' needs Gong's users list, and Gong refused it: the credentials lack the "
        "scope api:users:read"
    )

    [users_error] = [e for e in plain.errors if e.stream_descriptor and e.stream_descriptor.name == "users"]
    assert users_error.failure_type == FailureType.config_error and "api:users:read" in users_error.message
    assert records_of(plain, "activity") and not records_of(plain, "users")
