"""The README's first command: check, then a 90-day daily sync into DuckDB through PyAirbyte, then a summary.

Without --config it starts the bundled Gong emulator on 127.0.0.1 and syncs from it into
quickstart-output/emulator.duckdb (activity, users, and for the docs' coaching query activity_calls, workspaces and
coaching); with --config it syncs activity and users from Gong with your credentials (no scope beyond theirs) into a
database named after the config file, so two sources never share a table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import quickstart_summary
from quickstart_summary import QuickStartError

# PyAirbyte asks Airbyte's registry about connectors and sends usage telemetry; neither is wanted here.
os.environ.setdefault("AIRBYTE_OFFLINE_MODE", "1")
os.environ.setdefault("DO_NOT_TRACK", "1")

REPO = Path(__file__).resolve().parents[1]
CONNECTOR = Path(sys.executable).with_name("source-gong-activity")
TABLE = "gong.activity"
STREAMS = ["activity", "users"]
# The docs' scorecard and coaching queries join these with activity; the emulator grants every scope they need.
EMULATOR_STREAMS = [*STREAMS, "answered_scorecards", "scorecards", "activity_calls", "workspaces", "coaching"]
RESERVED_STEMS = frozenset({"emulator", "gong", "main", "memory", "system", "temp"})


def main() -> int:
    options = _arguments()
    try:
        config = read_config(options.config) if options.config else None
        options.output.mkdir(parents=True, exist_ok=True)
        database = options.output / database_name(options.config)
        if config is not None:
            source = f"the config file {options.config.resolve()}"
            return run(config, database, options.output, source=source, streams=STREAMS)
        emulator = start_emulator()
        try:
            config = emulator_config(emulator["url"], options.days)
            return run(config, database, options.output, source="emulator", streams=EMULATOR_STREAMS)
        finally:
            emulator["process"].send_signal(signal.SIGTERM)
            emulator["process"].wait(timeout=10)
    except QuickStartError as error:
        print(error, file=sys.stderr)
        return 1


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--config", type=Path, help="a connector config for a real Gong tenant (default: the local emulator)"
    )
    parser.add_argument("--days", type=int, default=90, help="how many days of daily activity to sync (emulator)")
    parser.add_argument("--output", type=Path, default=REPO / "quickstart-output")
    return parser.parse_args()


def read_config(path: Path) -> dict[str, Any]:
    try:
        config = json.loads(path.read_text())
    except FileNotFoundError:
        raise QuickStartError(f"The config file '{path}' does not exist; see the README's Configuration.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise QuickStartError(f"The config file '{path}' cannot be read: {type(error).__name__}.") from None
    except json.JSONDecodeError as error:
        raise QuickStartError(f"The config file '{path}' is not valid JSON (line {error.lineno}).") from None
    if not isinstance(config, dict):
        raise QuickStartError(f"The config file '{path}' must hold a JSON object of config fields.")
    return config


def database_name(config_path: Path | None) -> str:
    """One DuckDB file per source: `emulator.duckdb`, or the config file's name, which can never be `emulator`."""
    if config_path is None:
        return "emulator.duckdb"
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", config_path.stem) or "config"
    # DuckDB names the file's catalog after it: `gong` would clash with the schema, the others are DuckDB's own.
    return f"{stem}-config.duckdb" if stem in RESERVED_STEMS else f"{stem}.duckdb"


def start_emulator() -> dict[str, Any]:
    process = subprocess.Popen(
        [sys.executable, "-m", "integration_tests.gong_emulator", "--port", "0", "--users", "250"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline().strip()
    if not line.startswith("gong-emulator listening on "):
        process.kill()
        raise QuickStartError(f"The Gong emulator did not start: {line!r}")
    url = line.rsplit(" ", 1)[-1]
    print(f"Started the bundled Gong emulator at {url} (no credentials given, so no call leaves this machine).")
    return {"process": process, "url": url}


def emulator_config(url: str, days: int) -> dict[str, Any]:
    start = dt.date.today() - dt.timedelta(days=days)
    return {
        "credentials": {
            "auth_type": "access_key",
            "access_key": "test-access-key",
            "access_key_secret": "test-access-key-secret",
        },
        "base_url": url,
        "start_date": start.isoformat(),
        "aggregation_period": "day",
        "include_quiet_users": True,
        # The emulator has no rate limit: Gong's 3 calls a second would make coaching's ~360 calls (one per workspace,
        # manager and month) two of the run's minutes.
        "requests_per_second": 100,
    }


def run(config: dict[str, Any], database: Path, output: Path, source: str, streams: list[str]) -> int:
    # Every active user gets a record for every day, zeros where Gong sent none: the summary counts quiet users and
    # averages over every rep from the data alone (your config may turn it off; it needs api:users:read).
    config = {"include_quiet_users": True, **config}
    quickstart_summary.claim(database, source)
    if not check(config, output):
        return 1
    cache = sync(config, database, output, streams)
    with cache.get_sql_engine().connect() as db:
        # PyAirbyte keeps the DuckDB file open in this process, so the summary goes through its engine.
        quickstart_summary.summarize(db, database, TABLE, output)
    return 0


def check(config: dict[str, Any], output: Path) -> bool:
    config_path = output / "check-config.json"
    config_path.touch(mode=0o600)
    config_path.chmod(0o600)  # it holds the credentials
    config_path.write_text(json.dumps(config))
    try:
        result = subprocess.run(
            [str(CONNECTOR), "check", "--config", str(config_path)], capture_output=True, text=True, timeout=300
        )
    finally:
        config_path.unlink()
    statuses = [
        json.loads(line)["connectionStatus"] for line in result.stdout.splitlines() if '"CONNECTION_STATUS"' in line
    ]
    status = statuses[-1] if statuses else {"status": "FAILED", "message": "the connector printed no connection status"}
    print(f"check: {status['status']}" + (f" - {status.get('message')}" if status.get("message") else ""))
    return status["status"] == "SUCCEEDED"


def sync(config: dict[str, Any], database: Path, output: Path, streams: list[str]) -> Any:
    import airbyte as ab

    source = ab.get_source("source-gong-activity", config=config, local_executable=str(CONNECTOR))
    source.select_streams(streams)
    cache = ab.DuckDBCache(db_path=str(database), schema_name="gong", cache_dir=output / ".cache")
    # Replace: the file holds exactly this sync, never records left from an earlier range.
    result = source.read(cache=cache, force_full_refresh=True, write_strategy="replace")
    tables = ", ".join(f"gong.{stream}" for stream in streams)
    print(f"Synced {result.processed_records} records into the tables {tables} of {database}.")
    return cache


if __name__ == "__main__":
    sys.exit(main())
