"""The shapes Gong's published contract allows, through the real command line against the emulator serving them on
purpose: answers that do not name the zone, instants in UTC with Z, counters left out, call ids as JSON numbers,
404s in other words, and a missing scope answered 401."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
from airbyte_cdk.models import FailureType, Status, Type

from integration_tests.harness import (
    GONG_TO_UNIFIED,
    EmulatorProcess,
    activity_catalog,
    by_id,
    catalog_of,
    emulator_config,
    expected_records,
    run_connector,
)

# Three weeks across the US spring DST change (2024-03-10), long past: no company midnight during a run moves them.
START, END = dt.date(2024, 2, 26), dt.date(2024, 3, 18)
AGGREGATE = "POST /v2/stats/activity/aggregate"


def small_emulator(**flags: Any) -> EmulatorProcess:
    return EmulatorProcess(**{"users": 60, **flags})


def window(**overrides: Any) -> dict[str, Any]:
    return {"start_date": str(START), "end_date": str(END), "lookback_days": 0, **overrides}


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "US/Pacific"])
@pytest.mark.parametrize(
    "shape, period",
    [({}, "day"), ({"utc_times": True}, "day"), ({"utc_times": True}, "week"), ({"omit_zeros": True}, "day")],
    ids=["offsets-day", "utc-day", "utc-week", "omitted-zeros-day"],
)
def test_given_each_shape_when_activity_is_read_then_records_equal_the_truth_and_each_carries_the_zone(
    tmp_path, zone: str, shape: dict[str, Any], period: str
) -> None:
    with small_emulator(timezone=zone, **shape) as gong:
        run = run_connector(
            tmp_path, "read", emulator_config(gong, aggregation_period=period, **window()), activity_catalog()
        )
        zone_calls = gong.count(AGGREGATE)

    assert run.exit_code == 0, run.stderr[-2000:]
    assert by_id(run.records) == expected_records(gong.dataset, START, END, period)
    assert {record["company_time_zone"] for record in run.records} == {zone}
    # The zone costs one call per sync: aggregate-by-period never names it.
    assert zone_calls == 1
    assert run.states[-1] == {"start_time": str(END), "company_time_zone": zone}


def test_given_omitted_zeros_then_a_counter_gong_left_out_is_null_and_gong_s_raw_item_shows_it_missing(
    tmp_path,
) -> None:
    with small_emulator(omit_zeros=True) as gong:
        run = run_connector(tmp_path, "read", emulator_config(gong, **window()), activity_catalog())

    nulls = [(record, name) for record in run.records for name, value in record["metrics"].items() if value is None]
    assert nulls, "the emulator left out no zero counter: the test proves nothing"
    reverse = {unified: gong_name for gong_name, unified in GONG_TO_UNIFIED.items()}
    assert all(reverse[name] not in record["remote_data"] for record, name in nulls)
    assert 0 not in {value for record in run.records for value in record["metrics"].values()}


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "US/Pacific"])
def test_given_call_ids_as_json_numbers_and_utc_times_when_activity_calls_is_read_then_ids_are_exact_strings(
    tmp_path, zone: str
) -> None:
    """A sync of activity_calls alone: day-by-day names no zone, yet every record carries it."""
    with small_emulator(timezone=zone, numeric_call_ids=True, utc_times=True) as gong:
        run = run_connector(tmp_path, "read", emulator_config(gong, **window()), catalog_of(["activity_calls"]))
        truth = gong.truth(fromDate=str(START), toDate=str(END), endpoint="day-by-day")

    assert run.exit_code == 0, run.stderr[-2000:]
    expected = {}
    for user_id, days in truth.items():
        for day in days:
            # The company's day of the UTC instant, computed here from the zone.
            instant = dt.datetime.fromisoformat(day["fromDate"])
            local_day = instant.astimezone(zoneinfo.ZoneInfo(zone)).date().isoformat()
            lists = {unified: [str(call_id) for call_id in day[gong]] for gong, unified in GONG_TO_UNIFIED.items()}
            expected[f"{user_id}:day:{local_day}"] = (local_day, lists, zone)
    got = {r["id"]: (r["start_date"], r["call_ids"], r["company_time_zone"]) for r in run.records}
    assert got == expected
    big = [
        call_id
        for lists in truth.values()
        for day in lists
        for ids in day.values()
        if isinstance(ids, list)
        for call_id in ids
        if isinstance(call_id, int) and call_id >= 2**64
    ]
    assert big, "the emulator served no id above 2**64: the test proves nothing"
    emitted = {call_id for r in run.records for ids in r["call_ids"].values() for call_id in ids}
    assert {str(call_id) for call_id in big} <= emitted


def test_given_404s_in_other_words_when_a_quiet_window_is_read_then_it_is_empty_not_a_failure(tmp_path) -> None:
    # A weekend of a company of three users: nobody has interaction stats, Gong says only "An error has occurred".
    start, end = "2024-03-09", "2024-03-11"
    with small_emulator(users=3, not_found_message="An error has occurred") as gong:
        config = emulator_config(gong, interaction_period="week", **window(start_date=start, end_date=end))
        run = run_connector(tmp_path, "read", config, catalog_of(["activity", "interaction_stats"]))
        interaction = gong.stats()["requests"].get("POST /v2/stats/interaction", {})
        truth = gong.truth(fromDate=start, toDate=end, endpoint="interaction")

    assert run.exit_code == 0 and not run.errors, run.stderr[-2000:]
    # Each interaction call of the window was answered with the terse 404, and nobody had stats to give.
    assert truth == {} and interaction == {"404": 1}, interaction
    streams = [m.record.stream for m in run.of_type(Type.RECORD)]
    assert "interaction_stats" not in streams
    interaction_states = [
        dict(m.state.stream.stream_state.__dict__)
        for m in run.of_type(Type.STATE)
        if m.state.stream.stream_descriptor.name == "interaction_stats"
    ]
    assert interaction_states[-1]["start_time"] == end


def _failed_streams(run) -> dict[str, Any]:
    return {error.stream_descriptor.name: error for error in run.errors if error.stream_descriptor}


@pytest.mark.parametrize(
    "flag, stream, scope",
    [
        ("no_interaction_scope", "interaction_stats", "api:stats:interaction"),
        ("no_detailed_scope", "activity_calls", "api:stats:user-actions:detailed"),
    ],
)
def test_given_a_missing_scope_answered_401_when_read_then_that_stream_alone_fails_naming_the_scope(
    tmp_path, flag: str, stream: str, scope: str
) -> None:
    with small_emulator(scope_status=401, **{flag: True}) as gong:
        config = emulator_config(gong, **window())
        check = run_connector(tmp_path, "check", config)
        run = run_connector(tmp_path, "read", config, catalog_of(["activity", stream]))
        truth = expected_records(gong.dataset, START, END, "day")

    [status] = check.of_type(Type.CONNECTION_STATUS)
    assert status.connectionStatus.status == Status.SUCCEEDED
    assert f"The stream '{stream}' cannot be synced" in status.connectionStatus.message
    assert scope in status.connectionStatus.message
    failed = _failed_streams(run)
    assert list(failed) == [stream] and failed[stream].failure_type == FailureType.config_error
    assert (
        "they are not valid" in failed[stream].message and f"or they lack the scope {scope} (" in failed[stream].message
    )
    assert by_id(r for r in run.records if r["id"].split(":")[1] == "day" and "call_ids" not in r) == truth


def test_given_no_users_scope_answered_401_by_the_users_list_when_read_then_records_carry_no_names(tmp_path) -> None:
    # GET /v2/users documents a 403 for a missing scope; Gong answers 401 on most endpoints for it: so does this one.
    with small_emulator(fail_path="/v2/users", fail_status=401) as gong:
        user_ids = [user["id"] for user in gong.dataset.users()[:5]]
        run = run_connector(tmp_path, "read", emulator_config(gong, user_ids=user_ids, **window()), activity_catalog())
        # With user_ids too, the lookup is the whole list (GET /v2/users): a filter never makes records less complete.
        refused = gong.count("GET /v2/users", 401)

    assert run.exit_code == 0 and not run.errors, run.stderr[-2000:]
    assert refused == 1
    assert run.records and {record["user"]["name"] for record in run.records} == {None}
    warnings = [m.log.message for m in run.of_type(Type.LOG) if m.log.level.name == "WARN"]
    [warning] = [message for message in warnings if "api:users:read" in message]
    assert warning.startswith(
        "The Gong credentials lack the api:users:read scope, so user names and email aliases are not synced: records "
        "carry the email address from the activity statistics and a null name (HTTP 401: "
    )
