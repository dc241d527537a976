"""`streams.scorecards` and the scorecard settings that `answered_scorecards` shares with it, read through the source
against recorded answers (HttpMocker): one settings call per sync, the words on the answers, a key without the
settings scope, `scorecard_ids`, the cost line, check and discover."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from airbyte_cdk.models import FailureType, SyncMode
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import EntrypointOutput, discover
from airbyte_cdk.test.mock_http import HttpMocker, HttpRequest, HttpResponse

from source_gong_activity import SourceGongActivity
from unit_tests.builders import (
    BASE_URL,
    ScorecardsPage,
    TotalPage,
    a_config,
    a_question_setting,
    a_scorecard_setting,
    a_settings_response,
    a_user,
    a_users_page,
    an_error_response,
    scorecards_request,
    settings_request,
    total_request,
    users_request,
)
from unit_tests.clock import frozen_at
from unit_tests.command_line import read

ALICE, BOB = "1000000000000000001", "1000000000000000002"
SCOPE = "api:settings:scorecards:read"
SDR, DEMO = 6843152929075440037, 6843152929075440298
SETTINGS = [
    a_scorecard_setting(
        SDR,
        [
            a_question_setting(101, 1012, "How firm is the next step?", "RANGE", minRange=1, maxRange=5),
            a_question_setting(102, 1021, "Qualified the budget?", "SINGLE_SELECT", [(1, "Yes"), (3, "Partly")]),
        ],
    ),
    a_scorecard_setting(DEMO, [a_question_setting(201, 2011, "Notes", "OPEN")], enabled=False),
]
# One review, as Gong's 2024 contract types it: ids as numbers, the select answer's choices as strings.
REVIEW = {
    "answeredScorecardId": 563515258458745,
    "scorecardId": SDR,
    "callId": 7782342274025937895,
    "reviewedUserId": int(ALICE),
    "reviewerUserId": int(BOB),
    "reviewTime": "2024-01-03T10:00:00-08:00",
    "answers": [
        {"questionId": 101, "questionRevisionId": 1011, "isOverall": False, "score": 4, "notApplicable": False},
        {"questionId": 102, "questionRevisionId": 1021, "isOverall": False, "selectedOptions": ["3"]},
    ],
}


def _read(config: dict[str, Any], streams: tuple[str, ...], expect_error: bool = False) -> EntrypointOutput:
    catalog = CatalogBuilder()
    for name in streams:
        mode = SyncMode.full_refresh if name == "scorecards" else SyncMode.incremental
        catalog = catalog.with_stream(name, mode)
    return read(config, catalog.build(), None, expecting_exception=expect_error)


def _records(output: EntrypointOutput, stream: str) -> list[dict[str, Any]]:
    return [message.record.data for message in output.records if message.record.stream == stream]


def _final_state(output: EntrypointOutput, stream: str) -> dict[str, Any] | None:
    states = [
        dict(message.state.stream.stream_state.__dict__)
        for message in output.state_messages
        if message.state.stream.stream_descriptor.name == stream
    ]
    return states[-1] if states else None


def _words(record: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (
            a["question_text"],
            a["question_type"],
            a["selected_options"],
            a["selected_option_texts"],
            a["current_revision"],
        )
        for a in record["answers"]
    ]


def _gong_with_one_review(http_mocker: HttpMocker, settings: Any) -> HttpRequest:
    """Gong with one review in the first week; returns the settings request, for counting its calls."""
    http_mocker.get(users_request(), a_users_page([a_user(ALICE, "Alice", "Able"), a_user(BOB, "Bob", "Baker")]))
    asked = settings_request()
    http_mocker.get(asked, settings)
    http_mocker.post(
        total_request("2024-01-01", "2024-01-08").build(),
        TotalPage("2024-01-01T00:00:00-08:00", "2024-01-08T00:00:00-08:00").build(),
    )
    http_mocker.post(
        scorecards_request("2024-01-01", "2024-01-08").build(), ScorecardsPage().with_scorecard(REVIEW).build()
    )
    return asked


def test_given_both_scorecard_streams_when_read_then_one_settings_call_serves_both() -> None:
    with HttpMocker() as http_mocker:
        asked = _gong_with_one_review(http_mocker, a_settings_response(SETTINGS))

        output = _read(a_config(), ("answered_scorecards", "scorecards"))

        http_mocker.assert_number_of_calls(asked, 1)
    assert not output.errors
    scorecards = _records(output, "scorecards")
    assert [(r["id"], r["enabled"], len(r["questions"])) for r in scorecards] == [
        (str(SDR), True, 2),
        (str(DEMO), False, 1),
    ]
    [answered] = _records(output, "answered_scorecards")
    assert (answered["id"], answered["scorecard"]["id"], answered["reviewer"]["name"]) == (
        "563515258458745",
        str(SDR),
        "Bob Baker",
    )
    assert _words(answered) == [
        ("How firm is the next step?", "RANGE", None, None, False),  # answered to an earlier revision
        ("Qualified the budget?", "SINGLE_SELECT", ["3"], ["Partly"], True),
    ]
    assert _final_state(output, "answered_scorecards") == {
        "start_time": "2024-01-08",
        "company_time_zone": "US/Pacific",
    }


@pytest.mark.parametrize("status", [401, 403])
def test_given_a_key_without_the_settings_scope_when_read_then_scorecards_fails_alone_and_answers_have_no_words(
    status: int,
) -> None:
    with HttpMocker() as http_mocker:
        asked = _gong_with_one_review(http_mocker, an_error_response(status, "Access denied"))

        output = _read(a_config(), ("answered_scorecards", "scorecards"), expect_error=True)

        http_mocker.assert_number_of_calls(asked, 1)
    [answered] = _records(output, "answered_scorecards")
    assert _words(answered) == [(None, None, None, None, None), (None, None, ["3"], None, None)]
    assert _final_state(output, "answered_scorecards") == {
        "start_time": "2024-01-08",
        "company_time_zone": "US/Pacific",
    }
    assert _records(output, "scorecards") == []
    errors = [message.trace.error for message in output.errors]
    assert {error.stream_descriptor.name for error in errors if error.stream_descriptor} == {"scorecards"}
    assert errors[0].failure_type == FailureType.config_error and SCOPE in errors[0].message
    assert "The stream 'scorecards' needs Gong's scorecard settings" in errors[0].message
    warnings = [log.log.message for log in output.logs if log.log.level.name == "WARN" and SCOPE in log.log.message]
    assert len(warnings) == 1 and "question_text" in warnings[0]


def test_given_scorecard_ids_when_read_then_only_those_scorecards_are_records() -> None:
    with HttpMocker() as http_mocker:
        asked = settings_request()
        http_mocker.get(asked, a_settings_response(SETTINGS))

        output = _read(a_config(scorecard_ids=[str(DEMO)]), ("scorecards",))

        http_mocker.assert_number_of_calls(asked, 1)
    assert [record["id"] for record in _records(output, "scorecards")] == [str(DEMO)] and not output.errors
    assert _final_state(output, "scorecards") in (None, {"__ab_no_cursor_state_message": True})


def test_given_a_company_without_scorecards_answered_404_when_read_then_no_records_and_no_error() -> None:
    with HttpMocker() as http_mocker:
        http_mocker.get(settings_request(), an_error_response(404, "Scorecards not found"))

        output = _read(a_config(), ("scorecards",))

    assert _records(output, "scorecards") == [] and not output.errors


def test_given_scorecards_alone_when_read_then_the_cost_line_names_its_one_call() -> None:
    with HttpMocker() as http_mocker:
        http_mocker.get(settings_request(), a_settings_response([]))

        output = _read(a_config(), ("scorecards",))

    plans = [m.log.message for m in output.logs if " plans " in m.log.message]
    assert plans == [
        "Stream 'scorecards' plans 1 call (GET /v2/settings/scorecards, shared with 'answered_scorecards'), 0.01% "
        "of Gong's 10,000 calls a day."
    ]


def test_given_a_key_without_the_settings_scope_when_checked_then_it_passes_and_names_the_scope() -> None:
    # `check` asks each endpoint about the day before the earliest day that can be today anywhere (UTC-12).
    with frozen_at():  # 2026-11-21 in UTC-12
        succeeded, message = _check_without_the_settings_scope(dt.date(2026, 11, 21))

    assert succeeded, message
    assert message is not None and "The stream 'scorecards' cannot be synced" in message and SCOPE in message


def _check_without_the_settings_scope(earliest: dt.date) -> tuple[bool, Any]:
    day = {"fromDate": str(earliest - dt.timedelta(days=1)), "toDate": str(earliest)}
    base = f"{BASE_URL}/v2/stats"
    with HttpMocker() as http_mocker:
        for path in ("activity/aggregate", "activity/day-by-day", "interaction"):
            http_mocker.post(HttpRequest(f"{base}/{path}", body={"filter": day}), an_error_response(404))
        review_day = {"reviewFromDate": day["fromDate"], "reviewToDate": day["toDate"]}
        http_mocker.post(
            HttpRequest(f"{base}/activity/scorecards", body={"filter": review_day}), an_error_response(404)
        )
        http_mocker.get(users_request(), a_users_page([a_user(ALICE, "Alice", "Able")]))
        http_mocker.get(settings_request(), an_error_response(401, "Access denied"))
        # `coaching`'s check asks for the workspaces; with none there is no coaching call to make.
        http_mocker.get(HttpRequest(f"{BASE_URL}/v2/workspaces"), HttpResponse('{"workspaces": []}', 200))

        return SourceGongActivity().check_connection(logging.getLogger("test"), a_config())


def test_discover_offers_scorecards_full_refresh_keyed_by_id() -> None:
    output = discover(SourceGongActivity(), a_config())

    [stream] = [stream for stream in output.catalog.catalog.streams if stream.name == "scorecards"]
    assert (stream.source_defined_primary_key, stream.supported_sync_modes) == ([["id"]], [SyncMode.full_refresh])
    assert stream.json_schema["properties"]["questions"]["items"]["properties"]["options"]["type"] == ["null", "array"]
