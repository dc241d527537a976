"""Gong's users list, read once per sync for every stream that needs it: names and email aliases for the stats streams,
the people for zero records of quiet users, and the `users` stream itself (`streams.users`)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, MutableMapping
from typing import Any

import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.streams.http.error_handlers import ErrorResolution, ResponseAction
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from .body import decoded_body, gong_error_text
from .client import GongStream
from .errors import GongErrorHandler

logger = logging.getLogger("airbyte")


class UsersLookupErrorHandler(GongErrorHandler):
    """Gong's error table, except that a 429 is a plain retry (still after its Retry-After).

    The CDK's HTTP client prints a RATE_LIMITED stream status under the name of the stream whose call was limited;
    this lookup is no stream of the catalog, and a status for it would name a stream the platform does not know.
    """

    def interpret_response(self, response_or_exception: Any = None) -> ErrorResolution:
        resolution = super().interpret_response(response_or_exception)
        if resolution.response_action == ResponseAction.RATE_LIMITED:
            return ErrorResolution(ResponseAction.RETRY, resolution.failure_type, resolution.error_message)
        return resolution


class UsersLookup(GongStream):
    """The HTTP calls behind the users list: every one of Gong's users (GET /v2/users), whatever `user_ids` says.

    A filter chooses which records a stream syncs, never how complete a record is: the reviewers of `user_ids`' calls,
    and their managers, are named too. The catalog's `users` stream reads the list through `UserDirectory`, as every
    other stream does, so a sync pays for it once.
    """

    name = "users"
    primary_key = "id"
    http_method = "GET"
    # A key without the users scope (403 on GET /v2/users, or 401) can still sync stats.
    optional = True
    scope = "api:users:read"
    error_handler_class = UsersLookupErrorHandler
    empty_on_404 = False  # Gong documents no 404 for GET /v2/users: one is a wrong path
    filter_fields = ()  # this lookup has no filter

    def path(self, **kwargs: Any) -> str:
        return "v2/users"

    # The CDK calls HttpStream's request hooks with keywords only; the override names just the one it uses.
    def request_params(  # type: ignore[override]
        self, next_page_token: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> MutableMapping[str, Any]:
        return dict(next_page_token or {})

    def parse_response(self, response: requests.Response, **kwargs: Any) -> Iterable[Mapping[str, Any]]:
        if response.status_code != 200:
            return []
        users = decoded_body(response).get("users")
        if not isinstance(users, list):
            message = "Gong's response could not be read as users: the users response has no list 'users'."
            raise AirbyteTracedException(
                message=message, internal_message=message, failure_type=FailureType.system_error
            )
        return users

    def all_users(self) -> tuple[list[Mapping[str, Any]], str | None]:
        """Every page of users, and Gong's words if it refused the lookup (401 or 403: the key lacks the users
        scope)."""
        users: list[Mapping[str, Any]] = []
        token = None
        while True:
            _, response = self._fetch_next_page(None, {}, token)
            if response.status_code in (401, 403):
                return users, gong_error_text(response)
            users.extend(self.parse_response(response))
            token = self.next_page_token(response)
            if not token:
                return users, None

    def first_page_refusal(self) -> str | None:
        """Gong's words if it refuses the first page of users (what `check` asks), else None."""
        _, response = self._fetch_next_page(None, {}, None)
        return gong_error_text(response) if response.status_code in (401, 403) else None


class UserDirectory:
    """Gong user id -> Gong user, fetched lazily once per sync; empty (with one warning) without the users scope."""

    def __init__(self, lookup: UsersLookup):
        self.lookup = lookup
        self._users: dict[str, Mapping[str, Any]] | None = None
        self.refusal: str | None = None  # Gong's words, when it refused the lookup

    def get(self) -> Mapping[str, Mapping[str, Any]]:
        if self._users is None:
            users, self.refusal = self.lookup.all_users()
            self._users = {str(user.get("id")): user for user in users if isinstance(user, Mapping)}
            if self.refusal:
                logger.warning(
                    "The Gong credentials lack the api:users:read scope, so user names and email aliases are not "
                    f"synced: records carry the email address from the activity statistics and a null name "
                    f"({self.refusal})."
                )
        return self._users

    def required_for(self, purpose: str) -> Mapping[str, Mapping[str, Any]]:
        """The users, or a config error saying that `purpose` needs the scope Gong refused."""
        users = self.get()
        if self.refusal:
            message = (
                f"{purpose} needs Gong's users list, and Gong refused it: the credentials lack the scope "
                f"api:users:read ({self.refusal})."
            )
            raise AirbyteTracedException(
                message=message, internal_message=message, failure_type=FailureType.config_error
            )
        return users
