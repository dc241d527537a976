"""The `scorecards` record (one scorecard of Gong's settings, with its questions) and the questions' words that the
`answered_scorecards` answers are given, both from GET /v2/settings/scorecards."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .values import MalformedResponse, flag, gong_id, text, whole_number


@dataclasses.dataclass(frozen=True)
class CurrentQuestion:
    """A question as the settings list it now: Gong lists each question's current revision only."""

    revision_id: str | None
    text: str | None
    type: str | None  # RANGE, SINGLE_SELECT, MULTI_SELECT or OPEN
    option_texts: Mapping[str, str | None]  # option id (a decimal string, as answers' selectedOptions) -> its text


def records_of_scorecards(scorecards: Iterable[Any]) -> Iterator[dict[str, Any]]:
    """Records of the `scorecards` list of GET /v2/settings/scorecards: one per scorecard, disabled ones included."""
    for index, item in enumerate(scorecards):
        try:
            yield to_scorecard_record(item)
        except MalformedResponse as error:
            raise MalformedResponse(f"scorecards[{index}] {error}") from None


def to_scorecard_record(item: Any) -> dict[str, Any]:
    """One scorecard as a record; every value Gong left out (its contract requires none) is null."""
    if not isinstance(item, dict):
        raise MalformedResponse("is not an object")
    return {
        "id": gong_id(item, "scorecardId"),
        "name": text(item, "scorecardName"),
        "workspace_id": gong_id(item, "workspaceId"),
        "enabled": flag(item, "enabled"),
        "created": text(item, "created"),
        "updated": text(item, "updated"),
        "updater_user_id": gong_id(item, "updaterUserId"),
        "questions": _questions(item),
        "remote_data": item,
    }


def current_questions(scorecards: Iterable[Any]) -> dict[str, CurrentQuestion]:
    """Question id -> the question as the settings list it now, over every scorecard of the settings."""
    found = {}
    for record in records_of_scorecards(scorecards):
        for question in record["questions"]:
            if question["id"] is not None:
                options = {option["id"]: option["text"] for option in question["options"] or () if option["id"]}
                found[question["id"]] = CurrentQuestion(
                    question["revision_id"], question["text"], question["type"], options
                )
    return found


def _questions(scorecard: dict[str, Any]) -> list[dict[str, Any]]:
    questions = []
    for index, item in enumerate(_each(scorecard, "questions")):
        try:
            questions.append(_question(item))
        except MalformedResponse as error:
            raise MalformedResponse(f"questions[{index}] {error}") from None
    return questions


def _question(item: dict[str, Any]) -> dict[str, Any]:
    options = item.get("answerOptions")
    return {
        "id": gong_id(item, "questionId"),
        "revision_id": gong_id(item, "questionRevisionId"),
        "text": text(item, "questionText"),
        "type": text(item, "questionType"),
        "is_overall": flag(item, "isOverall"),
        "answer_guide": text(item, "answerGuide"),
        "min_range": whole_number(item, "minRange"),
        "max_range": whole_number(item, "maxRange"),
        "options": None
        if options is None
        else [{"id": gong_id(option, "id"), "text": text(option, "text")} for option in _each(item, "answerOptions")],
    }


def _each(container: dict[str, Any], key: str) -> Iterator[dict[str, Any]]:
    """The objects of a list Gong may leave out, each named by its place when it is not an object."""
    values = container.get(key)
    if values is not None and not isinstance(values, list):
        raise MalformedResponse(f"has no list '{key}' (got {values!r})")
    for index, value in enumerate(values or ()):
        if not isinstance(value, dict):
            raise MalformedResponse(f"{key}[{index}] is not an object")
        yield value
