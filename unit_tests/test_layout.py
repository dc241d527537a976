"""The package's layout: layers that import only downwards, no import cycles, and modules and functions of a size
that reads in one sitting (CONTRIBUTING.md, "Layout")."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "source_gong_activity"
# Each sub-package (or top module) and its floor: a module imports from its own room or from a lower floor only.
FLOORS = {
    "calendar": 0,
    "config": 1,
    "records": 1,
    "protocol": 1,
    "gong": 2,
    "streams": 3,
    "source": 4,
    "run": 5,
}
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 40
MAX_CLASS_LINES = {"StatsStream": 150}


@functools.cache
def _modules() -> dict[str, ast.Module]:
    return {
        ".".join(path.relative_to(PACKAGE).with_suffix("").parts): ast.parse(path.read_text())
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def _imports(name: str, tree: ast.Module) -> set[str]:
    """The package's own modules that `name` imports (relative imports, resolved; `from . import x` as module x)."""
    package = name.split(".")[:-1]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - node.level + 1]
            target = [*base, *(node.module.split(".") if node.module else [])]
            modules = _modules_named(target, [alias.name for alias in node.names])
            found.update(modules)
    return found


def _modules_named(target: list[str], names: list[str]) -> list[str]:
    as_module = PACKAGE.joinpath(*target)
    if as_module.with_suffix(".py").exists():
        return [".".join(target)]
    return [".".join([*target, name]) for name in names if as_module.joinpath(f"{name}.py").exists()] or [
        ".".join([*target, "__init__"])
    ]


def _room(module: str) -> str:
    return module.split(".")[0]


def test_every_room_of_the_package_has_a_floor() -> None:
    rooms = {_room(name) for name in _modules()} - {"__init__"}
    assert rooms == set(FLOORS)


def test_no_module_imports_from_a_higher_floor_or_a_room_beside_its_own() -> None:
    upward = [
        f"{name} imports {imported}"
        for name, tree in _modules().items()
        if _room(name) != "__init__"
        for imported in _imports(name, tree)
        if _room(imported) != _room(name) and FLOORS[_room(imported)] >= FLOORS[_room(name)]
    ]
    assert upward == []


def test_no_import_cycles() -> None:
    graph = {name: _imports(name, tree) for name, tree in _modules().items()}
    visiting: list[str] = []
    done: set[str] = set()
    cycles: list[list[str]] = []

    def visit(name: str) -> None:
        if name in done:
            return
        if name in visiting:
            cycles.append([*visiting[visiting.index(name) :], name])
            return
        visiting.append(name)
        for imported in sorted(graph.get(name, ())):
            visit(imported)
        visiting.pop()
        done.add(name)

    for name in sorted(graph):
        visit(name)
    assert cycles == []


@pytest.mark.parametrize("name", sorted(_modules()))
def test_modules_and_functions_read_in_one_sitting(name: str) -> None:
    path = PACKAGE.joinpath(*name.split(".")).with_suffix(".py")
    assert len(path.read_text().splitlines()) <= MAX_MODULE_LINES
    for node in ast.walk(_modules()[name]):
        size = (node.end_lineno or node.lineno) - node.lineno + 1 if hasattr(node, "lineno") else 0
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            assert size <= MAX_FUNCTION_LINES, f"{name}.{node.name} is {size} lines"
        if isinstance(node, ast.ClassDef) and node.name in MAX_CLASS_LINES:
            assert size <= MAX_CLASS_LINES[node.name], f"{name}.{node.name} is {size} lines"
