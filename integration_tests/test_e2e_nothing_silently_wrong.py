"""A sync writes right records or fails in words (#28): the four paths that once ended with exit 0 and wrong or
missing data, through the real command line against the emulator, each compared with the emulator's truth."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path
from typing import Any

import pytest
from airbyte_cdk.models import OrchestratorType, Type

from integration_tests.harness import (
    GONG_TO_UNIFIED,
    ConnectorRun,
    EmulatorProcess,
    by_id,
    catalog_of,
    emulator_config,
    expected_records,
    on_one_company_day,
    run_connector,
)

AGGREGATE = "/v2/stats/activity/aggregate"  # the one call that names the company's zone, and the dates-only probe
TOKEN_PATH = "POST /oauth2/generate-customer-token"
TOKYO = "Asia/Tokyo"
# One window of activity_calls (14 days) and of activity, in the past: no call asks about the company's today.
START, END = dt.date(2024, 3, 4), dt.date(2024, 3, 18)
SAVED = {"start_time": str(START)}  # a state without the zone: this sync has to ask Gong for it
CLIENT_ID, CLIENT_SECRET = "gong-app-8d2f4a6c1e9b7305", "Pq7Wm3Zx9Kt2Lv8Rb4Nc6Hy1Jd5Gs0"
REFRESH_TOKEN = "rt-Hk4Zq9Lm2Xv7Nb3Tc8Wp1Ry6Jd0Fs5"


def records_of(run: ConnectorRun, stream: str) -> list[dict[str, Any]]:
    return [m.record.data for m in run.of_type(Type.RECORD) if m.record.stream == stream]


def states_of(run: ConnectorRun, stream: str) -> list[dict[str, Any]]:
    states = [m.state.stream for m in run.of_type(Type.STATE) if m.state.stream.stream_descriptor.name == stream]
    return [dict(state.stream_state.__dict__) for state in states]


def state_message(stream: str, state: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"type": "STREAM", "stream": {"stream_descriptor": {"name": stream}, "stream_state": state}}]


def control_messages(run: ConnectorRun) -> list[Any]:
    return [m for m in run.of_type(Type.CONTROL) if m.control.type == OrchestratorType.CONNECTOR_CONFIG]


def warnings_of(run: ConnectorRun) -> list[str]:
    return [m.log.message for m in run.of_type(Type.LOG) if m.log.level.value == "WARN"]


def tokyo_day(instant: str) -> dt.date:
    return dt.datetime.fromisoformat(instant).astimezone(zoneinfo.ZoneInfo(TOKYO)).date()


def expected_calls(gong: EmulatorProcess, start: dt.date, end: dt.date) -> dict[str, dict[str, Any]]:
    """activity_calls' records for one window, by id, from the truth: each day is the Tokyo day of Gong's UTC time."""
    expected = {}
    for user_id, days in gong.truth(fromDate=str(start), toDate=str(end), endpoint="day-by-day").items():
        for day in days:
            company_day = tokyo_day(day["fromDate"])
            expected[f"{user_id}:day:{company_day}"] = {
                "call_ids": {GONG_TO_UNIFIED[name]: day[name] for name in GONG_TO_UNIFIED},
                "start_date": str(company_day),
            }
    return expected


# -- Path 1: a record whose day needs the company's zone, while the zone is unknown ------------------------------------

PATH_1_STREAMS = {
    "activity_calls": {},
    "activity with include_quiet_users": {"include_quiet_users": True},
}


def assert_no_record_written(run: ConnectorRun, stream: str) -> None:
    records = records_of(run, stream)
    on_utc_days = [record for record in records if record["start_date"] != str(tokyo_day(record["start_time"]))]
    assert records == [], f"{len(records)} records written, {len(on_utc_days)} of them on a UTC day, not Tokyo's"


def _tokyo_in_utc(**flags: Any) -> EmulatorProcess:
    return EmulatorProcess(timezone=TOKYO, utc_times=True, users=60, **flags)


def _read_path_1(gong: EmulatorProcess, tmp_path: Path, stream: str, **overrides: Any) -> ConnectorRun:
    config = emulator_config(gong, start_date="2024-01-01", end_date=str(END), lookback_days=0, max_retries=1)
    return run_connector(
        tmp_path, "read", {**config, **overrides}, catalog_of([stream]), state=state_message(stream, SAVED)
    )


@pytest.mark.parametrize("label", PATH_1_STREAMS)
def test_given_utc_times_and_the_zone_call_failing_when_read_then_one_transient_error_no_record_and_state_unmoved(
    tmp_path, label: str
) -> None:
    stream, options = label.split()[0], PATH_1_STREAMS[label]
    with _tokyo_in_utc(fail_path=AGGREGATE, fail_status=503) as failing:
        run = _read_path_1(failing, tmp_path, stream, **options)
        zone_calls = failing.count(f"POST {AGGREGATE}", 503)
    with _tokyo_in_utc() as healthy:
        again = _read_path_1(healthy, tmp_path, stream, **options)
        truth_calls = expected_calls(healthy, START, END) if stream == "activity_calls" else None
        truth_activity = expected_records(healthy.dataset, START, END, "day")

    assert zone_calls == 2, "the zone call and its one retry"
    # Not one record on a UTC day (nor any other), and the state where the sync found it.
    assert_no_record_written(run, stream)
    assert run.exit_code != 0
    assert [error.failure_type.value for error in run.errors] == ["transient_error"], [e.message for e in run.errors]
    # The failed zone call itself stops the sync, in Gong's words, before any record waits for the zone.
    assert run.errors[0].message.startswith("Gong had a server error (HTTP 503"), run.errors[0].message
    assert not any("time zone is not known" in warning for warning in warnings_of(run)), "taken for a refusal"
    assert states_of(run, stream) == []  # no STATE: the platform keeps the input state, SAVED

    assert again.exit_code == 0 and not again.errors, [e.message for e in again.errors]
    records = records_of(again, stream)
    for record in records:  # every day a Tokyo day: the one Gong's UTC start time falls on in Tokyo
        assert record["start_date"] == str(tokyo_day(record["start_time"])), record["id"]
    if stream == "activity_calls":
        assert {r["id"]: {"call_ids": r["call_ids"], "start_date": r["start_date"]} for r in records} == truth_calls
    else:
        gong_records = [record for record in records if not record["zero_filled"]]
        assert by_id(gong_records) == truth_activity
        zero_days = {record["start_date"] for record in records if record["zero_filled"]}
        assert zero_days and zero_days <= {str(START + dt.timedelta(days=n)) for n in range((END - START).days)}
    assert states_of(again, stream)[-1] == {"start_time": str(END), "company_time_zone": TOKYO}


def test_given_utc_times_and_gong_refusing_the_zone_call_when_read_then_a_warning_and_one_transient_error(
    tmp_path,
) -> None:
    # Gong refused the call (401 on purpose): the zone stays unknown, which is only a warning, until a record needs it.
    with _tokyo_in_utc(fail_path=AGGREGATE, fail_status=401) as refusing:
        run = _read_path_1(refusing, tmp_path, "activity_calls")

    assert_no_record_written(run, "activity_calls")
    assert run.exit_code != 0
    assert [error.failure_type.value for error in run.errors] == ["transient_error"], [e.message for e in run.errors]
    assert "cannot be put on the company's calendar" in run.errors[0].message
    assert any("time zone is not known" in warning for warning in warnings_of(run))
    assert states_of(run, "activity_calls") == []


def test_given_gong_refusing_the_zone_call_when_quiet_users_are_filled_then_no_zero_row_without_the_zone(
    tmp_path,
) -> None:
    # Times with Tokyo's offset date Gong's own records without the zone; a zero row has no time of Gong's to go by.
    with EmulatorProcess(timezone=TOKYO, users=60, fail_path=AGGREGATE, fail_status=401) as refusing:
        run = _read_path_1(refusing, tmp_path, "activity", include_quiet_users=True)
        truth = expected_records(refusing.dataset, START, END, "day")

    records = records_of(run, "activity")
    assert [record["id"] for record in records if record["zero_filled"]] == [], "a zero row without the zone"
    assert {record["id"] for record in records} == truth.keys()
    for record in records:  # Gong's own records, each on the Tokyo day its offset says
        assert record["start_date"] == str(tokyo_day(record["start_time"])), record["id"]
    assert run.exit_code != 0
    assert [error.failure_type.value for error in run.errors] == ["transient_error"], [e.message for e in run.errors]
    assert "cannot be put on the company's calendar" in run.errors[0].message
    assert states_of(run, "activity") == []


# -- Path 2: a 400 on a window that ends on the company's today --------------------------------------------------------

KIRITIMATI = "Pacific/Kiritimati"  # UTC+14: its today is tomorrow or later for every zone behind it
PATH_2_ENDPOINTS = {
    "activity": "/v2/stats/activity/aggregate-by-period",
    "interaction_stats": "/v2/stats/interaction",
    "answered_scorecards": "/v2/stats/activity/scorecards",
}


@pytest.mark.parametrize("with_user_ids", [False, True], ids=["no filter", "user_ids"])
@pytest.mark.parametrize("stream", PATH_2_ENDPOINTS)
def test_given_gong_refuses_a_window_ending_on_the_company_s_today_when_read_then_fails_in_gong_s_words(
    tmp_path, stream: str, with_user_ids: bool
) -> None:
    path = PATH_2_ENDPOINTS[stream]

    def sync(today: dt.date) -> tuple[dt.date, ConnectorRun, dict[str, Any]]:
        with EmulatorProcess(timezone=KIRITIMATI, users=40, bad_request_path=path) as gong:
            user_ids = [user["id"] for user in gong.dataset.users()[:5]] if with_user_ids else None
            yesterday = today - dt.timedelta(days=1)
            config = emulator_config(gong, start_date=str(yesterday), user_ids=user_ids)
            run = run_connector(tmp_path, "read", config, catalog_of([stream]))
            return today, run, gong.stats()["requests"]

    today, run, requests_by_path = on_one_company_day(KIRITIMATI, sync)

    # Gong refused the window, and the dates-only probe that followed was answered: so it was not the future.
    assert requests_by_path[f"POST {path}"] == {"400": 1}
    assert requests_by_path[f"POST {AGGREGATE}"].get("200", 0) >= 1
    assert run.exit_code != 0, "a window Gong refused ended in a quiet exit 0"
    expected_type = "config_error" if with_user_ids else "system_error"
    assert [error.failure_type.value for error in run.errors] == [expected_type], [e.message for e in run.errors]
    message = run.errors[0].message
    assert "Malformed request" in message and path in message, message
    assert f"toDate {today}" in message, "the refused window is not the one that ends on the company's today"
    assert ("'user_ids'" in message) is with_user_ids, message
    assert records_of(run, stream) == [] and states_of(run, stream) == []


# -- Path 3: OAuth whose token response names no host ------------------------------------------------------------------


def _oauth_config(gong: EmulatorProcess, **overrides: Any) -> dict[str, Any]:
    credentials = {
        "auth_type": "oauth2.0",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "refresh_token": REFRESH_TOKEN,
    }
    return emulator_config(
        gong,
        credentials=credentials,
        token_url=f"{gong.base_url}/oauth2/generate-customer-token",
        start_date=str(START),
        end_date=str(END),
        lookback_days=0,
        **overrides,
    )


def _oauth_emulator(**flags: Any) -> EmulatorProcess:
    return EmulatorProcess(
        token_without_host=True,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        refresh_token=REFRESH_TOKEN,
        users=60,
        page_size=20,  # pages of 20 users: a sync of many calls, each of which once cost a refresh
        **flags,
    )


def test_given_a_token_response_without_a_host_when_several_streams_are_read_then_one_refresh_and_one_control_message(
    tmp_path,
) -> None:
    streams = ["users", "activity", "activity_calls", "interaction_stats", "answered_scorecards"]
    with _oauth_emulator() as gong:
        run = run_connector(tmp_path, "read", _oauth_config(gong), catalog_of(streams))
        stats = gong.stats()
        truth = expected_records(gong.dataset, START, END, "day")
        user_count = len(gong.dataset.users())

    assert run.exit_code == 0 and not run.errors, [e.message for e in run.errors]
    api_calls = {path: counts for path, counts in stats["requests"].items() if path != TOKEN_PATH}
    assert stats["total_api_requests"] >= 10, "a sync of several calls, each of which once cost a refresh"
    assert stats["requests"][TOKEN_PATH] == {"200": 1}
    assert len(control_messages(run)) == 1
    # Every call went to the configured base_url, the emulator's, with the token: all answered, none refused.
    assert {status for counts in api_calls.values() for status in counts} <= {"200", "404"}
    assert by_id(records_of(run, "activity")) == truth
    assert len(records_of(run, "users")) == user_count
    for stream in ("activity_calls", "interaction_stats", "answered_scorecards"):
        assert records_of(run, stream), f"no {stream} record"


def test_given_the_users_lookup_answers_401_when_read_with_oauth_then_it_spends_no_refresh(tmp_path) -> None:
    # GET /v2/users documents 403 for a missing scope; a 401 there (on purpose) must not cost the sync's one refresh.
    with _oauth_emulator(fail_path="/v2/users", fail_status=401) as gong:
        run = run_connector(tmp_path, "read", _oauth_config(gong), catalog_of(["activity"]))
        stats = gong.stats()
        truth = expected_records(gong.dataset, START, END, "day")

    assert run.exit_code == 0 and not run.errors, [e.message for e in run.errors]
    assert stats["requests"][TOKEN_PATH] == {"200": 1}
    assert stats["requests"]["GET /v2/users"] == {"401": 1}
    assert len(control_messages(run)) == 1
    records = by_id(records_of(run, "activity"))
    assert records.keys() == truth.keys()
    # Without the users list a record keeps Gong's stats email and has no name.
    for record_id, record in records.items():
        assert record["user"]["name"] is None and record["metrics"] == truth[record_id]["metrics"]


# -- Path 4: reviewers outside user_ids --------------------------------------------------------------------------------


def test_given_user_ids_when_answered_scorecards_are_read_then_every_reviewer_is_named_as_gong_s_users_list_says(
    tmp_path,
) -> None:
    with EmulatorProcess(users=60) as gong:
        everything = gong.truth(endpoint="scorecards", reviewFromDate=str(START), reviewToDate=str(END))
        # Ids come as JSON numbers (the 2024 contract) or strings: compared as the connector writes them, strings.
        reviewed = sorted({str(item["reviewedUserId"]) for item in everything})[:3]
        served = gong.truth(
            endpoint="scorecards", reviewFromDate=str(START), reviewToDate=str(END), reviewedUserIds=",".join(reviewed)
        )
        config = emulator_config(gong, start_date=str(START), end_date=str(END), user_ids=reviewed)
        run = run_connector(tmp_path, "read", config, catalog_of(["answered_scorecards"]))
        users = {user["id"]: user for user in gong.dataset.users()}

    def named(user_id: str) -> dict[str, Any]:
        user = users[user_id]
        emails = [{"email": user["emailAddress"], "is_primary": True}]
        emails += [{"email": alias, "is_primary": False} for alias in user.get("emailAliases") or []]
        return {"id": user_id, "name": f"{user['firstName']} {user['lastName']}", "emails": emails}

    outside = {str(item["reviewerUserId"]) for item in served} - set(reviewed)
    assert outside, "no reviewer outside user_ids: the test proves nothing"
    assert run.exit_code == 0 and not run.errors, [e.message for e in run.errors]
    records = {record["id"]: record for record in records_of(run, "answered_scorecards")}
    assert records.keys() == {str(item["answeredScorecardId"]) for item in served}
    unnamed = [record_id for record_id, record in records.items() if record["reviewer"]["name"] is None]
    assert not unnamed, f"{len(unnamed)} of {len(records)} records name no reviewer"
    for item in served:
        record = records[str(item["answeredScorecardId"])]
        assert record["reviewer"] == named(str(item["reviewerUserId"])), record["id"]
        assert record["reviewed_user"] == named(str(item["reviewedUserId"])), record["id"]
