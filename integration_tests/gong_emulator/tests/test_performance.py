"""A 100-user x 365-day DAY page (~36,500 period items) is served well under a second."""

from __future__ import annotations

import datetime as dt
import time

from .conftest import BY_PERIOD, filter_body


def test_given_2000_users_when_reading_a_year_by_day_then_each_page_is_fast(start_emulator, session):
    emulator = start_emulator(users=2000)
    today = emulator.dataset.today()
    body = {"aggregationPeriod": "DAY", **filter_body(today - dt.timedelta(days=365), today)}
    timings = []

    for _ in range(3):
        started = time.perf_counter()
        response = session.post(emulator.base_url + BY_PERIOD, json=body)
        timings.append(time.perf_counter() - started)
        page = response.json()
        body["cursor"] = page["records"]["cursor"]
        assert sum(len(user["userAggregateActivity"]) for user in page["usersAggregateActivity"]) == 36_500

    # Timed client-side, transfer of ~17 MB included; the first page may include generating everyone's history.
    assert max(timings[1:]) < 1.0, timings
