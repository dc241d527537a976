"""Credentials are checked before anything else on /v2: Basic access key or Bearer token, else 401."""

from __future__ import annotations

import datetime as dt

import pytest
import requests

from .conftest import AGGREGATE, BASIC, filter_body


def _body(emulator) -> dict:
    today = emulator.dataset.today()
    return filter_body(today - dt.timedelta(days=30), today)


@pytest.mark.parametrize(
    "auth, headers, status",
    [
        (BASIC, {}, 200),
        (None, {"Authorization": "Bearer test-access-token"}, 200),
        (("test-access-key", "wrong-secret"), {}, 401),
        (("other-key", "test-access-key-secret"), {}, 401),
        (None, {"Authorization": "Bearer not-a-token"}, 401),
        (None, {"Authorization": "Basic %%%"}, 401),
        (None, {}, 401),
    ],
)
def test_given_credentials_when_calling_aggregate_then_status(emulator, auth, headers, status):
    response = requests.post(emulator.base_url + AGGREGATE, json=_body(emulator), auth=auth, headers=headers)

    assert response.status_code == status
    assert response.json()["requestId"]
    if status == 401:
        assert response.json()["errors"]


def test_given_no_credentials_when_body_is_also_bad_then_401_comes_first(emulator):
    response = requests.post(emulator.base_url + AGGREGATE, data=b"not json")

    assert response.status_code == 401


@pytest.mark.parametrize("path", ["/v2/nothing-here", "/v2/stats/activity/day-by-day-typo", "/elsewhere"])
def test_given_unknown_path_when_authorized_then_404_with_gong_error_body(emulator, session, path):
    response = session.post(emulator.base_url + path, json={})

    assert response.status_code == 404
    assert set(response.json()) == {"requestId", "errors"}


def test_given_wrong_method_when_calling_aggregate_then_405(emulator, session):
    response = session.get(emulator.base_url + AGGREGATE)

    assert response.status_code == 405
    assert response.json()["errors"]
