"""`records.activity_calls` on the shapes Gong's contract allows: lists left out, call ids as JSON numbers."""

from __future__ import annotations

import json

import orjson

from source_gong_activity.gong.body import decode_json
from source_gong_activity.records.activity_calls import records_of_call_ids


def test_given_call_id_lists_left_out_when_mapped_then_they_are_null() -> None:
    item = {"callsAsHost": ["1"], "fromDate": "2024-03-04T00:00:00-08:00", "toDate": "2024-03-05T00:00:00-08:00"}
    page = {"usersDetailedActivities": [{"userId": "42", "userDailyActivityStats": [item]}]}
    [record] = records_of_call_ids(page, {}, "US/Pacific")
    assert record["call_ids"]["calls_hosted"] == ["1"]
    assert {name for name, ids in record["call_ids"].items() if ids is None} == set(record["call_ids"]) - {
        "calls_hosted"
    }


# Gong's own examples: 19 and 20 digits; the second is above 2**64, where orjson would make a float of it.
BIG_IDS = (5580564522626337006, 37555663966526337006)


def test_given_call_ids_as_json_numbers_of_up_to_20_digits_when_decoded_and_mapped_then_they_are_exact_text() -> None:
    item = {
        "callsAsHost": list(BIG_IDS),
        "callsAttended": ["7782342274025937895", 45],
        "fromDate": "2024-03-04T00:00:00-08:00",
        "toDate": "2024-03-05T00:00:00-08:00",
    }
    raw = json.dumps({"usersDetailedActivities": [{"userId": "42", "userDailyActivityStats": [item]}]}).encode()
    assert orjson.loads(raw)["usersDetailedActivities"][0]["userDailyActivityStats"][0]["callsAsHost"][1] != BIG_IDS[1]

    [record] = records_of_call_ids(decode_json(raw), {}, "US/Pacific")

    assert record["call_ids"]["calls_hosted"] == ["5580564522626337006", "37555663966526337006"]
    assert record["call_ids"]["calls_attended"] == ["7782342274025937895", "45"]
