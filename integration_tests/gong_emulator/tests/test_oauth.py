"""OAuth: single-use refresh tokens, expiring access tokens, and the regional host the token response names."""

from __future__ import annotations

import datetime as dt

import pytest
import requests

from .conftest import AGGREGATE, MovedClock, filter_body

TOKEN = "/oauth2/generate-customer-token"
CLIENT = ("test-client-id", "test-client-secret")
# Every scope the emulated key holds, in the order the token lists them.
ALL_SCOPES = (
    "api:stats:user-actions",
    "api:stats:user-actions:detailed",
    "api:stats:interaction",
    "api:stats:scorecards",
    "api:settings:scorecards:read",
    "api:users:read",
    "api:workspaces:read",
    "api:coaching:read",
)


def _refresh(emulator, refresh_token: str, client=CLIENT, grant_type="refresh_token") -> requests.Response:
    return requests.post(
        emulator.base_url + TOKEN, auth=client, params={"grant_type": grant_type, "refresh_token": refresh_token}
    )


def _call_with_token(emulator, token: str, base_url: str | None = None) -> requests.Response:
    today = emulator.dataset.today()
    return requests.post(
        (base_url or emulator.base_url) + AGGREGATE,
        json=filter_body(today - dt.timedelta(days=20), today),
        headers={"Authorization": f"Bearer {token}"},
    )


def test_given_valid_refresh_token_when_refreshing_then_new_pair_and_the_old_one_is_dead(emulator):
    first = _refresh(emulator, "test-refresh-token-0")

    assert first.status_code == 200
    body = first.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 3600
    assert body["scope"].split() == list(ALL_SCOPES)
    assert body["api_base_url_for_customer"] == emulator.base_url
    assert body["refresh_token"] != "test-refresh-token-0"
    reused = _refresh(emulator, "test-refresh-token-0")
    assert reused.status_code == 401
    assert reused.json()["error"] == "invalid_grant" and reused.json()["errors"] and reused.json()["requestId"]
    assert _refresh(emulator, body["refresh_token"]).status_code == 200


def test_given_two_refreshes_when_calling_then_both_access_tokens_work(emulator):
    first = _refresh(emulator, "test-refresh-token-0").json()
    second = _refresh(emulator, first["refresh_token"]).json()

    # An hour's lifetime: a refresh leaves the earlier access token alive until it expires by itself.
    assert first["access_token"] != second["access_token"]
    assert _call_with_token(emulator, first["access_token"]).status_code == 200
    assert _call_with_token(emulator, second["access_token"]).status_code == 200
    assert _call_with_token(emulator, "test-access-token").status_code == 200


def test_given_a_moved_clock_when_each_token_s_ttl_passes_then_that_token_is_refused_and_the_other_lives_on(
    start_emulator,
):
    clock = MovedClock()  # the test moves time itself, so a slow machine cannot spend a token's life
    emulator = start_emulator(token_ttl=60, clock=clock)
    first = _refresh(emulator, "test-refresh-token-0").json()
    clock.now = 10.0
    second = _refresh(emulator, first["refresh_token"]).json()
    statuses = []

    for now in (59.75, 60.0, 69.75, 70.0):
        clock.now = now
        statuses.append([_call_with_token(emulator, pair["access_token"]).status_code for pair in (first, second)])

    # Each lives exactly its 60 seconds from its own refresh; the configured token never expires.
    assert statuses == [[200, 200], [401, 200], [401, 200], [401, 401]]
    assert _call_with_token(emulator, "test-access-token").status_code == 200


def test_given_a_token_ttl_of_a_microsecond_when_calling_with_it_on_the_real_clock_then_it_has_expired(
    start_emulator,
):
    # The round trip after the refresh takes far longer than the token lives, and a slow machine only adds to it.
    emulator = start_emulator(token_ttl=0.000001)
    token = _refresh(emulator, "test-refresh-token-0").json()["access_token"]

    refused = _call_with_token(emulator, token)

    assert refused.status_code == 401 and refused.json()["errors"]
    assert _call_with_token(emulator, "test-access-token").status_code == 200


@pytest.mark.parametrize(
    "client, grant_type, status, error",
    [
        (("test-client-id", "wrong"), "refresh_token", 401, "invalid_client"),
        (None, "refresh_token", 401, "invalid_client"),
        (CLIENT, "client_credentials", 400, "unsupported_grant_type"),
    ],
)
def test_given_bad_client_or_grant_when_refreshing_then_rejected_and_token_survives(
    emulator, client, grant_type, status, error
):
    response = _refresh(emulator, "test-refresh-token-0", client=client, grant_type=grant_type)

    assert response.status_code == status
    assert response.json()["error"] == error
    assert _refresh(emulator, "test-refresh-token-0").status_code == 200


@pytest.mark.parametrize(
    "flag, withheld",
    [
        ("no_users_scope", "api:users:read"),
        ("no_detailed_scope", "api:stats:user-actions:detailed"),
        ("no_interaction_scope", "api:stats:interaction"),
        ("no_scorecards_scope", "api:stats:scorecards"),
        ("no_settings_scope", "api:settings:scorecards:read"),
        ("no_stats_scope", "api:stats:user-actions"),
        ("no_workspaces_scope", "api:workspaces:read"),
        ("no_coaching_scope", "api:coaching:read"),
    ],
)
def test_given_a_no_scope_flag_when_refreshing_then_scope_lacks_only_that_scope(start_emulator, flag, withheld):
    emulator = start_emulator(**{flag: True})

    scopes = _refresh(emulator, "test-refresh-token-0").json()["scope"].split()

    assert scopes == [scope for scope in ALL_SCOPES if scope != withheld]


def test_given_regional_host_when_calling_default_host_then_access_denied_and_regional_host_works(start_emulator):
    emulator = start_emulator(regional_host="localhost")
    token = _refresh(emulator, "test-refresh-token-0").json()
    regional = token["api_base_url_for_customer"]

    assert regional == f"http://localhost:{emulator.port}"
    # Each endpoint's documented "Access denied": 401 on the stats endpoints, 403 on GET /v2/users (it has no 401).
    wrong_host = _call_with_token(emulator, token["access_token"])
    assert wrong_host.status_code == 401
    assert "another region" in wrong_host.json()["errors"][0]
    users = requests.get(emulator.base_url + "/v2/users", headers={"Authorization": f"Bearer {token['access_token']}"})
    assert users.status_code == 403 and set(users.json()) == {"requestId", "errors"}
    assert _call_with_token(emulator, token["access_token"], base_url=regional).status_code == 200


def test_given_regional_host_when_token_endpoint_called_on_any_host_then_it_answers(start_emulator):
    emulator = start_emulator(regional_host="localhost")

    response = requests.post(
        f"http://localhost:{emulator.port}{TOKEN}",
        auth=CLIENT,
        params={"grant_type": "refresh_token", "refresh_token": "test-refresh-token-0"},
    )

    assert response.status_code == 200


def test_given_token_without_host_when_refreshing_then_the_response_names_no_host_and_its_token_works_on_base_url(
    start_emulator,
):
    emulator = start_emulator(token_without_host=True)

    token = _refresh(emulator, "test-refresh-token-0").json()

    assert set(token) == {"access_token", "refresh_token", "token_type", "expires_in", "scope"}
    assert _call_with_token(emulator, token["access_token"]).status_code == 200
    assert emulator.stats()["requests"][f"POST {TOKEN}"] == {"200": 1}
