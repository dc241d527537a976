"""A frozen clock for unit tests whose mocks name today's dates: the connector's one "now" (`calendar/clock.py`),
replaced for the duration of a `with`."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from unittest import mock

from source_gong_activity.calendar import clock

# 11:00 UTC: "today" is 2026-11-21 in UTC-12 (Etc/GMT+12), 2026-11-22 in UTC and 2026-11-23 in UTC+14
# (Pacific/Kiritimati), so a date taken from the machine's clock instead, on any day, names other days than the mocks.
NOW = dt.datetime(2026, 11, 22, 11, 0, tzinfo=dt.UTC)


@contextlib.contextmanager
def frozen_at(now: dt.datetime = NOW) -> Iterator[dt.datetime]:
    """Every clock read of the connector answers `now` inside the `with`."""
    with mock.patch.object(clock, "utc_now", lambda: now):
        yield now
