"""Everything about talking to Gong's API: host, authentication, call budget, error table, backoff and paging."""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
from abc import ABC
from collections.abc import Mapping, MutableMapping
from typing import Any
from urllib.parse import urlparse

import orjson
import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.streams.call_rate import HttpAPIBudget, MovingWindowCallRatePolicy, Rate
from airbyte_cdk.sources.streams.http import HttpStream
from airbyte_cdk.sources.streams.http.error_handlers import (
    BackoffStrategy,
    ErrorResolution,
    HttpStatusErrorHandler,
    ResponseAction,
)
from airbyte_cdk.sources.streams.http.requests_native_auth import (
    BasicHttpAuthenticator,
    SingleUseRefreshTokenOauth2Authenticator,
    TokenAuthenticator,
)
from airbyte_cdk.utils.airbyte_secrets_utils import add_to_secrets
from airbyte_cdk.utils.traced_exception import AirbyteTracedException
from requests.auth import AuthBase

from .config import AccessKey, GongConfig, is_loopback
from .periods import possible_company_days

REQUEST_TIMEOUT = (15, 180)  # seconds to connect, seconds to read a (possibly large) page
MAX_BACKOFF_SECONDS = 60
BUDGET_MARGIN_SECONDS = 0.025
# Gong answers 404 with this kind of message for a filter that matches nobody: an empty result, not an error.
EMPTY_RESULT_MARKERS = ("no users found", "no records found", "no data found", "not found corresponding")


def response_json(response: requests.Response) -> Any:
    """The decoded body, decoded once per response (the error handler and the parser both need it)."""
    cached = response.__dict__.get("_gong_json", response)
    if cached is response:
        cached = response.__dict__["_gong_json"] = orjson.loads(response.content)
    return cached


def gong_error_text(response: requests.Response) -> str:
    """Gong's own words for an error: its `errors` list and the `requestId` to quote to Gong's support."""
    try:
        body = response_json(response)
    except ValueError:
        body = None
    if not isinstance(body, Mapping):
        return f"HTTP {response.status_code} with no Gong error body"
    errors = body.get("errors") or []
    text = "; ".join(str(error) for error in errors) if isinstance(errors, list) else str(errors)
    return f"HTTP {response.status_code}: {text or 'no error message'} (requestId {body.get('requestId', 'unknown')})"


def is_empty_result(response: requests.Response) -> bool:
    return response.status_code == 404 and any(
        marker in gong_error_text(response).lower() for marker in EMPTY_RESULT_MARKERS
    )


def asks_beyond_company_today(response: requests.Response) -> bool:
    """A 400 for a request whose `toDate` may be in the future in the company's time zone (unknown until Gong says)."""
    if response.status_code != 400 or response.request is None or not response.request.body:
        return False
    try:
        body = json.loads(response.request.body)
        to_date = dt.date.fromisoformat(body["filter"]["toDate"])
    except (ValueError, KeyError, TypeError):
        return False
    if "cursor" in body:
        return False  # a later page was asked with a toDate Gong already accepted: the 400 is about something else
    earliest_today = next(possible_company_days(dt.datetime.now(dt.UTC)))
    return to_date > earliest_today


class GongErrorHandler(HttpStatusErrorHandler):
    """Gong's error table: what to retry, what is an empty result, and what to tell the user."""

    def __init__(
        self,
        logger: logging.Logger,
        can_refresh_token: bool,
        max_retries: int,
        max_time_seconds: int,
        ignore_forbidden: bool = False,
    ):
        super().__init__(logger, max_retries=max_retries, max_time=dt.timedelta(seconds=max_time_seconds))
        self._can_refresh_token = can_refresh_token
        self._ignore_forbidden = ignore_forbidden

    def interpret_response(self, response_or_exception: requests.Response | Exception | None = None) -> ErrorResolution:
        if isinstance(response_or_exception, requests.Response):
            return self._interpret_status(response_or_exception)
        if isinstance(response_or_exception, (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema)):
            return _fail(FailureType.config_error, f"The Gong API URL is not usable: {response_or_exception}")
        # Every other requests exception (refused or dropped connection, timeout, cut-off body) is transient. The
        # CDK's default table matches exact classes only, so subclasses such as ReadTimeout would not all retry.
        return _retry(
            f"Gong did not answer properly ({type(response_or_exception).__name__}: {response_or_exception})."
        )

    def _interpret_status(self, response: requests.Response) -> ErrorResolution:
        status = response.status_code
        if status == 200:
            try:
                response_json(response)
            except ValueError:
                # A cut-off body arrives with status 200; only the body tells.
                return _retry("Gong sent an incomplete or invalid JSON body.")
            return ErrorResolution(response_action=ResponseAction.SUCCESS)
        if is_empty_result(response):
            return ErrorResolution(
                response_action=ResponseAction.IGNORE,
                error_message=f"Gong found no activity for this request ({gong_error_text(response)}).",
            )
        if asks_beyond_company_today(response):
            return ErrorResolution(
                response_action=ResponseAction.IGNORE,
                error_message="Gong rejected a toDate that is in the future in the company's time zone "
                f"({gong_error_text(response)}).",
            )
        if status == 401:
            if self._can_refresh_token:
                return ErrorResolution(
                    response_action=ResponseAction.REFRESH_TOKEN_THEN_RETRY,
                    failure_type=FailureType.config_error,
                    error_message=f"Gong rejected the access token ({gong_error_text(response)}).",
                )
            return _fail(
                FailureType.config_error,
                "Gong rejected the credentials: check the access key and secret or the OAuth token "
                f"({gong_error_text(response)}).",
            )
        if status == 403 and self._ignore_forbidden:
            return ErrorResolution(
                response_action=ResponseAction.IGNORE,
                error_message=f"Gong refused access ({gong_error_text(response)}).",
            )
        if status == 403:
            return _fail(
                FailureType.config_error,
                "Gong refused access: the credentials lack the scope api:stats:user-actions, or the company is served "
                f"by another regional host (set 'base_url' to your Gong API host) ({gong_error_text(response)}).",
            )
        if status == 429:
            return ErrorResolution(
                response_action=ResponseAction.RATE_LIMITED,
                failure_type=FailureType.transient_error,
                error_message=f"Gong's rate limit was reached ({gong_error_text(response)}).",
            )
        if status == 408 or status >= 500:
            return _retry(f"Gong had a server error ({gong_error_text(response)}).")
        return _fail(FailureType.system_error, f"Gong rejected the request ({gong_error_text(response)}).")


def _fail(failure_type: FailureType, message: str) -> ErrorResolution:
    return ErrorResolution(response_action=ResponseAction.FAIL, failure_type=failure_type, error_message=message)


def _retry(message: str) -> ErrorResolution:
    return ErrorResolution(
        response_action=ResponseAction.RETRY, failure_type=FailureType.transient_error, error_message=message
    )


class GongBackoffStrategy(BackoffStrategy):
    """Waits exactly what Gong's `Retry-After` says; exponential backoff for faults; stops on a wait too long."""

    # The CDK's HTTP client sleeps the returned value plus one second.
    CDK_EXTRA_SLEEP = 1.0

    def __init__(self, max_retry_after_seconds: int):
        self._max_retry_after = max_retry_after_seconds

    def backoff_time(
        self, response_or_exception: requests.Response | requests.RequestException | None, attempt_count: int
    ) -> float | None:
        if isinstance(response_or_exception, requests.Response) and response_or_exception.status_code == 429:
            retry_after = _retry_after_seconds(response_or_exception)
            if retry_after is not None:
                self._refuse_long_wait(retry_after)
                return max(retry_after - self.CDK_EXTRA_SLEEP, 0.001)
        # 1, 2, 4, ... seconds of sleep in all (the CDK adds its second), at most a minute.
        return min(float(2 ** max(attempt_count - 1, 0)), MAX_BACKOFF_SECONDS) - self.CDK_EXTRA_SLEEP or 0.001

    def _refuse_long_wait(self, retry_after: float) -> None:
        if retry_after <= self._max_retry_after:
            return
        resets_at = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=retry_after)).strftime("%Y-%m-%d %H:%M UTC")
        message = (
            f"Gong's API quota is used up: Gong asks to wait {int(retry_after)} seconds (until about {resets_at}), "
            f"longer than 'max_retry_after_seconds' ({self._max_retry_after}). The sync stopped with its progress "
            "saved; run it again after the quota resets."
        )
        raise AirbyteTracedException(
            message=message, internal_message=message, failure_type=FailureType.transient_error
        )


def _retry_after_seconds(response: requests.Response) -> float | None:
    try:
        return float(response.headers["Retry-After"])
    except (KeyError, ValueError):
        return None


def build_api_budget(requests_per_second: float) -> HttpAPIBudget:
    """A proactive budget so that a normal sync never draws a 429.

    Gong counts calls when they arrive; we count them when we ask the budget, in whole milliseconds, a moment before
    the request leaves. A window BUDGET_MARGIN_SECONDS longer than Gong's absorbs that rounding and the jitter
    between the two clocks, at a cost of 2.5% of the pace at 3 calls a second (bench/README.md).
    """
    calls, seconds = _as_calls_per_interval(requests_per_second)
    window = dt.timedelta(seconds=seconds + BUDGET_MARGIN_SECONDS)
    policy = MovingWindowCallRatePolicy(rates=[Rate(limit=calls, interval=window)], matchers=[])
    return HttpAPIBudget(policies=[policy])


def _as_calls_per_interval(requests_per_second: float) -> tuple[int, float]:
    if requests_per_second >= 1:
        return int(requests_per_second), int(requests_per_second) / requests_per_second
    return 1, 1 / requests_per_second


class GongOAuthAuthenticator(SingleUseRefreshTokenOauth2Authenticator):
    """Gong's OAuth refresh: query-string parameters, client credentials as Basic auth, single-use refresh tokens,
    and the company's regional API host in `api_base_url_for_customer`."""

    def __init__(self, connector_config: Mapping[str, Any], token_url: str):
        credentials = connector_config["credentials"]
        client = base64.b64encode(f"{credentials['client_id']}:{credentials['client_secret']}".encode()).decode()
        add_to_secrets(client)
        super().__init__(
            connector_config=connector_config,
            token_refresh_endpoint=token_url,
            refresh_request_headers={"Authorization": f"Basic {client}"},
            send_refresh_request_as_query_params=True,
            # A used or revoked single-use refresh token needs the user to re-authenticate: a config error, not a retry.
            refresh_token_error_status_codes=(400, 401),
            refresh_token_error_key="error",
            refresh_token_error_values=("invalid_grant", "invalid_client"),
        )
        self.api_base_url: str | None = None

    # The single-use refresh also returns the new refresh token: the CDK's own override declares the same ignore.
    def refresh_access_token(self) -> tuple[str, Any, str | None]:  # type: ignore[override]
        response = self._make_handled_request()
        self.api_base_url = _checked_regional_url(response.get("api_base_url_for_customer"))
        refresh_token = self._extract_refresh_token(response)
        if refresh_token:
            add_to_secrets(refresh_token)
        return self._extract_access_token(response), self._extract_token_expiry_date(response), refresh_token

    def ensure_fresh_token(self) -> None:
        """Refreshes now if needed, so the regional host is known before the first API call is addressed."""
        if self.api_base_url is None or self.token_has_expired():
            self.refresh_and_set_access_token()


def _checked_regional_url(value: Any) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    parsed = urlparse(value)
    if parsed.scheme == "https" or (parsed.scheme == "http" and is_loopback(parsed.hostname or "")):
        return value.rstrip("/")
    raise AirbyteTracedException(
        message="Gong's token response named an API host that is not https; "
        "the connector will not send credentials to it.",
        internal_message=f"Refused api_base_url_for_customer scheme {parsed.scheme!r}",
        failure_type=FailureType.system_error,
    )


def build_authenticator(config: GongConfig, raw_config: Mapping[str, Any]) -> AuthBase:
    credentials = config.credentials
    authenticator: BasicHttpAuthenticator | TokenAuthenticator
    if isinstance(credentials, AccessKey):
        authenticator = BasicHttpAuthenticator(credentials.access_key, credentials.access_key_secret)
    elif credentials.can_refresh:
        return GongOAuthAuthenticator(raw_config, config.token_url)
    else:
        # parse_config requires an access token whenever the refresh setup is incomplete.
        authenticator = TokenAuthenticator(credentials.access_token)  # type: ignore[arg-type]
    # The header value is as secret as the key it encodes: mask it wherever the CDK logs requests.
    add_to_secrets(authenticator.token.split(" ", 1)[-1])
    return authenticator


class GongStream(HttpStream, ABC):
    """A Gong API stream: POST with a JSON body, pages from `records.cursor`, Gong's errors and limits."""

    http_method = "POST"
    ignore_forbidden = False

    def __init__(self, config: GongConfig, authenticator: AuthBase, api_budget: HttpAPIBudget):
        self.config = config
        self._authenticator = authenticator
        super().__init__(authenticator=authenticator, api_budget=api_budget)

    @property
    def url_base(self) -> str:
        if isinstance(self._authenticator, GongOAuthAuthenticator):
            self._authenticator.ensure_fresh_token()
            if self._authenticator.api_base_url:
                return self._authenticator.api_base_url + "/"
        return self.config.base_url + "/"

    def get_error_handler(self) -> GongErrorHandler:
        can_refresh = not isinstance(self.config.credentials, AccessKey) and self.config.credentials.can_refresh
        return GongErrorHandler(
            self.logger,
            can_refresh,
            self.config.max_retries,
            max_time_seconds=max(600, 3 * self.config.max_retry_after_seconds),
            ignore_forbidden=self.ignore_forbidden,
        )

    def get_backoff_strategy(self) -> GongBackoffStrategy:
        return GongBackoffStrategy(self.config.max_retry_after_seconds)

    # The CDK calls HttpStream's request hooks with keywords only; the overrides name just the ones they use.
    def request_kwargs(self, **kwargs: Any) -> Mapping[str, Any]:  # type: ignore[override]
        return {"timeout": REQUEST_TIMEOUT}

    def next_page_token(self, response: requests.Response) -> Mapping[str, Any] | None:
        if response.status_code != 200:
            return None
        cursor = (response_json(response).get("records") or {}).get("cursor")
        return {"cursor": cursor} if cursor else None

    def with_cursor(
        self, body: MutableMapping[str, Any], next_page_token: Mapping[str, Any] | None
    ) -> MutableMapping[str, Any]:
        if next_page_token:
            body["cursor"] = next_page_token["cursor"]
        return body
