"""The request pipeline: control endpoints, the OAuth token endpoint, and /v2 behind limits, faults and auth."""

from __future__ import annotations

import dataclasses
import sys
import time
import traceback
from collections.abc import Callable

from .api import GongApi
from .auth import Credentials
from .coaching_api import COACHING_TRUTHS, CoachingEndpoints
from .config import EmulatorConfig
from .cursors import CursorCodec
from .dataset import Dataset
from .filters import scorecard_filter
from .messages import ApiError, ApiRequest, ApiResponse, error_response, json_response
from .periods import AGGREGATION_PERIODS, parse_day
from .traffic import DROP, FAIL, TRUNCATE, Stats, Traffic

TOKEN_PATH = "/oauth2/generate-customer-token"
CONTROL_PREFIX = "/_emulator/"


class EmulatorApp:
    """Turns an ApiRequest into an ApiResponse, or None when the connection should drop without answering."""

    def __init__(
        self, config: EmulatorConfig, dataset: Dataset | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.config = config
        self.dataset = dataset or Dataset.from_flags(dataclasses.asdict(config))
        self.stats = Stats()
        self.base_url = ""  # set by the server once the port is bound
        self._traffic = Traffic(config, self.stats, clock)
        self._credentials = Credentials(config, clock)
        self._api = GongApi(self.dataset, config, CursorCodec())
        self._coaching = CoachingEndpoints(self.dataset, config.extra_coaching_metric)
        self._api.add_routes(self._coaching.routes())

    @property
    def regional_url(self) -> str:
        if not self.config.regional_host:
            return self.base_url
        return f"http://{self.config.regional_host}:{self.base_url.rsplit(':', 1)[1]}"

    def dispatch(self, request: ApiRequest) -> ApiResponse | None:
        if request.path.startswith(CONTROL_PREFIX):
            return self._guard(lambda: self._control(request))
        self.stats.started()
        outcome = "dropped"
        try:
            if self.config.latency_ms:
                time.sleep(self.config.latency_ms / 1000)
            response = self._guard(lambda: self._public(request))
            if response is not None:
                outcome = str(response.status)
            return response
        finally:
            self.stats.finished(f"{request.method} {request.path}", outcome)

    @staticmethod
    def _guard(handler) -> ApiResponse | None:
        try:
            return handler()
        except ApiError as error:
            return error.response()
        except Exception:  # an emulator bug: answer like Gong's 500 rather than hang up, and show why
            traceback.print_exc(file=sys.stderr)
            return error_response(500, "Failed to complete the operation due to an unexpected error")

    def _public(self, request: ApiRequest) -> ApiResponse | None:
        if request.path == TOKEN_PATH:
            return self._credentials.refresh(request, self.regional_url)
        if not request.path.startswith("/v2/"):
            raise ApiError(404, f"Not found: {request.path}")
        sequence, fault = self._traffic.arrive()
        if fault == DROP:
            return None
        self._traffic.enforce_limits(sequence)
        if fault == FAIL or request.path == self.config.fail_path:
            self._fail()
        # Credentials are checked before anything about the request itself, with the endpoint's "Access denied".
        if not self._credentials.is_authorized(request.header("Authorization")):
            raise ApiError(self._api.denied_status(request.path), "Access denied: invalid or missing credentials")
        self._check_regional_host(request)
        response = self._api.handle(request)
        if fault == TRUNCATE and response.status == 200:
            response.body = response.body[: len(response.body) // 2]
        return response

    def _fail(self) -> None:
        status = self.config.fail_status
        if status == 429:
            self._traffic.refuse(1, "API request limit exceeded (injected fault)")
        raise ApiError(status, "An unexpected error occurred (injected fault)")

    def _check_regional_host(self, request: ApiRequest) -> None:
        # A tenant outside the default region must be called on api_base_url_for_customer's host.
        expected = self.config.regional_host
        if not expected:
            return
        host = (request.header("Host") or "").strip().lower()
        hostname = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if hostname != expected.lower():
            raise ApiError(
                self._api.denied_status(request.path),
                f"Access denied: this company is served by another region's host: call {self.regional_url}",
            )

    def _control(self, request: ApiRequest) -> ApiResponse:
        action = (request.method, request.path[len(CONTROL_PREFIX) :])
        if action == ("GET", "stats"):
            return json_response(200, self.stats.snapshot())
        if action == ("POST", "reset-stats"):
            self.stats.reset()
            return json_response(200, self.stats.snapshot())
        if action == ("GET", "config"):
            return json_response(200, self._settings())
        if action == ("POST", "advance"):
            # Late counts arrive: the recent days' counters grow by one (see growth.py).
            return json_response(200, {"generation": self.dataset.advance(), **self._recent_days()})
        if action == ("GET", "truth"):
            return json_response(200, self._truth(request))
        return error_response(404, f"Not found: {request.path}")

    def _settings(self) -> dict:
        return {
            **self.config.to_json(),
            "base_url": self.base_url,
            "regional_url": self.regional_url,
            "company_today": self.dataset.today().isoformat(),
            "generation": self.dataset.generation,
            **self._recent_days(),
        }

    def _recent_days(self) -> dict:
        grown = self.dataset.grown_days()
        if grown is None:
            return {"grown_days": None}
        return {"grown_days": {"fromDate": grown[0].isoformat(), "toDate": grown[1].isoformat()}}

    def _truth(self, request: ApiRequest) -> list[dict] | dict[str, list[dict]]:
        if request.query_value("endpoint") == "scorecards":
            return self._scorecards_truth(request)
        if request.query_value("endpoint") == "scorecard-settings":
            return self.dataset.scorecard_settings()
        if request.query_value("endpoint") in COACHING_TRUTHS:
            return self._coaching.truth(request)
        from_date = parse_day(request.query_value("fromDate"))
        to_date = parse_day(request.query_value("toDate"))
        period = request.query_value("period") or None
        if from_date is None or to_date is None or from_date >= to_date:
            raise ApiError(400, "truth needs fromDate < toDate, both YYYY-MM-DD")
        if period is not None and period not in AGGREGATION_PERIODS:
            raise ApiError(400, f"period must be one of {', '.join(AGGREGATION_PERIODS)}")
        raw_ids = request.query_value("userIds")
        user_ids = raw_ids.split(",") if raw_ids else None
        endpoint = request.query_value("endpoint")
        if endpoint == "day-by-day":
            return self.dataset.expected_day_by_day(from_date, to_date, user_ids)
        if endpoint == "interaction":
            return self.dataset.expected_interaction(from_date, to_date, user_ids, self.config.extra_interaction_stat)
        if endpoint is not None:
            raise ApiError(
                400,
                "endpoint must be day-by-day, interaction, scorecards, scorecard-settings, workspaces or coaching"
                " (omit it for the aggregates)",
            )
        records = self.dataset.expected(from_date, to_date, period, user_ids)
        for record in records:
            record["fromDate"], record["toDate"] = record["fromDate"].isoformat(), record["toDate"].isoformat()
        return records

    def _scorecards_truth(self, request: ApiRequest) -> list[dict]:
        """The answered scorecards for the endpoint's filter given as query parameters (ids comma-separated)."""
        names = ("reviewFromDate", "reviewToDate", "callFromDate", "callToDate")
        raw: dict = {name: request.query_value(name) for name in names if request.query_value(name)}
        for name in ("reviewedUserIds", "scorecardIds"):
            if request.query_value(name):
                raw[name] = request.query_value(name).split(",")
        wanted = scorecard_filter({"filter": raw}, self.dataset.today(), self.dataset.timezone)
        return self.dataset.answered_scorecards(wanted)
