"""Shapes Gong's contract allows beyond the happy path, each behind a flag: numeric call ids, UTC times, no zeros."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import requests

from integration_tests.gong_emulator.activity import COUNTERS

from .conftest import AGGREGATE, BY_PERIOD, DAY_BY_DAY, INTERACTION, filter_body, read_all_pages

FROM, TO = dt.date(2024, 3, 4), dt.date(2024, 3, 18)  # two weeks across the US/Pacific spring-forward (03-10)


def _day_items(emulator, session, frm=FROM, to=TO) -> dict[str, list[dict]]:
    pages = read_all_pages(session, emulator.base_url + DAY_BY_DAY, filter_body(frm, to))
    return {
        user["userId"]: user["userDailyActivityStats"] for page in pages for user in page["usersDetailedActivities"]
    }


def _truth(emulator, **params: str) -> object:
    query = {"fromDate": FROM.isoformat(), "toDate": TO.isoformat(), **params}
    response = requests.get(emulator.base_url + "/_emulator/truth", params=query)
    assert response.status_code == 200, response.text
    return response.json()


# Call ids as JSON numbers


def test_given_numeric_call_ids_when_served_then_ids_are_json_integers_and_about_a_tenth_exceed_2_pow_64(
    start_emulator, session
):
    emulator = start_emulator(numeric_call_ids=True, users=60)

    detailed = _day_items(emulator, session)

    ids = [call for days in detailed.values() for day in days for name in COUNTERS for call in day[name]]
    assert ids and all(type(call) is int for call in ids)
    big = [call for call in ids if call >= 2**64]
    assert all(len(str(call)) == 20 for call in big)
    assert 0.05 < len(big) / len(ids) < 0.2, f"{len(big)} of {len(ids)} ids are >= 2**64"
    assert all(len(str(call)) <= 19 and call < 2**63 for call in ids if call < 2**64)
    assert {len(str(call)) for call in ids} > {19, 20}, "some ids are shorter than 19 digits, as in Gong's examples"


def test_given_numeric_call_ids_when_reading_the_raw_body_then_big_ids_are_unquoted_integer_literals(
    start_emulator, session
):
    emulator = start_emulator(numeric_call_ids=True, users=60)

    raw = session.post(emulator.base_url + DAY_BY_DAY, json=filter_body(FROM, TO)).text

    big = next(
        call
        for days in _day_items(emulator, session).values()
        for day in days
        for call in day["callsAttended"]
        if call >= 2**64
    )
    assert f"[{big}," in raw or f",{big}," in raw or f",{big}]" in raw or f"[{big}]" in raw
    assert f'"{big}"' not in raw and "e+" not in raw and "E+" not in raw


def test_given_numeric_call_ids_when_asking_the_truth_then_it_serves_the_same_numbers(start_emulator, session):
    emulator = start_emulator(numeric_call_ids=True)

    assert _day_items(emulator, session) == _truth(emulator, endpoint="day-by-day")
    assert _truth(emulator, endpoint="day-by-day") == emulator.dataset.expected_day_by_day(FROM, TO)


def test_given_numeric_call_ids_when_counting_then_each_list_is_as_long_as_its_counter(start_emulator, session):
    emulator = start_emulator(numeric_call_ids=True)

    detailed = _day_items(emulator, session)

    for record in emulator.dataset.expected(FROM, TO, "DAY"):
        day = detailed[record["userId"]][(record["fromDate"] - FROM).days]
        assert {name: len(day[name]) for name in COUNTERS} == record["counters"]


# Date-times in UTC


def _date_times(answer: dict) -> list[str]:
    """Every date-time string of a stats answer: the envelope's and the items'."""
    found = [answer[key] for key in ("fromDateTime", "toDateTime") if key in answer]
    for key in ("usersAggregateActivity", "usersDetailedActivities"):
        for user in answer.get(key, []):
            for item in user.get("userAggregateActivity") or user.get("userDailyActivityStats"):
                found += [item["fromDate"], item["toDate"]]
    return found


def _instants(texts: list[str]) -> list[dt.datetime]:
    return [dt.datetime.fromisoformat(text) for text in texts]


@pytest.mark.parametrize(
    "path, extra",
    [
        (AGGREGATE, {}),
        (BY_PERIOD, {"aggregationPeriod": "DAY"}),
        (BY_PERIOD, {"aggregationPeriod": "WEEK"}),
        (DAY_BY_DAY, {}),
        (INTERACTION, {}),
    ],
)
def test_given_utc_times_when_served_then_every_date_time_is_utc_with_z_and_fraction_and_the_same_instant(
    start_emulator, session, path, extra
):
    utc, plain = start_emulator(utc_times=True), start_emulator()
    body = {**extra, **filter_body(FROM, TO)}

    utc_answer = session.post(utc.base_url + path, json=body).json()
    plain_answer = session.post(plain.base_url + path, json=body).json()

    utc_times, plain_times = _date_times(utc_answer), _date_times(plain_answer)
    assert utc_times and len(utc_times) == len(plain_times)
    assert all(text.endswith("Z") and "." in text and "+" not in text for text in utc_times)
    assert _instants(utc_times) == _instants(plain_times)


def test_given_utc_times_when_served_then_fraction_digits_vary_like_gongs(start_emulator, session):
    emulator = start_emulator(utc_times=True)

    answer = session.post(emulator.base_url + BY_PERIOD, json={"aggregationPeriod": "DAY", **filter_body(FROM, TO)})

    digits = {len(text.rsplit(".", 1)[1]) - 1 for text in _date_times(answer.json())}
    assert digits == {1, 3, 6}


def test_given_utc_times_when_listing_users_then_created_is_utc_and_the_same_instant(start_emulator, session):
    utc, plain = start_emulator(utc_times=True), start_emulator()

    utc_users = session.get(utc.base_url + "/v2/users").json()["users"]
    plain_users = session.get(plain.base_url + "/v2/users").json()["users"]

    assert all(user["created"].endswith("Z") for user in utc_users)
    assert _instants([u["created"] for u in utc_users]) == _instants([u["created"] for u in plain_users])
    assert utc_users == utc.dataset.users()


def test_given_utc_times_when_asking_the_truth_then_day_by_day_carries_the_same_strings(start_emulator, session):
    emulator = start_emulator(utc_times=True)

    assert _day_items(emulator, session) == _truth(emulator, endpoint="day-by-day")


# Zero counters and empty lists left out


def _filled(item: dict, empty: object) -> dict:
    return {**{name: empty for name in COUNTERS}, **item}


def test_given_omit_zeros_when_served_then_items_lack_exactly_the_zero_counters(start_emulator, session):
    omitting, plain = start_emulator(omit_zeros=True), start_emulator()
    body = {"aggregationPeriod": "DAY", **filter_body(FROM, TO)}

    short = session.post(omitting.base_url + BY_PERIOD, json=body).json()["usersAggregateActivity"]
    full = session.post(plain.base_url + BY_PERIOD, json=body).json()["usersAggregateActivity"]

    items = [item for user in short for item in user["userAggregateActivity"]]
    assert all(0 not in item.values() for item in items)
    assert any(set(item) == {"fromDate", "toDate"} for item in items), "a quiet day keeps only its dates"
    assert [[_filled(item, 0) for item in user["userAggregateActivity"]] for user in short] == [
        user["userAggregateActivity"] for user in full
    ]


def test_given_omit_zeros_when_aggregating_then_totals_lack_zero_counters(start_emulator, session):
    omitting, plain = start_emulator(omit_zeros=True), start_emulator()
    body = filter_body(FROM, FROM + dt.timedelta(days=1))

    short = session.post(omitting.base_url + AGGREGATE, json=body).json()["usersAggregateActivityStats"]
    full = session.post(plain.base_url + AGGREGATE, json=body).json()["usersAggregateActivityStats"]

    assert any(len(user["userAggregateActivityStats"]) < len(COUNTERS) for user in short)
    assert [_filled(user["userAggregateActivityStats"], 0) for user in short] == [
        user["userAggregateActivityStats"] for user in full
    ]


def test_given_omit_zeros_when_served_by_day_then_empty_lists_are_left_out_and_the_truth_agrees(
    start_emulator, session
):
    omitting, plain = start_emulator(omit_zeros=True), start_emulator()

    short, full = _day_items(omitting, session), _day_items(plain, session)

    days = [day for days in short.values() for day in days]
    assert all([] not in day.values() for day in days)
    assert any(set(day) == {"fromDate", "toDate"} for day in days)
    assert {user: [_filled(day, []) for day in days] for user, days in short.items()} == full
    assert short == _truth(omitting, endpoint="day-by-day")


def test_given_omit_zeros_when_asking_the_aggregate_truth_then_its_counters_lack_the_zeros_too(start_emulator):
    emulator = start_emulator(omit_zeros=True)

    records = _truth(emulator, period="DAY")

    assert records and all(0 not in record["counters"].values() for record in records)
    assert any(record["counters"] == {} for record in records)


# The flags on the command line


def test_given_the_new_flags_on_the_command_line_when_parsed_then_each_lands_in_its_field():
    from integration_tests.gong_emulator import EmulatorConfig

    config = EmulatorConfig.from_args(
        [
            "--numeric-call-ids",
            "--utc-times",
            "--omit-zeros",
            "--no-stats-scope",
            "--scope-status",
            "401",
            "--not-found-message",
            "An error has occurred",
            "--grow-recent-days",
            "3",
            "--today",
            "2024-06-10",
        ]
    )

    assert (config.numeric_call_ids, config.utc_times, config.omit_zeros, config.no_stats_scope) == (True,) * 4
    assert (config.scope_status, config.not_found_message) == (401, "An error has occurred")
    assert (config.grow_recent_days, config.today) == (3, dt.date(2024, 6, 10))
    assert json.loads(json.dumps(config.to_json()))["today"] == "2024-06-10"


@pytest.mark.parametrize("argv", [["--scope-status", "404"], ["--grow-recent-days", "-1"], ["--today", "2024-6-1"]])
def test_given_a_bad_new_flag_when_parsed_then_exit_2(argv):
    from integration_tests.gong_emulator import EmulatorConfig

    with pytest.raises(SystemExit) as exit_info:
        EmulatorConfig.from_args(argv)

    assert exit_info.value.code == 2
