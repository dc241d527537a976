"""Interaction stats follow from each user's Whisper-recorded calls: deterministic, window-consistent, paged."""

from __future__ import annotations

import datetime as dt

import pytest

from integration_tests.gong_emulator import EmulatorConfig

from .conftest import AGGREGATE, BY_PERIOD, DAY_BY_DAY, INTERACTION, filter_body, read_all_pages

FROM, MIDDLE, TO = dt.date(2024, 3, 1), dt.date(2024, 4, 15), dt.date(2024, 6, 1)
MEANS = {"Talk Ratio": 2, "Interactivity": 1, "Patience": 2, "Question Rate": 1}  # name -> decimals
LONGEST = ("Longest Monologue", "Longest Customer Story")
ALWAYS_SENT = ["Talk Ratio", "Longest Monologue", "Interactivity", "Patience", "Question Rate"]


@pytest.fixture
def paged(start_emulator):
    return start_emulator(users=40, page_size=6)


def _served(emulator, session, frm=FROM, to=TO, **extra) -> dict[str, dict[str, float]]:
    """userId -> {stat name: value}, over every page."""
    pages = read_all_pages(session, emulator.base_url + INTERACTION, filter_body(frm, to, **extra))
    return {
        person["userId"]: {stat["name"]: stat["value"] for stat in person["personInteractionStats"]}
        for page in pages
        for person in page["peopleInteractionStats"]
    }


def _calls(dataset, user_id: str, frm: dt.date, to: dt.date) -> list[dict]:
    return [call for n in range((to - frm).days) for call in dataset.whisper_calls(user_id, frm + dt.timedelta(days=n))]


def test_given_window_when_served_then_stats_are_the_call_weighted_means_and_maxima_of_recorded_calls(paged, session):
    served = _served(paged, session)

    recorded = [user["id"] for user in paged.dataset.users() if _calls(paged.dataset, user["id"], FROM, TO)]
    assert list(served) == recorded
    for user_id, stats in served.items():
        calls = _calls(paged.dataset, user_id, FROM, TO)
        for name, decimals in MEANS.items():
            assert stats[name] == round(sum(call[name] for call in calls) / len(calls), decimals)
        assert stats["Longest Monologue"] == max(call["Longest Monologue"] for call in calls)
        if "Longest Customer Story" in stats:
            assert stats["Longest Customer Story"] == max(call["Longest Customer Story"] for call in calls)


def test_given_window_when_served_then_equals_expected_interaction(paged, session):
    served = read_all_pages(session, paged.base_url + INTERACTION, filter_body(FROM, TO))

    people = {
        person["userId"]: person["personInteractionStats"]
        for page in served
        for person in page["peopleInteractionStats"]
    }
    assert people == paged.dataset.expected_interaction(FROM, TO)
    emails = {person["userEmailAddress"] for page in served for person in page["peopleInteractionStats"]}
    assert emails == {user["emailAddress"] for user in paged.dataset.users() if user["id"] in people}


def test_given_same_seed_when_asked_twice_and_by_two_emulators_then_identical(paged, start_emulator, session):
    twin = start_emulator(users=40, page_size=6)

    assert _served(paged, session) == _served(paged, session) == _served(twin, session)
    assert _served(paged, session) != _served(start_emulator(users=40, seed=43), session)


def test_given_two_halves_of_a_window_when_compared_with_the_whole_then_consistent(paged, session):
    whole, first, second = (
        _served(paged, session),
        _served(paged, session, FROM, MIDDLE),
        _served(paged, session, MIDDLE, TO),
    )

    assert set(whole) == set(first) | set(second)
    for user_id, stats in whole.items():
        halves = [half[user_id] for half in (first, second) if user_id in half]
        assert [sorted(half) for half in halves] == [sorted(stats)] * len(halves), "a user's stat names never change"
        for name in LONGEST:
            if name in stats:
                assert stats[name] == max(half[name] for half in halves)
        for name, decimals in MEANS.items():
            step = 10**-decimals  # each half is rounded once: the whole may sit up to half a step outside them
            assert min(half[name] for half in halves) - step <= stats[name] <= max(half[name] for half in halves) + step


def test_given_many_users_when_served_then_values_are_plausible_and_some_lack_the_customer_story(
    start_emulator, session
):
    emulator = start_emulator(users=200)

    served = _served(emulator, session, dt.date(2024, 1, 1), dt.date(2024, 7, 1))

    lacking = [stats for stats in served.values() if "Longest Customer Story" not in stats]
    assert 0.05 <= len(lacking) / len(served) <= 0.3
    for stats in served.values():
        assert [name for name in stats if name != "Longest Customer Story"] == ALWAYS_SENT
        assert 0 < stats["Talk Ratio"] < 1 and 0 < stats["Interactivity"] <= 10 and 0 < stats["Patience"] < 5
        assert 0 < stats["Question Rate"] < 60
        assert all(isinstance(stats[name], int) and stats[name] > 0 for name in LONGEST if name in stats)


def test_given_whole_history_and_single_days_when_served_then_a_share_never_appears_and_most_miss_most_days(
    start_emulator, session
):
    emulator = start_emulator(users=200, history_start=dt.date(2024, 1, 1))
    ever = _served(emulator, session, dt.date(2024, 1, 1), dt.date(2025, 1, 1))
    weekdays = [dt.date(2024, 4, 1) + dt.timedelta(days=n) for n in range(0, 28) if n % 7 < 5]

    per_day = [len(_served(emulator, session, day, day + dt.timedelta(days=1))) for day in weekdays]

    assert 0.15 <= 1 - len(ever) / 200 <= 0.45
    assert all(0 < count < len(ever) / 2 for count in per_day)


def test_given_an_active_user_without_recorded_calls_when_filtered_on_then_404_while_aggregate_answers(paged, session):
    active = {record["userId"] for record in paged.dataset.expected(FROM, TO)}
    silent = sorted(active - set(_served(paged, session)))
    assert silent, "the scenario needs an active user whom Whisper never recorded"

    body = filter_body(FROM, TO, userIds=silent[:1])
    refused = session.post(paged.base_url + INTERACTION, json=body)

    assert refused.status_code == 404
    assert refused.json()["errors"] == ["No users found corresponding to the provided filters"]
    assert session.post(paged.base_url + AGGREGATE, json=body).status_code == 200


def test_given_window_before_history_when_served_then_404(emulator, session):
    response = session.post(emulator.base_url + INTERACTION, json=filter_body(dt.date(2023, 1, 1), dt.date(2023, 2, 1)))

    assert response.status_code == 404
    assert set(response.json()) == {"requestId", "errors"}


def test_given_page_size_6_when_paging_then_pages_hold_every_recorded_user_once(paged, session):
    pages = read_all_pages(session, paged.base_url + INTERACTION, filter_body(FROM, TO))

    total = pages[0]["records"]["totalRecords"]
    assert len(pages) == -(-total // 6) >= 3
    assert [page["records"]["currentPageSize"] for page in pages[:-1]] == [6] * (len(pages) - 1)
    assert "cursor" not in pages[-1]["records"]
    assert {page["fromDateTime"] for page in pages} == {"2024-03-01T00:00:00-08:00"}
    assert {page["toDateTime"] for page in pages} == {"2024-06-01T00:00:00-07:00"}
    served = [person["userId"] for page in pages for person in page["peopleInteractionStats"]]
    assert len(served) == len(set(served)) == total


def test_given_interaction_cursor_when_the_window_changes_then_400(paged, session):
    first = session.post(paged.base_url + INTERACTION, json=filter_body(FROM, TO)).json()

    response = session.post(
        paged.base_url + INTERACTION, json={"cursor": first["records"]["cursor"], **filter_body(FROM, MIDDLE)}
    )

    assert response.status_code == 400
    assert "Invalid cursor" in response.json()["errors"][0]


def test_given_no_interaction_scope_when_calling_then_403_names_the_scope_and_other_endpoints_answer(
    start_emulator, session
):
    emulator = start_emulator(no_interaction_scope=True)
    body = filter_body(FROM, TO)

    refused = session.post(emulator.base_url + INTERACTION, json=body)

    assert refused.status_code == 403
    assert set(refused.json()) == {"requestId", "errors"}
    assert "api:stats:interaction" in refused.json()["errors"][0]
    assert session.post(emulator.base_url + DAY_BY_DAY, json=body).status_code == 200
    assert session.post(emulator.base_url + AGGREGATE, json=body).status_code == 200
    assert session.post(emulator.base_url + BY_PERIOD, json={"aggregationPeriod": "WEEK", **body}).status_code == 200


def test_given_to_date_tomorrow_when_calling_then_400_says_future(start_emulator, session):
    # The company's today, fixed: a midnight during the run cannot turn tomorrow into today.
    today = dt.date(2024, 6, 12)
    emulator = start_emulator(today=today)

    response = session.post(emulator.base_url + INTERACTION, json=filter_body(FROM, today + dt.timedelta(days=1)))

    assert response.status_code == 400
    assert "future" in response.json()["errors"][0]
    assert session.post(emulator.base_url + INTERACTION, json=filter_body(FROM, today)).status_code == 200


def test_given_extra_stat_flag_when_served_then_some_users_carry_it_last_and_the_rest_is_unchanged(
    start_emulator, session
):
    plain, extended = start_emulator(users=40), start_emulator(users=40, extra_interaction_stat="Filler Words")

    before, after = _served(plain, session), _served(extended, session)

    carrying = [user_id for user_id, stats in after.items() if "Filler Words" in stats]
    assert 0 < len(carrying) < len(after)
    assert all(list(after[user_id])[-1] == "Filler Words" for user_id in carrying)
    assert {
        user_id: {k: v for k, v in stats.items() if k != "Filler Words"} for user_id, stats in after.items()
    } == before
    assert not any("Filler Words" in stats for stats in before.values())
    assert after == {
        user_id: {stat["name"]: stat["value"] for stat in stats}
        for user_id, stats in extended.dataset.expected_interaction(FROM, TO, extra_stat="Filler Words").items()
    }


@pytest.mark.parametrize("name", ["", "Talk Ratio"])
def test_given_extra_stat_that_is_empty_or_known_when_configured_then_rejected_naming_the_field(name):
    with pytest.raises(ValueError, match="extra_interaction_stat"):
        EmulatorConfig(extra_interaction_stat=name)


def test_given_new_flags_on_the_command_line_when_parsed_then_set():
    config = EmulatorConfig.from_args(
        ["--no-detailed-scope", "--no-interaction-scope", "--extra-interaction-stat", "Filler Words"]
    )

    assert (config.no_detailed_scope, config.no_interaction_scope) == (True, True)
    assert config.extra_interaction_stat == "Filler Words"


@pytest.mark.parametrize("endpoint", ["day-by-day", "interaction"])
def test_given_truth_endpoint_with_endpoint_parameter_when_queried_then_json_of_the_dataset_method(
    start_emulator, session, endpoint
):
    emulator = start_emulator(extra_interaction_stat="Filler Words")
    frm, to = dt.date(2024, 3, 4), dt.date(2024, 3, 18)
    params = {"fromDate": frm.isoformat(), "toDate": to.isoformat(), "endpoint": endpoint}

    truth = session.get(emulator.base_url + "/_emulator/truth", params=params, auth=None).json()

    if endpoint == "day-by-day":
        assert truth == emulator.dataset.expected_day_by_day(frm, to)
    else:
        assert truth == emulator.dataset.expected_interaction(frm, to, extra_stat="Filler Words")
    assert truth and list(truth) == sorted(truth, key=int)
