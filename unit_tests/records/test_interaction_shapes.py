"""`records.interaction` on an answer that leaves out its window, as Gong's published contract allows."""

from __future__ import annotations

from source_gong_activity.records.interaction import records_of_interaction


def test_given_an_interaction_answer_without_its_window_when_mapped_then_the_requested_days_stand_in() -> None:
    body = {"peopleInteractionStats": [{"userId": "7", "personInteractionStats": [{"name": "Patience", "value": 1}]}]}
    [record] = records_of_interaction(body, "week", "2026-11-30", "2026-12-07", {}, "Asia/Tokyo")
    assert (record["start_time"], record["start_date"], record["end_date"]) == (
        "2026-11-30T00:00:00+09:00",
        "2026-11-30",
        "2026-12-07",
    )
