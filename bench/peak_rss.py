"""Runs a command and writes its peak RSS (KiB) to a file: the benchmark's way to measure the connector alone.

A child's `ru_maxrss` counts the memory of the process that spawned it: Linux carries the address space's high-water
mark over `exec`, and Python spawns with `vfork`, whose child starts in its parent's address space. The benchmark
holds the emulator's dataset and truth, and measured its own 160 MB where the connector peaked at 108 MB (a child
that runs `pass` under a 300 MB parent reports 311 MB). Spawned from this small process instead, the connector's
`ru_maxrss` is its own. Its stdin, stdout and stderr are the connector's.

    python bench/peak_rss.py PEAK_FILE COMMAND [ARGS...]
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def main() -> int:
    peak_file, *command = sys.argv[1:]
    process = subprocess.Popen(command)
    _, status, usage = os.wait4(process.pid, 0)
    Path(peak_file).write_text(str(usage.ru_maxrss))
    code = os.waitstatus_to_exitcode(status)
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main())
