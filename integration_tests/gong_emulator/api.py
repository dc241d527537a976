"""Gong's /v2 endpoints: activity aggregates (total, by period, day by day), interaction stats and users."""

from __future__ import annotations

import json
from collections.abc import Callable

from .activity import COUNTERS
from .auth import DETAILED_SCOPE, INTERACTION_SCOPE, STATS_SCOPE, USERS_SCOPE
from .cursors import CursorCodec, request_scope
from .dataset import Dataset
from .filters import ActivityFilter, activity_filter, json_object, parse_user_ids
from .messages import ApiError, ApiRequest, ApiResponse, json_response, new_request_id, raw_json_response
from .periods import AGGREGATION_PERIODS, midnight_iso

AGGREGATE = "/v2/stats/activity/aggregate"
AGGREGATE_BY_PERIOD = "/v2/stats/activity/aggregate-by-period"
DAY_BY_DAY = "/v2/stats/activity/day-by-day"
INTERACTION = "/v2/stats/interaction"
USERS = "/v2/users"
USERS_EXTENSIVE = "/v2/users/extensive"
NO_USERS_FOUND = "No users found corresponding to the provided filters"

# Responses are spliced from these templates: a DAY page is ~36,500 items, too many for dicts + json.dumps.
_COUNTS_JSON = ",".join(f'"{name}":%d' for name in COUNTERS)
_STATS_TEMPLATE = "{" + _COUNTS_JSON + "}"
_PERIOD_TEMPLATE = "{" + _COUNTS_JSON + ',"fromDate":"%s","toDate":"%s"}'


class GongApi:
    """Routes an authenticated /v2 request to its endpoint and answers as Gong does."""

    def __init__(
        self,
        dataset: Dataset,
        page_size: int,
        scopes: frozenset[str],
        cursors: CursorCodec,
        extra_interaction_stat: str | None = None,
    ) -> None:
        self._dataset, self._page_size, self._scopes, self._cursors = dataset, page_size, scopes, cursors
        self._extra_stat = extra_interaction_stat
        self._routes: dict[str, tuple[str, str, Callable[[ApiRequest], ApiResponse]]] = {
            AGGREGATE: ("POST", STATS_SCOPE, self._aggregate),
            AGGREGATE_BY_PERIOD: ("POST", STATS_SCOPE, self._aggregate_by_period),
            DAY_BY_DAY: ("POST", DETAILED_SCOPE, self._day_by_day),
            INTERACTION: ("POST", INTERACTION_SCOPE, self._interaction),
            USERS: ("GET", USERS_SCOPE, self._users),
            USERS_EXTENSIVE: ("POST", USERS_SCOPE, self._users_extensive),
        }

    def handle(self, request: ApiRequest) -> ApiResponse:
        route = self._routes.get(request.path)
        if route is None:
            raise ApiError(404, f"Not found: {request.path}")
        method, scope, endpoint = route
        if request.method != method:
            raise ApiError(405, f"Method {request.method} is not allowed on {request.path}; use {method}")
        if scope not in self._scopes:
            raise ApiError(403, f"Insufficient scope: this endpoint requires {scope}")
        return endpoint(request)

    def _aggregate(self, request: ApiRequest) -> ApiResponse:
        body = json_object(request.body)
        activity = activity_filter(body, self._dataset.today(), self._dataset.timezone)
        page, user_ids = self._page_of_active_users(request.path, body, activity)
        columns = (self._dataset.window_columns(user_id, activity.from_date, activity.to_date) for user_id in user_ids)
        users = [
            f'{{"userId":{json.dumps(user_id)},"userEmailAddress":{json.dumps(self._dataset.email(user_id))},'
            f'"userAggregateActivityStats":{_STATS_TEMPLATE % tuple(sum(column) for column in user_columns)}}}'
            for user_id, user_columns in zip(user_ids, columns, strict=False)
        ]
        return self._activity_response(page, activity, "usersAggregateActivityStats", users)

    def _aggregate_by_period(self, request: ApiRequest) -> ApiResponse:
        body = json_object(request.body)
        # Gong takes aggregationPeriod at the top level of the body, not inside the filter.
        period = body.get("aggregationPeriod")
        if period not in AGGREGATION_PERIODS:
            raise ApiError(400, f"aggregationPeriod must be one of {', '.join(AGGREGATION_PERIODS)}, got {period!r}")
        activity = activity_filter(body, self._dataset.today(), self._dataset.timezone)
        page, user_ids = self._page_of_active_users(request.path, body, activity)
        windows = self._dataset.periods(activity.from_date, activity.to_date, period)
        zone = self._dataset.timezone
        bounds = [(midnight_iso(start, zone), midnight_iso(end, zone)) for start, end in windows]
        users = []
        for user_id in user_ids:
            counts = self._dataset.period_counts(user_id, activity.from_date, windows)
            items = ",".join([_PERIOD_TEMPLATE % (row + bound) for row, bound in zip(counts, bounds, strict=False)])
            users.append(
                f'{{"userId":{json.dumps(user_id)},"userEmailAddress":{json.dumps(self._dataset.email(user_id))},"userAggregateActivity":[{items}]}}'
            )
        return self._activity_response(page, activity, "usersAggregateActivity", users)

    def _day_by_day(self, request: ApiRequest) -> ApiResponse:
        body = json_object(request.body)
        activity = activity_filter(body, self._dataset.today(), self._dataset.timezone)
        page, user_ids = self._page_of_active_users(request.path, body, activity)
        users = [
            f'{{"userId":{json.dumps(user_id)},"userEmailAddress":{json.dumps(self._dataset.email(user_id))},'
            f'"userDailyActivityStats":{self._dataset.day_by_day_json(user_id, activity.from_date, activity.to_date)}}}'
            for user_id in user_ids
        ]
        return self._activity_response(page, activity, "usersDetailedActivities", users)

    def _interaction(self, request: ApiRequest) -> ApiResponse:
        body = json_object(request.body)
        window = activity_filter(body, self._dataset.today(), self._dataset.timezone)
        page_number = self._page_number(request.path, body)
        # Only users with a Whisper-recorded call in the window appear; nobody at all is Gong's 404.
        recorded = self._dataset.interaction_user_ids(window.from_date, window.to_date, window.user_ids)
        if not recorded:
            raise ApiError(404, NO_USERS_FOUND)
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
        return self._activity_response(page, window, "peopleInteractionStats", people)

    def _page_of_active_users(self, path: str, body: dict, activity: ActivityFilter) -> tuple[dict, list[str]]:
        page_number = self._page_number(path, body)
        active = self._dataset.active_user_ids(activity.from_date, activity.to_date, activity.user_ids)
        # Gong answers an empty result with 404, not with an empty list.
        if not active:
            raise ApiError(404, NO_USERS_FOUND)
        return self._paginate(path, body, page_number, active)

    def _activity_response(self, records: dict, activity: ActivityFilter, key: str, users: list[str]) -> ApiResponse:
        zone = self._dataset.timezone
        head = json.dumps(
            {
                "requestId": new_request_id(),
                "records": records,
                "timeZone": zone,
                "fromDateTime": midnight_iso(activity.from_date, zone),
                "toDateTime": midnight_iso(activity.to_date, zone),
            },
            separators=(",", ":"),
        )
        return raw_json_response(200, f'{head[:-1]},"{key}":[{",".join(users)}]}}')

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
            raise ApiError(404, NO_USERS_FOUND)
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
        if not page:
            raise ApiError(400, "Invalid cursor: no such page")
        records = {"totalRecords": len(items), "currentPageSize": len(page), "currentPageNumber": page_number}
        # Gong sends a cursor only while more records remain.
        if start + len(page) < len(items):
            records["cursor"] = self._cursors.encode(request_scope(path, body), page_number + 1)
        return records, page
