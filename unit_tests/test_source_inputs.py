"""`source`: the config and catalog files it reads, each error naming the file or the stream."""

from __future__ import annotations

import json

import pytest

from source_gong_activity.run import run
from unit_tests.builders import a_config

SECRET = "s3cr3t-Qx7Vb2Lm9"  # planted in bad values; no output may carry it


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
