"""The lock (constraints.txt): one pin per package on every supported Python, in setup.py's ranges, and what a fresh
`pip install -c constraints.txt` on this Python really installs."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parents[1]
LOCK = REPO / "constraints.txt"
SUPPORTED_PYTHONS = ["3.11", "3.12", "3.13"]


def lock_pins(python: str) -> dict[str, Version]:
    """Package -> locked version on Linux with CPython `python` (the lock's markers evaluated for it)."""
    pins: dict[str, Version] = {}
    for requirement in lock_requirements():
        if requirement.marker is None or requirement.marker.evaluate(marker_environment(python)):
            name = canonicalize_name(requirement.name)
            assert name not in pins, f"constraints.txt pins {name} twice for Python {python}"
            [specifier] = requirement.specifier
            assert specifier.operator == "==", f"constraints.txt must pin exactly: {requirement}"
            pins[name] = Version(specifier.version)
    return pins


def lock_requirements() -> Iterator[Requirement]:
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            yield Requirement(line)


def marker_environment(python: str) -> dict[str, str]:
    full_version = f"{sys.version_info.major}.{sys.version_info.minor}.{sys.version_info.micro}"
    if python != f"{sys.version_info.major}.{sys.version_info.minor}":
        full_version = f"{python}.0"
    return {
        "python_version": python,
        "python_full_version": full_version,
        "sys_platform": "linux",
        "platform_system": "Linux",
        "platform_machine": "x86_64",
        "os_name": "posix",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
    }


def setup_requirements() -> dict[str, list[Requirement]]:
    """setup.py's `install_requires` and `extras_require`, read without running setup.py."""
    tree = ast.parse((REPO / "setup.py").read_text(encoding="utf-8"))
    [call] = [node for node in ast.walk(tree) if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "setup"]
    keywords = {keyword.arg: keyword.value for keyword in call.keywords}
    groups = {"install_requires": ast.literal_eval(keywords["install_requires"])}
    groups.update(ast.literal_eval(keywords["extras_require"]))
    return {group: [Requirement(text) for text in texts] for group, texts in groups.items()}


@pytest.mark.parametrize("python", SUPPORTED_PYTHONS)
def test_given_the_lock_when_read_for_each_python_then_every_setup_requirement_is_pinned_within_its_range(
    python: str,
) -> None:
    pins = lock_pins(python)
    environment = marker_environment(python)

    wanted = [req for reqs in setup_requirements().values() for req in reqs]
    applicable = [req for req in wanted if req.marker is None or req.marker.evaluate(environment)]
    unpinned = [str(req) for req in applicable if canonicalize_name(req.name) not in pins]
    outside = [
        f"{req} (locked {pins[canonicalize_name(req.name)]})"
        for req in applicable
        if canonicalize_name(req.name) in pins and pins[canonicalize_name(req.name)] not in req.specifier
    ]
    assert (unpinned, outside) == ([], []), "run `make lock` after changing setup.py"


def test_given_the_locked_cdk_then_setup_py_admits_exactly_its_minor_series() -> None:
    locked = lock_pins("3.11")["airbyte-cdk"]
    [cdk] = [req for req in setup_requirements()["install_requires"] if req.name == "airbyte-cdk"]

    assert cdk.specifier == SpecifierSet(f">={locked.major}.{locked.minor},<{locked.major}.{locked.minor + 1}")


def test_given_the_supported_pythons_then_setup_py_admits_them_and_no_later_one() -> None:
    tree = ast.parse((REPO / "setup.py").read_text(encoding="utf-8"))
    [requires_python] = [
        ast.literal_eval(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.keyword) and node.arg == "python_requires"
    ]

    admitted = [python for python in [*SUPPORTED_PYTHONS, "3.10", "3.14"] if python in SpecifierSet(requires_python)]
    assert admitted == SUPPORTED_PYTHONS


def test_given_a_lock_marker_then_it_names_only_what_a_linux_cpython_install_can_evaluate() -> None:
    # A marker this test's environment cannot evaluate would make lock_pins() raise rather than decide.
    markers = [requirement.marker for requirement in lock_requirements() if requirement.marker is not None]

    assert all(isinstance(marker, Marker) for marker in markers)
    for python in SUPPORTED_PYTHONS:
        lock_pins(python)


def pip_freeze(python: Path) -> dict[str, str]:
    result = subprocess.run(
        [str(python), "-m", "pip", "freeze", "--all", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=True,
    )
    frozen = {}
    for line in result.stdout.splitlines():
        name, separator, version = line.partition("==")
        if separator:
            frozen[canonicalize_name(name)] = version
    return frozen


@pytest.mark.slow
@pytest.mark.parametrize("extras", ["", "[dev,quickstart]"])
def test_given_a_fresh_venv_on_this_python_when_installed_with_the_lock_then_pip_freeze_is_the_lock(
    tmp_path: Path, extras: str
) -> None:
    this_python = f"{sys.version_info.major}.{sys.version_info.minor}"
    venv.EnvBuilder(with_pip=True).create(tmp_path / "venv")
    python = tmp_path / "venv" / "bin" / "python"
    install = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-compile"]
    result = subprocess.run([*install, "-c", str(LOCK), f"{REPO}{extras}"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    frozen = pip_freeze(python)
    frozen.pop("pip", None)  # the venv's own installer, which no project depends on
    frozen.pop("airbyte-source-gong-activity", None)  # the project itself, installed from the checkout
    pins = lock_pins(this_python)
    assert "airbyte-cdk" in frozen
    assert {name: version for name, version in frozen.items() if Version(version) != pins.get(name)} == {}

    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    spec = subprocess.run(
        [str(python.with_name("source-gong-activity")), "spec"], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert spec.returncode == 0, spec.stderr[-3000:]
    messages = [json.loads(line) for line in spec.stdout.splitlines() if line.strip()]
    assert [message["type"] for message in messages if message["type"] != "LOG"] == ["SPEC"]
