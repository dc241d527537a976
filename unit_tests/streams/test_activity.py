"""Connector-level tests: the real source driven through the CDK's entrypoint, Gong mocked with HttpMocker."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any
from unittest import TestCase

import jsonschema
from airbyte_cdk.models import ConfiguredAirbyteCatalog, FailureType, SyncMode
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import EntrypointOutput, discover
from airbyte_cdk.test.mock_http import HttpMocker
from airbyte_cdk.test.state_builder import StateBuilder

from source_gong_activity import SourceGongActivity
from unit_tests.builders import (
    ActivityPage,
    TotalPage,
    a_config,
    a_user,
    a_users_page,
    an_error_response,
    by_period_request,
    counters,
    total_request,
    users_request,
)
from unit_tests.clock import frozen_at
from unit_tests.command_line import read

SCHEMA = json.loads((Path(__file__).parents[2] / "source_gong_activity" / "schemas" / "activity.json").read_text())
ALICE, BOB, CAROL = "1000000000000000001", "1000000000000000002", "1000000000000000003"


def _catalog(sync_mode: SyncMode = SyncMode.incremental) -> ConfiguredAirbyteCatalog:
    return CatalogBuilder().with_stream("activity", sync_mode).build()


def _read(config: dict[str, Any], state: dict[str, Any] | None = None, expect_error: bool = False) -> EntrypointOutput:
    state_messages = StateBuilder().with_stream_state("activity", state).build() if state is not None else None
    return read(config, _catalog(), state_messages, expecting_exception=expect_error)


def _records(output: EntrypointOutput) -> list[dict[str, Any]]:
    return [message.record.data for message in output.records]


def _final_state(output: EntrypointOutput) -> dict[str, Any]:
    return dict(output.most_recent_state.stream_state.__dict__)


def _day(date: str, next_date: str, seed: int) -> tuple:
    return (f"{date}T00:00:00-08:00", f"{next_date}T00:00:00-08:00", counters(seed))


def _company_zone(http_mocker: HttpMocker, from_date: str, to_date: str, zone: str = "US/Pacific") -> None:
    """The one /aggregate call a sync makes to learn the company's zone, which aggregate-by-period never names: over
    the first window that had activity."""
    http_mocker.post(
        total_request(from_date, to_date).build(),
        TotalPage(f"{from_date}T00:00:00-08:00", f"{to_date}T00:00:00-08:00", zone).build(),
    )


def _users_directory(http_mocker: HttpMocker) -> None:
    http_mocker.get(
        users_request(),
        a_users_page([a_user(ALICE, "Alice", "Able", ["ali@acme.example"]), a_user(BOB, "Bob", "Baker")]),
    )


class TestActivityRead(TestCase):
    @HttpMocker()
    def test_given_three_pages_when_read_then_every_record_of_every_page_is_emitted_once(
        self, http_mocker: HttpMocker
    ) -> None:
        _users_directory(http_mocker)
        _company_zone(http_mocker, "2024-01-01", "2024-01-03")
        request = by_period_request("DAY", "2024-01-01", "2024-01-03")
        http_mocker.post(
            request.build(),
            ActivityPage()
            .with_user(
                ALICE,
                "alice.able@acme.example",
                [_day("2024-01-01", "2024-01-02", 1), _day("2024-01-02", "2024-01-03", 2)],
            )
            .with_cursor("c1")
            .build(),
        )
        http_mocker.post(
            by_period_request("DAY", "2024-01-01", "2024-01-03").with_cursor("c1").build(),
            ActivityPage()
            .with_user(BOB, "bob.baker@acme.example", [_day("2024-01-01", "2024-01-02", 3)])
            .with_cursor("c2")
            .build(),
        )
        http_mocker.post(
            by_period_request("DAY", "2024-01-01", "2024-01-03").with_cursor("c2").build(),
            ActivityPage().with_user(CAROL, "carol@acme.example", [_day("2024-01-02", "2024-01-03", 4)]).build(),
        )

        output = _read(a_config(end_date="2024-01-03"))

        ids = [record["id"] for record in _records(output)]
        assert ids == [
            f"{ALICE}:day:2024-01-01",
            f"{ALICE}:day:2024-01-02",
            f"{BOB}:day:2024-01-01",
            f"{CAROL}:day:2024-01-02",
        ]
        assert _final_state(output) == {"start_time": "2024-01-03", "company_time_zone": "US/Pacific"}

    @HttpMocker()
    def test_given_a_day_when_read_then_all_fifteen_counters_map_to_unified_metrics_and_the_record_matches_the_schema(
        self, http_mocker: HttpMocker
    ) -> None:
        _users_directory(http_mocker)
        _company_zone(http_mocker, "2024-01-01", "2024-01-02")
        http_mocker.post(
            by_period_request("DAY", "2024-01-01", "2024-01-02").build(),
            ActivityPage().with_user(ALICE, "alice.able@acme.example", [_day("2024-01-01", "2024-01-02", 7)]).build(),
        )

        [record] = _records(_read(a_config(end_date="2024-01-02")))

        jsonschema.validate(record, SCHEMA)
        assert record["metrics"] == {
            "calls_hosted": 700,
            "calls_attended": 701,
            "calls_listened_own": 702,
            "calls_listened_others": 703,
            "feedback_given": 704,
            "feedback_received": 705,
            "feedback_requested": 706,
            "comments_given": 707,
            "comments_received": 708,
            "calls_shared_internally": 709,
            "calls_shared_externally": 710,
            "scorecards_filled": 711,
            "scorecards_received": 712,
            "calls_marked_feedback_given": 713,
            "calls_marked_feedback_received": 714,
        }
        assert record["user"] == {
            "id": ALICE,
            "name": "Alice Able",
            "emails": [
                {"email": "alice.able@acme.example", "is_primary": True},
                {"email": "ali@acme.example", "is_primary": False},
            ],
        }
        assert (record["start_time"], record["end_time"]) == ("2024-01-01T00:00:00-08:00", "2024-01-02T00:00:00-08:00")
        assert record["remote_data"]["callsAsHost"] == 700 and record["remote_data"]["userId"] == ALICE
        assert "created_at" not in record or record["created_at"] is None

    @HttpMocker()
    def test_given_each_granularity_when_read_then_gong_is_asked_for_that_period_and_ids_carry_the_period_start(
        self, http_mocker: HttpMocker
    ) -> None:
        _users_directory(http_mocker)
        cases = {
            "week": ("WEEK", "2024-01-01", "2024-01-15", [("2024-01-01", "2024-01-08"), ("2024-01-08", "2024-01-15")]),
            "month": (
                "MONTH",
                "2024-01-01",
                "2024-03-01",
                [("2024-01-01", "2024-02-01"), ("2024-02-01", "2024-03-01")],
            ),
            "quarter": ("QUARTER", "2024-01-01", "2024-04-01", [("2024-01-01", "2024-04-01")]),
            "year": ("YEAR", "2024-01-01", "2025-01-01", [("2024-01-01", "2025-01-01")]),
        }
        for period, (gong_period, start, end, periods) in cases.items():
            with self.subTest(period=period):
                _company_zone(http_mocker, start, end)
                http_mocker.post(
                    by_period_request(gong_period, start, end).build(),
                    ActivityPage().with_user(ALICE, "a@acme.example", [_day(s, e, 1) for s, e in periods]).build(),
                )
                records = _records(
                    _read(a_config(aggregation_period=period, start_date=start, end_date=end, periods_per_window=12))
                )
                assert [r["id"] for r in records] == [f"{ALICE}:{period}:{s}" for s, _ in periods]
                assert {r["aggregation_period"] for r in records} == {period}

    @HttpMocker()
    def test_given_total_when_read_then_one_record_per_user_spans_the_whole_window(
        self, http_mocker: HttpMocker
    ) -> None:
        _users_directory(http_mocker)
        http_mocker.post(
            total_request("2024-01-01", "2024-01-08").build(),
            TotalPage("2024-01-01T00:00:00-08:00", "2024-01-08T00:00:00-08:00")
            .with_user(BOB, "bob.baker@acme.example", counters(2))
            .build(),
        )

        output = _read(a_config(aggregation_period="total"))

        [record] = _records(output)
        assert record["id"] == f"{BOB}:total:2024-01-01:2024-01-08"
        assert record["metrics"]["calls_hosted"] == 200 and record["user"]["name"] == "Bob Baker"
        assert _final_state(output)["start_time"] == "2024-01-08"

    @HttpMocker()
    def test_given_a_quiet_week_answered_404_when_read_then_the_sync_succeeds_with_no_records(
        self, http_mocker: HttpMocker
    ) -> None:
        http_mocker.post(
            by_period_request("DAY", "2024-01-01", "2024-01-08").build(),
            an_error_response(404, "No users found corresponding to the provided filters"),
        )

        output = _read(a_config())

        assert _records(output) == [] and not output.errors
        assert _final_state(output) == {"start_time": "2024-01-08"}

    @HttpMocker()
    def test_given_a_key_without_users_scope_when_read_then_warns_once_and_falls_back_to_the_stats_email(
        self, http_mocker: HttpMocker
    ) -> None:
        http_mocker.get(users_request(), an_error_response(403, "missing scope api:users:read"))
        _company_zone(http_mocker, "2024-01-01", "2024-01-15")
        http_mocker.post(
            by_period_request("WEEK", "2024-01-01", "2024-01-15").build(),
            ActivityPage()
            .with_user(
                ALICE, "alice@acme.example", [_day("2024-01-01", "2024-01-08", 1), _day("2024-01-08", "2024-01-15", 2)]
            )
            .build(),
        )

        output = _read(a_config(aggregation_period="week", end_date="2024-01-15"))

        users = [record["user"] for record in _records(output)]
        assert (
            users == [{"id": ALICE, "name": None, "emails": [{"email": "alice@acme.example", "is_primary": True}]}] * 2
        )
        warnings = [log for log in output.logs if "api:users:read" in log.log.message and log.log.level.name == "WARN"]
        assert len(warnings) == 1

    @HttpMocker()
    def test_given_a_response_missing_a_counter_when_read_then_the_record_says_null_for_it(
        self, http_mocker: HttpMocker
    ) -> None:
        _users_directory(http_mocker)
        _company_zone(http_mocker, "2024-01-01", "2024-01-02")
        values = counters(1)
        del values["callsAttended"]
        http_mocker.post(
            by_period_request("DAY", "2024-01-01", "2024-01-02").build(),
            ActivityPage()
            .with_user(ALICE, "a@acme.example", [("2024-01-01T00:00:00-08:00", "2024-01-02T00:00:00-08:00", values)])
            .build(),
        )

        output = _read(a_config(end_date="2024-01-02"))

        [record] = _records(output)
        jsonschema.validate(record, SCHEMA)
        assert record["metrics"]["calls_attended"] is None and record["metrics"]["calls_hosted"] == 100
        assert not output.errors and _final_state(output)["start_time"] == "2024-01-02"

    @HttpMocker()
    def test_given_unknown_new_fields_when_read_then_records_are_unchanged(self, http_mocker: HttpMocker) -> None:
        _users_directory(http_mocker)
        _company_zone(http_mocker, "2024-01-01", "2024-01-02")
        values = {**counters(1), "callsBrandNewCounter": 5}
        http_mocker.post(
            by_period_request("DAY", "2024-01-01", "2024-01-02").build(),
            ActivityPage()
            .with_user(ALICE, "a@acme.example", [("2024-01-01T00:00:00-08:00", "2024-01-02T00:00:00-08:00", values)])
            .build(),
        )

        [record] = _records(_read(a_config(end_date="2024-01-02")))

        assert set(record["metrics"]) == set(SCHEMA["properties"]["metrics"]["required"])
        assert record["remote_data"]["callsBrandNewCounter"] == 5

    @HttpMocker()
    def test_given_401_when_read_then_config_error_quotes_gongs_error_and_request_id(
        self, http_mocker: HttpMocker
    ) -> None:
        http_mocker.post(
            by_period_request("DAY", "2024-01-01", "2024-01-08").build(), an_error_response(401, "Invalid access key")
        )

        output = _read(a_config(), expect_error=True)

        messages = [e.trace.error for e in output.errors]
        assert messages and all(m.failure_type == FailureType.config_error for m in messages)
        assert "Invalid access key" in messages[0].message and "req-401" in messages[0].message

    @HttpMocker()
    def test_given_a_saved_state_when_read_then_resumes_at_its_period_start(self, http_mocker: HttpMocker) -> None:
        _users_directory(http_mocker)
        # A saved Wednesday under weekly granularity resumes on that week's Monday, so no week is ever split.
        http_mocker.post(
            by_period_request("WEEK", "2024-01-08", "2024-01-15").build(),
            ActivityPage().with_user(ALICE, "a@acme.example", [_day("2024-01-08", "2024-01-15", 1)]).build(),
        )

        output = _read(
            a_config(aggregation_period="week", end_date="2024-01-15"),
            state={"start_time": "2024-01-10", "company_time_zone": "US/Pacific"},
        )

        assert [r["id"] for r in _records(output)] == [f"{ALICE}:week:2024-01-08"]
        assert _final_state(output) == {"start_time": "2024-01-15", "company_time_zone": "US/Pacific"}

    def test_given_a_corrupt_state_when_read_then_config_error_names_the_problem(self) -> None:
        output = _read(a_config(), state={"start_time": "yesterday-ish"}, expect_error=True)

        errors = [e.trace.error for e in output.errors]
        assert errors and all(error.failure_type == FailureType.config_error for error in errors)
        assert "'start_time' must be a date YYYY-MM-DD, got 'yesterday-ish'" in errors[0].message


def test_discover_lists_the_incremental_stats_streams_with_their_schemas_and_the_users_stream() -> None:
    output = discover(SourceGongActivity(), a_config())

    streams = {stream.name: stream for stream in output.catalog.catalog.streams}
    activity, calls, interaction, users = (
        streams["activity"],
        streams["activity_calls"],
        streams["interaction_stats"],
        streams["users"],
    )
    assert (users.source_defined_primary_key, users.supported_sync_modes) == ([["id"]], [SyncMode.full_refresh])
    for stream in (activity, calls, interaction):
        assert stream.source_defined_primary_key == [["id"]] and stream.default_cursor_field == ["start_time"]
        assert set(stream.supported_sync_modes) == {SyncMode.full_refresh, SyncMode.incremental}
    assert activity.json_schema["properties"]["metrics"] == SCHEMA["properties"]["metrics"]
    assert set(calls.json_schema["properties"]["call_ids"]["required"]) == set(
        SCHEMA["properties"]["metrics"]["properties"]
    )


KIRITIMATI_TODAY = dt.date(2026, 11, 23)  # at unit_tests.clock.NOW


class TestCompanyToday(TestCase):
    def test_given_gong_answers_400_for_a_future_to_date_when_read_then_retries_a_day_earlier_and_succeeds(
        self,
    ) -> None:
        # The mocks name Kiritimati's days on a frozen clock.
        with frozen_at():
            start, output = self._read_with_a_refused_today(KIRITIMATI_TODAY)

        assert [r["id"] for r in _records(output)] == [f"{ALICE}:day:{start}"]
        assert not output.errors
        assert _final_state(output)["company_time_zone"] == "US/Pacific"

    @staticmethod
    def _read_with_a_refused_today(kiritimati_today: Any) -> tuple[Any, EntrypointOutput]:
        # The saved zone is UTC+14, but the company has since moved west: Gong calls that toDate "tomorrow".
        start, yesterday = kiritimati_today - dt.timedelta(days=2), kiritimati_today - dt.timedelta(days=1)
        refused = by_period_request("DAY", str(start), str(kiritimati_today)).build()
        with HttpMocker() as http_mocker:
            _users_directory(http_mocker)
            _company_zone(http_mocker, str(start), str(yesterday))
            http_mocker.post(refused, an_error_response(400, "toDate must not be in the future"))
            # A 400 may be about anything: the dates-only probe confirms that it was the future.
            confirming = total_request(str(yesterday), str(kiritimati_today)).build()
            http_mocker.post(confirming, an_error_response(400, "toDate must not be in the future"))
            http_mocker.post(
                by_period_request("DAY", str(start), str(yesterday)).build(),
                ActivityPage().with_user(ALICE, "a@acme.example", [_day(str(start), str(yesterday), 1)]).build(),
            )
            output = _read(
                a_config(start_date=str(start), end_date=None, lookback_days=0),
                state={"company_time_zone": "Pacific/Kiritimati"},
            )
            http_mocker.assert_number_of_calls(refused, 1)
            http_mocker.assert_number_of_calls(confirming, 1)
        return start, output

    def test_given_a_400_that_the_dates_only_probe_does_not_confirm_as_the_future_then_the_sync_fails_in_gong_s_words(
        self,
    ) -> None:
        # Kiritimati's today is the company's today: Gong's 400 was about something else, never a window to skip.
        with frozen_at():
            output = self._read_with_a_400_for_another_reason(KIRITIMATI_TODAY)

        assert not _records(output) and not output.state_messages  # the state as it came: unmoved
        errors = [e.trace.error for e in output.errors]
        assert errors and all(error.failure_type == FailureType.config_error for error in errors)
        assert "Malformed request" in errors[0].message and "'user_ids'" in errors[0].message

    @staticmethod
    def _read_with_a_400_for_another_reason(kiritimati_today: Any) -> EntrypointOutput:
        yesterday = kiritimati_today - dt.timedelta(days=1)
        with HttpMocker() as http_mocker:
            _users_directory(http_mocker)
            http_mocker.post(
                by_period_request("DAY", str(yesterday), str(kiritimati_today)).with_user_ids([ALICE]).build(),
                an_error_response(400, "Malformed request"),
            )
            http_mocker.post(
                total_request(str(yesterday), str(kiritimati_today)).build(),
                TotalPage(
                    f"{yesterday}T00:00:00+14:00", f"{kiritimati_today}T00:00:00+14:00", "Pacific/Kiritimati"
                ).build(),
            )
            return _read(
                a_config(start_date=str(yesterday), end_date=None, lookback_days=0, user_ids=[ALICE]),
                state={"company_time_zone": "Pacific/Kiritimati"},
                expect_error=True,
            )


def test_given_oauth_refresh_when_gong_rejects_the_token_with_401_then_refreshes_once_retries_and_stores_new_token(
    capsys,
) -> None:
    from airbyte_cdk.test.mock_http import HttpRequest, HttpResponse

    token_url = "https://app.gong.io/oauth2/generate-customer-token"
    regional = "https://us-49467.api.gong.io"

    def token_request(refresh_token: str) -> HttpRequest:
        return HttpRequest(token_url, query_params={"grant_type": "refresh_token", "refresh_token": refresh_token})

    def token_response(access_token: str, refresh_token: str) -> HttpResponse:
        return HttpResponse(
            json.dumps(
                {
                    "access_token": access_token,
                    "refresh_token": refresh_token,
                    "expires_in": 3600,
                    "api_base_url_for_customer": regional,
                }
            ),
            200,
        )

    credentials = {
        "auth_type": "oauth2.0",
        "client_id": "unit-client-id-1234",
        "client_secret": "unit-client-secret-5678",
        "refresh_token": "unit-refresh-token-0",
    }
    activity = HttpRequest(
        f"{regional}/v2/stats/activity/aggregate-by-period",
        body={"filter": {"fromDate": "2024-01-01", "toDate": "2024-01-02"}, "aggregationPeriod": "DAY"},
    )
    second_refresh = token_request("unit-refresh-token-1")
    with HttpMocker() as http_mocker:
        http_mocker.post(
            token_request("unit-refresh-token-0"), token_response("unit-access-token-1", "unit-refresh-token-1")
        )
        http_mocker.post(second_refresh, token_response("unit-access-token-2", "unit-refresh-token-2"))
        http_mocker.post(
            activity,
            [
                an_error_response(401, "Token revoked"),
                ActivityPage().with_user(ALICE, "a@acme.example", [_day("2024-01-01", "2024-01-02", 1)]).build(),
            ],
        )
        http_mocker.get(HttpRequest(f"{regional}/v2/users"), a_users_page([a_user(ALICE, "Alice", "Able")]))
        http_mocker.post(
            HttpRequest(
                f"{regional}/v2/stats/activity/aggregate",
                body={"filter": {"fromDate": "2024-01-01", "toDate": "2024-01-02"}},
            ),
            TotalPage("2024-01-01T00:00:00-08:00", "2024-01-02T00:00:00-08:00").build(),
        )

        output = _read(a_config(credentials=credentials, end_date="2024-01-02"))

        http_mocker.assert_number_of_calls(second_refresh, 1)
        http_mocker.assert_number_of_calls(activity, 2)
    assert [r["id"] for r in _records(output)] == [f"{ALICE}:day:2024-01-01"] and not output.errors
    controls = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"CONTROL"' in line]
    assert (
        controls[-1]["control"]["connectorConfig"]["config"]["credentials"]["refresh_token"] == "unit-refresh-token-2"
    )
