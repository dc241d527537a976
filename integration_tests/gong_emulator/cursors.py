"""Opaque paging cursors, HMAC-signed so a cursor only works for the request series that produced it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os


class CursorCodec:
    """Encodes a page number bound to one endpoint and one exact filter; anything else is an invalid cursor."""

    def __init__(self, key: bytes | None = None) -> None:
        self._key = key or os.urandom(32)

    def encode(self, scope: str, page: int) -> str:
        payload = _b64(json.dumps({"s": _digest(scope), "p": page}, separators=(",", ":")).encode())
        return f"{payload}.{self._sign(payload)}"

    def decode(self, scope: str, cursor: object) -> int | None:
        """The page the cursor points at, or None when it was not issued for this scope."""
        if not isinstance(cursor, str) or cursor.count(".") != 1:
            return None
        payload, signature = cursor.split(".")
        if not hmac.compare_digest(signature, self._sign(payload)):
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        except ValueError:
            return None
        if data.get("s") != _digest(scope) or not isinstance(data.get("p"), int) or data["p"] < 1:
            return None
        return data["p"]

    def _sign(self, payload: str) -> str:
        return _b64(hmac.new(self._key, payload.encode(), hashlib.sha256).digest()[:16])


def request_scope(endpoint: str, body: dict) -> str:
    """What a cursor is tied to: the endpoint, the filter and the aggregation period, key order aside."""
    return json.dumps([endpoint, body.get("filter"), body.get("aggregationPeriod")], sort_keys=True)


def _digest(scope: str) -> str:
    return hashlib.sha256(scope.encode()).hexdigest()[:24]


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")
