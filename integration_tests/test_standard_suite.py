"""The CDK's standard connector tests (spec, check, discover, basic read) against the local Gong emulator.

`acceptance-test-config.yml` names its configs by path, but the emulator's port is only known at run time, so the
module-scoped fixture below starts one emulator and writes those files before any scenario reads them (scenarios
read their config file when the test runs, not at collection), then stops it and removes them.

The Docker image tests the base class also defines are marked `image_tests`; they need a Docker engine and are
deselected with `-m "not image_tests"`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from airbyte_cdk.test.standard_tests import SourceTestSuiteBase

from integration_tests.harness import EmulatorProcess, emulator_config
from source_gong_activity import SourceGongActivity

ACCEPTANCE_DIR = Path(__file__).resolve().parent / "acceptance"
# A short window and no client-side throttling keep every read to a handful of requests.
WINDOW = {"start_date": "2024-03-04", "end_date": "2024-03-08", "requests_per_second": 50}


@pytest.fixture(scope="module", autouse=True)
def acceptance_configs() -> Iterator[EmulatorProcess]:
    """One emulator for the module; writes the config files that acceptance-test-config.yml lists."""
    ACCEPTANCE_DIR.mkdir(exist_ok=True)
    written = []
    with EmulatorProcess() as emulator:
        good = emulator_config(emulator, **WINDOW)
        bad = emulator_config(emulator, **WINDOW, max_retries=0)
        bad["credentials"] = {**bad["credentials"], "access_key": "wrong-access-key"}
        for name, config in (("config.json", good), ("invalid_config.json", bad)):
            path = ACCEPTANCE_DIR / name
            path.write_text(json.dumps(config, indent=2))
            written.append(path)
        try:
            yield emulator
        finally:
            for path in written:
                path.unlink(missing_ok=True)


class TestGongActivityStandardSuite(SourceTestSuiteBase):
    connector = SourceGongActivity
