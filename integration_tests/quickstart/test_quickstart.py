"""`make sync`'s script: what it prints and draws, one database per source, and one line for a bad config file."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from pathlib import Path

import pytest

from integration_tests.harness import ACCESS_KEY, ACCESS_KEY_SECRET, EmulatorProcess, on_one_company_day

from .conftest import EMULATOR_DATASET, QuickStartRun, expected_days, run_quickstart

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _expected_weeks(first_day: dt.date, end_day: dt.date) -> list[list[str]]:
    """The weekly table's rows from the emulator's ground truth: label, days, users, users without activity, hosted,
    hosted per user, feedback, scorecards."""
    sums: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0, 0])
    users: dict[dt.date, set[str]] = defaultdict(set)
    busy: dict[dt.date, set[str]] = defaultdict(set)
    for item in expected_days(first_day, end_day):
        monday = item["day"] - dt.timedelta(days=item["day"].weekday())
        users[monday].add(item["userId"])
        if item["counters"] is None:
            continue
        busy[monday].add(item["userId"])
        for index, name in enumerate(("callsAsHost", "callsGaveFeedback", "callsScorecardsFilled")):
            sums[monday][index] += item["counters"][name]
    rows = []
    for monday in sorted(users):
        first = max(monday, first_day)
        last = min(monday + dt.timedelta(days=6), end_day - dt.timedelta(days=1))
        whole = (first, last) == (monday, monday + dt.timedelta(days=6))
        days = WEEKDAYS[first.weekday()] + ("" if first == last else "-" + WEEKDAYS[last.weekday()])
        label = f"week of {first} ({days}{'' if whole else ', partial'})"
        hosted, feedback, scorecards = sums[monday]
        count = len(users[monday])
        quiet = count - len(busy[monday])
        per_user = f"{hosted / count:.2f}"
        rows.append(
            [
                label,
                str((last - first).days + 1),
                str(count),
                str(quiet),
                str(hosted),
                per_user,
                str(feedback),
                str(scorecards),
            ]
        )
    return rows


def test_given_the_emulator_when_the_quick_start_runs_then_it_names_the_file_table_range_and_zone(
    quickstart: QuickStartRun,
) -> None:
    assert quickstart.exit_code == 0, quickstart.stderr[-3000:]
    days = expected_days(quickstart.first_day, quickstart.end_day)
    zeros = sum(1 for item in days if item["counters"] is None)
    last_day = quickstart.end_day - dt.timedelta(days=1)
    lines = quickstart.stdout.splitlines()
    assert (
        f"Database: {quickstart.database}, table gong.activity: {len(days)} records ({len(days) - zeros} from Gong, "
        f"{zeros} zero-filled for active users without activity)." in lines
    )
    assert (
        f"Date range: {quickstart.first_day} ({WEEKDAYS[quickstart.first_day.weekday()]}) to {last_day} "
        f"({WEEKDAYS[last_day.weekday()]}), {(last_day - quickstart.first_day).days + 1} days in the company's "
        "time zone US/Pacific." in lines
    )


def test_given_the_emulator_when_the_quick_start_runs_then_weekly_totals_flag_partial_weeks_and_match_the_truth(
    quickstart: QuickStartRun,
) -> None:
    printed = [
        [cell.strip() for cell in line.split("  ") if cell.strip()]
        for line in quickstart.stdout.splitlines()
        if line.startswith("week of ")
    ]
    assert printed == _expected_weeks(quickstart.first_day, quickstart.end_day)


def test_given_the_emulator_when_the_quick_start_runs_then_users_without_activity_are_counted(
    quickstart: QuickStartRun,
) -> None:
    days = expected_days(quickstart.first_day, quickstart.end_day)
    users = {item["userId"] for item in days}
    busy = {item["userId"] for item in days if item["counters"] is not None}
    assert users - busy, "the emulator's dataset has quiet users (about 10%), or this test shows nothing"
    assert (
        f"Users without activity in the range: {len(users - busy)} of the {len(users)} users in the data (Gong "
        "sends nothing for them; the connector's zero-filled records keep them in every per-user average)."
        in quickstart.stdout.splitlines()
    )


def test_given_the_emulator_when_the_quick_start_runs_then_it_draws_the_weekly_chart_and_prints_its_path(
    quickstart: QuickStartRun,
) -> None:
    import matplotlib.image

    [line] = [line for line in quickstart.stdout.splitlines() if line.startswith("Chart of the weekly totals")]
    chart = Path(line.rsplit(": ", 1)[1])
    assert chart.parent == quickstart.output and chart.suffix == ".png"
    height, width, _ = matplotlib.image.imread(chart).shape
    assert (width, height) == (1400, 600)


def test_given_another_config_when_the_quick_start_runs_then_it_has_its_own_database_and_tokyo_days_stay(
    quickstart: QuickStartRun, tmp_path: Path
) -> None:
    import duckdb

    before = _digest(quickstart.database)

    def sync_tokyo(today: dt.date) -> tuple:
        (quickstart.output / "tokyo.duckdb").unlink(missing_ok=True)  # a run across Tokyo's midnight, run again
        with EmulatorProcess(timezone="Asia/Tokyo", seed=7, users=40) as tokyo:
            start = today - dt.timedelta(days=10)
            config = {
                "credentials": {
                    "auth_type": "access_key",
                    "access_key": ACCESS_KEY,
                    "access_key_secret": ACCESS_KEY_SECRET,
                },
                "base_url": tokyo.base_url,
                "start_date": str(start),
            }
            (tmp_path / "tokyo.json").write_text(json.dumps(config))
            done = run_quickstart(quickstart.output, "--config", str(tmp_path / "tokyo.json"))
            return done, tokyo.dataset.expected(start, today, "DAY")

    done, expected = on_one_company_day("Asia/Tokyo", sync_tokyo)
    assert done.returncode == 0, done.stderr[-3000:]
    assert _digest(quickstart.database) == before
    with duckdb.connect(str(quickstart.output / "tokyo.duckdb"), read_only=True) as db:
        rows = db.execute(
            """SELECT a."user"->>'id', start_date, dayname(start_date), company_time_zone FROM gong.activity AS a
               WHERE NOT a.zero_filled"""
        ).fetchall()
    assert sorted((user, day) for user, day, _, _ in rows) == sorted((i["userId"], i["fromDate"]) for i in expected)
    assert {user for user, *_ in rows}.isdisjoint(user["id"] for user in EMULATOR_DATASET.users())
    assert {zone for *_, zone in rows} == {"Asia/Tokyo"}
    assert all(name == day.strftime("%A") for _, day, name, _ in rows)
    assert any(name == "Monday" for _, _, name, _ in rows)


def test_given_a_config_named_like_one_already_synced_when_run_then_its_database_is_refused_and_kept(
    quickstart: QuickStartRun, tmp_path: Path
) -> None:
    (tmp_path / "elsewhere").mkdir()
    first, second = tmp_path / "tenant.json", tmp_path / "elsewhere" / "tenant.json"
    first.write_text(json.dumps({"start_date": "2024-01-01"}))
    second.write_text(json.dumps({"start_date": "2024-01-01"}))
    run_quickstart(quickstart.output, "--config", str(first))  # fails its check: no credentials
    before = _digest(quickstart.output / "tenant.duckdb")
    done = run_quickstart(quickstart.output, "--config", str(second))
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"{quickstart.output / 'tenant.duckdb'} holds the sync of the config file {first}, not of the config file "
        f"{second}; rename your config file or move that database away, so the two sources never share a table."
    ]
    assert _digest(quickstart.output / "tenant.duckdb") == before


@pytest.mark.parametrize(
    "name, content, complaint",
    [
        ("missing.json", None, "does not exist"),
        ("broken.json", "{'start_date': ", "is not valid JSON (line 1)"),
        ("list.json", "[]", "must hold a JSON object"),
        ("folder.json", "a directory", "cannot be read: IsADirectoryError"),
    ],
)
def test_given_a_missing_or_unreadable_config_when_run_then_one_line_on_stderr_and_exit_1(
    tmp_path: Path, name: str, content: str | None, complaint: str
) -> None:
    path = tmp_path / name
    if content == "a directory":
        path.mkdir()
    elif content is not None:
        path.write_text(content)
    done = run_quickstart(tmp_path / "out", "--config", str(path))
    assert (done.returncode, done.stdout) == (1, "")
    [line] = done.stderr.strip().splitlines()
    assert line.startswith(f"The config file '{path}' ") and complaint in line
    assert not (tmp_path / "out").exists()
