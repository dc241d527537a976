"""The pure mappings of `activity_calls` (day-by-day call ids) and `interaction_stats` (interaction stats)."""

from __future__ import annotations

import re

import pytest

from source_gong_activity.records.activity_calls import records_of_call_ids
from source_gong_activity.records.interaction import metric_name, records_of_interaction
from source_gong_activity.records.values import MalformedResponse

from .builders import COUNTERS

# The unified names, written out again from ../shared/gong-api.md so the test checks the connector's table.
UNIFIED = (
    "calls_hosted calls_attended calls_listened_own calls_listened_others feedback_given feedback_received "
    "feedback_requested comments_given comments_received calls_shared_internally calls_shared_externally "
    "scorecards_filled scorecards_received calls_marked_feedback_given calls_marked_feedback_received"
).split()


def _call_ids_page(item: dict, user_id: str = "42") -> dict:
    return {
        "usersDetailedActivities": [
            {"userId": user_id, "userEmailAddress": "a@acme.example", "userDailyActivityStats": [item]}
        ]
    }


def _day(lists: dict) -> dict:
    return {**lists, "fromDate": "2024-03-10T00:00:00-08:00", "toDate": "2024-03-11T00:00:00-07:00"}


def test_every_list_of_call_ids_lands_under_its_unified_name_in_gong_s_order() -> None:
    lists = {name: [f"{index}{n}" for n in range(index % 3)] for index, name in enumerate(COUNTERS)}
    [record] = records_of_call_ids(_call_ids_page(_day(lists)), {}, "US/Pacific")
    assert record["call_ids"] == {unified: lists[gong] for unified, gong in zip(UNIFIED, COUNTERS, strict=True)}
    assert record["id"] == "42:day:2024-03-10" and record["aggregation_period"] == "day"
    assert (record["start_time"], record["end_time"]) == ("2024-03-10T00:00:00-08:00", "2024-03-11T00:00:00-07:00")
    assert record["remote_data"]["callsAsHost"] == lists["callsAsHost"] and record["remote_data"]["userId"] == "42"


@pytest.mark.parametrize(
    "broken, complaint",
    [
        ({"callsAsHost": 3}, "has no list of call ids 'callsAsHost' (got 3)"),
        ({"callsAttended": [1.7e19]}, "has no list of call ids 'callsAttended' (got [1.7e+19])"),
        ({"callsAttended": [True]}, "has no list of call ids 'callsAttended' (got [True])"),
    ],
)
def test_a_counter_that_is_not_a_list_of_call_ids_is_named_with_its_place(broken: dict, complaint: str) -> None:
    lists = {name: [] for name in COUNTERS}
    with pytest.raises(MalformedResponse, match=r"usersDetailedActivities\[0\]\.userDailyActivityStats\[0\] "):
        list(records_of_call_ids(_call_ids_page(_day({**lists, **broken})), {}, "US/Pacific"))
    with pytest.raises(MalformedResponse, match=re.escape(complaint)):
        list(records_of_call_ids(_call_ids_page(_day({**lists, **broken})), {}, "US/Pacific"))


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
