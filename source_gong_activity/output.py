"""A standard output that never drops bytes of the Airbyte messages written to it."""

from __future__ import annotations

import io
import os
import sys


class LosslessStdout(io.TextIOBase):
    """Writes every message through `os.write` until the last byte is taken.

    CPython's buffered stdout was seen to drop data when a large write into a pipe is interrupted by a stop and
    continue (SIGSTOP/SIGCONT, a profiler's ptrace), and the CDK's print buffer writes ~100 ms of records at once:
    whole records vanished while the sync still exited 0 (bench/print_buffer_stop_repro.py). A short write here is
    simply continued.
    """

    def __init__(self, fd: int = 1):
        self._fd = fd

    def write(self, text: str) -> int:
        data = memoryview(text.encode("utf-8"))
        while data:
            data = data[os.write(self._fd, data) :]
        return len(text)

    def fileno(self) -> int:
        return self._fd

    def writable(self) -> bool:
        return True


def use_lossless_stdout() -> None:
    """Routes stdout, and the CDK's print buffer which writes to `sys.__stdout__`, through `LosslessStdout`.

    Left alone when something (a test's capture) has already replaced stdout.
    """
    if sys.stdout is not sys.__stdout__ or sys.__stdout__ is None:
        return
    sys.__stdout__.flush()
    sys.stdout = sys.__stdout__ = LosslessStdout(sys.__stdout__.fileno())
