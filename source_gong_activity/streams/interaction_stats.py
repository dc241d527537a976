"""The `interaction_stats` stream: how each rep talks (talk ratio, monologues, patience, ...) per period."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..records.interaction import records_of_interaction
from .engine import Page, StatsStream


class InteractionStatsStream(StatsStream):
    """`/v2/stats/interaction`, which answers for the whole filter window: one window per period."""

    name = "interaction_stats"
    scope = "api:stats:interaction"
    periods_per_window = 1

    @property
    def period(self) -> str:
        return self.config.interaction_period

    def path(self, **kwargs: Any) -> str:
        return "v2/stats/interaction"

    def map_page(self, page: Page) -> Iterator[dict[str, Any]]:
        return records_of_interaction(page.body, self.period, page.from_date, page.to_date, page.users, page.time_zone)
