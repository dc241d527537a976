"""Reproduces silent output loss through the CDK's PRINT_BUFFER when the writer is stopped and continued.

`python bench/print_buffer_stop_repro.py`: a child prints 300,000 ~1 KB lines into a pipe (read by `cat` into a temp
file) while this script sends it SIGSTOP/SIGCONT every 20 ms; once with plain print(), once through
`airbyte_cdk.logger.PRINT_BUFFER` as the connector's entry point does. Seen on 2026-11-22 (CDK 7.39.1, CPython
3.11.7): plain 300000 of 300000 lines, PRINT_BUFFER about 85,000 of 300000, both exit 0. The same loss shows in a full
`source-gong-activity read` with py-spy attached (ptrace stops) or with SIGSTOP/SIGCONT, and not when stdout is a
file. Narrowed further by hand: writing the same data in 1,000-line (~1 MB) chunks with plain CPython
`sys.stdout.write(...)+flush()` or `sys.stdout.buffer.write(...)+flush()` also lost lines (about 2-3%), while an
`os.write` loop that re-sends the unwritten tail after a short write lost none. So the loss seems to sit in CPython's
buffered I/O on an interrupted (short) pipe write, made much worse by PRINT_BUFFER's ~100 ms batches of megabytes.
Not yet confirmed against CPython's source or issue tracker. Only local processes; no network.
"""

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from integration_tests.harness import run_stopped_and_continued

LINES = 300_000
WRITER = r"""
import sys
pad = "x" * 900
if sys.argv[1] == "printbuffer":
    from airbyte_cdk.logger import PRINT_BUFFER
    with PRINT_BUFFER:
        for i in range(%d):
            print(f'{{"i":{i},"pad":"{pad}"}}\n', end="")
else:
    for i in range(%d):
        print(f'{{"i":{i},"pad":"{pad}"}}\n', end="")
""" % (LINES, LINES)  # noqa: UP031 (the script's own f-strings keep their braces)


def run(mode: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "stdout.txt"
        code = run_stopped_and_continued([sys.executable, "-c", WRITER, mode], output)
        with open(output, "rb") as lines:
            print(f"{mode}: exit {code}, {sum(1 for _ in lines)} of {LINES} lines arrived")


if __name__ == "__main__":
    run("plain")
    run("printbuffer")
