"""The connector's command line on a frozen clock: `python -m integration_tests.frozen_connector INSTANT ARGS...` runs
`source_gong_activity.run:main` (what the console script `source-gong-activity` runs) with ARGS, its one "now"
(`calendar/clock.utc_now`) answering INSTANT (ISO-8601 with an offset) throughout.

Why a launcher and not an environment variable the connector reads: a variable would be a production path that
moves every sync's "today" when set by mistake, for the sake of tests. Here the connector's code is untouched and
runs as a subprocess exactly as the console script runs it, from argv to exit code; only the clock is replaced, in
this process alone. Pair it with the emulator's `--today` (the company's day at INSTANT), so that Gong and the
connector agree on a day that never moves: a test that depends on today then expects fixed dates, on any day it runs.
"""

from __future__ import annotations

import datetime as dt
import sys

from source_gong_activity.calendar import clock
from source_gong_activity.run import main


def run_frozen(argv: list[str]) -> None:
    instant = dt.datetime.fromisoformat(argv[0])
    if instant.tzinfo is None:
        raise SystemExit(f"frozen_connector: the instant {argv[0]!r} needs an offset (e.g. +00:00)")
    clock.utc_now = lambda: instant.astimezone(dt.UTC)
    sys.argv = [sys.argv[0], *argv[1:]]
    main()


if __name__ == "__main__":
    run_frozen(sys.argv[1:])
