"""The command line: one stdout line with the URL, loopback only, clean exit on SIGTERM and SIGINT."""

from __future__ import annotations

import os
import pathlib
import re
import signal
import subprocess
import sys

import pytest
import requests

REPO_ROOT = pathlib.Path(__file__).resolve().parents[3]
LINE = re.compile(r"gong-emulator listening on (http://127\.0\.0\.1:(\d+))\n")


def _launch(*flags: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "integration_tests.gong_emulator", *flags],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_given_command_line_when_started_and_signalled_then_one_line_and_exit_0(signum):
    process = _launch("--users", "5", "--port", "0", "--verbose")
    try:
        match = LINE.fullmatch(process.stdout.readline())
        assert match, "first stdout line must announce the URL"
        answer = requests.get(match.group(1) + "/v2/users", auth=("test-access-key", "test-access-key-secret"))
        assert answer.status_code == 200 and len(answer.json()["users"]) == 5
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=10)
    finally:
        process.kill()
    assert process.returncode == 0
    assert stdout == ""  # nothing after the announcement, even with --verbose
    assert "/v2/users" in stderr


@pytest.mark.parametrize(
    "flags",
    [
        ["--host", "0.0.0.0"],
        ["--timezone", "Mars/Olympus"],
        ["--page-size", "0"],
        ["--fail-path", "stats/activity/aggregate"],
        ["--bad-request-path", "/oauth2/generate-customer-token"],
        ["--token-without-host", "--regional-host", "localhost"],
    ],
)
def test_given_unusable_flags_when_starting_then_refuses_with_status_2(flags):
    process = _launch(*flags)
    stdout, stderr = process.communicate(timeout=10)

    assert process.returncode == 2
    assert stdout == ""
    assert flags[0].lstrip("-").replace("-", "_") in stderr


def test_given_config_from_args_when_parsed_then_fields_match_flags():
    from integration_tests.gong_emulator import EmulatorConfig

    config = EmulatorConfig.from_args(
        [
            "--page-size",
            "7",
            "--history-start",
            "2025-02-01",
            "--no-users-scope",
            "--regional-host",
            "localhost",
            "--token-ttl",
            "2.5",
            "--fail-path",
            "/v2/stats/activity/aggregate",
            "--bad-request-path",
            "/v2/stats/interaction",
        ]
    )

    assert (config.page_size, config.history_start.isoformat(), config.no_users_scope) == (7, "2025-02-01", True)
    assert (config.regional_host, config.token_ttl, config.seed) == ("localhost", 2.5, 42)
    assert (config.fail_path, config.bad_request_path) == ("/v2/stats/activity/aggregate", "/v2/stats/interaction")
    assert EmulatorConfig.from_args(["--token-without-host"]).token_without_host is True
