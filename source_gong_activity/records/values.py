"""The checks every record makes of Gong's values: one home for what an id, a text, a flag and a list may be.

Gong's contract requires no field, so a value left out (or sent as null) is None here, never a guess; a value of
the wrong type is a `MalformedResponse`, which names where it stood.
"""

from __future__ import annotations

from typing import Any


class MalformedResponse(ValueError):
    """Gong's response lacks a field the record needs, or holds one of a wrong type (extra fields are fine)."""


def is_gong_id(value: Any) -> bool:
    """An id as Gong may send it: a string, or a whole JSON number (of up to 20 digits, which the decoder keeps
    exact); never a bool, never a float, which has already lost digits."""
    return type(value) is str or type(value) is int


def gong_id(container: dict[str, Any], key: str) -> str | None:
    """The id under `key` as a decimal string (Gong's 2023 contract types ids as strings, its 2024 one as int64
    numbers), or None when Gong left it out."""
    value = container.get(key)
    if value is None or type(value) is str:
        return value
    if type(value) is int:
        return str(value)
    raise MalformedResponse(f"has no id '{key}' (got {value!r})")


def text(container: dict[str, Any], key: str) -> str | None:
    """The text under `key`, or None when Gong left it out."""
    value = container.get(key)
    if value is not None and type(value) is not str:
        raise MalformedResponse(f"has no text '{key}' (got {value!r})")
    return value


def required_text(container: Any, key: str, where: str = "") -> str:
    """The text under `key`, which the record cannot do without (a user id, a period's start)."""
    value = container.get(key) if isinstance(container, dict) else None
    if type(value) is not str or not value:
        raise MalformedResponse(f"{where} has no '{key}'".lstrip())
    return value


def whole_number(container: dict[str, Any], key: str) -> int | None:
    """The whole JSON number under `key` (a score, a range's end), or None when Gong left it out."""
    value = container.get(key)
    if value is not None and type(value) is not int:
        raise MalformedResponse(f"has no whole-number '{key}' (got {value!r})")
    return value


def flag(container: dict[str, Any], key: str) -> bool | None:
    value = container.get(key)
    if value is not None and type(value) is not bool:
        raise MalformedResponse(f"has no true or false '{key}' (got {value!r})")
    return value


def listed(container: Any, key: str, where: str) -> list[Any]:
    """A list Gong may leave out (its contract requires no field): missing or null is empty, anything else is wrong."""
    value = container.get(key) if isinstance(container, dict) else None
    if value is None and isinstance(container, dict):
        return []
    if not isinstance(value, list):
        raise MalformedResponse(f"{where} has no list '{key}'")
    return value
