"""Gong's error table: what to retry, what is an empty result, what fails at once, and what to tell the user."""

from __future__ import annotations

import datetime as dt
import logging
import weakref
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlparse

import orjson
import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.streams.http.error_handlers import (
    ErrorResolution,
    HttpStatusErrorHandler,
    ResponseAction,
)
from urllib3.exceptions import NameResolutionError, NewConnectionError

from .company_day import refuses_future_to_date

# Gong answers 404 with this kind of message for a filter that matches nobody: an empty result, not an error.
EMPTY_RESULT_MARKERS = ("no users found", "no records found", "no data found", "not found corresponding")


_DECODED: weakref.WeakKeyDictionary[requests.Response, Any] = weakref.WeakKeyDictionary()


def decoded_body(response: requests.Response) -> Any:
    """The decoded JSON body, decoded once per response: the error handler checks it, the parser reads it."""
    if response not in _DECODED:
        _DECODED[response] = orjson.loads(response.content)
    return _DECODED[response]


def gong_error_text(response: requests.Response) -> str:
    """Gong's own words for an error: its `errors` list and the `requestId` to quote to Gong's support."""
    try:
        body = decoded_body(response)
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


class GongErrorHandler(HttpStatusErrorHandler):
    """Gong's error table: what to retry, what is an empty result, and what to tell the user."""

    def __init__(
        self,
        logger: logging.Logger,
        can_refresh_token: bool,
        max_retries: int,
        max_time_seconds: int,
        ignore_forbidden: bool = False,
        scope: str = "api:stats:user-actions",
    ):
        super().__init__(logger, max_retries=max_retries, max_time=dt.timedelta(seconds=max_time_seconds))
        self._can_refresh_token = can_refresh_token
        self._ignore_forbidden = ignore_forbidden
        self._scope = scope

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
        status = response.status_code
        if status == 200:
            try:
                decoded_body(response)
            except ValueError:
                # A cut-off body arrives with status 200; only the body tells.
                return _retry("Gong sent an incomplete or invalid JSON body.")
            return ErrorResolution(response_action=ResponseAction.SUCCESS)
        if is_empty_result(response):
            return ErrorResolution(
                response_action=ResponseAction.IGNORE,
                error_message=f"Gong found no activity for this request ({gong_error_text(response)}).",
            )
        if refuses_future_to_date(response):
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
                f"Gong refused access: the credentials lack the scope {self._scope}, or the company is served "
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
