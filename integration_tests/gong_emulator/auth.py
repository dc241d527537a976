"""Gong's credentials: access-key Basic auth, Bearer tokens, and the single-use refresh-token endpoint."""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
import threading
import time
from collections.abc import Callable

from .config import EmulatorConfig
from .messages import ApiError, ApiRequest, ApiResponse, json_response

STATS_SCOPE = "api:stats:user-actions"
DETAILED_SCOPE = "api:stats:user-actions:detailed"
INTERACTION_SCOPE = "api:stats:interaction"
SCORECARDS_SCOPE = "api:stats:scorecards"
SETTINGS_SCOPE = "api:settings:scorecards:read"
USERS_SCOPE = "api:users:read"
WORKSPACES_SCOPE = "api:workspaces:read"  # Gong's reference page for GET /v2/workspaces names it
COACHING_SCOPE = "api:coaching:read"


def granted_scopes(config: EmulatorConfig) -> tuple[str, ...]:
    """The scopes the emulated key and tokens hold: all of them but those a --no-...-scope flag withholds."""
    withheld = {
        STATS_SCOPE: config.no_stats_scope,
        DETAILED_SCOPE: config.no_detailed_scope,
        INTERACTION_SCOPE: config.no_interaction_scope,
        SCORECARDS_SCOPE: config.no_scorecards_scope,
        SETTINGS_SCOPE: config.no_settings_scope,
        USERS_SCOPE: config.no_users_scope,
        WORKSPACES_SCOPE: config.no_workspaces_scope,
        COACHING_SCOPE: config.no_coaching_scope,
    }
    return tuple(scope for scope, is_withheld in withheld.items() if not is_withheld)


def basic_credentials(header: str | None) -> tuple[str, str] | None:
    """The (user, password) pair in a Basic Authorization header, or None."""
    scheme, _, value = (header or "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, colon, password = decoded.partition(":")
    return (user, password) if colon else None


def bearer_token(header: str | None) -> str | None:
    scheme, _, value = (header or "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _whole(seconds: float) -> float:
    # Gong sends whole seconds; a fractional TTL only exists so tests can watch a token expire quickly.
    return int(seconds) if seconds == int(seconds) else seconds


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


class Credentials:
    """Which Authorization headers the API accepts, and the rotating OAuth refresh token.

    `clock` is a monotonic clock in seconds (`time.monotonic`) that issued tokens expire by; a test can pass one it
    moves itself.
    """

    def __init__(self, config: EmulatorConfig, clock: Callable[[], float] = time.monotonic) -> None:
        self._config = config
        self._clock = clock
        self._refresh_token = config.refresh_token
        self._issued: dict[str, float] = {}  # access token -> monotonic expiry
        self._lock = threading.Lock()

    def is_authorized(self, header: str | None) -> bool:
        """Whether the header carries the access key pair or a live Bearer token."""
        pair = basic_credentials(header)
        if pair is not None:
            return _same(pair[0], self._config.access_key) and _same(pair[1], self._config.access_key_secret)
        token = bearer_token(header)
        if token is None:
            return False
        if _same(token, self._config.access_token):
            return True  # the configured token never expires, so simple tests need no OAuth dance
        with self._lock:
            expiry = self._issued.get(token)
        return expiry is not None and self._clock() < expiry

    def refresh(self, request: ApiRequest, regional_url: str) -> ApiResponse:
        """POST /oauth2/generate-customer-token: trade the one valid refresh token for a new pair."""
        if request.method != "POST":
            raise ApiError(405, "Method not allowed: use POST", error="invalid_request")
        client = basic_credentials(request.header("Authorization"))
        if client is None or not (
            _same(client[0], self._config.client_id) and _same(client[1], self._config.client_secret)
        ):
            raise ApiError(401, "Client authentication failed", error="invalid_client")
        # Gong takes grant_type and refresh_token as query parameters, not as a form body.
        if request.query_value("grant_type") != "refresh_token":
            raise ApiError(400, "grant_type must be refresh_token", error="unsupported_grant_type")
        offered = request.query_value("refresh_token") or ""
        with self._lock:
            # Single use: once redeemed, a refresh token is dead; only the newly returned one works.
            if not _same(offered, self._refresh_token):
                raise ApiError(401, "Invalid refresh token: it was already used or never issued", error="invalid_grant")
            access_token, self._refresh_token = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            self._issued[access_token] = self._clock() + self._config.token_ttl
            refresh_token = self._refresh_token
        token = {
            "access_token": access_token,
            "refresh_token": refresh_token,
            "token_type": "bearer",
            "expires_in": _whole(self._config.token_ttl),
            "scope": " ".join(granted_scopes(self._config)),
        }
        # --token-without-host: a response that names no host, so the client keeps the base URL it was configured with.
        if not self._config.token_without_host:
            token["api_base_url_for_customer"] = regional_url
        return json_response(200, token)
