"""The connector's one "now" (`calendar/clock.py`): no other module reads the wall clock, and freezing it reaches
every reader."""

from __future__ import annotations

import ast
import datetime as dt
import json
from pathlib import Path

import pytest
import requests

from source_gong_activity.calendar.company_day import CompanyDay
from source_gong_activity.gong.errors import may_refuse_future_to_date
from source_gong_activity.gong.limits import GongBackoffStrategy
from source_gong_activity.protocol.failures import QuotaUsedUp
from source_gong_activity.protocol.output import record_batches
from unit_tests.clock import NOW, frozen_at

PACKAGE = Path(__file__).resolve().parents[2] / "source_gong_activity"
# Calls that read the wall clock, as the package would write them; `time.sleep` waits and reads nothing.
CLOCK_READS = {
    "datetime.now",
    "datetime.utcnow",
    "datetime.today",
    "date.today",
    "time.time",
    "time.time_ns",
    "time.monotonic",
    "time.perf_counter",
    "pendulum.now",
    "ab_datetime_now",
}


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else ""


def _clock_reads(path: Path) -> list[str]:
    calls = [node for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.Call)]
    return [
        f"{path.relative_to(PACKAGE)}:{call.lineno} {_dotted(call.func)}"
        for call in calls
        if any(_dotted(call.func) == read or _dotted(call.func).endswith(f".{read}") for read in CLOCK_READS)
    ]


def test_no_module_but_calendar_clock_reads_the_wall_clock() -> None:
    reads = [read for path in sorted(PACKAGE.rglob("*.py")) for read in _clock_reads(path)]
    assert reads == ["calendar/clock.py:16 dt.datetime.now"]


def test_given_a_frozen_clock_then_the_company_s_days_are_that_instant_s() -> None:
    with frozen_at():
        day = CompanyDay(probe=lambda from_date, to_date: (404, None))
        assert (day.earliest(), day.latest()) == (dt.date(2026, 11, 21), dt.date(2026, 11, 23))


def _refused(to_date: str) -> requests.Response:
    response = requests.Response()
    response.status_code = 400
    response.request = requests.Request(
        "POST", "https://api.gong.io/v2/stats/activity/aggregate", json={"filter": {"toDate": to_date}}
    ).prepare()
    return response


def test_given_a_frozen_clock_then_a_400_may_be_for_the_future_only_after_its_earliest_day() -> None:
    with frozen_at():
        assert (
            may_refuse_future_to_date(_refused("2026-11-21")),
            may_refuse_future_to_date(_refused("2026-11-22")),
        ) == (
            False,
            True,
        )


def test_given_a_frozen_clock_then_a_used_up_quota_resets_at_that_instant_plus_its_retry_after() -> None:
    response = requests.Response()
    response.status_code, response.headers["Retry-After"] = 429, "7200"
    with frozen_at(), pytest.raises(QuotaUsedUp) as raised:
        GongBackoffStrategy(max_retry_after_seconds=600).backoff_time(response, 1)
    assert "until about 2026-11-22 13:00 UTC" in raised.value.message


def test_given_a_frozen_clock_then_records_are_emitted_at_that_instant() -> None:
    with frozen_at():
        [batch] = record_batches("activity", [{"id": "1"}])
    assert json.loads(batch.lines)["record"]["emitted_at"] == int(NOW.timestamp() * 1000)
