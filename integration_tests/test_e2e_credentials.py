"""OAuth through the real command line (regional host, single-use refresh tokens, expiry); no secret in any output."""

from __future__ import annotations

import base64
import datetime as dt
import json
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from airbyte_cdk.models import OrchestratorType, Type

from integration_tests.harness import (
    ACCESS_KEY,
    ACCESS_KEY_SECRET,
    CONNECTOR,
    ConnectorRun,
    EmulatorProcess,
    activity_catalog,
    by_id,
    emulator_config,
    expected_records,
    run_connector,
)

START, END = dt.date(2024, 1, 1), dt.date(2024, 1, 15)
# Realistic, random-looking values: the CDK masks secrets wherever they occur, so short ones would mask other text.
CLIENT_ID, CLIENT_SECRET = "gong-app-4c1e9b7d2a83f605", "Xk2v9QmZ7tLw4RbN8pHs3JdF6gYc"
REFRESH_TOKEN, ACCESS_TOKEN = "rt-Qm3x8Kd72LpV1wZs9TbN4yHc6Jf0", "at-Vn7Lq2Xw9Kc4Mz8Rb1Td6Yp3Hs5G"
WRONG_KEY_SECRET = "Wq8rT2mZx4Lp9vKc3NbY"
# (what ran, stdout, stderr) of every connector run in this module, scanned for secrets by the last test.
OUTPUTS: list[tuple[str, str, str]] = []
TOKEN_ENDPOINT = "/oauth2/generate-customer-token"
TOKEN_PATH = f"POST {TOKEN_ENDPOINT}"


def _base64(user: str, password: str) -> str:
    return base64.b64encode(f"{user}:{password}".encode()).decode()


KNOWN_SECRETS = {
    "access key": ACCESS_KEY,
    "access key secret": ACCESS_KEY_SECRET,
    "base64(access key:secret)": _base64(ACCESS_KEY, ACCESS_KEY_SECRET),
    "wrong access key secret": WRONG_KEY_SECRET,
    "base64(access key:wrong secret)": _base64(ACCESS_KEY, WRONG_KEY_SECRET),
    "client id": CLIENT_ID,
    "client secret": CLIENT_SECRET,
    "base64(client id:client secret)": _base64(CLIENT_ID, CLIENT_SECRET),
    "first refresh token": REFRESH_TOKEN,
    "static access token": ACCESS_TOKEN,
}


def regional_emulator(**flags: Any) -> EmulatorProcess:
    """A tenant served on `localhost` only: calls to the configured 127.0.0.1 base_url get 403."""
    return EmulatorProcess(
        regional_host="localhost",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        refresh_token=REFRESH_TOKEN,
        access_token=ACCESS_TOKEN,
        **flags,
    )


def oauth_config(emulator: EmulatorProcess, **overrides: Any) -> dict[str, Any]:
    """The emulator's first refresh token, with base_url left at 127.0.0.1: only the regional host from the token
    response works."""
    credentials = {
        "auth_type": "oauth2.0",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "refresh_token": REFRESH_TOKEN,
    }
    return emulator_config(
        emulator,
        **{
            "credentials": credentials,
            "token_url": f"{emulator.base_url}{TOKEN_ENDPOINT}",
            "start_date": str(START),
            "end_date": str(END),
            "periods_per_window": 7,
            **overrides,
        },
    )


def read(tmp_path: Path, label: str, config: dict[str, Any]) -> ConnectorRun:
    run = run_connector(tmp_path, "read", config, activity_catalog())
    OUTPUTS.append((label, run.stdout, run.stderr))
    return run


def control_configs(messages: Iterable[Any]) -> list[dict[str, Any]]:
    return [
        m.control.connectorConfig.config
        for m in messages
        if m.type == Type.CONTROL and m.control.type == OrchestratorType.CONNECTOR_CONFIG
    ]


def statuses(emulator: EmulatorProcess, path: str | None = None) -> dict[str, int]:
    """Responses by status, over one path or every endpoint."""
    totals: dict[str, int] = {}
    for key, by_status in emulator.stats()["requests"].items():
        for status, count in by_status.items():
            if path is None or key == path:
                totals[status] = totals.get(status, 0) + count
    return totals


def test_given_oauth_for_a_regional_tenant_when_read_then_calls_its_regional_host_and_hands_over_the_new_refresh_token(
    tmp_path,
) -> None:
    with regional_emulator() as gong:
        first = read(tmp_path, "oauth first read", oauth_config(gong))
        [updated] = control_configs(first.messages)
        second = read(tmp_path, "oauth read with the updated config", updated)
        by_status, token_calls = statuses(gong), statuses(gong, TOKEN_PATH)
        truth = expected_records(gong.dataset, START, END, "day")

    assert first.exit_code == 0 and not first.errors
    assert by_id(first.records) == truth
    # The wrong host answers 401 on the stats endpoints and 403 on GET /v2/users (each endpoint's documented status).
    assert not {"401", "403"} & set(by_status), "a call went to base_url instead of api_base_url_for_customer"
    new_refresh_token = updated["credentials"]["refresh_token"]
    assert new_refresh_token and new_refresh_token != REFRESH_TOKEN
    assert updated["credentials"]["client_secret"] == CLIENT_SECRET and updated["start_date"] == str(START)
    assert second.exit_code == 0 and by_id(second.records) == truth
    assert token_calls == {"200": 2}


def test_given_a_refresh_token_already_used_when_read_then_fails_with_a_config_error_asking_to_reauthenticate(
    tmp_path,
) -> None:
    with regional_emulator() as gong:
        first = read(tmp_path, "oauth read that uses up the first refresh token", oauth_config(gong))
        stale = read(tmp_path, "oauth read with a used refresh token", oauth_config(gong))
        token_calls = statuses(gong, TOKEN_PATH)

    assert first.exit_code == 0 and token_calls == {"200": 1, "401": 1}
    assert stale.exit_code != 0 and stale.records == [] and stale.states == []
    assert stale.errors and {error.failure_type.value for error in stale.errors} == {"config_error"}
    assert "refresh token" in stale.errors[-1].message.lower()


def test_given_access_tokens_that_live_two_seconds_when_read_then_refreshed_mid_sync_and_the_last_refresh_token_works(
    tmp_path,
) -> None:
    # 250 ms per call (token calls included) and nine API calls (two windows of three pages, three users pages):
    # at least 2.5 s of calls, so the first token dies mid-sync.
    with regional_emulator(token_ttl=2, latency_ms=250) as gong:
        run = read(tmp_path, "oauth read with expiring tokens", oauth_config(gong))
        token_calls = statuses(gong, TOKEN_PATH)
        updates = control_configs(run.messages)
        next_sync = read(tmp_path, "oauth read after expiring tokens", {**updates[-1], "end_date": "2024-01-02"})
        truth = expected_records(gong.dataset, START, END, "day")

    assert run.exit_code == 0 and not run.errors
    assert by_id(run.records) == truth
    assert token_calls.get("200", 0) >= 2 and "401" not in token_calls
    refresh_tokens = [update["credentials"]["refresh_token"] for update in updates]
    assert len(updates) == token_calls["200"] and len(set(refresh_tokens + [REFRESH_TOKEN])) == len(refresh_tokens) + 1
    assert next_sync.exit_code == 0 and next_sync.records


def run_cli(
    workdir: Path, command: str, config: dict[str, Any] | None = None, debug: bool = False, label: str = ""
) -> tuple[int, str]:
    """The command line with raw output kept: with --debug the CDK also prints lines of type DEBUG, which are not
    Airbyte protocol messages, so `run_connector` cannot parse them."""
    args = [CONNECTOR, command]
    if config is not None:
        (workdir / "config.json").write_text(json.dumps(config))
        args += ["--config", str(workdir / "config.json")]
    if command == "read":
        (workdir / "catalog.json").write_text(json.dumps(activity_catalog()))
        args += ["--catalog", str(workdir / "catalog.json")]
    args += ["--debug"] if debug else []
    done = subprocess.run(args, capture_output=True, text=True, cwd=workdir, timeout=300)
    OUTPUTS.append((f"{label or command}{' --debug' if debug else ''}", done.stdout, done.stderr))
    return done.returncode, done.stdout


def latest_config(stdout: str, config: dict[str, Any]) -> dict[str, Any]:
    """The config the platform would store after this run: the last CONTROL message's, if there is one."""
    for line in stdout.splitlines():
        message = json.loads(line)
        if message.get("type") == "CONTROL":
            config = message["control"]["connectorConfig"]["config"]
    return config


def test_given_every_command_plain_and_debug_and_the_faults_when_run_then_no_secret_appears_outside_the_control_message(
    tmp_path,
) -> None:
    for debug in (False, True):
        run_commands(tmp_path, debug)
    # The faults with --debug, which logs every request and response.
    window = {"start_date": str(START), "end_date": "2024-01-03"}
    exit_codes = {}
    with EmulatorProcess() as gong:
        wrong = {"auth_type": "access_key", "access_key": ACCESS_KEY, "access_key_secret": WRONG_KEY_SECRET}
        exit_codes["wrong key"], _ = run_cli(
            tmp_path, "read", emulator_config(gong, credentials=wrong, **window), True, "wrong access key read"
        )
    with regional_emulator() as gong:
        exit_codes["oauth"], _ = run_cli(tmp_path, "read", oauth_config(gong, **window), True, "oauth read")
        exit_codes["used refresh token"], _ = run_cli(
            tmp_path, "read", oauth_config(gong, **window), True, "oauth read with a used refresh token"
        )
        static = {"auth_type": "oauth2.0", "access_token": ACCESS_TOKEN}
        regional_url = f"http://localhost:{gong.base_url.rsplit(':', 1)[1]}"
        static_config = emulator_config(gong, credentials=static, base_url=regional_url, **window)
        exit_codes["static token"], _ = run_cli(tmp_path, "read", static_config, True, "static token read")
    with EmulatorProcess(fail_every=3, fail_status=429) as limited:
        exit_codes["429s"], _ = run_cli(tmp_path, "read", emulator_config(limited, **window), True, "read through 429s")
    with EmulatorProcess(fail_every=1, fail_status=503) as down:
        exit_codes["503"], _ = run_cli(
            tmp_path, "read", emulator_config(down, max_retries=1, **window), True, "read failing on 503"
        )
    with EmulatorProcess(daily_cap=1) as capped:
        exit_codes["daily cap"], _ = run_cli(
            tmp_path,
            "read",
            emulator_config(capped, max_retry_after_seconds=60, **window),
            True,
            "read over the daily cap",
        )

    failed = {name: code != 0 for name, code in exit_codes.items()}
    assert failed == {
        "wrong key": True,
        "oauth": False,
        "used refresh token": True,
        "static token": False,
        "429s": False,
        "503": True,
        "daily cap": True,
    }
    issued = issued_tokens(OUTPUTS)
    assert len(issued) >= 6, "the OAuth runs handed over no new tokens to look for"
    assert leaks(OUTPUTS, {**KNOWN_SECRETS, **issued}) == []


def run_commands(tmp_path: Path, debug: bool) -> None:
    """spec, then check, discover and read with an access key, then check and read with OAuth (chaining its config)."""
    run_cli(tmp_path, "spec", debug=debug)
    with EmulatorProcess() as gong:
        for command in ("check", "discover", "read"):
            exit_code, _ = run_cli(
                tmp_path,
                command,
                emulator_config(gong, start_date=str(START), end_date="2024-01-03"),
                debug,
                f"access key {command}",
            )
            assert exit_code == 0, command
    with regional_emulator() as gong:
        config = oauth_config(gong, end_date="2024-01-03")
        for command in ("check", "read"):
            exit_code, stdout = run_cli(tmp_path, command, config, debug, f"oauth {command}")
            assert exit_code == 0, command
            config = latest_config(stdout, config)


def issued_tokens(outputs: list[tuple[str, str, str]]) -> dict[str, str]:
    """The access and refresh tokens the emulator issued, as handed over in CONTROL messages."""
    issued: dict[str, str] = {}
    for _, stdout, _ in outputs:
        for line in stdout.splitlines():
            credentials = (_control_config(line) or {}).get("credentials", {})
            for name in ("access_token", "refresh_token"):
                token = credentials.get(name)
                if token and token not in issued.values():
                    issued[f"issued {name} no. {len(issued) + 1}"] = token
    return issued


def leaks(outputs: list[tuple[str, str, str]], secrets: dict[str, str]) -> list[str]:
    """Every (run, secret, line) where a secret shows outside a CONTROL message, which carries the config by design."""
    return [
        f"{label}: {name} in {line[:300]}"
        for label, stdout, stderr in outputs
        for line in stdout.splitlines() + stderr.splitlines()
        if _control_config(line) is None
        for name, secret in secrets.items()
        if secret in line
    ]


def _control_config(line: str) -> dict[str, Any] | None:
    try:
        message = json.loads(line)
    except ValueError:
        return None
    if not isinstance(message, dict) or message.get("type") != "CONTROL":
        return None
    return message["control"]["connectorConfig"]["config"]
