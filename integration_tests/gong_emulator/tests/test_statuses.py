"""Each endpoint's "Access denied" and empty-result statuses as its contract entry documents them, and the flags that
choose among what the contract allows: --scope-status, the --no-...-scope flags, --not-found-message."""

from __future__ import annotations

import datetime as dt

import pytest
import requests

from .conftest import AGGREGATE, BY_PERIOD, DAY_BY_DAY, INTERACTION, filter_body

USERS, EXTENSIVE, SCORECARDS = "/v2/users", "/v2/users/extensive", "/v2/stats/activity/scorecards"
SETTINGS = "/v2/settings/scorecards"
WINDOW = filter_body(dt.date(2024, 3, 4), dt.date(2024, 3, 11))
BODIES = {
    AGGREGATE: WINDOW,
    BY_PERIOD: {"aggregationPeriod": "WEEK", **WINDOW},
    DAY_BY_DAY: WINDOW,
    INTERACTION: WINDOW,
    SCORECARDS: {"filter": {"reviewFromDate": "2024-03-04", "reviewToDate": "2024-03-11"}},
    EXTENSIVE: {},
}
# Scope flag -> the endpoints it refuses.
REFUSED = {
    "no_stats_scope": (AGGREGATE, BY_PERIOD),
    "no_detailed_scope": (DAY_BY_DAY,),
    "no_interaction_scope": (INTERACTION,),
    "no_scorecards_scope": (SCORECARDS,),
    "no_settings_scope": (SETTINGS,),
    "no_users_scope": (EXTENSIVE, USERS),
}


def _call(emulator, path: str, **kwargs: object) -> requests.Response:
    if path in (USERS, SETTINGS):
        return requests.get(emulator.base_url + path, **kwargs)
    return requests.post(emulator.base_url + path, json=BODIES[path], **kwargs)


# Every endpoint: the POSTs with their bodies, and the two GETs.
PATHS = (*BODIES, SETTINGS, USERS)


@pytest.mark.parametrize("path, status", [(USERS, 403), *((path, 401) for path in (*BODIES, SETTINGS))])
def test_given_bad_credentials_when_calling_then_the_endpoints_documented_access_denied(emulator, path, status):
    response = _call(emulator, path, auth=("test-access-key", "wrong"))

    assert response.status_code == status
    assert set(response.json()) == {"requestId", "errors"}


@pytest.mark.parametrize("path, status", [(USERS, 403), *((path, 401) for path in (*BODIES, SETTINGS))])
def test_given_a_regional_tenant_when_calling_the_default_host_then_the_endpoints_documented_access_denied(
    start_emulator, path, status
):
    emulator = start_emulator(regional_host="localhost")

    response = _call(emulator, path, auth=("test-access-key", "test-access-key-secret"))

    assert response.status_code == status
    assert set(response.json()) == {"requestId", "errors"}


@pytest.mark.parametrize("scope_status", [401, 403])
@pytest.mark.parametrize("flag", REFUSED)
def test_given_a_missing_scope_when_calling_then_scope_status_except_get_users_which_only_documents_403(
    start_emulator, session, flag, scope_status
):
    emulator = start_emulator(**{flag: True}, scope_status=scope_status)

    statuses = {path: _call(emulator, path, auth=session.auth).status_code for path in PATHS}

    refused = REFUSED[flag]
    assert statuses == {path: (403 if path == USERS else scope_status) if path in refused else 200 for path in PATHS}


def test_given_a_missing_scope_when_refused_then_the_body_names_the_scope(start_emulator, session):
    emulator = start_emulator(no_stats_scope=True, scope_status=401)

    response = _call(emulator, AGGREGATE, auth=session.auth)

    assert set(response.json()) == {"requestId", "errors"}
    assert "api:stats:user-actions" in response.json()["errors"][0]


def test_given_no_stats_scope_when_refreshing_then_the_token_lacks_that_scope(start_emulator):
    emulator = start_emulator(no_stats_scope=True)

    token = requests.post(
        emulator.base_url + "/oauth2/generate-customer-token",
        auth=("test-client-id", "test-client-secret"),
        params={"grant_type": "refresh_token", "refresh_token": "test-refresh-token-0"},
    ).json()

    assert token["scope"].split() == [
        "api:stats:user-actions:detailed",
        "api:stats:interaction",
        "api:stats:scorecards",
        "api:settings:scorecards:read",
        "api:users:read",
        "api:workspaces:read",
        "api:coaching:read",
    ]


EMPTY = filter_body(dt.date(2023, 6, 1), dt.date(2023, 7, 1))  # before the history: nobody is active


@pytest.mark.parametrize(
    "path, body",
    [
        (AGGREGATE, EMPTY),
        (BY_PERIOD, {"aggregationPeriod": "DAY", **EMPTY}),
        (DAY_BY_DAY, EMPTY),
        (INTERACTION, EMPTY),
        (SCORECARDS, {"filter": {"reviewFromDate": "2023-06-01", "reviewToDate": "2023-07-01"}}),
        (EXTENSIVE, {"filter": {"userIds": ["1"]}}),
    ],
)
@pytest.mark.parametrize("words", [None, "An error has occurred"])
def test_given_an_empty_result_when_calling_then_404_with_the_chosen_words(start_emulator, session, path, body, words):
    emulator = start_emulator(**({"not_found_message": words} if words else {}))

    response = session.post(emulator.base_url + path, json=body)

    assert response.status_code == 404
    default = (
        "Answered scorecards not found"
        if path == SCORECARDS
        else "No users found corresponding to the provided filters"
    )
    assert response.json()["errors"] == [words or default]
    assert set(response.json()) == {"requestId", "errors"}


def test_given_a_company_without_users_when_listing_then_200_and_an_empty_list_since_get_users_has_no_404(
    start_emulator, session
):
    emulator = start_emulator(users=0)

    response = session.get(emulator.base_url + USERS)

    assert response.status_code == 200
    assert response.json()["users"] == [] and response.json()["records"]["totalRecords"] == 0
