"""The company's scorecards behind GET /v2/settings/scorecards: questions of Gong's four types and their revisions.

Answered scorecards (scorecards.py) are filled from the same catalogue, so the two endpoints agree: a review answers
the revision of each question in effect on its day, and a disabled scorecard is answered only before it was disabled.
The settings list each question's revision in effect on the company's today (Gong lists the current one only), so
answers given before a question was revised carry a revision id the settings no longer show.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import random
import zoneinfo
from collections.abc import Callable, Sequence

from .style import AnswerStyle

# questionType, as Gong's help pages name the kinds of question.
RANGE, SINGLE_SELECT, MULTI_SELECT, OPEN = "RANGE", "SINGLE_SELECT", "MULTI_SELECT", "OPEN"
SELECTS = (SINGLE_SELECT, MULTI_SELECT)


@dataclasses.dataclass(frozen=True)
class Revision:
    """One revision of a question: reviews from `since` days after the history's first day answer it."""

    revision_id: int
    since: int
    text: str
    option_ids: tuple[int, ...] = ()  # a select question's options in this revision, in the order shown


@dataclasses.dataclass(frozen=True)
class Question:
    question_id: int
    question_type: str
    revisions: tuple[Revision, ...]  # oldest first
    is_overall: bool = False
    answer_guide: str | None = None
    score_range: tuple[int, int] | None = None  # RANGE: minRange, maxRange
    options: tuple[tuple[int, str], ...] = ()  # every option any revision offers: (id, text)

    def revision_on(self, day_number: int) -> Revision:
        """The revision in effect `day_number` days after the history's first day (the first one before it)."""
        return next(
            (revision for revision in reversed(self.revisions) if revision.since <= day_number), self.revisions[0]
        )


@dataclasses.dataclass(frozen=True)
class Scorecard:
    scorecard_id: int
    name: str
    workspace: int  # which of the company's two workspaces
    created_days_before: int  # created that many days before the history's first day
    questions: tuple[Question, ...]
    disabled_since: int | None = None  # disabled that many days after the history's first day: no review since

    def is_enabled_on(self, day_number: int) -> bool:
        return self.disabled_since is None or day_number < self.disabled_since


def _ids(number: int) -> tuple[int, Callable[[int], int]]:
    """A question's id (20 digits, above 2**64, as Gong's example 35657219295037524478), its revisions' ids (17 digits,
    as Gong's example 43955224753211112)."""
    return int(f"3565721929503752{number:04d}"), lambda index: int(f"43955224753{number:04d}{index:02d}")


def _question(
    number: int,
    kind: str,
    texts: Sequence[tuple[int, str, tuple[int, ...]]],
    *,
    is_overall: bool = False,
    answer_guide: str | None = None,
    score_range: tuple[int, int] | None = None,
    options: tuple[tuple[int, str], ...] = (),
) -> Question:
    """`texts`: (since, text, option ids) per revision, oldest first."""
    question_id, revision_id = _ids(number)
    revisions = tuple(
        Revision(revision_id(index), since, text, offered) for index, (since, text, offered) in enumerate(texts)
    )
    return Question(question_id, kind, revisions, is_overall, answer_guide, score_range, options)


YES_NO = ((1, "Yes"), (2, "No"))
# Days after the history's first day (2024-01-01 by default) on which the catalogue changed: 02-15, 04-10, 05-30.
FIRST_EDIT, SECOND_EDIT, THIRD_EDIT = 45, 100, 150
COMPLIANCE_DISABLED = 155  # 06-04 by default

# The last scorecard has no overall question (an answered scorecard may have no overall score) and is disabled.
SCORECARDS = (
    Scorecard(
        6843152929075440037,
        "SDR Call Scorecard",
        0,
        320,
        (
            _question(
                1,
                RANGE,
                [(0, "How do you evaluate the SDR's overall performance in the call?", ())],
                is_overall=True,
                answer_guide="Weigh the opening, the discovery and the next step.",
                score_range=(1, 5),
            ),
            _question(
                2,
                SINGLE_SELECT,
                [
                    (0, "Did the SDR qualify the budget?", (1, 2)),
                    (SECOND_EDIT, "Did the SDR qualify budget and timeline?", (1, 3, 2)),
                ],
                options=((1, "Yes"), (2, "No"), (3, "Partly")),
            ),
            _question(
                3,
                RANGE,
                [(0, "How firm is the next step the SDR booked?", ())],
                answer_guide="1: nothing booked. 5: a meeting with the decision maker is on the calendar.",
                score_range=(1, 5),
            ),
            _question(4, OPEN, [(0, "What should the SDR do differently?", ())]),
        ),
    ),
    Scorecard(
        6843152929075440112,
        "Discovery Call",
        0,
        250,
        (
            _question(11, RANGE, [(0, "Overall discovery quality", ())], is_overall=True, score_range=(1, 10)),
            _question(
                12,
                RANGE,
                [(0, "Uncovered the customer's pain", ()), (THIRD_EDIT, "Uncovered the pain and what it costs", ())],
                score_range=(1, 5),
            ),
            _question(
                13,
                MULTI_SELECT,
                [
                    (0, "Which decision makers did the rep identify?", (1, 2, 3)),
                    (FIRST_EDIT, "Which decision makers did the rep identify?", (1, 2, 3, 5)),
                ],
                answer_guide="Select every role named on the call.",
                options=((1, "Economic buyer"), (2, "Champion"), (3, "Technical evaluator"), (5, "Procurement")),
            ),
            _question(14, SINGLE_SELECT, [(0, "Talk ratio under 60%?", (1, 2))], options=YES_NO),
            _question(
                15,
                OPEN,
                [(0, "Notes for the rep", ())],
                answer_guide="What to keep and what to change, in a sentence or two.",
            ),
        ),
    ),
    Scorecard(
        6843152929075440298,
        "Demo Excellence",
        1,
        180,
        (
            _question(21, RANGE, [(0, "Overall demo", ())], is_overall=True, score_range=(1, 5)),
            _question(22, RANGE, [(0, "Tailored the demo to the pain found in discovery", ())], score_range=(1, 5)),
            _question(
                23,
                MULTI_SELECT,
                [(0, "Which objections did the rep handle?", (1, 2, 3, 4))],
                options=((1, "Price"), (2, "Timing"), (3, "Competitor"), (4, "Security review")),
            ),
        ),
    ),
    Scorecard(
        6843152929075440377,
        "Compliance Check",
        1,
        400,
        (
            _question(
                31,
                SINGLE_SELECT,
                [
                    (0, "Recording consent asked", (1, 2)),
                    (SECOND_EDIT, "Was recording consent asked before the call began?", (1, 2)),
                ],
                options=YES_NO,
            ),
            _question(
                32,
                SINGLE_SELECT,
                [(0, "Pricing stated as approved", (1, 2, 3))],
                options=((1, "Yes"), (2, "No"), (3, "Pricing not discussed")),
            ),
        ),
        disabled_since=COMPLIANCE_DISABLED,
    ),
)


class ScorecardSettings:
    """The catalogue on the company's calendar: what was enabled and revised on which day, and the settings answer."""

    def __init__(
        self, seed: int, history_start: dt.date, timezone: str, style: AnswerStyle, updaters: Sequence[str]
    ) -> None:
        """`updaters`: the users who edit scorecards (none: a company without users has no scorecards)."""
        self._seed, self._start, self._zone, self._style = seed, history_start, zoneinfo.ZoneInfo(timezone), style
        self._updaters = list(updaters)
        self._workspaces = [hashed_id(f"{seed}:workspace:{index}") for index in range(2)]

    def day_number(self, day: dt.date) -> int:
        return (day - self._start).days

    def enabled_on(self, day: dt.date) -> tuple[Scorecard, ...]:
        """The scorecards a reviewer could fill on `day`."""
        number = self.day_number(day)
        return tuple(card for card in SCORECARDS if card.is_enabled_on(number))

    def served(self, today: dt.date) -> list[dict]:
        """The `scorecards` list as served on `today`: each question's revision in effect that day; none without users
        (nobody could have made them: Gong's 404 "Scorecards not found")."""
        if not self._updaters:
            return []
        number = self.day_number(today)
        return [self._scorecard(card, number) for card in SCORECARDS]

    def _scorecard(self, card: Scorecard, today: int) -> dict:
        draw = random.Random(f"{self._seed}:scorecard-settings:{card.scorecard_id}")
        created_minute, edit_minute, updater = draw.randrange(8 * 60), draw.randrange(60), draw.choice(self._updaters)
        created = self._moment(-card.created_days_before, 9 * 60 + created_minute)
        # Each edit happened at 07:00-07:59 on its day, before that day's first review (08:00).
        edits = [revision.since for question in card.questions for revision in question.revisions[1:]]
        edits += [] if card.disabled_since is None else [card.disabled_since]
        last_edit = max((day for day in edits if day <= today), default=None)
        updated = created if last_edit is None else self._moment(last_edit, 7 * 60 + edit_minute)
        style = self._style
        return {
            "scorecardId": style.id_in_scorecards(card.scorecard_id),
            "scorecardName": card.name,
            "workspaceId": style.id_in_scorecards(self._workspaces[card.workspace]),
            "enabled": card.is_enabled_on(today),
            "updaterUserId": style.id_in_scorecards(updater),
            "created": style.moment(created),
            "updated": style.moment(updated),
            "questions": [_question_item(question, question.revision_on(today), style) for question in card.questions],
        }

    def _moment(self, day_number: int, minute_of_day: int) -> dt.datetime:
        day = self._start + dt.timedelta(days=day_number)
        return dt.datetime(day.year, day.month, day.day, minute_of_day // 60, minute_of_day % 60, tzinfo=self._zone)


def _question_item(question: Question, revision: Revision, style: AnswerStyle) -> dict:
    """One Question; a field that does not apply to its type is left out (the contract requires none)."""
    item: dict = {
        "questionId": style.id_in_scorecards(question.question_id),
        "questionRevisionId": style.id_in_scorecards(revision.revision_id),
        "questionText": revision.text,
        "isOverall": question.is_overall,
        "questionType": question.question_type,
    }
    if question.answer_guide is not None:
        item["answerGuide"] = question.answer_guide
    if question.score_range is not None:
        item["minRange"], item["maxRange"] = question.score_range
    if question.question_type in SELECTS:
        texts = dict(question.options)
        item["answerOptions"] = [{"id": option, "text": texts[option]} for option in revision.option_ids]
    return item


def hashed_id(text: str) -> int:
    """A 15-digit id hashed from `text` (Gong's example workspaceId and answeredScorecardId have 15)."""
    return 10**14 + int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big") % (9 * 10**14)
