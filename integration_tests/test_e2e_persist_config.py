"""`--persist-config` through the real command line: Gong's single-use refresh tokens survive runs outside the
platform, a file that cannot be written costs a warning and not the sync, and no secret shows in any output."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from airbyte_cdk.models import Level, Type

from integration_tests.ci import skip_unless_ci
from integration_tests.harness import (
    CONNECTOR,
    ConnectorRun,
    activity_catalog,
    by_id,
    expected_records,
    run_connector,
)
from integration_tests.test_e2e_credentials import (
    END,
    KNOWN_SECRETS,
    REFRESH_TOKEN,
    START,
    TOKEN_PATH,
    control_configs,
    issued_tokens,
    leaks,
    oauth_config,
    regional_emulator,
    statuses,
)

PERSIST = "--persist-config"
PLATFORM_VARIABLES = ("WORKER_JOB_ID", "WORKER_JOB_ATTEMPT", "WORKER_CONNECTOR_IMAGE")


@pytest.fixture(autouse=True)
def outside_the_platform(monkeypatch: pytest.MonkeyPatch) -> None:
    """The connector subprocesses inherit this environment: none of the platform's worker variables."""
    for name in PLATFORM_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def write_config(path: Path, config: dict[str, Any], mode: int = 0o600) -> Path:
    path.write_text(json.dumps(config))
    path.chmod(mode)
    return path


def run(workdir: Path, command: str, config_path: Path, *flags: str) -> ConnectorRun:
    """The command line with the config given by path, so the connector can write that very file."""
    catalog = activity_catalog() if command == "read" else None
    return run_connector(workdir, command, catalog=catalog, extra_args=["--config", str(config_path), *flags])


def warnings(run: ConnectorRun) -> list[str]:
    return [message.log.message for message in run.of_type(Type.LOG) if message.log.level == Level.WARN]


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def no_leaks(runs: list[ConnectorRun]) -> list[str]:
    outputs = [(f"run {n}", r.stdout, r.stderr) for n, r in enumerate(runs, 1)]
    return leaks(outputs, {**KNOWN_SECRETS, **issued_tokens(outputs)})


def test_given_persist_config_when_three_syncs_run_in_a_row_then_each_uses_the_token_the_previous_one_saved(
    tmp_path: Path,
) -> None:
    runs, saved = [], []
    with regional_emulator() as gong:
        config_path = write_config(tmp_path / "config.json", oauth_config(gong))
        for _ in range(3):
            runs.append(run(tmp_path, "read", config_path, PERSIST))
            saved.append((json.loads(config_path.read_text()), mode_of(config_path)))
        token_calls = statuses(gong, TOKEN_PATH)
        truth = expected_records(gong.dataset, START, END, "day")

    for number, (sync, (config, mode)) in enumerate(zip(runs, saved, strict=True), 1):
        assert sync.exit_code == 0 and not sync.errors, f"sync {number}"
        assert by_id(sync.records) == truth, f"sync {number}"
        assert config == control_configs(sync.messages)[-1], f"sync {number} did not save its last CONTROL config"
        assert mode == 0o600, f"sync {number} left mode {mode:o}"
        assert warnings(sync) == [], f"sync {number}"
    refresh_tokens = [REFRESH_TOKEN] + [config["credentials"]["refresh_token"] for config, _ in saved]
    assert len(set(refresh_tokens)) == 4, "a sync saved a refresh token that was not new"
    # Single-use tokens: a sync that sent an old one would have drawn a 401 from the token endpoint.
    assert token_calls == {"200": 3}
    assert all(
        config["credentials"]["access_token"] and config["credentials"]["token_expiry_date"] for config, _ in saved
    )
    assert no_leaks(runs) == []


def test_given_persist_config_on_check_and_discover_when_run_then_check_saves_its_refresh_and_discover_keeps_the_file(
    tmp_path: Path,
) -> None:
    with regional_emulator() as gong:
        config_path = write_config(tmp_path / "config.json", oauth_config(gong), mode=0o640)
        check = run(tmp_path, "check", config_path, PERSIST)
        after_check = config_path.read_bytes()
        discover = run(tmp_path, "discover", config_path, PERSIST)
        after_discover = config_path.read_bytes()
        read = run(tmp_path, "read", config_path, PERSIST)
        token_calls = statuses(gong, TOKEN_PATH)

    [status] = [message.connectionStatus.status.value for message in check.of_type(Type.CONNECTION_STATUS)]
    assert check.exit_code == 0 and status == "SUCCEEDED"
    assert json.loads(after_check) == control_configs(check.messages)[-1]
    assert discover.exit_code == 0 and control_configs(discover.messages) == [] and after_discover == after_check
    assert read.exit_code == 0 and not read.errors and token_calls == {"200": 2}
    assert mode_of(config_path) == 0o640
    assert no_leaks([check, discover, read]) == []


# The longest file name Linux allows (NAME_MAX, 255 bytes): the temporary the connector writes beside the config
# before renaming it over the old one, ".{name}.XXXXXXXX.tmp", is then too long to create, for root too.
LONGEST_NAME = "c" * 250 + ".json"


@contextlib.contextmanager
def unwritable_config(tmp_path: Path, config: dict[str, Any], way: str) -> Iterator[Path]:
    """A config file the connector cannot replace, though it runs as root (whom no permission bit stops): made
    immutable with `chattr +i` (ext4, xfs, btrfs: /tmp here is ext4), or named so long that no temporary can be made
    beside it, which needs nothing of the filesystem. Running the connector as nobody is no option: its Python lives
    under /root."""
    if way == "no-room-for-a-temporary":
        yield write_config(tmp_path / LONGEST_NAME, config)
        return
    path = write_config(tmp_path / "config.json", config)
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
    if done.returncode != 0:
        skip_unless_ci(f"chattr +i does not work on this filesystem ({done.stderr.strip()}); the other way still runs")
    try:
        yield path
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.mark.parametrize("way", ["immutable", "no-room-for-a-temporary"])
def test_given_a_config_file_that_cannot_be_written_when_read_with_persist_config_then_a_warning_and_a_full_sync(
    tmp_path: Path, way: str
) -> None:
    with regional_emulator() as gong:
        with unwritable_config(tmp_path, oauth_config(gong), way) as config_path:
            before = config_path.read_bytes()
            sync = run(tmp_path, "read", config_path, PERSIST)
            after = config_path.read_bytes()
        truth = expected_records(gong.dataset, START, END, "day")

    assert sync.exit_code == 0 and not sync.errors and by_id(sync.records) == truth
    [warning] = warnings(sync)
    assert "not saved" in warning and str(config_path) in warning and "CONTROL message" in warning
    assert after == before
    assert sorted(path.name for path in tmp_path.iterdir() if path.name.startswith(f".{config_path.name}")) == []
    assert control_configs(sync.messages), "the new token must still reach whoever reads the CONTROL message"
    assert no_leaks([sync]) == []


def test_given_no_flag_when_read_outside_the_platform_then_the_file_is_untouched_and_a_warning_names_the_flag(
    tmp_path: Path,
) -> None:
    with regional_emulator() as gong:
        config_path = write_config(tmp_path / "config.json", oauth_config(gong))
        before, mtime = config_path.read_bytes(), config_path.stat().st_mtime_ns
        sync = run(tmp_path, "read", config_path)

    assert sync.exit_code == 0 and not sync.errors
    assert config_path.read_bytes() == before and config_path.stat().st_mtime_ns == mtime
    [warning] = warnings(sync)
    assert PERSIST in warning and "single-use" in warning
    assert no_leaks([sync]) == []


def test_given_no_flag_when_read_inside_the_platform_then_no_warning_and_the_file_is_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKER_JOB_ID", "4711")
    with regional_emulator() as gong:
        config_path = write_config(tmp_path / "config.json", oauth_config(gong))
        before = config_path.read_bytes()
        sync = run(tmp_path, "read", config_path)

    assert sync.exit_code == 0 and not sync.errors and control_configs(sync.messages)
    assert warnings(sync) == [] and config_path.read_bytes() == before


def test_given_persist_config_on_spec_when_run_then_the_cdk_parser_refuses_it() -> None:
    done = subprocess.run([CONNECTOR, "spec", PERSIST], capture_output=True, text=True, timeout=120)

    assert done.returncode == 2
    assert "unrecognized arguments: --persist-config" in done.stderr
    assert all(json.loads(line)["type"] == "LOG" for line in done.stdout.splitlines())


def test_given_pyairbyte_with_config_saver_when_two_checks_run_in_a_row_then_the_second_uses_the_saved_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No telemetry and no registry look-up: PyAirbyte runs the local command line only.
    monkeypatch.setenv("DO_NOT_TRACK", "1")
    monkeypatch.setenv("AIRBYTE_OFFLINE_MODE", "1")
    if importlib.util.find_spec("airbyte") is None:
        skip_unless_ci("PyAirbyte comes with the quick-start extra (make .venv/.quickstart)")
    import airbyte as ab

    from source_gong_activity.config.persisted import config_saver

    saved = []
    with regional_emulator() as gong:
        config_path = write_config(tmp_path / "config.json", oauth_config(gong))
        for _ in range(2):
            source = ab.get_source(
                "source-gong-activity",
                config=json.loads(config_path.read_text()),
                local_executable=CONNECTOR,
                config_change_callback=config_saver(config_path),
            )
            source.check()
            saved.append(json.loads(config_path.read_text())["credentials"]["refresh_token"])
        token_calls = statuses(gong, TOKEN_PATH)

    assert token_calls == {"200": 2} and len({REFRESH_TOKEN, *saved}) == 3
    assert mode_of(config_path) == 0o600
