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
# The one rule for wide integers. Gong's contract allows ids as JSON numbers of up to 20 digits (its own examples have
# a call id above 2**64). An integer outside the signed 64-bit range is decoded as its exact decimal string, so every
# record (`remote_data` too) carries it as text: signed, because that is the widest integer the readers downstream
# share (PostgreSQL's bigint, pandas' int64 in PyAirbyte's loaders, Java's long in Airbyte's destinations, BigQuery's
# INT64), and past it a reader rounds the id through a float or stops the sync ("Value is too big!"). orjson is
# exact up to 2**64 and makes a float above, so a body with such an integer is read by the standard library instead
# (several times orjson's cost), and only such a body: numbers are found without a regular expression (which cost
# twice orjson's own time), by mapping every digit to "0" and every byte that may stand before a JSON number to "!"
# and looking for "!" and 19 zeros with a C search, a megabyte at a time. A string such as a 19-digit id follows a
# quote and is never a hit; a number of exactly 19 digits is one when it is above 2**63 - 1 (it starts with 9).
_WIDEST = 2**63 - 1
_NUMBER_SHAPE = bytes(
    ord("0") if chr(byte).isdigit() and byte < 128 else ord("!") if chr(byte) in ":,[- \t\r\n" else byte
    for byte in range(256)
)
_NINETEEN_DIGITS = b"!" + b"0" * 19  # a number of 19 digits or more
_TWENTY_DIGITS = _NINETEEN_DIGITS + b"0"  # of 20 digits or more: always outside 64 bits
_SCAN_BYTES = 1 << 20  # scanned a slice at a time, so a 20 MB page is never copied whole
_OVERLAP = len(_TWENTY_DIGITS)  # a number and the byte after it, cut by a slice's end, are seen whole in that slice
_NINES_SHAPE = bytes(byte if byte == ord("9") else shape for byte, shape in enumerate(_NUMBER_SHAPE))
_TOP_LEVEL_NUMBER = tuple(bytes([byte]) for byte in b"-0123456789")


def decoded_body(response: requests.Response) -> Any:
    """The decoded JSON body, decoded once per response: the error handler checks it, the parser reads it."""
    if response not in _DECODED:
        _DECODED[response] = decode_json(response.content)
    return _DECODED[response]


def decode_json(content: bytes) -> Any:
    """The body's JSON, with each integer outside 64 bits (signed) as its exact decimal string (see above)."""
    if _may_hold_wide_integer(content):
        return json.loads(content, parse_int=_integer_or_digits)
    return orjson.loads(content)


def _integer_or_digits(digits: str) -> int | str:
    value = int(digits)
    return digits if value > _WIDEST or value < -_WIDEST - 1 else value


def _may_hold_wide_integer(content: bytes) -> bool:
    if content.lstrip(b" \t\r\n")[:1] in _TOP_LEVEL_NUMBER:
        return True  # a body that is one number has nothing before it (never Gong's)
    for start in range(0, len(content), _SCAN_BYTES):
        piece = content[start : start + _SCAN_BYTES + _OVERLAP]
        shape = piece.translate(_NUMBER_SHAPE)
        if _TWENTY_DIGITS in shape or (_NINETEEN_DIGITS in shape and _has_wide_nineteen_digits(piece, shape)):
            return True
    return False


def _has_wide_nineteen_digits(piece: bytes, shape: bytes) -> bool:
    """Whether a number of 19 digits in `piece` is outside 64 bits: only one that starts with 9 can be, so those
    starts are found with a second map that keeps the nines, and read."""
    nines = piece.translate(_NINES_SHAPE)
    at = nines.find(b"!9")
    while at >= 0:
        if shape.startswith(_NINETEEN_DIGITS, at):
            value = int(piece[at + 1 : at + 20])
            if value > _WIDEST + (piece[at] == ord("-")):
                return True
        at = nines.find(b"!9", at + 2)
    return False


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
