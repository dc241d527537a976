"""The `answered_scorecards` stream: one record per scorecard a reviewer answered on a call, with every answer."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from .engine import StatsStream
from .mapping import MalformedResponse, listed, to_unified_user
from .periods import company_date

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class AnsweredScorecardsStream(StatsStream):
    """`/v2/stats/activity/scorecards`, read in windows of review days; Gong pages over answered scorecards."""

    name = "answered_scorecards"
    scope = "api:stats:scorecards"
    cursor_field = "review_time"
    period = "day"
    # Pages hold 100 answered scorecards whatever the window, so memory stays flat; a window costs at most one call
    # more than its share of pages (its last, partial page), so about a quarter per window, as `activity` reads.
    periods_per_window = 92
    pages_over = "answered scorecards"

    def path(self, **kwargs: Any) -> str:
        return "v2/stats/activity/scorecards"

    def request_filter(self, from_date: str, to_date: str) -> dict[str, Any]:
        """Review days in the company's zone (Gong's reference says so of reviewFromDate). Whether Gong reads
        reviewToDate as exclusive is not published: `records_of_answered_scorecards` keeps only [from_date, to_date),
        so an inclusive end cannot repeat the boundary day, and an exclusive one loses nothing."""
        result: dict[str, Any] = {"reviewFromDate": from_date, "reviewToDate": to_date}
        if self.config.user_ids:
            result["reviewedUserIds"] = list(self.config.user_ids)
        if self.config.scorecard_ids:
            result["scorecardIds"] = list(self.config.scorecard_ids)
        return result

    def map_page(
        self,
        body: Mapping[str, Any],
        from_date: str,
        to_date: str,
        users: Mapping[str, Mapping[str, Any]],
        time_zone: str | None,
    ) -> Iterator[dict[str, Any]]:
        return records_of_answered_scorecards(body, from_date, to_date, users, time_zone)


def records_of_answered_scorecards(
    response: Mapping[str, Any],
    from_date: str,
    to_date: str,
    directory: Mapping[str, Mapping[str, Any]],
    time_zone: str | None,
) -> Iterator[dict[str, Any]]:
    """Records of one /v2/stats/activity/scorecards page: one per answered scorecard reviewed on a company day of
    [from_date, to_date).

    A review whose company day cannot be told (no review time, or a time in UTC while the zone is unknown) is kept:
    Gong put it in this window, and a repeat is better than a loss.
    """
    for index, item in enumerate(listed(response, "answeredScorecards", "the response")):
        try:
            record = to_answered_scorecard(item, directory, time_zone)
        except MalformedResponse as error:
            raise MalformedResponse(f"answeredScorecards[{index}] {error}") from None
        day = record["review_date"]
        if day is None or not _is_company_day(record["review_time"], time_zone) or from_date <= day < to_date:
            yield record


def to_answered_scorecard(
    item: Any, directory: Mapping[str, Mapping[str, Any]], time_zone: str | None
) -> dict[str, Any]:
    """One answered scorecard as a record; every value Gong left out (its contract requires none) is null."""
    if not isinstance(item, dict):
        raise MalformedResponse("is not an object")
    review_time = _text(item, "reviewTime")
    review_date = company_date(review_time, time_zone) if review_time else None
    answers = _answers(item.get("answers"))
    return {
        "id": _gong_id(item, "answeredScorecardId"),
        "scorecard": {"id": _gong_id(item, "scorecardId"), "name": _text(item, "scorecardName")},
        "call_id": _gong_id(item, "callId"),
        "call_start_time": _text(item, "callStartTime"),
        "review_time": review_time,
        "review_date": review_date if review_date and _DAY.match(review_date) else None,
        "visibility": _text(item, "visibilityType"),
        "reviewed_user": _user(_gong_id(item, "reviewedUserId"), directory),
        "reviewer": _user(_gong_id(item, "reviewerUserId"), directory),
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
                    "question_id": _gong_id(answer, "questionId"),
                    "question_revision_id": _gong_id(answer, "questionRevisionId"),
                    "is_overall": _flag(answer, "isOverall"),
                    "score": _score(answer),
                    "answer_text": _text(answer, "answerText"),
                    "not_applicable": _flag(answer, "notApplicable"),
                }
            )
        except MalformedResponse as error:
            raise MalformedResponse(f"answers[{index}] {error}") from None
    return answers


def _user(user_id: str | None, directory: Mapping[str, Mapping[str, Any]]) -> dict[str, Any] | None:
    """The same unified user as `activity`'s; the scorecards answer carries no email, so only the users list names."""
    return None if user_id is None else to_unified_user(user_id, None, directory.get(user_id))


def _is_company_day(instant: str, time_zone: str | None) -> bool:
    """Whether `company_date` of `instant` is the company's day: with the zone always; without it, only for a time
    written with an offset, which Gong writes in the company's."""
    return time_zone is not None or not instant.upper().endswith("Z")


def _gong_id(container: dict[str, Any], key: str) -> str | None:
    """An id as a decimal string: Gong's contract types ids as strings, its examples elsewhere send JSON numbers (of
    up to 20 digits, which `errors.decode_json` keeps exact); never a bool or a float, which has lost digits."""
    value = container.get(key)
    if value is None or type(value) is str:
        return value
    if type(value) is int:
        return str(value)
    raise MalformedResponse(f"has no id '{key}' (got {value!r})")


def _text(container: dict[str, Any], key: str) -> str | None:
    value = container.get(key)
    if value is not None and type(value) is not str:
        raise MalformedResponse(f"has no text '{key}' (got {value!r})")
    return value


def _flag(container: dict[str, Any], key: str) -> bool | None:
    value = container.get(key)
    if value is not None and type(value) is not bool:
        raise MalformedResponse(f"has no true or false '{key}' (got {value!r})")
    return value


def _score(answer: dict[str, Any]) -> int | None:
    value = answer.get("score")
    if value is not None and type(value) is not int:
        raise MalformedResponse(f"has no whole-number 'score' (got {value!r})")
    return value
