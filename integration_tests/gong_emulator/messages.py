"""The request and response values passed between the HTTP layer and the emulated endpoints."""

from __future__ import annotations

import dataclasses
import json
import secrets
import string
from collections.abc import Mapping

_REQUEST_ID_ALPHABET = string.ascii_lowercase + string.digits


@dataclasses.dataclass
class ApiRequest:
    """One HTTP request, already read off the socket."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: Mapping[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name)

    def query_value(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None


@dataclasses.dataclass
class ApiResponse:
    status: int
    body: bytes
    headers: dict[str, str] = dataclasses.field(default_factory=dict)


class ApiError(Exception):
    """An error answer: Gong's body is always {requestId, errors: [...]}."""

    def __init__(self, status: int, message: str, headers: dict | None = None, **extra: object) -> None:
        super().__init__(message)
        self.status, self.message, self.headers, self.extra = status, message, headers or {}, extra

    def response(self) -> ApiResponse:
        return error_response(self.status, self.message, self.headers, **self.extra)


def new_request_id() -> str:
    """A random id shaped like Gong's (e.g. 4al018gzaztcr8nbukw)."""
    return "".join(secrets.choice(_REQUEST_ID_ALPHABET) for _ in range(19))


def json_response(status: int, payload: object, headers: dict | None = None) -> ApiResponse:
    return raw_json_response(status, json.dumps(payload, separators=(",", ":")), headers)


def raw_json_response(status: int, text: str, headers: dict | None = None) -> ApiResponse:
    return ApiResponse(status, text.encode(), {"Content-Type": "application/json; charset=utf-8", **(headers or {})})


def error_response(status: int, message: str, headers: dict | None = None, **extra: object) -> ApiResponse:
    return json_response(status, {**extra, "requestId": new_request_id(), "errors": [message]}, headers)
