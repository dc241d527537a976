"""Answered scorecards behind POST /v2/stats/activity/scorecards: one per call in a reviewer's callsScorecardsFilled.

A reviewer who filled N scorecards on a day (day-by-day's `callsScorecardsFilled` list of that day holds N call ids)
has exactly N answered scorecards reviewed that day, one per call id, in list order: the streams agree with each
other. Each is for a call that started up to five days before the review, reviews one of the reviewer's reports
(anyone active when the reviewer manages nobody), and answers one of the scorecards enabled that day
(scorecard_settings.py) question by question, each in the question's revision of that day.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import random
import threading
import zoneinfo
from collections.abc import Callable, Sequence

from .calls import counter_call_ids
from .filters import ScorecardFilter
from .scorecard_settings import (
    MULTI_SELECT,
    OPEN,
    RANGE,
    SINGLE_SELECT,
    Question,
    Revision,
    ScorecardSettings,
    hashed_id,
)
from .style import AnswerStyle

FILLED = "callsScorecardsFilled"
VISIBILITY = (("PUBLIC", 0.7), ("PRIVATE", 0.15), ("OPT_IN_USERS", 0.15))
_VISIBILITY_LIMITS = tuple(
    (name, sum(share for _, share in VISIBILITY[: index + 1])) for index, (name, _) in enumerate(VISIBILITY)
)
NOT_APPLICABLE_SHARE = 0.1
_WORDS = (
    "Done a great job. Scheduled a follow-up demo.",
    "Ask about the timeline earlier.",
    "Good questions; let the customer talk more.",
    "Recap the next steps before hanging up.",
)


@dataclasses.dataclass(frozen=True)
class Answered:
    """One answered scorecard: the served item and what the filters look at (ids as decimal strings)."""

    review_instant: dt.datetime
    review_day: dt.date
    call_day: dt.date
    reviewed_user_id: str
    scorecard_id: str
    item: dict


class ScorecardBook:
    """Every answered scorecard of the company, derived from the reviewers' callsScorecardsFilled counts."""

    def __init__(
        self,
        seed: int,
        timezone: str,
        style: AnswerStyle,
        settings: ScorecardSettings,
        users: Sequence[dict],
        is_active_user: Callable[[str], bool],
        filled: Callable[[str, dt.date, dt.date], Sequence[int]],
    ) -> None:
        """`filled(user_id, from_date, to_date)` is one user's callsScorecardsFilled count per day of the window."""
        self._seed, self._zone, self._style, self._filled = seed, zoneinfo.ZoneInfo(timezone), style, filled
        self._settings = settings
        active = [user["id"] for user in users if is_active_user(user["id"])]
        self._reviewers = active
        self._reviewees = reviewees(users, active)
        self._lock = threading.Lock()
        # The last answer, for the next page of the same call series: (filter, today, generation) -> matches.
        self._last: tuple[tuple, list[Answered]] | None = None

    def answered(self, wanted: ScorecardFilter, first_day: dt.date, today: dt.date, generation: int) -> list[dict]:
        """The served items that match, ordered by review time then id; review days default to [first_day, today).

        `generation` is the late-counts generation: counts that grew change what was filled.
        """
        key = (wanted, first_day, today, generation)
        with self._lock:
            if self._last is not None and self._last[0] == key:
                return [answered.item for answered in self._last[1]]
        start = max(wanted.review_from or first_day, first_day)
        end = min(wanted.review_to or today, today)
        found = [answered for answered in self._reviewed_between(start, end) if _matches(answered, wanted)]
        # answeredScorecardId has 15 digits, so its string order is its numeric order.
        found.sort(key=lambda answered: (answered.review_instant, str(answered.item["answeredScorecardId"])))
        with self._lock:
            self._last = (key, found)
        return [answered.item for answered in found]

    def _reviewed_between(self, start: dt.date, end: dt.date) -> list[Answered]:
        if start >= end:
            return []
        found: list[Answered] = []
        for reviewer in self._reviewers:
            for offset, count in enumerate(self._filled(reviewer, start, end)):
                if count:
                    found += self._of_day(reviewer, start + dt.timedelta(days=offset), count)
        return found

    @functools.lru_cache(maxsize=1 << 18)  # noqa: B019 (one book per emulator; a reviewer's day is fixed by its count)
    def _of_day(self, reviewer: str, day: dt.date, count: int) -> tuple[Answered, ...]:
        call_ids = counter_call_ids(self._seed, reviewer, day, FILLED, count, self._style.numeric_call_ids)
        # One generator per reviewer and day, drawn in list order: a grown list keeps the scorecards already served.
        draw = random.Random(f"{self._seed}:scorecard:{reviewer}:{day.isoformat()}").random
        return tuple(self._one(draw, reviewer, day, index, call_id) for index, call_id in enumerate(call_ids))

    def _one(self, draw: Callable[[], float], reviewer: str, day: dt.date, index: int, call_id: int | str) -> Answered:
        # Plain uniform draws (a year for 2,000 users is ~117,000 scorecards): the review between 08:00 and 19:00,
        # the call 1 hour to 5 days before it, counted in real time across daylight saving changes.
        second_of_day = 8 * 3600 + int(draw() * 11 * 3600)
        review = dt.datetime(
            day.year, day.month, day.day, second_of_day // 3600, second_of_day // 60 % 60, tzinfo=self._zone
        )
        review = review.replace(second=second_of_day % 60)
        before = dt.timedelta(minutes=60 + int(draw() * (5 * 24 * 60 - 60)))
        call_start = (review.astimezone(dt.UTC) - before).astimezone(self._zone)
        enabled = self._settings.enabled_on(day)
        scorecard = enabled[int(draw() * len(enabled))]
        reviewees = self._reviewees[reviewer]
        reviewed = reviewees[int(draw() * len(reviewees))]
        visibility = draw()
        day_number, ids = self._settings.day_number(day), self._style.id_in_scorecards
        item = {
            "answeredScorecardId": ids(hashed_id(f"{self._seed}:answered:{reviewer}:{day.isoformat()}:{index}")),
            "scorecardId": ids(scorecard.scorecard_id),
            "scorecardName": scorecard.name,
            "callId": ids(call_id),
            "callStartTime": self._style.moment(call_start),
            "reviewedUserId": ids(reviewed),
            "reviewerUserId": ids(reviewer),
            "reviewTime": self._style.moment(review),
            "visibilityType": next(name for name, limit in _VISIBILITY_LIMITS if visibility < limit),
            "answers": [
                _answer(draw, question, question.revision_on(day_number), self._style)
                for question in scorecard.questions
            ],
        }
        return Answered(review, day, call_start.date(), reviewed, str(scorecard.scorecard_id), item)


def reviewees(users: Sequence[dict], active: Sequence[str]) -> dict[str, list[str]]:
    """Whom each active user reviews: a manager the reports; someone managing nobody anyone active but themselves."""
    reports: dict[str, list[str]] = {user_id: [] for user_id in active}
    for user in users:
        if user.get("managerId") in reports and user["id"] in reports:
            reports[user["managerId"]].append(user["id"])
    return {
        user_id: reports[user_id] or [other for other in active if other != user_id] or [user_id] for user_id in active
    }


def _answer(draw: Callable[[], float], question: Question, revision: Revision, style: AnswerStyle) -> dict:
    """One Answer to `revision` of `question`. A question that does not apply has no value; a select question's
    answer has selectedOptions and no score or answerText (Gong: "Null otherwise"); an open one only words."""
    kind = question.question_type
    not_applicable = kind != OPEN and not question.is_overall and draw() < NOT_APPLICABLE_SHARE
    answer: dict = {
        "questionId": style.id_in_scorecards(question.question_id),
        "questionRevisionId": style.id_in_scorecards(revision.revision_id),
        "isOverall": question.is_overall,
        "notApplicable": not_applicable,
    }
    if not_applicable:
        return answer
    if kind == RANGE:
        low, high = question.score_range or (1, 5)
        answer["score"] = low + int(draw() * (high - low + 1))
    elif kind == SINGLE_SELECT:
        answer["selectedOptions"] = [str(revision.option_ids[int(draw() * len(revision.option_ids))])]
    elif kind == MULTI_SELECT:
        chosen = [option for option in revision.option_ids if draw() < 0.4]
        chosen = chosen or [revision.option_ids[int(draw() * len(revision.option_ids))]]
        answer["selectedOptions"] = [str(option) for option in chosen]
    if kind == OPEN or (kind == RANGE and draw() < 0.2):
        answer["answerText"] = _WORDS[int(draw() * len(_WORDS))]
    return answer


def _matches(answered: Answered, wanted: ScorecardFilter) -> bool:
    if wanted.call_from is not None and answered.call_day < wanted.call_from:
        return False
    if wanted.call_to is not None and answered.call_day >= wanted.call_to:
        return False
    if wanted.reviewed_user_ids is not None and answered.reviewed_user_id not in wanted.reviewed_user_ids:
        return False
    return wanted.scorecard_ids is None or answered.scorecard_id in wanted.scorecard_ids
