"""The `activity` stream (one record per user per period) and the users lookup that names its users."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pendulum
import requests
from airbyte_cdk.models import FailureType, SyncMode
from airbyte_cdk.sources.streams import CheckpointMixin
from airbyte_cdk.sources.streams.core import StreamData
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from .client import GongStream, asks_beyond_company_today, response_json
from .mapping import MalformedResponse, records_by_period, records_of_total
from .output import record_batches
from .periods import GONG_PERIOD, first_day_to_read, possible_company_days, resume_point, windows
from .state import ActivityState

logger = logging.getLogger("airbyte")


class ToDateBeyondCompanyToday(Exception):
    """Gong rejected a `toDate` that is already "tomorrow" in the company's time zone."""


class UsersStream(GongStream):
    """Gong's users (names and email aliases), all of them or only `user_ids`; read once per sync."""

    name = "users"
    primary_key = "id"
    # A key without the users scope (403) can still sync activity: this lookup is optional.
    ignore_forbidden = True

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.forbidden = False

    # HttpStream's http_method is a class attribute; the users lookup's depends on the config, hence a property.
    @property
    def http_method(self) -> str:  # type: ignore[override]
        return "POST" if self.config.user_ids else "GET"

    def path(self, **kwargs: Any) -> str:
        return "v2/users/extensive" if self.config.user_ids else "v2/users"

    # The CDK calls HttpStream's request hooks with keywords only; the overrides name just the ones they use.
    def request_params(  # type: ignore[override]
        self, next_page_token: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> MutableMapping[str, Any]:
        return dict(next_page_token or {}) if not self.config.user_ids else {}

    def request_body_json(  # type: ignore[override]
        self, next_page_token: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> Mapping[str, Any] | None:
        if not self.config.user_ids:
            return None
        return self.with_cursor({"filter": {"userIds": list(self.config.user_ids)}}, next_page_token)

    def read_records(self, *args: Any, **kwargs: Any) -> Iterable[StreamData]:
        # Overriding read_records keeps the CDK from making this a resumable full refresh, which reads one page
        # per call: the lookup wants every page at once.
        yield from super().read_records(*args, **kwargs)

    def parse_response(self, response: requests.Response, **kwargs: Any) -> Iterable[Mapping[str, Any]]:
        if response.status_code == 403:
            self.forbidden = True
            return []
        if response.status_code != 200:
            return []
        users = response_json(response).get("users")
        if not isinstance(users, list):
            raise _malformed("users", "the users response has no list 'users'")
        return users


class UserDirectory:
    """Gong user id -> Gong user, fetched lazily once per sync; empty (with one warning) without the users scope."""

    def __init__(self, users_stream: UsersStream):
        self._stream = users_stream
        self._users: dict[str, Mapping[str, Any]] | None = None

    def get(self) -> Mapping[str, Mapping[str, Any]]:
        if self._users is None:
            users = self._stream.read_records(sync_mode=SyncMode.full_refresh)
            self._users = {str(user.get("id")): user for user in users if isinstance(user, Mapping)}
            if self._stream.forbidden:
                logger.warning(
                    "The Gong credentials lack the api:users:read scope, so user names and email aliases are not "
                    "synced: records carry the email address from the activity statistics and a null name."
                )
        return self._users


class ActivityStream(GongStream, CheckpointMixin):
    """Gong's per-user activity counters as unified `activity` records, read in windows of whole periods."""

    name = "activity"
    primary_key = "id"
    cursor_field = "start_time"

    def __init__(self, *args: Any, users: UserDirectory, batch_records: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._users = users
        self._batch_records = batch_records
        self._saved = ActivityState()
        self._company_today: dt.date | None = None

    @property
    def state(self) -> MutableMapping[str, Any]:
        return self._saved.as_message()

    @state.setter
    def state(self, value: MutableMapping[str, Any]) -> None:
        self._saved = ActivityState.parse(value)

    @property
    def period(self) -> str:
        return self.config.aggregation_period

    def path(self, **kwargs: Any) -> str:
        return "v2/stats/activity/aggregate" if self.period == "total" else "v2/stats/activity/aggregate-by-period"

    # Keywords only, as above; and the CDK passes each slice of stream_slices(), never None (the `index` ignores).
    def request_body_json(  # type: ignore[override]
        self,
        stream_slice: Mapping[str, Any] | None = None,
        next_page_token: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> Mapping[str, Any]:
        body: dict[str, Any] = {
            "filter": activity_filter(
                stream_slice["from_date"],  # type: ignore[index]
                stream_slice["to_date"],  # type: ignore[index]
                self.config.user_ids,
            )
        }
        if self.period != "total":
            body["aggregationPeriod"] = GONG_PERIOD[self.period]
        return self.with_cursor(body, next_page_token)

    def stream_slices(
        self, stream_state: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> Iterable[Mapping[str, Any] | None]:
        """Windows of whole periods up to the latest day that can be "today" for the company.

        The company's current day is only known from Gong's answers, so each window's end is clamped to it when the
        window is read (see `read_records`); a window entirely in the company's future is then skipped.
        """
        today = self._latest_possible_today()
        end = self._end_bound(today)
        resume = resume_point(self.config.start_date, end, today, self.period, self.config.lookback_days)
        first = first_day_to_read(self.config.start_date, self._saved.start, resume, self.period)
        if self._saved.start is not None and self._saved.start > first:
            self._saved = self._saved.moved_to(first)  # a state from the future is pulled back, not kept
        for from_date, to_date in windows(first, end, self.period, self.config.periods_per_window):
            yield {"from_date": from_date.isoformat(), "to_date": to_date.isoformat()}

    def read_records(
        self,
        sync_mode: SyncMode,
        cursor_field: list[str] | None = None,
        stream_slice: Mapping[str, Any] | None = None,
        stream_state: Mapping[str, Any] | None = None,
    ) -> Iterable[StreamData]:
        while True:
            window = self._clamped_to_company_today(stream_slice)  # type: ignore[arg-type]
            if window is None:
                return
            try:
                for response in self._pages(window):
                    records = self.parse_response(response, stream_slice=window)
                    yield from record_batches(self.name, records) if self._batch_records else records
            except ToDateBeyondCompanyToday:
                # Gong knows the company's day better than our guess: that toDate is its "tomorrow".
                self._company_today = dt.date.fromisoformat(window["to_date"]) - dt.timedelta(days=1)
                continue
            self._checkpoint_after(window)
            return

    def _pages(self, window: Mapping[str, Any]) -> Iterator[requests.Response]:
        """The window's pages, the next one fetched while the current one is mapped and emitted.

        A sync spends much of its time waiting on Gong; one background fetcher overlaps that wait with our work,
        while still sending one request at a time, so a Retry-After is honoured by every call. The CDK's HTTP
        client is not thread-safe: only the fetcher thread uses this stream's.
        """
        fetcher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gong-page-fetcher")
        try:
            pending: Future | None = fetcher.submit(self._fetch_next_page, window, {}, None)
            while pending is not None:
                _, response = pending.result()
                if response.status_code == 200:
                    self._users.get()  # the once-per-sync users lookup, before the next page is asked for
                token = self.next_page_token(response)
                pending = fetcher.submit(self._fetch_next_page, window, {}, token) if token else None
                yield response
        finally:
            fetcher.shutdown(wait=False, cancel_futures=True)

    def parse_response(
        self, response: requests.Response, stream_slice: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> Iterable[Mapping[str, Any]]:
        if response.status_code != 200:
            if asks_beyond_company_today(response):
                raise ToDateBeyondCompanyToday()
            return  # Gong's 404 for a quiet window: no records
        body = response_json(response)
        self._learn_time_zone(body)
        try:
            if self.period == "total":
                yield from records_of_total(
                    body,
                    stream_slice["from_date"],  # type: ignore[index]
                    stream_slice["to_date"],  # type: ignore[index]
                    self._users.get(),
                )
            else:
                yield from records_by_period(body, self.period, self._users.get())
        except MalformedResponse as error:
            raise _malformed(self.name, str(error)) from None

    def _checkpoint_after(self, window: Mapping[str, Any]) -> None:
        """State after a window: its end, but never past the first period that may still change."""
        # Before Gong has told the company's day, the earliest possible one errs on the side of reading again.
        today = self._company_today or next(possible_company_days(_utc_now()))
        resume = resume_point(
            self.config.start_date, self._end_bound(today), today, self.period, self.config.lookback_days
        )
        self._saved = self._saved.moved_to(min(dt.date.fromisoformat(window["to_date"]), resume))

    def _clamped_to_company_today(self, stream_slice: Mapping[str, Any]) -> dict[str, str] | None:
        from_date = dt.date.fromisoformat(stream_slice["from_date"])
        to_date = dt.date.fromisoformat(stream_slice["to_date"])
        earliest_today = next(possible_company_days(_utc_now()))
        if to_date > earliest_today:
            to_date = min(to_date, self._today())
        return {"from_date": from_date.isoformat(), "to_date": to_date.isoformat()} if from_date < to_date else None

    def _today(self) -> dt.date:
        if self._company_today is None:
            if self._saved.company_time_zone:
                self._company_today = pendulum.now(self._saved.company_time_zone).date()
            else:
                self._company_today = self._probe_company_today()
        return self._company_today

    def check_access(self) -> None:
        """One small authenticated call; raises the error handler's clear AirbyteTracedException on 401/403."""
        self._ask_for_day_before(next(possible_company_days(_utc_now())))

    def _ask_for_day_before(self, day: dt.date) -> requests.Response:
        _, response = self._http_client.send_request(
            "POST",
            self.url_base + "v2/stats/activity/aggregate",
            request_kwargs=self.request_kwargs(),
            json={
                "filter": activity_filter(
                    (day - dt.timedelta(days=1)).isoformat(), day.isoformat(), self.config.user_ids
                )
            },
        )
        return response

    def _probe_company_today(self) -> dt.date:
        """Asks Gong for the day before each possible "today" until one is refused as the future (at most 3 calls)."""
        today = None
        for day in possible_company_days(_utc_now()):
            response = self._ask_for_day_before(day)
            if response.status_code == 400:
                break
            today = day
            if response.status_code == 200 and self._learn_time_zone(response_json(response)):
                return pendulum.now(self._saved.company_time_zone).date()
        return today or next(possible_company_days(_utc_now()))

    def _learn_time_zone(self, body: Mapping[str, Any]) -> bool:
        time_zone = body.get("timeZone")
        if not time_zone or time_zone == self._saved.company_time_zone:
            return bool(time_zone)
        try:
            pendulum.timezone(time_zone)
        except Exception:  # an unknown zone name is Gong's to fix; we fall back to probing
            logger.warning(f"Gong reported an unknown company time zone {time_zone!r}.")
            return False
        self._saved = self._saved.with_time_zone(time_zone)
        self._company_today = pendulum.now(time_zone).date()
        return True

    def _latest_possible_today(self) -> dt.date:
        if self._saved.company_time_zone:
            return self._today()
        return list(possible_company_days(_utc_now()))[-1]

    def _end_bound(self, today: dt.date) -> dt.date:
        return min(self.config.end_date, today) if self.config.end_date else today


def activity_filter(from_date: str, to_date: str, user_ids: Iterable[str]) -> dict[str, Any]:
    gong_filter: dict[str, Any] = {"fromDate": from_date, "toDate": to_date}
    if user_ids:
        gong_filter["userIds"] = list(user_ids)
    return gong_filter


def _malformed(stream: str, detail: str) -> AirbyteTracedException:
    message = f"Gong's response could not be read as {stream} records: {detail}."
    return AirbyteTracedException(message=message, internal_message=message, failure_type=FailureType.system_error)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
