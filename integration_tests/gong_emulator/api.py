"""Gong's /v2 endpoints: activity aggregates (total, by period, day by day), interaction stats, answered scorecards and
their settings, and users."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import NamedTuple

from .auth import (
    DETAILED_SCOPE,
    INTERACTION_SCOPE,
    SCORECARDS_SCOPE,
    SETTINGS_SCOPE,
    STATS_SCOPE,
    USERS_SCOPE,
    granted_scopes,
)
from .config import EmulatorConfig
from .cursors import CursorCodec, request_scope
from .dataset import Dataset
from .filters import ActivityFilter, activity_filter, json_object, parse_user_ids, scorecard_filter
from .messages import ApiError, ApiRequest, ApiResponse, json_response, new_request_id, raw_json_response
from .periods import AGGREGATION_PERIODS

AGGREGATE = "/v2/stats/activity/aggregate"
AGGREGATE_BY_PERIOD = "/v2/stats/activity/aggregate-by-period"
DAY_BY_DAY = "/v2/stats/activity/day-by-day"
INTERACTION = "/v2/stats/interaction"
SCORECARDS = "/v2/stats/activity/scorecards"
SCORECARD_SETTINGS = "/v2/settings/scorecards"
USERS = "/v2/users"
USERS_EXTENSIVE = "/v2/users/extensive"
NO_USERS_FOUND = "No users found corresponding to the provided filters"
NO_SCORECARDS_FOUND = "Answered scorecards not found"  # the meaning Gong's contract gives this endpoint's 404
MALFORMED_REQUEST = "Malformed request"  # the meaning Gong's contract gives every endpoint's 400
NO_SETTINGS_FOUND = "Scorecards not found"  # and GET /v2/settings/scorecards'

# The status each endpoint's contract entry documents for "Access denied": GET /v2/users has 403 and no 401; the
# stats endpoints and POST /v2/users/extensive have 401 and no 403. Unknown paths get 401 like most of /v2.
DENIED, USERS_DENIED = 401, 403


class Route(NamedTuple):
    method: str
    scope: str
    endpoint: Callable[[ApiRequest], ApiResponse]
    denied: int  # the endpoint's documented "Access denied" status


class GongApi:
    """Routes an authenticated /v2 request to its endpoint and answers as Gong does."""

    def __init__(self, dataset: Dataset, config: EmulatorConfig, cursors: CursorCodec) -> None:
        self._dataset, self._page_size, self._cursors = dataset, config.page_size, cursors
        self._scopes = frozenset(granted_scopes(config))
        self._scope_status = config.scope_status
        self._not_found = config.not_found_message or NO_USERS_FOUND
        self._no_scorecards = config.not_found_message or NO_SCORECARDS_FOUND
        self._no_settings = config.not_found_message or NO_SETTINGS_FOUND
        self._extra_stat = config.extra_interaction_stat
        self._bad_request_path = config.bad_request_path
        self._routes = {
            AGGREGATE: Route("POST", STATS_SCOPE, self._aggregate, DENIED),
            AGGREGATE_BY_PERIOD: Route("POST", STATS_SCOPE, self._aggregate_by_period, DENIED),
            DAY_BY_DAY: Route("POST", DETAILED_SCOPE, self._day_by_day, DENIED),
            INTERACTION: Route("POST", INTERACTION_SCOPE, self._interaction, DENIED),
            SCORECARDS: Route("POST", SCORECARDS_SCOPE, self._scorecards, DENIED),
            SCORECARD_SETTINGS: Route("GET", SETTINGS_SCOPE, self._scorecard_settings, DENIED),
            USERS: Route("GET", USERS_SCOPE, self._users, USERS_DENIED),
            USERS_EXTENSIVE: Route("POST", USERS_SCOPE, self._users_extensive, DENIED),
        }

    def denied_status(self, path: str) -> int:
        """The status for bad credentials or a wrong regional host on `path`: what its contract entry documents."""
        route = self._routes.get(path)
        return DENIED if route is None else route.denied

    def add_routes(self, routes: Mapping[str, Route]) -> None:
        """Serve endpoints written in modules of their own (coaching_api.py) behind the same checks."""
        self._routes.update(routes)

    def handle(self, request: ApiRequest) -> ApiResponse:
        route = self._routes.get(request.path)
        if route is None:
            raise ApiError(404, f"Not found: {request.path}")
        if request.method != route.method:
            raise ApiError(405, f"Method {request.method} is not allowed on {request.path}; use {route.method}")
        if route.scope not in self._scopes:
            raise ApiError(self._scope_refusal(route), f"Access denied: this endpoint requires the scope {route.scope}")
        if request.path == self._bad_request_path:
            # --bad-request-path: Gong refuses the request for a reason of its own (a filter it cannot take, say), in
            # the words its contract gives every 400, whatever the body holds.
            raise ApiError(400, MALFORMED_REQUEST)
        return route.endpoint(request)

    def _scope_refusal(self, route: Route) -> int:
        # --scope-status picks 401 or 403 for a missing scope; GET /v2/users documents only 403, so it keeps 403.
        return USERS_DENIED if route.denied == USERS_DENIED else self._scope_status

    def _aggregate(self, request: ApiRequest) -> ApiResponse:
        body = json_object(request.body)
        activity = activity_filter(body, self._dataset.today(), self._dataset.timezone)
        page, user_ids = self._page_of_active_users(request.path, body, activity)
        style = self._dataset.style
        columns = (self._dataset.window_columns(user_id, activity.from_date, activity.to_date) for user_id in user_ids)
        users = [
            f'{{"userId":{json.dumps(user_id)},"userEmailAddress":{json.dumps(self._dataset.email(user_id))},'
            f'"userAggregateActivityStats":{{{style.counter_members([sum(column) for column in user_columns])}}}}}'
            for user_id, user_columns in zip(user_ids, columns, strict=True)
        ]
        # Of the activity answers only /aggregate names the zone and the window (CompanyUsersAggregateActivityResponse).
        return self._activity_response(page, "usersAggregateActivityStats", users, activity)

    def _aggregate_by_period(self, request: ApiRequest) -> ApiResponse:
        body = json_object(request.body)
        # Gong takes aggregationPeriod at the top level of the body, not inside the filter.
        period = body.get("aggregationPeriod")
        if period not in AGGREGATION_PERIODS:
            raise ApiError(400, f"aggregationPeriod must be one of {', '.join(AGGREGATION_PERIODS)}, got {period!r}")
        activity = activity_filter(body, self._dataset.today(), self._dataset.timezone)
        page, user_ids = self._page_of_active_users(request.path, body, activity)
        windows = self._dataset.periods(activity.from_date, activity.to_date, period)
        style, zone = self._dataset.style, self._dataset.timezone
        bounds = [
            f'"fromDate":"{style.midnight(start, zone)}","toDate":"{style.midnight(end, zone)}"}}'
            for start, end in windows
        ]
        users = []
        for user_id in user_ids:
            counts = self._dataset.period_counts(user_id, activity.from_date, windows)
            items = ",".join(
                [_item(style.counter_members(row), bound) for row, bound in zip(counts, bounds, strict=True)]
            )
            users.append(
                f'{{"userId":{json.dumps(user_id)},"userEmailAddress":{json.dumps(self._dataset.email(user_id))},"userAggregateActivity":[{items}]}}'
            )
        # UsersAggregateByPeriodActivity has requestId, records and the users: no timeZone, fromDateTime, toDateTime.
        return self._activity_response(page, "usersAggregateActivity", users)

    def _day_by_day(self, request: ApiRequest) -> ApiResponse:
        body = json_object(request.body)
        activity = activity_filter(body, self._dataset.today(), self._dataset.timezone)
        page, user_ids = self._page_of_active_users(request.path, body, activity)
        users = [
            f'{{"userId":{json.dumps(user_id)},"userEmailAddress":{json.dumps(self._dataset.email(user_id))},'
            f'"userDailyActivityStats":{self._dataset.day_by_day_json(user_id, activity.from_date, activity.to_date)}}}'
            for user_id in user_ids
        ]
        # UsersDayByDayActivity, like the by-period answer, names neither the zone nor the window.
        return self._activity_response(page, "usersDetailedActivities", users)

    def _interaction(self, request: ApiRequest) -> ApiResponse:
        body = json_object(request.body)
        window = activity_filter(body, self._dataset.today(), self._dataset.timezone)
        page_number = self._page_number(request.path, body)
        # Only users with a Whisper-recorded call in the window appear; nobody at all is Gong's 404.
        recorded = self._dataset.interaction_user_ids(window.from_date, window.to_date, window.user_ids)
        if not recorded:
            raise ApiError(404, self._not_found)
        page, user_ids = self._paginate(request.path, body, page_number, recorded)
        people = [
            json.dumps(
                {
                    "userId": user_id,
                    "userEmailAddress": self._dataset.email(user_id),
                    "personInteractionStats": self._dataset.interaction_stats(
                        user_id, window.from_date, window.to_date, self._extra_stat
                    ),
                },
                separators=(",", ":"),
            )
            for user_id in user_ids
        ]
        return self._activity_response(page, "peopleInteractionStats", people, window)

    def _scorecards(self, request: ApiRequest) -> ApiResponse:
        body = json_object(request.body)
        wanted = scorecard_filter(body, self._dataset.today(), self._dataset.timezone)
        page_number = self._page_number(request.path, body)
        # Paged over answered scorecards, not users; nothing matching is Gong's 404.
        answered = self._dataset.answered_scorecards(wanted)
        if not answered:
            raise ApiError(404, self._no_scorecards)
        records, page = self._paginate(request.path, body, page_number, answered)
        return json_response(200, {"requestId": new_request_id(), "records": records, "answeredScorecards": page})

    def _scorecard_settings(self, request: ApiRequest) -> ApiResponse:
        # The contract gives this endpoint no parameters: one it does not take (a workspace filter, a cursor) is
        # refused rather than ignored, so a client that believes it filters learns that it does not.
        if request.query:
            names = ", ".join(sorted(request.query))
            raise ApiError(400, f"{MALFORMED_REQUEST}: {request.path} takes no parameters, got {names}")
        # Every scorecard in one answer, no paging; a company without any is Gong's 404.
        scorecards = self._dataset.scorecard_settings()
        if not scorecards:
            raise ApiError(404, self._no_settings)
        return json_response(200, {"requestId": new_request_id(), "scorecards": scorecards})

    def _page_of_active_users(self, path: str, body: dict, activity: ActivityFilter) -> tuple[dict, list[str]]:
        page_number = self._page_number(path, body)
        active = self._dataset.active_user_ids(activity.from_date, activity.to_date, activity.user_ids)
        # Gong answers an empty result with 404, not with an empty list.
        if not active:
            raise ApiError(404, self._not_found)
        return self._paginate(path, body, page_number, active)

    def _activity_response(
        self, records: dict, key: str, users: list[str], window: ActivityFilter | None = None
    ) -> ApiResponse:
        """The answer's head, then the users spliced in; `window` adds timeZone, fromDateTime and toDateTime."""
        head: dict = {"requestId": new_request_id(), "records": records}
        if window is not None:
            style, zone = self._dataset.style, self._dataset.timezone
            head["timeZone"] = zone
            head["fromDateTime"] = style.midnight(window.from_date, zone)
            head["toDateTime"] = style.midnight(window.to_date, zone)
        text = json.dumps(head, separators=(",", ":"))
        return raw_json_response(200, f'{text[:-1]},"{key}":[{",".join(users)}]}}')

    def _users(self, request: ApiRequest) -> ApiResponse:
        body = {"cursor": request.query_value("cursor")} if "cursor" in request.query else {}
        return self._users_page(request.path, body, self._dataset.users())

    def _users_extensive(self, request: ApiRequest) -> ApiResponse:
        body = json_object(request.body) if request.body.strip() else {}
        user_filter = body.get("filter") or {}
        if not isinstance(user_filter, dict):
            raise ApiError(400, "filter must be a JSON object")
        wanted = parse_user_ids(user_filter.get("userIds"))
        users = [user for user in self._dataset.users() if wanted is None or user["id"] in wanted]
        if not users:
            raise ApiError(404, self._not_found)
        return self._users_page(request.path, body, users)

    def _users_page(self, path: str, body: dict, users: list[dict]) -> ApiResponse:
        page_number = self._page_number(path, body)
        records, page = self._paginate(path, body, page_number, users)
        return json_response(200, {"requestId": new_request_id(), "records": records, "users": page})

    def _page_number(self, path: str, body: dict) -> int:
        if body.get("cursor") is None:
            return 0
        page = self._cursors.decode(request_scope(path, body), body["cursor"])
        if page is None:
            raise ApiError(400, "Invalid cursor: it was not issued for this endpoint and filter")
        return page

    def _paginate(self, path: str, body: dict, page_number: int, items: list) -> tuple[dict, list]:
        start = page_number * self._page_size
        page = items[start : start + self._page_size]
        # An empty first page only happens on GET /v2/users of a company without users (it documents no 404).
        if not page and page_number:
            raise ApiError(400, "Invalid cursor: no such page")
        records = {"totalRecords": len(items), "currentPageSize": len(page), "currentPageNumber": page_number}
        # Gong sends a cursor only while more records remain.
        if start + len(page) < len(items):
            records["cursor"] = self._cursors.encode(request_scope(path, body), page_number + 1)
        return records, page


def _item(members: str, bound: str) -> str:
    """One period item: its counter members (maybe none) and the closing `"fromDate":...,"toDate":...}`."""
    return "{" + members + "," + bound if members else "{" + bound
