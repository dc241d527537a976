"""The users lists: every user, quiet or not, sorted by id and paged; 403 without the users scope."""

from __future__ import annotations

import pytest

USERS, EXTENSIVE = "/v2/users", "/v2/users/extensive"


def _all_users_get(emulator, session) -> list[dict]:
    pages, params = [], {}
    while True:
        response = session.get(emulator.base_url + USERS, params=params)
        assert response.status_code == 200, response.text
        pages.append(response.json())
        if "cursor" not in pages[-1]["records"]:
            return pages
        params = {"cursor": pages[-1]["records"]["cursor"]}


def test_given_23_users_and_page_size_10_when_listing_then_three_pages_of_all_users(start_emulator, session):
    emulator = start_emulator(users=23, page_size=10)

    pages = _all_users_get(emulator, session)

    assert [len(page["users"]) for page in pages] == [10, 10, 3]
    served = [user for page in pages for user in page["users"]]
    assert served == emulator.dataset.users()
    assert [int(user["id"]) for user in served] == sorted(int(user["id"]) for user in served)
    assert emulator.stats()["requests"] == {"GET /v2/users": {"200": 3}}


def test_given_users_when_inspected_then_they_look_like_gong_users(emulator):
    users = emulator.dataset.users()

    for user in users:
        assert user["id"].isdigit() and 17 <= len(user["id"]) <= 19
        assert user["emailAddress"].startswith(f"{user['firstName']}.{user['lastName']}".lower())
        assert user["emailAddress"].endswith(".example")
        assert 0 <= len(user["emailAliases"]) <= 2
        assert user["title"] and "T" in user["created"]
    assert {user["managerId"] for user in users} - {None} <= {user["id"] for user in users}


def test_given_user_ids_filter_when_listing_extensive_then_only_those_users(emulator, session):
    wanted = [user["id"] for user in emulator.dataset.users()[3:6]]

    response = session.post(emulator.base_url + EXTENSIVE, json={"filter": {"userIds": wanted}})

    assert response.status_code == 200
    assert [user["id"] for user in response.json()["users"]] == wanted
    assert response.json()["records"] == {"totalRecords": 3, "currentPageSize": 3, "currentPageNumber": 0}


def test_given_no_filter_when_listing_extensive_then_pages_cover_everyone(start_emulator, session):
    emulator = start_emulator(users=12, page_size=5)
    body, served = {}, []
    while True:
        page = session.post(emulator.base_url + EXTENSIVE, json=body).json()
        served += page["users"]
        if "cursor" not in page["records"]:
            break
        body = {"cursor": page["records"]["cursor"]}

    assert served == emulator.dataset.users()


def test_given_unknown_user_ids_when_listing_extensive_then_404(emulator, session):
    response = session.post(emulator.base_url + EXTENSIVE, json={"filter": {"userIds": ["1"]}})

    assert response.status_code == 404


@pytest.mark.parametrize("method, path", [("GET", USERS), ("POST", EXTENSIVE)])
def test_given_key_without_users_scope_when_listing_then_403(start_emulator, session, method, path):
    emulator = start_emulator(no_users_scope=True)

    response = session.request(method, emulator.base_url + path, json={} if method == "POST" else None)

    assert response.status_code == 403
    assert "api:users:read" in response.json()["errors"][0]
