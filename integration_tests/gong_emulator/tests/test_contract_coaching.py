"""GET /v2/workspaces and GET /v2/coaching held against Gong's contract of November 2024 (`gong-contract-2024.json`).

In each mode, both endpoints are driven to every status their entries document (200, 400, 403, 429, 500) and to
nothing else: the status is documented, the top-level fields are the model's, nothing deeper is missing from the
model, and each value has the documented type. test_contract.py's checker does the leaves; the walk here also knows
the contract's open maps (`additionalProperties`: a coaching report's metrics), which the 2023 snapshot had none of.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from integration_tests.gong_emulator import Emulator

from .conftest import BASIC
from .test_contract import violations_of

# The repo's sibling directory, as CI checks it out beside the clone (/work/shared beside /work/main here).
CONTRACT_2024_PATH = Path(__file__).resolve().parents[4] / "shared" / "gong-contract-2024.json"
WORKSPACES, COACHING = "/v2/workspaces", "/v2/coaching"
ENDPOINTS = (f"GET {WORKSPACES}", f"GET {COACHING}")
TODAY = "2024-06-12"
MAY = ("2024-05-01T00:00:00-07:00", "2024-06-01T07:00:00Z")
MODES = {
    "plain": {},
    "numeric call ids": {"numeric_call_ids": True},
    "utc times": {"utc_times": True},
    "omit zeros": {"omit_zeros": True},
    "grown recent days": {"grow_recent_days": 7},
    "extra coaching metric": {"extra_coaching_metric": "callsWithAiFeedback"},
    "scope 401": {"scope_status": 401},
    "all at once": {
        "numeric_call_ids": True,
        "utc_times": True,
        "omit_zeros": True,
        "grow_recent_days": 7,
        "extra_coaching_metric": "callsWithAiFeedback",
        "scope_status": 401,
    },
}


def load_contract_2024() -> dict:
    if not CONTRACT_2024_PATH.is_file():
        pytest.fail(f"Gong's 2024 contract is missing: expected {CONTRACT_2024_PATH} (shared/ beside the repo)")
    contract = json.loads(CONTRACT_2024_PATH.read_text())
    return {"endpoints": contract["endpoints"], "definitions": contract["definitions"]}


def open_map_violations(value: object, schema: dict, definitions: dict, path: str = "") -> list[str]:
    """violations_of, walking objects and arrays itself so that it reaches (and checks) open maps."""
    if "$ref" in schema:
        schema = definitions[schema["$ref"].rsplit("/", 1)[1]]
    if schema.get("type") == "object" and isinstance(value, dict):
        properties, found = schema.get("properties", {}), []
        for key, item in value.items():
            child = f"{path}.{key}" if path else key
            if key in properties:
                found += open_map_violations(item, properties[key], definitions, child)
            elif "additionalProperties" in schema:
                found += open_map_violations(item, schema["additionalProperties"], definitions, child)
            else:
                found.append(f"{child}: a field the contract's {schema.get('title', 'object')} does not have")
        return found
    if schema.get("type") == "array" and isinstance(value, list):
        return [
            problem
            for index, item in enumerate(value)
            for problem in open_map_violations(item, schema["items"], definitions, f"{path}[{index}]")
        ]
    return violations_of(value, schema, definitions, path)


def answer_problems(contract: dict, endpoint: str, status: int, body: object) -> list[str]:
    """How one answer departs from the contract: its status, then its fields and types (top-level ones all there)."""
    responses = contract["endpoints"][endpoint]["responses"]
    if str(status) not in responses:
        return [f"status {status} is not documented for {endpoint} (it documents {', '.join(responses)})"]
    schema = responses[str(status)]["schema"]
    model = contract["definitions"][schema["$ref"].rsplit("/", 1)[1]]
    found = open_map_violations(body, schema, contract["definitions"])
    if isinstance(body, dict):
        missing = sorted(set(model["properties"]) - set(body))
        found += [f"{name}: a top-level field of {model['title']} that the answer lacks" for name in missing]
    return found


class Answers:
    """Calls one emulator and keeps every answer with what was asked."""

    def __init__(self, emulator: Emulator, label: str) -> None:
        self.emulator, self.label = emulator, label
        self.collected: list[tuple[str, str, int, object]] = []  # (endpoint, request, status, body)

    def get(self, path: str, params: dict | None = None, auth: tuple[str, str] = BASIC) -> dict:
        response = requests.get(self.emulator.base_url + path, params=params, auth=auth, timeout=60)
        answer = json.loads(response.content)
        self.collected.append((f"GET {path}", f"{self.label}: GET {path} {params or ''}", response.status_code, answer))
        return answer


def _coaching(workspace_id: str, manager_id: str, window: tuple[str, str] = MAY) -> dict:
    return {"workspace-id": workspace_id, "manager-id": manager_id, "from": window[0], "to": window[1]}


def drive_successes_and_refusals(answers: Answers) -> None:
    """200s for every workspace and manager (a manager of nobody, an empty window too) and every kind of 400."""
    workspace_ids = [workspace["id"] for workspace in answers.get(WORKSPACES)["workspaces"]]
    book = answers.emulator.dataset.coaching
    users = answers.emulator.dataset.users()
    active = [manager for manager in book.managers() if not book.is_deactivated(manager)]
    for workspace_id in workspace_ids:
        for manager_id in active:
            answers.get(COACHING, _coaching(workspace_id, manager_id))
    nobody = next(user["id"] for user in users if user["active"] and not book.direct_reports(user["id"]))
    answers.get(COACHING, _coaching(workspace_ids[0], nobody))
    answers.get(COACHING, _coaching(workspace_ids[0], active[0], ("2023-05-01T00:00:00Z", "2023-06-01T00:00:00Z")))
    deactivated = next(manager for manager in book.managers() if book.is_deactivated(manager))
    good = _coaching(workspace_ids[0], active[0])
    for change in (
        {"workspace-id": None},
        {"from": "2024-05-01"},
        {"to": MAY[0]},
        {"manager-id": "abc"},
        {"workspace-id": "1"},
        {"manager-id": "1"},
        {"manager-id": deactivated},
    ):
        answers.get(COACHING, {name: value for name, value in {**good, **change}.items() if value})


def drive_each_endpoint(answers: Answers, params: dict, auth: tuple[str, str] = BASIC) -> None:
    answers.get(WORKSPACES, auth=auth)
    answers.get(COACHING, params, auth=auth)


def serve_every_status(start: Callable[..., Emulator], label: str, flags: dict) -> list[tuple[str, str, int, object]]:
    common = {"users": 30, "today": TODAY, **flags}
    main = Answers(start(**common), label)
    if flags.get("grow_recent_days"):
        main.emulator.dataset.advance()
    drive_successes_and_refusals(main)
    book = main.emulator.dataset.coaching
    params = _coaching(book.workspaces()[0]["id"], book.managers()[0])
    drive_each_endpoint(main, params, auth=("test-access-key", "wrong-secret"))  # 403
    capped = Answers(start(**common, daily_cap=1), f"{label}, daily cap reached")
    capped.get(WORKSPACES)  # spends the day's one call
    others = [
        Answers(start(**common, regional_host="localhost"), f"{label}, wrong regional host"),
        Answers(start(**common, no_workspaces_scope=True, no_coaching_scope=True), f"{label}, no scopes"),
        Answers(start(**common, fail_every=1), f"{label}, every call fails"),
        # GET /v2/workspaces takes nothing to validate: its documented 400 is served by an injected fault only.
        Answers(start(**common, fail_every=1, fail_status=400), f"{label}, every call is refused 400"),
        capped,
    ]
    for answers in others:
        drive_each_endpoint(answers, params)
    return [item for answers in (main, *others) for item in answers.collected]


@pytest.fixture(scope="module")
def contract() -> dict:
    return load_contract_2024()


@pytest.mark.parametrize("mode", MODES)
def test_every_workspaces_and_coaching_answer_in_this_mode_keeps_gongs_2024_contract(start_emulator, contract, mode):
    collected = serve_every_status(start_emulator, mode, MODES[mode])

    problems = [
        f"{request} -> {status}: {problem}"
        for endpoint, request, status, body in collected
        for problem in answer_problems(contract, endpoint, status, body)
    ]
    assert not problems, f"{len(problems)} departures from gong-contract-2024.json:\n" + "\n".join(problems[:60])
    statuses: dict[str, set[int]] = {}
    for endpoint, _, status, _ in collected:
        statuses.setdefault(endpoint, set()).add(status)
    documented = {
        endpoint: {int(status) for status in contract["endpoints"][endpoint]["responses"]} for endpoint in ENDPOINTS
    }
    assert statuses == documented == {endpoint: {200, 400, 403, 429, 500} for endpoint in ENDPOINTS}


def test_given_every_mode_then_coaching_answers_hold_calls_in_some_metric(start_emulator):
    # The contract walk above means little over empty lists: the plain company's May has coached calls.
    answers = Answers(start_emulator(users=30, today=TODAY), "plain")
    drive_successes_and_refusals(answers)

    coached = [
        call
        for endpoint, _, status, body in answers.collected
        if endpoint == f"GET {COACHING}" and status == 200
        for data in body["coachingData"]
        for entry in data["directReportsMetrics"]
        for calls in entry["metrics"].values()
        for call in calls
    ]
    assert len(coached) > 100


# The checker bites


METRICS_PATH = "coachingData[0].directReportsMetrics[0].metrics"
REPORT = {"id": "1", "emailAddress": "a@b.example", "firstName": "A", "lastName": "B", "title": "AE"}


@pytest.mark.parametrize(
    "body, expected",
    [
        (
            {
                "requestId": "r",
                "coachingData": [
                    {
                        "manager": REPORT,
                        "directReportsMetrics": [{"report": REPORT, "metrics": {"callsListenedTo": [7]}}],
                    }
                ],
            },
            f"{METRICS_PATH}.callsListenedTo[0]: integer 7, where the contract says string",
        ),
        (
            {
                "requestId": "r",
                "coachingData": [
                    {
                        "manager": REPORT,
                        "directReportsMetrics": [{"report": REPORT, "metrics": {"callsListenedTo": "7"}}],
                    }
                ],
            },
            f"{METRICS_PATH}.callsListenedTo: string, where the contract says array",
        ),
        (
            {"requestId": "r", "coachingData": [{"manager": {**REPORT, "active": True}, "directReportsMetrics": []}]},
            "coachingData[0].manager.active: a field the contract's CoachingUser does not have",
        ),
        (
            {"requestId": "r", "coachingData": [], "timeZone": "US/Pacific"},
            "timeZone: a field the contract's CoachingMetrics does not have",
        ),
        ({"requestId": "r"}, "coachingData: a top-level field of CoachingMetrics that the answer lacks"),
    ],
)
def test_given_a_coaching_answer_that_departs_from_the_contract_then_the_checker_names_the_field(
    contract, body, expected
):
    found = answer_problems(contract, f"GET {COACHING}", 200, body)

    assert any(problem.startswith(expected) for problem in found), found


@pytest.mark.parametrize("status", [401, 404])
def test_given_a_status_the_2024_contract_does_not_document_then_the_checker_says_so(contract, status):
    for endpoint in ENDPOINTS:
        found = answer_problems(contract, endpoint, status, {"requestId": "r", "errors": ["Not found"]})

        assert found == [f"status {status} is not documented for {endpoint} (it documents 200, 400, 403, 429, 500)"]
