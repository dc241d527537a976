"""Authentication with Gong: an access key, a bearer token, or OAuth with single-use refresh tokens (regional hosts)."""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlparse

import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.streams.http.exceptions import DefaultBackoffException
from airbyte_cdk.sources.streams.http.requests_native_auth import (
    BasicHttpAuthenticator,
    SingleUseRefreshTokenOauth2Authenticator,
    TokenAuthenticator,
)
from airbyte_cdk.sources.streams.http.requests_native_auth.abstract_token import AbstractHeaderAuthenticator
from airbyte_cdk.utils.airbyte_secrets_utils import add_to_secrets
from airbyte_cdk.utils.traced_exception import AirbyteTracedException
from requests.auth import AuthBase

from ..config import persisted
from ..config.settings import AccessKey, GongConfig, is_loopback
from .limits import MAX_BACKOFF_SECONDS

logger = logging.getLogger("airbyte")


class GongOAuthAuthenticator(SingleUseRefreshTokenOauth2Authenticator):
    """Gong's OAuth refresh: query-string parameters, client credentials as Basic auth, single-use refresh tokens,
    and the company's regional API host in `api_base_url_for_customer`."""

    def __init__(self, connector_config: Mapping[str, Any], token_url: str, max_retries: int):
        credentials = connector_config["credentials"]
        client = base64.b64encode(f"{credentials['client_id']}:{credentials['client_secret']}".encode()).decode()
        add_to_secrets(client)
        super().__init__(
            connector_config=connector_config,
            token_refresh_endpoint=token_url,
            refresh_request_headers={"Authorization": f"Basic {client}"},
            send_refresh_request_as_query_params=True,
            # A used or revoked single-use refresh token needs the user to re-authenticate: a config error, not a retry.
            refresh_token_error_status_codes=(400, 401),
            refresh_token_error_key="error",
            refresh_token_error_values=("invalid_grant", "invalid_client"),
        )
        self.api_base_url: str | None = None  # Gong's regional host, when its token response names one
        self._refreshed = False  # whether this sync has refreshed once, and so heard whether there is a regional host
        self._max_retries = max_retries
        self._refreshed_for_401 = False

    def take_refresh_for_401(self) -> bool:
        """Whether a 401 may still refresh the token: once per sync. A missing scope is also a 401 on most of Gong's
        endpoints; refreshing for each would spend single-use refresh tokens on requests no token can pass."""
        if self._refreshed_for_401:
            return False
        self._refreshed_for_401 = True
        return True

    def _make_handled_request(self) -> Any:
        """The CDK's token request under the API's rules: `max_retries` retries of a passing fault, 1, 2, 4 ... s apart.

        The CDK's own decorator retries for up to 300 s whatever `max_retries` says: an unreachable token endpoint hung
        a sync for 5 minutes before two generic errors. A refused refresh token still fails at once, as a config error.
        """
        request_once = SingleUseRefreshTokenOauth2Authenticator._make_handled_request.__wrapped__  # type: ignore[attr-defined]
        for attempt in range(self._max_retries + 1):
            try:
                return request_once(self)
            except (DefaultBackoffException, requests.exceptions.ConnectionError, requests.exceptions.Timeout) as error:
                if attempt == self._max_retries:
                    raise _token_endpoint_failure(self.get_token_refresh_endpoint(), error, attempt + 1) from None
                logger.info(f"Gong's token endpoint did not answer properly ({_cause(error)}); retrying.")
                time.sleep(min(2**attempt, MAX_BACKOFF_SECONDS))
        raise AssertionError("unreachable")

    # The single-use refresh also returns the new refresh token: the CDK's own override declares the same ignore.
    def refresh_access_token(self) -> tuple[str, Any, str | None]:  # type: ignore[override]
        response = self._make_handled_request()
        self.api_base_url = _checked_regional_url(response.get("api_base_url_for_customer"))
        self._refreshed = True
        refresh_token = self._extract_refresh_token(response)
        if refresh_token:
            add_to_secrets(refresh_token)
        return self._extract_access_token(response), self._extract_token_expiry_date(response), refresh_token

    def _emit_control_message(self) -> None:
        super()._emit_control_message()
        # Outside the platform nobody stores the CONTROL message: --persist-config writes it to the config file.
        persisted.config_updated(self._connector_config)

    def ensure_fresh_token(self) -> None:
        """Refreshes now if needed, so the regional host is known before the first API call is addressed: once a
        sync, then once per token lifetime. A token response without a host leaves the configured `base_url`."""
        if not self._refreshed or self.token_has_expired():
            self.refresh_and_set_access_token()


def _cause(error: Exception) -> str:
    if isinstance(error, DefaultBackoffException) and error.response is not None:
        return f"HTTP {error.response.status_code}"
    return type(error).__name__


def _token_endpoint_failure(url: str | None, error: Exception, tries: int) -> AirbyteTracedException:
    host = urlparse(url or "").netloc or "the token endpoint"
    message = (
        f"Could not get a fresh OAuth access token from Gong's token endpoint at {host}: {_cause(error)} on each of "
        f"{tries} tries. Check 'token_url' and the network, then run the sync again."
    )
    return AirbyteTracedException(
        message=message, internal_message=f"{message} {error}", failure_type=FailureType.transient_error
    )


def _checked_regional_url(value: Any) -> str | None:
    """The token response's `api_base_url_for_customer`, if credentials may go there: an https host under gong.io
    (or loopback, for tests). The token endpoint is configurable, so its answer is not trusted blindly."""
    if not isinstance(value, str) or not value:
        return None
    if is_gong_api_url(value):
        return value.rstrip("/")
    message = (
        f"Gong's token response named the API host {value!r}, which is not an https host under gong.io; no credential "
        "was sent to it. Check 'token_url' (Gong's is https://app.gong.io/oauth2/generate-customer-token)."
    )
    raise AirbyteTracedException(message=message, internal_message=message, failure_type=FailureType.config_error)


def is_gong_api_url(url: str) -> bool:
    try:
        parsed = urlparse(url)
        host = (parsed.hostname or "").lower()
        parsed.port  # noqa: B018  # raises ValueError for a port that is not a number
    except ValueError:
        return False
    if is_loopback(host):
        return parsed.scheme in ("http", "https")
    under_gong = host == "gong.io" or host.endswith(".gong.io")
    return parsed.scheme == "https" and under_gong and not parsed.username and not parsed.password


def build_authenticator(config: GongConfig, raw_config: Mapping[str, Any]) -> AuthBase:
    credentials = config.credentials
    authenticator: AbstractHeaderAuthenticator
    if isinstance(credentials, AccessKey):
        authenticator = BasicHttpAuthenticator(credentials.access_key, credentials.access_key_secret)
    elif credentials.can_refresh:
        return GongOAuthAuthenticator(raw_config, config.token_url, config.max_retries)
    else:
        # parse_config requires an access token whenever the refresh setup is incomplete.
        authenticator = TokenAuthenticator(credentials.access_token or "")
    # The header value is as secret as the key it encodes: mask it wherever the CDK logs requests.
    add_to_secrets(authenticator.token.split(" ", 1)[-1])
    return authenticator
