"""`records.scorecards`: one answered scorecard as a record, its answers in the scorecard settings' words, and which
reviews a window keeps."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from source_gong_activity.calendar.days import ZoneUnknown
from source_gong_activity.gong.body import decode_json
from source_gong_activity.records.scorecard_settings import current_questions
from source_gong_activity.records.scorecards import records_of_answered_scorecards
from source_gong_activity.records.values import MalformedResponse
from unit_tests.builders import (
    a_question_setting,
    a_scorecard_setting,
    a_user,
    an_answered_scorecard,
)

SCHEMA = json.loads(
    (Path(__file__).parents[2] / "source_gong_activity" / "schemas" / "answered_scorecards.json").read_text()
)


ALICE, BOB = "1000000000000000001", "1000000000000000002"


def _page(*items: Any) -> dict[str, Any]:
    return {"answeredScorecards": list(items)}


def _map(items: list[Any], zone: str | None = "US/Pacific", window=("2024-01-01", "2024-01-08"), directory=None):
    return list(records_of_answered_scorecards(_page(*items), window[0], window[1], directory or {}, zone))


def test_an_answered_scorecard_maps_every_field_under_its_unified_name() -> None:
    item = an_answered_scorecard("563515258458745", "2024-01-03T10:15:00-08:00", ALICE, BOB, scores=(2, 5))
    directory = {ALICE: a_user(ALICE, "Alice", "Able", ["ali@acme.example"]), BOB: a_user(BOB, "Bob", "Baker")}

    [record] = _map([item], directory=directory)

    jsonschema.validate(record, SCHEMA)
    assert record == {
        "id": "563515258458745",
        "scorecard": {"id": "6843152929075440037", "name": "SDR Call Scorecard"},
        "call_id": "7782342274025937895",
        "call_start_time": "2024-01-02T09:30:00-08:00",
        "review_time": "2024-01-03T10:15:00-08:00",
        "review_date": "2024-01-03",
        "visibility": "PUBLIC",
        "reviewed_user": {
            "id": ALICE,
            "name": "Alice Able",
            "emails": [
                {"email": "alice.able@acme.example", "is_primary": True},
                {"email": "ali@acme.example", "is_primary": False},
            ],
        },
        "reviewer": {
            "id": BOB,
            "name": "Bob Baker",
            "emails": [{"email": "bob.baker@acme.example", "is_primary": True}],
        },
        "answers": [
            {
                "question_id": "900000000000000001",
                "question_revision_id": "800000000000000001",
                "is_overall": False,
                "score": 2,
                "answer_text": "answer 0",
                "not_applicable": False,
                "selected_options": None,
                "question_text": None,
                "question_type": None,
                "selected_option_texts": None,
                "current_revision": None,
            },
            {
                "question_id": "910000000000000001",
                "question_revision_id": "810000000000000001",
                "is_overall": True,
                "score": 5,
                "answer_text": "answer 1",
                "not_applicable": False,
                "selected_options": None,
                "question_text": None,
                "question_type": None,
                "selected_option_texts": None,
                "current_revision": None,
            },
        ],
        "overall_score": 5,
        "company_time_zone": "US/Pacific",
        "remote_data": item,
    }


def test_given_nothing_but_an_id_when_mapped_then_every_other_value_is_null_and_the_record_fits_the_schema() -> None:
    [record] = _map([{"answeredScorecardId": "1"}])

    jsonschema.validate(record, SCHEMA)
    assert record == {
        "id": "1",
        "scorecard": {"id": None, "name": None},
        "call_id": None,
        "call_start_time": None,
        "review_time": None,
        "review_date": None,
        "visibility": None,
        "reviewed_user": None,
        "reviewer": None,
        "answers": None,
        "overall_score": None,
        "company_time_zone": "US/Pacific",
        "remote_data": {"answeredScorecardId": "1"},
    }
    [empty] = _map([{}])
    assert empty["id"] is None and empty["answers"] is None


def test_given_answers_that_leave_values_out_then_they_are_null_and_no_overall_answer_means_a_null_overall_score() -> (
    None
):
    item = {"answers": [{"questionId": "5", "notApplicable": True}, {}]}
    [record] = _map([item])

    jsonschema.validate(record, SCHEMA)
    assert record["answers"][0] == {
        "question_id": "5",
        "question_revision_id": None,
        "is_overall": None,
        "score": None,
        "answer_text": None,
        "not_applicable": True,
        # Without the scorecard settings (mapped with none), no words.
        "selected_options": None,
        "question_text": None,
        "question_type": None,
        "selected_option_texts": None,
        "current_revision": None,
    }
    assert record["overall_score"] is None


def test_given_ids_sent_as_json_numbers_of_up_to_20_digits_then_they_are_their_exact_decimal_strings() -> None:
    # As Gong's day-by-day examples send ids; 20 digits are above 2**64, where a float decoder would lose digits.
    body = (
        b'{"answeredScorecards": [{"answeredScorecardId": 563515258458745, "scorecardId": 6843152929075440037, '
        b'"callId": 37555663966526337006, "reviewedUserId": 234599484848423, "reviewerUserId": 1, '
        b'"answers": [{"questionId": 35657219295037524478, "questionRevisionId": 43955224753211112}]}]}'
    )
    [record] = records_of_answered_scorecards(decode_json(body), "2024-01-01", "2024-01-08", {}, None)

    assert (record["id"], record["scorecard"]["id"], record["call_id"]) == (
        "563515258458745",
        "6843152929075440037",
        "37555663966526337006",
    )
    assert (record["reviewed_user"]["id"], record["reviewer"]["id"]) == ("234599484848423", "1")
    assert record["answers"][0]["question_id"] == "35657219295037524478"
    assert record["answers"][0]["question_revision_id"] == "43955224753211112"


@pytest.mark.parametrize(
    "item, complaint",
    [
        ({"callId": 1.7e19}, "answeredScorecards[0] has no id 'callId' (got 1.7e+19)"),
        ({"reviewerUserId": True}, "answeredScorecards[0] has no id 'reviewerUserId' (got True)"),
        ({"reviewTime": 20240101}, "answeredScorecards[0] has no text 'reviewTime' (got 20240101)"),
        ({"answers": {"score": 1}}, "answeredScorecards[0] has no list 'answers' (got {'score': 1})"),
        ({"answers": [{}, {"score": 4.5}]}, "answeredScorecards[0] answers[1] has no whole-number 'score' (got 4.5)"),
        ({"answers": [{"isOverall": "yes"}]}, "answeredScorecards[0] answers[0] has no true or false 'isOverall'"),
        ({"answers": ["4"]}, "answeredScorecards[0] answers[0] is not an object"),
    ],
)
def test_a_value_of_the_wrong_type_fails_naming_its_place(item: dict[str, Any], complaint: str) -> None:
    with pytest.raises(MalformedResponse) as error:
        _map([{"answeredScorecardId": "1", **item}])
    assert str(error.value).startswith(complaint)


@pytest.mark.parametrize(
    "review_time, zone, kept",
    [
        ("2024-01-01T00:00:00-08:00", "US/Pacific", True),  # the window's first day
        ("2024-01-07T23:59:59-08:00", "US/Pacific", True),  # its last
        ("2024-01-08T00:00:00-08:00", "US/Pacific", False),  # the next window's first day: an inclusive end's extra
        ("2023-12-31T23:59:59-08:00", "US/Pacific", False),
        # In UTC with Z: the company's day, not the written one.
        ("2024-01-08T07:59:00Z", "US/Pacific", True),  # 2024-01-07 23:59 in the company's zone
        ("2024-01-01T07:59:00.123456Z", "US/Pacific", False),  # 2023-12-31 23:59
        ("2024-01-07T15:00:00Z", "Asia/Tokyo", False),  # 2024-01-08 00:00 in Tokyo
        # The zone unknown: a written offset is the company's.
        ("2024-01-08T00:00:00-08:00", None, False),
    ],
)
def test_only_reviews_of_the_window_s_company_days_are_kept(review_time: str, zone: str | None, kept: bool) -> None:
    records = _map([{"answeredScorecardId": "1", "reviewTime": review_time}], zone=zone)
    assert len(records) == (1 if kept else 0)


@pytest.mark.parametrize("review_time", ["2024-01-08T07:59:00Z", "2024-01-03T12:00:00Z"])
def test_a_z_review_time_with_the_zone_unknown_stops_the_mapping_rather_than_guess_its_day(review_time: str) -> None:
    # A Z time names no company day: kept or dropped would be a guess, so the stream fails before writing it.
    with pytest.raises(ZoneUnknown):
        _map([{"answeredScorecardId": "1", "reviewTime": review_time}], zone=None)


def test_a_review_without_a_review_time_is_kept_gong_put_it_in_this_window() -> None:
    assert [record["id"] for record in _map([{"answeredScorecardId": "1"}, {"answeredScorecardId": "2"}])] == ["1", "2"]


def test_the_schema_declares_every_field_a_record_has() -> None:
    [record] = _map([an_answered_scorecard("1", "2024-01-03T10:15:00-08:00", ALICE, BOB)])
    assert set(record) == set(SCHEMA["properties"])
    assert set(record["answers"][0]) == set(SCHEMA["properties"]["answers"]["items"]["properties"])


# -- the answers in words, from the scorecard settings ---------------------------------------------------------------

# Gong's settings as its 2024 contract types them: ids as JSON numbers, option ids as int32; each question listed in
# its current revision only.
SETTINGS = [
    a_scorecard_setting(
        6843152929075440037,
        [
            a_question_setting(101, 1012, "How firm is the next step?", "RANGE", minRange=1, maxRange=5),
            a_question_setting(
                102, 1021, "Qualified the budget?", "SINGLE_SELECT", [(1, "Yes"), (3, "Partly"), (2, "No")]
            ),
            a_question_setting(
                103, 1031, "Which objections?", "MULTI_SELECT", [(1, "Price"), (2, "Timing"), (4, "Security")]
            ),
            a_question_setting(104, 1041, "What should the rep change?", "OPEN"),
        ],
    )
]
NO_WORDS = {
    "selected_options": None,
    "question_text": None,
    "question_type": None,
    "selected_option_texts": None,
    "current_revision": None,
}


def _words(answer: dict[str, Any], questions: Any) -> dict[str, Any]:
    item = {"answeredScorecardId": 1, "answers": [answer]}
    [record] = records_of_answered_scorecards(_page(item), "2024-01-01", "2024-01-08", {}, "US/Pacific", questions)
    jsonschema.validate(record, SCHEMA)
    return {key: record["answers"][0][key] for key in (*NO_WORDS, "score", "answer_text")}


@pytest.mark.parametrize(
    "answer, expected",
    [
        pytest.param(
            {"questionId": 101, "questionRevisionId": 1012, "score": 4},
            ("How firm is the next step?", "RANGE", None, None, True, 4),
            id="a range answer to the current revision",
        ),
        pytest.param(
            {"questionId": 101, "questionRevisionId": 1011, "score": 2},
            ("How firm is the next step?", "RANGE", None, None, False, 2),
            id="an answer to an earlier revision: the current text, current_revision false",
        ),
        pytest.param(
            {"questionId": 102, "questionRevisionId": 1021, "selectedOptions": ["3"]},
            ("Qualified the budget?", "SINGLE_SELECT", ["3"], ["Partly"], True, None),
            id="a single select answer: its option in words, no score",
        ),
        pytest.param(
            {"questionId": 103, "questionRevisionId": 1031, "selectedOptions": ["4", "1"]},
            ("Which objections?", "MULTI_SELECT", ["4", "1"], ["Security", "Price"], True, None),
            id="a multi select answer: the texts in Gong's order of the choices",
        ),
        pytest.param(
            {"questionId": 103, "questionRevisionId": 1030, "selectedOptions": ["3", "2"]},
            ("Which objections?", "MULTI_SELECT", ["3", "2"], [None, "Timing"], False, None),
            id="an earlier revision's option the settings no longer list: null in its place",
        ),
        pytest.param(
            {"questionId": 104, "questionRevisionId": 1041, "answerText": "Ask sooner."},
            ("What should the rep change?", "OPEN", None, None, True, None),
            id="an open answer",
        ),
        pytest.param(
            {"questionId": 999, "questionRevisionId": 9991, "score": 3},
            (None, None, None, None, False, 3),
            id="a question the settings no longer list: no words, no current revision",
        ),
    ],
)
def test_given_the_settings_when_an_answer_is_mapped_then_it_carries_its_question_in_words(
    answer: dict[str, Any], expected: tuple[Any, ...]
) -> None:
    text, kind, selected, texts, current, score = expected

    words = _words(answer, current_questions(SETTINGS))

    assert words == {
        "selected_options": selected,
        "question_text": text,
        "question_type": kind,
        "selected_option_texts": texts,
        "current_revision": current,
        "score": score,
        "answer_text": answer.get("answerText"),
    }


def test_given_no_settings_when_an_answer_is_mapped_then_its_choices_stay_and_every_word_is_null() -> None:
    words = _words({"questionId": 102, "questionRevisionId": 1021, "selectedOptions": ["3"]}, None)

    assert words == {**NO_WORDS, "selected_options": ["3"], "score": None, "answer_text": None}


@pytest.mark.parametrize("as_string", [True, False], ids=["2023 string ids", "2024 numeric ids"])
def test_given_string_ids_in_the_settings_and_either_shape_in_the_answers_then_they_meet(as_string: bool) -> None:
    # The settings may come in one publication's shape and the answers in the other's: both leave as exact strings.
    question = a_question_setting("35657219295037524478", "43955224753211112", "Overall?", "RANGE")
    questions = current_questions([a_scorecard_setting("6843152929075440037", [question])])
    answer = {"questionId": 35657219295037524478, "questionRevisionId": 43955224753211112}
    if as_string:
        answer = {key: str(value) for key, value in answer.items()}

    [record] = records_of_answered_scorecards(
        _page({"answers": [answer]}), "2024-01-01", "2024-01-08", {}, None, questions
    )

    assert record["answers"][0]["question_id"] == "35657219295037524478"
    assert (record["answers"][0]["question_text"], record["answers"][0]["current_revision"]) == ("Overall?", True)


@pytest.mark.parametrize(
    "selected, expected",
    [([], None), (None, None), ([7], ["7"]), (["2", 1], ["2", "1"])],
    ids=["an empty list", "null", "a number", "a mix"],
)
def test_given_selected_options_in_any_shape_gong_may_send_then_they_are_strings_or_null(
    selected: Any, expected: Any
) -> None:
    assert _words({"questionId": 7, "selectedOptions": selected}, None)["selected_options"] == expected


@pytest.mark.parametrize("selected", [[1.5], "1", [True], [None]])
def test_given_selected_options_that_are_no_ids_then_the_mapping_fails_naming_them(selected: Any) -> None:
    with pytest.raises(MalformedResponse) as error:
        _words({"questionId": 7, "selectedOptions": selected}, None)
    assert str(error.value).startswith("answeredScorecards[0] answers[0] has no list of option ids 'selectedOptions'")
