"""Keys without a scope, end to end against the emulator: without `api:stats:user-actions` nothing syncs and both
`check` and `read` name the scope; without `api:users:read` every record still syncs, named by its stats email."""

from __future__ import annotations

import datetime as dt

import pytest
from airbyte_cdk.models import FailureType, Status, Type

from integration_tests.harness import (
    EmulatorProcess,
    activity_catalog,
    by_id,
    emulator_config,
    expected_records,
    run_connector,
)

# Two weekly windows (periods_per_window=7), long past: the users lookup is asked once per sync, not per window.
START, END = dt.date(2024, 3, 4), dt.date(2024, 3, 18)
WINDOW = {"start_date": str(START), "end_date": str(END), "periods_per_window": 7}


@pytest.mark.parametrize(
    "scope_status, says",
    [
        (
            403,
            "Gong refused access: the credentials lack the scope api:stats:user-actions, or the company is served by "
            "another regional host (set 'base_url' to your Gong API host) (HTTP 403: ",
        ),
        (
            401,
            "Gong rejected the credentials for /v2/stats/activity/{endpoint}: they are not valid (check the access key "
            "and secret or the OAuth token, and 'base_url' if the company is served by a regional host), or they lack "
            "the scope api:stats:user-actions (HTTP 401: ",
        ),
    ],
    ids=["answered-403", "answered-401"],
)
def test_given_a_key_without_the_stats_scope_when_check_and_read_then_both_fail_naming_the_scope(
    tmp_path, scope_status: int, says: str
) -> None:
    with EmulatorProcess(no_stats_scope=True, scope_status=scope_status) as gong:
        config = emulator_config(gong, **WINDOW)
        check = run_connector(tmp_path, "check", config)
        read = run_connector(tmp_path, "read", config, activity_catalog())
        answered = gong.stats()["requests"]

    [status] = [message.connectionStatus for message in check.of_type(Type.CONNECTION_STATUS)]
    assert check.exit_code == 0 and status.status == Status.FAILED
    assert status.message.startswith(says.format(endpoint="aggregate")), status.message
    assert read.exit_code != 0 and read.records == [] and read.states == []
    [error] = read.errors
    assert (error.failure_type, error.stream_descriptor.name) == (FailureType.config_error, "activity")
    assert error.message.startswith(says.format(endpoint="aggregate-by-period")), error.message
    # A refused scope is not retried: one refused call for check, one for read.
    assert answered == {
        "POST /v2/stats/activity/aggregate": {str(scope_status): 1},
        "POST /v2/stats/activity/aggregate-by-period": {str(scope_status): 1},
    }
    assert "Traceback" not in check.stdout + read.stdout


@pytest.mark.parametrize("some_users", [False, True], ids=["all-users", "user-ids"])
def test_given_a_key_without_the_users_scope_when_read_then_every_record_syncs_with_its_stats_email_and_no_name(
    tmp_path, some_users: bool
) -> None:
    with EmulatorProcess(no_users_scope=True) as gong:
        user_ids = [user["id"] for user in gong.dataset.users()[:5]] if some_users else None
        config = emulator_config(gong, **WINDOW, user_ids=user_ids)
        run = run_connector(tmp_path, "read", config, activity_catalog())
        truth = expected_records(gong.dataset, START, END, "day", user_ids=user_ids)
        stats_emails = {user["id"]: gong.dataset.email(user["id"]) for user in gong.dataset.users()}
        lookups = gong.count("GET /v2/users")  # the whole list, user_ids or not

    # What the directory would have added (the name, the aliases) is missing; the rest is the truth.
    without_directory = {
        record_id: {
            **record,
            "user": {
                "id": record["user"]["id"],
                "name": None,
                "emails": [{"email": stats_emails[record["user"]["id"]], "is_primary": True}],
            },
        }
        for record_id, record in truth.items()
    }
    assert run.exit_code == 0 and not run.errors
    assert truth and by_id(run.records) == without_directory
    assert run.states[-1] == {"start_time": str(END), "company_time_zone": "US/Pacific"}
    assert lookups == 1, "the refused users lookup is asked once a sync, not retried and not once a window"
    [warning] = [message.log.message for message in run.of_type(Type.LOG) if message.log.level.name == "WARN"]
    assert warning.startswith(
        "The Gong credentials lack the api:users:read scope, so user names and email aliases are not synced: records "
        "carry the email address from the activity statistics and a null name (HTTP 403: "
    ), warning
