"""The `activity` stream: Gong's 15 activity counters per user per day, week, month, quarter, year or window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from .client import decoded_body
from .engine import StatsStream, gong_filter
from .mapping import records_by_period, records_of_total
from .periods import GONG_PERIOD


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

    def map_page(
        self, body: Mapping[str, Any], from_date: str, to_date: str, users: Mapping[str, Mapping[str, Any]]
    ) -> Iterator[dict[str, Any]]:
        if self.period == "total":
            return records_of_total(body, from_date, to_date, users)
        return records_by_period(body, self.period, users)

    def ask_about_day_before(self, day: dt.date) -> tuple[int, Mapping[str, Any] | None]:
        """One small authenticated call for the day before `day`: how `CompanyDay` probes, and what `check` asks."""
        _, response = self._http_client.send_request(
            "POST",
            self.url_base + "v2/stats/activity/aggregate",
            request_kwargs=self.request_kwargs(),
            json={
                "filter": gong_filter((day - dt.timedelta(days=1)).isoformat(), day.isoformat(), self.config.user_ids)
            },
        )
        return response.status_code, decoded_body(response) if response.status_code == 200 else None

    def check_access(self) -> None:
        self.ask_about_day_before(self.company_day.earliest())
