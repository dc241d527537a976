"""Benchmark of source-gong-activity against the local Gong emulator: API calls, throughput, memory, rate limit.

Run from the repository root: `python bench/run.py` (or `make bench`). Not part of the test suite. Everything runs
against the emulator on 127.0.0.1; nothing leaves the machine. See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PEAK_RSS = Path(__file__).resolve().with_name("peak_rss.py")
sys.path.insert(0, str(REPO))

import orjson  # noqa: E402
import requests  # noqa: E402

from integration_tests.gong_emulator.coaching_api import coaching_query  # noqa: E402
from integration_tests.gong_emulator.messages import ApiError  # noqa: E402
from integration_tests.harness import (  # noqa: E402
    ACCESS_KEY,
    ACCESS_KEY_SECRET,
    CONNECTOR,
    EmulatorProcess,
    catalog_of,
    emulator_config,
)
from source_gong_activity.calendar.company_day import possible_company_days  # noqa: E402
from source_gong_activity.calendar.periods import GONG_PERIOD, windows  # noqa: E402
from source_gong_activity.config.settings import DEFAULT_PERIODS_PER_WINDOW  # noqa: E402
from source_gong_activity.streams.activity_calls import ActivityCallsStream  # noqa: E402
from source_gong_activity.streams.answered_scorecards import AnsweredScorecardsStream  # noqa: E402

PAGE = 100  # Gong's page size (the emulator's default)
THROUGHPUT_RUNS = 3  # connector runs, each followed by a floor run and the bare loops; the best of each counts
RESULTS = REPO / "bench" / "results"
# A ratio printed as a figure, not held to a target: writing the same bytes to the reader alone costs 1.27x the
# fetch-only floor, so the old "at most 1.5x the floor" was retired (DEVELOPERS.md).
FIGURE = "a figure (no target)"
BARE_PIPELINE = REPO / "bench" / "bare_pipeline.py"
BARE_MODES = ("constant", "records")


# ---------------------------------------------------------------------------------------------------------------
# Running the connector


class ConnectorResult:
    def __init__(
        self,
        wall: float,
        records: int,
        messages: int,
        exit_code: int,
        peak_rss_kb: int,
        stderr_tail: str,
        cpu: float = 0.0,
    ):
        self.wall, self.records, self.messages = wall, records, messages
        self.exit_code, self.peak_rss_kb, self.stderr_tail = exit_code, peak_rss_kb, stderr_tail
        self.cpu = cpu  # the connector process's user + system CPU seconds

    @property
    def records_per_second(self) -> float:
        return self.records / self.wall if self.wall else 0.0


def run_read(
    workdir: Path,
    config: dict[str, Any],
    prefix: list[str] = (),
    spy_output: Path | None = None,
    streams: tuple[str, ...] = ("activity",),
    command: list[str] | None = None,
) -> ConnectorResult:
    """`source-gong-activity read` with its stdout consumed line by line and every line parsed (orjson), as a
    destination would.

    Peak RSS is the connector's ru_maxrss from wait4(), the kernel's high-water mark for exactly that process (exact,
    not sampled), taken by `bench/peak_rss.py`, which spawns it: spawned from this process it would count this
    process's own memory. Under py-spy, which attaches to the pid, the connector is spawned directly and its RSS is
    not reported. `command` runs instead of the connector (the bare pipeline).
    """
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "config.json").write_text(json.dumps(config))
    (workdir / "catalog.json").write_text(json.dumps(catalog_of(streams)))
    args = command or [
        *prefix,
        CONNECTOR,
        "read",
        "--config",
        str(workdir / "config.json"),
        "--catalog",
        str(workdir / "catalog.json"),
    ]
    peak_path = workdir / "peak-rss-kib.txt"
    if spy_output is None:
        args = [sys.executable, str(PEAK_RSS), str(peak_path), *args]
    stderr_path = workdir / "stderr.txt"
    records = messages = 0
    loads = orjson.loads
    with open(stderr_path, "w") as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=stderr, cwd=workdir, bufsize=1 << 20)
        spy = None
        if spy_output is not None:  # py-spy attached by pid, so its own output never mixes with the connector's
            spy = subprocess.Popen(
                [
                    str(Path(sys.executable).with_name("py-spy")),
                    "record",
                    "--rate",
                    "100",
                    "--format",
                    "raw",
                    "-o",
                    str(spy_output),
                    "--pid",
                    str(process.pid),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        for line in process.stdout:
            try:
                message = loads(line)
            except ValueError:
                if spy_output is None:
                    raise SystemExit(f"not a JSON line on the connector's stdout: {line[:2000]!r}") from None
                # Seen only with py-spy attached (ptrace stops): a line cut off and the following output missing.
                print(f"WARNING: not a JSON line on the connector's stdout: {line[:300]!r}...", file=sys.stderr)
                continue
            messages += 1
            if message.get("type") == "RECORD":
                records += 1
        process.stdout.close()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if spy is not None:
            spy.wait(timeout=60)
    tail = stderr_path.read_text()[-2000:]
    cpu = usage.ru_utime + usage.ru_stime  # the launcher's and the connector's, which it waited for
    peak = int(peak_path.read_text()) if spy_output is None else 0
    return ConnectorResult(wall, records, messages, process.returncode, peak, tail, cpu)


# ---------------------------------------------------------------------------------------------------------------
# The fetch-only floor: the same HTTP calls and JSON decoding, no Airbyte processing


def fetch_only(
    base_url: str,
    start: dt.date,
    end: dt.date,
    period: str,
    decode: Callable[[requests.Response], Any] = requests.Response.json,
    call_ids: bool = False,
) -> tuple[float, int, int]:
    """The pages the connector fetches (users pages, then every window's pages following records.cursor), fetched
    with a plain requests session and decoded with `decode` (requests' own `response.json()` unless told otherwise).
    With `call_ids`, the pages of /v2/stats/activity/day-by-day in activity_calls' windows instead.
    Returns (seconds, records, calls)."""
    entries = "userDailyActivityStats" if call_ids else "userAggregateActivity"
    records = calls = 0
    started = time.perf_counter()
    for body, items in pages(base_url, start, end, period, decode, call_ids):
        calls += 1
        if body is not None and items != "users":
            records += sum(len(user[entries]) for user in body[items])
    return time.perf_counter() - started, records, calls


def pages(
    base_url: str,
    start: dt.date,
    end: dt.date,
    period: str,
    decode: Callable[[requests.Response], Any],
    call_ids: bool = False,
) -> Iterator[tuple[Any, str]]:
    """Every answer of the floor's calls in order, decoded once: (body, the name of its list of users), "users"
    for the users pages, and (None, ...) for a quiet window's 404."""
    path, items = "aggregate-by-period", "usersAggregateActivity"
    if call_ids:
        path, items = "day-by-day", "usersDetailedActivities"
    session = requests.Session()
    session.auth = (ACCESS_KEY, ACCESS_KEY_SECRET)
    cursor: str | None = None
    while True:
        body = decode(session.get(f"{base_url}/v2/users", params={"cursor": cursor} if cursor else None, timeout=180))
        yield body, "users"
        cursor = (body.get("records") or {}).get("cursor")
        if not cursor:
            break
    days = ActivityCallsStream.periods_per_window if call_ids else DEFAULT_PERIODS_PER_WINDOW[period]
    for from_date, to_date in windows(start, end, period, days):
        cursor = None
        while True:
            request: dict[str, Any] = {"filter": {"fromDate": from_date.isoformat(), "toDate": to_date.isoformat()}}
            if not call_ids:
                request["aggregationPeriod"] = GONG_PERIOD[period]
            if cursor:
                request["cursor"] = cursor
            response = session.post(f"{base_url}/v2/stats/activity/{path}", json=request, timeout=180)
            if response.status_code == 404:
                yield None, items
                break
            body = decode(response)
            yield body, items
            cursor = (body.get("records") or {}).get("cursor")
            if not cursor:
                break


def scorecard_pages(
    base_url: str, start: dt.date, end: dt.date, decode: Callable[[requests.Response], Any] = requests.Response.json
) -> tuple[float, list[int], int]:
    """The fetch-only floor of answered_scorecards: the users pages, then each of the stream's windows of review days
    following records.cursor, with a plain requests session. Returns (seconds, answered scorecards per window, calls).
    """
    session = requests.Session()
    session.auth = (ACCESS_KEY, ACCESS_KEY_SECRET)
    started, calls, per_window = time.perf_counter(), 0, []
    cursor: str | None = None
    while True:
        body = decode(session.get(f"{base_url}/v2/users", params={"cursor": cursor} if cursor else None, timeout=180))
        calls += 1
        if not (cursor := (body.get("records") or {}).get("cursor")):
            break
    for from_date, to_date in windows(start, end, "day", AnsweredScorecardsStream.periods_per_window):
        per_window.append(0)
        cursor = None
        while True:
            request: dict[str, Any] = {"filter": {"reviewFromDate": str(from_date), "reviewToDate": str(to_date)}}
            if cursor:
                request["cursor"] = cursor
            response = session.post(f"{base_url}/v2/stats/activity/scorecards", json=request, timeout=180)
            calls += 1
            if response.status_code == 404:
                break
            body = decode(response)
            per_window[-1] += len(body["answeredScorecards"])
            if not (cursor := (body.get("records") or {}).get("cursor")):
                break
    return time.perf_counter() - started, per_window, calls


def bench_answered_scorecards(
    emulator: EmulatorProcess,
    work: Path,
    start: dt.date,
    end: dt.date,
    say: Callable[[str], None],
    rows: list[tuple[str, str, str, bool | None]],
) -> None:
    """6. A year of answered scorecards (each reviewer's callsScorecardsFilled of each day): records/s against the
    fetch-only floor of the same pages, calls against the minimum, peak RSS."""
    say("\n## answered_scorecards: 1 year of reviews")
    warm_up, per_window, _ = scorecard_pages(emulator.base_url, start, end)  # the emulator keeps each reviewer-day
    users_pages = math.ceil(len(emulator.dataset.users()) / PAGE)
    # The zone: the scorecards answer never names it, so one /aggregate call per sync asks for it. The answers' words:
    # one GET /v2/settings/scorecards per sync (shared with the scorecards stream).
    windows_pages = users_pages + sum(max(1, math.ceil(count / PAGE)) for count in per_window) + 1 + 1
    one_series = users_pages + math.ceil(sum(per_window) / PAGE) + 1 + 1
    runs, floors = [], []
    for attempt in range(2):
        emulator.reset_stats()
        config = emulator_config(emulator, start_date=str(start), end_date=str(end), requests_per_second=100)
        result = run_read(work / f"scorecards-1y-{attempt + 1}", config, streams=("answered_scorecards",))
        if result.exit_code != 0 or result.records != sum(per_window):
            raise SystemExit(f"answered_scorecards run failed ({result.records} records):\n{result.stderr_tail}")
        runs.append((result, api_calls(emulator)[0]))
        floors.append(scorecard_pages(emulator.base_url, start, end)[0])
    best, made = min(runs, key=lambda run: run[0].wall)
    rss = max(run.peak_rss_kb for run, _ in runs) / 1024
    floor = min(floors)
    # The connector never calls faster than requests_per_second, at most 100 (each second's window 25 ms longer):
    # with a call per 100 records, that, not the record path, sets its pace here.
    budget = made * 1.025 / 100
    bound = max(floor, budget)
    say(
        f"{best.records} answered scorecards in {len(per_window)} windows of "
        f"{AnsweredScorecardsStream.periods_per_window} review days: {best.wall:.2f} s = "
        f"{best.records_per_second:,.0f} records/s (runs {_seconds(run.wall for run, _ in runs)}), "
        f"connector CPU {best.cpu:.2f} s ({best.cpu / best.records * 1e6:.0f} us a record), peak RSS {rss:.1f} MB"
    )
    say(
        f"floors: the same pages fetched and decoded by a plain requests loop {floor:.2f} s (runs {_seconds(floors)}, "
        f"warm-up {warm_up:.2f} s); {made} calls at the connector's highest requests_per_second (100) {budget:.2f} s; "
        f"the connector takes {best.wall / bound:.2f}x the larger ({best.wall / floor:.2f}x the fetch-only floor)"
    )
    say(
        f"calls: {made} made; the windows' pages {windows_pages} ({users_pages} users pages, one per 100 answered "
        f"scorecards of each window, 1 to learn the zone, 1 for the scorecard settings); all in one call series "
        f"{one_series}. Under Gong's 3 calls "
        f"a second: {made / 3 / 60:.1f} minutes, {made / 10_000:.1%} of its 10,000 calls a day"
    )
    rows.append(
        (
            "answered_scorecards records/s, 1 year",
            f"{best.records_per_second:,.0f} ({best.records} records; {best.wall / bound:.2f}x its floor, "
            f"{best.wall:.1f} s vs {bound:.1f} s)",
            FIGURE + ": its floor is the larger of fetch-only and the 100 calls/s budget",
            None,
        )
    )
    rows.append(
        (
            "answered_scorecards API calls, 1 year",
            str(made),
            f"== {windows_pages} (the windows' pages and the settings call; {one_series} in one series)",
            made == windows_pages,
        )
    )
    rows.append(("answered_scorecards peak RSS, 1 year", f"{rss:.1f} MB", "<= 150 MB", rss <= 150))


def coaching_answered(book: Any, manager_id: str) -> bool:
    """Whether GET /v2/coaching answers for this manager, by the emulator's own rules: not deactivated, and an id
    that fits the contract's int64 (Gong's user ids run to 20 digits; the emulator refuses the larger ones)."""
    workspace = book.workspaces()[0]["id"]
    params = {"workspace-id": workspace, "manager-id": manager_id, "from": "2024-01-01T00:00:00Z"}
    params["to"] = "2024-02-01T00:00:00Z"
    try:
        query = coaching_query(params.get)
        book.check(query.workspace_id, query.manager_id, query.from_time, query.to_time)
    except ApiError:
        return False
    return True


def bench_coaching(
    emulator: EmulatorProcess,
    work: Path,
    start: dt.date,
    end: dt.date,
    say: Callable[[str], None],
    rows: list[tuple[str, str, str, bool | None]],
) -> None:
    """7. A year of coaching by month (with workspaces, which shares its one workspaces call): the calls against the
    minimum, one GET /v2/coaching per workspace, manager and month (a manager Gong refuses, deactivated or with an id
    above int64: once per workspace, then skipped), plus the workspaces call, the users pages and the call that tells
    the company's zone."""
    say("\n## coaching: 1 year by month")
    dataset = emulator.dataset
    book = dataset.coaching
    workspaces, managers = len(book.workspaces()), book.managers()
    refused = sum(not coaching_answered(book, manager) for manager in managers)
    months = len(dataset.periods(start, end, "MONTH"))
    users_pages = math.ceil(len(dataset.users()) / PAGE)
    coaching_calls = workspaces * (len(managers) - refused) * months + workspaces * refused
    emulator.reset_stats()
    config = emulator_config(emulator, start_date=str(start), end_date=str(end), requests_per_second=100)
    result = run_read(work / "coaching-1y", config, streams=("workspaces", "coaching"))
    if result.exit_code != 0:
        raise SystemExit(f"coaching run failed:\n{result.stderr_tail}")
    made = api_calls(emulator)[0]
    by_endpoint = {path: sum(counts.values()) for path, counts in emulator.stats()["requests"].items()}
    # + the workspaces call, the users pages and one /aggregate call for the company's zone, which neither coaching
    # nor workspaces names (as for answered_scorecards).
    minimum = coaching_calls + 1 + users_pages + 1
    say(
        f"{result.records} records ({workspaces} workspaces, {len(managers)} managers of whom {refused} refused, "
        f"{months} months) in {result.wall:.1f} s; calls by endpoint: "
        + ", ".join(f"{path} {count}" for path, count in sorted(by_endpoint.items()))
    )
    say(
        f"calls: {made} made; the minimum {minimum} = {workspaces} workspaces x {len(managers) - refused} managers x "
        f"{months} months + {workspaces * refused} refusals (one per workspace and refused manager: deactivated, or "
        f"an id above int64) + 1 workspaces call + {users_pages} users pages + 1 to learn the company's zone. Under "
        f"Gong's 3 calls a second: {made / 3 / 60:.1f} minutes, {made / 10_000:.1%} of its 10,000 calls a day"
    )
    rows.append(
        (
            "coaching API calls, 1 year by month",
            str(made),
            f"== {minimum} (workspaces x managers x months, + refusals, workspaces, users pages, zone)",
            made == minimum,
        )
    )


# ---------------------------------------------------------------------------------------------------------------
# Physical minimum and the per-day alternative


def physical_minimum(
    emulator: EmulatorProcess, start: dt.date, end: dt.date, period: str, earliest: dt.date
) -> tuple[int, int]:
    """(pages, discovery): the users pages and each window's pages; and the calls a fresh sync must make to learn
    the company's day and zone. The day: one call before the first window, when that window ends on a day that may
    still be the future for the company (Gong refuses such a `toDate` with 400, and the connector never asks for
    one). The zone: aggregate-by-period never names it, so one /aggregate call, unless that first call already named
    it (it does when anyone was active on the day it asks about). `earliest`: the earliest day that could be "today"
    anywhere on Earth when the sync ran."""
    dataset = emulator.dataset
    users_pages = math.ceil(len(dataset.users()) / PAGE)
    if period == "total":
        spans = [(start, end)]
    else:
        spans = windows(start, end, period, DEFAULT_PERIODS_PER_WINDOW[period])
    # A window with no active user still costs its one (404) call.
    window_pages = sum(max(1, math.ceil(len(dataset.active_user_ids(a, b)) / PAGE)) for a, b in spans)
    day_call = spans[0][1] > earliest
    day_call_named_zone = day_call and bool(dataset.active_user_ids(earliest - dt.timedelta(days=1), earliest))
    zone_call = period != "total" and not day_call_named_zone
    return users_pages + window_pages, int(day_call) + int(zone_call)


def per_day_calls(emulator: EmulatorProcess, start: dt.date, end: dt.date) -> int:
    """A connector that asks /v2/stats/activity/aggregate once per day: ceil(active that day / 100), at least 1."""
    total, day = 0, start
    while day < end:
        following = day + dt.timedelta(days=1)
        total += max(1, math.ceil(len(emulator.dataset.active_user_ids(day, following)) / PAGE))
        day = following
    return total


def api_calls(emulator: EmulatorProcess) -> tuple[int, int]:
    stats = emulator.stats()
    too_many = sum(by_status.get("429", 0) for by_status in stats["requests"].values())
    return stats["total_api_requests"], too_many


# ---------------------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=2000, help="users for the calls, throughput and memory figures")
    parser.add_argument("--limited-users", type=int, default=2000, help="users for the run under the real rate limit")
    parser.add_argument("--limited-period", default="week", help="granularity of the run under the rate limit")
    parser.add_argument(
        "--profile",
        choices=("none", "py-spy", "cprofile"),
        default="none",
        help="instead of benchmarking, run the throughput workload once under a profiler",
    )
    parser.add_argument(
        "--only",
        choices=("answered_scorecards", "coaching"),
        help="run this section alone (its figures and summary rows)",
    )
    args = parser.parse_args()
    if args.profile != "none":
        _profile(args, Path(tempfile.mkdtemp(prefix="gong-profile-")))
        return 0

    begun = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="gong-bench-"))
    rows: list[tuple[str, str, str, bool | None]] = []
    lines: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    say(f"# source-gong-activity benchmark ({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)")
    say(f"machine: {os.cpu_count()} CPUs, {_cpu_model()}, Python {platform.python_version()}")

    with EmulatorProcess(users=args.users) as emulator:
        end = emulator.dataset.today()
        start = end - dt.timedelta(days=365)
        month_start = end - dt.timedelta(days=30)
        say(f"workload: {args.users} users, {start} .. {end} (end exclusive, emulator today), no rate limit")
        if args.only == "answered_scorecards":
            bench_answered_scorecards(emulator, work, start, end, say, rows)
            return _summary(rows, lines, say, begun, work)
        if args.only == "coaching":
            bench_coaching(emulator, work, start, end, say, rows)
            return _summary(rows, lines, say, begun, work)

        def connector(
            period: str, from_date: dt.date, name: str, streams: tuple[str, ...] = ("activity",), **extra: Any
        ) -> tuple[ConnectorResult, int]:
            emulator.reset_stats()
            config = emulator_config(
                emulator,
                start_date=from_date.isoformat(),
                end_date=end.isoformat(),
                aggregation_period=period,
                requests_per_second=100,
                **extra,
            )
            result = run_read(work / name, config, streams=streams)
            if result.exit_code != 0:
                raise SystemExit(f"connector run {name} failed with {result.exit_code}:\n{result.stderr_tail}")
            return result, api_calls(emulator)[0]

        # 2. Throughput (and the daily figures of 1. and 3.): after a warm-up of the emulator, connector, floor and the
        # two bare loops in turn, the best of each counts (the machine's speed drifts by 20% or more within a run).
        say("\n## Throughput: 1-year daily back-fill")
        warm_up, _, _ = fetch_only(emulator.base_url, start, end, "day")
        floors, runs = [], []
        bare: dict[str, list[float]] = {mode: [] for mode in BARE_MODES}
        for attempt in range(THROUGHPUT_RUNS):
            runs.append(connector("day", start, f"day-1y-{attempt + 1}"))
            floors.append(fetch_only(emulator.base_url, start, end, "day"))
            for mode in BARE_MODES:
                command = [sys.executable, str(BARE_PIPELINE), mode, emulator.base_url, str(start), str(end)]
                result = run_read(work / f"bare-{mode}-{attempt + 1}", {}, command=command)
                if result.exit_code != 0 or result.records != runs[0][0].records:
                    raise SystemExit(
                        f"the bare pipeline ({mode}) failed: {result.records} records\n{result.stderr_tail}"
                    )
                bare[mode].append(result.wall)
        floor_orjson, _, _ = fetch_only(
            emulator.base_url, start, end, "day", lambda response: orjson.loads(response.content)
        )
        daily, daily_calls = min(runs, key=lambda run: run[0].wall)
        floor, floor_records, floor_calls = min(floors)
        ratio = daily.wall / floor
        say(
            f"connector: {daily.records} records in {daily.wall:.2f} s = {daily.records_per_second:,.0f} records/s "
            f"({daily.messages} messages parsed with orjson; runs {_seconds(run.wall for run, _ in runs)})"
        )
        say(
            f"fetch-only floor: {floor_records} records in {floor:.2f} s = {floor_records / floor:,.0f} records/s "
            f"({floor_calls} calls, response.json(); runs {_seconds(seconds for seconds, _, _ in floors)}, "
            f"warm-up {warm_up:.2f} s)"
        )
        say(
            f"time ratio connector / floor: {ratio:.2f}x (against the floor decoding with orjson, as the connector "
            f"does, {floor_orjson:.2f} s: {daily.wall / floor_orjson:.2f}x)"
        )
        if floor_records != daily.records:
            say(f"WARNING: the connector emitted {daily.records} records, the floor decoded {floor_records}")
        moved, mapped = min(bare["constant"]), min(bare["records"])
        say(
            "where the connector's time goes, the same pages through bare loops (bench/bare_pipeline.py, one page "
            "fetched ahead, orjson, the same reader):"
        )
        say(
            f"- the same bytes with no mapping (decode, write, read back): {moved:.2f} s = {moved / floor:.2f}x the "
            f"floor (runs {_seconds(bare['constant'])})"
        )
        say(
            f"- plus the connector's mapping and serializing (`records_by_period`, `record_batches`), no CDK read "
            f"machinery: {mapped:.2f} s = {mapped / floor:.2f}x (runs {_seconds(bare['records'])})"
        )
        say(f"- the connector, CDK and all: {daily.wall:.2f} s = {ratio:.2f}x ({daily.wall - mapped:+.2f} s)")
        rows.append(
            (
                f"records/s, 1-year daily, {args.users} users",
                f"{daily.records_per_second:,.0f}",
                ">= 40,000",
                daily.records_per_second >= 40_000,
            )
        )
        rows.append(("time vs fetch-only floor", f"{ratio:.2f}x ({daily.wall:.1f} s vs {floor:.1f} s)", FIGURE, None))
        rows.append(
            (
                "time vs the same mapping in a bare loop",
                f"{daily.wall / mapped:.2f}x ({daily.wall:.1f} s vs {mapped:.1f} s)",
                "<= 1.1x (what the CDK and the engine add)",
                daily.wall / mapped <= 1.1,
            )
        )

        # 1. Calls.
        say("\n## API calls: 1-year back-fill")
        say("| granularity | windows | calls made | physical minimum |")
        say("|---|---|---|---|")
        calls = {"day": daily_calls}
        earliest = {"day": earliest_day_on_earth()}
        for period in ("week", "month", "total"):
            earliest[period] = earliest_day_on_earth()
            calls[period] = connector(period, start, f"{period}-1y")[1]
        for period in ("day", "week", "month", "total"):
            paged, discovery = physical_minimum(emulator, start, end, period, earliest[period])
            minimum = paged + discovery
            count = 1 if period == "total" else len(windows(start, end, period, DEFAULT_PERIODS_PER_WINDOW[period]))
            spelled = (
                f"{paged} pages + {discovery} to learn the company's day and zone" if discovery else f"{paged} pages"
            )
            say(f"| {period} | {count} | {calls[period]} | {minimum} ({spelled}) |")
            rows.append(
                (f"API calls, {period}", str(calls[period]), f"== {minimum} ({spelled})", calls[period] == minimum)
            )
        theirs = per_day_calls(emulator, start, end)
        say(
            f"per-day /aggregate connector: {theirs} calls for the daily back-fill; ours / theirs = "
            f"{daily_calls / theirs:.4f} ({theirs / daily_calls:.1f}x fewer)"
        )
        rows.append(
            (
                "fewer calls than one /aggregate per day",
                f"{theirs / daily_calls:.1f}x ({daily_calls} vs {theirs})",
                ">= 30x",
                theirs / daily_calls >= 30,
            )
        )

        # 3. Memory.
        say("\n## Peak RSS (daily)")
        month, _ = connector("day", month_start, "day-1m")
        rss_month, rss_year = month.peak_rss_kb / 1024, max(run.peak_rss_kb for run, _ in runs) / 1024
        say(
            f"1 month ({month.records} records): {rss_month:.1f} MB; "
            f"1 year ({daily.records} records): {rss_year:.1f} MB"
        )
        rows.append(("peak RSS, 1 year daily", f"{rss_year:.1f} MB", "<= 150 MB", rss_year <= 150))
        growth = rss_year / rss_month
        rows.append(
            (
                "peak RSS, 1 year / 1 month",
                f"{growth:.2f}x ({rss_month:.1f} -> {rss_year:.1f} MB)",
                "roughly flat (<= 1.25x)",
                growth <= 1.25,
            )
        )

        # 5. activity_calls: a year of daily call ids, through the same windows as the daily activity.
        say("\n## activity_calls: 1-year daily call ids")
        fetch_only(emulator.base_url, start, end, "day", call_ids=True)  # warm-up: the emulator keeps each item
        calls_runs, calls_floors = [], []
        for attempt in range(2):
            calls_runs.append(connector("day", start, f"calls-1y-{attempt + 1}", streams=("activity_calls",)))
            calls_floors.append(fetch_only(emulator.base_url, start, end, "day", call_ids=True)[0])
        best_calls, calls_made = min(calls_runs, key=lambda run: run[0].wall)
        calls_rss = max(run.peak_rss_kb for run, _ in calls_runs) / 1024
        slower = daily.records_per_second / best_calls.records_per_second
        calls_ratio = best_calls.wall / min(calls_floors)
        say(
            f"{best_calls.records} records in {best_calls.wall:.2f} s = {best_calls.records_per_second:,.0f} "
            f"records/s ({slower:.2f}x the activity stream's time per record), {calls_made} calls, "
            f"peak RSS {calls_rss:.1f} MB"
        )
        say(
            f"fetch-only floor of the same day-by-day pages: {min(calls_floors):.2f} s "
            f"({best_calls.records / min(calls_floors):,.0f} records/s): the connector takes {calls_ratio:.2f}x it; "
            "the emulator's call-id pages, not the connector, set this stream's pace"
        )
        rows.append(
            (
                "activity_calls records/s vs activity's",
                f"{best_calls.records_per_second:,.0f} vs {daily.records_per_second:,.0f} ({slower:.2f}x)",
                FIGURE,
                None,
            )
        )
        rows.append(
            (
                "activity_calls time vs its fetch-only floor",
                f"{calls_ratio:.2f}x ({best_calls.wall:.1f} s vs {min(calls_floors):.1f} s)",
                FIGURE,
                None,
            )
        )
        rows.append(("activity_calls peak RSS, 1 year", f"{calls_rss:.1f} MB", "<= 150 MB", calls_rss <= 150))

        # 6. answered_scorecards: a year of reviews of the same users.
        bench_answered_scorecards(emulator, work, start, end, say, rows)
        bench_coaching(emulator, work, start, end, say, rows)

    # 4. Under the real limit.
    say(
        f"\n## Under the real limit: rate_limit=3, default requests_per_second, {args.limited_users} users, "
        f"1-year {args.limited_period}"
    )
    startup = _startup_seconds(work)
    with EmulatorProcess(users=args.limited_users, rate_limit=3) as limited:
        end = limited.dataset.today()
        start = end - dt.timedelta(days=365)
        config = emulator_config(
            limited,
            start_date=start.isoformat(),
            end_date=end.isoformat(),
            aggregation_period=args.limited_period,
            requests_per_second=None,
        )
        limited.reset_stats()
        result = run_read(work / "limited", config)
        made, too_many = api_calls(limited)
        minimum = sum(physical_minimum(limited, start, end, args.limited_period, earliest_day_on_earth()))
    ideal = made / 3
    over = result.wall / ideal - 1
    say(f"{made} calls (minimum {minimum}), {result.records} records, exit {result.exit_code}, {too_many} answers 429")
    say(
        f"wall {result.wall:.2f} s vs calls/3 = {ideal:.2f} s ({over:+.1%}); the process start-up alone "
        f"(`spec`) takes {startup:.2f} s, wall without it {result.wall - startup:.2f} s "
        f"({(result.wall - startup) / ideal - 1:+.1%})"
    )
    rows.append(
        (
            "under the limit: wall vs calls/3 s",
            f"{result.wall:.1f} s vs {ideal:.1f} s ({over:+.1%})",
            "within 5%",
            abs(over) <= 0.05,
        )
    )
    rows.append(("under the limit: 429s", str(too_many), "0", too_many == 0 and result.exit_code == 0))
    return _summary(rows, lines, say, begun, work)


def _summary(
    rows: list[tuple[str, str, str, bool | None]],
    lines: list[str],
    say: Callable[[str], None],
    begun: float,
    work: Path,
) -> int:
    say("\n## Summary\n")
    table = ["| metric | measured | target | pass/fail |", "|---|---|---|---|"]
    verdict = {True: "pass", False: "FAIL", None: "-"}
    table += [f"| {metric} | {measured} | {target} | {verdict[ok]} |" for metric, measured, target, ok in rows]
    for row in table:
        say(row)
    say(f"\nrun time: {time.perf_counter() - begun:.0f} s")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.md").write_text("\n".join(lines) + "\n")
    print(f"(written to {RESULTS / 'latest.md'}; connector logs in {work})")
    return 0


def earliest_day_on_earth() -> dt.date:
    return next(possible_company_days(dt.datetime.now(dt.UTC)))


def _seconds(values: Iterable[float]) -> str:
    return ", ".join(f"{value:.2f} s" for value in values)


def _startup_seconds(work: Path) -> float:
    started = time.perf_counter()
    subprocess.run([CONNECTOR, "spec"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=work, check=True)
    return time.perf_counter() - started


def _profile(args: argparse.Namespace, work: Path) -> None:
    """The throughput workload once more under a profiler (slower; its time is not a benchmark figure)."""
    with EmulatorProcess(users=args.users) as emulator:
        end = emulator.dataset.today()
        config = emulator_config(
            emulator,
            start_date=(end - dt.timedelta(days=365)).isoformat(),
            end_date=end.isoformat(),
            aggregation_period="day",
            requests_per_second=100,
        )
        RESULTS.mkdir(parents=True, exist_ok=True)
        if args.profile == "py-spy":
            # Collapsed stacks (one "frame;frame;... count" line per stack); feed to flamegraph.pl or speedscope.
            out = RESULTS / "profile.folded"
            result = run_read(work / "profile", config, spy_output=out)
        else:
            out = RESULTS / "profile.pstats"
            result = run_read(work / "profile", config, [sys.executable, "-m", "cProfile", "-o", str(out)])
        print(
            f"profiled run: {result.records} records in {result.wall:.1f} s, exit {result.exit_code}; profile in {out}"
        )


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    sys.exit(main())
