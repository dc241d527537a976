"""Gong's error table: what to retry, what is an empty result, what fails at once, and what to tell the user."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from urllib.parse import urlparse

import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.streams.http.error_handlers import (
    ErrorResolution,
    HttpStatusErrorHandler,
    ResponseAction,
)
from airbyte_cdk.utils.traced_exception import AirbyteTracedException
from urllib3.exceptions import NameResolutionError, NewConnectionError

from ..calendar import clock
from ..calendar.company_day import possible_company_days
from .body import decoded_body, first_page_to_date, gong_error_body, gong_error_text


def may_refuse_future_to_date(response: requests.Response) -> bool:
    """Gong's 400 for a first page whose `toDate` may be beyond the company's day: Gong's word for the future, or a
    refusal of the request for another reason (the stream asks Gong which, `CompanyDay.confirms_future`).

    A later page was asked with a `toDate` Gong already accepted, so its 400 is about something else; and a `toDate`
    no later than the earliest possible day is valid for every company.
    """
    if response.status_code != 400:
        return False
    to_date = first_page_to_date(response)
    return to_date is not None and to_date > next(possible_company_days(clock.utc_now()))


def is_empty_result(response: requests.Response) -> bool:
    """Gong's 404 for a filter that matches nothing. Its words vary ("No users found ...", "An error has occurred"),
    so only its shape counts: a 404 without Gong's error body comes from somewhere else (a wrong host or path)."""
    return response.status_code == 404 and gong_error_body(response) is not None


class GongErrorHandler(HttpStatusErrorHandler):
    """Gong's error table: what to retry, what is an empty result, and what to tell the user.

    `may_refresh` is asked on a 401 whether the sync's one token refresh for a 401 is still to be had (OAuth with a
    refresh token); `optional` marks a lookup the sync can do without (a 401 or 403 there is ignored);
    `empty_on_404` marks endpoints whose documented 404 is an empty result; `filters` names the config fields that
    narrow the requests (a 400 may be about them).
    """

    def __init__(
        self,
        logger: logging.Logger,
        may_refresh: Callable[[], bool] | None,
        max_retries: int,
        max_time_seconds: int,
        optional: bool = False,
        scope: str = "api:stats:user-actions",
        empty_on_404: bool = True,
        filters: tuple[str, ...] = (),
    ):
        super().__init__(logger, max_retries=max_retries, max_time=dt.timedelta(seconds=max_time_seconds))
        self.may_refresh = may_refresh
        self.optional = optional
        self.scope = scope
        self.empty_on_404 = empty_on_404
        self.filters = filters

    def interpret_response(self, response_or_exception: requests.Response | Exception | None = None) -> ErrorResolution:
        if isinstance(response_or_exception, requests.Response):
            return self._interpret_status(response_or_exception)
        if isinstance(response_or_exception, (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema)):
            return _fail(FailureType.config_error, f"The Gong API URL is not usable: {response_or_exception}")
        unreachable = unreachable_host_failure(response_or_exception)
        if unreachable is not None:
            return unreachable
        # Every other requests exception (refused or dropped connection, timeout, cut-off body) is transient. The
        # CDK's default table matches exact classes only, so subclasses such as ReadTimeout would not all retry.
        return _retry(
            f"Gong did not answer properly ({type(response_or_exception).__name__}: {response_or_exception})."
        )

    def _interpret_status(self, response: requests.Response) -> ErrorResolution:
        for rule in _STATUS_RULES:
            resolution = rule(self, response)
            if resolution is not None:
                return resolution
        return _fail(FailureType.system_error, f"Gong rejected the request ({gong_error_text(response)}).")


# -- the table, one rule a function, tried in order ----------------------------------------------------------------


def _success(handler: GongErrorHandler, response: requests.Response) -> ErrorResolution | None:
    if response.status_code != 200:
        return None
    try:
        decoded_body(response)
    except ValueError:
        # A cut-off body arrives with status 200; only the body tells.
        return _retry("Gong sent an incomplete or invalid JSON body.")
    return ErrorResolution(response_action=ResponseAction.SUCCESS)


def _not_found(handler: GongErrorHandler, response: requests.Response) -> ErrorResolution | None:
    if response.status_code != 404:
        return None
    if handler.empty_on_404 and is_empty_result(response):
        return ErrorResolution(
            response_action=ResponseAction.IGNORE,
            error_message=f"Gong found nothing for this request ({gong_error_text(response)}).",
        )
    return _fail(
        FailureType.config_error,
        f"{_url(response)} answered 404 ({gong_error_text(response)}): that is no Gong API endpoint. "
        "Check 'base_url' (e.g. https://api.gong.io).",
    )


def _future_to_date(handler: GongErrorHandler, response: requests.Response) -> ErrorResolution | None:
    if not may_refuse_future_to_date(response):
        return None
    return ErrorResolution(
        response_action=ResponseAction.IGNORE,
        error_message=f"Gong refused a request whose toDate may be the company's future ({gong_error_text(response)}); "
        "asking Gong whether it is.",
    )


def _bad_request(handler: GongErrorHandler, response: requests.Response) -> ErrorResolution | None:
    if response.status_code != 400:
        return None
    failure_type, message = _refusal(response, handler.filters)
    return _fail(failure_type, message)


def refused_request(response: requests.Response, filters: tuple[str, ...], to_date: str) -> AirbyteTracedException:
    """Gong's 400 for a request whose `toDate` Gong accepted elsewhere (so no future day): an error in Gong's words."""
    failure_type, message = _refusal(response, filters, f" (not for its toDate {to_date}, which Gong accepts)")
    return AirbyteTracedException(message=message, internal_message=message, failure_type=failure_type)


def _refusal(response: requests.Response, filters: tuple[str, ...], why: str = "") -> tuple[FailureType, str]:
    """A config error when the user narrowed the request (a filter Gong cannot take), a system error otherwise."""
    refused = f"Gong refused the request to {_path(response)}{why} ({gong_error_text(response)})"
    if filters:
        return FailureType.config_error, f"{refused}: check {' and '.join(map(repr, filters))}."
    return FailureType.system_error, f"{refused}."


def _unauthorized(handler: GongErrorHandler, response: requests.Response) -> ErrorResolution | None:
    """401 is a bad or expired credential, and on most endpoints also a missing scope: Gong documents no 403 there.
    An OAuth token is refreshed once per sync; after that a 401 is read like a 403."""
    if response.status_code != 401:
        return None
    if handler.optional:  # a lookup the sync can do without: its refusal spends nothing
        return _ignore_refusal(response)
    if handler.may_refresh is not None and handler.may_refresh():
        return ErrorResolution(
            response_action=ResponseAction.REFRESH_TOKEN_THEN_RETRY,
            failure_type=FailureType.config_error,
            error_message=f"Gong rejected the access token ({gong_error_text(response)}).",
        )
    return _fail(
        FailureType.config_error,
        f"Gong rejected the credentials for {_path(response)}: they are not valid (check the access key and secret or "
        "the OAuth token, and 'base_url' if the company is served by a regional host), or they lack the scope "
        f"{handler.scope} ({gong_error_text(response)}).",
    )


def _forbidden(handler: GongErrorHandler, response: requests.Response) -> ErrorResolution | None:
    if response.status_code != 403:
        return None
    if handler.optional:
        return _ignore_refusal(response)
    return _fail(
        FailureType.config_error,
        f"Gong refused access: the credentials lack the scope {handler.scope}, or the company is served "
        f"by another regional host (set 'base_url' to your Gong API host) ({gong_error_text(response)}).",
    )


def _rate_limited(handler: GongErrorHandler, response: requests.Response) -> ErrorResolution | None:
    if response.status_code != 429:
        return None
    return ErrorResolution(
        response_action=ResponseAction.RATE_LIMITED,
        failure_type=FailureType.transient_error,
        error_message=f"Gong's rate limit was reached ({gong_error_text(response)}).",
    )


def _server_error(handler: GongErrorHandler, response: requests.Response) -> ErrorResolution | None:
    if response.status_code != 408 and response.status_code < 500:
        return None
    return _retry(f"Gong had a server error ({gong_error_text(response)}).")


_STATUS_RULES: tuple[Callable[[GongErrorHandler, requests.Response], ErrorResolution | None], ...] = (
    _success,
    _not_found,
    _future_to_date,
    _bad_request,
    _unauthorized,
    _forbidden,
    _rate_limited,
    _server_error,
)


def _ignore_refusal(response: requests.Response) -> ErrorResolution:
    return ErrorResolution(
        response_action=ResponseAction.IGNORE, error_message=f"Gong refused access ({gong_error_text(response)})."
    )


def _url(response: requests.Response) -> str:
    return response.request.url if response.request is not None and response.request.url else "Gong"


def _path(response: requests.Response) -> str:
    return urlparse(_url(response)).path or "the Gong API"


def unreachable_host_failure(error: Exception | None) -> ErrorResolution | None:
    """A host that cannot be reached at all (no such name, nothing listening, a failed TLS handshake) fails at once.

    Retrying these spent minutes (183 s with the default retries) before saying anything; none of them passes in
    seconds the way a dropped connection or a 5xx does, and each names a cause the user can check.
    """
    if not isinstance(error, requests.exceptions.ConnectionError) or error.request is None:
        return None
    parsed = urlparse(error.request.url or "")
    host = f"{parsed.hostname}:{parsed.port}" if parsed.port else str(parsed.hostname)
    reason = error.args[0].reason if error.args and hasattr(error.args[0], "reason") else None
    if isinstance(error, requests.exceptions.SSLError):
        cause = f"the TLS handshake failed ({_last_words(reason or error)}); is it an https host?"
        return _fail(FailureType.config_error, f"Could not reach Gong at {host}: {cause} Check 'base_url'.")
    if isinstance(reason, NameResolutionError):
        return _fail(
            FailureType.config_error,
            f"Could not reach Gong at {host}: the host name does not resolve. Check 'base_url'.",
        )
    if isinstance(reason, NewConnectionError) and isinstance(reason.__context__, ConnectionRefusedError):
        return _fail(
            FailureType.transient_error,
            f"Could not reach Gong at {host}: the connection was refused (nothing listens there).",
        )
    return None


def _last_words(error: BaseException) -> str:
    """The innermost reason of a urllib3/ssl error, without the repeated wrapping ("Max retries exceeded ...")."""
    return str(error).rsplit("(", 1)[-1].rstrip(")\"'") if "(" in str(error) else str(error)


def _fail(failure_type: FailureType, message: str) -> ErrorResolution:
    return ErrorResolution(response_action=ResponseAction.FAIL, failure_type=failure_type, error_message=message)


def _retry(message: str) -> ErrorResolution:
    return ErrorResolution(
        response_action=ResponseAction.RETRY, failure_type=FailureType.transient_error, error_message=message
    )


class PerManagerErrorHandler(GongErrorHandler):
    """Gong's error table, except that a 400 is handed back to the stream: GET /v2/coaching refuses one manager (say,
    deactivated) with a 400 while every other manager of the same period is asked right, so the stream skips that
    manager with a warning instead of failing the sync. Gong's contract documents no 404 for it: one is a wrong path."""

    def _interpret_status(self, response: requests.Response) -> ErrorResolution:
        if response.status_code == 400:
            return ErrorResolution(
                response_action=ResponseAction.IGNORE,
                error_message=f"Gong refused the request to {_path(response)} ({gong_error_text(response)}).",
            )
        return super()._interpret_status(response)
