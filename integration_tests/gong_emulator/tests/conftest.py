"""Fixtures: in-process emulators on free loopback ports and sessions that talk to them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
import requests

from integration_tests.gong_emulator import Emulator, EmulatorConfig

BASIC = ("test-access-key", "test-access-key-secret")
AGGREGATE = "/v2/stats/activity/aggregate"
BY_PERIOD = "/v2/stats/activity/aggregate-by-period"
DAY_BY_DAY = "/v2/stats/activity/day-by-day"
INTERACTION = "/v2/stats/interaction"


@pytest.fixture
def start_emulator() -> Iterator[Callable[..., Emulator]]:
    """Start an emulator with config overrides (small by default, so tests stay fast); stopped afterwards."""
    running: list[Emulator] = []

    def start(**overrides: object) -> Emulator:
        settings = {"users": 30, **overrides}
        emulator = Emulator(EmulatorConfig(**settings)).start()
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
