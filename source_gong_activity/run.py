"""Launches the source: the console script `source-gong-activity` and `main.py` both start here."""

from __future__ import annotations

import atexit
import logging
import os
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

import orjson
from airbyte_cdk.entrypoint import AirbyteEntrypoint
from airbyte_cdk.logger import PRINT_BUFFER
from airbyte_cdk.models import AirbyteMessage, AirbyteMessageSerializer, ConnectorSpecification, FailureType
from airbyte_cdk.sources.connector_state_manager import HashableStreamDescriptor
from airbyte_cdk.sources.utils.schema_helpers import split_config
from airbyte_cdk.utils.airbyte_secrets_utils import filter_secrets
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from .config import parse_config
from .output import RecordBatch, prepare_stdout, write_records
from .source import SourceGongActivity


class GongEntrypoint(AirbyteEntrypoint):
    """The CDK's entrypoint, plus the config validation that names the field, and record batches."""

    def read(
        self,
        source_spec: ConnectorSpecification,
        config: Mapping[str, Any],
        catalog: Any,
        state: list[Any],
    ) -> Iterator[AirbyteMessage]:
        counts = _BatchedRecordCounts()
        self.logger.addFilter(counts)
        try:
            for message in super().read(source_spec, config, catalog, state):
                if isinstance(message, RecordBatch):
                    counts.records[message.stream] += message.count
                    # Written here rather than yielded: the CDK would serialize it as one message. Every message
                    # before it has been printed already: `run` prints each message before asking for the next.
                    # Straight to stdout's file descriptor: the lines are bytes already, and holding 0.1 s of them in
                    # the print buffer raised peak memory by 45 MB.
                    write_records(message.lines)
                else:
                    yield message
        finally:
            self.logger.removeFilter(counts)

    @staticmethod
    def handle_record_counts(
        message: AirbyteMessage, stream_message_count: defaultdict[HashableStreamDescriptor, float]
    ) -> AirbyteMessage:
        if isinstance(message, RecordBatch):  # the STATE messages' recordCount counts records, not batches
            stream_message_count[HashableStreamDescriptor(name=message.stream)] += message.count
            return message
        return AirbyteEntrypoint.handle_record_counts(message, stream_message_count)

    @staticmethod
    def validate_connection(source_spec: ConnectorSpecification, config: Mapping[str, Any]) -> None:
        # Our validation first: its messages name the field, where jsonschema's do not.
        parse_config(split_config(config)[0])
        AirbyteEntrypoint.validate_connection(source_spec, config)


class _BatchedRecordCounts(logging.Filter):
    """Counts the records of batches, and puts that count in the CDK's closing "Read N records from S stream" log
    line, whose N counts the messages the stream yielded: here, batches."""

    _LINE = re.compile(r"Read \d+ records from (.+) stream")

    def __init__(self) -> None:
        super().__init__()
        self.records: Counter = Counter()

    def filter(self, record: logging.LogRecord) -> bool:
        match = self._LINE.fullmatch(str(record.msg))
        if match and match[1] in self.records:
            record.msg, record.args = f"Read {self.records[match[1]]} records from {match[1]} stream", ()
        return True


def main() -> None:
    """The program (the console script and main.py): `run`, then an exit without the interpreter's teardown."""
    run()
    # Tearing down the ~1,500 modules the CDK imports takes 0.3-0.4 s after the last message, for nothing: the exit
    # handlers run here, stdout is unbuffered, and stderr is flushed.
    atexit._run_exitfuncs()
    sys.stderr.flush()
    os._exit(0)


def run(args: list[str] | None = None) -> None:
    prepare_stdout()
    entrypoint = GongEntrypoint(SourceGongActivity(batch_records=True))
    try:
        with PRINT_BUFFER:
            for message in entrypoint.run(entrypoint.parse_args(sys.argv[1:] if args is None else args)):
                print(f"{message}\n", end="")
    except AirbyteTracedException as error:
        if error.failure_type != FailureType.config_error:
            raise
        # A config problem is the user's to fix: one clear sentence, no stack trace.
        trace_message = error.as_sanitized_airbyte_message()
        # A sanitized traced exception is always a TRACE message with an error; the models type both as optional.
        trace_message.trace.error.stack_trace = None  # type: ignore[union-attr]
        print(filter_secrets(orjson.dumps(AirbyteMessageSerializer.dump(trace_message)).decode()), flush=True)
        sys.exit(1)
