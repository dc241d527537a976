"""The one decoder of Gong's bodies: every part of the connector that reads an answer (or the request a page was
asked with) asks here, and each response is decoded once."""

from __future__ import annotations

import datetime as dt
import json
import weakref
from collections.abc import Mapping
from typing import Any

import orjson
import requests

_DECODED: weakref.WeakKeyDictionary[requests.Response, Any] = weakref.WeakKeyDictionary()
# Gong's call ids can be JSON numbers of 20 digits, above 2**64, where orjson makes a float of them and loses digits.
# The standard library's decoder keeps every integer exact, at several times orjson's cost: it reads only a body with
# a run of 20 digits (a number, or a string such as a 20-digit id, which costs speed, never correctness). Every digit
# is mapped to "0" and the run looked for with a C search: a regular expression took twice orjson's own time.
_DIGITS_AS_ZERO = bytes(ord("0") if chr(byte).isdigit() and byte < 128 else byte for byte in range(256))
_TWENTY_DIGITS = b"0" * 20
_SCAN_BYTES = 1 << 20  # scanned a slice at a time, so a 20 MB page is never copied whole


def decoded_body(response: requests.Response) -> Any:
    """The decoded JSON body, decoded once per response: the error handler checks it, the parser reads it."""
    if response not in _DECODED:
        _DECODED[response] = decode_json(response.content)
    return _DECODED[response]


def decode_json(content: bytes) -> Any:
    """orjson, unless the body may hold an integer that orjson would turn into a float."""
    if _may_hold_big_integer(content):
        return json.loads(content)
    return orjson.loads(content)


def _may_hold_big_integer(content: bytes) -> bool:
    overlap = len(_TWENTY_DIGITS) - 1  # a run across two slices is seen whole in the first
    return any(
        _TWENTY_DIGITS in content[start : start + _SCAN_BYTES + overlap].translate(_DIGITS_AS_ZERO)
        for start in range(0, len(content), _SCAN_BYTES)
    )


def gong_error_body(response: requests.Response) -> Mapping[str, Any] | None:
    """Gong's error shape, `{requestId, errors}`, or None for any other body (an HTML page from a wrong host)."""
    try:
        body = decoded_body(response)
    except ValueError:
        return None
    if isinstance(body, Mapping) and ("errors" in body or "requestId" in body):
        return body
    return None


def gong_error_text(response: requests.Response) -> str:
    """Gong's own words for an error: its `errors` list and the `requestId` to quote to Gong's support."""
    body = gong_error_body(response)
    if body is None:
        return f"HTTP {response.status_code} with no Gong error body"
    errors = body.get("errors") or []
    text = "; ".join(str(error) for error in errors) if isinstance(errors, list) else str(errors)
    return f"HTTP {response.status_code}: {text or 'no error message'} (requestId {body.get('requestId', 'unknown')})"


def first_page_to_date(response: requests.Response) -> dt.date | None:
    """The window's end (`toDate`, or the scorecards' `reviewToDate`) that a first page was asked with, read back from
    the request; None for a later page (it has a cursor) or a request without one."""
    if response.request is None or not response.request.body:
        return None
    try:
        body = json.loads(response.request.body)
        window = body["filter"]
        to_date = dt.date.fromisoformat(window["toDate"] if "toDate" in window else window["reviewToDate"])
    except (ValueError, KeyError, TypeError):
        return None
    return None if "cursor" in body else to_date
