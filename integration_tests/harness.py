"""Runs the emulator and the real connector command line as subprocesses, and computes what a sync must produce."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
import zoneinfo
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import requests
from airbyte_cdk.models import AirbyteMessage, AirbyteMessageSerializer, Type

from integration_tests.gong_emulator import Dataset

REPO = Path(__file__).resolve().parents[1]
CONNECTOR = str(Path(sys.executable).with_name("source-gong-activity"))
SCHEMA = json.loads((REPO / "source_gong_activity" / "schemas" / "activity.json").read_text())
ACCESS_KEY, ACCESS_KEY_SECRET = "e2e-access-key-7f3a9c", "e2e-access-key-secret-51d0b8e2"
# Gong counter -> unified metric, written out again from ../shared/gong-api.md so the tests check the connector's table.
GONG_TO_UNIFIED = dict(
    pair.split("=")
    for pair in (
        "callsAsHost=calls_hosted callsAttended=calls_attended ownCallsListenedTo=calls_listened_own "
        "othersCallsListenedTo=calls_listened_others callsGaveFeedback=feedback_given "
        "callsReceivedFeedback=feedback_received callsRequestedFeedback=feedback_requested "
        "callsCommentsGiven=comments_given callsCommentsReceived=comments_received "
        "callsSharedInternally=calls_shared_internally callsSharedExternally=calls_shared_externally "
        "callsScorecardsFilled=scorecards_filled callsScorecardsReceived=scorecards_received "
        "callsMarkedAsFeedbackGiven=calls_marked_feedback_given "
        "callsMarkedAsFeedbackReceived=calls_marked_feedback_received"
    ).split()
)


class EmulatorProcess:
    """`python -m integration_tests.gong_emulator` on a free loopback port; stopped with SIGTERM."""

    def __init__(self, **flags: Any):
        self.flags = {
            "seed": 42,
            "users": 250,
            "timezone": "US/Pacific",
            "history_start": "2024-01-01",
            "access_key": ACCESS_KEY,
            "access_key_secret": ACCESS_KEY_SECRET,
            **flags,
        }
        args = [sys.executable, "-m", "integration_tests.gong_emulator", "--port", "0"]
        for name, value in self.flags.items():
            flag = "--" + name.replace("_", "-")
            if value is True:
                args.append(flag)
            elif value not in (None, False):
                args += [flag, str(value)]
        self.process = subprocess.Popen(args, cwd=REPO, stdout=subprocess.PIPE, text=True)
        first_line = self.process.stdout.readline().strip()
        if not first_line.startswith("gong-emulator listening on "):
            self.stop()
            raise RuntimeError(f"the emulator did not start: {first_line!r}")
        self.base_url = first_line.rsplit(" ", 1)[-1]
        # The same data the process serves: every flag that shapes it (today, growth, ids, times, zeros) carries over.
        self.dataset = Dataset.from_flags(self.flags)

    def stats(self) -> dict[str, Any]:
        return requests.get(f"{self.base_url}/_emulator/stats", timeout=10).json()

    def advance(self) -> int:
        """Late counts arrive (with `grow_recent_days`): the process and `self.dataset` both move one generation."""
        generation = requests.post(f"{self.base_url}/_emulator/advance", timeout=10).json()["generation"]
        if self.dataset.advance() != generation:
            raise RuntimeError("the local dataset and the emulator process disagree on the generation")
        return generation

    def truth(self, **params: str) -> Any:
        """GET /_emulator/truth with these query parameters (fromDate, toDate, period, userIds, endpoint)."""
        response = requests.get(f"{self.base_url}/_emulator/truth", params=params, timeout=60)
        response.raise_for_status()
        return response.json()

    def reset_stats(self) -> None:
        requests.post(f"{self.base_url}/_emulator/reset-stats", timeout=10)

    def count(self, path: str, status: int | None = None) -> int:
        by_status = self.stats()["requests"].get(path, {})
        return sum(by_status.values()) if status is None else by_status.get(str(status), 0)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=10)

    def __enter__(self) -> EmulatorProcess:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


@dataclasses.dataclass
class ConnectorRun:
    exit_code: int
    messages: list[AirbyteMessage]
    stdout: str
    stderr: str

    def of_type(self, message_type: Type) -> list[AirbyteMessage]:
        return [message for message in self.messages if message.type == message_type]

    @property
    def records(self) -> list[dict[str, Any]]:
        return [message.record.data for message in self.of_type(Type.RECORD)]

    @property
    def states(self) -> list[dict[str, Any]]:
        return [dict(message.state.stream.stream_state.__dict__) for message in self.of_type(Type.STATE)]

    @property
    def errors(self) -> list[Any]:
        return [message.trace.error for message in self.of_type(Type.TRACE) if message.trace.error is not None]


def run_connector(
    workdir: Path,
    command: str,
    config: dict[str, Any] | None = None,
    catalog: dict[str, Any] | None = None,
    state: dict[str, Any] | None = None,
    extra_args: Iterable[str] = (),
    stop_after_states: int | None = None,
    timeout: float = 600,
    frozen_at: dt.datetime | None = None,
) -> ConnectorRun:
    """Runs `source-gong-activity COMMAND` as Airbyte would; every stdout line must be an Airbyte message.

    With `stop_after_states=k` the run gets SIGTERM right after its k-th STATE message, as a killed sync would. With
    `frozen_at`, the connector's clock stands still at that instant (`integration_tests/frozen_connector.py`); start the
    emulator with `today=` the company's day then (`company_day_at`).
    """
    launcher = [sys.executable, "-m", "integration_tests.frozen_connector", frozen_at.isoformat()] if frozen_at else []
    args = [*(launcher or [CONNECTOR]), command]
    for name, content in (("config", config), ("catalog", catalog), ("state", state)):
        if content is not None:
            path = workdir / f"{name}.json"
            path.write_text(json.dumps(content))
            args += [f"--{name}", str(path)]
    args += list(extra_args)
    stderr_path = workdir / "stderr.txt"
    with open(stderr_path, "w") as stderr:
        # The frozen launcher is a module of this repository: it runs with the repository on its path.
        environment = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        }
        process = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=stderr, text=True, cwd=workdir, env=environment if launcher else None
        )
        lines, messages, states_seen = [], [], 0
        for line in process.stdout:
            lines.append(line)
            message = parse_message(line)
            messages.append(message)
            if message.type == Type.STATE:
                states_seen += 1
                if stop_after_states is not None and states_seen == stop_after_states:
                    process.send_signal(signal.SIGTERM)
                    break
        process.stdout.close()
        exit_code = process.wait(timeout=timeout)
    return ConnectorRun(exit_code, messages, "".join(lines), stderr_path.read_text())


def run_stopped_and_continued(command: list[str], stdout_path: Path, every: float = 0.02) -> int:
    """Runs `command` with stdout on a pipe (read by `cat` into `stdout_path`), sending it SIGSTOP and SIGCONT every
    `every` seconds, as a profiler's ptrace or a frozen container would; returns its exit code."""
    with open(stdout_path, "wb") as stdout:
        reader = subprocess.Popen(["cat"], stdin=subprocess.PIPE, stdout=stdout)
        process = subprocess.Popen(command, stdout=reader.stdin)
        reader.stdin.close()
        while process.poll() is None:
            time.sleep(every)
            try:
                os.kill(process.pid, signal.SIGSTOP)
                time.sleep(every / 4)
                os.kill(process.pid, signal.SIGCONT)
            except ProcessLookupError:
                break
        reader.wait(timeout=60)
    return process.wait()


def parse_message(line: str) -> AirbyteMessage:
    """One stdout line as an Airbyte protocol message; anything else fails the test that ran it."""
    return AirbyteMessageSerializer.load(json.loads(line))


def emulator_config(emulator: EmulatorProcess, **overrides: Any) -> dict[str, Any]:
    config = {
        "credentials": {"auth_type": "access_key", "access_key": ACCESS_KEY, "access_key_secret": ACCESS_KEY_SECRET},
        "base_url": emulator.base_url,
        "start_date": "2024-01-01",
        "aggregation_period": "day",
        "requests_per_second": 50,
        "max_retries": 3,
    }
    config.update(overrides)
    return {key: value for key, value in config.items() if value is not None}


def activity_catalog(sync_mode: str = "incremental") -> dict[str, Any]:
    return catalog_of(["activity"], sync_mode)


def catalog_of(names: Iterable[str], sync_mode: str = "incremental") -> dict[str, Any]:
    """A configured catalog of these streams, each with the schema the connector ships."""
    return {
        "streams": [
            {
                "stream": {
                    "name": name,
                    "json_schema": json.loads((REPO / "source_gong_activity" / "schemas" / f"{name}.json").read_text()),
                    "supported_sync_modes": ["full_refresh", "incremental"],
                    "source_defined_cursor": True,
                    "default_cursor_field": ["start_time"],
                    "source_defined_primary_key": [["id"]],
                },
                "sync_mode": sync_mode,
                "destination_sync_mode": "append_dedup" if sync_mode == "incremental" else "overwrite",
                "cursor_field": ["start_time"],
                "primary_key": [["id"]],
            }
            for name in names
        ]
    }


def expected_records(
    dataset: Dataset,
    from_date: dt.date,
    to_date: dt.date,
    aggregation_period: str,
    user_ids: list[str] | None = None,
) -> dict[str, dict[str, Any]]:
    """What a correct sync of [from_date, to_date) must emit, by record id, from the emulator's ground truth."""
    gong_period = None if aggregation_period == "total" else aggregation_period.upper()
    users = {user["id"]: user for user in dataset.users()}
    zone = zoneinfo.ZoneInfo(dataset.timezone)
    expected = {}
    for item in dataset.expected(from_date, to_date, gong_period, user_ids):
        user = users[item["userId"]]
        start, end = item["fromDate"], item["toDate"]
        record_id = (
            f"{user['id']}:total:{start}:{end}" if gong_period is None else f"{user['id']}:{aggregation_period}:{start}"
        )
        emails = [{"email": user["emailAddress"], "is_primary": True}]
        emails += [{"email": alias, "is_primary": False} for alias in user.get("emailAliases") or []]
        expected[record_id] = {
            "user": {"id": user["id"], "name": f"{user['firstName']} {user['lastName']}", "emails": emails},
            "aggregation_period": aggregation_period,
            # A counter Gong left out (--omit-zeros) is null in the record: it says what Gong did not send.
            "metrics": {unified: item["counters"].get(gong) for gong, unified in GONG_TO_UNIFIED.items()},
            "start_time": dt.datetime.combine(start, dt.time(), zone),
            "end_time": dt.datetime.combine(end, dt.time(), zone),
            # The period's days in the company's calendar, whatever the warehouse does with the instants.
            "start_date": start,
            "end_date": end,
            "company_time_zone": dataset.timezone,
        }
    return expected


def comparable(record: dict[str, Any]) -> dict[str, Any]:
    """The fields `expected_records` predicts, with times as instants (the offset format is Gong's)."""
    return {
        "user": record["user"],
        "aggregation_period": record["aggregation_period"],
        "metrics": record["metrics"],
        "start_time": dt.datetime.fromisoformat(record["start_time"]),
        "end_time": dt.datetime.fromisoformat(record["end_time"]),
        "start_date": dt.date.fromisoformat(record["start_date"]),
        "end_date": dt.date.fromisoformat(record["end_date"]),
        # A top-level null is dropped on serialization (the CDK's rule), so a missing zone reads as None.
        "company_time_zone": record.get("company_time_zone"),
    }


def by_id(records: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Append + dedup on `id`, as the destination does: the last record with an id wins."""
    result: dict[str, dict[str, Any]] = {}
    for record in records:
        result[record["id"]] = comparable(record)
    return result


def company_today(time_zone: str) -> dt.date:
    return dt.datetime.now(zoneinfo.ZoneInfo(time_zone)).date()


def company_day_at(instant: dt.datetime, time_zone: str) -> dt.date:
    """The company's calendar day at `instant`: the emulator's `today` for a connector frozen there."""
    return instant.astimezone(zoneinfo.ZoneInfo(time_zone)).date()


T = TypeVar("T")


def on_one_company_day(time_zone: str, attempt: Callable[[dt.date], T]) -> T:
    """`attempt(today)` with the company's today, run once more if the company's midnight passed while it ran.

    Only for runs whose clock cannot be frozen: the quick start and the README's PyAirbyte snippets start the installed
    `source-gong-activity` themselves, as a user would. Every other end-to-end test freezes it (`frozen_at`).
    The test reads the clock before a run, the connector and the emulator during it: a run across midnight belongs to
    no one day, and what it must produce cannot be said. A run takes minutes, so the second one is on one day.
    """
    for _ in range(2):
        today = company_today(time_zone)
        result = attempt(today)
        if company_today(time_zone) == today:
            return result
    raise AssertionError(f"the company's midnight ({time_zone}) passed during two runs in a row")
