"""`records.scorecard_settings`: one scorecard of Gong's settings as a `scorecards` record, and the questions' words
the answers are given."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from source_gong_activity.records.scorecard_settings import (
    CurrentQuestion,
    current_questions,
    records_of_scorecards,
)
from source_gong_activity.records.values import MalformedResponse
from unit_tests.builders import a_question_setting, a_scorecard_setting

SCHEMA = json.loads((Path(__file__).parents[2] / "source_gong_activity" / "schemas" / "scorecards.json").read_text())

RANGE = a_question_setting(
    3565721929503752001, 43955224753000100, "Overall?", "RANGE", isOverall=True, minRange=1, maxRange=10,
    answerGuide="Weigh the whole call.",
)  # fmt: skip
SELECT = a_question_setting(3565721929503752002, 43955224753000201, "Budget?", "SINGLE_SELECT", [(1, "Yes"), (2, "No")])


def test_a_scorecard_maps_every_field_under_its_record_name_with_ids_as_exact_strings() -> None:
    item = a_scorecard_setting(6843152929075440037, [RANGE, SELECT], enabled=False)

    [record] = records_of_scorecards([item])

    jsonschema.validate(record, SCHEMA)
    assert record == {
        "id": "6843152929075440037",
        "name": "SDR Call Scorecard",
        "workspace_id": "325459866373185",
        "enabled": False,
        "created": "2023-11-02T09:12:00-07:00",
        "updated": "2024-04-10T07:31:00-07:00",
        "updater_user_id": "1000000000000000002",
        "questions": [
            {
                "id": "3565721929503752001",
                "revision_id": "43955224753000100",
                "text": "Overall?",
                "type": "RANGE",
                "is_overall": True,
                "answer_guide": "Weigh the whole call.",
                "min_range": 1,
                "max_range": 10,
                "options": None,
            },
            {
                "id": "3565721929503752002",
                "revision_id": "43955224753000201",
                "text": "Budget?",
                "type": "SINGLE_SELECT",
                "is_overall": False,
                "answer_guide": None,
                "min_range": None,
                "max_range": None,
                "options": [{"id": "1", "text": "Yes"}, {"id": "2", "text": "No"}],
            },
        ],
        "remote_data": item,
    }


def test_given_string_ids_as_gong_s_2023_publication_typed_them_then_the_record_is_the_same() -> None:
    numbers = a_scorecard_setting(6843152929075440037, [RANGE])
    strings = {
        **numbers,
        **{key: str(numbers[key]) for key in ("scorecardId", "workspaceId", "updaterUserId")},
        "questions": [{**RANGE, "questionId": str(RANGE["questionId"]), "questionRevisionId": "43955224753000100"}],
    }

    [from_numbers], [from_strings] = records_of_scorecards([numbers]), records_of_scorecards([strings])

    assert {**from_numbers, "remote_data": None} == {**from_strings, "remote_data": None}


def test_given_nothing_but_an_id_then_every_other_value_is_null_and_the_record_fits_the_schema() -> None:
    [record] = records_of_scorecards([{"scorecardId": 1}])

    jsonschema.validate(record, SCHEMA)
    assert record == {
        "id": "1",
        "name": None,
        "workspace_id": None,
        "enabled": None,
        "created": None,
        "updated": None,
        "updater_user_id": None,
        "questions": [],
        "remote_data": {"scorecardId": 1},
    }


@pytest.mark.parametrize(
    "item, complaint",
    [
        ("6843152929075440037", "scorecards[0] is not an object"),
        ({"scorecardId": 1.5}, "scorecards[0] has no id 'scorecardId' (got 1.5)"),
        ({"enabled": "yes"}, "scorecards[0] has no true or false 'enabled'"),
        ({"questions": {}}, "scorecards[0] has no list 'questions' (got {})"),
        ({"questions": [{}, "q"]}, "scorecards[0] questions[1] is not an object"),
        ({"questions": [{}, {"minRange": "1"}]}, "scorecards[0] questions[1] has no whole-number 'minRange'"),
        ({"questions": [{"answerOptions": [{"id": 2.0}]}]}, "scorecards[0] questions[0] has no id 'id' (got 2.0)"),
    ],
)
def test_a_value_of_the_wrong_type_fails_naming_its_place(item: Any, complaint: str) -> None:
    with pytest.raises(MalformedResponse) as error:
        list(records_of_scorecards([item]))
    assert str(error.value).startswith(complaint)


def test_the_current_questions_are_every_scorecard_s_questions_by_id_with_their_options_by_string_id() -> None:
    other = a_scorecard_setting(2, [a_question_setting(7, 71, "Open?", "OPEN")])

    found = current_questions([a_scorecard_setting(1, [RANGE, SELECT]), other])

    assert found == {
        "3565721929503752001": CurrentQuestion("43955224753000100", "Overall?", "RANGE", {}),
        "3565721929503752002": CurrentQuestion(
            "43955224753000201", "Budget?", "SINGLE_SELECT", {"1": "Yes", "2": "No"}
        ),
        "7": CurrentQuestion("71", "Open?", "OPEN", {}),
    }


def test_the_schema_declares_every_field_a_record_has() -> None:
    [record] = records_of_scorecards([a_scorecard_setting(1, [SELECT])])
    assert set(record) == set(SCHEMA["properties"])
    question = SCHEMA["properties"]["questions"]["items"]["properties"]
    assert set(record["questions"][0]) == set(question)
    assert set(record["questions"][0]["options"][0]) == set(question["options"]["items"]["properties"])
