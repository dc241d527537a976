"""Fixtures shared by the end-to-end tests: one emulator per module, a scratch folder per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from integration_tests.harness import EmulatorProcess


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorProcess]:
    with EmulatorProcess() as running:
        yield running
