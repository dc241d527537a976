"""Every bad config gets one sentence that names the field, from `check` and from `read`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from source_gong_activity.config import ConfigError, parse_config
from source_gong_activity.config_typos import KNOWN_CREDENTIAL_FIELDS, KNOWN_FIELDS
from source_gong_activity.run import run

from .builders import a_config

ACCESS_KEY = {
    "auth_type": "access_key",
    "access_key": "unit-test-access-key",
    "access_key_secret": "unit-test-key-secret-value",
}

BAD_CONFIGS = [
    ("missing credentials", {"credentials": None}, "credentials"),
    ("credentials not an object", {"credentials": "abc"}, "credentials"),
    ("unknown auth type", {"credentials": {"auth_type": "password"}}, "credentials.auth_type"),
    (
        "missing access key",
        {"credentials": {"auth_type": "access_key", "access_key_secret": "unit-test-key-secret-value"}},
        "credentials.access_key",
    ),
    (
        "missing key secret",
        {"credentials": {"auth_type": "access_key", "access_key": "unit-test-access-key"}},
        "credentials.access_key_secret",
    ),
    ("access key not a string", {"credentials": {**ACCESS_KEY, "access_key": 12345}}, "credentials.access_key"),
    ("oauth without token", {"credentials": {"auth_type": "oauth2.0"}}, "credentials.access_token"),
    (
        "oauth with half a refresh setup",
        {"credentials": {"auth_type": "oauth2.0", "client_id": "cid-value-123"}},
        "credentials.access_token",
    ),
    ("missing start date", {"start_date": None}, "start_date"),
    ("start date in another format", {"start_date": "01/02/2024"}, "start_date"),
    ("start date not a real day", {"start_date": "2024-02-30"}, "start_date"),
    ("start date a number", {"start_date": 20240101}, "start_date"),
    ("end date malformed", {"end_date": "2024-1-5"}, "end_date"),
    ("end date before start", {"start_date": "2024-02-01", "end_date": "2024-01-01"}, "end_date"),
    ("end date equal to start", {"start_date": "2024-02-01", "end_date": "2024-02-01"}, "end_date"),
    ("unknown period", {"aggregation_period": "hourly"}, "aggregation_period"),
    ("user ids not a list", {"user_ids": "123"}, "user_ids"),
    ("non-numeric user id", {"user_ids": ["123", "abc"]}, "user_ids"),
    ("user id too long", {"user_ids": ["1" * 21]}, "user_ids"),
    ("base url plain http to a remote host", {"base_url": "http://api.gong.io"}, "base_url"),
    ("base url not a url", {"base_url": "api.gong.io"}, "base_url"),
    ("base url with credentials", {"base_url": "https://user:pw@api.gong.io"}, "base_url"),
    ("lookback negative", {"lookback_days": -1}, "lookback_days"),
    ("lookback a string", {"lookback_days": "2"}, "lookback_days"),
    ("window zero", {"periods_per_window": 0}, "periods_per_window"),
    ("rate zero", {"requests_per_second": 0}, "requests_per_second"),
    ("rate a string", {"requests_per_second": "fast"}, "requests_per_second"),
    ("max wait a float", {"max_retry_after_seconds": 1.5}, "max_retry_after_seconds"),
    ("token url plain http", {"token_url": "http://app.gong.io/oauth2/generate-customer-token"}, "token_url"),
]


@pytest.mark.parametrize("case, overrides, field", BAD_CONFIGS, ids=[case[0] for case in BAD_CONFIGS])
def test_given_a_bad_field_when_parsed_then_the_error_names_it(
    case: str, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(ConfigError) as error:
        parse_config(a_config(**overrides))
    assert error.value.field == field
    assert f"'{field}'" in error.value.message


def test_given_a_minimal_config_when_parsed_then_defaults_apply() -> None:
    config = parse_config({"credentials": ACCESS_KEY, "start_date": "2024-01-01"})
    assert (config.aggregation_period, config.base_url, config.end_date, config.user_ids) == (
        "day",
        "https://api.gong.io",
        None,
        (),
    )
    assert (config.requests_per_second, config.periods_per_window, config.lookback_days) == (3.0, 92, 7)


@pytest.mark.parametrize("base_url", ["http://127.0.0.1:8080", "http://localhost:9", "https://us-49467.api.gong.io/"])
def test_given_https_or_loopback_http_when_parsed_then_accepted(base_url: str) -> None:
    assert parse_config(a_config(base_url=base_url)).base_url == base_url.rstrip("/")


def _run(capsys: pytest.CaptureFixture, tmp_path, command: str, config_text: str, extra: list[str] = ()) -> tuple:
    config_path = tmp_path / "config.json"
    config_path.write_text(config_text)
    exit_code = 0
    try:
        run([command, "--config", str(config_path), *extra])
    except SystemExit as exit_:
        exit_code = exit_.code
    messages = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    return exit_code, messages


@pytest.mark.parametrize("case, overrides, field", BAD_CONFIGS, ids=[case[0] for case in BAD_CONFIGS])
def test_given_a_bad_field_when_check_then_failed_status_names_it_without_traceback(
    capsys, tmp_path, case, overrides, field
) -> None:
    exit_code, messages = _run(capsys, tmp_path, "check", json.dumps(a_config(**overrides)))
    [status] = [m["connectionStatus"] for m in messages if m["type"] == "CONNECTION_STATUS"]
    assert status["status"] == "FAILED" and f"'{field}'" in status["message"]
    assert not any("Traceback" in json.dumps(m) for m in messages)


@pytest.mark.parametrize("case, overrides, field", BAD_CONFIGS, ids=[case[0] for case in BAD_CONFIGS])
def test_given_a_bad_field_when_read_then_config_error_trace_names_it_without_traceback(
    capsys, tmp_path, case, overrides, field
) -> None:
    catalog = tmp_path / "catalog.json"
    catalog.write_text(
        json.dumps(
            {
                "streams": [
                    {
                        "stream": {"name": "activity", "json_schema": {}, "supported_sync_modes": ["incremental"]},
                        "sync_mode": "incremental",
                        "destination_sync_mode": "append",
                    }
                ]
            }
        )
    )
    exit_code, messages = _run(capsys, tmp_path, "read", json.dumps(a_config(**overrides)), ["--catalog", str(catalog)])
    [error] = [m["trace"]["error"] for m in messages if m["type"] == "TRACE"]
    assert exit_code == 1 and error["failure_type"] == "config_error" and f"'{field}'" in error["message"]
    assert not any("Traceback" in json.dumps(m) for m in messages)


@pytest.mark.parametrize("command", ["check", "discover", "read"])
def test_given_a_config_file_that_is_not_json_when_run_then_a_config_error_names_the_file(
    capsys, tmp_path, command
) -> None:
    extra = ["--catalog", str(tmp_path / "missing.json")] if command == "read" else []
    exit_code, messages = _run(capsys, tmp_path, command, "{not json", extra)
    [error] = [m["trace"]["error"] for m in messages if m["type"] == "TRACE"]
    assert exit_code == 1 and error["failure_type"] == "config_error"
    assert "config file" in error["message"] and "is not valid JSON" in error["message"]


def test_given_a_catalog_with_an_unknown_stream_when_read_then_config_error_names_the_stream(capsys, tmp_path) -> None:
    catalog = tmp_path / "catalog.json"
    catalog.write_text(
        json.dumps(
            {
                "streams": [
                    {
                        "stream": {"name": "calls", "json_schema": {}, "supported_sync_modes": ["full_refresh"]},
                        "sync_mode": "full_refresh",
                        "destination_sync_mode": "overwrite",
                    }
                ]
            }
        )
    )
    exit_code, messages = _run(capsys, tmp_path, "read", json.dumps(a_config()), ["--catalog", str(catalog)])
    [error] = [m["trace"]["error"] for m in messages if m["type"] == "TRACE"]
    assert exit_code == 1 and error["failure_type"] == "config_error"
    assert "stream 'calls'" in error["message"] and "'activity'" in error["message"]


def test_the_fields_known_to_the_typo_check_are_exactly_the_spec_s() -> None:
    spec = json.loads((Path(__file__).parents[1] / "source_gong_activity" / "spec.json").read_text())[
        "connectionSpecification"
    ]
    credentials = {key for option in spec["properties"]["credentials"]["oneOf"] for key in option["properties"]}
    assert set(KNOWN_FIELDS) == set(spec["properties"])
    assert set(KNOWN_CREDENTIAL_FIELDS) == credentials
