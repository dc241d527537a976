"""The `scorecards` stream and the words of `answered_scorecards`' answers through the real command line, against the
emulator's truth: Gong's ids as numbers (2024) and as strings (2023), a Tokyo company writing UTC times, answers to
revisions the settings no longer list, a disabled scorecard, and a key without api:settings:scorecards:read."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from airbyte_cdk.models import FailureType, Type

from integration_tests.harness import ConnectorRun, EmulatorProcess, emulator_config, run_connector
from integration_tests.test_e2e_answered_scorecards import (
    as_decoded,
    expected_view,
    gong_id,
    records_of,
    records_view,
    scorecards_catalog,
    settings_truth,
    states_of,
    truth,
)

# Across the emulator's edits of 2024-04-10 and 2024-05-30 and the disabling of a scorecard on 2024-06-04.
START, END = dt.date(2024, 3, 1), dt.date(2024, 6, 10)
SCOPE = "api:settings:scorecards:read"
SETTINGS_CALL = "GET /v2/settings/scorecards"


def both_catalog() -> dict[str, Any]:
    """answered_scorecards (incremental) and scorecards (full refresh, its only mode)."""
    catalog = scorecards_catalog("scorecards")
    for configured in catalog["streams"]:
        if configured["stream"]["name"] == "scorecards":
            configured["stream"]["supported_sync_modes"] = ["full_refresh"]
            configured.update(sync_mode="full_refresh", destination_sync_mode="overwrite", cursor_field=[])
    return catalog


def expected_scorecards(settings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The `scorecards` records the settings make (the contract's names mapped again here; left-out values null)."""
    return [
        {
            "id": gong_id(card["scorecardId"]),
            "name": card["scorecardName"],
            "workspace_id": gong_id(card["workspaceId"]),
            "enabled": card["enabled"],
            "created": card["created"],
            "updated": card["updated"],
            "updater_user_id": gong_id(card["updaterUserId"]),
            "questions": [
                {
                    "id": gong_id(question["questionId"]),
                    "revision_id": gong_id(question["questionRevisionId"]),
                    "text": question["questionText"],
                    "type": question["questionType"],
                    "is_overall": question["isOverall"],
                    "answer_guide": question.get("answerGuide"),
                    "min_range": question.get("minRange"),
                    "max_range": question.get("maxRange"),
                    "options": [{"id": str(o["id"]), "text": o["text"]} for o in question["answerOptions"]]
                    if "answerOptions" in question
                    else None,
                }
                for question in card["questions"]
            ],
            "remote_data": as_decoded(card),
        }
        for card in settings
    ]


def _sync(tmp_path, **flags: Any) -> tuple[ConnectorRun, list[dict], list[dict], int, ConnectorRun]:
    """check, then a read of both streams; with the truth of both endpoints and the settings calls of the read."""
    with EmulatorProcess(users=80, **flags) as emulator:
        config = emulator_config(emulator, start_date=str(START), end_date=str(END))
        check = run_connector(tmp_path, "check", config)
        emulator.reset_stats()
        run = run_connector(tmp_path, "read", config, both_catalog())
        calls = emulator.count(SETTINGS_CALL)
        served = truth(emulator, START, END)
        settings = None if flags.get("no_settings_scope") else settings_truth(emulator)
    return run, served, settings, calls, check


@pytest.fixture(scope="module")
def numeric(tmp_path_factory) -> tuple[ConnectorRun, list[dict], list[dict], int, ConnectorRun]:
    return _sync(tmp_path_factory.mktemp("numeric"))


@pytest.fixture(scope="module")
def strings(tmp_path_factory) -> tuple[ConnectorRun, list[dict], list[dict], int, ConnectorRun]:
    return _sync(tmp_path_factory.mktemp("strings"), string_scorecard_ids=True)


@pytest.mark.parametrize("ids", ["numeric", "strings"])
def test_both_scorecard_streams_equal_the_emulator_truth_with_one_settings_call(request, ids: str) -> None:
    run, served, settings, calls, _ = request.getfixturevalue(ids)

    assert run.exit_code == 0 and not run.errors, run.stderr[-2000:]
    assert calls == 1
    assert records_of(run, "scorecards") == expected_scorecards(settings)
    assert records_view(records_of(run)) == expected_view(served, "US/Pacific", settings)
    assert states_of(run)[-1] == {"start_time": str(END), "company_time_zone": "US/Pacific"}
    [plan] = [m.log.message for m in run.of_type(Type.LOG) if m.log.message.startswith("Stream 'answered_scorecards'")]
    assert "plus 1 for the scorecard settings" in plan


def test_ids_sent_as_numbers_or_as_strings_leave_as_the_same_strings(numeric, strings) -> None:
    def without_raw(run: ConnectorRun) -> list[dict[str, Any]]:
        return [{key: value for key, value in record.items() if key != "remote_data"} for record in run.records]

    assert type(numeric[2][0]["scorecardId"]) is int and type(strings[2][0]["scorecardId"]) is str
    assert without_raw(numeric[0]) == without_raw(strings[0]) and numeric[0].records


def test_answers_to_a_revision_the_settings_no_longer_list_carry_the_current_text_and_current_revision_false(
    numeric,
) -> None:
    run, _, settings, _, _ = numeric
    listed = {gong_id(q["questionId"]): q for card in settings for q in card["questions"]}
    answers = [answer for record in records_of(run) for answer in record["answers"]]

    earlier = [answer for answer in answers if answer["current_revision"] is False]
    assert len({answer["question_id"] for answer in earlier}) >= 2, "too few revised questions: the test proves little"
    for answer in earlier:
        question = listed[answer["question_id"]]
        assert answer["question_revision_id"] != gong_id(question["questionRevisionId"])
        assert answer["question_text"] == question["questionText"]
    assert {answer["question_type"] for answer in answers} == {"RANGE", "SINGLE_SELECT", "MULTI_SELECT", "OPEN"}
    chosen = [answer for answer in answers if answer["selected_options"]]
    assert chosen and all(answer["score"] is None and answer["answer_text"] is None for answer in chosen)
    assert all(len(a["selected_option_texts"]) == len(a["selected_options"]) for a in chosen)


def test_the_disabled_scorecard_is_a_record_and_its_answers_are_synced(numeric) -> None:
    run, _, _, _, _ = numeric
    [disabled] = [record for record in records_of(run, "scorecards") if record["enabled"] is False]

    assert any(record["scorecard"]["id"] == disabled["id"] for record in records_of(run))


def test_a_tokyo_company_writing_utc_times_gets_both_streams_right_each_review_on_its_tokyo_day(tmp_path) -> None:
    with EmulatorProcess(users=80, timezone="Asia/Tokyo", utc_times=True) as emulator:
        config = emulator_config(emulator, start_date=str(START), end_date=str(END))
        run = run_connector(tmp_path, "read", config, both_catalog())
        served, settings, calls = truth(emulator, START, END), settings_truth(emulator), emulator.count(SETTINGS_CALL)

    assert run.exit_code == 0 and not run.errors, run.stderr[-2000:]
    assert calls == 1 and all(card["updated"].endswith("Z") for card in settings)
    assert records_of(run, "scorecards") == expected_scorecards(settings)
    assert records_view(records_of(run)) == expected_view(served, "Asia/Tokyo", settings)
    assert {record["company_time_zone"] for record in records_of(run)} == {"Asia/Tokyo"}


@pytest.mark.parametrize("scope_status", [403, 401])
def test_given_a_key_without_the_settings_scope_then_check_names_it_scorecards_fails_alone_and_answers_have_no_words(
    tmp_path, scope_status: int
) -> None:
    run, served, _, calls, check = _sync(tmp_path, no_settings_scope=True, scope_status=scope_status)

    [status] = check.of_type(Type.CONNECTION_STATUS)
    assert check.exit_code == 0 and status.connectionStatus.status.value == "SUCCEEDED"
    assert "The stream 'scorecards' cannot be synced" in status.connectionStatus.message
    assert SCOPE in status.connectionStatus.message
    assert records_view(records_of(run)) == expected_view(served, "US/Pacific", None) and records_of(run)
    assert states_of(run)[-1] == {"start_time": str(END), "company_time_zone": "US/Pacific"}
    assert records_of(run, "scorecards") == [] and calls == 1
    [error] = run.errors
    assert error.failure_type == FailureType.config_error and SCOPE in error.message
    assert error.stream_descriptor.name == "scorecards"
    warnings = [m.log.message for m in run.of_type(Type.LOG) if m.log.level.value == "WARN" and SCOPE in m.log.message]
    assert len(warnings) == 1
    assert run.exit_code != 0 and "Traceback" not in run.stdout + run.stderr
