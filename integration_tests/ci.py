"""CI runs every test: there a test that would skip for a missing tool or extra fails instead.

CI services set CI=true, and so does a release run (`CI=true bash .ci/run`, which sets it when unset). The quick-start
extra, PyAirbyte and `chattr` are all present there, so a skip in CI means a broken install that would otherwise
pass green.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def skip_unless_ci(reason: str, allow_module_level: bool = False) -> NoReturn:
    """Skips with `reason` outside CI; in CI, fails with it."""
    if in_ci():
        pytest.fail(f"{reason} (in CI, CI={os.environ['CI']}, this test must run, not skip)", pytrace=False)
    pytest.skip(reason, allow_module_level=allow_module_level)
