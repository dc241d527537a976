"""How a failed sync reads: one TRACE error per failed stream, and no traceback for a failure the connector understood.

The CDK logs a traceback with every stream error and exhausted retry, puts one in every TRACE error's `stack_trace`,
and ends a failed sync with a second, generic error. For a failure we classified (bad config, state or catalog,
Gong's 4xx, retries exhausted, the quota, a malformed response) the sentence is the whole story; `--debug` brings the
tracebacks back. A bug (any other exception) keeps its traceback.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

import orjson
from airbyte_cdk.models import AirbyteMessageSerializer, FailureType
from airbyte_cdk.sources.streams.http.exceptions import BaseBackoffException
from airbyte_cdk.utils.airbyte_secrets_utils import filter_secrets
from airbyte_cdk.utils.traced_exception import AirbyteTracedException


class SyncFailed(AirbyteTracedException):
    """The sync failed and its stream's TRACE error has been emitted already: only the exit code is left to give."""


class QuotaUsedUp(AirbyteTracedException):
    """Gong's `Retry-After` is longer than `max_retry_after_seconds`: the daily quota is used up."""

    def __init__(self, retry_after: float, resets_at: str, max_retry_after: int):
        self._reason = (
            f"Gong's API quota is used up: Gong asks to wait {int(retry_after)} seconds (until about {resets_at}), "
            f"longer than 'max_retry_after_seconds' ({max_retry_after})."
        )
        message = self.stopped_message(progress_saved=False)
        super().__init__(message=message, internal_message=message, failure_type=FailureType.transient_error)

    def stopped_message(self, progress_saved: bool) -> str:
        return f"{self._reason} {stopped_message(progress_saved)}; run it again after the quota resets."


def stopped_message(progress_saved: bool) -> str:
    """Says "progress saved" only when a STATE was emitted before the stop (the stream knows, not the client)."""
    if progress_saved:
        return "The sync stopped with its progress saved"
    return "The sync stopped before any progress was saved"


def is_classified_failure(error: BaseException) -> bool:
    """A failure the connector (or the CDK's HTTP client, on its behalf) understood and described, not a bug."""
    if isinstance(error, BaseBackoffException):
        return True  # retries exhausted: the error handler's message says what went wrong
    if not isinstance(error, AirbyteTracedException):
        return False
    cause = error._exception  # the CDK keeps no public accessor; from_exception(bug) sets it to the bug
    return cause is None or is_classified_failure(cause)


def retries_exhausted(error: BaseException, max_retries: int) -> str | None:
    """The connector's own words for retries that ran out, or None for any other error.

    The CDK words them "Exhausted available request attempts. Please see logs for more details. Exception: ...", and
    for 429s only "API rate limit exceeded.", which drops Gong's own message and request id. The error handler's
    sentence (what Gong said) comes first here, then what was tried.
    """
    cause = error._exception if isinstance(error, AirbyteTracedException) else None
    if not isinstance(cause, BaseBackoffException):
        return None
    if max_retries == 0:
        return f"{cause} It was not retried ('max_retries' is 0)."
    times = "once" if max_retries == 1 else f"{max_retries} times"
    return f"{cause} It was retried up to {times} ('max_retries')."


def stopped_by_gong(error: BaseException, progress_saved: bool, max_retries: int) -> str | None:
    """What to tell of a stream stopped by Gong's quota or by retries that ran out, saying whether its progress was
    saved (only the source's read loop knows); None for any other error."""
    if isinstance(error, QuotaUsedUp):
        return error.stopped_message(progress_saved)
    reason = retries_exhausted(error, max_retries)
    return f"{reason} {stopped_message(progress_saved)}." if reason else None


def report_classified_failure(error: AirbyteTracedException, with_stack_trace: bool) -> None:
    """One TRACE error for a failure the connector understood: its sentence is the whole story, no stack trace."""
    message = error.as_sanitized_airbyte_message()
    if not with_stack_trace and message.trace and message.trace.error:
        message.trace.error.stack_trace = None
    print(filter_secrets(orjson.dumps(AirbyteMessageSerializer.dump(message)).decode()), flush=True)


class _ClassifiedTracebackFilter(logging.Filter):
    """Drops the traceback of a log line about a classified failure (the CDK logs one with every stream error and
    with every exhausted retry); the line itself stays. A bug's traceback is kept."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None and is_classified_failure(record.exc_info[1]):
            record.exc_info, record.exc_text = None, None
        return True


@contextlib.contextmanager
def classified_tracebacks_hidden(unless: bool) -> Iterator[None]:
    """Installs `_ClassifiedTracebackFilter` on the root logger's handlers, where the CDK's logging config puts them."""
    handlers = [] if unless else logging.getLogger().handlers
    quiet = _ClassifiedTracebackFilter()
    for handler in handlers:
        handler.addFilter(quiet)
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(quiet)


def malformed_response(stream: str, detail: str) -> AirbyteTracedException:
    """Gong answered with something a record cannot be made of (`records.values.MalformedResponse` says what)."""
    message = f"Gong's response could not be read as {stream} records: {detail}."
    return AirbyteTracedException(message=message, internal_message=message, failure_type=FailureType.system_error)


def undatable_record(stream: str, detail: str, why: str) -> AirbyteTracedException:
    """A record whose day only the company's time zone can tell, while the zone is not known (`ZoneUnknown`)."""
    message = (
        f"A {stream} record cannot be put on the company's calendar: Gong sent {detail}, and the company's time zone "
        f"is not known ({why}). The sync stopped before writing it, its state before this window; run it again."
    )
    return AirbyteTracedException(message=message, internal_message=message, failure_type=FailureType.transient_error)
