"""`config.settings`: every bad field named in a sentence, through parse_config, check and read, no secret echoed."""

from __future__ import annotations

import json
from typing import Any

import pytest

from source_gong_activity.config.settings import ConfigError, parse_config
from source_gong_activity.run import run
from unit_tests.builders import a_config

ACCESS_KEY = {
    "auth_type": "access_key",
    "access_key": "unit-test-access-key",
    "access_key_secret": "unit-test-key-secret-value",
}


SECRET = "s3cr3t-Qx7Vb2Lm9"  # planted in bad values; no output may carry it


HTTPS_ONLY = (
    "must use https: credentials are never sent in clear text (http is accepted only for a loopback host such as "
    "127.0.0.1)"
)


OAUTH_TOKEN_REQUIRED = (
    "Config field 'credentials.access_token' is required for OAuth unless 'client_id', 'client_secret' and "
    "'refresh_token' are all given."
)


# (case, overrides of a good config, the field named, the whole message, written out)
BAD_CONFIGS = [
    (
        "missing credentials",
        {"credentials": None},
        "credentials",
        "Config field 'credentials' is required: give an access key and secret, or an OAuth token.",
    ),
    (
        "credentials not an object",
        {"credentials": "abc"},
        "credentials",
        "Config field 'credentials' must be an object with 'auth_type' 'access_key' or 'oauth2.0'.",
    ),
    (
        "unknown auth type",
        {"credentials": {"auth_type": "password"}},
        "credentials.auth_type",
        "Config field 'credentials.auth_type' must be 'access_key' or 'oauth2.0', got 'password'.",
    ),
    (
        "missing access key",
        {"credentials": {"auth_type": "access_key", "access_key_secret": "unit-test-key-secret-value"}},
        "credentials.access_key",
        "Config field 'credentials.access_key' is required and must not be empty.",
    ),
    (
        "missing key secret",
        {"credentials": {"auth_type": "access_key", "access_key": "unit-test-access-key"}},
        "credentials.access_key_secret",
        "Config field 'credentials.access_key_secret' is required and must not be empty.",
    ),
    (
        "access key not a string",
        {"credentials": {**ACCESS_KEY, "access_key": 12345}},
        "credentials.access_key",
        "Config field 'credentials.access_key' must be a string.",
    ),
    (
        "oauth without token",
        {"credentials": {"auth_type": "oauth2.0"}},
        "credentials.access_token",
        OAUTH_TOKEN_REQUIRED,
    ),
    (
        "oauth with half a refresh setup",
        {"credentials": {"auth_type": "oauth2.0", "client_id": "cid-value-123"}},
        "credentials.access_token",
        OAUTH_TOKEN_REQUIRED,
    ),
    (
        "missing start date",
        {"start_date": None},
        "start_date",
        "Config field 'start_date' is required: the first day to sync, as YYYY-MM-DD.",
    ),
    (
        "start date in another format",
        {"start_date": "01/02/2024"},
        "start_date",
        "Config field 'start_date' must be a date in the form YYYY-MM-DD, got '01/02/2024'.",
    ),
    (
        "start date not a real day",
        {"start_date": "2024-02-30"},
        "start_date",
        "Config field 'start_date' is not a real calendar date: '2024-02-30'.",
    ),
    (
        "start date a number",
        {"start_date": 20240101},
        "start_date",
        "Config field 'start_date' must be a date in the form YYYY-MM-DD, got 20240101.",
    ),
    (
        "end date malformed",
        {"end_date": "2024-1-5"},
        "end_date",
        "Config field 'end_date' must be a date in the form YYYY-MM-DD, got '2024-1-5'.",
    ),
    (
        "end date before start",
        {"start_date": "2024-02-01", "end_date": "2024-01-01"},
        "end_date",
        "Config field 'end_date' (2024-01-01) must be later than 'start_date' (2024-02-01); end_date is exclusive.",
    ),
    (
        "end date equal to start",
        {"start_date": "2024-02-01", "end_date": "2024-02-01"},
        "end_date",
        "Config field 'end_date' (2024-02-01) must be later than 'start_date' (2024-02-01); end_date is exclusive.",
    ),
    (
        "unknown period",
        {"aggregation_period": "hourly"},
        "aggregation_period",
        "Config field 'aggregation_period' must be one of day, week, month, quarter, year, total; got 'hourly'.",
    ),
    (
        "user ids not a list",
        {"user_ids": "123"},
        "user_ids",
        "Config field 'user_ids' must be a list of Gong user ids (numeric strings).",
    ),
    (
        "non-numeric user id",
        {"user_ids": ["123", "abc"]},
        "user_ids",
        "Config field 'user_ids' must hold Gong user ids of up to 20 digits; 'abc' is not one.",
    ),
    (
        "user id too long",
        {"user_ids": ["1" * 21]},
        "user_ids",
        "Config field 'user_ids' must hold Gong user ids of up to 20 digits; '111111111111111111111' is not one.",
    ),
    (
        "scorecard ids not a list",
        {"scorecard_ids": "6843152929075440037"},
        "scorecard_ids",
        "Config field 'scorecard_ids' must be a list of Gong scorecard ids (numeric strings).",
    ),
    (
        "scorecard id a number",
        {"scorecard_ids": [6843152929075440037]},
        "scorecard_ids",
        "Config field 'scorecard_ids' must hold Gong scorecard ids of up to 20 digits; 6843152929075440037 is not one.",
    ),
    (
        "base url plain http to a remote host",
        {"base_url": "http://api.gong.io"},
        "base_url",
        f"Config field 'base_url' {HTTPS_ONLY}, got 'http://api.gong.io'.",
    ),
    (
        "base url not a url",
        {"base_url": "api.gong.io"},
        "base_url",
        "Config field 'base_url' must be an https URL such as 'https://api.gong.io', got 'api.gong.io'.",
    ),
    (
        "base url with credentials",
        {"base_url": "https://user:pw@api.gong.io"},
        "base_url",
        "Config field 'base_url' must be a plain URL without credentials, query or fragment, got https://api.gong.io/....",
    ),
    (
        "lookback negative",
        {"lookback_days": -1},
        "lookback_days",
        "Config field 'lookback_days' must be between 0 and 366, got -1.",
    ),
    (
        "lookback a string",
        {"lookback_days": "2"},
        "lookback_days",
        "Config field 'lookback_days' must be a whole number, got '2'.",
    ),
    (
        "window zero",
        {"periods_per_window": 0},
        "periods_per_window",
        "Config field 'periods_per_window' must be between 1 and 10000, got 0.",
    ),
    (
        "rate zero",
        {"requests_per_second": 0},
        "requests_per_second",
        "Config field 'requests_per_second' must be between 0.01 and 100, got 0.",
    ),
    (
        "rate a string",
        {"requests_per_second": "fast"},
        "requests_per_second",
        "Config field 'requests_per_second' must be a number, got 'fast'.",
    ),
    (
        "max wait a float",
        {"max_retry_after_seconds": 1.5},
        "max_retry_after_seconds",
        "Config field 'max_retry_after_seconds' must be a whole number, got 1.5.",
    ),
    (
        "token url plain http",
        {"token_url": "http://app.gong.io/oauth2/generate-customer-token"},
        "token_url",
        f"Config field 'token_url' {HTTPS_ONLY}, got 'http://app.gong.io/oauth2/generate-customer-token'.",
    ),
]


BAD_CONFIG_IDS = [case[0] for case in BAD_CONFIGS]


@pytest.mark.parametrize("case, overrides, field, message", BAD_CONFIGS, ids=BAD_CONFIG_IDS)
def test_given_a_bad_field_when_parsed_then_the_error_names_it_in_its_sentence(
    case: str, overrides: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ConfigError) as error:
        parse_config(a_config(**overrides))
    assert (error.value.field, error.value.message) == (field, message)


def test_given_a_minimal_config_when_parsed_then_defaults_apply() -> None:
    config = parse_config({"credentials": ACCESS_KEY, "start_date": "2024-01-01"})
    assert (config.aggregation_period, config.base_url, config.end_date, config.user_ids) == (
        "day",
        "https://api.gong.io",
        None,
        (),
    )
    assert (config.requests_per_second, config.periods_per_window, config.lookback_days) == (3.0, 92, 7)
    assert config.scorecard_ids == ()


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
    captured = capsys.readouterr()
    assert SECRET not in captured.err
    messages = [json.loads(line) for line in captured.out.splitlines() if line.strip()]
    return exit_code, messages


@pytest.mark.parametrize("case, overrides, field, message", BAD_CONFIGS, ids=BAD_CONFIG_IDS)
def test_given_a_bad_field_when_check_then_failed_status_says_its_sentence_without_traceback(
    capsys, tmp_path, case, overrides, field, message
) -> None:
    exit_code, messages = _run(capsys, tmp_path, "check", json.dumps(a_config(**overrides)))
    [status] = [m["connectionStatus"] for m in messages if m["type"] == "CONNECTION_STATUS"]
    # A failed check is an answer, not a crash: exit code 0, no TRACE error besides the status.
    assert (exit_code, status) == (0, {"status": "FAILED", "message": message})
    assert [m for m in messages if m["type"] == "TRACE"] == []
    assert not any("Traceback" in json.dumps(m) for m in messages)


@pytest.mark.parametrize("case, overrides, field, message", BAD_CONFIGS, ids=BAD_CONFIG_IDS)
def test_given_a_bad_field_when_read_then_config_error_trace_says_its_sentence_without_traceback(
    capsys, tmp_path, case, overrides, field, message
) -> None:
    exit_code, messages = _run(
        capsys, tmp_path, "read", json.dumps(a_config(**overrides)), ["--catalog", _catalog(tmp_path)]
    )
    [error] = [m["trace"]["error"] for m in messages if m["type"] == "TRACE"]
    assert exit_code == 1 and (error["failure_type"], error["message"]) == ("config_error", message)
    assert [m for m in messages if m["type"] in ("RECORD", "STATE")] == []
    assert not any("Traceback" in json.dumps(m) for m in messages)


def _catalog(tmp_path) -> str:
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
    return str(catalog)


# Bad values that may be a secret, or hold one: no message may repeat them, whichever check refuses them.
SECRET_BEARING_BAD_CONFIGS = [
    pytest.param({"credentials": SECRET}, id="credentials-a-pasted-secret-string"),
    pytest.param({"credentials": {**ACCESS_KEY, "access_key": [SECRET]}}, id="access-key-a-list"),
    pytest.param({"credentials": {**ACCESS_KEY, "access_key_secret": {"value": SECRET}}}, id="key-secret-an-object"),
    pytest.param({"credentials": {"auth_type": "oauth2.0", "access_token": [SECRET]}}, id="oauth-access-token-a-list"),
    pytest.param(
        {
            "credentials": {
                "auth_type": "oauth2.0",
                "client_id": "cid-value-123",
                "client_secret": {"secret": SECRET},
                "refresh_token": "rt-value-456",
            }
        },
        id="oauth-client-secret-an-object",
    ),
    pytest.param({"base_url": f"https://gong:{SECRET}@api.gong.io"}, id="https-base-url-with-a-password"),
    pytest.param({"base_url": f"https://api.gong.io/?api_key={SECRET}"}, id="base-url-with-a-key-in-its-query"),
    pytest.param({"base_url": f"http://gong:{SECRET}@api.gong.io"}, id="http-base-url-with-a-password"),
    pytest.param(
        {"base_url": f"gong:{SECRET}@api.gong.io"},
        id="base-url-without-scheme-with-a-password",
    ),
    pytest.param(
        {"token_url": f"http://client:{SECRET}@app.gong.io/oauth2/generate-customer-token"},
        id="http-token-url-with-a-password",
    ),
]


@pytest.mark.parametrize("overrides", SECRET_BEARING_BAD_CONFIGS)
def test_given_a_bad_value_that_may_be_a_secret_when_check_and_read_then_no_output_repeats_it(
    capsys, tmp_path, overrides: dict[str, Any]
) -> None:
    config = json.dumps(a_config(**overrides))
    with pytest.raises(ConfigError) as error:
        parse_config(json.loads(config))
    check_exit, check = _run(capsys, tmp_path, "check", config)
    read_exit, read = _run(capsys, tmp_path, "read", config, ["--catalog", _catalog(tmp_path)])

    [status] = [m["connectionStatus"] for m in check if m["type"] == "CONNECTION_STATUS"]
    [read_error] = [m["trace"]["error"] for m in read if m["type"] == "TRACE"]
    assert (check_exit, status["status"], status["message"]) == (0, "FAILED", error.value.message)
    assert (read_exit, read_error["failure_type"], read_error["message"]) == (1, "config_error", error.value.message)
    assert SECRET not in error.value.message
    assert [m for m in check + read if SECRET in json.dumps(m)] == []
