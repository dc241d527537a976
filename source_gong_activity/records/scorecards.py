"""The `answered_scorecards` record: one scorecard a reviewer answered on a call, with every answer."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..calendar.days import company_date, is_written_as_day
from .users import to_unified_user
from .values import MalformedResponse, flag, gong_id, listed, text


def records_of_answered_scorecards(
    response: Mapping[str, Any],
    from_date: str,
    to_date: str,
    directory: Mapping[str, Mapping[str, Any]],
    time_zone: str | None,
) -> Iterator[dict[str, Any]]:
    """Records of one /v2/stats/activity/scorecards page: one per answered scorecard reviewed on a company day of
    [from_date, to_date).

    A review without a review time is kept: Gong put it in this window, and a repeat is better than a loss. A review
    time in UTC while the company's zone is unknown cannot be put on a day: `calendar.days.ZoneUnknown`.
    """
    for index, item in enumerate(listed(response, "answeredScorecards", "the response")):
        try:
            record = to_answered_scorecard(item, directory, time_zone)
        except MalformedResponse as error:
            raise MalformedResponse(f"answeredScorecards[{index}] {error}") from None
        day = record["review_date"]
        if day is None or from_date <= day < to_date:
            yield record


def to_answered_scorecard(
    item: Any, directory: Mapping[str, Mapping[str, Any]], time_zone: str | None
) -> dict[str, Any]:
    """One answered scorecard as a record; every value Gong left out (its contract requires none) is null."""
    if not isinstance(item, dict):
        raise MalformedResponse("is not an object")
    review_time = text(item, "reviewTime")
    review_date = company_date(review_time, time_zone) if review_time else None
    answers = _answers(item.get("answers"))
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


def _answers(value: Any) -> list[dict[str, Any]] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise MalformedResponse(f"has no list 'answers' (got {value!r})")
    answers = []
    for index, answer in enumerate(value):
        if not isinstance(answer, dict):
            raise MalformedResponse(f"answers[{index}] is not an object")
        try:
            answers.append(
                {
                    "question_id": gong_id(answer, "questionId"),
                    "question_revision_id": gong_id(answer, "questionRevisionId"),
                    "is_overall": flag(answer, "isOverall"),
                    "score": _score(answer),
                    "answer_text": text(answer, "answerText"),
                    "not_applicable": flag(answer, "notApplicable"),
                }
            )
        except MalformedResponse as error:
            raise MalformedResponse(f"answers[{index}] {error}") from None
    return answers


def _user(user_id: str | None, directory: Mapping[str, Mapping[str, Any]]) -> dict[str, Any] | None:
    """The same unified user as `activity`'s; the scorecards answer carries no email, so only the users list names."""
    return None if user_id is None else to_unified_user(user_id, None, directory.get(user_id))


def _score(answer: dict[str, Any]) -> int | None:
    value = answer.get("score")
    if value is not None and type(value) is not int:
        raise MalformedResponse(f"has no whole-number 'score' (got {value!r})")
    return value
