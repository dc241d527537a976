"""Fixtures: in-process emulators on free loopback ports and sessions that talk to them."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator

import pytest
import requests

from integration_tests.gong_emulator import Emulator, EmulatorConfig

BASIC = ("test-access-key", "test-access-key-secret")
AGGREGATE = "/v2/stats/activity/aggregate"
BY_PERIOD = "/v2/stats/activity/aggregate-by-period"
DAY_BY_DAY = "/v2/stats/activity/day-by-day"
INTERACTION = "/v2/stats/interaction"


class MovedClock:
    """A monotonic clock that stands still until the test moves it: `clock.now = 1.5`. Passed to an emulator as
    `start_emulator(clock=...)`, it is what the rate limit, Retry-After and token expiry measure time by, so a test
    says when time passes and a loaded machine cannot move it (nor does the test sleep)."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def start_emulator() -> Iterator[Callable[..., Emulator]]:
    """Start an emulator with config overrides (small by default, so tests stay fast), and optionally `clock=` (see
    MovedClock); stopped afterwards."""
    running: list[Emulator] = []

    def start(clock: Callable[[], float] | None = None, **overrides: object) -> Emulator:
        settings = {"users": 30, **overrides}
        emulator = Emulator(EmulatorConfig(**settings), clock=clock or time.monotonic).start()
        running.append(emulator)
        return emulator

    yield start
    for emulator in running:
        emulator.stop()


@pytest.fixture
def emulator(start_emulator: Callable[..., Emulator]) -> Emulator:
    return start_emulator()


@pytest.fixture
def session() -> Iterator[requests.Session]:
    with requests.Session() as http:
        http.auth = BASIC
        yield http


def filter_body(from_date: dt.date, to_date: dt.date, **extra: object) -> dict:
    return {"filter": {"fromDate": from_date.isoformat(), "toDate": to_date.isoformat(), **extra}}


def read_all_pages(http: requests.Session, url: str, body: dict) -> list[dict]:
    """Every page of one call series, following records.cursor until it disappears."""
    pages, body = [], dict(body)
    while True:
        response = http.post(url, json=body)
        assert response.status_code == 200, response.text
        pages.append(response.json())
        cursor = pages[-1]["records"].get("cursor")
        if cursor is None:
            return pages
        body["cursor"] = cursor
