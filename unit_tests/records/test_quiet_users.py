"""`records.quiet_users`: zero records for the active users Gong sent none for, under Gong's own ids."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from source_gong_activity.calendar.days import ZoneUnknown
from source_gong_activity.records.quiet_users import quiet_user_records

D = dt.date.fromisoformat


def _user(user_id: str, active: Any = True, created: Any = "2023-01-01T09:00:00-08:00") -> dict[str, Any]:
    return {"id": user_id, "firstName": "U", "lastName": user_id, "active": active, "created": created}


WEEKS = [(D("2024-03-04"), D("2024-03-11")), (D("2024-03-11"), D("2024-03-18"))]


def test_every_active_user_without_a_record_gets_zeros_under_gong_s_id_and_users_with_one_keep_it() -> None:
    users = [_user("1"), _user("2")]
    seen = {"1:week:2024-03-04"}

    records = list(quiet_user_records(WEEKS, users, (), seen, "week", "US/Pacific"))

    assert [record["id"] for record in records] == ["1:week:2024-03-11", "2:week:2024-03-04", "2:week:2024-03-11"]
    first = records[0]
    assert first["metrics"] == {
        "calls_hosted": 0,
        "calls_attended": 0,
        "calls_listened_own": 0,
        "calls_listened_others": 0,
        "feedback_given": 0,
        "feedback_received": 0,
        "feedback_requested": 0,
        "comments_given": 0,
        "comments_received": 0,
        "calls_shared_internally": 0,
        "calls_shared_externally": 0,
        "scorecards_filled": 0,
        "scorecards_received": 0,
        "calls_marked_feedback_given": 0,
        "calls_marked_feedback_received": 0,
    }
    assert (first["zero_filled"], first["aggregation_period"], first["company_time_zone"]) == (
        True,
        "week",
        "US/Pacific",
    )
    assert (first["start_time"], first["end_time"]) == ("2024-03-11T00:00:00-07:00", "2024-03-18T00:00:00-07:00")
    assert (first["start_date"], first["end_date"]) == ("2024-03-11", "2024-03-18")
    assert first["user"] == {"id": "1", "name": "U 1", "emails": []}
    assert first["remote_data"] is None


@pytest.mark.parametrize(
    "user, weeks_with_zeros",
    [
        (_user("3", active=False), []),  # deactivated
        (_user("3", active=None), []),  # Gong did not say
        (_user("3", created="2024-03-12T10:00:00-07:00"), ["2024-03-11"]),  # created in the second week
        (_user("3", created="2024-03-11T00:00:00-07:00"), ["2024-03-11"]),  # at the second week's first moment
        (_user("3", created="2024-03-18T06:59:59Z"), ["2024-03-11"]),  # Sunday 23:59:59 Pacific: the last second
        (_user("3", created="2024-03-18T07:00:00Z"), []),  # Monday 00:00 Pacific: after the last week
        (_user("3", created="2024-03-11T06:00:00.5Z"), ["2024-03-04", "2024-03-11"]),  # Sunday 23:00 Pacific
        (_user("3", created=None), ["2024-03-04", "2024-03-11"]),  # unknown: counted throughout
    ],
)
def test_only_active_users_count_from_the_period_their_account_was_created_in(user, weeks_with_zeros) -> None:
    records = quiet_user_records(WEEKS, [user], (), set(), "week", "US/Pacific")
    assert [record["start_date"] for record in records] == weeks_with_zeros


def test_with_user_ids_only_those_users_get_zeros() -> None:
    users = [_user("1"), _user("2"), _user("3")]
    records = quiet_user_records(WEEKS[:1], users, ("3", "1"), set(), "week", "Asia/Tokyo")
    assert [(record["id"], record["start_time"]) for record in records] == [
        ("1:week:2024-03-04", "2024-03-04T00:00:00+09:00"),
        ("3:week:2024-03-04", "2024-03-04T00:00:00+09:00"),
    ]


def test_a_total_window_gives_one_zero_record_per_quiet_user_named_by_the_window() -> None:
    window = [(D("2024-03-04"), D("2024-03-18"))]
    records = quiet_user_records(
        window, [_user("1"), _user("2")], (), {"1:total:2024-03-04:2024-03-18"}, "total", "US/Pacific"
    )
    assert [(record["id"], record["start_time"]) for record in records] == [
        ("2:total:2024-03-04:2024-03-18", "2024-03-04T00:00:00-08:00")
    ]


def test_zero_records_are_not_written_without_the_company_s_zone_their_start_time_would_be_a_guess() -> None:
    with pytest.raises(ZoneUnknown):
        list(quiet_user_records([(D("2024-03-04"), D("2024-03-18"))], [_user("1")], (), set(), "total", None))
