"""The command line's fast record path: records in pre-serialized batches, and a stdout that never drops bytes.

The CDK spends about 12 µs of CPU on each message between a stream and stdout (dataclasses, record counts, state
observation, serpyco and orjson, the print buffer): more than mapping and serializing a record together, and a year
of days for 2,000 users is 650k records (16 s of CPU as a message each, 8 s in batches; bench/README.md). So the
command line's source hands each window's records to `record_batches`; `BatchingSource._read_stream` counts and
passes the batches on where the CDK would convert records one by one; `BatchWritingEntrypoint` writes them to stdout
and counts them in STATE messages. A source built without `batch_records` (the CDK's own entrypoint and test
helpers, anyone embedding the class) never makes a batch. Everything that knows of batches is in this module.
"""

from __future__ import annotations

import dataclasses
import io
import os
import stat
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import orjson
from airbyte_cdk.entrypoint import AirbyteEntrypoint
from airbyte_cdk.logger import PRINT_BUFFER
from airbyte_cdk.models import AirbyteMessage, AirbyteStreamStatus, Type
from airbyte_cdk.sources import AbstractSource
from airbyte_cdk.sources.connector_state_manager import HashableStreamDescriptor
from airbyte_cdk.utils.stream_status_utils import as_airbyte_message as stream_status_message

from ..calendar import clock

try:
    import fcntl
except ImportError:  # not on Windows
    fcntl = None  # type: ignore[assignment]

# Below glibc's 128 KiB mmap threshold, so that a batch's buffers are reused rather than mapped afresh each time;
# larger batches bought nothing in the benchmark.
BATCH_BYTES = 64 * 1024
PIPE_BUFFER_BYTES = 1 << 20
STDOUT_FD = 1
# What a stream does with a window's records on their way out (`BatchingSource.record_sink`): the command line batches
# them; a stream given none yields its records as they are.
RecordSink = Callable[[str, Iterable[Mapping[str, Any]]], Iterable[Any]]


@dataclasses.dataclass
class RecordBatch(AirbyteMessage):
    """Records of one stream, already serialized as Airbyte RECORD lines, carried through the CDK as one message.

    Typed RECORD (with no `record`) so that the CDK's `Stream.read` passes it on as it passes records.
    """

    type: Type = Type.RECORD
    stream: str = ""
    lines: bytes = dataclasses.field(
        default=b"", repr=False
    )  # newline-terminated JSON lines, as the CDK prints records
    count: int = 0


def record_batches(
    stream: str, records: Iterable[Mapping[str, Any]], max_bytes: int = BATCH_BYTES
) -> Iterator[RecordBatch]:
    """The records in batches of about `max_bytes`, each serialized as the CDK serializes a RECORD message of a stream
    without namespace, except that top-level nulls are kept (the schema documents `created_at` as null; the CDK
    drops such fields, which a destination reads the same)."""
    envelope: dict[str, Any] = {"stream": stream, "data": None, "emitted_at": _now_ms()}
    message = {"type": "RECORD", "record": envelope}
    lines: list[bytes] = []
    size = 0
    for envelope["data"] in records:
        line = orjson.dumps(message, option=orjson.OPT_APPEND_NEWLINE)
        lines.append(line)
        size += len(line)
        if size >= max_bytes:
            yield RecordBatch(stream=stream, lines=b"".join(lines), count=len(lines))
            lines, size = [], 0
            envelope["emitted_at"] = _now_ms()
    if lines:
        yield RecordBatch(stream=stream, lines=b"".join(lines), count=len(lines))


def _now_ms() -> int:
    return int(clock.utc_now().timestamp() * 1000)


class BatchingSource(AbstractSource):
    """A source whose streams, with `batch_records`, yield `RecordBatch`es, read as the CDK reads records.

    The CDK's `_read_stream` counts every RECORD message as one record (for the RUNNING status and its closing
    "Read N records" line); this one counts a batch as the records it holds, and otherwise does what the CDK's does:
    hands the stream its state, emits RUNNING before the first record and queued messages as they come.
    """

    def __init__(self, batch_records: bool = False):
        super().__init__()
        self.batch_records = batch_records

    @property
    def record_sink(self) -> RecordSink | None:
        """What each stream does with a window's records on their way out: batch them, or nothing."""
        return record_batches if self.batch_records else None

    def _read_stream(self, logger, stream_instance, configured_stream, state_manager, internal_config):  # type: ignore[no-untyped-def]
        if not self.batch_records:
            yield from super()._read_stream(logger, stream_instance, configured_stream, state_manager, internal_config)
            return
        name = configured_stream.stream.name
        stream_state = state_manager.get_stream_state(name, stream_instance.namespace)
        stream_instance.state = stream_state
        logger.info(f"Setting state of {self.name} stream to {stream_state}")
        messages = stream_instance.read(
            configured_stream, logger, self._slice_logger, stream_state, state_manager, internal_config
        )
        records = 0
        logger.info(f"Syncing stream: {name} ")
        for item in messages:
            message = item if isinstance(item, RecordBatch) else self._get_message(item, stream_instance)
            if message.type == Type.RECORD:
                if records == 0:
                    logger.info(f"Marking stream {name} as RUNNING")
                    yield stream_status_message(configured_stream.stream, AirbyteStreamStatus.RUNNING)
                records += message.count if isinstance(message, RecordBatch) else 1
            yield from self._emit_queued_messages()
            yield message
        logger.info(f"Read {records} records from {name} stream")


class BatchWritingEntrypoint(AirbyteEntrypoint):
    """The CDK's entrypoint, writing record batches straight to stdout and counting their records in STATE."""

    def __init__(self, source: BatchingSource, write_batch: Callable[[bytes], None] | None = None):
        super().__init__(source)
        self._write_batch = write_batch or write_records

    def read(self, source_spec, config, catalog, state) -> Iterator[AirbyteMessage]:  # type: ignore[no-untyped-def]
        for message in super().read(source_spec, config, catalog, state):
            if isinstance(message, RecordBatch):
                # Written here rather than yielded: the CDK would serialize it as one message. Every message before
                # it has been printed already: `run` prints each message before asking for the next. Straight to
                # stdout's file descriptor: the lines are bytes already, and holding 0.1 s of them in the print
                # buffer raised peak memory by 45 MB.
                self._write_batch(message.lines)
            else:
                yield message

    @staticmethod
    def handle_record_counts(
        message: AirbyteMessage, stream_message_count: defaultdict[HashableStreamDescriptor, float]
    ) -> AirbyteMessage:
        if isinstance(message, RecordBatch):  # the STATE messages' recordCount counts records, not batches
            stream_message_count[HashableStreamDescriptor(name=message.stream)] += message.count
            return message
        return AirbyteEntrypoint.handle_record_counts(message, stream_message_count)


class LosslessStdout(io.TextIOBase):
    """Writes every message through `os.write` until the last byte is taken.

    CPython's buffered stdout was seen to drop data when a large write into a pipe is interrupted by a stop and
    continue (SIGSTOP/SIGCONT, a profiler's ptrace): whole records vanished while the sync still exited 0
    (bench/print_buffer_stop_repro.py). A short write here is simply continued.
    """

    def __init__(self, fd: int = 1):
        self._fd = fd

    def write(self, text: str) -> int:
        write_all(self._fd, text.encode("utf-8"))
        return len(text)

    def fileno(self) -> int:
        return self._fd

    def writable(self) -> bool:
        return True


def write_records(lines: bytes) -> None:
    """Writes ready RECORD lines to stdout, after everything printed before them and never inside another message.

    The CDK's print buffer holds what was printed, log lines from any thread included, and writes it under its lock;
    holding that lock here keeps a log line of the page fetcher's (a retry, say) out of the middle of a record.
    """
    with PRINT_BUFFER.lock:
        PRINT_BUFFER.flush()  # log lines, from any thread
        sys.stdout.flush()  # messages printed by `run.run` (the print buffer itself, inside its context)
        write_all(STDOUT_FD, lines)


def write_all(fd: int, data: bytes) -> None:
    """`os.write` until the last byte is taken: a write into a pipe may take only part."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def prepare_stdout() -> None:
    """Routes stdout, and the CDK's print buffer which writes to `sys.__stdout__`, through `LosslessStdout`, and
    widens stdout's pipe.

    Left alone when something (a test's capture) has already replaced stdout.
    """
    if sys.stdout is not sys.__stdout__ or sys.__stdout__ is None:
        return
    sys.__stdout__.flush()
    # typeshed declares sys.__stdout__ Final, a TextIOWrapper; the CDK's print buffer writes to it, so it is replaced.
    sys.stdout = sys.__stdout__ = LosslessStdout(sys.__stdout__.fileno())  # type: ignore[misc,assignment]
    _widen_pipe(sys.__stdout__.fileno())


def _widen_pipe(fd: int) -> None:
    """The reader of our stdout (the platform, a destination, PyAirbyte) gets it through a pipe whose kernel buffer
    is 64 KiB by default: the connector then waits on every write until the reader has parsed what came before.
    With 1 MiB (Linux's default maximum for unprivileged processes) both work at once; the benchmark's year of days
    went from 13.6 s to 9.7 s. Elsewhere, or if refused, the default buffer serves as before."""
    if fcntl is None or not hasattr(fcntl, "F_SETPIPE_SZ") or not stat.S_ISFIFO(os.fstat(fd).st_mode):
        return
    try:
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BUFFER_BYTES)
    except OSError:
        pass
