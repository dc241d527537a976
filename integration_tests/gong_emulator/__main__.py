"""Command line: `python -m integration_tests.gong_emulator [flags]` serves until SIGTERM or SIGINT."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Sequence

from .config import EmulatorConfig
from .server import Emulator


def main(argv: Sequence[str] | None = None) -> int:
    config = EmulatorConfig.from_args(argv)
    stop = threading.Event()
    # The handlers only set a flag: shutting the server down from inside a signal handler could deadlock.
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    with Emulator(config) as emulator:
        # Exactly one line on stdout, flushed, so a parent process can read the port and go.
        print(f"gong-emulator listening on {emulator.base_url}", flush=True)
        while not stop.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
