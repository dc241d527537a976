"""Small builders for Gong requests and responses, for tests with the CDK's HttpMocker."""

from __future__ import annotations

import copy
import json
from typing import Any

from airbyte_cdk.test.mock_http import HttpRequest, HttpResponse

BASE_URL = "https://api.gong.io"
COUNTERS = [
    "callsAsHost",
    "callsAttended",
    "ownCallsListenedTo",
    "othersCallsListenedTo",
    "callsGaveFeedback",
    "callsReceivedFeedback",
    "callsRequestedFeedback",
    "callsCommentsGiven",
    "callsCommentsReceived",
    "callsSharedInternally",
    "callsSharedExternally",
    "callsScorecardsFilled",
    "callsScorecardsReceived",
    "callsMarkedAsFeedbackGiven",
    "callsMarkedAsFeedbackReceived",
]


def a_config(**overrides: Any) -> dict[str, Any]:
    config = {
        "credentials": {
            "auth_type": "access_key",
            "access_key": "unit-test-access-key",
            "access_key_secret": "unit-test-key-secret-value",
        },
        "start_date": "2024-01-01",
        "end_date": "2024-01-08",
        "aggregation_period": "day",
        "requests_per_second": 100,
    }
    config.update(overrides)
    return {key: value for key, value in config.items() if value is not None}


def counters(seed: int) -> dict[str, int]:
    """Fifteen distinct counter values, so a test can tell every metric apart."""
    return {name: seed * 100 + index for index, name in enumerate(COUNTERS)}


class ActivityRequest:
    def __init__(self, period: str | None, from_date: str, to_date: str):
        self._body: dict[str, Any] = {"filter": {"fromDate": from_date, "toDate": to_date}}
        if period:
            self._body["aggregationPeriod"] = period
        self._path = "aggregate-by-period" if period else "aggregate"

    def with_cursor(self, cursor: str) -> ActivityRequest:
        self._body["cursor"] = cursor
        return self

    def with_user_ids(self, user_ids: list[str]) -> ActivityRequest:
        self._body["filter"]["userIds"] = user_ids
        return self

    def build(self) -> HttpRequest:
        return HttpRequest(f"{BASE_URL}/v2/stats/activity/{self._path}", body=copy.deepcopy(self._body))


def by_period_request(period: str, from_date: str, to_date: str) -> ActivityRequest:
    return ActivityRequest(period, from_date, to_date)


def total_request(from_date: str, to_date: str) -> ActivityRequest:
    return ActivityRequest(None, from_date, to_date)


class ActivityPage:
    """A page of /aggregate-by-period: as in Gong's contract, it does not name the company's zone."""

    def __init__(self) -> None:
        self._body: dict[str, Any] = {
            "requestId": "req-1",
            "records": {"totalRecords": 0, "currentPageSize": 0, "currentPageNumber": 0},
        }
        self._users: list[dict[str, Any]] = []

    def with_user(self, user_id: str, email: str, periods: list[tuple]) -> ActivityPage:
        """periods: (fromDate ISO, toDate ISO, counters)."""
        items = [{**values, "fromDate": start, "toDate": end} for start, end, values in periods]
        self._users.append({"userId": user_id, "userEmailAddress": email, "userAggregateActivity": items})
        return self

    def with_cursor(self, cursor: str) -> ActivityPage:
        self._body["records"]["cursor"] = cursor
        return self

    def build(self) -> HttpResponse:
        body = copy.deepcopy(self._body)
        body["usersAggregateActivity"] = self._users
        body["records"].update(totalRecords=len(self._users), currentPageSize=len(self._users))
        return HttpResponse(json.dumps(body), 200)


class TotalPage:
    """A page of /aggregate, which names the company's zone."""

    def __init__(self, from_date_time: str, to_date_time: str, time_zone: str = "US/Pacific"):
        self._body: dict[str, Any] = {
            "requestId": "req-2",
            "records": {"totalRecords": 0, "currentPageSize": 0, "currentPageNumber": 0},
            "timeZone": time_zone,
            "fromDateTime": from_date_time,
            "toDateTime": to_date_time,
            "usersAggregateActivityStats": [],
        }

    def with_user(self, user_id: str, email: str, values: dict[str, int]) -> TotalPage:
        self._body["usersAggregateActivityStats"].append(
            {"userId": user_id, "userEmailAddress": email, "userAggregateActivityStats": values}
        )
        return self

    def build(self) -> HttpResponse:
        return HttpResponse(json.dumps(self._body), 200)


def users_request(cursor: str | None = None) -> HttpRequest:
    return HttpRequest(f"{BASE_URL}/v2/users", query_params={"cursor": cursor} if cursor else None)


def a_users_page(users: list[dict[str, Any]], cursor: str | None = None) -> HttpResponse:
    records: dict[str, Any] = {"totalRecords": len(users), "currentPageSize": len(users), "currentPageNumber": 0}
    if cursor:
        records["cursor"] = cursor
    return HttpResponse(json.dumps({"requestId": "req-3", "records": records, "users": users}), 200)


def a_user(user_id: str, first: str, last: str, aliases: list[str] = ()) -> dict[str, Any]:
    return {
        "id": user_id,
        "emailAddress": f"{first.lower()}.{last.lower()}@acme.example",
        "emailAliases": list(aliases),
        "firstName": first,
        "lastName": last,
        "title": "AE",
        "active": True,
        "managerId": None,
    }


def an_error_response(
    status: int, message: str = "An error has occurred", retry_after: int | None = None
) -> HttpResponse:
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
    return HttpResponse(json.dumps({"requestId": f"req-{status}", "errors": [message]}), status, headers)


def scorecards_request(review_from: str, review_to: str) -> ScorecardsRequest:
    return ScorecardsRequest(review_from, review_to)


class ScorecardsRequest:
    """POST /v2/stats/activity/scorecards, whose filter names review days."""

    def __init__(self, review_from: str, review_to: str):
        self._body: dict[str, Any] = {"filter": {"reviewFromDate": review_from, "reviewToDate": review_to}}

    def with_cursor(self, cursor: str) -> ScorecardsRequest:
        self._body["cursor"] = cursor
        return self

    def with_reviewed_user_ids(self, user_ids: list[str]) -> ScorecardsRequest:
        self._body["filter"]["reviewedUserIds"] = user_ids
        return self

    def with_scorecard_ids(self, scorecard_ids: list[str]) -> ScorecardsRequest:
        self._body["filter"]["scorecardIds"] = scorecard_ids
        return self

    def build(self) -> HttpRequest:
        return HttpRequest(f"{BASE_URL}/v2/stats/activity/scorecards", body=copy.deepcopy(self._body))


class ScorecardsPage:
    """A page of /v2/stats/activity/scorecards: as in Gong's contract, answered scorecards and `records`, no zone."""

    def __init__(self) -> None:
        self._items: list[dict[str, Any]] = []
        self._cursor: str | None = None

    def with_scorecard(self, item: dict[str, Any]) -> ScorecardsPage:
        self._items.append(item)
        return self

    def with_cursor(self, cursor: str) -> ScorecardsPage:
        self._cursor = cursor
        return self

    def build(self) -> HttpResponse:
        records: dict[str, Any] = {"totalRecords": len(self._items), "currentPageSize": len(self._items)}
        if self._cursor:
            records["cursor"] = self._cursor
        body = {"requestId": "req-4", "records": records, "answeredScorecards": self._items}
        return HttpResponse(json.dumps(body), 200)


def an_answered_scorecard(
    scorecard_id: str, review_time: str, reviewed: str, reviewer: str, scores: tuple[int, ...] = (3, 4)
) -> dict[str, Any]:
    """An answered scorecard as Gong's contract shows one, its last answer the overall one."""
    answers = [
        {
            "questionId": f"9{index}0000000000000001",
            "questionRevisionId": f"8{index}0000000000000001",
            "isOverall": index == len(scores) - 1,
            "score": score,
            "answerText": f"answer {index}",
            "notApplicable": False,
        }
        for index, score in enumerate(scores)
    ]
    return {
        "answeredScorecardId": scorecard_id,
        "scorecardId": "6843152929075440037",
        "scorecardName": "SDR Call Scorecard",
        "callId": "7782342274025937895",
        "callStartTime": "2024-01-02T09:30:00-08:00",
        "reviewedUserId": reviewed,
        "reviewerUserId": reviewer,
        "reviewTime": review_time,
        "visibilityType": "PUBLIC",
        "answers": answers,
    }


def settings_request() -> HttpRequest:
    """GET /v2/settings/scorecards: no parameters, no paging."""
    return HttpRequest(f"{BASE_URL}/v2/settings/scorecards")


def a_settings_response(scorecards: list[dict[str, Any]]) -> HttpResponse:
    return HttpResponse(json.dumps({"requestId": "req-5", "scorecards": scorecards}), 200)


def a_scorecard_setting(scorecard_id: Any, questions: list[dict[str, Any]], enabled: bool = True) -> dict[str, Any]:
    """One scorecard of Gong's settings as the 2024 contract types it (ids as JSON numbers)."""
    return {
        "scorecardId": scorecard_id,
        "scorecardName": "SDR Call Scorecard",
        "workspaceId": 325459866373185,
        "enabled": enabled,
        "updaterUserId": 1000000000000000002,
        "created": "2023-11-02T09:12:00-07:00",
        "updated": "2024-04-10T07:31:00-07:00",
        "questions": questions,
    }


def a_question_setting(
    question_id: Any, revision_id: Any, text: str, kind: str, options: list[tuple[int, str]] = (), **more: Any
) -> dict[str, Any]:
    """One question in its current revision; a select question's options as (id, text)."""
    question = {
        "questionId": question_id,
        "questionRevisionId": revision_id,
        "questionText": text,
        "isOverall": False,
        "questionType": kind,
        **more,
    }
    if options:
        question["answerOptions"] = [{"id": option, "text": words} for option, words in options]
    return question
