"""Late counts: the recent days' counters grow with each generation, as Gong's counts of a recent day keep growing.

Gong keeps processing a call after it ends, and feedback, comments, shares, listens and scorecards arrive over the
following days, so a second sync sees larger counts for recent days under the same ids. Here the generation starts
at 0 and `POST /_emulator/advance` adds one; on every day of the last `recent_days` days before the company's today
that a user has any activity, every counter is its base value plus the generation. Quiet days stay quiet, so who is
active (and so the paging) never changes.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence


class Growth:
    """The generation counter and the rule that adds it to recent active days."""

    def __init__(self, recent_days: int) -> None:
        self.recent_days = recent_days
        self._generation = 0
        self._lock = threading.Lock()

    @property
    def generation(self) -> int:
        return self._generation

    def advance(self) -> int:
        """One more generation of late counts; returns the new generation."""
        with self._lock:
            self._generation += 1
            return self._generation

    def recent(self, today: dt.date) -> tuple[dt.date, dt.date]:
        """The [first, end) days whose counters grow: the last `recent_days` days before `today`."""
        return today - dt.timedelta(days=self.recent_days), today

    def apply(
        self, columns: list[bytes], from_date: dt.date, today: dt.date, active_days: Sequence[int]
    ) -> Sequence[Sequence[int]]:
        """The counter columns of [from_date, from_date + len) with this generation added to recent active days.

        `active_days` is the window's activity mask (nonzero on active days), aligned with the columns.
        """
        generation = self._generation
        first, end = self.recent(today)
        size = len(active_days)
        low, high = max((first - from_date).days, 0), min((end - from_date).days, size)
        if not generation or not self.recent_days or low >= high:
            return columns
        grown_offsets = [offset for offset in range(low, high) if active_days[offset]]
        if not grown_offsets:
            return columns
        grown = []
        for column in columns:
            values = list(column)
            for offset in grown_offsets:
                values[offset] += generation
            grown.append(values)
        return grown
