"""Every answer the emulator serves, held against Gong's published contract (`../shared/gong-contract-2024.json`).

For each mode the emulator has (plain, call ids as numbers, UTC times, zeros left out, a missing scope answered 401,
other words in a 404, grown recent days, an extra interaction stat, scorecard ids as strings, all of them at once),
each endpoint is driven to every status it can give: 200 with and without a cursor, 400, 401 or 403, 404, 429 and
500. Each answer must carry a status the endpoint's contract entry documents, exactly the top-level fields of that
status's model, nothing deeper that the model lacks, and the documented types. A failure names the mode, the
request, the status and the path of each offending field.

Where the two publications differ, the emulator serves the 2024 shape by default: answered scorecards' and scorecard
settings' ids as int64 JSON numbers. With --string-scorecard-ids it serves them as the 2023 file typed them, strings,
and its answers are held against the 2024 contract with those ids typed as 2023 typed them (`load_contract`).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from integration_tests.gong_emulator import Emulator

from .conftest import AGGREGATE, BASIC, BY_PERIOD, DAY_BY_DAY, INTERACTION

# The repo's sibling directory, as CI checks it out beside the clone (/work/shared beside /work/main here). Gong's
# OpenAPI of November 2024 is the contract; its Swagger of 2023 is read only for the ids it typed as strings.
SHARED = Path(__file__).resolve().parents[4] / "shared"
CONTRACT_PATH = SHARED / "gong-contract-2024.json"
OLDER_CONTRACT_PATH = SHARED / "gong-contract.json"
USERS, EXTENSIVE, SCORECARDS = "/v2/users", "/v2/users/extensive", "/v2/stats/activity/scorecards"
SETTINGS = "/v2/settings/scorecards"
ENDPOINTS = {
    AGGREGATE: "POST",
    BY_PERIOD: "POST",
    DAY_BY_DAY: "POST",
    INTERACTION: "POST",
    SCORECARDS: "POST",
    SETTINGS: "GET",
    USERS: "GET",
    EXTENSIVE: "POST",
}
DEFAULT_SCOPE_STATUS = 403

# Gong's contract marks nothing "nullable". Gong writes a user's unset optional fields as null (a user without a
# manager, extension or consent page), and issue #21 names null as a value the connector must take; nowhere else may
# a value be null, so a counter, id or date that turns null fails here.
NULLABLE = {"users[].trustedEmailAddress", "users[].extension", "users[].managerId", "users[].meetingConsentPageUrl"}
# The contract's date-time fields are strings with the format date-time, or (where it names no format) whose examples
# are ISO-8601 date-times; Gong's words are "with an offset or in UTC with Z", so a value there must parse as one and
# carry its offset. (2024 gives some of them epoch numbers as examples: the format, not the example, decides.)
_DATE_TIME_EXAMPLE = re.compile(r"\d{4}-\d{2}-\d{2}T")

TODAY = dt.date(2024, 6, 12)
FROM, TO = dt.date(2024, 5, 27), dt.date(2024, 6, 10)
WINDOW = {"fromDate": FROM.isoformat(), "toDate": TO.isoformat()}
REVIEWS = {"reviewFromDate": FROM.isoformat(), "reviewToDate": TO.isoformat()}
EMPTY_WINDOW = {"fromDate": "2023-06-01", "toDate": "2023-07-01"}  # before the history: nobody has activity
MODES = {
    "plain": {},
    "numeric call ids": {"numeric_call_ids": True},
    "utc times": {"utc_times": True},
    "omit zeros": {"omit_zeros": True},
    "scope 401": {"scope_status": 401},
    "other 404 words": {"not_found_message": "An error has occurred"},
    "grown recent days": {"grow_recent_days": 7},
    "extra interaction stat": {"extra_interaction_stat": "Filler Words"},
    "string scorecard ids": {"string_scorecard_ids": True},
    "all at once": {
        "numeric_call_ids": True,
        "utc_times": True,
        "omit_zeros": True,
        "scope_status": 401,
        "not_found_message": "An error has occurred",
        "grow_recent_days": 7,
        "extra_interaction_stat": "Filler Words",
        "string_scorecard_ids": True,
    },
}


# The checker


def load_contract(older_ids: bool = False) -> dict:
    """The 2024 contract; with `older_ids`, each id it types int64 that the 2023 one typed as a string is a string.

    The second is the contract of --string-scorecard-ids: Gong's ids as its 2023 publication wrote them, which the
    connector still accepts (gong-api.md). It is found by comparing the two files, not listed by hand.
    """
    contract = _read(CONTRACT_PATH)
    definitions = copy.deepcopy(contract["definitions"])
    if older_ids:
        older = _read(OLDER_CONTRACT_PATH)["definitions"]
        for name, model in definitions.items():
            for field, schema in model.get("properties", {}).items():
                before = older.get(name, {}).get("properties", {}).get(field, {})
                if schema.get("format") == "int64" and before.get("type") == "string":
                    model["properties"][field] = before
    return {"endpoints": contract["endpoints"], "definitions": definitions}


def _read(path: Path) -> dict:
    if not path.is_file():
        pytest.fail(f"Gong's contract is missing: expected {path} (shared/ beside the repo, as in CI)")
    return json.loads(path.read_text())


def violations_of(value: object, schema: dict, definitions: dict, path: str = "", shape: str = "") -> list[str]:
    """Every way `value` departs from `schema`, each as "path: what is wrong"; [] when it keeps the contract.

    `path` names the field with indexes (users[3].settings); `shape` without them (users[].settings).
    """
    where = path or "(top level)"
    if "$ref" in schema:
        schema = definitions[schema["$ref"].rsplit("/", 1)[1]]
    if value is None:
        return [] if shape in NULLABLE else [f"{where}: null, where the contract says {_kind(schema)}"]
    kind = schema.get("type")
    if kind == "object":
        return _object(value, schema, definitions, path, shape)
    if kind == "array":
        if not isinstance(value, list):
            return [f"{where}: {_json_type(value)}, where the contract says array"]
        items = _with_example_numbers(schema)
        found = []
        for index, item in enumerate(value):
            found += violations_of(item, items, definitions, f"{path}[{index}]", f"{shape}[]")
        return found
    return _scalar(value, schema, where)


def _with_example_numbers(array: dict) -> dict:
    """The array's item schema; string items take integers too where the array's own example lists integers.

    2024 types day-by-day's call-id lists as strings with JSON numbers as their examples (one of 20 digits): Gong's
    example is a shape Gong may send.
    """
    items, example = array["items"], array.get("example")
    if items.get("type") == "string" and isinstance(example, list) and example and all(map(_is_integer, example)):
        return {**items, "example": example[0]}
    return items


def _object(value: object, schema: dict, definitions: dict, path: str, shape: str) -> list[str]:
    where = path or "(top level)"
    if not isinstance(value, dict):
        return [f"{where}: {_json_type(value)}, where the contract says object {schema.get('title', '')}"]
    properties, found = schema.get("properties", {}), []
    for key, item in value.items():
        child, child_shape = f"{path}.{key}" if path else key, f"{shape}.{key}" if shape else key
        if key not in properties:
            found.append(f"{child}: a field the contract's {schema.get('title', 'object')} does not have")
            continue
        found += violations_of(item, properties[key], definitions, child, child_shape)
    return found


def _scalar(value: object, schema: dict, where: str) -> list[str]:
    kind = schema.get("type")
    accepted = {
        # A string field whose own example is an integer (not a date-time's epoch float) takes an integer too.
        "string": isinstance(value, str) or (_is_integer(value) and _is_integer(schema.get("example"))),
        "integer": _is_integer(value),
        "number": isinstance(value, (int, float)) and not isinstance(value, bool),
        "boolean": isinstance(value, bool),
    }
    if kind not in accepted:
        return [f"{where}: the contract's type {kind!r} is not one this checker knows"]
    if not accepted[kind]:
        return [f"{where}: {_json_type(value)} {value!r}, where the contract says {_kind(schema)}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{where}: {value!r} is not one of {schema['enum']}"]
    # int64 is not held as a range: Gong's own ids run to 20 digits (2023's example questionId, 35657219295037524478,
    # is above 2**64), and its 2024 contract types the same ids int64.
    if schema.get("format") == "int32" and not -(2**31) <= value < 2**31:
        return [f"{where}: {value} does not fit the contract's int32"]
    if _is_date_time_field(schema) and not _is_date_time(value):
        return [f"{where}: {value!r} is not an ISO-8601 date-time with an offset or Z"]
    return []


def _is_integer(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_date_time_field(schema: dict) -> bool:
    if schema.get("type") != "string":
        return False
    return schema.get("format") == "date-time" or bool(_DATE_TIME_EXAMPLE.match(str(schema.get("example", ""))))


def _is_date_time(text: object) -> bool:
    try:
        return dt.datetime.fromisoformat(str(text)).tzinfo is not None
    except ValueError:
        return False


def _kind(schema: dict) -> str:
    return f"{schema.get('type')}" + (f" ({schema['format']})" if "format" in schema else "")


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    return {bool: "boolean", int: "integer", float: "number", str: "string", list: "array", dict: "object"}.get(
        type(value), type(value).__name__
    )


def answer_violations(contract: dict, endpoint: str, status: int, body: object) -> list[str]:
    """How one answer of `endpoint` ("POST /v2/...") departs from the contract: its status, fields and types."""
    responses = contract["endpoints"][endpoint]["responses"]
    if str(status) not in responses:
        return [f"status {status} is not documented for {endpoint} (it documents {', '.join(responses)})"]
    schema = responses[str(status)]["schema"]
    model = contract["definitions"][schema["$ref"].rsplit("/", 1)[1]]
    found = violations_of(body, schema, contract["definitions"])
    # The emulator leaves out nothing at the top: the model's every field is there (nested ones may be missing).
    if isinstance(body, dict):
        missing = sorted(set(model["properties"]) - set(body))
        found += [f"{name}: a top-level field of {model['title']} that the answer lacks" for name in missing]
    return found


# Driving the emulator to every status


class Answers:
    """Calls one emulator and keeps every answer with what was asked."""

    def __init__(self, emulator: Emulator, label: str) -> None:
        self.emulator, self.label = emulator, label
        self.collected: list[tuple[str, str, int, object]] = []  # (endpoint, request, status, body)

    def call(self, path: str, body: object = None, *, params: dict | None = None, **kwargs: object) -> dict:
        method = ENDPOINTS[path]
        kwargs.setdefault("auth", BASIC)
        raw = json.dumps(body).encode() if isinstance(body, dict) else body
        response = requests.request(
            method, self.emulator.base_url + path, data=raw, params=params, timeout=60, **kwargs
        )
        answer = json.loads(response.content)  # stdlib json: a 20-digit id stays an exact int
        shown = (raw or b"").decode() if params is None else json.dumps(params)
        request = f"{self.label}: {method} {path} {shown[:200]}"
        self.collected.append((f"{method} {path}", request, response.status_code, answer))
        return answer

    def every_page(self, path: str, body: dict) -> None:
        """A whole call series: the first page (with a cursor when more remain), then each next one."""
        while True:
            answer = self.call(path, body)
            cursor = answer.get("records", {}).get("cursor") if isinstance(answer, dict) else None
            if cursor is None:
                return
            body = {**body, "cursor": cursor}

    def every_users_page(self) -> None:
        params: dict = {}
        while True:
            cursor = self.call(USERS, params=params).get("records", {}).get("cursor")
            if cursor is None:
                return
            params = {"cursor": cursor}


def _stats_bodies() -> Iterator[tuple[str, dict]]:
    yield AGGREGATE, {"filter": WINDOW}
    for period in ("DAY", "WEEK", "MONTH", "QUARTER", "YEAR"):
        yield BY_PERIOD, {"aggregationPeriod": period, "filter": WINDOW}
    yield DAY_BY_DAY, {"filter": WINDOW}
    yield INTERACTION, {"filter": WINDOW}
    yield SCORECARDS, {"filter": REVIEWS}


def drive_successes(answers: Answers, user_ids: list[str]) -> None:
    for path, body in _stats_bodies():
        answers.every_page(path, body)
        ids = {"reviewedUserIds": user_ids} if path == SCORECARDS else {"userIds": user_ids}
        answers.every_page(path, {**body, "filter": {**body["filter"], **ids}})
    answers.call(SCORECARDS, {})  # no filter at all: every review up to today (its first page is enough here)
    by_call = {"callFromDate": FROM.isoformat(), "callToDate": TO.isoformat(), "scorecardIds": ["6843152929075440037"]}
    answers.every_page(SCORECARDS, {"filter": by_call})
    answers.call(SETTINGS)
    answers.every_users_page()
    answers.every_page(EXTENSIVE, {})
    answers.every_page(EXTENSIVE, {"filter": {"userIds": user_ids}})


def drive_client_errors(answers: Answers) -> None:
    """400 for every kind of bad request, 404 for every empty result, and bad credentials."""
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    for path in (AGGREGATE, BY_PERIOD, DAY_BY_DAY, INTERACTION):
        period = {"aggregationPeriod": "WEEK"} if path == BY_PERIOD else {}
        answers.call(path, {**period})  # no filter
        answers.call(path, {**period, "filter": {"fromDate": "2024-6-01", "toDate": TO.isoformat()}})
        answers.call(path, {**period, "filter": {"fromDate": FROM.isoformat(), "toDate": tomorrow}})
        answers.call(path, {**period, "filter": WINDOW, "cursor": "not-a-cursor"})
        answers.call(path, b"{not json")
        answers.call(path, {**period, "filter": EMPTY_WINDOW})  # 404
        answers.call(path, {**period, "filter": WINDOW}, auth=("test-access-key", "wrong-secret"))
    answers.call(BY_PERIOD, {"aggregationPeriod": "FORTNIGHT", "filter": WINDOW})
    answers.call(SCORECARDS, {"filter": {"reviewFromDate": "2024-6-01"}})
    answers.call(SCORECARDS, {"filter": {"reviewFromDate": TO.isoformat(), "reviewToDate": FROM.isoformat()}})
    answers.call(SCORECARDS, {"filter": {"reviewToDate": tomorrow}})
    answers.call(SCORECARDS, {"filter": {"reviewedUserIds": "everyone"}})
    answers.call(SCORECARDS, {"filter": REVIEWS, "cursor": "not-a-cursor"})
    answers.call(SCORECARDS, b"{not json")
    answers.call(SCORECARDS, {"filter": {"reviewFromDate": FROM.isoformat(), "reviewToDate": FROM.isoformat()}})  # 404
    answers.call(SCORECARDS, {"filter": REVIEWS}, auth=("test-access-key", "wrong-secret"))
    answers.call(SETTINGS, params={"workspaceId": "1"})  # it takes no parameters
    answers.call(SETTINGS, auth=("test-access-key", "wrong-secret"))
    answers.call(USERS, params={"cursor": "not-a-cursor"})
    answers.call(USERS, auth=("test-access-key", "wrong-secret"))
    answers.call(EXTENSIVE, {"filter": {"userIds": "all"}})
    answers.call(EXTENSIVE, {"cursor": "not-a-cursor"})
    answers.call(EXTENSIVE, {"filter": {"userIds": ["1"]}})  # 404
    answers.call(EXTENSIVE, {}, auth=("test-access-key", "wrong-secret"))


def drive_each_endpoint(answers: Answers) -> None:
    """One plain request per endpoint, for emulators that answer all of them with the same refusal."""
    for path, body in _stats_bodies():
        answers.call(path, body)
    answers.call(SETTINGS)
    answers.call(USERS)
    answers.call(EXTENSIVE, {})


def serve_every_status(start: Callable[..., Emulator], label: str, flags: dict) -> list[tuple[str, str, int, object]]:
    """Drive emulators in this mode to every status each endpoint can give, and return all their answers."""
    common = {"users": 30, "page_size": 7, "today": TODAY, **flags}
    main = Answers(start(**common), label)
    if flags.get("grow_recent_days"):
        main.emulator.dataset.advance()  # late counts arrived: the grown numbers are served too
    drive_successes(main, [user["id"] for user in main.emulator.dataset.users()[:4]])
    drive_client_errors(main)
    refusals = [
        Answers(start(**common, regional_host="localhost"), f"{label}, wrong regional host"),
        Answers(
            start(
                **common,
                no_stats_scope=True,
                no_detailed_scope=True,
                no_interaction_scope=True,
                no_scorecards_scope=True,
                no_settings_scope=True,
                no_users_scope=True,
            ),
            f"{label}, no scopes",
        ),
        Answers(start(**common, fail_every=1), f"{label}, every call fails"),
    ]
    capped = Answers(start(**common, daily_cap=1), f"{label}, daily cap reached")
    capped.call(USERS)  # spends the day's one call
    for answers in (*refusals, capped):
        drive_each_endpoint(answers)
    nobody = Answers(start(**{**common, "users": 0}), f"{label}, a company without users")
    nobody.call(USERS)
    nobody.call(EXTENSIVE, {})
    nobody.call(SETTINGS)  # nobody made a scorecard: 404
    return [item for answers in (main, *refusals, capped, nobody) for item in answers.collected]


@pytest.fixture(scope="module")
def contract() -> dict:
    return load_contract()


@pytest.fixture(scope="module")
def contract_of_string_ids() -> dict:
    return load_contract(older_ids=True)


@pytest.mark.parametrize("mode", MODES)
def test_every_answer_in_this_mode_keeps_gongs_contract(start_emulator, contract, contract_of_string_ids, mode):
    flags = MODES[mode]
    scope_status = flags.get("scope_status", DEFAULT_SCOPE_STATUS)
    if flags.get("string_scorecard_ids"):
        contract = contract_of_string_ids

    collected = serve_every_status(start_emulator, mode, flags)

    problems = []
    for endpoint, request, status, body in collected:
        if _is_default_scope_refusal(contract, endpoint, status, scope_status):
            # The one deliberate departure: by default (--scope-status 403) a missing scope is answered 403, the
            # emulator's answer before the contract arrived, which the stats endpoints, GET /v2/settings/scorecards
            # and POST /v2/users/extensive do not document (they document 401). The body must still be Gong's error
            # shape.
            status = 401
        problems += [
            f"{request} -> {status}: {problem}" for problem in answer_violations(contract, endpoint, status, body)
        ]
    assert not problems, f"{len(problems)} departures from {CONTRACT_PATH.name}:\n" + "\n".join(problems[:60])
    assert _statuses_by_endpoint(collected) == _expected_statuses(scope_status)


def _is_default_scope_refusal(contract: dict, endpoint: str, status: int, scope_status: int) -> bool:
    documented = contract["endpoints"][endpoint]["responses"]
    return status == 403 and scope_status == 403 and "403" not in documented


def _statuses_by_endpoint(collected: list) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for endpoint, _, status, _ in collected:
        found.setdefault(endpoint, set()).add(status)
    return found


def _expected_statuses(scope_status: int) -> dict[str, set[int]]:
    """What each endpoint must have been driven to: everything it documents (GET /v2/users has no 401 and no 404)."""
    stats = {200, 400, 401, 404, 429, 500, scope_status}
    return {
        **{f"POST {path}": stats for path in (AGGREGATE, BY_PERIOD, DAY_BY_DAY, INTERACTION, SCORECARDS, EXTENSIVE)},
        f"GET {SETTINGS}": stats,
        f"GET {USERS}": {200, 400, 403, 429, 500},
    }


@pytest.mark.parametrize("path, body", [("/v2/nothing-here", {}), (AGGREGATE, None)])
def test_transport_level_refusals_outside_any_endpoint_still_have_gongs_error_shape(emulator, contract, path, body):
    # An unknown path (404) or a wrong method (405) is no endpoint's answer, so no entry documents it; its body is
    # still ErrorResponse.
    method = "GET" if body is None else "POST"
    response = requests.request(method, emulator.base_url + path, json=body, auth=BASIC)

    assert response.status_code in (404, 405)
    error_model = {"$ref": "#/definitions/ErrorResponse"}
    assert violations_of(response.json(), error_model, contract["definitions"]) == []
    assert set(response.json()) == {"requestId", "errors"}


@pytest.mark.parametrize("status", [500, 503])
def test_a_path_failing_and_a_path_refused_on_purpose_still_keep_gongs_contract(start_emulator, contract, status):
    # --fail-path and --bad-request-path answer with their own status; every other endpoint answers as it would.
    flags = {"users": 30, "page_size": 7, "today": TODAY, "fail_path": AGGREGATE, "bad_request_path": INTERACTION}
    answers = Answers(start_emulator(**flags, fail_status=status), f"fail {AGGREGATE}, refuse {INTERACTION}")

    drive_each_endpoint(answers)

    assert _statuses_by_endpoint(answers.collected) == {
        f"POST {AGGREGATE}": {status},
        f"POST {INTERACTION}": {400},
        **{f"POST {path}": {200} for path in (BY_PERIOD, DAY_BY_DAY, SCORECARDS, EXTENSIVE)},
        f"GET {SETTINGS}": {200},
        f"GET {USERS}": {200},
    }
    problems = [
        f"{request} -> {code}: {problem}"
        for endpoint, request, code, body in answers.collected
        if not (endpoint == f"POST {AGGREGATE}" and code == 503)  # 503 is on purpose: no endpoint documents it
        for problem in answer_violations(contract, endpoint, code, body)
    ]
    assert not problems, "\n".join(problems)
    refusal = next(body for endpoint, _, code, body in answers.collected if code == 400)
    assert refusal["errors"] == ["Malformed request"]


# The checker bites


@pytest.mark.parametrize(
    "body, expected",
    [
        (
            {"requestId": "r", "records": {}, "usersAggregateActivity": [], "timeZone": "US/Pacific"},
            "timeZone: a field the contract's UsersAggregateByPeriodActivity does not have",
        ),
        (
            {"requestId": "r", "records": {"totalRecords": True}, "usersAggregateActivity": []},
            "records.totalRecords: boolean True, where the contract says integer (int32)",
        ),
        (
            {
                "requestId": "r",
                "records": {},
                "usersAggregateActivity": [{"userId": "1", "userAggregateActivity": [{"callsAsHost": 1.5}]}],
            },
            "usersAggregateActivity[0].userAggregateActivity[0].callsAsHost: number 1.5, where the contract says "
            "integer (int32)",
        ),
        (
            {
                "requestId": "r",
                "records": {},
                "usersAggregateActivity": [{"userId": "1", "userAggregateActivity": [{"fromDate": "2024-06-01"}]}],
            },
            "usersAggregateActivity[0].userAggregateActivity[0].fromDate: '2024-06-01' is not an ISO-8601 date-time",
        ),
        (
            {"requestId": "r", "records": {}, "usersAggregateActivity": [{"userId": None}]},
            "usersAggregateActivity[0].userId: null, where the contract says string",
        ),
        (
            {"requestId": "r", "records": {"cursor": "c", "pages": 2}, "usersAggregateActivity": []},
            "records.pages: a field the contract's Records does not have",
        ),
    ],
)
def test_given_an_answer_that_departs_from_the_contract_then_the_checker_names_the_field(contract, body, expected):
    found = answer_violations(contract, "POST /v2/stats/activity/aggregate-by-period", 200, body)

    assert any(problem.startswith(expected) for problem in found), found


def test_given_users_with_the_later_documented_fields_then_only_those_extras_pass(contract):
    user = {"id": "1", "trustedEmailAddress": None, "settings": {"gongConnectEnabled": True}, "managerId": None}
    stranger = {**user, "settings": {"gongConnectEnabled": True, "avatarUrl": "x"}, "nickname": "Jo"}

    ok = answer_violations(contract, "GET /v2/users", 200, {"requestId": "r", "records": {}, "users": [user]})
    bad = answer_violations(contract, "GET /v2/users", 200, {"requestId": "r", "records": {}, "users": [stranger]})

    assert ok == []
    assert sorted(bad) == [
        "users[0].nickname: a field the contract's UserMetadata does not have",
        "users[0].settings.avatarUrl: a field the contract's Settings does not have",
    ]


def test_given_a_status_the_endpoint_does_not_document_then_the_checker_says_so(contract):
    found = answer_violations(contract, "GET /v2/users", 401, {"requestId": "r", "errors": ["Access denied"]})

    assert found == ["status 401 is not documented for GET /v2/users (it documents 200, 400, 403, 429, 500)"]


CONTRACT_2024_PATH = CONTRACT_PATH.with_name("gong-contract-2024.json")
SCORECARD_IDS = ("answeredScorecardId", "scorecardId", "callId", "reviewedUserId", "reviewerUserId")


def test_given_numeric_scorecard_ids_when_scorecards_answer_then_they_keep_gongs_2024_contract(start_emulator):
    # gong-contract-2024.json types an answered scorecard's ids as int64 numbers (2023's, above, as strings): with
    # --numeric-scorecard-ids every 200 of the endpoint holds against the newer model, every id a JSON number.
    contract = json.loads(CONTRACT_2024_PATH.read_text())
    answers = Answers(start_emulator(users=30, page_size=7, today=TODAY, numeric_scorecard_ids=True), "numeric ids")
    answers.every_page(SCORECARDS, {"filter": REVIEWS})
    user_ids = [int(user["id"]) for user in answers.emulator.dataset.users()[:4]]
    answers.every_page(SCORECARDS, {"filter": {**REVIEWS, "reviewedUserIds": user_ids}})

    problems = [
        f"{request} -> {status}: {problem}"
        for endpoint, request, status, body in answers.collected
        for problem in answer_violations(contract, endpoint, status, body)
    ]
    assert not problems, f"{len(problems)} departures from gong-contract-2024.json:\n" + "\n".join(problems[:60])
    items = [item for *_, body in answers.collected for item in body["answeredScorecards"]]
    ids = [item[name] for item in items for name in SCORECARD_IDS]
    ids += [
        answer[name] for item in items for answer in item["answers"] for name in ("questionId", "questionRevisionId")
    ]
    assert items and all(type(value) is int for value in ids)


def _answered(**fields: object) -> dict:
    item = {"answeredScorecardId": 563515258458745, "callId": 7782342274025937895, **fields}
    return {"requestId": "r", "records": {}, "answeredScorecards": [item]}


@pytest.mark.parametrize(
    "body, expected",
    [
        (
            _answered(scorecardId="6843152929075440037"),
            "answeredScorecards[0].scorecardId: string '6843152929075440037', where the contract says integer (int64)",
        ),
        (
            _answered(answers=[{"questionId": 1, "selectedOptions": [1]}]),
            "answeredScorecards[0].answers[0].selectedOptions[0]: integer 1, where the contract says string",
        ),
        (
            _answered(reviewTime=1518863400),
            "answeredScorecards[0].reviewTime: integer 1518863400, where the contract says string (date-time)",
        ),
        (
            _answered(callStartTime="2024-06-03T10:09:41"),
            "answeredScorecards[0].callStartTime: '2024-06-03T10:09:41' is not an ISO-8601 date-time with an offset",
        ),
    ],
)
def test_given_an_answered_scorecard_that_departs_from_2024_then_the_checker_names_the_field(contract, body, expected):
    found = answer_violations(contract, f"POST {SCORECARDS}", 200, body)

    assert any(problem.startswith(expected) for problem in found), found


def test_given_string_scorecard_ids_then_only_the_contract_of_2023_ids_takes_them_and_it_takes_no_numbers(
    contract, contract_of_string_ids
):
    strings = _answered(answeredScorecardId="563515258458745", callId="7782342274025937895")

    assert answer_violations(contract_of_string_ids, f"POST {SCORECARDS}", 200, strings) == []
    assert answer_violations(contract, f"POST {SCORECARDS}", 200, strings) != []
    assert answer_violations(contract_of_string_ids, f"POST {SCORECARDS}", 200, _answered()) == [
        "answeredScorecards[0].answeredScorecardId: integer 563515258458745, where the contract says string",
        "answeredScorecards[0].callId: integer 7782342274025937895, where the contract says string",
    ]


def test_given_numbers_in_a_list_of_strings_then_they_pass_only_where_gongs_example_lists_numbers(contract):
    day = {"callsAsHost": [37555663966526337006, "348056639626337006"], "fromDate": "2024-06-03T00:00:00-07:00"}
    user = {"userId": "1", "userDailyActivityStats": [day]}
    by_day = {"requestId": "r", "records": {}, "usersDetailedActivities": [user]}

    assert answer_violations(contract, f"POST {DAY_BY_DAY}", 200, by_day) == []
    assert answer_violations(contract, f"POST {DAY_BY_DAY}", 400, {"requestId": "r", "errors": [400]}) == [
        "errors[0]: integer 400, where the contract says string"
    ]


def test_given_scorecard_settings_with_a_field_2024_dropped_or_a_wrong_option_id_then_the_checker_names_them(contract):
    question = {"questionId": 1, "questionType": "RANGE", "created": "2024-06-03T10:09:41-07:00"}
    card = {"scorecardId": 1, "updaterUserId": 2, "questions": [question, {"answerOptions": [{"id": 2**31}]}]}

    found = answer_violations(contract, f"GET {SETTINGS}", 200, {"requestId": "r", "scorecards": [card]})

    assert sorted(found) == [
        "scorecards[0].questions[0].created: a field the contract's Question does not have",
        "scorecards[0].questions[1].answerOptions[0].id: 2147483648 does not fit the contract's int32",
    ]
