"""Answered scorecards behind POST /v2/stats/activity/scorecards: one per call in a reviewer's callsScorecardsFilled.

A reviewer who filled N scorecards on a day (day-by-day's `callsScorecardsFilled` list of that day holds N call ids)
has exactly N answered scorecards reviewed that day, one per call id, in list order: the streams agree with each
other. Each is for a call that started up to five days before the review, reviews one of the reviewer's reports
(anyone active when the reviewer manages nobody), and answers one of the company's scorecards question by question.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import random
import threading
import zoneinfo
from collections.abc import Callable, Sequence

from .calls import counter_call_ids
from .filters import ScorecardFilter
from .style import AnswerStyle

FILLED = "callsScorecardsFilled"
VISIBILITY = (("PUBLIC", 0.7), ("PRIVATE", 0.15), ("OPT_IN_USERS", 0.15))
_VISIBILITY_LIMITS = tuple(
    (name, sum(share for _, share in VISIBILITY[: index + 1])) for index, (name, _) in enumerate(VISIBILITY)
)
NOT_APPLICABLE_SHARE = 0.1


@dataclasses.dataclass(frozen=True)
class Question:
    question_id: str
    revision_id: str
    text: str
    is_overall: bool = False
    is_scored: bool = True  # a question answered in words only has answerText and no score


@dataclasses.dataclass(frozen=True)
class Scorecard:
    scorecard_id: str
    name: str
    questions: tuple[Question, ...]


def _question(number: int, text: str, **kind: bool) -> Question:
    # Gong's question ids run to 20 digits (its example is 35657219295037524478); revisions are shorter.
    return Question(f"3565721929503752{number:04d}", f"43955224753{number:06d}", text, **kind)


# The company's scorecards. The last has no overall question, so an answered scorecard may have no overall score.
SCORECARDS = (
    Scorecard(
        "6843152929075440037",
        "SDR Call Scorecard",
        (
            _question(1, "How do you evaluate the SDR's overall performance in the call?", is_overall=True),
            _question(2, "Did the SDR qualify budget and timeline?"),
            _question(3, "Did the SDR book a next step?"),
            _question(4, "What should the SDR do differently?", is_scored=False),
        ),
    ),
    Scorecard(
        "6843152929075440112",
        "Discovery Call",
        (
            _question(11, "Overall discovery quality", is_overall=True),
            _question(12, "Uncovered the customer's pain"),
            _question(13, "Identified the decision makers"),
            _question(14, "Talk ratio under 60%"),
            _question(15, "Notes for the rep", is_scored=False),
        ),
    ),
    Scorecard(
        "6843152929075440298",
        "Demo Excellence",
        (
            _question(21, "Overall demo", is_overall=True),
            _question(22, "Tailored the demo to the pain found in discovery"),
            _question(23, "Handled objections"),
        ),
    ),
    Scorecard(
        "6843152929075440377",
        "Compliance Check",
        (
            _question(31, "Recording consent asked"),
            _question(32, "Pricing stated as approved"),
        ),
    ),
)
_WORDS = (
    "Done a great job. Scheduled a follow-up demo.",
    "Ask about the timeline earlier.",
    "Good questions; let the customer talk more.",
    "Recap the next steps before hanging up.",
)


@dataclasses.dataclass(frozen=True)
class Answered:
    """One answered scorecard: the served item and what the filters look at."""

    review_instant: dt.datetime
    review_day: dt.date
    call_day: dt.date
    item: dict


class ScorecardBook:
    """Every answered scorecard of the company, derived from the reviewers' callsScorecardsFilled counts."""

    def __init__(
        self,
        seed: int,
        timezone: str,
        style: AnswerStyle,
        users: Sequence[dict],
        is_active_user: Callable[[str], bool],
        filled: Callable[[str, dt.date, dt.date], Sequence[int]],
    ) -> None:
        """`filled(user_id, from_date, to_date)` is one user's callsScorecardsFilled count per day of the window."""
        self._seed, self._zone, self._style, self._filled = seed, zoneinfo.ZoneInfo(timezone), style, filled
        active = [user["id"] for user in users if is_active_user(user["id"])]
        self._reviewers = active
        # A manager reviews the reports; someone managing nobody reviews anyone active but themselves.
        reports: dict[str, list[str]] = {user_id: [] for user_id in active}
        for user in users:
            if user.get("managerId") in reports and user["id"] in reports:
                reports[user["managerId"]].append(user["id"])
        self._reviewees = {
            user_id: reports[user_id] or [other for other in active if other != user_id] or [user_id]
            for user_id in active
        }
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
        found.sort(key=lambda answered: (answered.review_instant, answered.item["answeredScorecardId"]))
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
        scorecard = SCORECARDS[int(draw() * len(SCORECARDS))]
        reviewees = self._reviewees[reviewer]
        visibility = draw()
        as_id = self._style.scorecard_id  # strings (the 2023 contract), or numbers (2024's) on request
        item = {
            "answeredScorecardId": as_id(_digits(f"{self._seed}:answered:{reviewer}:{day.isoformat()}:{index}")),
            "scorecardId": as_id(scorecard.scorecard_id),
            "scorecardName": scorecard.name,
            # The 2023 contract's string, even where day-by-day sends numbers; a number with --numeric-scorecard-ids.
            "callId": as_id(call_id),
            "callStartTime": self._style.moment(call_start),
            "reviewedUserId": as_id(reviewees[int(draw() * len(reviewees))]),
            "reviewerUserId": as_id(reviewer),
            "reviewTime": self._style.moment(review),
            "visibilityType": next(name for name, limit in _VISIBILITY_LIMITS if visibility < limit),
            "answers": [_answer(draw, question, as_id) for question in scorecard.questions],
        }
        return Answered(review, day, call_start.date(), item)


def _answer(draw: Callable[[], float], question: Question, as_id: Callable[[str], str | int]) -> dict:
    """One Answer; a question that does not apply, or is answered in words only, has no score (none is required)."""
    not_applicable = question.is_scored and not question.is_overall and draw() < NOT_APPLICABLE_SHARE
    answer: dict = {
        "questionId": as_id(question.question_id),
        "questionRevisionId": as_id(question.revision_id),
        "isOverall": question.is_overall,
        "notApplicable": not_applicable,
    }
    if question.is_scored and not not_applicable:
        answer["score"] = 1 + int(draw() * 5)
    if not question.is_scored or draw() < 0.2:
        answer["answerText"] = _WORDS[int(draw() * len(_WORDS))]
    return answer


def _matches(answered: Answered, wanted: ScorecardFilter) -> bool:
    item = answered.item
    if wanted.call_from is not None and answered.call_day < wanted.call_from:
        return False
    if wanted.call_to is not None and answered.call_day >= wanted.call_to:
        return False
    # The filter's ids are strings; the item's are numbers with --numeric-scorecard-ids.
    if wanted.reviewed_user_ids is not None and str(item["reviewedUserId"]) not in wanted.reviewed_user_ids:
        return False
    return wanted.scorecard_ids is None or str(item["scorecardId"]) in wanted.scorecard_ids


def _digits(text: str) -> str:
    """A 15-digit id hashed from `text` (Gong's example answeredScorecardId has 15)."""
    return str(10**14 + int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big") % (9 * 10**14))
