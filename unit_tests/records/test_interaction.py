"""`records.interaction`: Gong's interaction stats under the unified naming rule, and the record of a window."""

from __future__ import annotations

import pytest

from source_gong_activity.records.interaction import metric_name, records_of_interaction
from source_gong_activity.records.values import MalformedResponse


@pytest.mark.parametrize(
    "gong, unified",
    [
        ("Talk Ratio", "talk_ratio"),
        ("Longest Customer Story", "longest_customer_story"),
        ("Filler-Words / min", "filler_words_min"),
    ],
)
def test_stat_names_become_lower_case_words_joined_by_underscores(gong: str, unified: str) -> None:
    assert metric_name(gong) == unified


def _interaction_page(stats: list) -> dict:
    return {
        "fromDateTime": "2024-03-04T00:00:00+09:00",
        "toDateTime": "2024-03-11T00:00:00+09:00",
        "timeZone": "Asia/Tokyo",
        "peopleInteractionStats": [
            {"userId": "7", "userEmailAddress": "r@acme.example", "personInteractionStats": stats}
        ],
    }


def test_interaction_stats_keep_gong_s_numbers_null_for_a_missing_stat_and_a_new_stat_under_the_naming_rule() -> None:
    stats = [
        {"name": "Talk Ratio", "value": 0.46},
        {"name": "Longest Monologue", "value": 125},
        {"name": "Filler Words", "value": 3.5},
    ]
    [record] = records_of_interaction(_interaction_page(stats), "week", "2024-03-04", "2024-03-11", {}, "Asia/Tokyo")
    assert record["metrics"] == {
        "talk_ratio": 0.46,
        "longest_monologue": 125,
        "longest_customer_story": None,
        "interactivity": None,
        "patience": None,
        "question_rate": None,
        "filler_words": 3.5,
    }
    assert record["id"] == "7:week:2024-03-04" and record["aggregation_period"] == "week"
    assert (record["start_time"], record["end_time"]) == ("2024-03-04T00:00:00+09:00", "2024-03-11T00:00:00+09:00")


def test_a_total_record_is_named_by_its_window() -> None:
    [record] = records_of_interaction(_interaction_page([]), "total", "2024-03-04", "2024-03-11", {}, "Asia/Tokyo")
    assert record["id"] == "7:total:2024-03-04:2024-03-11"


@pytest.mark.parametrize("stat", [{"name": "Patience", "value": "slow"}, {"value": 3}, "Patience"])
def test_an_unreadable_stat_fails_clearly(stat) -> None:
    with pytest.raises(MalformedResponse, match=r"peopleInteractionStats\[0\]\.personInteractionStats\[0\]"):
        list(records_of_interaction(_interaction_page([stat]), "week", "2024-03-04", "2024-03-11", {}, "Asia/Tokyo"))
