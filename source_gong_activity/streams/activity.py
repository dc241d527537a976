"""The `activity` stream: Gong's 15 activity counters per user per day, week, month, quarter, year or window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..calendar.periods import GONG_PERIOD, windows
from ..gong.body import decoded_body
from ..records.activity import records_by_period, records_of_total
from ..records.quiet_users import quiet_user_records
from .engine import Page, StatsStream, gong_filter


class ActivityStream(StatsStream):
    """`/v2/stats/activity/aggregate-by-period` for calendar periods, `/v2/stats/activity/aggregate` for `total`."""

    name = "activity"

    @property
    def period(self) -> str:
        return self.config.aggregation_period

    def path(self, **kwargs: Any) -> str:
        return "v2/stats/activity/aggregate" if self.period == "total" else "v2/stats/activity/aggregate-by-period"

    def request_fields(self) -> dict[str, Any]:
        return {} if self.period == "total" else {"aggregationPeriod": GONG_PERIOD[self.period]}

    def map_page(self, page: Page) -> Iterator[dict[str, Any]]:
        if self.period == "total":
            return records_of_total(page.body, page.from_date, page.to_date, page.users, page.time_zone)
        return records_by_period(page.body, self.period, page.users, page.time_zone)

    @property
    def fills_gaps(self) -> bool:  # type: ignore[override]  # a class attribute in StatsStream, the config's here
        return self.config.include_quiet_users

    def records_left_out(self, from_date: str, to_date: str, seen: set[str]) -> Iterable[dict[str, Any]]:
        """Zero records for the active users Gong sent none for (`include_quiet_users`); from the sync's one users
        lookup, so no extra call."""
        users = self.users.required_for("The option 'include_quiet_users'")
        # Zero records have no answer of Gong's to take their times from: the zone tells them, asked over the days
        # since start_date (any activity there names it) when this window had none.
        self.company_day.find_time_zone(self.config.start_date.isoformat(), to_date)
        # The window's periods as Gong answers them: windows of one period each, the first and last clipped.
        periods = windows(dt.date.fromisoformat(from_date), dt.date.fromisoformat(to_date), self.period, 1)
        return quiet_user_records(
            periods, users.values(), self.config.user_ids, seen, self.period, self.company_day.time_zone
        )

    def ask_aggregate(
        self, from_date: dt.date, to_date: dt.date, user_ids: tuple[str, ...] = ()
    ) -> tuple[int, Mapping[str, Any] | None]:
        """The first page of /v2/stats/activity/aggregate for [from_date, to_date): how `CompanyDay` asks for the
        company's day and zone (dates alone, so that a 400 can only be about them), and what `check` asks (for the
        day before the earliest possible today, with the user filter)."""
        _, response = self._http_client.send_request(
            "POST",
            self.url_base + "v2/stats/activity/aggregate",
            request_kwargs=self.request_kwargs(),
            json={"filter": gong_filter(from_date.isoformat(), to_date.isoformat(), user_ids)},
        )
        return response.status_code, decoded_body(response) if response.status_code == 200 else None

    def check_access(self) -> None:
        day = self.company_day.earliest()
        self.ask_aggregate(day - dt.timedelta(days=1), day, self.config.user_ids)
