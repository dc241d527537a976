"""The docs' DuckDB queries and the README's PyAirbyte snippet, run as written, checked against the emulator's data."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zoneinfo
from collections import defaultdict
from pathlib import Path

import pytest

from integration_tests.harness import GONG_TO_UNIFIED, REPO, EmulatorProcess, on_one_company_day

from .conftest import EMULATOR_DATASET, QuickStartRun, expected_days

DUCKDB_BLOCK = re.compile(r"^```sql duckdb (\S+)\n(.*?)^```$", re.DOTALL | re.MULTILINE)
PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)
README_EMULATOR = "http://127.0.0.1:8080"  # the port the README starts the emulator on


def _duckdb_examples() -> dict[str, str]:
    return dict(DUCKDB_BLOCK.findall((REPO / "docs" / "gong-activity.md").read_text()))


@pytest.fixture
def db(quickstart: QuickStartRun, tmp_path: Path):
    """A copy of the quick start's database with the docs' flat view created in it."""
    import duckdb

    assert quickstart.exit_code == 0, quickstart.stderr[-3000:]
    copy = tmp_path / "emulator.duckdb"
    shutil.copy(quickstart.database, copy)
    with duckdb.connect(str(copy)) as connection:
        connection.execute(_duckdb_examples()["flat-view"])
        yield connection


def _users() -> dict[str, dict]:
    return {user["id"]: user for user in EMULATOR_DATASET.users()}


def test_the_docs_mark_exactly_the_duckdb_examples_these_tests_run() -> None:
    assert sorted(_duckdb_examples()) == [
        "coaching-share-per-manager",
        "flat-view",
        "scorecard-options-per-team",
        "scorecard-range-averages",
        "weekly-per-manager",
        "weekly-per-user",
    ]


def _counters(item: dict) -> dict[str, int]:
    """A day's counters: Gong's, or all 0 in a zero-filled record."""
    return item["counters"] if item["counters"] is not None else dict.fromkeys(GONG_TO_UNIFIED, 0)


def test_given_the_quick_start_database_when_the_docs_flat_view_is_read_then_it_holds_each_record_flat(
    db, quickstart: QuickStartRun
) -> None:
    metrics = list(GONG_TO_UNIFIED.values())
    columns = ["id", "start_date", "end_date", "company_time_zone", "zero_filled", "user_id", "user_name", "user_email"]
    columns += metrics
    types = dict(db.execute("SELECT column_name, column_type FROM (DESCRIBE gong.activity_flat)").fetchall())
    assert {metric: types[metric] for metric in metrics} == dict.fromkeys(metrics, "BIGINT")
    assert types["start_date"] == "DATE"
    rows = db.execute(f"SELECT {', '.join(columns)} FROM gong.activity_flat ORDER BY id").fetchall()
    users = _users()
    expected = sorted(
        (
            f"{item['userId']}:day:{item['day']}",
            item["day"],
            item["day"] + dt.timedelta(days=1),
            "US/Pacific",
            item["counters"] is None,
            item["userId"],
            f"{users[item['userId']]['firstName']} {users[item['userId']]['lastName']}",
            users[item["userId"]]["emailAddress"],
            *(_counters(item)[gong] for gong in GONG_TO_UNIFIED),
        )
        for item in expected_days(quickstart.first_day, quickstart.end_day)
    )
    assert rows == expected
    assert any(row[4] for row in rows) and not all(row[4] for row in rows)


WEEKLY_SUMS = ("callsAsHost", "callsAttended", "callsGaveFeedback", "callsCommentsGiven", "callsScorecardsFilled")


def test_given_the_flat_view_when_the_docs_weekly_query_runs_then_its_totals_equal_sums_of_the_days(
    db, quickstart: QuickStartRun
) -> None:
    rows = db.execute(_duckdb_examples()["weekly-per-user"]).fetchall()
    users = _users()
    sums: dict[tuple, list[int]] = defaultdict(lambda: [0] * 7)
    for item in expected_days(quickstart.first_day, quickstart.end_day):
        total = sums[(item["userId"], _monday(item["day"]))]
        total[0] += 1
        total[1] += item["counters"] is not None
        for index, gong in enumerate(WEEKLY_SUMS, 2):
            total[index] += _counters(item)[gong]
    expected = [
        (user, f"{users[user]['firstName']} {users[user]['lastName']}", monday, *total)
        for (user, monday), total in sorted(sums.items(), key=lambda entry: (entry[0][1], entry[0][0]))
    ]
    assert rows == expected


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def test_given_the_users_table_when_the_docs_manager_query_runs_then_each_manager_s_reps_and_calls_add_up(
    db, quickstart: QuickStartRun
) -> None:
    rows = db.execute(_duckdb_examples()["weekly-per-manager"]).fetchall()
    users = _users()
    reps: dict[tuple, set[str]] = defaultdict(set)
    active: dict[tuple, set[str]] = defaultdict(set)
    hosted: dict[tuple, int] = defaultdict(int)
    for item in expected_days(quickstart.first_day, quickstart.end_day):
        manager = users[item["userId"]]["managerId"]
        if manager is None:
            continue
        key = (manager, _monday(item["day"]))
        reps[key].add(item["userId"])
        if item["counters"] is not None:
            active[key].add(item["userId"])
            hosted[key] += item["counters"]["callsAsHost"]
    expected = [
        (
            manager,
            f"{users[manager]['firstName']} {users[manager]['lastName']}",
            monday,
            len(reps[(manager, monday)]),
            len(active[(manager, monday)]),
            hosted[(manager, monday)],
            hosted[(manager, monday)] / len(reps[(manager, monday)]),
        )
        for manager, monday in sorted(reps, key=lambda key: (key[1], key[0]))
    ]
    # The query rounds to cents (half away from zero): within half a cent of the exact average.
    assert [(*row[:6], pytest.approx(float(row[6]), abs=0.005 + 1e-9)) for row in rows] == expected
    assert any(row[3] > row[4] for row in rows), "no manager had a quiet rep: the query's point is not shown"


def _reviews_and_questions(quickstart: QuickStartRun) -> tuple[list[dict], dict[str, dict]]:
    """The answered scorecards the quick start synced (its review days), and the settings' questions by id."""
    reviews = EMULATOR_DATASET.expected_scorecards(quickstart.first_day, quickstart.end_day)
    questions = {str(q["questionId"]): q for card in EMULATOR_DATASET.scorecard_settings() for q in card["questions"]}
    return reviews, questions


def test_given_the_quick_start_scorecards_when_the_docs_range_query_runs_then_each_average_is_the_answers_mean(
    db, quickstart: QuickStartRun
) -> None:
    rows = db.execute(_duckdb_examples()["scorecard-range-averages"]).fetchall()
    reviews, questions = _reviews_and_questions(quickstart)
    users, zone = _users(), zoneinfo.ZoneInfo(EMULATOR_DATASET.timezone)
    scores: dict[tuple, list[int]] = defaultdict(list)
    for item in reviews:
        day = dt.datetime.fromisoformat(item["reviewTime"]).astimezone(zone).date()
        user = str(item["reviewedUserId"])
        for answer in item["answers"]:
            question = questions[str(answer["questionId"])]
            if question["questionType"] == "RANGE" and not answer["notApplicable"]:
                scores[(user, day.replace(day=1), str(answer["questionId"]))].append(answer["score"])
    expected = [
        (
            user,
            f"{users[user]['firstName']} {users[user]['lastName']}",
            month,
            question,
            questions[question]["questionText"],
            len(values),
            sum(values) / len(values),
        )
        for (user, month, question), values in sorted(scores.items(), key=lambda entry: (entry[0][1], *entry[0][::2]))
    ]
    # The query rounds to cents (half away from zero): within half a cent of the exact average.
    assert [(*row[:6], pytest.approx(float(row[6]), abs=0.005 + 1e-9)) for row in rows] == expected
    assert len({row[3] for row in rows}) >= 4, "too few RANGE questions answered: the query's point is not shown"


def test_given_the_quick_start_scorecards_when_the_docs_options_query_runs_then_each_team_s_choices_add_up(
    db, quickstart: QuickStartRun
) -> None:
    rows = db.execute(_duckdb_examples()["scorecard-options-per-team"]).fetchall()
    reviews, questions = _reviews_and_questions(quickstart)
    users = _users()
    asked: dict[tuple, int] = defaultdict(int)
    chosen: dict[tuple, int] = defaultdict(int)
    for item in reviews:
        manager = users[str(item["reviewedUserId"])]["managerId"]
        for answer in item["answers"]:
            question = questions[str(answer["questionId"])]
            if manager is None or "answerOptions" not in question or answer["notApplicable"]:
                continue
            asked[(manager, str(answer["questionId"]))] += 1
            for option in answer["selectedOptions"]:
                chosen[(manager, str(answer["questionId"]), option)] += 1
    expected = []
    for manager, question, option in sorted(chosen):
        texts = {str(o["id"]): o["text"] for o in questions[question]["answerOptions"]}
        times, answers = chosen[(manager, question, option)], asked[(manager, question)]
        name = f"{users[manager]['firstName']} {users[manager]['lastName']}"
        expected.append(
            (
                manager,
                name,
                question,
                questions[question]["questionText"],
                option,
                texts[option],
                times,
                answers,
                times / answers,
            )
        )
    assert [(*row[:8], pytest.approx(float(row[8]), abs=0.0005 + 1e-9)) for row in rows] == expected
    assert any(row[8] > 0 for row in rows) and any(row[6] < row[7] for row in rows)


COACHED_WAYS = ("callsListenedTo", "callsManagerAttended", "callsWithScorecardFilled")


def test_given_coaching_and_activity_calls_when_the_docs_coaching_query_runs_then_each_share_is_of_the_reports_calls(
    db, quickstart: QuickStartRun
) -> None:
    rows = db.execute(_duckdb_examples()["coaching-share-per-manager"]).fetchall()
    # Worked out from the emulator's data: its months, its managers (those it refuses left out), its reports, their
    # hosted calls as day-by-day lists them, and every workspace's coaching lists of those calls.
    book, users = EMULATOR_DATASET.coaching, _users()
    zone = zoneinfo.ZoneInfo(EMULATOR_DATASET.timezone)

    def midnight(day: dt.date) -> dt.datetime:
        return dt.datetime(day.year, day.month, day.day, tzinfo=zone)

    months, start = [], quickstart.first_day
    while start < quickstart.end_day:
        following = (start.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        months.append((start, min(following, quickstart.end_day)))
        start = following
    expected = []
    for start, end in months:
        hosted_by_user = {
            user: {str(call) for item in items for call in item["callsAsHost"]}
            for user, items in EMULATOR_DATASET.expected_day_by_day(start, end).items()
        }
        for manager in sorted(book.managers()):
            if book.is_deactivated(manager) or int(manager) >= 2**63:  # both refused: an id above the contract's int64
                continue
            reports = book.direct_reports(manager)
            ways: dict[str, set[str]] = {way: set() for way in COACHED_WAYS}
            hosted: set[str] = set()
            for report in reports:
                calls = hosted_by_user.get(report, set())
                hosted |= calls
                for workspace in book.workspaces():
                    [answer] = book.expected(workspace["id"], manager, midnight(start), midnight(end))
                    for entry in answer["directReportsMetrics"]:
                        if entry["report"]["id"] == report:
                            for way in COACHED_WAYS:
                                ways[way] |= calls & set(map(str, entry["metrics"].get(way, [])))
            coached = set().union(*ways.values())
            share = len(coached) / len(hosted) if hosted else None
            name = f"{users[manager]['firstName']} {users[manager]['lastName']}"
            counts = (len(hosted), *(len(ways[way]) for way in COACHED_WAYS), len(coached))
            expected.append((manager, name, start.replace(day=1), len(reports), *counts, share))
    expected.sort(key=lambda row: (row[2], row[0]))
    # The query rounds the share to three places: within half a thousandth of the exact one.
    assert rows == [
        (*row[:9], None if row[9] is None else pytest.approx(row[9], abs=0.0005 + 1e-9)) for row in expected
    ]
    assert any(0 < row[8] < row[4] for row in rows), "no manager left a call uncoached: the share shows nothing"
    assert any(row[5] and row[6] and row[7] and row[8] < row[5] + row[6] + row[7] for row in rows), (
        "no call was coached two ways: counting it once is not shown"
    )


def test_given_the_emulator_on_a_port_when_the_readme_pyairbyte_snippet_runs_then_it_loads_the_days_into_duckdb(
    tmp_path: Path,
) -> None:
    import duckdb

    [snippet] = [block for block in PYTHON_BLOCK.findall((REPO / "README.md").read_text()) if "import airbyte" in block]
    start = dt.date.fromisoformat(re.search(r'"start_date": "(\d{4}-\d{2}-\d{2})"', snippet).group(1))
    environment = {
        key: value for key, value in os.environ.items() if key not in ("AIRBYTE_OFFLINE_MODE", "DO_NOT_TRACK")
    }
    environment["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{environment.get('PATH', '')}"

    def run_snippet(today: dt.date) -> tuple:
        # Only the emulator's address changes: a free port rather than the README's 8080, which may be taken.
        with EmulatorProcess(access_key="test-access-key", access_key_secret="test-access-key-secret") as emulator:
            folder = Path(tempfile.mkdtemp(dir=tmp_path))  # a new one if the company's midnight made it run again
            script = folder / "snippet.py"
            script.write_text(snippet.replace(README_EMULATOR, emulator.base_url))
            done = subprocess.run(
                [sys.executable, str(script)], cwd=folder, env=environment, capture_output=True, text=True, timeout=600
            )
            return folder, done, emulator.dataset.expected(start, today, "DAY")

    folder, done, expected = on_one_company_day("US/Pacific", run_snippet)
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"{len(expected)} records in the table gong.activity of gong_activity.duckdb" in done.stdout
    with duckdb.connect(str(folder / "gong_activity.duckdb"), read_only=True) as db:
        stored = db.execute("""SELECT a."user"->>'id', start_date FROM gong.activity AS a""").fetchall()
    assert sorted(stored) == sorted((item["userId"], item["fromDate"]) for item in expected)
