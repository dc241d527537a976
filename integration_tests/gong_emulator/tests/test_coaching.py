"""GET /v2/workspaces and GET /v2/coaching: who coaches whom, consistent with the activity the emulator serves.

Every call id in a report's metrics must be a call the report hosted (day-by-day's callsAsHost, read over HTTP), on a
company day whose midnight instant lies in [from, to), and recorded in the asked workspace, each call in one
workspace only. The windows' days are worked out here from the zone's own midnights, not by the emulator's code.
"""

from __future__ import annotations

import collections
import datetime as dt
import zoneinfo
from collections.abc import Iterable

import pytest
import requests

from integration_tests.gong_emulator import Dataset, EmulatorConfig
from integration_tests.gong_emulator.coaching import METRICS

from .conftest import DAY_BY_DAY, MovedClock, filter_body, read_all_pages

WORKSPACES, COACHING, USERS = "/v2/workspaces", "/v2/coaching", "/v2/users"
TODAY = dt.date(2024, 6, 12)
PACIFIC, TOKYO = zoneinfo.ZoneInfo("US/Pacific"), zoneinfo.ZoneInfo("Asia/Tokyo")
FROM_DAY, TO_DAY = dt.date(2024, 5, 20), TODAY  # the last days of it grow with --grow-recent-days
USER_FIELDS = ("id", "emailAddress", "firstName", "lastName", "title")


def _midnight(day: dt.date, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=zone)


def _params(workspace_id: str, manager_id: str, from_time: dt.datetime | str, to_time: dt.datetime | str) -> dict:
    def text(moment: dt.datetime | str) -> str:
        return moment if isinstance(moment, str) else moment.isoformat()

    return {"workspace-id": workspace_id, "manager-id": manager_id, "from": text(from_time), "to": text(to_time)}


def _users(emulator, session) -> list[dict]:
    response = session.get(emulator.base_url + USERS)
    assert response.status_code == 200 and "cursor" not in response.json()["records"]
    return response.json()["users"]


def _workspace_ids(emulator, session) -> list[str]:
    return [workspace["id"] for workspace in session.get(emulator.base_url + WORKSPACES).json()["workspaces"]]


def _active_managers(users: list[dict]) -> list[str]:
    active = {user["id"] for user in users if user["active"]}
    return sorted({user["managerId"] for user in users if user["managerId"] in active}, key=int)


def _hosted(emulator, session, from_day: dt.date, to_day: dt.date, zone: zoneinfo.ZoneInfo) -> dict:
    """(user id, company day) -> that day's callsAsHost ids as strings, from the day-by-day endpoint."""
    pages = read_all_pages(session, emulator.base_url + DAY_BY_DAY, filter_body(from_day, to_day))
    return {
        (user["userId"], dt.datetime.fromisoformat(item["fromDate"]).astimezone(zone).date()): [
            str(call) for call in item.get("callsAsHost", [])
        ]
        for page in pages
        for user in page["usersDetailedActivities"]
        for item in user["userDailyActivityStats"]
    }


def _coached(answers: Iterable[dict]) -> list[tuple[str, str]]:
    """(report id, call id) of every call in every metric of these coachingData answers."""
    return [
        (entry["report"]["id"], call)
        for answer in answers
        for data in answer["coachingData"]
        for entry in data["directReportsMetrics"]
        for calls in entry["metrics"].values()
        for call in calls
    ]


def _every_answer(emulator, session, from_time: dt.datetime | str, to_time: dt.datetime | str) -> dict:
    """(workspace id, manager id) -> the 200 answer, for every workspace and every active manager."""
    users = _users(emulator, session)
    answers = {}
    for workspace_id in _workspace_ids(emulator, session):
        for manager_id in _active_managers(users):
            response = session.get(
                emulator.base_url + COACHING, params=_params(workspace_id, manager_id, from_time, to_time)
            )
            assert response.status_code == 200, response.text
            answers[(workspace_id, manager_id)] = response.json()
    return answers


def _days_of(hosted: dict, coached: list[tuple[str, str]]) -> set[dt.date | None]:
    """The company days on which the coached calls were hosted (None for a call its report never hosted there)."""
    day_of = {(user_id, call): day for (user_id, day), calls in hosted.items() for call in calls}
    return {day_of.get(pair) for pair in coached}


# GET /v2/workspaces


def test_given_a_company_when_listing_workspaces_then_several_with_numeric_ids_as_the_truth_says(emulator, session):
    response = session.get(emulator.base_url + WORKSPACES)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"requestId", "workspaces"}
    workspaces = body["workspaces"]
    assert len(workspaces) >= 2
    assert all(set(workspace) == {"id", "name", "description"} for workspace in workspaces)
    assert all(workspace["id"].isdigit() and len(workspace["id"]) <= 20 for workspace in workspaces)
    assert len({workspace["id"] for workspace in workspaces}) == len(workspaces)
    assert workspaces == emulator.dataset.coaching.workspaces()
    assert requests.get(emulator.base_url + "/_emulator/truth", params={"endpoint": "workspaces"}).json() == workspaces


# GET /v2/coaching agrees with the activity data


@pytest.mark.parametrize(
    "flags",
    [{}, {"numeric_call_ids": True}, {"omit_zeros": True}, {"grow_recent_days": 7}],
    ids=["plain", "numeric call ids", "omit zeros", "grown recent days"],
)
def test_given_every_manager_and_workspace_then_each_call_is_one_the_report_hosted_there_in_the_window(
    start_emulator, session, flags
):
    emulator = start_emulator(users=100, today=TODAY, **flags)
    if flags.get("grow_recent_days"):
        emulator.dataset.advance()  # late counts arrived: hosted lists grew, and coaching must follow them
    users = {user["id"]: user for user in _users(emulator, session)}

    answers = _every_answer(emulator, session, _midnight(FROM_DAY, PACIFIC), _midnight(TO_DAY, PACIFIC))

    hosted = _hosted(emulator, session, FROM_DAY, TO_DAY, PACIFIC)
    hosted_in_window = collections.defaultdict(set)
    for (user_id, _), calls in hosted.items():
        hosted_in_window[user_id].update(calls)
    workspace_of = {
        call.call_id: call.workspace_id
        for user_id in users
        for call in emulator.dataset.coaching.hosted_calls(user_id, FROM_DAY, TO_DAY)
    }
    listed_in: dict = collections.defaultdict(set)  # (report, call) -> workspaces whose answers list it
    for (workspace_id, manager_id), answer in answers.items():
        assert set(answer) == {"requestId", "coachingData"}
        [data] = answer["coachingData"]
        assert data["manager"] == {name: users[manager_id][name] for name in USER_FIELDS}
        reports = [entry["report"] for entry in data["directReportsMetrics"]]
        assert reports == [
            {name: user[name] for name in USER_FIELDS} for user in users.values() if user["managerId"] == manager_id
        ]
        for entry in data["directReportsMetrics"]:
            assert set(entry["metrics"]) <= set(METRICS)
            for calls in entry["metrics"].values():
                assert all(isinstance(call, str) for call in calls)
                assert set(calls) <= hosted_in_window[entry["report"]["id"]]
                assert {workspace_of[call] for call in calls} <= {workspace_id}
                assert calls or not flags.get("omit_zeros")
                for call in calls:
                    listed_in[(entry["report"]["id"], call)].add(workspace_id)
        assert answer["coachingData"] == emulator.dataset.coaching.expected(
            workspace_id, manager_id, _midnight(FROM_DAY, PACIFIC), _midnight(TO_DAY, PACIFIC)
        )
    assert listed_in and all(len(workspaces) == 1 for workspaces in listed_in.values())
    # The workspace assignment covers each hosted call exactly once: its ids are day-by-day's, day by day.
    assigned = collections.defaultdict(list)
    for user_id in users:
        for call in emulator.dataset.coaching.hosted_calls(user_id, FROM_DAY, TO_DAY):
            assigned[(user_id, call.day)].append(call.call_id)
    assert {key: calls for key, calls in hosted.items() if calls} == dict(assigned)


def test_given_quiet_managers_and_reports_then_empty_maps_reports_with_empty_lists_and_a_manager_of_nobody(
    start_emulator, session
):
    emulator = start_emulator(users=100, today=TODAY)
    users = _users(emulator, session)
    answers = _every_answer(emulator, session, _midnight(FROM_DAY, PACIFIC), _midnight(TO_DAY, PACIFIC))
    entries = [
        entry
        for answer in answers.values()
        for data in answer["coachingData"]
        for entry in data["directReportsMetrics"]
    ]
    managing = {user["managerId"] for user in users}
    nobody_managed = next(user["id"] for user in users if user["active"] and user["id"] not in managing)

    alone = session.get(
        emulator.base_url + COACHING,
        params=_params(
            _workspace_ids(emulator, session)[0], nobody_managed, "2024-05-01T00:00:00Z", "2024-06-01T00:00:00Z"
        ),
    )

    assert any(entry["metrics"] == {} for entry in entries)  # hosted nothing there in the window
    assert any(entry["metrics"] and not any(entry["metrics"].values()) for entry in entries)  # hosted, not coached
    assert any(any(entry["metrics"].values()) for entry in entries)
    assert alone.status_code == 200
    assert alone.json()["coachingData"][0]["directReportsMetrics"] == []


# What Gong refuses


def _a_good_request(emulator, session) -> dict:
    users = _users(emulator, session)
    return _params(
        _workspace_ids(emulator, session)[0],
        _active_managers(users)[0],
        "2024-05-01T00:00:00-07:00",
        "2024-05-08T00:00:00-07:00",
    )


@pytest.mark.parametrize(
    "change",
    [
        {"workspace-id": None},
        {"manager-id": None},
        {"from": None},
        {"to": None},
        {"workspace-id": "North America Sales"},
        {"manager-id": "-5"},
        {"manager-id": "99999999999999999999"},  # 20 digits, above int64
        {"from": "2024-05-01"},  # a date, not a date-time
        {"from": "2024-05-01T00:00:00"},  # no offset
        {"to": "next week"},
        {"to": "2024-05-01T00:00:00-07:00"},  # equal to from
        {"from": "2024-05-09T00:00:00Z"},  # after to
        {"workspace-id": "123456789012345"},  # no such workspace
        {"manager-id": "1"},  # no such user
    ],
)
def test_given_a_bad_request_when_asking_for_coaching_then_400_in_gongs_error_shape(emulator, session, change):
    params = {name: value for name, value in {**_a_good_request(emulator, session), **change}.items() if value}

    response = session.get(emulator.base_url + COACHING, params=params)

    assert response.status_code == 400, response.text
    assert set(response.json()) == {"requestId", "errors"}
    assert response.json()["errors"] and all(isinstance(words, str) for words in response.json()["errors"])


def test_given_a_deactivated_manager_then_gong_refuses_with_400_and_the_truth_endpoint_too(emulator, session):
    users = _users(emulator, session)
    deactivated = [
        user["id"] for user in users if not user["active"] and any(u["managerId"] == user["id"] for u in users)
    ]
    assert deactivated, "the company should have a deactivated manager"
    params = {**_a_good_request(emulator, session), "manager-id": deactivated[0]}

    response = session.get(emulator.base_url + COACHING, params=params)
    truth = requests.get(emulator.base_url + "/_emulator/truth", params={"endpoint": "coaching", **params})

    assert response.status_code == 400 and set(response.json()) == {"requestId", "errors"}
    assert "deactivated" in response.json()["errors"][0]
    assert truth.status_code == 400


@pytest.mark.parametrize(
    "flags, refused",
    [
        ({"no_coaching_scope": True}, {COACHING}),
        ({"no_workspaces_scope": True}, {WORKSPACES}),
        ({"no_coaching_scope": True, "scope_status": 401}, {COACHING}),  # their contract has 403 and no 401
        ({"no_users_scope": True, "no_stats_scope": True}, set()),
    ],
)
def test_given_a_missing_scope_then_only_its_endpoint_answers_403(start_emulator, session, flags, refused):
    emulator = start_emulator(**flags)
    params = _a_good_request(start_emulator(), session)  # another company, same seed: the same ids

    statuses = {
        WORKSPACES: session.get(emulator.base_url + WORKSPACES).status_code,
        COACHING: session.get(emulator.base_url + COACHING, params=params).status_code,
    }

    assert statuses == {path: 403 if path in refused else 200 for path in (WORKSPACES, COACHING)}
    response = session.get(emulator.base_url + COACHING, params=params)
    if COACHING in refused:
        assert set(response.json()) == {"requestId", "errors"} and "api:coaching:read" in response.json()["errors"][0]


@pytest.mark.parametrize("flags", [{}, {"regional_host": "localhost"}], ids=["bad credentials", "wrong regional host"])
def test_given_access_denied_then_both_endpoints_answer_403(start_emulator, session, flags):
    emulator = start_emulator(**flags)
    auth = ("test-access-key", "wrong") if not flags else session.auth
    params = _a_good_request(start_emulator(), session)

    workspaces = requests.get(emulator.base_url + WORKSPACES, auth=auth)
    coaching = requests.get(emulator.base_url + COACHING, params=params, auth=auth)

    assert (workspaces.status_code, coaching.status_code) == (403, 403)
    assert set(workspaces.json()) == set(coaching.json()) == {"requestId", "errors"}


# Windows are instants; days are the company's


def _utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@pytest.mark.parametrize(
    "zone, from_time, to_time, days",
    [
        # Tokyo's midnight of March 12 is 15:00 UTC on the 11th; Pacific has no midnight in these ten hours.
        ("Asia/Tokyo", "2024-03-11T10:00:00Z", "2024-03-11T20:00:00Z", [dt.date(2024, 3, 12)]),
        ("US/Pacific", "2024-03-11T10:00:00Z", "2024-03-11T20:00:00Z", []),
        # 24 hours from Pacific's midnight of Sunday March 10 (PST) hold two midnights: the 11th's is PDT, 07:00 UTC.
        ("US/Pacific", "2024-03-10T08:00:00Z", "2024-03-11T08:00:00Z", [dt.date(2024, 3, 10), dt.date(2024, 3, 11)]),
        # ...and 24 hours from Sunday November 3 (PDT) hold one: the 4th's midnight is PST, 08:00 UTC.
        ("US/Pacific", "2024-11-03T07:00:00Z", "2024-11-04T07:00:00Z", [dt.date(2024, 11, 3)]),
        ("US/Pacific", "2024-11-03T07:00:00Z", "2024-11-04T08:00:00Z", [dt.date(2024, 11, 3)]),
        ("US/Pacific", "2024-11-03T07:00:00Z", "2024-11-04T08:00:01Z", [dt.date(2024, 11, 3), dt.date(2024, 11, 4)]),
        # A UTC `from` that is no company midnight: the first day is the one whose midnight comes after it.
        ("US/Pacific", "2024-05-06T12:00:00Z", "2024-05-09T12:00:00Z", [dt.date(2024, 5, d) for d in (7, 8, 9)]),
        ("Asia/Tokyo", "2024-05-06T12:00:00Z", "2024-05-09T12:00:00Z", [dt.date(2024, 5, d) for d in (7, 8, 9)]),
        (
            "Asia/Tokyo",
            "2024-05-06T16:00:00+01:00",
            "2024-05-09T15:00:01Z",
            [dt.date(2024, 5, d) for d in (7, 8, 9, 10)],
        ),
    ],
)
def test_given_a_window_of_instants_then_the_calls_come_from_the_company_days_whose_midnight_is_in_it(
    start_emulator, session, zone, from_time, to_time, days
):
    emulator = start_emulator(users=100, timezone=zone, today=dt.date(2024, 12, 1))
    tz = zoneinfo.ZoneInfo(zone)
    # The test's own reading of the window: each day of the neighbourhood whose midnight is in [from, to).
    around = [_utc(from_time).date() + dt.timedelta(days=offset) for offset in range(-2, 5)]
    assert [day for day in around if _utc(from_time) <= _midnight(day, tz) < _utc(to_time)] == days

    answers = _every_answer(emulator, session, from_time, to_time)

    hosted = _hosted(emulator, session, around[0], around[-1] + dt.timedelta(days=1), tz)
    coached_days = _days_of(hosted, _coached(answers.values()))
    assert coached_days <= set(days)
    assert {day for day in days if day.weekday() < 5} <= coached_days  # every working day shows up
    assert emulator.dataset.coaching.days(_utc(from_time), _utc(to_time)) == days


def test_given_one_instant_in_several_notations_then_the_same_answer(emulator, session):
    request = _a_good_request(emulator, session)
    notations = [
        ("2024-05-01T00:00:00-07:00", "2024-05-08T00:00:00-07:00"),
        ("2024-05-01T07:00:00Z", "2024-05-08T07:00:00Z"),
        ("2024-05-01T07:00:00.000000Z", "2024-05-08T07:00:00.0Z"),
        ("2024-05-01T16:00:00+09:00", "2024-05-08T12:30:00+05:30"),
    ]

    answers = [
        session.get(emulator.base_url + COACHING, params={**request, "from": low, "to": high}).json()["coachingData"]
        for low, high in notations
    ]

    assert _coached([{"coachingData": answers[0]}])  # not an empty week
    assert all(answer == answers[0] for answer in answers)


def test_given_an_unencoded_plus_in_the_offset_then_400_as_it_arrives_as_a_space(emulator, session):
    request = _a_good_request(emulator, session)
    query = "&".join(f"{name}={value}" for name, value in {**request, "from": "2024-05-01T09:00:00+09:00"}.items())

    response = session.get(f"{emulator.base_url}{COACHING}?{query}")

    assert response.status_code == 400


def test_given_today_then_it_is_not_served_as_the_stats_endpoints_never_serve_it(start_emulator, session):
    emulator = start_emulator(users=100, today=TODAY)

    answers = _every_answer(emulator, session, _midnight(TODAY - dt.timedelta(days=2), PACIFIC), "2024-07-01T00:00:00Z")

    hosted = _hosted(emulator, session, TODAY - dt.timedelta(days=2), TODAY, PACIFIC)
    assert _days_of(hosted, _coached(answers.values())) == {TODAY - dt.timedelta(days=2), TODAY - dt.timedelta(days=1)}


# Flags, truth and traffic


def test_given_an_extra_coaching_metric_then_it_comes_last_and_names_calls_the_report_hosted(start_emulator, session):
    emulator = start_emulator(users=100, today=TODAY, extra_coaching_metric="callsWithAiFeedback")

    answers = _every_answer(emulator, session, _midnight(FROM_DAY, PACIFIC), _midnight(TO_DAY, PACIFIC))

    hosted = _hosted(emulator, session, FROM_DAY, TO_DAY, PACIFIC)
    every_call = {(user_id, call) for (user_id, _), calls in hosted.items() for call in calls}
    metrics = [
        entry["metrics"]
        for answer in answers.values()
        for data in answer["coachingData"]
        for entry in data["directReportsMetrics"]
        if entry["metrics"]
    ]
    assert all(list(names) == [*METRICS, "callsWithAiFeedback"] for names in metrics)
    assert any(names["callsWithAiFeedback"] for names in metrics)
    assert set(_coached(answers.values())) <= every_call


@pytest.mark.parametrize("name", ["callsListenedTo", " "])
def test_given_an_extra_metric_gong_already_sends_or_none_then_the_config_refuses_it(name):
    with pytest.raises(ValueError, match="extra_coaching_metric"):
        EmulatorConfig(extra_coaching_metric=name)


def test_given_the_truth_endpoint_and_an_independent_dataset_then_both_say_what_is_served(emulator, session):
    request = _a_good_request(emulator, session)

    served = session.get(emulator.base_url + COACHING, params=request).json()["coachingData"]
    truth = requests.get(emulator.base_url + "/_emulator/truth", params={"endpoint": "coaching", **request}).json()
    local = Dataset(users=30).coaching.expected(
        request["workspace-id"], request["manager-id"], _utc(request["from"]), _utc(request["to"])
    )

    assert _coached([{"coachingData": served}])
    assert served == truth == local


def test_given_the_rate_limit_and_faults_then_both_endpoints_are_limited_failed_and_counted(start_emulator, session):
    clock = MovedClock()
    emulator = start_emulator(rate_limit=1, fail_every=3, clock=clock)
    request = _a_good_request(start_emulator(), session)

    first = session.get(emulator.base_url + WORKSPACES)
    limited = session.get(emulator.base_url + COACHING, params=request)
    clock.now = 1.0
    failed = session.get(emulator.base_url + COACHING, params=request)  # the third /v2 call
    clock.now = 2.0
    served = session.get(emulator.base_url + COACHING, params=request)

    assert [first.status_code, limited.status_code, failed.status_code, served.status_code] == [200, 429, 500, 200]
    assert limited.headers["Retry-After"] == "1"
    assert emulator.stats()["requests"] == {
        "GET /v2/workspaces": {"200": 1},
        "GET /v2/coaching": {"429": 1, "500": 1, "200": 1},
    }
