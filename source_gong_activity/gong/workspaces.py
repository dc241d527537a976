"""Gong's workspaces, read once per sync for the `workspaces` stream and for `coaching`, which asks about each one."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from .body import decoded_body, gong_error_text
from .client import GongStream
from .users import UsersLookupErrorHandler

logger = logging.getLogger("airbyte")

WORKSPACES_SCOPE = "api:workspaces:read"


class WorkspacesLookup(GongStream):
    """GET /v2/workspaces (Gong's 2024 contract: no parameters, no paging, statuses 200, 400, 403, 429, 500)."""

    name = "workspaces"
    primary_key = "id"
    http_method = "GET"
    optional = True  # a key without the scope still syncs every stream but `workspaces` and `coaching`
    scope = WORKSPACES_SCOPE
    error_handler_class = UsersLookupErrorHandler  # a lookup, not a catalog stream: no RATE_LIMITED status under it
    empty_on_404 = False  # Gong documents no 404 here: one is a wrong path
    filter_fields = ()

    def path(self, **kwargs: Any) -> str:
        return "v2/workspaces"

    def parse_response(self, response: requests.Response, **kwargs: Any) -> Iterable[Mapping[str, Any]]:
        workspaces = decoded_body(response).get("workspaces")
        if not isinstance(workspaces, list):
            message = "Gong's response could not be read as workspaces: it has no list 'workspaces'."
            raise AirbyteTracedException(
                message=message, internal_message=message, failure_type=FailureType.system_error
            )
        return [workspace for workspace in workspaces if isinstance(workspace, Mapping)]

    def all_workspaces(self) -> tuple[list[Mapping[str, Any]], str | None]:
        """Every workspace, and Gong's words if it refused the lookup (403, or a 401: the key lacks the scope)."""
        _, response = self._fetch_next_page(None, {}, None)
        if response.status_code in (401, 403):
            return [], gong_error_text(response)
        return list(self.parse_response(response)), None


class WorkspaceDirectory:
    """Gong's workspaces in Gong's order, fetched lazily once per sync."""

    def __init__(self, lookup: WorkspacesLookup):
        self.lookup = lookup
        self._workspaces: list[Mapping[str, Any]] | None = None
        self.refusal: str | None = None  # Gong's words, when it refused the lookup

    def required_for(self, purpose: str) -> list[Mapping[str, Any]]:
        """The workspaces, or a config error saying that `purpose` needs the scope Gong refused."""
        if self._workspaces is None:
            self._workspaces, self.refusal = self.lookup.all_workspaces()
        if self.refusal:
            message = (
                f"{purpose} needs Gong's workspaces list, and Gong refused it: the credentials lack the scope "
                f"{WORKSPACES_SCOPE} ({self.refusal})."
            )
            raise AirbyteTracedException(
                message=message, internal_message=message, failure_type=FailureType.config_error
            )
        return self._workspaces
