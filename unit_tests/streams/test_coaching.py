"""`streams.coaching` read through the source against recorded answers (HttpMocker): the company's midnights asked,
one call per workspace, manager and period, a refused manager, the records and the state."""

from __future__ import annotations

import json
from typing import Any
from unittest import TestCase

import pytest
from airbyte_cdk.models import SyncMode
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.mock_http import HttpMocker, HttpRequest, HttpResponse
from airbyte_cdk.test.state_builder import StateBuilder

from unit_tests.builders import BASE_URL, a_config, a_user, a_users_page, an_error_response, users_request
from unit_tests.clock import frozen_at
from unit_tests.command_line import read

WORKSPACE, MANAGER, GONE, REPORT = "623457276584334", "100", "300", "200"


def a_users_list() -> list[dict[str, Any]]:
    manager, report, gone = a_user(MANAGER, "Mia", "Boss"), a_user(REPORT, "Rob", "Rep"), a_user(GONE, "Gil", "Gone")
    report["managerId"], manager["managerId"], gone["active"] = MANAGER, GONE, False
    return [manager, report, gone]


def coaching_request(manager: str, from_time: str, to_time: str) -> HttpRequest:
    query = {"workspace-id": WORKSPACE, "manager-id": manager, "from": from_time, "to": to_time}
    return HttpRequest(f"{BASE_URL}/v2/coaching", query_params=query)


def a_coaching_answer(metrics: dict[str, list[Any]]) -> HttpResponse:
    person = {"id": MANAGER, "emailAddress": "mia.boss@acme.example", "firstName": "Mia", "lastName": "Boss"}
    report = {"id": REPORT, "emailAddress": "rob.rep@acme.example", "firstName": "Rob", "lastName": "Rep"}
    body = {
        "requestId": "r",
        "coachingData": [{"manager": person, "directReportsMetrics": [{"report": report, "metrics": metrics}]}],
    }
    return HttpResponse(json.dumps(body), 200)


# Each month's bounds are the company's midnights with the offset of that day: US/Pacific moves to summer time on
# 2024-03-10, so March starts at -08:00 and ends at -07:00; Tokyo has no DST and is nine hours ahead of UTC.
MIDNIGHTS = {
    "US/Pacific": ["2024-03-01T00:00:00-08:00", "2024-04-01T00:00:00-07:00", "2024-05-01T00:00:00-07:00"],
    "Asia/Tokyo": ["2024-03-01T00:00:00+09:00", "2024-04-01T00:00:00+09:00", "2024-05-01T00:00:00+09:00"],
}


class CoachingTest(TestCase):
    def _read(self, http: HttpMocker, time_zone: str) -> Any:
        http.get(users_request(), a_users_page(a_users_list()))
        workspaces = {"requestId": "w", "workspaces": [{"id": int(WORKSPACE), "name": "Sales", "description": None}]}
        http.get(HttpRequest(f"{BASE_URL}/v2/workspaces"), HttpResponse(json.dumps(workspaces), 200))
        bounds = MIDNIGHTS[time_zone]
        for index in range(2):
            answer = a_coaching_answer({"callsListenedTo": ["7", 12345678901234567890], "callsNew": []})
            http.get(coaching_request(MANAGER, bounds[index], bounds[index + 1]), answer)
        http.get(coaching_request(GONE, bounds[0], bounds[1]), an_error_response(400, "the user is deactivated"))
        config = a_config(start_date="2024-03-01", end_date="2024-05-01")
        catalog = CatalogBuilder().with_stream("coaching", SyncMode.incremental).build()
        state = StateBuilder().with_stream_state("coaching", {"company_time_zone": time_zone}).build()
        with frozen_at():
            return read(config, catalog, state)

    def _test_given_a_zone_when_read_then_each_month_is_asked_by_its_midnights(self, time_zone: str) -> None:
        with HttpMocker() as http:
            output = self._read(http, time_zone)
            coaching_calls = [request for request in http._mocker.request_history if "/v2/coaching" in request.url]
        records = [message.record.data for message in output.records]
        assert [record["id"] for record in records] == [
            f"{WORKSPACE}:{MANAGER}:{REPORT}:2024-03-01",
            f"{WORKSPACE}:{MANAGER}:{REPORT}:2024-04-01",
        ]
        first = records[0]
        assert (first["start_time"], first["end_time"]) == tuple(MIDNIGHTS[time_zone][:2])
        assert first["metrics"] == {"callsListenedTo": 2, "callsNew": 0}
        assert first["call_ids"] == {"callsListenedTo": ["7", "12345678901234567890"], "callsNew": []}
        assert (first["manager"]["name"], first["report"]["name"]) == ("Mia Boss", "Rob Rep")
        assert output.most_recent_state.stream_state.__dict__ == {
            "start_time": "2024-05-01",
            "company_time_zone": time_zone,
        }
        # The refused manager is asked once, then skipped: three calls, not four.
        assert len(coaching_calls) == 3
        [warning] = [log.log.message for log in output.logs if "skips manager" in log.log.message]
        assert GONE in warning and "Gil Gone" in warning and "the user is deactivated" in warning

    def test_given_us_pacific_when_read_then_march_runs_from_pst_midnight_to_pdt_midnight(self) -> None:
        self._test_given_a_zone_when_read_then_each_month_is_asked_by_its_midnights("US/Pacific")

    def test_given_asia_tokyo_when_read_then_months_run_from_tokyo_midnights(self) -> None:
        self._test_given_a_zone_when_read_then_each_month_is_asked_by_its_midnights("Asia/Tokyo")


@pytest.mark.parametrize("status", [403, 401])
def test_given_coaching_refused_for_its_scope_when_read_then_it_fails_naming_the_scope(status: int) -> None:
    with HttpMocker() as http:
        http.get(users_request(), a_users_page(a_users_list()))
        workspaces = {"requestId": "w", "workspaces": [{"id": WORKSPACE, "name": "Sales", "description": "x"}]}
        http.get(HttpRequest(f"{BASE_URL}/v2/workspaces"), HttpResponse(json.dumps(workspaces), 200))
        bounds = MIDNIGHTS["US/Pacific"]
        http.get(coaching_request(GONE, bounds[0], bounds[1]), an_error_response(status))
        http.get(coaching_request(MANAGER, bounds[0], bounds[1]), an_error_response(status))
        config = a_config(start_date="2024-03-01", end_date="2024-04-01")
        catalog = CatalogBuilder().with_stream("coaching", SyncMode.incremental).build()
        state = StateBuilder().with_stream_state("coaching", {"company_time_zone": "US/Pacific"}).build()
        with frozen_at():
            output = read(config, catalog, state, expecting_exception=True)
    assert output.records == []
    assert any("api:coaching:read" in error.trace.error.message for error in output.errors)
