"""The engine under every Gong stats stream: windows of whole periods, the company's day, pages, checkpoints."""

from __future__ import annotations

import datetime as dt
from abc import abstractmethod
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, MutableMapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import requests
from airbyte_cdk.models import FailureType, SyncMode
from airbyte_cdk.sources.streams import CheckpointMixin
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from .client import GongStream
from .company_day import CompanyDay, refuses_future_to_date
from .errors import decoded_body
from .mapping import MalformedResponse
from .periods import first_day_to_read, resume_point, windows
from .state import StatsState
from .users import UserDirectory

DAILY_QUOTA = 10_000  # Gong's default: calls a day per company
PAGE_SIZE = 100  # Gong's page size for the stats endpoints: 100 users, or 100 answered scorecards

# What the source does with a window's records on their way out (the command line batches them); None: nothing.
RecordSink = Callable[[str, Iterable[Mapping[str, Any]]], Iterable[Any]]


class StatsStream(GongStream, CheckpointMixin):
    """A Gong stats endpoint read in windows of whole periods, with a STATE after every window.

    A subclass declares: `name` (which names its schema file), `path`, `period`, `request_fields` (body fields
    besides the filter) and `map_page` (the pure mapping of one page); optionally `periods_per_window`,
    `request_filter` (an endpoint whose filter is not Gong's fromDate/toDate/userIds), `cursor_field` and `pages_over`.
    """

    primary_key = "id"
    cursor_field = "start_time"
    pages_over = "users"  # what a page of this endpoint's answer holds, up to 100 of them: the cost line says it

    def __init__(
        self,
        *args: Any,
        users: UserDirectory,
        company_day: CompanyDay,
        record_sink: RecordSink | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.users = users
        self.company_day = company_day
        self._record_sink = record_sink
        self._saved = StatsState()

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
    def map_page(
        self,
        body: Mapping[str, Any],
        from_date: str,
        to_date: str,
        users: Mapping[str, Mapping[str, Any]],
        time_zone: str | None,
    ) -> Iterator[dict[str, Any]]:
        """The records of one page of Gong's answer for the window [from_date, to_date) of a company in `time_zone`."""

    @property
    def fills_gaps(self) -> bool:
        """Whether the stream adds records for what Gong left out of a window (see `records_left_out`)."""
        return False

    def records_left_out(self, from_date: str, to_date: str, seen: set[str]) -> Iterable[dict[str, Any]]:
        """With `fills_gaps`, the records for what Gong left out of the window, given the ids of those it sent."""
        return ()

    def check_access(self) -> None:
        """One small call for the day before the earliest possible today; raises the error handler's clear error."""
        day = self.company_day.earliest()
        self._fetch_next_page({"from_date": str(day - dt.timedelta(days=1)), "to_date": str(day)}, {}, None)

    # -- state ----------------------------------------------------------------------------------------------------

    @property
    def state(self) -> MutableMapping[str, Any]:
        return self._saved.with_time_zone(self.company_day.time_zone).as_message()

    @state.setter
    def state(self, value: MutableMapping[str, Any]) -> None:
        self._saved = StatsState.parse(value, self.name)
        self.company_day.learn(self._saved.company_time_zone)

    # -- requests -------------------------------------------------------------------------------------------------

    # The CDK calls HttpStream's request hooks with keywords only; the overrides name just the ones they use.
    def request_body_json(  # type: ignore[override]
        self,
        stream_slice: Mapping[str, Any] | None = None,
        next_page_token: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> Mapping[str, Any]:
        assert stream_slice is not None
        body = {"filter": self.request_filter(stream_slice["from_date"], stream_slice["to_date"])}
        return self.with_cursor({**body, **self.request_fields()}, next_page_token)

    def stream_slices(self, **kwargs: Any) -> Iterable[Mapping[str, Any] | None]:
        """Windows of whole periods up to the latest day that can be "today" for the company.

        The company's day may be known only from Gong's answers, so each window's end is clamped to it when the
        window is read (see `read_records`); a window entirely in the company's future is then skipped.
        """
        today = self.company_day.latest()
        first = first_day_to_read(self.config.start_date, self._saved.start, self._resume_point(today), self.period)
        if self._saved.start is not None and self._saved.start > first:
            self._saved = self._saved.moved_to(first)  # a state from the future is pulled back, not kept
        for from_date, to_date in windows(first, self._end_bound(today), self.period, self.periods_per_window):
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
            if (yield from self._read_window(window)):
                self._checkpoint_after(to_date)
                return
            # Gong refused toDate as the future: it knows the company's day better than our guess. Read again.
            self.company_day.refused(to_date)
            to_date = self.company_day.clamp(from_date, to_date)

    def _read_window(self, window: Mapping[str, str]) -> Generator[Any, None, bool]:
        """Yields the window's records; returns False if Gong refused its toDate as the company's future."""
        # The ids Gong sent, when the stream adds records for what Gong left out (`records_left_out`).
        seen: set[str] | None = set() if self.fills_gaps else None
        for response in pages_fetched_ahead(self, window, lambda page: self._before_mapping(page, window)):
            if refuses_future_to_date(response):
                return False
            if response.status_code != 200:
                continue  # Gong's 404 for a quiet window: no records
            records = self.parse_response(response, stream_slice=window)
            if seen is not None:
                records = noting_ids(records, seen)
            yield from self._emitted(records)
        if seen is not None:
            yield from self._emitted(self.records_left_out(window["from_date"], window["to_date"], seen))
        return True

    def _emitted(self, records: Iterable[Mapping[str, Any]]) -> Iterable[Any]:
        return self._record_sink(self.name, records) if self._record_sink else records

    def _before_mapping(self, page: requests.Response, window: Mapping[str, str]) -> None:
        """What a page's records need and the page may not say: the company's zone (only some of Gong's answers name
        it; else one call per sync asks for it) and the users' names (one lookup per sync)."""
        if not self.company_day.learn(decoded_body(page).get("timeZone")):
            self.company_day.find_time_zone(window["from_date"], window["to_date"])
        self.users.get()

    def parse_response(
        self, response: requests.Response, stream_slice: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> Iterable[Mapping[str, Any]]:
        assert stream_slice is not None
        try:
            yield from self.map_page(
                decoded_body(response),
                stream_slice["from_date"],
                stream_slice["to_date"],
                self.users.get(),
                self.company_day.time_zone,
            )
        except MalformedResponse as error:
            raise malformed(self.name, str(error)) from None

    # -- checkpoints ----------------------------------------------------------------------------------------------

    def _checkpoint_after(self, to_date: dt.date) -> None:
        """State after a window: its end, but never past the first period that may still change."""
        resume = self._resume_point(self.company_day.best_known())
        self._saved = self._saved.moved_to(min(to_date, resume))

    def _resume_point(self, today: dt.date) -> dt.date:
        end = self._end_bound(today)
        return resume_point(self.config.start_date, end, today, self.period, self.config.lookback_days)

    def _end_bound(self, today: dt.date) -> dt.date:
        return min(self.config.end_date, today) if self.config.end_date else today


def pages_fetched_ahead(
    stream: GongStream, window: Mapping[str, Any], before_mapping: Callable[[requests.Response], object]
) -> Iterator[requests.Response]:
    """The window's pages, the next one fetched while the current one is mapped and emitted.

    A sync spends much of its time waiting on Gong; one background fetcher overlaps that wait with our work, while
    still sending one request at a time, so a Retry-After is honoured by every call. The CDK's HTTP client is not
    thread-safe: only the fetcher thread uses the stream's. `before_mapping` runs once a page has come with status
    200, before the next is asked for, so that its own calls (the once-per-sync users lookup and zone question) never
    overlap the fetcher's.
    """
    fetcher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gong-page-fetcher")
    try:
        pending: Future | None = fetcher.submit(stream._fetch_next_page, window, {}, None)
        while pending is not None:
            _, response = pending.result()
            if response.status_code == 200:
                before_mapping(response)
            token = stream.next_page_token(response)
            pending = fetcher.submit(stream._fetch_next_page, window, {}, token) if token else None
            yield response
    finally:
        fetcher.shutdown(wait=False, cancel_futures=True)


def noting_ids(records: Iterable[Mapping[str, Any]], seen: set[str]) -> Iterator[Mapping[str, Any]]:
    for record in records:
        seen.add(record["id"])
        yield record


def planned_calls(stream: StatsStream) -> str:
    """What a sync of `stream` will ask of Gong: one call series per window, one call per page of up to 100 users
    (or of whatever else the endpoint pages over)."""
    series = sum(1 for _ in stream.stream_slices())
    plan = f"Stream '{stream.name}' plans {series:,} window(s) of {stream.period} data"
    if stream.pages_over != "users":
        # Nothing in the config bounds how many there are: the plan names the rate and the least it costs.
        return (
            f"{plan}: one call for every {PAGE_SIZE} {stream.pages_over} in a window, at least one a window (Gong "
            f"pages over {stream.pages_over}, not users): at least {series:,} calls, {series / DAILY_QUOTA:.2%} of "
            f"Gong's {DAILY_QUOTA:,} calls a day."
        )
    if stream.config.user_ids:
        calls = series * -(-len(stream.config.user_ids) // PAGE_SIZE)
        return f"{plan}: {calls:,} calls, {calls / DAILY_QUOTA:.1%} of Gong's {DAILY_QUOTA:,} calls a day."
    return (
        f"{plan}: {series:,} calls for every {PAGE_SIZE} users, {series / DAILY_QUOTA:.2%} of Gong's "
        f"{DAILY_QUOTA:,} calls a day per {PAGE_SIZE} users."
    )


def gong_filter(from_date: str, to_date: str, user_ids: Iterable[str]) -> dict[str, Any]:
    result: dict[str, Any] = {"fromDate": from_date, "toDate": to_date}
    if user_ids:
        result["userIds"] = list(user_ids)
    return result


def malformed(stream: str, detail: str) -> AirbyteTracedException:
    message = f"Gong's response could not be read as {stream} records: {detail}."
    return AirbyteTracedException(message=message, internal_message=message, failure_type=FailureType.system_error)
