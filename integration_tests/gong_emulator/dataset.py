"""The synthetic Gong company: its users and their activity, and the ground truth tests compare against."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .activity import COUNTERS, ActivityStore
from .calls import daily_call_ids
from .coaching import CoachingBook
from .filters import ScorecardFilter
from .growth import Growth
from .people import make_users
from .periods import company_today, period_windows
from .scorecard_settings import ScorecardSettings
from .scorecards import FILLED, ScorecardBook
from .style import AnswerStyle
from .whisper import MEASURES, WhisperStore, window_stats

_FILLED = COUNTERS.index(FILLED)
# The emulator flags that shape the data and its ground truth (the rest shape traffic, credentials and errors).
DATASET_FLAGS = (
    "seed",
    "users",
    "history_start",
    "timezone",
    "today",
    "grow_recent_days",
    "numeric_call_ids",
    "numeric_scorecard_ids",
    "utc_times",
    "omit_zeros",
    "inclusive_review_to",
    "string_scorecard_ids",
)


class Dataset:
    """Deterministic users and daily counters derived from `seed` alone.

    Ground truth for tests (all dates are `datetime.date`), written as the answers write it (see AnswerStyle):
    - `users()`: the user records exactly as /v2/users serves them, sorted by id.
    - `daily(user_id, day)`: the 15 counters of one user on one company-time-zone day.
    - `periods(from_date, to_date, period)`: the [start, end) windows aggregate-by-period uses, clipped.
    - `expected(from_date, to_date, period=None, user_ids=None)`: every (active user, period) record the
      endpoints return; period None means the single /aggregate total over the window. With `omit_zeros` a
      record's counters leave out the zero ones, as the answers do.
    - `expected_day_by_day(from_date, to_date, user_ids=None)`: per user id (served order) the
      userDailyActivityStats list /v2/stats/activity/day-by-day returns, call-id lists and ISO dates included.
    - `whisper_calls(user_id, day)`: the Whisper-recorded calls of one user on one day, each {measure: value}.
    - `expected_interaction(from_date, to_date, user_ids=None, extra_stat=None)`: per user id (served order)
      the personInteractionStats list /v2/stats/interaction returns.
    - `expected_scorecards(...)`: the answeredScorecards items /v2/stats/activity/scorecards returns for a filter.
    - `scorecard_settings()`: the `scorecards` list GET /v2/settings/scorecards returns today.
    - `coaching`: the workspaces and the coaching data of GET /v2/workspaces and GET /v2/coaching (CoachingBook).
    """

    def __init__(
        self,
        seed: int = 42,
        users: int = 250,
        history_start: dt.date | str = dt.date(2024, 1, 1),
        timezone: str = "US/Pacific",
        *,
        today: dt.date | str | None = None,
        grow_recent_days: int = 0,
        numeric_call_ids: bool = False,
        numeric_scorecard_ids: bool = False,
        utc_times: bool = False,
        omit_zeros: bool = False,
        inclusive_review_to: bool = False,
        string_scorecard_ids: bool = False,
    ) -> None:
        if isinstance(history_start, str):
            history_start = dt.date.fromisoformat(history_start)
        if isinstance(today, str):
            today = dt.date.fromisoformat(today)
        zoneinfo.ZoneInfo(timezone)  # fail early on an unknown zone
        self.seed, self.history_start, self.timezone = seed, history_start, timezone
        self.style = AnswerStyle(numeric_call_ids, utc_times, omit_zeros, string_scorecard_ids)
        self._fixed_today = today
        # Gong does not publish whether reviewToDate is exclusive: by default it is here; this flag makes it inclusive.
        self.inclusive_review_to = inclusive_review_to
        self._growth = Growth(grow_recent_days)
        self._activity = ActivityStore(seed, history_start)
        self._whisper = WhisperStore(seed, self._activity)
        self._users = make_users(seed, users, timezone, history_start, self.style.moment)
        self._emails = {user["id"]: user["emailAddress"] for user in self._users}
        self._quiet = {user["id"] for user in self._users if user["_profile"] is None}
        for user in self._users:
            self._activity.add_user(user["id"], user.pop("_profile"))
        self._users.sort(key=lambda user: int(user["id"]))
        self._settings = ScorecardSettings(seed, history_start, timezone, self.style, self._scorecard_editors())
        self._scorecards = ScorecardBook(
            seed, timezone, self.style, self._settings, self._users, self.has_activity, self._filled_column
        )

    @classmethod
    def from_flags(cls, flags: Mapping[str, object]) -> Dataset:
        """The dataset an emulator started with these flags serves (names as EmulatorConfig fields; others ignored)."""
        chosen: dict[str, Any] = {name: flags[name] for name in DATASET_FLAGS if flags.get(name) is not None}
        return cls(**chosen)

    def _scorecard_editors(self) -> list[str]:
        """Who edits the scorecards: the active managers; else anyone active; else anyone (none without users)."""
        active = [user["id"] for user in self._users if self.has_activity(user["id"])]
        managers = {user["managerId"] for user in self._users if user.get("managerId")}
        return [user_id for user_id in active if user_id in managers] or active or [u["id"] for u in self._users]

    def users(self) -> list[dict]:
        """All users, active or quiet, as served by /v2/users, sorted by numeric id (do not mutate)."""
        return self._users

    def email(self, user_id: str) -> str:
        return self._emails[user_id]

    def has_activity(self, user_id: str) -> bool:
        """Whether the user ever has activity (about 10% of users are quiet and never do)."""
        return user_id not in self._quiet

    def today(self) -> dt.date:
        """The current day in the company's time zone (or the fixed `today`): the latest toDate Gong accepts."""
        return self._fixed_today or company_today(self.timezone)

    @property
    def generation(self) -> int:
        """How many times the recent days' counts have grown (see growth.py); 0 at the start."""
        return self._growth.generation

    def advance(self) -> int:
        """Grow the counters of the last `grow_recent_days` days once more; returns the new generation."""
        return self._growth.advance()

    def grown_days(self) -> tuple[dt.date, dt.date] | None:
        """The [first, end) days whose counters grow with each generation, or None without `grow_recent_days`."""
        return self._growth.recent(self.today()) if self._growth.recent_days else None

    @functools.cached_property
    def coaching(self) -> CoachingBook:
        """Workspaces and who coaches whom (GET /v2/workspaces, GET /v2/coaching): see coaching.py."""
        return CoachingBook(self)

    def periods(self, from_date: dt.date, to_date: dt.date, period: str) -> list[tuple[dt.date, dt.date]]:
        """The clipped [start, end) windows of `period` (DAY WEEK MONTH QUARTER YEAR) in [from_date, to_date)."""
        return period_windows(from_date, to_date, period)

    def daily(self, user_id: str, day: dt.date) -> dict[str, int]:
        """The 15 counters of `user_id` on `day` (all zero before history_start or for a quiet user)."""
        columns = self.window_columns(user_id, day, day + dt.timedelta(days=1))
        return {name: column[0] for name, column in zip(COUNTERS, columns, strict=True)}

    def active_user_ids(self, from_date: dt.date, to_date: dt.date, user_ids: Iterable[str] | None = None) -> list[str]:
        """Ids, in served order, of users with any nonzero counter in [from_date, to_date)."""
        start, end = self._index(from_date), self._index(to_date)
        wanted = None if user_ids is None else set(user_ids)
        return [
            user["id"]
            for user in self._users
            if (wanted is None or user["id"] in wanted) and self._activity.is_active(user["id"], start, end)
        ]

    def window_columns(self, user_id: str, from_date: dt.date, to_date: dt.date) -> Sequence[Sequence[int]]:
        """The 15 counter columns of one user, one count per day of [from_date, to_date), late counts included."""
        start, end = self._index(from_date), self._index(to_date)
        columns = self._activity.window(user_id, start, end)
        if not self._growth.generation:
            return columns
        return self._growth.apply(columns, from_date, self.today(), self._activity.active_days(user_id, start, end))

    def period_counts(
        self, user_id: str, from_date: dt.date, windows: Sequence[tuple[dt.date, dt.date]]
    ) -> list[tuple[int, ...]]:
        """Counter tuples (COUNTERS order), one per window; windows must tile [from_date, last end)."""
        columns = self.window_columns(user_id, from_date, windows[-1][1])
        if len(windows) == len(columns[0]):
            return list(zip(*columns, strict=False))  # one day per window: the columns already are the answer
        offsets = [((start - from_date).days, (end - from_date).days) for start, end in windows]
        return [tuple(sum(column[low:high]) for column in columns) for low, high in offsets]

    def expected(
        self,
        from_date: dt.date,
        to_date: dt.date,
        period: str | None = None,
        user_ids: Iterable[str] | None = None,
    ) -> list[dict]:
        """Every record the endpoints would return for this filter, in served order.

        Each is {"userId", "userEmailAddress", "fromDate": date, "toDate": date, "counters": {15 counters}}.
        """
        windows = [(from_date, to_date)] if period is None else self.periods(from_date, to_date, period)
        records = []
        for user_id in self.active_user_ids(from_date, to_date, user_ids):
            email = self._emails[user_id]
            for (start, end), counts in zip(windows, self.period_counts(user_id, from_date, windows), strict=False):
                records.append(
                    {
                        "userId": user_id,
                        "userEmailAddress": email,
                        "fromDate": start,
                        "toDate": end,
                        "counters": self.style.counters(counts),
                    }
                )
        return records

    def day_by_day(self, user_id: str, from_date: dt.date, to_date: dt.date) -> list[dict]:
        """One user's userDailyActivityStats: per day the 15 counters as call-id lists, with ISO dates."""
        return [json.loads(item) for item in self._day_items(user_id, from_date, to_date)]

    def day_by_day_json(self, user_id: str, from_date: dt.date, to_date: dt.date) -> str:
        """`day_by_day` as the JSON array the endpoint sends."""
        return "[" + ",".join(self._day_items(user_id, from_date, to_date)) + "]"

    def _day_items(self, user_id: str, from_date: dt.date, to_date: dt.date) -> list[str]:
        columns = self.window_columns(user_id, from_date, to_date)
        return [
            self._day_item(user_id, from_date + dt.timedelta(days=offset), counts)
            for offset, counts in enumerate(zip(*columns, strict=True))
        ]

    @functools.lru_cache(maxsize=1 << 20)  # noqa: B019 (one Dataset per emulator; a day's item is fixed by its counts)
    def _day_item(self, user_id: str, day: dt.date, counts: tuple[int, ...]) -> str:
        """One day's item, serialized once: a year of call ids for 2,000 users took the emulator ~20 s a pass, which
        set the pace of every benchmark read of them."""
        style = self.style
        item: dict = style.call_lists(daily_call_ids(self.seed, user_id, day, counts, style.numeric_call_ids))
        item["fromDate"] = style.midnight(day, self.timezone)
        item["toDate"] = style.midnight(day + dt.timedelta(days=1), self.timezone)
        return json.dumps(item, separators=(",", ":"))

    def expected_day_by_day(
        self, from_date: dt.date, to_date: dt.date, user_ids: Iterable[str] | None = None
    ) -> dict[str, list[dict]]:
        """Per user id, in served order, the daily items day-by-day returns for this filter (paging aside)."""
        return {
            user_id: self.day_by_day(user_id, from_date, to_date)
            for user_id in self.active_user_ids(from_date, to_date, user_ids)
        }

    def answered_scorecards(self, wanted: ScorecardFilter) -> list[dict]:
        """The answeredScorecards items /v2/stats/activity/scorecards returns for this filter (paging aside)."""
        if self.inclusive_review_to and wanted.review_to is not None:
            wanted = dataclasses.replace(wanted, review_to=wanted.review_to + dt.timedelta(days=1))
        return self._scorecards.answered(wanted, self.history_start, self.today(), self.generation)

    def expected_scorecards(
        self,
        review_from: dt.date | None = None,
        review_to: dt.date | None = None,
        call_from: dt.date | None = None,
        call_to: dt.date | None = None,
        reviewed_user_ids: Iterable[str | int] | None = None,
        scorecard_ids: Iterable[str | int] | None = None,
    ) -> list[dict]:
        """The answered scorecards for these filters ([from, to) days in the company's zone), in served order."""
        wanted = ScorecardFilter(
            review_from,
            review_to,
            call_from,
            call_to,
            None if reviewed_user_ids is None else frozenset(map(str, reviewed_user_ids)),
            None if scorecard_ids is None else frozenset(map(str, scorecard_ids)),
        )
        return self.answered_scorecards(wanted)

    def scorecard_settings(self) -> list[dict]:
        """The `scorecards` list GET /v2/settings/scorecards returns on the company's today: each question in its
        revision of that day (answers given before a revision keep the earlier id); [] without users (its 404)."""
        return self._settings.served(self.today())

    def _filled_column(self, user_id: str, from_date: dt.date, to_date: dt.date) -> Sequence[int]:
        return self.window_columns(user_id, from_date, to_date)[_FILLED]

    def whisper_calls(self, user_id: str, day: dt.date) -> list[dict]:
        """The calls Whisper recorded for `user_id` on `day`, each {measure name: value}; "extra" backs the flag."""
        index = self._index(day)
        return [dict(zip(MEASURES, call, strict=True)) for call in self._whisper.days(user_id, index, index + 1)[0]]

    def interaction_user_ids(
        self, from_date: dt.date, to_date: dt.date, user_ids: Iterable[str] | None = None
    ) -> list[str]:
        """Ids, in served order, of users with at least one Whisper-recorded call in [from_date, to_date)."""
        wanted = None if user_ids is None else set(user_ids)
        return [
            user["id"]
            for user in self._users
            if (wanted is None or user["id"] in wanted) and self._window_calls(user["id"], from_date, to_date)
        ]

    def interaction_stats(
        self, user_id: str, from_date: dt.date, to_date: dt.date, extra_stat: str | None = None
    ) -> list[dict]:
        """One user's personInteractionStats over the window; the user must have a recorded call in it."""
        calls = self._window_calls(user_id, from_date, to_date)
        return window_stats(calls, self._whisper.traits(user_id), extra_stat)

    def expected_interaction(
        self,
        from_date: dt.date,
        to_date: dt.date,
        user_ids: Iterable[str] | None = None,
        extra_stat: str | None = None,
    ) -> dict[str, list[dict]]:
        """Per user id, in served order, the personInteractionStats /v2/stats/interaction returns (paging aside)."""
        return {
            user_id: self.interaction_stats(user_id, from_date, to_date, extra_stat)
            for user_id in self.interaction_user_ids(from_date, to_date, user_ids)
        }

    def _window_calls(self, user_id: str, from_date: dt.date, to_date: dt.date) -> list[tuple]:
        days = self._whisper.days(user_id, self._index(from_date), self._index(to_date))
        return [call for day in days for call in day]

    def _index(self, day: dt.date) -> int:
        return (day - self.history_start).days
