"""Root conftest: registers the CDK's standard-test hooks, and skips Docker image tests where no engine is set up.

The hooks parametrize `SourceTestSuiteBase` tests by the scenarios of `acceptance-test-config.yml` and add its command
line options (`--connector-image`, `--read-from-streams`, ...). A plugin can only be registered from the root
conftest, so it lives here rather than in integration_tests/conftest.py.

CI deselects the image tests with `-m "not image_tests"`. The CDK runs them whenever a `docker` command is on PATH,
which here is a client without an engine, so a run without that marker would fail them; they are skipped instead
unless a local engine socket exists or DOCKER_HOST names one (nothing is contacted to find out).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Before any test imports PyAirbyte (it reads these once, at import): no connector registry lookup and no usage
# telemetry, so no test ever sends traffic beyond loopback.
os.environ.setdefault("AIRBYTE_OFFLINE_MODE", "1")
os.environ.setdefault("DO_NOT_TRACK", "1")

pytest_plugins = ["airbyte_cdk.test.standard_tests.pytest_hooks"]


def _docker_engine_configured() -> bool:
    return bool(os.environ.get("DOCKER_HOST")) or Path("/var/run/docker.sock").exists()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    image_tests = [item for item in items if item.get_closest_marker("image_tests")]
    if image_tests and not _docker_engine_configured():
        skip = pytest.mark.skip(reason="no Docker engine (no /var/run/docker.sock, DOCKER_HOST unset)")
        for item in image_tests:
            item.add_marker(skip)
