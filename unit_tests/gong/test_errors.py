"""`gong.errors`: Gong's error table on 404s whatever their words and 401s for a bad credential or a missing scope."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.streams.http.error_handlers import ResponseAction

from source_gong_activity.gong.errors import GongErrorHandler


def _response(
    status: int, body: Any, url: str = "https://api.gong.io/v2/stats/activity/aggregate"
) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body if isinstance(body, bytes) else json.dumps(body).encode()
    response.request = requests.Request("POST", url, json={"filter": {}}).prepare()
    response.url = url
    return response


def _handler(**options: Any) -> GongErrorHandler:
    return GongErrorHandler(logging.getLogger("test"), None, max_retries=1, max_time_seconds=60, **options)


@pytest.mark.parametrize(
    "words",
    ["No users found corresponding to the provided filters", "An error has occurred", "User not found", ""],
)
def test_a_404_in_gong_s_error_shape_is_an_empty_result_whatever_its_words(words: str) -> None:
    resolution = _handler().interpret_response(_response(404, {"requestId": "r-1", "errors": [words]}))
    assert resolution.response_action == ResponseAction.IGNORE


@pytest.mark.parametrize("body", [b"<html><body>Not Found</body></html>", {"message": "no route"}, b""])
def test_a_404_that_is_not_gong_s_error_shape_fails_naming_the_url(body: Any) -> None:
    url = "https://gong.example.com/api/v2/stats/activity/aggregate"
    resolution = _handler().interpret_response(_response(404, body, url))
    assert (resolution.response_action, resolution.failure_type) == (ResponseAction.FAIL, FailureType.config_error)
    assert resolution.error_message.startswith(f"{url} answered 404 (HTTP 404 with no Gong error body)")
    assert "'base_url'" in resolution.error_message


def test_a_404_from_an_endpoint_that_documents_none_is_a_wrong_path_even_in_gong_s_shape() -> None:
    response = _response(404, {"requestId": "r-2", "errors": ["Not found"]}, "https://api.gong.io/v2/users")
    resolution = _handler(empty_on_404=False).interpret_response(response)
    assert resolution.response_action == ResponseAction.FAIL and "https://api.gong.io/v2/users" in str(
        resolution.error_message
    )


def test_a_401_without_a_refresh_to_spend_names_both_a_missing_scope_and_bad_credentials() -> None:
    response = _response(
        401, {"requestId": "r-3", "errors": ["Access denied"]}, "https://api.gong.io/v2/stats/interaction"
    )
    resolution = _handler(scope="api:stats:interaction").interpret_response(response)
    assert (resolution.response_action, resolution.failure_type) == (ResponseAction.FAIL, FailureType.config_error)
    assert resolution.error_message == (
        "Gong rejected the credentials for /v2/stats/interaction: they are not valid (check the access key and secret "
        "or the OAuth token, and 'base_url' if the company is served by a regional host), or they lack the scope "
        "api:stats:interaction (HTTP 401: Access denied (requestId r-3))."
    )


def test_a_401_spends_the_sync_s_one_refresh_then_is_read_as_a_refusal() -> None:
    refreshes = iter([True])

    def may_refresh() -> bool:
        return next(refreshes, False)

    handler = GongErrorHandler(logging.getLogger("test"), may_refresh, max_retries=1, max_time_seconds=60)
    actions = [handler.interpret_response(_response(401, {"errors": ["Access denied"]})).response_action for _ in "ab"]
    assert actions == [ResponseAction.REFRESH_TOKEN_THEN_RETRY, ResponseAction.FAIL]


@pytest.mark.parametrize("status", [401, 403])
def test_an_optional_lookup_refused_with_401_or_403_is_ignored(status: int) -> None:
    response = _response(status, {"errors": ["Access denied"]}, "https://api.gong.io/v2/users/extensive")
    assert _handler(optional=True).interpret_response(response).response_action == ResponseAction.IGNORE


def _a_later_page(url: str = "https://api.gong.io/v2/stats/interaction") -> requests.Response:
    """A 400 for a page with a cursor: Gong took its toDate on the first page, so the 400 is about something else."""
    response = _response(400, {"requestId": "r-9", "errors": ["Malformed request"]}, url)
    response.request = requests.Request(
        "POST", url, json={"filter": {"fromDate": "2024-01-01", "toDate": "2024-01-08"}, "cursor": "c-1"}
    ).prepare()
    return response


def test_a_400_about_a_filter_the_user_set_is_a_config_error_naming_the_filter_in_gong_s_words() -> None:
    resolution = _handler(filters=("user_ids",)).interpret_response(_a_later_page())
    assert (resolution.response_action, resolution.failure_type) == (ResponseAction.FAIL, FailureType.config_error)
    assert "Malformed request" in resolution.error_message and "'user_ids'" in resolution.error_message


def test_a_400_with_no_filter_set_is_a_system_error_in_gong_s_words_never_an_empty_result() -> None:
    resolution = _handler().interpret_response(_a_later_page())
    assert (resolution.response_action, resolution.failure_type) == (ResponseAction.FAIL, FailureType.system_error)
    assert "Malformed request" in resolution.error_message and "/v2/stats/interaction" in resolution.error_message


def test_an_optional_lookup_s_401_is_ignored_without_spending_the_sync_s_one_refresh() -> None:
    asked: list[bool] = []

    def may_refresh() -> bool:
        asked.append(True)
        return True

    response = _response(401, {"requestId": "r-4", "errors": ["Access denied"]}, "https://api.gong.io/v2/users")
    handler = GongErrorHandler(logging.getLogger("t"), may_refresh, max_retries=1, max_time_seconds=9, optional=True)
    resolution = handler.interpret_response(response)
    assert resolution.response_action == ResponseAction.IGNORE and asked == []
