"""The engine under every Gong stats stream: windows of whole periods, the company's day, pages, checkpoints."""

from __future__ import annotations

import dataclasses
import datetime as dt
from abc import abstractmethod
from collections.abc import Generator, Iterable, Iterator, Mapping, MutableMapping
from typing import Any

import requests
from airbyte_cdk.models import SyncMode
from airbyte_cdk.sources.streams import CheckpointMixin

from ..calendar.company_day import CompanyDay
from ..calendar.days import ZoneUnknown
from ..calendar.periods import SyncSpan
from ..gong.body import decoded_body
from ..gong.client import GongStream
from ..gong.errors import may_refuse_future_to_date, refused_request
from ..protocol.failures import malformed_response, undatable_record
from ..protocol.state import StatsState
from ..records.values import MalformedResponse
from .pages import pages_fetched_ahead
from .sync import Sync


@dataclasses.dataclass(frozen=True)
class Page:
    """One page of Gong's answer for the window [from_date, to_date) of company days, with what its records need."""

    body: Mapping[str, Any]
    from_date: str
    to_date: str
    users: Mapping[str, Mapping[str, Any]]  # Gong user id -> Gong's user, from the sync's one users lookup
    time_zone: str | None  # the company's


class StatsStream(GongStream, CheckpointMixin):
    """A Gong stats endpoint read in windows of whole periods, with a STATE after every window.

    A subclass declares: `name` (which names its schema file), `path`, `period`, `request_fields` (body fields
    besides the filter) and `map_page` (a pure mapper from `records/`); optionally `periods_per_window`,
    `request_filter` (an endpoint whose filter is not Gong's fromDate/toDate/userIds), `cursor_field`, `pages_over`,
    `records_left_out` with `fills_gaps`, and `load_lookups` with `lookup_calls` (what the cost line counts).
    """

    primary_key = "id"
    cursor_field = "start_time"
    pages_over = "users"  # what a page of this endpoint's answer holds, up to 100 of them: the cost line says it
    fills_gaps = False  # whether the stream adds records for what Gong left out of a window (`records_left_out`)
    lookup_calls = 0  # calls once per sync for a lookup of this stream's own (`load_lookups`), besides the users list

    def __init__(self, sync: Sync):
        super().__init__(sync.config, sync.authenticator, sync.budget)
        self.sync = sync
        self.users, self.company_day = sync.users, sync.company_day
        self._saved = StatsState()
        self.span = SyncSpan(self.config.start_date, self.config.end_date, self.period, self.config.lookback_days)

    # -- the declaration ------------------------------------------------------------------------------------------

    @property
    @abstractmethod
    def period(self) -> str:
        """`day` ... `year`, or `total`."""

    @property
    def periods_per_window(self) -> int:
        return self.config.periods_per_window

    def request_fields(self) -> dict[str, Any]:
        """Body fields besides `filter` and `cursor`."""
        return {}

    def request_filter(self, from_date: str, to_date: str) -> dict[str, Any]:
        """The body's `filter` for the window [from_date, to_date) of company days; the same for every page of it."""
        return gong_filter(from_date, to_date, self.config.user_ids)

    @abstractmethod
    def map_page(self, page: Page) -> Iterator[dict[str, Any]]:
        """The records of one page of Gong's answer."""

    def records_left_out(self, from_date: str, to_date: str, seen: set[str]) -> Iterable[dict[str, Any]]:
        """With `fills_gaps`, the records for what Gong left out of the window, given the ids of those it sent."""
        return ()

    def check_access(self) -> None:
        """One small call for the day before the earliest possible today; raises the error handler's clear error."""
        day = self.company_day.earliest()
        self._fetch_next_page({"from_date": str(day - dt.timedelta(days=1)), "to_date": str(day)}, {}, None)

    # -- state and requests ---------------------------------------------------------------------------------------

    @property
    def state(self) -> MutableMapping[str, Any]:
        return self._saved.with_time_zone(self.company_day.time_zone).as_message()

    @state.setter
    def state(self, value: MutableMapping[str, Any]) -> None:
        self._saved = StatsState.parse(value, self.name)
        self.company_day.learn(self._saved.company_time_zone)

    # The CDK calls HttpStream's request hooks with keywords only; the overrides name just the ones they use.
    def request_body_json(  # type: ignore[override]
        self, stream_slice: Mapping[str, Any] | None = None, next_page_token: Mapping[str, Any] | None = None, **_: Any
    ) -> Mapping[str, Any]:
        assert stream_slice is not None
        body = {"filter": self.request_filter(stream_slice["from_date"], stream_slice["to_date"])}
        return self.with_cursor({**body, **self.request_fields()}, next_page_token)

    def stream_slices(self, **kwargs: Any) -> Iterable[Mapping[str, Any] | None]:
        """Windows of whole periods up to the latest day that can be "today" for the company; each window's end is
        clamped to the company's day when it is read (`read_records`), which may be known only from Gong's answers."""
        today = self.company_day.latest()
        first = self.span.first_day(self._saved.start, today)
        if self._saved.start is not None and self._saved.start > first:
            self._saved = self._saved.moved_to(first)  # a state from the future is pulled back, not kept
        for from_date, to_date in self.span.windows(first, today, self.periods_per_window):
            yield {"from_date": from_date.isoformat(), "to_date": to_date.isoformat()}

    # -- the read loop --------------------------------------------------------------------------------------------

    def read_records(
        self,
        sync_mode: SyncMode,
        cursor_field: list[str] | None = None,
        stream_slice: Mapping[str, Any] | None = None,
        stream_state: Mapping[str, Any] | None = None,
    ) -> Iterable[Any]:
        assert stream_slice is not None
        from_date = dt.date.fromisoformat(stream_slice["from_date"])
        to_date = self.company_day.clamp(from_date, dt.date.fromisoformat(stream_slice["to_date"]))
        while to_date is not None:
            window = {"from_date": from_date.isoformat(), "to_date": to_date.isoformat()}
            refusal = yield from self._read_window(window)
            if refusal is None:
                self._checkpoint_after(to_date)
                return
            # Gong answers 400 for a toDate in the company's future, and for other reasons: asked of the dates alone,
            # it says which. The future moves the company's day, and the window is read again up to it.
            if not self.company_day.confirms_future(to_date):
                raise refused_request(refusal, self.filter_fields, window["to_date"])
            to_date = self.company_day.clamp(from_date, to_date)

    def _read_window(self, window: Mapping[str, str]) -> Generator[Any, None, requests.Response | None]:
        """Yields the window's records; returns Gong's 400 if Gong refused a toDate that may be the company's future."""
        seen: set[str] | None = set() if self.fills_gaps else None  # the ids Gong sent, for `records_left_out`
        for response in pages_fetched_ahead(self, window, lambda page: self._learn_zone_and_load_users(page, window)):
            if may_refuse_future_to_date(response):
                return response
            if response.status_code != 200:
                continue  # Gong's 404 for a quiet window: no records
            records = self.parse_response(response, stream_slice=window)
            yield from self._emitted(records if seen is None else noting_ids(records, seen))
        if seen is not None:
            left_out = self.records_left_out(window["from_date"], window["to_date"], seen)
            yield from self._emitted(checked(left_out, self.name, self.company_day))
        return None

    def _emitted(self, records: Iterable[Mapping[str, Any]]) -> Iterable[Any]:
        return self.sync.record_sink(self.name, records) if self.sync.record_sink else records

    def _learn_zone_and_load_users(self, page: requests.Response, window: Mapping[str, str]) -> None:
        """What a page's records need and the page may not say: the company's zone (only some of Gong's answers name
        it; else one call per sync asks for it) and the sync's lookups."""
        if not self.company_day.learn(decoded_body(page).get("timeZone")):
            self.company_day.find_time_zone(window["from_date"], window["to_date"])
        self.load_lookups()

    def load_lookups(self) -> None:
        """The sync's once-made lookups the records need (users), made between pages: never beside the fetcher."""
        self.users.get()

    def parse_response(
        self, response: requests.Response, stream_slice: Mapping[str, Any] | None = None, **_: Any
    ) -> Iterable[Mapping[str, Any]]:
        assert stream_slice is not None
        time_zone = self.company_day.time_zone
        page = Page(
            decoded_body(response), stream_slice["from_date"], stream_slice["to_date"], self.users.get(), time_zone
        )
        return checked(self.map_page(page), self.name, self.company_day)

    def _checkpoint_after(self, to_date: dt.date) -> None:
        """State after a window: its end, but never past the first period that may still change."""
        self._saved = self._saved.moved_to(min(to_date, self.span.resume_point(self.company_day.best_known())))


def checked(records: Iterable[dict[str, Any]], stream: str, company_day: CompanyDay) -> Iterator[dict[str, Any]]:
    """The records, until one cannot be made right: then the stream stops in words, before writing it."""
    try:
        yield from records
    except MalformedResponse as error:
        raise malformed_response(stream, str(error)) from None
    except ZoneUnknown as error:
        raise undatable_record(stream, str(error), company_day.unknown_because) from None


def noting_ids(records: Iterable[Mapping[str, Any]], seen: set[str]) -> Iterator[Mapping[str, Any]]:
    for record in records:
        seen.add(record["id"])
        yield record


def gong_filter(from_date: str, to_date: str, user_ids: Iterable[str]) -> dict[str, Any]:
    """The stats endpoints' filter: the window [fromDate, toDate) of company days, and `userIds` when given."""
    result: dict[str, Any] = {"fromDate": from_date, "toDate": to_date}
    if user_ids:
        result["userIds"] = list(user_ids)
    return result
