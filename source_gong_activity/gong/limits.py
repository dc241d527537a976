"""Gong's limits: the proactive call budget, Retry-After and backoff, and the stop when the daily quota is spent."""

from __future__ import annotations

import datetime as dt
import logging
import re
import sys

import requests
from airbyte_cdk.sources.streams.call_rate import HttpAPIBudget, MovingWindowCallRatePolicy, Rate
from airbyte_cdk.sources.streams.http.error_handlers import (
    BackoffStrategy,
)
from airbyte_cdk.sources.streams.http.exceptions import BaseBackoffException

from ..calendar import clock
from ..protocol.failures import QuotaUsedUp

MAX_BACKOFF_SECONDS = 60
BUDGET_MARGIN_SECONDS = 0.025


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
        resets_at = (clock.utc_now() + dt.timedelta(seconds=retry_after)).strftime("%Y-%m-%d %H:%M UTC")
        raise QuotaUsedUp(retry_after, resets_at, self._max_retry_after)


class RetryLogWording(logging.Filter):
    """Says what a retry is for: the CDK logs every backoff as "Rate limit exceeded (HTTP 500)", a dropped
    connection or a 5xx included; the error handler's own sentence (a 429 is "Gong's rate limit was reached") is
    put in its place."""

    _LINE = re.compile(r"UserDefinedBackoffException: Rate limit exceeded(?: \(HTTP \d+\))?\. (Retrying in .*)")

    def filter(self, record: logging.LogRecord) -> bool:
        match = self._LINE.fullmatch(str(record.msg))
        retried = sys.exc_info()[1]  # the CDK logs this line while handling the backoff exception
        if match and isinstance(retried, BaseBackoffException) and str(retried):
            record.msg, record.args = f"{retried} {match[1]}", ()
        return True


def install_retry_log_wording() -> None:
    # The CDK's backoff handlers log on the "airbyte" logger itself, where a logger filter sees their lines.
    airbyte_logger = logging.getLogger("airbyte")
    if not any(isinstance(existing, RetryLogWording) for existing in airbyte_logger.filters):
        airbyte_logger.addFilter(RetryLogWording())


install_retry_log_wording()


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
