"""Where users and the platform meet the connector, through the real command line: state shapes, sync modes,
config typos, failures, unreachable hosts and command-line misuse."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from airbyte_cdk.models import Type

from integration_tests.harness import (
    ACCESS_KEY,
    EmulatorProcess,
    activity_catalog,
    by_id,
    emulator_config,
    expected_records,
    run_connector,
)

START, MIDDLE, END = dt.date(2024, 1, 1), dt.date(2024, 1, 15), dt.date(2024, 1, 29)
SAVED = {"start_time": str(MIDDLE), "company_time_zone": "US/Pacific"}


def assert_no_traceback(run) -> None:
    """No Python traceback anywhere: not in stderr, not in a LOG line, not in a TRACE's stack_trace."""
    assert "Traceback" not in run.stderr
    for message in run.messages:
        if message.type == Type.LOG:
            assert "Traceback" not in message.log.message, message.log.message
        if message.type == Type.TRACE and message.trace.error is not None:
            assert "Traceback" not in (message.trace.error.stack_trace or ""), message.trace.error.stack_trace


def assert_failed_once(run, failure_type: str) -> Any:
    """Exactly one TRACE error, of `failure_type`, a non-zero exit and no traceback; returns the error."""
    assert run.exit_code != 0
    assert [error.failure_type.value for error in run.errors] == [failure_type], [e.message for e in run.errors]
    assert_no_traceback(run)
    return run.errors[0]


def read_window(emulator: EmulatorProcess, tmp_path, state: Any = None, sync_mode: str = "incremental", **overrides):
    config = emulator_config(emulator, start_date=str(START), end_date=str(END), lookback_days=0, **overrides)
    return run_connector(tmp_path, "read", config, activity_catalog(sync_mode), state=state)


def stream_message(stream_state: dict) -> dict:
    return {"type": "STREAM", "stream": {"stream_descriptor": {"name": "activity"}, "stream_state": stream_state}}


STATE_SHAPES = {
    "a list of STREAM messages": [stream_message(SAVED)],
    "one STREAM message": stream_message(SAVED),
    "one STATE line of stdout": {
        "type": "STATE",
        "state": {**stream_message(SAVED), "sourceStats": {"recordCount": 9}},
    },
    "a list of STATE lines": [{"type": "STATE", "state": stream_message(SAVED)}],
    "a GLOBAL message with shared_state": [
        {
            "type": "GLOBAL",
            "global": {
                "shared_state": {"cursor": "x"},
                "stream_states": [{"stream_descriptor": {"name": "activity"}, "stream_state": SAVED}],
            },
        }
    ],
    "a GLOBAL message without shared_state": {
        "type": "GLOBAL",
        "global": {"stream_states": [{"stream_descriptor": {"name": "activity"}, "stream_state": SAVED}]},
    },
    "a LEGACY message": [{"type": "LEGACY", "data": {"activity": SAVED}}],
    "the README's bare stream state": SAVED,
    "a legacy per-stream object": {"activity": SAVED},
}


@pytest.mark.parametrize("shape", list(STATE_SHAPES))
def test_given_a_saved_state_of_any_known_shape_when_read_then_resumes_at_its_start_time(
    emulator: EmulatorProcess, tmp_path, shape: str
) -> None:
    run = read_window(emulator, tmp_path, state=STATE_SHAPES[shape])

    assert run.exit_code == 0 and not run.errors
    assert_no_traceback(run)
    assert by_id(run.records) == expected_records(emulator.dataset, MIDDLE, END, "day")


@pytest.mark.parametrize(
    "state, got",
    [("2024-01-15", "a JSON string"), (42, "a JSON number"), ({"cursor": 1}, "an object with the keys cursor")],
)
def test_given_a_state_of_an_unknown_shape_when_read_then_one_config_error_names_the_expected_shapes(
    emulator: EmulatorProcess, tmp_path, state: Any, got: str
) -> None:
    run = read_window(emulator, tmp_path, state=state)

    error = assert_failed_once(run, "config_error")
    assert not run.records
    assert error.message.startswith("The state must be a list of Airbyte STATE messages")
    assert error.message.endswith(f"got {got}.")


def test_given_a_full_refresh_catalog_and_a_state_when_read_then_reads_from_start_date(
    emulator: EmulatorProcess, tmp_path
) -> None:
    run = read_window(emulator, tmp_path, state=[stream_message(SAVED)], sync_mode="full_refresh")

    assert run.exit_code == 0 and not run.errors
    assert by_id(run.records) == expected_records(emulator.dataset, START, END, "day")


def test_given_a_second_full_refresh_handed_the_first_ones_final_state_when_read_then_it_is_as_full(
    emulator: EmulatorProcess, tmp_path
) -> None:
    first = read_window(emulator, tmp_path, sync_mode="full_refresh")
    second = read_window(emulator, tmp_path, state=[stream_message(first.states[-1])], sync_mode="full_refresh")

    expected = expected_records(emulator.dataset, START, END, "day")
    assert first.exit_code == second.exit_code == 0
    assert by_id(first.records) == by_id(second.records) == expected
    assert len(second.records) == len(expected)


@pytest.mark.parametrize(
    "typo, field, nearest",
    [
        ({"aggregaton_period": "week"}, "aggregaton_period", "aggregation_period"),
        ({"baseurl": "https://gong.invalid"}, "baseurl", "base_url"),
        ({"credentials_extra": 1, "lookbak_days": 7}, "lookbak_days", "lookback_days"),
    ],
)
def test_given_a_typo_in_an_optional_field_when_check_and_read_then_both_name_it_with_the_nearest_field(
    emulator: EmulatorProcess, tmp_path, typo: dict, field: str, nearest: str
) -> None:
    config = {**emulator_config(emulator, start_date=str(START), end_date=str(MIDDLE)), **typo}
    expected = f"Config field '{field}' is not a field of this connector and is ignored; did you mean '{nearest}'?"

    check = run_connector(tmp_path, "check", config)
    read = run_connector(tmp_path, "read", config, activity_catalog())

    status = check.of_type(Type.CONNECTION_STATUS)[0].connectionStatus
    assert check.exit_code == 0 and status.status.value == "SUCCEEDED" and expected in status.message
    assert read.exit_code == 0 and not read.errors
    warnings = [m.log.message for m in read.of_type(Type.LOG) if m.log.level.value == "WARN"]
    assert expected in warnings
    assert by_id(read.records) == expected_records(emulator.dataset, START, MIDDLE, "day")


def test_given_a_typo_inside_credentials_when_discover_then_a_warning_names_it(
    emulator: EmulatorProcess, tmp_path
) -> None:
    config = emulator_config(emulator)
    config["credentials"] = {**config["credentials"], "acess_key": "x"}

    run = run_connector(tmp_path, "discover", config)

    assert run.exit_code == 0 and len(run.of_type(Type.CATALOG)) == 1
    warnings = [m.log.message for m in run.of_type(Type.LOG) if m.log.level.value == "WARN"]
    assert warnings == [
        "Config field 'credentials.acess_key' is not a field of this connector and is ignored; "
        "did you mean 'credentials.access_key'?"
    ]
    assert_no_traceback(run)


@pytest.mark.parametrize(
    "flags, overrides, failure_type, says",
    [
        ({"fail_every": 1, "fail_status": 500}, {"max_retries": 1}, "transient_error", "HTTP 500"),
        ({"fail_every": 1, "fail_status": 400}, {}, "system_error", "HTTP 400"),
        (
            {},
            {
                "credentials": {
                    "auth_type": "access_key",
                    "access_key": ACCESS_KEY,
                    "access_key_secret": "Wq8rT2mZx4Lp9vKc3NbY",
                }
            },
            "config_error",
            "rejected the credentials",
        ),
    ],
)
def test_given_a_failure_the_connector_classifies_when_read_then_one_trace_error_and_no_traceback(
    tmp_path, flags: dict, overrides: dict, failure_type: str, says: str
) -> None:
    with EmulatorProcess(**flags) as gong:
        run = read_window(gong, tmp_path, **overrides)

    error = assert_failed_once(run, failure_type)
    assert says in error.message and not run.records
    assert not [m for m in run.of_type(Type.LOG) if m.log.level.value == "FATAL"]


@pytest.mark.parametrize(
    "status, says",
    [(500, "Gong had a server error (HTTP 500: "), (429, "Gong's rate limit was reached (HTTP 429: ")],
)
def test_given_retries_run_out_when_read_then_the_error_quotes_gong_first_and_says_what_was_tried(
    tmp_path, status: int, says: str
) -> None:
    # The CDK would say "Exhausted available request attempts. Please see logs for more details. ...", and for 429s
    # only "API rate limit exceeded.", without Gong's words or request id.
    with EmulatorProcess(fail_every=1, fail_status=status) as failing:
        run = read_window(failing, tmp_path, max_retries=1)

    error = assert_failed_once(run, "transient_error")
    assert error.message.startswith(says) and "(requestId " in error.message, error.message
    assert error.message.endswith(
        "It was retried up to once ('max_retries'). The sync stopped before any progress was saved."
    ), error.message
    assert "Exhausted available request attempts" not in run.stdout and "API rate limit exceeded" not in run.stdout


def test_given_gong_fails_every_call_when_check_then_the_status_quotes_gong_and_the_retries(tmp_path) -> None:
    with EmulatorProcess(fail_every=1, fail_status=503) as down:
        check = run_connector(tmp_path, "check", emulator_config(down, max_retries=0))

    status = check.of_type(Type.CONNECTION_STATUS)[0].connectionStatus
    assert check.exit_code == 0 and status.status.value == "FAILED"
    assert status.message.startswith("Gong had a server error (HTTP 503: "), status.message
    assert status.message.endswith("It was not retried ('max_retries' is 0)."), status.message


def test_given_a_corrupt_state_when_read_then_one_config_error_and_no_traceback(
    emulator: EmulatorProcess, tmp_path
) -> None:
    run = read_window(emulator, tmp_path, state=[stream_message({"start_time": 20240101})])

    error = assert_failed_once(run, "config_error")
    assert "'start_time' must be a date" in error.message and not run.records


@pytest.mark.parametrize("daily_cap, states, saved", [(1, 0, False), (4, 2, True)])
def test_given_the_daily_quota_used_up_when_read_then_says_progress_saved_only_after_a_state(
    tmp_path, daily_cap: int, states: int, saved: bool
) -> None:
    # One page per call series: window 1 is call 1, the one call that learns the company's zone (aggregate-by-period
    # never names it) call 2, the users lookup call 3, window 2 call 4.
    with EmulatorProcess(page_size=1000, daily_cap=daily_cap, daily_retry_after=3600) as capped:
        run = read_window(capped, tmp_path, periods_per_window=7, max_retry_after_seconds=60)

    error = assert_failed_once(run, "transient_error")
    assert "quota is used up" in error.message
    assert len(run.states) == states
    assert ("with its progress saved" in error.message) is saved
    assert ("before any progress was saved" in error.message) is not saved


def test_given_debug_when_a_classified_failure_then_tracebacks_come_back(tmp_path) -> None:
    with EmulatorProcess(fail_every=1, fail_status=400) as rejecting:
        config = emulator_config(rejecting, start_date=str(START), end_date=str(END))
        run = run_connector_raw(tmp_path, ["read", "--debug"], config, activity_catalog())

    errors = [line["trace"]["error"] for line in run["lines"] if line["type"] == "TRACE" and "error" in line["trace"]]
    assert run["exit_code"] == 1 and len(errors) == 1
    assert errors[0]["stack_trace"].startswith("Traceback")


def run_connector_raw(tmp_path, args: list[str], config: dict | None = None, catalog: dict | None = None) -> dict:
    """The command line with any arguments, stdout lines as plain JSON (--debug adds the CDK's DEBUG lines, which
    are not protocol messages), stderr as text."""
    import json
    import subprocess

    from integration_tests.harness import CONNECTOR

    paths = []
    for name, content in (("config", config), ("catalog", catalog)):
        if content is not None:
            path = tmp_path / f"{name}.json"
            path.write_text(json.dumps(content))
            paths += [f"--{name}", str(path)]
    done = subprocess.run([CONNECTOR, *args, *paths], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    return {"exit_code": done.returncode, "lines": lines, "stdout": done.stdout, "stderr": done.stderr}


@pytest.mark.parametrize(
    "args, says",
    [
        ([], "a command is required"),
        (["sync"], "invalid choice: 'sync'"),
        (["read"], "the following arguments are required: --config, --catalog"),
        (["check"], "the following arguments are required: --config"),
        (["--help"], "usage: source-gong-activity"),
    ],
)
def test_given_command_line_misuse_when_run_then_usage_on_stderr_exit_2_and_stdout_pure_protocol(
    tmp_path, args: list[str], says: str
) -> None:
    run = run_connector_raw(tmp_path, args)

    assert run["exit_code"] == (0 if args == ["--help"] else 2)
    assert says in run["stderr"] and "Traceback" not in run["stderr"] + run["stdout"]
    assert all(line["type"] == "LOG" and line["log"]["level"] == "INFO" for line in run["lines"]), run["stdout"]


@pytest.mark.parametrize(
    "catalog, says",
    [
        (
            {"streams": []},
            "The configured catalog has no streams: select one of 'activity', 'activity_calls', 'interaction_stats', "
            "'answered_scorecards'",
        ),
        ([activity_catalog()], "must hold a JSON object with a list 'streams'"),
        ({"streams": [{"stream": {"name": "activity"}}]}, "is not a configured catalog"),
    ],
)
def test_given_a_catalog_without_usable_streams_when_read_then_one_config_error(
    emulator: EmulatorProcess, tmp_path, catalog: Any, says: str
) -> None:
    run = run_connector(tmp_path, "read", emulator_config(emulator), catalog)

    error = assert_failed_once(run, "config_error")
    assert says in error.message and not run.records


@pytest.mark.parametrize("command", ["check", "discover", "read"])
def test_given_a_config_file_holding_a_json_list_when_run_then_one_config_error(
    emulator: EmulatorProcess, tmp_path, command: str
) -> None:
    catalog = activity_catalog() if command == "read" else None
    run = run_connector(tmp_path, command, [emulator_config(emulator)], catalog)

    error = assert_failed_once(run, "config_error")
    assert "must hold a JSON object, got a JSON list" in error.message


def closed_loopback_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(
    "base_url, host, says",
    [
        ("https://gong.invalid", "gong.invalid", "the host name does not resolve"),
        ("http://127.0.0.1:{closed}", "127.0.0.1:{closed}", "the connection was refused"),
        ("https://127.0.0.1:{emulator}", "127.0.0.1:{emulator}", "the TLS handshake failed"),
    ],
)
def test_given_a_host_that_cannot_be_reached_when_check_then_fails_within_30_seconds_naming_host_and_cause(
    emulator: EmulatorProcess, tmp_path, base_url: str, host: str, says: str
) -> None:
    ports = {"closed": closed_loopback_port(), "emulator": emulator.base_url.rsplit(":", 1)[-1]}
    config = emulator_config(emulator, base_url=base_url.format(**ports))  # default max_retries: 8
    config.pop("max_retries")

    started = time.monotonic()
    run = run_connector(tmp_path, "check", config)
    elapsed = time.monotonic() - started

    status = run.of_type(Type.CONNECTION_STATUS)[0].connectionStatus
    assert elapsed < 30 and run.exit_code == 0 and status.status.value == "FAILED"
    assert f"Could not reach Gong at {host.format(**ports)}: {says}" in status.message
    assert_no_traceback(run)
    assert not [m for m in run.of_type(Type.LOG) if "rate limit" in m.log.message.lower()]


def test_given_500s_and_dropped_connections_when_read_then_retry_lines_say_what_happened_never_rate_limit(
    tmp_path,
) -> None:
    with EmulatorProcess(fail_every=3, drop_every=4) as flaky:
        run = read_window(flaky, tmp_path, max_retries=3)
        expected = expected_records(flaky.dataset, START, END, "day")

    retries = [m.log.message for m in run.of_type(Type.LOG) if "Retrying in" in m.log.message]
    assert run.exit_code == 0 and by_id(run.records) == expected
    assert any(line.startswith("Gong had a server error (HTTP 500") for line in retries), retries
    assert any(line.startswith("Gong did not answer properly (ConnectionError") for line in retries), retries
    assert not [line for line in retries if "rate limit" in line.lower()]


def test_given_an_unreachable_token_endpoint_when_read_then_one_transient_error_within_max_retries(
    emulator: EmulatorProcess, tmp_path
) -> None:
    closed = closed_loopback_port()
    config = read_config_with_oauth(emulator, token_url=f"http://127.0.0.1:{closed}/oauth2/generate-customer-token")

    started = time.monotonic()
    run = run_connector(tmp_path, "read", {**config, "max_retries": 2}, activity_catalog())
    elapsed = time.monotonic() - started

    error = assert_failed_once(run, "transient_error")
    assert f"Gong's token endpoint at 127.0.0.1:{closed}" in error.message and "3 tries" in error.message
    assert elapsed < 30 and run.records == []  # 1 + 2 s of backoff, not the CDK's 300 s


def read_config_with_oauth(emulator: EmulatorProcess, **overrides: Any) -> dict[str, Any]:
    oauth = {
        "auth_type": "oauth2.0",
        "client_id": "edge-id-7",
        "client_secret": "edge-secret-9",
        "refresh_token": "rt-0",
    }
    return emulator_config(emulator, start_date=str(START), end_date=str(END), credentials=oauth, **overrides)


def test_given_429s_during_the_users_lookup_when_read_then_statuses_name_only_catalogued_streams(tmp_path) -> None:
    # Every second call is a 429 with Retry-After 1: the users lookup (the second call) meets one.
    with EmulatorProcess(fail_every=2, fail_status=429) as limited:
        run = read_window(limited, tmp_path, max_retries=3)
        expected = expected_records(limited.dataset, START, END, "day")
        refused = limited.count("GET /v2/users", status=429)

    statuses = [m.trace.stream_status for m in run.of_type(Type.TRACE) if m.trace.stream_status is not None]
    assert run.exit_code == 0 and by_id(run.records) == expected and refused >= 1
    assert {status.stream_descriptor.name for status in statuses} == {"activity"}
