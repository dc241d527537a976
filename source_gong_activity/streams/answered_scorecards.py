"""The `answered_scorecards` stream: one record per scorecard a reviewer answered on a call, with every answer and,
from the sync's one scorecard settings lookup, what each question asked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..records.scorecards import records_of_answered_scorecards
from .engine import Page, StatsStream


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

    @property
    def filter_fields(self) -> tuple[str, ...]:
        return (*super().filter_fields, *(("scorecard_ids",) if self.config.scorecard_ids else ()))

    # The one call for the scorecard settings, shared with the `scorecards` stream: the cost line counts it.
    lookup_calls = 1

    def load_lookups(self) -> None:
        super().load_lookups()
        self.sync.scorecard_settings.questions()

    def map_page(self, page: Page) -> Iterator[dict[str, Any]]:
        questions = self.sync.scorecard_settings.questions()  # loaded already (`load_lookups`): no call here
        return records_of_answered_scorecards(
            page.body, page.from_date, page.to_date, page.users, page.time_zone, questions
        )
