"""The README's first command: check, then a 90-day daily sync into DuckDB through PyAirbyte, then a summary.

Without --config it starts the bundled Gong emulator on 127.0.0.1 and syncs from it; with --config it syncs from
Gong with your credentials.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

# PyAirbyte asks Airbyte's registry about connectors and sends usage telemetry; neither is wanted here.
os.environ.setdefault("AIRBYTE_OFFLINE_MODE", "1")
os.environ.setdefault("DO_NOT_TRACK", "1")

REPO = Path(__file__).resolve().parents[1]
CONNECTOR = Path(sys.executable).with_name("source-gong-activity")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--config", type=Path, help="a connector config for a real Gong tenant (default: the local emulator)"
    )
    parser.add_argument("--days", type=int, default=90, help="how many days of daily activity to sync")
    parser.add_argument("--output", type=Path, default=REPO / "quickstart-output")
    options = parser.parse_args()
    options.output.mkdir(parents=True, exist_ok=True)

    emulator = None if options.config else start_emulator()
    try:
        config = (
            json.loads(options.config.read_text()) if options.config else emulator_config(emulator["url"], options.days)
        )
        if not check(config, options.output):
            return 1
        summarize(sync(config, options.output))
    finally:
        if emulator:
            emulator["process"].send_signal(signal.SIGTERM)
            emulator["process"].wait(timeout=10)
    return 0


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
        raise SystemExit(f"The Gong emulator did not start: {line!r}")
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
    }


def check(config: dict[str, Any], output: Path) -> bool:
    config_path = output / "config.json"
    config_path.write_text(json.dumps(config))
    config_path.chmod(0o600)
    result = subprocess.run(
        [str(CONNECTOR), "check", "--config", str(config_path)], capture_output=True, text=True, timeout=300
    )
    statuses = [
        json.loads(line)["connectionStatus"] for line in result.stdout.splitlines() if '"CONNECTION_STATUS"' in line
    ]
    status = statuses[-1] if statuses else {"status": "FAILED", "message": "the connector printed no connection status"}
    print(f"check: {status['status']}" + (f" - {status.get('message')}" if status.get("message") else ""))
    return status["status"] == "SUCCEEDED"


def sync(config: dict[str, Any], output: Path) -> Any:
    import airbyte as ab

    database = output / "gong_activity.duckdb"
    source = ab.get_source("source-gong-activity", config=config, local_executable=str(CONNECTOR))
    source.select_streams(["activity"])
    cache = ab.DuckDBCache(db_path=str(database), schema_name="gong")
    result = source.read(cache=cache, force_full_refresh=True)
    print(f"Synced {result.processed_records} activity records into {database}.")
    return cache


def summarize(cache: Any) -> None:
    from sqlalchemy import text

    # PyAirbyte keeps the DuckDB file open in this process, so the summary goes through its engine.
    with cache.get_sql_engine().connect() as db:
        print("\nTop 10 users by calls hosted:")
        _print_table(
            db.execute(
                text(
                    """
            SELECT json_extract_string("user", '$.name') AS name,
                   sum(CAST(json_extract(metrics, '$.calls_hosted') AS BIGINT)) AS calls_hosted,
                   sum(CAST(json_extract(metrics, '$.calls_attended') AS BIGINT)) AS calls_attended,
                   sum(CAST(json_extract(metrics, '$.calls_listened_others') AS BIGINT)) AS listened_to_others
            FROM gong.activity GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10
            """
                )
            )
        )
        # The id carries the day in the company's time zone; start_time is stored as a UTC timestamp.
        print("\nWeekly totals (weeks start on Monday):")
        _print_table(
            db.execute(
                text(
                    """
            SELECT CAST(date_trunc('week', CAST(split_part(id, ':', 3) AS DATE)) AS DATE) AS week,
                   count(DISTINCT json_extract_string("user", '$.id')) AS users,
                   sum(CAST(json_extract(metrics, '$.calls_hosted') AS BIGINT)) AS calls_hosted,
                   sum(CAST(json_extract(metrics, '$.feedback_given') AS BIGINT)) AS feedback_given,
                   sum(CAST(json_extract(metrics, '$.scorecards_filled') AS BIGINT)) AS scorecards_filled
            FROM gong.activity GROUP BY 1 ORDER BY 1
            """
                )
            )
        )


def _print_table(result: Any) -> None:
    headers = list(result.keys())
    rows = [[str(value) for value in row] for row in result.fetchall()]
    widths = [max(len(text) for text in column) for column in zip(headers, *rows, strict=False)]
    for row in [headers, ["-" * width for width in widths], *rows]:
        print("  ".join(text.ljust(width) for text, width in zip(row, widths, strict=False)))


if __name__ == "__main__":
    sys.exit(main())
