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
from airbyte_cdk.models import AirbyteMessageSerializer
from airbyte_cdk.sources.streams.http.exceptions import BaseBackoffException
from airbyte_cdk.utils.airbyte_secrets_utils import filter_secrets
from airbyte_cdk.utils.traced_exception import AirbyteTracedException


class SyncFailed(AirbyteTracedException):
    """The sync failed and its stream's TRACE error has been emitted already: only the exit code is left to give."""


def is_classified_failure(error: BaseException) -> bool:
    """A failure the connector (or the CDK's HTTP client, on its behalf) understood and described, not a bug."""
    if isinstance(error, BaseBackoffException):
        return True  # retries exhausted: the error handler's message says what went wrong
    if not isinstance(error, AirbyteTracedException):
        return False
    cause = error._exception  # the CDK keeps no public accessor; from_exception(bug) sets it to the bug
    return cause is None or is_classified_failure(cause)


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
