"""`records.activity_calls`: every list of call ids under its unified name."""

from __future__ import annotations

import json
import re

import pytest

from source_gong_activity.gong.body import decode_json
from source_gong_activity.records.activity_calls import records_of_call_ids
from source_gong_activity.records.values import MalformedResponse
from unit_tests.builders import COUNTERS

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


def test_given_call_ids_as_json_numbers_then_call_ids_are_exact_text_and_remote_data_is_the_decoded_item() -> None:
    # 19 digits within 64 bits, 20 digits (above 2**64) and 19 digits above 2**63 - 1, as Gong's contract allows.
    numbers = b"[1118660649136386710, 37555663966526337006, 9300000000000000001]"
    body = json.dumps(_call_ids_page(_day({name: [] for name in COUNTERS}))).encode()
    decoded = decode_json(body.replace(b'"callsAsHost": []', b'"callsAsHost": ' + numbers))

    [record] = records_of_call_ids(decoded, {}, "US/Pacific")

    assert record["call_ids"]["calls_hosted"] == ["1118660649136386710", "37555663966526337006", "9300000000000000001"]
    # Gong's item as sent, but for the integers past 64 bits, which the decoder gives as their digits.
    assert record["remote_data"]["callsAsHost"] == [1118660649136386710, "37555663966526337006", "9300000000000000001"]
