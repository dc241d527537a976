"""The synthetic Gong company: its users and their activity, and the ground truth tests compare against."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Sequence

from .activity import COUNTERS, ActivityStore
from .people import make_users
from .periods import company_today, period_windows


class Dataset:
    """Deterministic users and daily counters derived from `seed` alone.

    Ground truth for tests (all dates are `datetime.date`):
    - `users()`: the user records exactly as /v2/users serves them, sorted by id.
    - `daily(user_id, day)`: the 15 counters of one user on one company-time-zone day.
    - `periods(from_date, to_date, period)`: the [start, end) windows aggregate-by-period uses, clipped.
    - `expected(from_date, to_date, period=None, user_ids=None)`: every (active user, period) record the
      endpoints return; period None means the single /aggregate total over the window.
    """

    def __init__(
        self,
        seed: int = 42,
        users: int = 250,
        history_start: dt.date | str = dt.date(2024, 1, 1),
        timezone: str = "US/Pacific",
    ) -> None:
        if isinstance(history_start, str):
            history_start = dt.date.fromisoformat(history_start)
        zoneinfo.ZoneInfo(timezone)  # fail early on an unknown zone
        self.seed, self.history_start, self.timezone = seed, history_start, timezone
        self._activity = ActivityStore(seed, history_start)
        self._users = make_users(seed, users, timezone, history_start)
        self._emails = {user["id"]: user["emailAddress"] for user in self._users}
        for user in self._users:
            self._activity.add_user(user["id"], user.pop("_profile"))
        self._users.sort(key=lambda user: int(user["id"]))

    def users(self) -> list[dict]:
        """All users, active or quiet, as served by /v2/users, sorted by numeric id (do not mutate)."""
        return self._users

    def email(self, user_id: str) -> str:
        return self._emails[user_id]

    def today(self) -> dt.date:
        """The current day in the company's time zone: the latest toDate Gong accepts."""
        return company_today(self.timezone)

    def periods(self, from_date: dt.date, to_date: dt.date, period: str) -> list[tuple[dt.date, dt.date]]:
        """The clipped [start, end) windows of `period` (DAY WEEK MONTH QUARTER YEAR) in [from_date, to_date)."""
        return period_windows(from_date, to_date, period)

    def daily(self, user_id: str, day: dt.date) -> dict[str, int]:
        """The 15 counters of `user_id` on `day` (all zero before history_start or for a quiet user)."""
        index = self._index(day)
        return {
            name: column[0]
            for name, column in zip(COUNTERS, self._activity.window(user_id, index, index + 1), strict=False)
        }

    def active_user_ids(self, from_date: dt.date, to_date: dt.date, user_ids: Iterable[str] | None = None) -> list[str]:
        """Ids, in served order, of users with any nonzero counter in [from_date, to_date)."""
        start, end = self._index(from_date), self._index(to_date)
        wanted = None if user_ids is None else set(user_ids)
        return [
            user["id"]
            for user in self._users
            if (wanted is None or user["id"] in wanted) and self._activity.is_active(user["id"], start, end)
        ]

    def window_columns(self, user_id: str, from_date: dt.date, to_date: dt.date) -> list[bytes]:
        """The 15 counter columns of one user, one byte per day of [from_date, to_date)."""
        return self._activity.window(user_id, self._index(from_date), self._index(to_date))

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
                        "counters": dict(zip(COUNTERS, counts, strict=False)),
                    }
                )
        return records

    def _index(self, day: dt.date) -> int:
        return (day - self.history_start).days
