"""The `answered_scorecards` record: one scorecard a reviewer answered on a call, with every answer, in words where
the scorecard settings give them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..calendar.days import company_date, is_written_as_day
from .scorecard_settings import CurrentQuestion
from .users import to_unified_user
from .values import MalformedResponse, flag, gong_id, is_gong_id, listed, text, whole_number


def records_of_answered_scorecards(
    response: Mapping[str, Any],
    from_date: str,
    to_date: str,
    directory: Mapping[str, Mapping[str, Any]],
    time_zone: str | None,
    questions: Mapping[str, CurrentQuestion] | None = None,
) -> Iterator[dict[str, Any]]:
    """Records of one /v2/stats/activity/scorecards page: one per answered scorecard reviewed on a company day of
    [from_date, to_date). `questions`: the scorecard settings' questions by id, None when Gong refused them.

    A review without a review time is kept: Gong put it in this window, and a repeat is better than a loss. A review
    time in UTC while the company's zone is unknown cannot be put on a day: `calendar.days.ZoneUnknown`.
    """
    for index, item in enumerate(listed(response, "answeredScorecards", "the response")):
        try:
            record = to_answered_scorecard(item, directory, time_zone, questions)
        except MalformedResponse as error:
            raise MalformedResponse(f"answeredScorecards[{index}] {error}") from None
        day = record["review_date"]
        if day is None or from_date <= day < to_date:
            yield record


def to_answered_scorecard(
    item: Any,
    directory: Mapping[str, Mapping[str, Any]],
    time_zone: str | None,
    questions: Mapping[str, CurrentQuestion] | None = None,
) -> dict[str, Any]:
    """One answered scorecard as a record; every value Gong left out (its contract requires none) is null."""
    if not isinstance(item, dict):
        raise MalformedResponse("is not an object")
    review_time = text(item, "reviewTime")
    review_date = company_date(review_time, time_zone) if review_time else None
    answers = _answers(item.get("answers"), questions)
    return {
        "id": gong_id(item, "answeredScorecardId"),
        "scorecard": {"id": gong_id(item, "scorecardId"), "name": text(item, "scorecardName")},
        "call_id": gong_id(item, "callId"),
        "call_start_time": text(item, "callStartTime"),
        "review_time": review_time,
        "review_date": review_date if is_written_as_day(review_date) else None,
        "visibility": text(item, "visibilityType"),
        "reviewed_user": _user(gong_id(item, "reviewedUserId"), directory),
        "reviewer": _user(gong_id(item, "reviewerUserId"), directory),
        "answers": answers,
        "overall_score": next((answer["score"] for answer in answers or () if answer["is_overall"]), None),
        "company_time_zone": time_zone,
        "remote_data": item,
    }


# What an answer gains from the scorecard settings; all null when Gong refused them.
_WORDS = ("question_text", "question_type", "selected_option_texts", "current_revision")


def _answers(value: Any, questions: Mapping[str, CurrentQuestion] | None) -> list[dict[str, Any]] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise MalformedResponse(f"has no list 'answers' (got {value!r})")
    answers = []
    for index, answer in enumerate(value):
        if not isinstance(answer, dict):
            raise MalformedResponse(f"answers[{index}] is not an object")
        try:
            answers.append(_answer(answer, questions))
        except MalformedResponse as error:
            raise MalformedResponse(f"answers[{index}] {error}") from None
    return answers


def _answer(answer: dict[str, Any], questions: Mapping[str, CurrentQuestion] | None) -> dict[str, Any]:
    """One answer, and what the settings say of its question now: its text and type are the current revision's even
    when the answer was given to an earlier one (`current_revision` says which)."""
    question_id, revision_id = gong_id(answer, "questionId"), gong_id(answer, "questionRevisionId")
    selected = _selected_options(answer)
    listed_now = None if questions is None else questions.get(question_id) if question_id else None
    words: dict[str, Any] = dict.fromkeys(_WORDS)
    if questions is not None:  # the settings are known: a question they do not list is no current revision
        words["current_revision"] = listed_now is not None and revision_id == listed_now.revision_id
    if listed_now is not None:
        words["question_text"], words["question_type"] = listed_now.text, listed_now.type
        if selected is not None:
            words["selected_option_texts"] = [listed_now.option_texts.get(option) for option in selected]
    return {
        "question_id": question_id,
        "question_revision_id": revision_id,
        "is_overall": flag(answer, "isOverall"),
        "score": whole_number(answer, "score"),
        "answer_text": text(answer, "answerText"),
        "not_applicable": flag(answer, "notApplicable"),
        "selected_options": selected,
        **words,
    }


def _selected_options(answer: dict[str, Any]) -> list[str] | None:
    """A select question's chosen option ids as strings (Gong sends strings; a number is taken too), in Gong's order;
    None when none were chosen."""
    value = answer.get("selectedOptions")
    if value is None or value == []:
        return None
    if not isinstance(value, list) or not all(map(is_gong_id, value)):
        raise MalformedResponse(f"has no list of option ids 'selectedOptions' (got {value!r})")
    return [str(option) for option in value]


def _user(user_id: str | None, directory: Mapping[str, Mapping[str, Any]]) -> dict[str, Any] | None:
    """The same unified user as `activity`'s; the scorecards answer carries no email, so only the users list names."""
    return None if user_id is None else to_unified_user(user_id, None, directory.get(user_id))
