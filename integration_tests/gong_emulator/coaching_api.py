"""GET /v2/workspaces and GET /v2/coaching as Gong's contract of November 2024 gives them, and their ground truth."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable

from .api import Route
from .auth import COACHING_SCOPE, WORKSPACES_SCOPE
from .dataset import Dataset
from .messages import ApiError, ApiRequest, ApiResponse, json_response, new_request_id

WORKSPACES = "/v2/workspaces"
COACHING = "/v2/coaching"
# Both document "Access denied" as 403 and have no 401: bad credentials and a missing scope are 403 alike.
DENIED = 403
# The contract types workspace-id and manager-id as int64 integers; Gong's ids run to 20 digits in its answers.
_ID = re.compile(r"[0-9]{1,20}")
COACHING_PARAMETERS = ("workspace-id", "manager-id", "from", "to")
COACHING_TRUTHS = ("workspaces", "coaching")  # the truth endpoint's `endpoint=` values answered here


@dataclasses.dataclass(frozen=True)
class CoachingQuery:
    workspace_id: str
    manager_id: str
    from_time: dt.datetime
    to_time: dt.datetime


def coaching_query(value: Callable[[str], str | None]) -> CoachingQuery:
    """The four required query parameters, read by `value(name)`, or the 400 that says which one is wrong."""
    missing = [name for name in COACHING_PARAMETERS if not value(name)]
    if missing:
        raise ApiError(400, f"Missing required query parameter(s): {', '.join(missing)}")
    return CoachingQuery(
        _id(value, "workspace-id"), _id(value, "manager-id"), _instant(value, "from"), _instant(value, "to")
    )


def _id(value: Callable[[str], str | None], name: str) -> str:
    text = value(name) or ""
    if not _ID.fullmatch(text) or int(text) >= 2**63:
        raise ApiError(400, f"{name} must be an integer id (int64), got {text!r}")
    return str(int(text))


def _instant(value: Callable[[str], str | None], name: str) -> dt.datetime:
    # Gong's words: ISO-8601 "e.g., '2018-02-18T02:30:00-07:00' or '2018-02-18T08:00:00Z', where Z stands for UTC".
    # A '+' left unencoded in a query string arrives as a space, and is refused here as Gong would.
    text = value(name) or ""
    try:
        moment = dt.datetime.fromisoformat(text) if "T" in text else None
        if moment is None or moment.tzinfo is None:
            raise ValueError("no offset")
        moment.astimezone(dt.UTC)  # an offset that pushes the instant out of range fails here, not later
    except (ValueError, OverflowError):
        raise ApiError(
            400, f"{name} must be an ISO-8601 date-time with an offset or Z (2018-02-18T08:00:00Z), got {text!r}"
        ) from None
    return moment


class CoachingEndpoints:
    """The two endpoints' routes for GongApi, and the truth endpoint's answers for them."""

    def __init__(self, dataset: Dataset, extra_metric: str | None = None) -> None:
        self._dataset, self._extra_metric = dataset, extra_metric

    def routes(self) -> dict[str, Route]:
        return {
            WORKSPACES: Route("GET", WORKSPACES_SCOPE, self._workspaces, DENIED),
            COACHING: Route("GET", COACHING_SCOPE, self._coaching, DENIED),
        }

    def truth(self, request: ApiRequest) -> list[dict]:
        """GET /_emulator/truth?endpoint=workspaces, or endpoint=coaching with the API's own query parameters: what
        the endpoint answers (its list), or the same 400."""
        if request.query_value("endpoint") == "workspaces":
            return self._dataset.coaching.workspaces()
        return self._coaching_data(request)

    def _workspaces(self, request: ApiRequest) -> ApiResponse:
        return json_response(200, {"requestId": new_request_id(), "workspaces": self._dataset.coaching.workspaces()})

    def _coaching(self, request: ApiRequest) -> ApiResponse:
        return json_response(200, {"requestId": new_request_id(), "coachingData": self._coaching_data(request)})

    def _coaching_data(self, request: ApiRequest) -> list[dict]:
        query = coaching_query(request.query_value)
        return self._dataset.coaching.expected(
            query.workspace_id, query.manager_id, query.from_time, query.to_time, self._extra_metric
        )
