"""GET /v2/settings/scorecards: the company's scorecards and questions, unpaged, agreeing with the answered scorecards
(every answered question is listed, or is an earlier revision of a listed one; select answers choose listed options),
and the ids of both endpoints as int64 JSON numbers (2024) or, with --string-scorecard-ids, strings (2023)."""

from __future__ import annotations

import collections
import datetime as dt

import pytest
import requests

from integration_tests.gong_emulator import Dataset, EmulatorConfig

from .conftest import read_all_pages

SETTINGS, ANSWERED = "/v2/settings/scorecards", "/v2/stats/activity/scorecards"
TODAY = dt.date(2024, 6, 12)
QUESTION_TYPES = {"RANGE", "SINGLE_SELECT", "MULTI_SELECT", "OPEN"}
SCORECARD_IDS = ("scorecardId", "workspaceId", "updaterUserId")
QUESTION_IDS = ("questionId", "questionRevisionId")
ANSWERED_IDS = ("answeredScorecardId", "scorecardId", "callId", "reviewedUserId", "reviewerUserId")


def _settings(emulator, session) -> list[dict]:
    response = session.get(emulator.base_url + SETTINGS)
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"requestId", "scorecards"}  # the whole list in one answer: no records, no cursor
    return response.json()["scorecards"]


def _every_review(emulator, session) -> list[dict]:
    """Every answered scorecard of the history (no filter: from --history-start to today)."""
    pages = read_all_pages(session, emulator.base_url + ANSWERED, {})
    return [item for page in pages for item in page["answeredScorecards"]]


def _instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def test_given_the_settings_when_listed_then_they_equal_the_truth_in_process_and_over_the_truth_endpoint(
    start_emulator, session
):
    emulator = start_emulator(today=TODAY, page_size=7)

    served = _settings(emulator, session)

    truth = requests.get(emulator.base_url + "/_emulator/truth", params={"endpoint": "scorecard-settings"}).json()
    assert served == emulator.dataset.scorecard_settings() == truth
    assert len(served) == 4 and len({card["scorecardId"] for card in served}) == 4
    assert {question["questionType"] for card in served for question in card["questions"]} == QUESTION_TYPES
    assert [card["enabled"] for card in served].count(False) == 1
    users = {int(user["id"]) for user in emulator.dataset.users()}
    assert {card["updaterUserId"] for card in served} <= users
    assert all(_instant(card["created"]) <= _instant(card["updated"]) for card in served)


def test_given_each_question_type_then_it_has_the_fields_that_type_takes_and_no_others(start_emulator, session):
    served = _settings(start_emulator(today=TODAY), session)

    for question in (question for card in served for question in card["questions"]):
        kind, fields = question["questionType"], set(question)
        assert ("minRange" in fields and "maxRange" in fields) == (kind == "RANGE"), question
        assert ("answerOptions" in fields) == (kind in ("SINGLE_SELECT", "MULTI_SELECT")), question
        if kind == "RANGE":
            assert question["minRange"] < question["maxRange"]
        if "answerOptions" in fields:
            ids = [option["id"] for option in question["answerOptions"]]
            assert len(ids) >= 2 and len(set(ids)) == len(ids) and all(type(option) is int for option in ids)
            assert all(option["text"] for option in question["answerOptions"])
        assert question["isOverall"] is False or kind == "RANGE"
    assert any("answerGuide" in q for card in served for q in card["questions"])
    assert any("answerGuide" not in q for card in served for q in card["questions"])


def test_given_every_review_of_the_history_then_each_answer_fits_the_question_the_settings_list(
    start_emulator, session
):
    emulator = start_emulator(today=TODAY)
    settings = {card["scorecardId"]: card for card in _settings(emulator, session)}
    reviews = _every_review(emulator, session)

    earlier = collections.Counter()
    answered_types = set()
    for item in reviews:
        card = settings[item["scorecardId"]]
        assert item["scorecardName"] == card["scorecardName"]
        # The same questions in the same order; no question was added to or removed from a scorecard.
        assert [answer["questionId"] for answer in item["answers"]] == [q["questionId"] for q in card["questions"]]
        for answer, question in zip(item["answers"], card["questions"], strict=True):
            answered_types.add(question["questionType"])
            assert answer["isOverall"] == question["isOverall"]
            if answer["questionRevisionId"] != question["questionRevisionId"]:
                # An earlier revision: answered before the edit that made the listed one (the card's latest edit or
                # one before it), and never a revision newer than the listed one.
                earlier[answer["questionId"]] += 1
                assert _instant(item["reviewTime"]) < _instant(card["updated"])
                assert answer["questionRevisionId"] < question["questionRevisionId"]
            _assert_fits(answer, question)
    assert answered_types == QUESTION_TYPES
    assert len(earlier) >= 3, f"answers to earlier revisions of too few questions: {earlier}"


def _assert_fits(answer: dict, question: dict) -> None:
    """An answer holds what its question's type takes: a select one the ids of listed options as strings and neither
    score nor words, a range one a score in range (maybe words), an open one words; one that does not apply nothing."""
    values = set(answer) & {"score", "answerText", "selectedOptions"}
    kind = question["questionType"]
    if answer["notApplicable"]:
        assert values == set() and kind != "OPEN" and not question["isOverall"], answer
    elif kind in ("SINGLE_SELECT", "MULTI_SELECT"):
        listed = {str(option["id"]) for option in question["answerOptions"]}
        assert values == {"selectedOptions"}, answer
        assert all(type(chosen) is str for chosen in answer["selectedOptions"]), answer
        assert answer["selectedOptions"] and set(answer["selectedOptions"]) <= listed, (answer, listed)
        assert len(set(answer["selectedOptions"])) == len(answer["selectedOptions"])
        assert kind == "MULTI_SELECT" or len(answer["selectedOptions"]) == 1, answer
    elif kind == "RANGE":
        assert values in ({"score"}, {"score", "answerText"}), answer
        assert question["minRange"] <= answer["score"] <= question["maxRange"], (answer, question)
    else:
        assert values == {"answerText"} and answer["answerText"], answer


def test_given_the_disabled_scorecard_then_it_was_answered_but_only_before_it_was_disabled(start_emulator, session):
    emulator = start_emulator(today=TODAY)
    [disabled] = [card for card in _settings(emulator, session) if not card["enabled"]]

    reviews = [item for item in _every_review(emulator, session) if item["scorecardId"] == disabled["scorecardId"]]

    assert reviews, "the disabled scorecard has no answers: the test proves nothing"
    assert max(_instant(item["reviewTime"]) for item in reviews) < _instant(disabled["updated"])
    assert max(_instant(item["reviewTime"]) for item in reviews) > _instant(disabled["updated"]) - dt.timedelta(days=7)


def test_given_an_earlier_today_then_the_settings_list_that_day_s_revisions_and_every_answer_is_to_them(
    start_emulator, session
):
    # 2024-04-30: after the edits of 02-15 and 04-10, before those of 05-30 and the disabling on 06-04.
    then, now = start_emulator(today=dt.date(2024, 4, 30)), start_emulator(today=TODAY)

    settings_then, settings_now = _settings(then, session), _settings(now, session)
    revisions_then = {q["questionId"]: q["questionRevisionId"] for c in settings_then for q in c["questions"]}
    revisions_now = {q["questionId"]: q["questionRevisionId"] for c in settings_now for q in c["questions"]}

    changed = {question for question in revisions_now if revisions_now[question] != revisions_then[question]}
    assert len(changed) == 1 and all(card["enabled"] for card in settings_then)
    # The later edit's revision does not exist yet: every answer to that question is to the one listed then.
    [question] = changed
    answered = {
        answer["questionRevisionId"]
        for item in _every_review(then, session)
        for answer in item["answers"]
        if answer["questionId"] == question
    }
    assert answered == {revisions_then[question]} and revisions_then[question] < revisions_now[question]
    assert [c["updated"] for c in settings_then] != [c["updated"] for c in settings_now]


def test_given_default_ids_then_every_id_of_both_endpoints_is_a_json_number_as_gong_writes_them(
    start_emulator, session
):
    # Gong's 2024 contract types them int64, but Gong's own ids run longer: a question id has 20 digits (above 2**64,
    # as Gong's example), and with call ids as numbers a scored call is day-by-day's (20 digits in one of ten).
    emulator = start_emulator(today=TODAY, numeric_call_ids=True)
    settings = _settings(emulator, session)
    reviews = _every_review(emulator, session)

    ids = [card[name] for card in settings for name in SCORECARD_IDS]
    ids += [question[name] for card in settings for question in card["questions"] for name in QUESTION_IDS]
    ids += [item[name] for item in reviews for name in ANSWERED_IDS]
    ids += [answer[name] for item in reviews for answer in item["answers"] for name in QUESTION_IDS]
    assert ids and all(type(value) is int and value > 0 for value in ids)
    assert all(question["questionId"] >= 2**64 for card in settings for question in card["questions"])
    assert any(item["callId"] >= 2**64 for item in reviews)


def test_given_string_scorecard_ids_then_both_endpoints_write_the_same_ids_as_decimal_strings(start_emulator, session):
    strings, numbers = start_emulator(today=TODAY, string_scorecard_ids=True), start_emulator(today=TODAY)

    settings, reviews = _settings(strings, session), _every_review(strings, session)

    assert _as_numbers(settings, reviews) == (_settings(numbers, session), _every_review(numbers, session))
    assert all(type(card[name]) is str for card in settings for name in SCORECARD_IDS)
    assert all(type(q[name]) is str for card in settings for q in card["questions"] for name in QUESTION_IDS)
    assert all(type(item[name]) is str for item in reviews for name in ANSWERED_IDS)
    assert all(type(a[name]) is str for item in reviews for a in item["answers"] for name in QUESTION_IDS)
    # Option ids are int32 in 2024 and new since 2023: numbers in both modes, chosen as strings in both.
    options = [o["id"] for card in settings for q in card["questions"] for o in q.get("answerOptions", ())]
    assert options and all(type(option) is int for option in options)


def _as_numbers(settings: list[dict], reviews: list[dict]) -> tuple[list[dict], list[dict]]:
    def numbers(item: dict, names: tuple[str, ...]) -> dict:
        return {key: int(value) if key in names else value for key, value in item.items()}

    settings = [
        {**numbers(card, SCORECARD_IDS), "questions": [numbers(q, QUESTION_IDS) for q in card["questions"]]}
        for card in settings
    ]
    reviews = [
        {**numbers(item, ANSWERED_IDS), "answers": [numbers(a, QUESTION_IDS) for a in item["answers"]]}
        for item in reviews
    ]
    return settings, reviews


@pytest.mark.parametrize("scope_status", [401, 403])
def test_given_no_settings_scope_then_refused_naming_the_scope_and_answered_scorecards_still_served(
    start_emulator, session, scope_status
):
    emulator = start_emulator(today=TODAY, no_settings_scope=True, scope_status=scope_status)

    refused = session.get(emulator.base_url + SETTINGS)

    assert refused.status_code == scope_status and set(refused.json()) == {"requestId", "errors"}
    assert "api:settings:scorecards:read" in refused.json()["errors"][0]
    assert session.post(emulator.base_url + ANSWERED, json={}).status_code == 200


def test_given_a_query_parameter_then_400_names_it(start_emulator, session):
    emulator = start_emulator(today=TODAY)

    response = session.get(emulator.base_url + SETTINGS, params={"workspaceId": "325459866373185"})

    assert response.status_code == 400 and "workspaceId" in response.json()["errors"][0]


@pytest.mark.parametrize("words", [None, "An error has occurred"])
def test_given_a_company_without_users_then_nobody_made_a_scorecard_and_the_answer_is_404(
    start_emulator, session, words
):
    emulator = start_emulator(users=0, **({"not_found_message": words} if words else {}))

    response = session.get(emulator.base_url + SETTINGS)

    assert response.status_code == 404
    assert response.json()["errors"] == [words or "Scorecards not found"]
    assert emulator.dataset.scorecard_settings() == []


def test_given_a_seed_then_the_settings_are_its_own_and_the_same_every_time() -> None:
    first, again, other = (Dataset(seed=seed, users=40, today=TODAY) for seed in (7, 7, 8))

    assert first.scorecard_settings() == again.scorecard_settings()
    assert first.scorecard_settings() != other.scorecard_settings()
    assert [card["scorecardId"] for card in first.scorecard_settings()] == [
        card["scorecardId"] for card in other.scorecard_settings()
    ]


def test_given_the_command_line_flags_then_the_config_holds_them() -> None:
    config = EmulatorConfig.from_args(["--no-settings-scope", "--string-scorecard-ids"])

    assert (config.no_settings_scope, config.string_scorecard_ids) == (True, True)
    assert (EmulatorConfig().no_settings_scope, EmulatorConfig().string_scorecard_ids) == (False, False)
