"""The base of every Gong stream: host, authentication, error table, backoff and paging from `records.cursor`."""

from __future__ import annotations

from abc import ABC
from collections.abc import Mapping, MutableMapping
from typing import Any

import requests
from airbyte_cdk.sources.streams.call_rate import HttpAPIBudget
from airbyte_cdk.sources.streams.http import HttpStream
from requests.auth import AuthBase

from ..config.settings import GongConfig
from .auth import GongOAuthAuthenticator
from .body import decoded_body
from .errors import GongErrorHandler
from .limits import GongBackoffStrategy

REQUEST_TIMEOUT = (15, 180)  # seconds to connect, seconds to read a (possibly large) page


class GongStream(HttpStream, ABC):
    """A Gong API stream: POST with a JSON body, pages from `records.cursor`, Gong's errors and limits."""

    http_method = "POST"
    optional = False  # a lookup the sync can do without: Gong refusing it (401, 403) is no failure
    empty_on_404 = True  # Gong documents 404 as "nothing found" for this endpoint
    scope = "api:stats:user-actions"  # the Gong scope this endpoint needs
    error_handler_class: type[GongErrorHandler] = GongErrorHandler

    def __init__(self, config: GongConfig, authenticator: AuthBase, api_budget: HttpAPIBudget):
        self.config = config
        self._authenticator = authenticator
        super().__init__(authenticator=authenticator, api_budget=api_budget)

    @property
    def url_base(self) -> str:
        if isinstance(self._authenticator, GongOAuthAuthenticator):
            self._authenticator.ensure_fresh_token()
            if self._authenticator.api_base_url:
                return self._authenticator.api_base_url + "/"
        return self.config.base_url + "/"

    def get_error_handler(self) -> GongErrorHandler:
        oauth = self._authenticator if isinstance(self._authenticator, GongOAuthAuthenticator) else None
        return self.error_handler_class(
            self.logger,
            oauth.take_refresh_for_401 if oauth else None,
            self.config.max_retries,
            max_time_seconds=max(600, 3 * self.config.max_retry_after_seconds),
            optional=self.optional,
            scope=self.scope,
            empty_on_404=self.empty_on_404,
            filters=self.filter_fields,
        )

    @property
    def filter_fields(self) -> tuple[str, ...]:
        """The config fields that narrow this endpoint's requests: what a 400 of Gong's may be about."""
        return ("user_ids",) if self.config.user_ids else ()

    def get_backoff_strategy(self) -> GongBackoffStrategy:
        return GongBackoffStrategy(self.config.max_retry_after_seconds)

    # The CDK calls HttpStream's request hooks with keywords only; the overrides name just the ones they use.
    def request_kwargs(self, **kwargs: Any) -> Mapping[str, Any]:  # type: ignore[override]
        return {"timeout": REQUEST_TIMEOUT}

    def next_page_token(self, response: requests.Response) -> Mapping[str, Any] | None:
        if response.status_code != 200:
            return None
        cursor = (decoded_body(response).get("records") or {}).get("cursor")
        return {"cursor": cursor} if cursor else None

    def with_cursor(
        self, body: MutableMapping[str, Any], next_page_token: Mapping[str, Any] | None
    ) -> MutableMapping[str, Any]:
        if next_page_token:
            body["cursor"] = next_page_token["cursor"]
        return body
