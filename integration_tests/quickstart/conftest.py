"""One quick-start run against the emulator (`scripts/quickstart.py`, as `make sync` calls it), shared by its tests."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
import subprocess
import sys
import zoneinfo
from pathlib import Path

import pytest

from integration_tests.ci import skip_unless_ci
from integration_tests.gong_emulator import Dataset
from integration_tests.harness import REPO, company_today

# The quick start's extra (`make .venv/.quickstart`, which `make test` installs; PyAirbyte has no Python 3.13 release).
# In CI (CI=true) a missing extra fails the run instead: CI installs it, so its absence is a broken install.
if not all(importlib.util.find_spec(module) for module in ("airbyte", "duckdb", "matplotlib")):
    skip_unless_ci("the quickstart extra is not installed: make .venv/.quickstart", allow_module_level=True)

QUICKSTART = REPO / "scripts" / "quickstart.py"
DAYS = 30
# The emulator the quick start starts: its flags' defaults, with the 250 users it asks for.
EMULATOR_DATASET = Dataset(seed=42, users=250, history_start="2024-01-01", timezone="US/Pacific")


def expected_days(first_day: dt.date, end_day: dt.date) -> list[dict]:
    """Every (user, day) record the quick start's sync holds, from the emulator's truth: Gong's, with its counters,
    and the zero-filled ones (counters None) of every active user created by that day who has no record for it."""
    gong = [
        {"userId": item["userId"], "day": item["fromDate"], "counters": item["counters"]}
        for item in EMULATOR_DATASET.expected(first_day, end_day, "DAY")
    ]
    busy = {(item["userId"], item["day"]) for item in gong}
    zone = zoneinfo.ZoneInfo(EMULATOR_DATASET.timezone)
    zeros = []
    for user in EMULATOR_DATASET.users():
        created = dt.datetime.fromisoformat(user["created"]).astimezone(zone).date()
        day = first_day
        while day < end_day:
            if user["active"] and created <= day and (user["id"], day) not in busy:
                zeros.append({"userId": user["id"], "day": day, "counters": None})
            day += dt.timedelta(days=1)
    return gong + zeros


@dataclasses.dataclass
class QuickStartRun:
    exit_code: int
    stdout: str
    stderr: str
    output: Path
    first_day: dt.date  # what the run must cover, computed here rather than read back from its output
    end_day: dt.date  # exclusive

    @property
    def database(self) -> Path:
        return self.output / "emulator.duckdb"


def run_quickstart(output: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(QUICKSTART), "--output", str(output), *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=output.parent,
    )


@pytest.fixture(scope="session")
def quickstart(tmp_path_factory: pytest.TempPathFactory) -> QuickStartRun:
    # The quick start counts its days back from this machine's date and ends at the company's today. A run across
    # either midnight covers days no test can name, so it runs once more, in a new folder (the quick start never
    # overwrites a database); a run takes a minute, so the second one sees no midnight.
    for _ in range(2):
        days = (dt.date.today(), company_today("US/Pacific"))
        output = tmp_path_factory.mktemp("quickstart") / "quickstart-output"
        done = run_quickstart(output, "--days", str(DAYS))
        if (dt.date.today(), company_today("US/Pacific")) == days:
            break
    machine_today, end_day = days
    first_day = machine_today - dt.timedelta(days=DAYS)
    return QuickStartRun(done.returncode, done.stdout, done.stderr, output, first_day, end_day)
