"""`streams.answered_scorecards` read through the source against recorded answers (HttpMocker): windows of review
days, filters, scopes, the cost line."""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from typing import Any
from unittest import TestCase

import jsonschema
from airbyte_cdk.models import FailureType, SyncMode
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import EntrypointOutput, discover
from airbyte_cdk.test.mock_http import HttpMocker, HttpRequest, HttpResponse
from airbyte_cdk.test.state_builder import StateBuilder

from source_gong_activity import SourceGongActivity
from unit_tests.builders import (
    BASE_URL,
    ActivityPage,
    ScorecardsPage,
    TotalPage,
    a_config,
    a_question_setting,
    a_scorecard_setting,
    a_settings_response,
    a_user,
    a_users_page,
    an_answered_scorecard,
    an_error_response,
    by_period_request,
    counters,
    scorecards_request,
    settings_request,
    total_request,
    users_request,
)
from unit_tests.clock import frozen_at
from unit_tests.command_line import read

SCHEMA = json.loads(
    (Path(__file__).parents[2] / "source_gong_activity" / "schemas" / "answered_scorecards.json").read_text()
)


ALICE, BOB = "1000000000000000001", "1000000000000000002"


STREAM = "answered_scorecards"


def _read(
    config: dict[str, Any],
    state: dict[str, Any] | None = None,
    streams: tuple[str, ...] = (STREAM,),
    expect_error: bool = False,
) -> EntrypointOutput:
    catalog = CatalogBuilder()
    for name in streams:
        catalog = catalog.with_stream(name, SyncMode.incremental)
    state_messages = StateBuilder().with_stream_state(STREAM, state).build() if state is not None else None
    return read(config, catalog.build(), state_messages, expecting_exception=expect_error)


def _records(output: EntrypointOutput, stream: str = STREAM) -> list[dict[str, Any]]:
    return [message.record.data for message in output.records if message.record.stream == stream]


def _states(output: EntrypointOutput, stream: str = STREAM) -> list[dict[str, Any]]:
    return [
        dict(message.state.stream.stream_state.__dict__)
        for message in output.state_messages
        if message.state.stream.stream_descriptor.name == stream
    ]


def _users_and_zone(http_mocker: HttpMocker, from_date: str, to_date: str) -> None:
    """The users lookup, the scorecard settings, and the one /aggregate call that learns the company's zone (the
    scorecards answer does not name it), over the first window with reviews."""
    http_mocker.get(users_request(), a_users_page([a_user(ALICE, "Alice", "Able"), a_user(BOB, "Bob", "Baker")]))
    _settings(http_mocker)
    http_mocker.post(
        total_request(from_date, to_date).build(),
        TotalPage(f"{from_date}T00:00:00-08:00", f"{to_date}T00:00:00-07:00", "US/Pacific").build(),
    )


def _settings(http_mocker: HttpMocker) -> None:
    question = a_question_setting(900000000000000001, 800000000000000001, "Did the rep book a next step?", "RANGE")
    http_mocker.get(settings_request(), a_settings_response([a_scorecard_setting(6843152929075440037, [question])]))


def _review(scorecard_id: str, review_time: str) -> dict[str, Any]:
    return an_answered_scorecard(scorecard_id, review_time, ALICE, BOB)


class TestAnsweredScorecardsRead(TestCase):
    @HttpMocker()
    def test_given_pages_of_scorecards_when_read_then_each_is_a_record_named_from_the_users_list(
        self, http_mocker: HttpMocker
    ) -> None:
        _users_and_zone(http_mocker, "2024-01-01", "2024-01-08")
        http_mocker.post(
            scorecards_request("2024-01-01", "2024-01-08").build(),
            ScorecardsPage()
            .with_scorecard(_review("11", "2024-01-02T10:00:00-08:00"))
            .with_scorecard(_review("12", "2024-01-02T11:00:00-08:00"))
            .with_cursor("c1")
            .build(),
        )
        http_mocker.post(
            scorecards_request("2024-01-01", "2024-01-08").with_cursor("c1").build(),
            ScorecardsPage().with_scorecard(_review("13", "2024-01-05T09:00:00-08:00")).build(),
        )

        output = _read(a_config())

        records = _records(output)
        for record in records:
            jsonschema.validate(record, SCHEMA)
        assert [(r["id"], r["review_date"], r["overall_score"]) for r in records] == [
            ("11", "2024-01-02", 4),
            ("12", "2024-01-02", 4),
            ("13", "2024-01-05", 4),
        ]
        assert {(r["reviewed_user"]["name"], r["reviewer"]["name"]) for r in records} == {("Alice Able", "Bob Baker")}
        assert {r["company_time_zone"] for r in records} == {"US/Pacific"}
        assert _states(output)[-1] == {"start_time": "2024-01-08", "company_time_zone": "US/Pacific"}

    @HttpMocker()
    def test_given_ids_as_json_numbers_when_read_then_typed_ids_are_text_and_remote_data_has_only_wide_ones_as_text(
        self, http_mocker: HttpMocker
    ) -> None:
        # Gong's contract of 2024 types these ids int64, and its own example call id has 20 digits (above 2**64).
        _users_and_zone(http_mocker, "2024-01-01", "2024-01-08")
        numbers = {
            "answeredScorecardId": 9300000000000000001,  # 19 digits, above 2**63 - 1
            "scorecardId": 6843152929075440037,  # 19 digits, within 64 bits
            "callId": 37555663966526337006,  # 20 digits
        }
        http_mocker.post(
            scorecards_request("2024-01-01", "2024-01-08").build(),
            ScorecardsPage().with_scorecard({**_review("0", "2024-01-02T10:00:00-08:00"), **numbers}).build(),
        )

        [record] = _records(_read(a_config()))

        jsonschema.validate(record, SCHEMA)
        assert (record["id"], record["scorecard"]["id"], record["call_id"]) == (
            "9300000000000000001",
            "6843152929075440037",
            "37555663966526337006",
        )
        assert {name: record["remote_data"][name] for name in numbers} == {
            "answeredScorecardId": "9300000000000000001",
            "scorecardId": 6843152929075440037,  # Gong's item as sent: the typed field is the exact one
            "callId": "37555663966526337006",
        }

    @HttpMocker()
    def test_given_gong_reads_review_to_date_as_inclusive_when_two_windows_are_read_then_each_scorecard_comes_once(
        self, http_mocker: HttpMocker
    ) -> None:
        self._two_windows(http_mocker, boundary_day_in_first_window=True)

    @HttpMocker()
    def test_given_gong_reads_review_to_date_as_exclusive_when_two_windows_are_read_then_none_is_lost(
        self, http_mocker: HttpMocker
    ) -> None:
        self._two_windows(http_mocker, boundary_day_in_first_window=False)

    def _two_windows(self, http_mocker: HttpMocker, boundary_day_in_first_window: bool) -> None:
        # Windows of 92 review days: [2024-01-01, 2024-04-02) and [2024-04-02, 2024-04-10).
        boundary = _review("20", "2024-04-02T08:00:00-07:00")  # reviewed on the second window's first day
        late = _review("19", "2024-04-02T06:30:00Z")  # 2024-04-01 23:30 in the company's zone: the first window's
        first_window = ScorecardsPage().with_scorecard(_review("18", "2024-01-01T00:00:00-08:00")).with_scorecard(late)
        if boundary_day_in_first_window:
            first_window = first_window.with_scorecard(boundary)
        _users_and_zone(http_mocker, "2024-01-01", "2024-04-02")
        http_mocker.post(scorecards_request("2024-01-01", "2024-04-02").build(), first_window.build())
        http_mocker.post(
            scorecards_request("2024-04-02", "2024-04-10").build(),
            ScorecardsPage()
            .with_scorecard(boundary)
            .with_scorecard(_review("21", "2024-04-09T20:00:00-07:00"))
            .build(),
        )

        output = _read(a_config(end_date="2024-04-10"))

        assert [record["id"] for record in _records(output)] == ["18", "19", "20", "21"]
        assert [record["review_date"] for record in _records(output)] == [
            "2024-01-01",
            "2024-04-01",
            "2024-04-02",
            "2024-04-09",
        ]
        # A STATE after each window.
        assert [state["start_time"] for state in _states(output)] == ["2024-04-02", "2024-04-10"]

    @HttpMocker()
    def test_given_a_window_without_reviews_answered_404_when_read_then_it_is_empty_and_the_state_moves_on(
        self, http_mocker: HttpMocker
    ) -> None:
        http_mocker.post(
            scorecards_request("2024-01-01", "2024-01-08").build(),
            an_error_response(404, "Answered scorecards not found"),
        )

        output = _read(a_config())

        assert _records(output) == [] and not output.errors
        assert _states(output) == [{"start_time": "2024-01-08"}]

    @HttpMocker()
    def test_given_user_ids_and_scorecard_ids_when_read_then_gong_filters_reviewed_users_and_scorecards(
        self, http_mocker: HttpMocker
    ) -> None:
        # The filter chooses the reviews, never how complete they are: the users lookup is the whole list, so the
        # reviewer outside user_ids (Bob) is named too; the zone question names dates alone.
        http_mocker.get(users_request(), a_users_page([a_user(ALICE, "Alice", "Able"), a_user(BOB, "Bob", "Baker")]))
        _settings(http_mocker)
        http_mocker.post(
            total_request("2024-01-01", "2024-01-08").build(),
            TotalPage("2024-01-01T00:00:00-08:00", "2024-01-08T00:00:00-08:00").build(),
        )
        http_mocker.post(
            scorecards_request("2024-01-01", "2024-01-08")
            .with_reviewed_user_ids([ALICE])
            .with_scorecard_ids(["6843152929075440037"])
            .build(),
            ScorecardsPage().with_scorecard(_review("31", "2024-01-03T10:00:00-08:00")).build(),
        )

        output = _read(a_config(user_ids=[ALICE], scorecard_ids=["6843152929075440037"]))

        [record] = _records(output)
        assert record["id"] == "31" and record["reviewed_user"]["name"] == "Alice Able" and not output.errors
        assert record["reviewer"]["name"] == "Bob Baker"
        assert _states(output)[-1] == {"start_time": "2024-01-08", "company_time_zone": "US/Pacific"}

    @HttpMocker()
    def test_given_a_key_without_the_scorecards_scope_when_read_then_activity_syncs_and_this_stream_fails_naming_it(
        self, http_mocker: HttpMocker
    ) -> None:
        http_mocker.get(users_request(), a_users_page([a_user(ALICE, "Alice", "Able")]))
        http_mocker.post(
            total_request("2024-01-01", "2024-01-08").build(),
            TotalPage("2024-01-01T00:00:00-08:00", "2024-01-08T00:00:00-08:00").build(),
        )
        http_mocker.post(
            by_period_request("DAY", "2024-01-01", "2024-01-08").build(),
            ActivityPage()
            .with_user(
                ALICE, "a@acme.example", [("2024-01-01T00:00:00-08:00", "2024-01-02T00:00:00-08:00", counters(1))]
            )
            .build(),
        )
        http_mocker.post(
            scorecards_request("2024-01-01", "2024-01-08").build(), an_error_response(401, "Access denied")
        )

        output = _read(a_config(), streams=("activity", STREAM), expect_error=True)

        assert [record["id"] for record in _records(output, "activity")] == [f"{ALICE}:day:2024-01-01"]
        assert _states(output, "activity")[-1]["start_time"] == "2024-01-08"
        assert _records(output) == [] and _states(output) == []
        # The stream's own error; the in-process entrypoint repeats it when the sync ends (the command line does not).
        errors = [message.trace.error for message in output.errors]
        error = errors[0]
        assert all(other.message == error.message for other in errors)
        assert error.failure_type == FailureType.config_error and "api:stats:scorecards" in error.message
        assert error.stream_descriptor.name == STREAM and error.stack_trace is None

    @HttpMocker()
    def test_given_a_saved_state_when_read_then_the_cost_line_names_the_windows_and_what_gong_pages_over(
        self, http_mocker: HttpMocker
    ) -> None:
        http_mocker.post(
            scorecards_request("2024-01-05", "2024-01-08").build(), an_error_response(404, "An error has occurred")
        )

        output = _read(a_config(), state={"start_time": "2024-01-05", "company_time_zone": "US/Pacific"})

        [plan] = [m.log.message for m in output.logs if m.log.message.startswith(f"Stream '{STREAM}' plans")]
        assert plan == (
            "Stream 'answered_scorecards' plans 1 window(s) of day data: one call for every 100 answered scorecards in "
            "a window, at least one a window (Gong pages over answered scorecards, not users), plus 1 for the "
            "scorecard settings once a review arrives (shared with 'scorecards'): at least 1 calls, 2 with reviews, "
            "0.02% of Gong's 10,000 calls a day."
        )
        assert _states(output) == [{"start_time": "2024-01-08", "company_time_zone": "US/Pacific"}]

    def test_given_gong_refuses_a_review_to_date_as_the_future_when_read_then_the_window_ends_a_day_earlier(
        self,
    ) -> None:
        with frozen_at():
            yesterday, output, http_mocker, (refused, retried) = self._read_with_a_refused_today(dt.date(2026, 11, 23))

        assert [record["id"] for record in _records(output)] == ["41"] and not output.errors
        assert _states(output)[-1] == {"start_time": str(yesterday), "company_time_zone": "US/Pacific"}
        http_mocker.assert_number_of_calls(refused, 1)
        http_mocker.assert_number_of_calls(retried, 1)

    @staticmethod
    def _read_with_a_refused_today(kiritimati_today: dt.date) -> tuple[Any, ...]:
        # The saved zone is UTC+14, but the company has since moved west: Gong calls that reviewToDate "tomorrow".
        start, yesterday = kiritimati_today - dt.timedelta(days=2), kiritimati_today - dt.timedelta(days=1)
        refused = scorecards_request(str(start), str(kiritimati_today)).build()
        retried = scorecards_request(str(start), str(yesterday)).build()
        with HttpMocker() as http_mocker:
            http_mocker.post(refused, an_error_response(400, "reviewToDate must not be in the future"))
            # A 400 may be about anything: the dates-only probe confirms that it was the future.
            http_mocker.post(
                total_request(str(yesterday), str(kiritimati_today)).build(),
                an_error_response(400, "toDate must not be in the future"),
            )
            http_mocker.post(retried, ScorecardsPage().with_scorecard(_review("41", f"{start}T10:00:00-08:00")).build())
            _users_and_zone(http_mocker, str(start), str(yesterday))
            output = _read(
                a_config(start_date=str(start), end_date=None, lookback_days=0),
                state={"company_time_zone": "Pacific/Kiritimati"},
            )
        return yesterday, output, http_mocker, (refused, retried)


def test_discover_offers_answered_scorecards_keyed_by_id_with_review_time_as_its_cursor() -> None:
    output = discover(SourceGongActivity(), a_config())

    [stream] = [stream for stream in output.catalog.catalog.streams if stream.name == STREAM]
    assert stream.source_defined_primary_key == [["id"]] and stream.default_cursor_field == ["review_time"]
    assert set(stream.supported_sync_modes) == {SyncMode.full_refresh, SyncMode.incremental}
    assert stream.json_schema["properties"]["review_time"]["airbyte_type"] == "timestamp_with_timezone"


def test_given_a_key_without_the_scorecards_scope_when_checked_then_it_passes_and_names_the_scope() -> None:
    # `check` asks each endpoint about the day before the earliest day that can be today anywhere (UTC-12, which the
    # Etc zones write as GMT+12).
    with frozen_at():  # 2026-11-21 in UTC-12
        succeeded, message = _check_without_the_scorecards_scope(dt.date(2026, 11, 21))

    assert succeeded
    assert message is not None and "The stream 'answered_scorecards' cannot be synced" in message
    assert "api:stats:scorecards" in message


def _check_without_the_scorecards_scope(earliest: dt.date) -> tuple[bool, Any]:
    day = {"fromDate": str(earliest - dt.timedelta(days=1)), "toDate": str(earliest)}
    base = f"{BASE_URL}/v2/stats"
    with HttpMocker() as http_mocker:
        http_mocker.post(HttpRequest(f"{base}/activity/aggregate", body={"filter": day}), an_error_response(404))
        http_mocker.post(HttpRequest(f"{base}/activity/day-by-day", body={"filter": day}), an_error_response(404))
        http_mocker.post(HttpRequest(f"{base}/interaction", body={"filter": day}), an_error_response(404))
        review_day = {"reviewFromDate": day["fromDate"], "reviewToDate": day["toDate"]}
        http_mocker.post(
            HttpRequest(f"{base}/activity/scorecards", body={"filter": review_day}), an_error_response(401)
        )
        http_mocker.get(users_request(), a_users_page([a_user(ALICE, "Alice", "Able")]))
        http_mocker.get(settings_request(), a_settings_response([]))
        # `coaching`'s check asks for the workspaces; with none there is no coaching call to make.
        http_mocker.get(HttpRequest(f"{BASE_URL}/v2/workspaces"), HttpResponse('{"workspaces": []}', 200))

        return SourceGongActivity().check_connection(logging.getLogger("test"), a_config())
