"""`records.coaching`: Gong's coaching answer to records, pure and table-tested."""

from __future__ import annotations

from typing import Any

import pytest

from source_gong_activity.records.coaching import CoachingAsk, records_of_coaching, to_workspaces_record
from source_gong_activity.records.values import MalformedResponse

ASK = CoachingAsk(
    "9",
    "1",
    "month",
    "2024-03-01",
    "2024-04-01",
    "2024-03-01T00:00:00+09:00",
    "2024-04-01T00:00:00+09:00",
    "Asia/Tokyo",
)
DIRECTORY = {"1": {"firstName": "Mia", "lastName": "Boss", "emailAddress": "mia@x"}, "2": {"firstName": "Rob"}}


def an_answer(*entries: dict[str, Any], manager: Any = "1") -> dict[str, Any]:
    return {
        "coachingData": [{"manager": {"id": manager, "emailAddress": "m@x"}, "directReportsMetrics": list(entries)}]
    }


def an_entry(report: Any, metrics: Any = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"report": {"id": report, "emailAddress": f"{report}@x"}}
    if metrics is not None:
        entry["metrics"] = metrics
    return entry


@pytest.mark.parametrize(
    "metrics, counts, call_ids",
    [
        (
            {"callsListenedTo": ["5", "6"], "callsManagerAttended": []},
            {"callsListenedTo": 2, "callsManagerAttended": 0},
            {"callsListenedTo": ["5", "6"], "callsManagerAttended": []},
        ),
        (
            {"callsWithAiFeedback": [12345678901234567890]},
            {"callsWithAiFeedback": 1},
            {"callsWithAiFeedback": ["12345678901234567890"]},
        ),
        (None, {}, {}),  # a report listed with no metrics keeps its record
        ({}, {}, {}),
        ({"callsListenedTo": None}, {"callsListenedTo": 0}, {"callsListenedTo": []}),
    ],
    ids=["strings", "a-new-name-and-a-20-digit-number", "no-metrics", "empty-metrics", "null-list"],
)
def test_metrics_are_counted_per_gong_name_with_the_ids_as_strings(metrics: Any, counts: Any, call_ids: Any) -> None:
    [record] = records_of_coaching(an_answer(an_entry("2", metrics)), ASK, DIRECTORY)
    assert record["id"] == "9:1:2:2024-03-01"
    assert (record["metrics"], record["call_ids"]) == (counts, call_ids)
    assert record["manager"] == {"id": "1", "name": "Mia Boss", "emails": [{"email": "mia@x", "is_primary": True}]}
    assert record["report"]["name"] == "Rob" and record["company_time_zone"] == "Asia/Tokyo"
    assert (record["start_time"], record["end_time"]) == (ASK.start_time, ASK.end_time)
    assert record["remote_data"]["report"]["id"] == "2"


def test_report_ids_keep_only_those_reports() -> None:
    answer = an_answer(an_entry("2", {}), an_entry(3, {}))
    assert [r["report"]["id"] for r in records_of_coaching(answer, ASK, DIRECTORY, ("3",))] == ["3"]
    assert [r["report"]["id"] for r in records_of_coaching(answer, ASK, DIRECTORY)] == ["2", "3"]


@pytest.mark.parametrize(
    "answer, says",
    [
        ({"coachingData": {}}, "no list 'coachingData'"),
        (an_answer(an_entry("2", {"callsListenedTo": "5"})), "no list of call ids 'callsListenedTo'"),
        (an_answer(an_entry("2", {"callsListenedTo": [5.0]})), "no list of call ids"),
        (an_answer(an_entry(None, {})), "report has no 'id'"),
        (an_answer(an_entry("2", {}), manager="7"), "not the one asked"),
    ],
)
def test_what_cannot_be_made_right_is_a_malformed_response(answer: Any, says: str) -> None:
    with pytest.raises(MalformedResponse, match=says):
        list(records_of_coaching(answer, ASK, DIRECTORY))


def test_a_workspace_id_sent_as_a_number_is_a_decimal_string() -> None:
    assert to_workspaces_record({"id": 623457276584334, "name": "Sales"}) == {
        "id": "623457276584334",
        "name": "Sales",
        "description": None,
    }
