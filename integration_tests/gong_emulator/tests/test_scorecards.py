"""POST /v2/stats/activity/scorecards: answered scorecards paged over scorecards, filtered by review and call days in
the company's zone (to dates exclusive), each tied to a call in its reviewer's callsScorecardsFilled of that day."""

from __future__ import annotations

import collections
import datetime as dt
import re
import zoneinfo

import pytest
import requests

from integration_tests.gong_emulator.scorecard_settings import SCORECARDS as CATALOGUE

from .conftest import DAY_BY_DAY, filter_body, read_all_pages

SCORECARDS = "/v2/stats/activity/scorecards"
TODAY = dt.date(2024, 6, 12)
FROM, TO = dt.date(2024, 5, 20), dt.date(2024, 6, 10)


def _body(**filters: object) -> dict:
    return {
        "filter": {name: value.isoformat() if isinstance(value, dt.date) else value for name, value in filters.items()}
    }


def _served(emulator, session, **filters: object) -> list[dict]:
    pages = read_all_pages(session, emulator.base_url + SCORECARDS, _body(**filters))
    return [item for page in pages for item in page["answeredScorecards"]]


def _company_day(text: str, zone: str) -> dt.date:
    return dt.datetime.fromisoformat(text).astimezone(zoneinfo.ZoneInfo(zone)).date()


@pytest.fixture
def paged(start_emulator):
    return start_emulator(page_size=7, today=TODAY)


def test_given_page_size_7_when_paging_then_pages_hold_scorecards_and_cover_the_truth_in_order(paged, session):
    pages = read_all_pages(session, paged.base_url + SCORECARDS, _body(reviewFromDate=FROM, reviewToDate=TO))

    served = [item for page in pages for item in page["answeredScorecards"]]
    assert len(pages) > 2 and [len(page["answeredScorecards"]) for page in pages[:-1]] == [7] * (len(pages) - 1)
    assert {page["records"]["totalRecords"] for page in pages} == {len(served)}
    assert ["cursor" in page["records"] for page in pages] == [True] * (len(pages) - 1) + [False]
    assert set(pages[0]) == {"requestId", "records", "answeredScorecards"}
    assert served == paged.dataset.expected_scorecards(FROM, TO)
    times = [dt.datetime.fromisoformat(item["reviewTime"]) for item in served]
    assert times == sorted(times)
    assert len({item["answeredScorecardId"] for item in served}) == len(served)


@pytest.mark.parametrize("flags", [{}, {"numeric_call_ids": True}, {"grow_recent_days": 5}])
def test_given_day_by_day_when_compared_then_each_reviewer_day_has_one_scorecard_per_filled_call(
    start_emulator, session, flags
):
    emulator = start_emulator(today=TODAY, **flags)
    if flags.get("grow_recent_days"):
        emulator.dataset.advance()

    served = _served(emulator, session, reviewFromDate=FROM, reviewToDate=TO)
    days = read_all_pages(session, emulator.base_url + DAY_BY_DAY, filter_body(FROM, TO))

    filled = {
        (user["userId"], _company_day(item["fromDate"], "US/Pacific")): [
            str(call) for call in item["callsScorecardsFilled"]
        ]
        for page in days
        for user in page["usersDetailedActivities"]
        for item in user["userDailyActivityStats"]
        if item["callsScorecardsFilled"]
    }
    reviewed: dict = collections.defaultdict(list)
    for item in served:
        day = _company_day(item["reviewTime"], "US/Pacific")
        reviewed[(str(item["reviewerUserId"]), day)].append(str(item["callId"]))
    assert {key: sorted(calls) for key, calls in reviewed.items()} == {
        key: sorted(calls) for key, calls in filled.items()
    }


def test_given_consecutive_one_day_windows_when_read_then_together_they_equal_the_whole_window(paged, session):
    whole = _served(paged, session, reviewFromDate=FROM, reviewToDate=TO)

    pieces = []
    for offset in range((TO - FROM).days):
        day = FROM + dt.timedelta(days=offset)
        response = session.post(
            paged.base_url + SCORECARDS, json=_body(reviewFromDate=day, reviewToDate=day + dt.timedelta(days=1))
        )
        if response.status_code == 404:
            continue
        one_day = _served(paged, session, reviewFromDate=day, reviewToDate=day + dt.timedelta(days=1))
        assert {_company_day(item["reviewTime"], "US/Pacific") for item in one_day} == {day}
        pieces += one_day

    assert pieces == whole


def test_given_equal_review_dates_when_calling_then_404_answered_scorecards_not_found(paged, session):
    response = session.post(paged.base_url + SCORECARDS, json=_body(reviewFromDate=FROM, reviewToDate=FROM))

    assert response.status_code == 404
    assert response.json() == {"requestId": response.json()["requestId"], "errors": ["Answered scorecards not found"]}


def test_given_an_inclusive_review_to_date_when_calling_then_its_day_is_read_too(paged, start_emulator, session):
    inclusive = start_emulator(page_size=7, today=TODAY, inclusive_review_to=True)
    last_day = TO - dt.timedelta(days=1)

    assert _served(inclusive, session, reviewFromDate=FROM, reviewToDate=last_day) == _served(
        paged, session, reviewFromDate=FROM, reviewToDate=TO
    )
    one_day = _served(inclusive, session, reviewFromDate=last_day, reviewToDate=last_day)
    assert one_day and {_company_day(item["reviewTime"], "US/Pacific") for item in one_day} == {last_day}
    assert inclusive.dataset.expected_scorecards(last_day, last_day) == one_day


def test_given_a_tokyo_company_when_filtering_then_review_days_are_tokyos_even_in_utc(start_emulator, session):
    emulator = start_emulator(timezone="Asia/Tokyo", today=TODAY, utc_times=True)

    served = _served(emulator, session, reviewFromDate=FROM, reviewToDate=TO)

    assert served and all(item["reviewTime"].endswith("Z") and item["callStartTime"].endswith("Z") for item in served)
    assert {_company_day(item["reviewTime"], "Asia/Tokyo") for item in served} <= {
        FROM + dt.timedelta(days=n) for n in range((TO - FROM).days)
    }
    assert served == emulator.dataset.expected_scorecards(FROM, TO)


def test_given_call_dates_when_filtering_then_only_calls_that_started_on_those_days(paged, session):
    call_from, call_to = FROM + dt.timedelta(days=5), FROM + dt.timedelta(days=9)

    served = _served(paged, session, callFromDate=call_from, callToDate=call_to)

    assert served and {_company_day(item["callStartTime"], "US/Pacific") for item in served} <= {
        call_from + dt.timedelta(days=n) for n in range(4)
    }
    assert served == paged.dataset.expected_scorecards(call_from=call_from, call_to=call_to)
    assert all(
        dt.datetime.fromisoformat(item["callStartTime"]) < dt.datetime.fromisoformat(item["reviewTime"])
        for item in served
    )


def test_given_reviewed_users_and_scorecards_when_filtering_then_only_those(paged, session):
    everyone = _served(paged, session, reviewFromDate=FROM, reviewToDate=TO)
    wanted_users = sorted({item["reviewedUserId"] for item in everyone})[:2]
    wanted_cards = [CATALOGUE[0].scorecard_id, CATALOGUE[2].scorecard_id]

    by_user = _served(paged, session, reviewFromDate=FROM, reviewToDate=TO, reviewedUserIds=wanted_users)
    by_card = _served(paged, session, reviewFromDate=FROM, reviewToDate=TO, scorecardIds=wanted_cards)

    assert by_user == [item for item in everyone if item["reviewedUserId"] in wanted_users]
    assert by_card == [item for item in everyone if item["scorecardId"] in wanted_cards]
    truth = requests.get(
        paged.base_url + "/_emulator/truth",
        params={
            "endpoint": "scorecards",
            "reviewFromDate": FROM.isoformat(),
            "reviewToDate": TO.isoformat(),
            "reviewedUserIds": ",".join(map(str, wanted_users)),
        },
    ).json()
    assert truth == by_user


def test_given_answers_when_inspected_then_each_question_answered_once_in_the_way_its_type_takes(paged, session):
    served = _served(paged, session)  # every review of the history, so every revision and the disabled scorecard

    catalogue = {card.scorecard_id: card for card in CATALOGUE}
    users = {int(user["id"]) for user in paged.dataset.users()}
    kinds: collections.Counter = collections.Counter()
    for item in served:
        card = catalogue[item["scorecardId"]]
        day_number = (_company_day(item["reviewTime"], "US/Pacific") - paged.dataset.history_start).days
        assert item["scorecardName"] == card.name and card.is_enabled_on(day_number)
        assert [answer["questionId"] for answer in item["answers"]] == [q.question_id for q in card.questions]
        assert [answer["isOverall"] for answer in item["answers"]] == [q.is_overall for q in card.questions]
        for answer, question in zip(item["answers"], card.questions, strict=True):
            revision = question.revision_on(day_number)
            assert answer["questionRevisionId"] == revision.revision_id
            kinds[question.question_type, answer["notApplicable"]] += 1
            assert _value_fields(answer) in _expected_fields(question.question_type, answer["notApplicable"])
            if "score" in answer:
                assert question.score_range[0] <= answer["score"] <= question.score_range[1]
            if "selectedOptions" in answer:
                assert answer["selectedOptions"] and set(answer["selectedOptions"]) <= set(
                    map(str, revision.option_ids)
                )
                assert question.question_type == "MULTI_SELECT" or len(answer["selectedOptions"]) == 1
        assert {item["reviewerUserId"], item["reviewedUserId"]} <= users
        assert item["visibilityType"] in ("OPT_IN_USERS", "PRIVATE", "PUBLIC")
    assert {item["scorecardId"] for item in served} == set(catalogue)
    assert set(kinds) == {
        (kind, not_applicable)
        for kind in ("RANGE", "SINGLE_SELECT", "MULTI_SELECT")
        for not_applicable in (False, True)
    } | {("OPEN", False)}
    assert any(len(answer.get("selectedOptions", ())) > 1 for item in served for answer in item["answers"])
    assert any("score" in answer and "answerText" in answer for item in served for answer in item["answers"])


def _value_fields(answer: dict) -> set[str]:
    return set(answer) & {"score", "answerText", "selectedOptions"}


def _expected_fields(kind: str, not_applicable: bool) -> list[set[str]]:
    """What an answer of this type may hold: one that does not apply nothing, a select one only selectedOptions
    (Gong: score "Null otherwise"), an open one only words, a range one a score and sometimes words."""
    if not_applicable:
        return [set()]
    return {
        "RANGE": [{"score"}, {"score", "answerText"}],
        "SINGLE_SELECT": [{"selectedOptions"}],
        "MULTI_SELECT": [{"selectedOptions"}],
        "OPEN": [{"answerText"}],
    }[kind]


def test_given_late_reviews_when_advancing_then_recent_days_gain_scorecards_and_keep_the_served_ones(
    start_emulator, session
):
    emulator = start_emulator(today=TODAY, grow_recent_days=5)
    before = _served(emulator, session, reviewFromDate=FROM, reviewToDate=TODAY)

    requests.post(emulator.base_url + "/_emulator/advance")
    after = _served(emulator, session, reviewFromDate=FROM, reviewToDate=TODAY)

    by_id = {item["answeredScorecardId"]: item for item in after}
    assert all(by_id[item["answeredScorecardId"]] == item for item in before)
    new_days = {_company_day(item["reviewTime"], "US/Pacific") for item in after if item not in before}
    assert new_days and new_days <= {TODAY - dt.timedelta(days=n) for n in range(1, 6)}


@pytest.mark.parametrize(
    "filters, words",
    [
        ({"reviewFromDate": "2024-6-01"}, "reviewFromDate"),
        ({"reviewFromDate": "2024-06-05", "reviewToDate": "2024-06-01"}, "must not be later"),
        ({"reviewToDate": "2024-06-13"}, "future"),
        ({"callToDate": "2024-06-13"}, "future"),
        ({"reviewedUserIds": "everyone"}, "reviewedUserIds"),
        ({"scorecardIds": ["abc"]}, "scorecardIds"),
    ],
)
def test_given_a_bad_filter_when_calling_then_400_says_what(paged, session, filters, words):
    response = session.post(paged.base_url + SCORECARDS, json={"filter": filters})

    assert response.status_code == 400
    assert words in response.json()["errors"][0]


def test_given_no_filter_when_calling_then_every_answered_scorecard_up_to_today(paged, session):
    served = _served(paged, session)

    assert served == paged.dataset.expected_scorecards()
    assert max(_company_day(item["reviewTime"], "US/Pacific") for item in served) < TODAY


def _as_numbers(item: dict) -> dict:
    """A plain answered scorecard with every id written as the JSON number of its digits."""
    ids = ("answeredScorecardId", "scorecardId", "callId", "reviewedUserId", "reviewerUserId")
    answers = [
        {**answer, "questionId": int(answer["questionId"]), "questionRevisionId": int(answer["questionRevisionId"])}
        for answer in item["answers"]
    ]
    return {**item, **{name: int(item[name]) for name in ids}, "answers": answers}


def test_given_numeric_scorecard_ids_when_served_then_the_same_scorecards_with_each_id_a_json_number(
    start_emulator, session
):
    plain = start_emulator(today=TODAY, numeric_call_ids=True)
    numeric = start_emulator(today=TODAY, numeric_call_ids=True, numeric_scorecard_ids=True)
    window = {
        "reviewFromDate": FROM,
        "reviewToDate": TO,
        "reviewedUserIds": [u["id"] for u in plain.dataset.users()[:5]],
    }

    served = _served(numeric, session, **window)
    raw = session.post(numeric.base_url + SCORECARDS, json=_body(**window)).text

    assert served == [_as_numbers(item) for item in _served(plain, session, **window)]
    assert served == numeric.dataset.expected_scorecards(FROM, TO, reviewed_user_ids=window["reviewedUserIds"])
    big_calls = [item["callId"] for item in served if item["callId"] >= 2**64]
    assert big_calls and all(len(str(call)) == 20 for call in big_calls), "day-by-day's 20-digit call ids"
    assert all(answer["questionId"] >= 2**64 for item in served for answer in item["answers"])
    # Unquoted integer literals on the wire, as Gong's examples write them.
    assert re.search(rf'"callId":\s*{big_calls[0]}\b', raw) and f'"{big_calls[0]}"' not in raw
