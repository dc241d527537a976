"""`answered_scorecards` through the real command line, against the emulator's truth (GET /_emulator/truth)."""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from typing import Any

import pytest
from airbyte_cdk.models import FailureType, Type

from integration_tests.harness import (
    ConnectorRun,
    EmulatorProcess,
    by_id,
    catalog_of,
    emulator_config,
    expected_records,
    run_connector,
)

STREAM = "answered_scorecards"
START, MIDDLE, END = dt.date(2024, 3, 1), dt.date(2024, 5, 15), dt.date(2024, 6, 10)
PAGE = 100  # the emulator's page size, as Gong's


def scorecards_catalog(*others: str) -> dict[str, Any]:
    """A configured catalog with answered_scorecards under its own cursor, `review_time`."""
    catalog = catalog_of([*others, STREAM])
    for configured in catalog["streams"]:
        if configured["stream"]["name"] == STREAM:
            configured["stream"]["default_cursor_field"] = configured["cursor_field"] = ["review_time"]
    return catalog


def review_windows(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The stream's windows as its docs state them: 92 review days each from the first day read, the last clipped."""
    windows, day = [], start
    while day < end:
        windows.append((day, min(day + dt.timedelta(days=92), end)))
        day = windows[-1][1]
    return windows


def truth(emulator: EmulatorProcess, start: dt.date, end: dt.date, **filters: str) -> list[dict[str, Any]]:
    return emulator.truth(endpoint="scorecards", reviewFromDate=str(start), reviewToDate=str(end), **filters)


def gong_id(value: int | str) -> str:
    """An id as the records write it, a decimal string: Gong's 2024 contract sends int64 numbers, 2023's strings."""
    return str(value)


def as_decoded(value: Any) -> Any:
    """Gong's JSON as the connector's `remote_data` holds it: an integer outside 64 bits (signed) as its exact
    decimal string (the connector's one decoder's rule, so that no reader downstream rounds it), the rest as sent."""
    if isinstance(value, dict):
        return {key: as_decoded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_decoded(item) for item in value]
    if type(value) is int and not -(2**63) <= value < 2**63:
        return str(value)
    return value


def settings_truth(emulator: EmulatorProcess) -> list[dict[str, Any]]:
    """The scorecards GET /v2/settings/scorecards lists today, as the emulator knows them."""
    return emulator.truth(endpoint="scorecard-settings")


def expected_answer(answer: dict[str, Any], settings: list[dict[str, Any]] | None) -> dict[str, Any]:
    """One answer as its record must hold it: Gong's values, and its question in the words the settings list now
    (the current revision's, whichever revision was answered); no words at all without the settings."""
    listed = {gong_id(q["questionId"]): q for card in settings or () for q in card["questions"]}
    question = listed.get(gong_id(answer["questionId"]))
    chosen = [gong_id(option) for option in answer.get("selectedOptions") or ()] or None
    options = {gong_id(option["id"]): option["text"] for option in (question or {}).get("answerOptions", ())}
    return {
        "question_id": gong_id(answer["questionId"]),
        "question_revision_id": gong_id(answer["questionRevisionId"]),
        "is_overall": answer["isOverall"],
        "score": answer.get("score"),
        "answer_text": answer.get("answerText"),
        "not_applicable": answer["notApplicable"],
        "selected_options": chosen,
        "question_text": question["questionText"] if question else None,
        "question_type": question["questionType"] if question else None,
        "selected_option_texts": [options.get(option) for option in chosen] if question and chosen else None,
        "current_revision": None
        if settings is None
        else question is not None and gong_id(question["questionRevisionId"]) == gong_id(answer["questionRevisionId"]),
    }


def expected_view(
    items: list[dict[str, Any]], time_zone: str, settings: list[dict[str, Any]] | None
) -> dict[str, dict[str, Any]]:
    """What each record must hold, by id, from Gong's items and settings (the contract's names, mapped again here)."""
    zone = zoneinfo.ZoneInfo(time_zone)
    view = {}
    for item in items:
        answers = [expected_answer(answer, settings) for answer in item["answers"]]
        overall = [answer.get("score") for answer in item["answers"] if answer["isOverall"]]
        view[gong_id(item["answeredScorecardId"])] = {
            "scorecard": {"id": gong_id(item["scorecardId"]), "name": item["scorecardName"]},
            "call_id": gong_id(item["callId"]),
            "call_start_time": item["callStartTime"],
            "review_time": item["reviewTime"],
            "review_date": str(dt.datetime.fromisoformat(item["reviewTime"]).astimezone(zone).date()),
            "visibility": item["visibilityType"],
            "reviewed_user": gong_id(item["reviewedUserId"]),
            "reviewer": gong_id(item["reviewerUserId"]),
            "answers": answers,
            "overall_score": overall[0] if overall else None,
            "company_time_zone": time_zone,
            "remote_data": as_decoded(item),
        }
    return view


def records_view(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    view = {}
    for record in records:
        fields = {key: value for key, value in record.items() if key != "id"}
        fields["reviewed_user"], fields["reviewer"] = record["reviewed_user"]["id"], record["reviewer"]["id"]
        view[record["id"]] = fields
    return view


def records_of(run: ConnectorRun, stream: str = STREAM) -> list[dict[str, Any]]:
    return [message.record.data for message in run.of_type(Type.RECORD) if message.record.stream == stream]


def states_of(run: ConnectorRun, stream: str = STREAM) -> list[dict[str, Any]]:
    states = [m.state.stream for m in run.of_type(Type.STATE) if m.state.stream.stream_descriptor.name == stream]
    return [dict(state.stream_state.__dict__) for state in states]


def test_answered_scorecards_equal_the_emulator_truth_each_once_at_one_call_per_page_of_each_window(
    emulator: EmulatorProcess, tmp_path
) -> None:
    config = emulator_config(emulator, start_date=str(START), end_date=str(END))
    emulator.reset_stats()
    run = run_connector(tmp_path, "read", config, scorecards_catalog())

    assert run.exit_code == 0 and not run.errors
    records = records_of(run)
    served = truth(emulator, START, END)
    assert len(records) == len({record["id"] for record in records}) == len(served) > 1000
    assert records_view(records) == expected_view(served, "US/Pacific", settings_truth(emulator))
    # Named from Gong's users list, as `activity`'s users are.
    names = {user["id"]: f"{user['firstName']} {user['lastName']}" for user in emulator.dataset.users()}
    assert all(record["reviewer"]["name"] == names[record["reviewer"]["id"]] for record in records)
    assert all(record["reviewed_user"]["name"] == names[record["reviewed_user"]["id"]] for record in records)
    # A STATE after each window of review days; one call per page of 100 answered scorecards in each.
    windows = review_windows(START, END)
    assert [state["start_time"] for state in states_of(run)] == [str(end) for _, end in windows]
    pages = [max(1, math.ceil(len(truth(emulator, a, b)) / PAGE)) for a, b in windows]
    assert emulator.count("POST /v2/stats/activity/scorecards") == sum(pages)
    [plan] = [m.log.message for m in run.of_type(Type.LOG) if m.log.message.startswith(f"Stream '{STREAM}' plans")]
    assert plan.startswith(f"Stream '{STREAM}' plans {len(windows)} window(s) of day data") and "not users" in plan


def test_each_answered_scorecard_is_a_call_in_its_reviewer_s_scorecards_filled_list_of_its_review_day(
    emulator: EmulatorProcess, tmp_path
) -> None:
    config = emulator_config(emulator, start_date=str(START), end_date=str(START + dt.timedelta(days=28)))
    run = run_connector(tmp_path, "read", config, scorecards_catalog("activity_calls"))

    assert run.exit_code == 0 and not run.errors
    filled = {record["id"]: record["call_ids"]["scorecards_filled"] for record in records_of(run, "activity_calls")}
    reviewed: dict[str, list[str]] = {}
    for record in records_of(run):
        reviewed.setdefault(f"{record['reviewer']['id']}:day:{record['review_date']}", []).append(record["call_id"])
    assert reviewed and all(sorted(calls) == sorted(filled[day]) for day, calls in reviewed.items())
    assert sum(map(len, reviewed.values())) == sum(map(len, filled.values()))


def test_two_incremental_syncs_of_answered_scorecards_equal_one(emulator: EmulatorProcess, tmp_path) -> None:
    config = emulator_config(emulator, start_date=str(START), lookback_days=0)
    first = run_connector(tmp_path, "read", {**config, "end_date": str(MIDDLE)}, scorecards_catalog())
    [saved] = states_of(first)[-1:]
    state = [{"type": "STREAM", "stream": {"stream_descriptor": {"name": STREAM}, "stream_state": saved}}]
    second = run_connector(tmp_path, "read", {**config, "end_date": str(END)}, scorecards_catalog(), state)

    assert first.exit_code == second.exit_code == 0
    assert saved == {"start_time": str(MIDDLE), "company_time_zone": "US/Pacific"}
    ids_first, ids_second = {r["id"] for r in records_of(first)}, {r["id"] for r in records_of(second)}
    assert not ids_first & ids_second
    merged = records_view(records_of(first) + records_of(second))
    assert merged == expected_view(truth(emulator, START, END), "US/Pacific", settings_truth(emulator))


def test_given_gong_reads_review_to_date_as_inclusive_then_each_window_keeps_its_own_days_and_each_review_comes_once(
    tmp_path,
) -> None:
    # Two windows of review days (92, then 9): with an inclusive reviewToDate the first window's answers also hold the
    # second's first day, which the second window reads again.
    with EmulatorProcess(inclusive_review_to=True, users=120) as inclusive:
        run = run_connector(
            tmp_path, "read", emulator_config(inclusive, start_date=str(START), end_date=str(END)), scorecards_catalog()
        )
        # [START, END) as the inclusive emulator reads it: to END's eve, and END's own reviews apart.
        served = truth(inclusive, START, END - dt.timedelta(days=1))
        boundary = truth(inclusive, START + dt.timedelta(days=92), START + dt.timedelta(days=92))
        settings = settings_truth(inclusive)

    assert run.exit_code == 0 and not run.errors, run.stderr[-2000:]
    records = records_of(run)
    assert boundary, "no review on a window's first day: the test proves nothing"
    assert len(records) == len({record["id"] for record in records}) == len(served)
    assert records_view(records) == expected_view(served, "US/Pacific", settings)


# The lookback syncs run on a frozen clock, the emulator's today the company's day then (Wednesday 2024-06-12 in
# US/Pacific): the default lookback of 7 days starts on 2024-06-05, and the last 5 days' reviews keep growing.
FROZEN, TODAY = dt.datetime(2024, 6, 12, 19, 0, tzinfo=dt.UTC), dt.date(2024, 6, 12)
LOOKBACK_START = dt.date(2024, 6, 5)
GROWN_DAYS = [dt.date(2024, 6, day) for day in range(7, 12)]


def test_given_late_reviews_within_the_lookback_when_synced_again_then_they_arrive_and_nothing_repeats_outside_it(
    tmp_path,
) -> None:
    start = dt.date(2024, 5, 13)
    with EmulatorProcess(today=TODAY, grow_recent_days=len(GROWN_DAYS)) as gong:
        config = emulator_config(gong, start_date=str(start))  # no end_date: to today, the default lookback of 7 days
        first = run_connector(tmp_path, "read", config, scorecards_catalog(), frozen_at=FROZEN)
        before = truth(gong, start, TODAY)
        gong.advance()
        [saved] = states_of(first)[-1:]
        state = [{"type": "STREAM", "stream": {"stream_descriptor": {"name": STREAM}, "stream_state": saved}}]
        second = run_connector(tmp_path, "read", config, scorecards_catalog(), state, frozen_at=FROZEN)
        after, settings = truth(gong, start, TODAY), settings_truth(gong)

    assert first.exit_code == second.exit_code == 0 and not first.errors and not second.errors
    late = {item["answeredScorecardId"] for item in after} - {item["answeredScorecardId"] for item in before}
    late_days = {_review_day(item) for item in after if item["answeredScorecardId"] in late}
    assert late and late_days <= set(GROWN_DAYS), (
        "the late reviews must fall in the lookback, so that the test can tell"
    )
    assert records_view(records_of(first)) == expected_view(before, "US/Pacific", settings)
    # The second sync reads the lookback's days again, and only those: the late reviews arrive, under their own ids.
    assert {record["review_date"] for record in records_of(second)} <= {
        str(LOOKBACK_START + dt.timedelta(days=offset)) for offset in range(7)
    }
    assert records_view(records_of(second)) == expected_view(
        [item for item in after if _review_day(item) >= LOOKBACK_START], "US/Pacific", settings
    )
    assert records_view(records_of(first) + records_of(second)) == expected_view(after, "US/Pacific", settings)
    saved_state = {"start_time": str(LOOKBACK_START), "company_time_zone": "US/Pacific"}
    assert states_of(first)[-1] == states_of(second)[-1] == saved_state


def _review_day(item: dict[str, Any]) -> dt.date:
    return dt.datetime.fromisoformat(item["reviewTime"]).astimezone(zoneinfo.ZoneInfo("US/Pacific")).date()


def test_user_ids_keep_only_the_reviews_of_those_reviewed_users(emulator: EmulatorProcess, tmp_path) -> None:
    reviewed = sorted({gong_id(item["reviewedUserId"]) for item in truth(emulator, START, MIDDLE)})[:3]
    config = emulator_config(emulator, start_date=str(START), end_date=str(MIDDLE), user_ids=reviewed)
    run = run_connector(tmp_path, "read", config, scorecards_catalog())

    assert run.exit_code == 0 and not run.errors
    records = records_of(run)
    assert {record["reviewed_user"]["id"] for record in records} == set(reviewed)
    served = truth(emulator, START, MIDDLE, reviewedUserIds=",".join(reviewed))
    assert records_view(records) == expected_view(served, "US/Pacific", settings_truth(emulator))


def test_company_days_of_utc_times_in_tokyo_cut_the_windows_each_review_once(tmp_path) -> None:
    # Reviews between 08:00 and 19:00 in Tokyo are 23:00 to 10:00 UTC: a third are written on the previous UTC day.
    with EmulatorProcess(timezone="Asia/Tokyo", utc_times=True, users=120) as emulator:
        config = emulator_config(emulator, start_date=str(START), end_date=str(END))
        run = run_connector(tmp_path, "read", config, scorecards_catalog())
        served, settings = truth(emulator, START, END), settings_truth(emulator)

    assert run.exit_code == 0 and not run.errors
    records = records_of(run)
    assert any(record["review_time"].endswith("Z") and record["review_time"][:10] == "2024-05-31" for record in records)
    assert len(records) == len({record["id"] for record in records})
    assert records_view(records) == expected_view(served, "Asia/Tokyo", settings)


@pytest.mark.parametrize(
    "overrides",
    [
        {"scorecard_ids": ["1"]},  # a scorecard nobody answered
        {"start_date": "2023-11-01", "end_date": "2023-12-01"},  # before anyone reviewed anything
    ],
    ids=["no such scorecard", "before the history"],
)
def test_a_window_without_reviews_is_empty_and_the_sync_succeeds(
    emulator: EmulatorProcess, tmp_path, overrides: dict[str, Any]
) -> None:
    config = emulator_config(emulator, **{"start_date": str(START), "end_date": str(MIDDLE), **overrides})
    emulator.reset_stats()
    run = run_connector(tmp_path, "read", config, scorecards_catalog())

    assert run.exit_code == 0 and not run.errors and records_of(run) == []
    assert emulator.count("POST /v2/stats/activity/scorecards", status=404) >= 1
    assert states_of(run)[-1]["start_time"] == config["end_date"]


def test_given_a_key_without_the_scorecards_scope_then_check_passes_naming_it_and_read_syncs_the_rest(tmp_path) -> None:
    with EmulatorProcess(no_scorecards_scope=True) as emulator:
        config = emulator_config(emulator, start_date=str(START), end_date=str(MIDDLE))
        check = run_connector(tmp_path, "check", config)
        read = run_connector(tmp_path, "read", config, scorecards_catalog("activity"))
        activity_truth = expected_records(emulator.dataset, START, MIDDLE, "day")

    [status] = check.of_type(Type.CONNECTION_STATUS)
    assert check.exit_code == 0 and status.connectionStatus.status.value == "SUCCEEDED"
    message = status.connectionStatus.message
    assert f"The stream '{STREAM}' cannot be synced" in message and "api:stats:scorecards" in message
    assert by_id(records_of(read, "activity")) == activity_truth and records_of(read) == []
    [error] = read.errors
    assert error.failure_type == FailureType.config_error and "api:stats:scorecards" in error.message
    assert read.exit_code != 0 and "Traceback" not in read.stdout + read.stderr
