"""The one place the connector reads the wall clock: every "now" (the company's today, a quota's reset time, a
record's `emitted_at`) comes from `utc_now`.

Tests freeze time by replacing this function (`unit_tests/frozen_clock.py` in-process, `integration_tests/
frozen_connector.py` for the command line). Callers look it up at call time (`clock.utc_now()`, never a default
argument or a `from ... import utc_now`), so the replacement reaches all of them. Waits (the call budget, retries)
measure durations with the `time` module and are not "now".
"""

from __future__ import annotations

import datetime as dt


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
