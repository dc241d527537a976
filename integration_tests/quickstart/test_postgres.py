"""Into PostgreSQL through PyAirbyte: the docs' cache, run as written against a server of its own, lands every id
exactly as the emulator serves it, with `remote_data` as Gong sent it (an integer past 64 bits as its digits), and
the docs' Postgres queries add up; PyAirbyte's own PostgresCache rounds user ids, as the docs say."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from integration_tests.ci import skip_unless_ci
from integration_tests.gong_emulator import Dataset
from integration_tests.harness import REPO, EmulatorProcess, expected_records, on_one_company_day

from .postgres_server import PostgresServer, postgres_server, why_not_runnable

DOCS = REPO / "docs" / "gong-activity.md"
CACHE_BLOCK = re.compile(r"^```python postgres-cache\n(.*?)^```$", re.DOTALL | re.MULTILINE)
SQL_BLOCK = re.compile(r"^```sql postgres (\S+)\n(.*?)^```$", re.DOTALL | re.MULTILINE)
DOCS_EMULATOR = "http://127.0.0.1:8080"
DOCS_SERVER = 'host="HOST", port=5432, username="USER", password="PASSWORD", database="DATABASE"'
ZONE = "US/Pacific"
DAYS = 21
# Seed 1's 40 users: 3 user ids and 8 users' manager ids above 2**63 (the tests check they are there). Answered
# scorecards carry their ids as JSON numbers (Gong's contract of 2024): question ids have 20 digits, and a tenth of
# the call ids too (above 2**64).
EMULATOR = {
    "seed": 1,
    "users": 40,
    "numeric_call_ids": True,
    "numeric_scorecard_ids": True,
    "access_key": "test-access-key",  # the docs' config names the emulator's default credentials
    "access_key_secret": "test-access-key-secret",
}
INT64 = range(-(2**63), 2**63)


@dataclasses.dataclass
class Sync:
    done: subprocess.CompletedProcess
    dataset: Dataset
    start: dt.date
    today: dt.date  # the company's, exclusive end of the synced days


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    reason = why_not_runnable()
    if reason is not None:
        skip_unless_ci(reason)
    with postgres_server() as server:
        yield server


def _environment() -> dict[str, str]:
    """The test's environment as a user's shell has it: the scripts set PyAirbyte's offline flags themselves."""
    environment = {
        key: value for key, value in os.environ.items() if key not in ("AIRBYTE_OFFLINE_MODE", "DO_NOT_TRACK")
    }
    environment["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{environment.get('PATH', '')}"
    return environment


def _run_script(folder: Path, text: str) -> subprocess.CompletedProcess:
    (folder / "script.py").write_text(text)
    return subprocess.run(
        [sys.executable, "script.py"], cwd=folder, env=_environment(), capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def synced(postgres: PostgresServer, tmp_path_factory: pytest.TempPathFactory) -> Sync:
    [script] = CACHE_BLOCK.findall(DOCS.read_text())
    server = (
        f'host="127.0.0.1", port={postgres.port}, username="{postgres.user}", password="{postgres.password}", '
        f'database="{postgres.database}"'
    )

    def sync(today: dt.date) -> Sync:
        # Only the addresses and the first day change; a run again after the company's midnight replaces the rows
        # (PyAirbyte merges on the primary key) and reads the new day's data.
        start = today - dt.timedelta(days=DAYS)
        with EmulatorProcess(**EMULATOR) as emulator:
            text = script.replace(DOCS_EMULATOR, emulator.base_url).replace(DOCS_SERVER, server)
            text = re.sub(r'"start_date": "\d{4}-\d{2}-\d{2}"', f'"start_date": "{start}"', text)
            done = _run_script(tmp_path_factory.mktemp("postgres-cache"), text)
            return Sync(done, emulator.dataset, start, today)

    return on_one_company_day(ZONE, sync)


def _query(postgres: PostgresServer, sql: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(postgres.url) as connection:
        return connection.execute(sql).fetchall()


def _as_decoded(value: Any) -> Any:
    """Gong's item as the connector must pass it on: each integer outside 64 bits (signed) as its decimal digits,
    every other value as sent."""
    if isinstance(value, dict):
        return {key: _as_decoded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_decoded(item) for item in value]
    return str(value) if type(value) is int and value not in INT64 else value


def test_the_docs_mark_exactly_the_postgres_examples_these_tests_run() -> None:
    text = DOCS.read_text()
    [script] = CACHE_BLOCK.findall(text)
    assert [name for name, _ in SQL_BLOCK.findall(text)] == ["flat-view", "weekly-per-user"]
    assert DOCS_EMULATOR in script and DOCS_SERVER in script


def test_given_ids_above_2_pow_63_when_the_docs_cache_syncs_then_every_user_and_manager_id_lands_exact(
    synced: Sync, postgres: PostgresServer
) -> None:
    assert synced.done.returncode == 0, synced.done.stderr[-3000:]
    truth = {user["id"]: user["managerId"] for user in synced.dataset.users()}
    assert sum(int(user) >= 2**63 for user in truth) >= 1, "no user id above 2**63: the test would show nothing"
    assert sum(int(manager) >= 2**63 for manager in truth.values() if manager) >= 1, "no manager id above 2**63"

    rows = _query(postgres, "SELECT id, manager_id FROM gong.users")

    assert len(rows) == len(truth)
    assert dict(rows) == truth


def test_given_the_docs_cache_then_each_activity_record_and_its_user_id_land_exact(
    synced: Sync, postgres: PostgresServer
) -> None:
    assert synced.done.returncode == 0, synced.done.stderr[-3000:]
    expected = expected_records(synced.dataset, synced.start, synced.today, "day")

    rows = _query(postgres, """SELECT id, a."user"->>'id' FROM gong.activity AS a""")

    assert len(rows) == len(expected)
    assert dict(rows) == {record_id: record["user"]["id"] for record_id, record in expected.items()}
    assert any(int(user) >= 2**63 for _, user in rows), "no activity of a user id above 2**63"


def test_given_call_ids_above_2_pow_64_when_the_docs_cache_syncs_then_ids_are_exact_and_remote_data_has_their_digits(
    synced: Sync, postgres: PostgresServer
) -> None:
    assert synced.done.returncode == 0, synced.done.stderr[-3000:]
    served = synced.dataset.expected_scorecards(synced.start, synced.today)
    assert any(item["callId"] >= 2**64 for item in served), "no call id above 2**64: the test would show nothing"

    rows = _query(
        postgres,
        """SELECT id, call_id, scorecard->>'id', reviewed_user->>'id', reviewer->>'id', remote_data
           FROM gong.answered_scorecards""",
    )

    assert len(rows) == len(served)
    assert sorted(row[:5] for row in rows) == sorted(
        tuple(str(item[name]) for name in ("answeredScorecardId", "callId", "scorecardId", "reviewedUserId"))
        + (str(item["reviewerUserId"]),)
        for item in served
    )
    by_id = {str(item["answeredScorecardId"]): item for item in served}
    remote_data = {row[0]: row[5] for row in rows}
    assert remote_data == {key: _as_decoded(item) for key, item in by_id.items()}
    wide = [remote_data[key]["callId"] for key, item in by_id.items() if item["callId"] >= 2**64]
    assert wide and all(type(call_id) is str and len(call_id) == 20 for call_id in wide)


def test_given_the_docs_cache_when_the_docs_postgres_queries_run_then_weekly_totals_equal_sums_of_the_days(
    synced: Sync, postgres: PostgresServer
) -> None:
    import psycopg

    assert synced.done.returncode == 0, synced.done.stderr[-3000:]
    queries = dict(SQL_BLOCK.findall(DOCS.read_text()))
    users = {user["id"]: user for user in synced.dataset.users()}
    sums: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    for item in synced.dataset.expected(synced.start, synced.today, "DAY"):
        total = sums[(item["userId"], item["fromDate"] - dt.timedelta(days=item["fromDate"].weekday()))]
        total[0] += 1
        total[1] += item["counters"]["callsAsHost"]
        total[2] += item["counters"]["callsGaveFeedback"]

    with psycopg.connect(postgres.url) as connection:
        connection.execute(queries["flat-view"])
        rows = connection.execute(queries["weekly-per-user"]).fetchall()
        connection.rollback()  # the view stays the test's: the next run of the module creates it again

    assert rows == sorted(
        (
            (user, f"{users[user]['firstName']} {users[user]['lastName']}", monday, *total)
            for (user, monday), total in sums.items()
        ),
        key=lambda row: (row[2], row[0]),
    )


def test_given_pyairbyte_s_own_postgres_cache_then_user_ids_change_as_the_docs_say_and_wide_call_ids_still_load(
    postgres: PostgresServer, tmp_path: Path
) -> None:
    # What the docs warn of, held against the pinned PyAirbyte: if a release loads ids exactly, the first assertion
    # fails, and the docs' cache can go. Answered scorecards load all the same: no integer past 64 bits reaches
    # pandas' reader ("Value is too big!" stopped the whole sync when one did).
    script = f"""
import os
os.environ["AIRBYTE_OFFLINE_MODE"] = "1"
os.environ["DO_NOT_TRACK"] = "1"
import airbyte as ab
from airbyte.caches import PostgresCache

config = {{"credentials": {{"auth_type": "access_key", "access_key": "test-access-key",
           "access_key_secret": "test-access-key-secret"}}, "base_url": "BASE_URL", "start_date": "START"}}
source = ab.get_source("source-gong-activity", config=config, local_executable="source-gong-activity")
source.select_streams(["users", "answered_scorecards"])
cache = PostgresCache(host="127.0.0.1", port={postgres.port}, username={postgres.user!r},
                      password={postgres.password!r}, database={postgres.database!r}, schema_name="pyairbyte_cache")
source.read(cache=cache, force_full_refresh=True, write_strategy="replace")
"""

    def sync(today: dt.date) -> tuple[subprocess.CompletedProcess, Dataset, dt.date]:
        start = today - dt.timedelta(days=DAYS)
        with EmulatorProcess(**EMULATOR) as emulator:
            text = script.replace("BASE_URL", emulator.base_url).replace("START", str(start))
            return _run_script(tmp_path, text), emulator.dataset, start

    done, dataset, start = on_one_company_day(ZONE, sync)
    assert done.returncode == 0, done.stderr[-3000:]
    truth = {user["id"]: user["managerId"] for user in dataset.users()}
    served = dataset.expected_scorecards(start, start + dt.timedelta(days=DAYS))

    users = dict(_query(postgres, "SELECT id, manager_id FROM pyairbyte_cache.users"))
    calls = dict(_query(postgres, "SELECT id, remote_data->'callId' FROM pyairbyte_cache.answered_scorecards"))

    assert users != truth
    assert users == {_through_a_float(user): manager and _through_a_float(manager) for user, manager in truth.items()}
    assert calls == {str(item["answeredScorecardId"]): _as_decoded(item["callId"]) for item in served}
    assert any(type(call) is str for call in calls.values()), "no call id above 2**64: the test would show nothing"


def _through_a_float(digits: str) -> str:
    """An id as it lands after pandas read it as a float: the float's shortest repr, written out as Postgres writes
    that numeric literal into a text column (1118660649136386710 -> 1.1186606491363867e+18 -> 1118660649136386700)."""
    return str(int(Decimal(repr(float(digits)))))
