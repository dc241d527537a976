"""The `coaching` stream: per workspace, manager, direct report and period, the calls the manager listened to,
attended, commented on, gave feedback on or scored (Gong's GET /v2/coaching)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Generator, Iterable, Iterator, Mapping, MutableMapping
from typing import Any

import requests

from ..calendar.days import company_midnight
from ..gong.body import decoded_body, gong_error_text
from ..gong.errors import PerManagerErrorHandler
from ..protocol.failures import undatable_record
from ..records.coaching import CoachingAsk, records_of_coaching
from .engine import Page, StatsStream, checked
from .plan import coaching_cost

logger = logging.getLogger("airbyte")

COACHING_SCOPE = "api:coaching:read"


class CoachingStream(StatsStream):
    """GET /v2/coaching: one call per workspace, manager and period, with the period's bounds the company's midnights;
    a STATE after each period. Gong pages nothing here and names no zone: the sync's `CompanyDay` knows it."""

    name = "coaching"
    scope = COACHING_SCOPE
    http_method = "GET"
    periods_per_window = 1  # one period per call: what a coaching record covers
    error_handler_class = PerManagerErrorHandler
    empty_on_404 = False  # Gong documents no 404 for /v2/coaching: one is a wrong path
    pages_over = "managers"  # no pages: one call per workspace and manager of a period (the cost line says so)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.refused: set[tuple[str, str]] = set()  # (workspace, manager) pairs Gong refused this sync
        self._periods: int | None = None  # how many periods this sync reads, for the cost line

    @property
    def period(self) -> str:
        return self.config.coaching_period

    def path(self, **kwargs: Any) -> str:
        return "v2/coaching"

    def request_params(  # type: ignore[override]
        self, stream_slice: Mapping[str, Any] | None = None, **_: Any
    ) -> MutableMapping[str, Any]:
        assert stream_slice is not None
        ask: CoachingAsk = stream_slice["ask"]
        return {
            "workspace-id": ask.workspace_id,
            "manager-id": ask.manager_id,
            "from": ask.start_time,
            "to": ask.end_time,
        }

    def request_body_json(self, **_: Any) -> None:  # type: ignore[override]
        return None

    def map_page(self, page: Page) -> Iterator[dict[str, Any]]:
        raise NotImplementedError("coaching maps each answer with the ask behind it (`records_of_coaching`)")

    def stream_slices(self, **kwargs: Any) -> Iterable[Mapping[str, Any] | None]:
        slices = list(super().stream_slices(**kwargs))
        self._periods = len(slices)
        return slices

    def managers(self) -> list[str]:
        """Who is asked: every user who is someone's `managerId` in the sync's one users lookup, in its order; with
        `user_ids`, only those users' managers."""
        users = self.users.required_for("The stream 'coaching'")
        wanted = set(self.config.user_ids)
        found: dict[str, None] = {}
        for user_id, user in users.items():
            manager_id = user.get("managerId")
            if manager_id not in (None, "") and (not wanted or user_id in wanted):
                found[str(manager_id)] = None
        return list(found)

    def _read_window(self, window: Mapping[str, str]) -> Generator[Any, None, requests.Response | None]:
        """The window's one period, asked of every workspace and manager; never Gong's 400 for a future day (the
        window is clamped to the company's today, which the zone tells)."""
        time_zone = self._company_zone(window)
        workspaces = self.sync.workspaces.required_for("The stream 'coaching'")
        managers = self.managers()
        if self._periods is not None:
            logger.info(coaching_cost(self.name, self.period, self._periods, len(workspaces), len(managers)))
            self._periods = None  # said once, before the first coaching call
        start, end = (dt.date.fromisoformat(window[key]) for key in ("from_date", "to_date"))
        bounds = (company_midnight(start, time_zone), company_midnight(end, time_zone))
        for workspace in workspaces:
            for manager_id in managers:
                ask = CoachingAsk(
                    str(workspace["id"]), manager_id, self.period, str(start), str(end), *bounds, time_zone
                )
                yield from self._emitted(checked(self._asked(ask), self.name, self.company_day))
        return None

    def _asked(self, ask: CoachingAsk) -> Iterable[dict[str, Any]]:
        if (ask.workspace_id, ask.manager_id) in self.refused:
            return []
        _, response = self._fetch_next_page({"ask": ask}, {}, None)
        if response.status_code == 400:
            self._skip(ask, response)
            return []
        return records_of_coaching(decoded_body(response), ask, self.users.get(), self.config.user_ids)

    def _skip(self, ask: CoachingAsk, response: requests.Response) -> None:
        """A manager Gong refuses (deactivated, say) is skipped for the rest of the sync, with one warning."""
        if not any(manager == ask.manager_id for _, manager in self.refused):
            user = self.users.get().get(ask.manager_id) or {}
            name = " ".join(filter(None, (user.get("firstName"), user.get("lastName")))) or "no name in Gong's list"
            logger.warning(
                f"Stream 'coaching' skips manager {ask.manager_id} ({name}): Gong refused to give their coaching "
                f"({gong_error_text(response)}). The other managers sync."
            )
        self.refused.add((ask.workspace_id, ask.manager_id))

    def _company_zone(self, window: Mapping[str, str]) -> str:
        """The company's zone, whose midnights bound each period: asked of Gong once a sync when no answer or state
        named it; a period asked by UTC's midnights would move hours of calls into the wrong period."""
        self.company_day.find_time_zone(self.config.start_date.isoformat(), window["to_date"])
        if self.company_day.time_zone is None:
            raise undatable_record(self.name, "no company midnight to ask from", self.company_day.unknown_because)
        return self.company_day.time_zone

    def check_access(self) -> None:
        """The workspaces, the users and one coaching call (a refused manager is no missing scope)."""
        workspaces = self.sync.workspaces.required_for("The stream 'coaching'")
        managers = self.managers()
        if not workspaces or not managers:
            return
        day = self.company_day.earliest()
        bounds = (f"{day - dt.timedelta(days=1)}T00:00:00Z", f"{day}T00:00:00Z")
        ask = CoachingAsk(str(workspaces[0]["id"]), managers[0], self.period, "", "", *bounds, "UTC")
        self._fetch_next_page({"ask": ask}, {}, None)
