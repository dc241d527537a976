"""The README's "Bad input: what the user sees" table, row by row: each input run through the command line's entry
(`run.run`, in-process; Gong's answers from the CDK's HttpMocker), and the message the user sees held against the
row's "message (beginning)" cell.

The cell's code spans are its messages (a span of one word, such as `check`, is prose); `…` stands for any text,
and a message need only begin as the span does. Every span must be seen in the row's runs, and every error a run
reports must match a span. A row without a scenario fails, and so does a scenario whose row is gone, so the table
cannot drift from the code.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
import socket
import socketserver
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from airbyte_cdk.test.mock_http import HttpMocker, HttpRequest, HttpResponse

from source_gong_activity.run import run
from unit_tests.builders import (
    BASE_URL,
    ActivityPage,
    a_config,
    a_settings_response,
    a_user,
    a_users_page,
    an_error_response,
    by_period_request,
    counters,
    settings_request,
    users_request,
)
from unit_tests.clock import frozen_at

README = Path(__file__).resolve().parents[1] / "README.md"
SECTION = "## Bad input: what the user sees"
FAILURE_TYPES = ("config_error", "transient_error", "system_error")
ALICE = "1000000000000000001"


@dataclasses.dataclass(frozen=True)
class Row:
    input: str
    message: str

    @property
    def spans(self) -> list[str]:
        return [span for span in re.findall(r"`([^`]+)`", self.message) if " " in span]

    @property
    def failure_type(self) -> str:
        """The type the row names in its input cell; the table's introduction says config_error otherwise."""
        named = [span for span in re.findall(r"`([^`]+)`", self.input) if span in FAILURE_TYPES]
        return named[0] if named else "config_error"


def table_rows() -> list[Row]:
    text = README.read_text()
    section = text[text.index(SECTION) :].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    assert lines[0].startswith("| input | message (beginning) |"), lines[0]
    rows = []
    for line in lines[2:]:  # past the header and its |---| line
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        assert len(cells) == 2, f"a row of the table has {len(cells)} cells, not 2: {line}"
        rows.append(Row(*cells))
    return rows


def matches(span: str, message: str) -> bool:
    pattern = ".*".join(re.escape(piece) for piece in span.split("…"))
    return re.match(pattern, message, re.DOTALL) is not None


@dataclasses.dataclass
class Run:
    command: str
    exit_code: int
    messages: list[dict[str, Any]]
    stdout: str
    stderr: str

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [m["trace"]["error"] for m in self.messages if m["type"] == "TRACE" and m["trace"]["type"] == "ERROR"]

    @property
    def status(self) -> dict[str, Any] | None:
        statuses = [m["connectionStatus"] for m in self.messages if m["type"] == "CONNECTION_STATUS"]
        return statuses[0] if statuses else None

    @property
    def warnings(self) -> list[str]:
        return [m["log"]["message"] for m in self.messages if m["type"] == "LOG" and m["log"]["level"] == "WARN"]


class Scenario:
    """Runs the command line in a scratch folder, with files written from JSON values (or text, as given)."""

    def __init__(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
        self.tmp_path, self.capsys, self.runs = tmp_path, capsys, []

    def file(self, name: str, content: Any) -> str:
        path = self.tmp_path / f"{name}.json"
        path.write_text(content if isinstance(content, str) else json.dumps(content))
        return str(path)

    def run(self, args: list[str]) -> Run:
        self.capsys.readouterr()
        exit_code = 0
        try:
            run(args)
        except SystemExit as exit_:
            exit_code = int(exit_.code or 0)
        captured = self.capsys.readouterr()
        messages = [json.loads(line) for line in captured.out.splitlines() if line.strip()]
        self.runs.append(Run(args[0] if args else "", exit_code, messages, captured.out, captured.err))
        return self.runs[-1]

    def check(self, config: Any) -> Run:
        return self.run(["check", "--config", self.file("config", config)])

    def read(self, config: Any, catalog: Any = None, state: Any = None) -> Run:
        args = ["read", "--config", self.file("config", config), "--catalog", self.file("catalog", catalog or CATALOG)]
        return self.run(args + (["--state", self.file("state", state)] if state is not None else []))

    def check_and_read(self, config: Any) -> None:
        self.check(config)
        self.read(config)


CATALOG = {
    "streams": [
        {
            "stream": {"name": "activity", "json_schema": {}, "supported_sync_modes": ["incremental"]},
            "sync_mode": "incremental",
            "destination_sync_mode": "append_dedup",
        }
    ]
}
KNOWN_ZONE = [
    {
        "type": "STREAM",
        "stream": {
            "stream_descriptor": {"name": "activity"},
            "stream_state": {"company_time_zone": "US/Pacific"},
        },
    }
]


def _credentials(**fields: Any) -> dict[str, Any]:
    return {"auth_type": "access_key", "access_key": "unit-key-1234", "access_key_secret": "unit-secret-5678", **fields}


def _without(mapping: dict[str, Any], key: str) -> dict[str, Any]:
    return {name: value for name, value in mapping.items() if name != key}


@contextlib.contextmanager
def _gong(*answers: tuple[HttpRequest, Any]) -> Iterator[None]:
    """Gong's users list and scorecard settings (which `check` asks for), and these answers to these requests."""
    with HttpMocker() as http_mocker:
        http_mocker.get(users_request(), a_users_page([a_user(ALICE, "Alice", "Able")]))
        http_mocker.get(settings_request(), a_settings_response([]))
        http_mocker.get(HttpRequest(f"{BASE_URL}/v2/workspaces"), HttpResponse('{"workspaces": []}', 200))
        for request, answer in answers:
            http_mocker.post(request, answer)
        yield


def _a_day(day: str, next_day: str) -> Any:
    return (
        ActivityPage()
        .with_user(ALICE, "a@acme.example", [(f"{day}T00:00:00-08:00", f"{next_day}T00:00:00-08:00", counters(1))])
        .build()
    )


@contextlib.contextmanager
def _not_resolving(host: str) -> Iterator[None]:
    """`host` does not resolve, and no name server is asked."""
    real = socket.getaddrinfo

    def getaddrinfo(name: Any, *args: Any, **kwargs: Any) -> Any:
        if name == host:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(name, *args, **kwargs)

    with mock.patch.object(socket, "getaddrinfo", getaddrinfo):
        yield


class _PlainText(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        self.request.recv(4096)
        self.request.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")


@contextlib.contextmanager
def _plain_http_on_loopback() -> Iterator[int]:
    """A server on 127.0.0.1 that speaks plain HTTP, where the config says https: the TLS handshake fails."""
    with socketserver.TCPServer(("127.0.0.1", 0), _PlainText) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield server.server_address[1]
        finally:
            server.shutdown()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# -- one scenario per row, keyed by the row's input cell -------------------------------------------------------------

ONE_DAY = by_period_request("DAY", "2024-01-01", "2024-01-02").build()
TWO_DAYS = {
    "start_date": "2024-01-01",
    "end_date": "2024-01-03",
    "periods_per_window": 1,
    "max_retry_after_seconds": 600,
}


def _quota_used_up(s: Scenario) -> None:
    refused = an_error_response(429, "Too many requests", retry_after=3600)
    with _gong((ONE_DAY, refused)):
        s.read(a_config(**TWO_DAYS), state=KNOWN_ZONE)
    second_day = by_period_request("DAY", "2024-01-02", "2024-01-03").build()
    with _gong((ONE_DAY, _a_day("2024-01-01", "2024-01-02")), (second_day, refused)):
        s.read(a_config(**TWO_DAYS), state=KNOWN_ZONE)


def _usage(s: Scenario) -> None:
    s.run([])
    s.run(["fetch"])
    s.run(["read", "--config", s.file("config", a_config())])  # no --catalog


def _typo(s: Scenario) -> None:
    config = a_config(aggregaton_period="week")
    s.run(["discover", "--config", s.file("config", config)])
    earliest = {"fromDate": "2026-11-20", "toDate": "2026-11-21"}  # the earliest day anywhere at unit_tests.clock.NOW
    stats = f"{BASE_URL}/v2/stats"
    answers = [
        (HttpRequest(f"{stats}/{path}", body={"filter": earliest}), an_error_response(404))
        for path in ("activity/aggregate", "activity/day-by-day", "interaction")
    ]
    review_day = {"reviewFromDate": earliest["fromDate"], "reviewToDate": earliest["toDate"]}
    answers.append((HttpRequest(f"{stats}/activity/scorecards", body={"filter": review_day}), an_error_response(404)))
    with frozen_at(), _gong(*answers):
        s.check(config)


def _unreachable(s: Scenario) -> None:
    with _not_resolving("gong.invalid"):
        s.read(a_config(base_url="https://gong.invalid"), state=KNOWN_ZONE)
    with _plain_http_on_loopback() as port:
        s.read(a_config(base_url=f"https://127.0.0.1:{port}"), state=KNOWN_ZONE)


SCENARIOS: dict[str, Callable[[Scenario], None]] = {
    "config file that is not JSON": lambda s: s.read("{not json"),
    "no `credentials`": lambda s: s.check_and_read(_without(a_config(), "credentials")),
    "unknown `auth_type`": lambda s: s.check_and_read(a_config(credentials=_credentials(auth_type="password"))),
    "missing or non-string key or secret": lambda s: (
        s.check_and_read(a_config(credentials=_without(_credentials(), "access_key"))),
        s.check_and_read(a_config(credentials=_credentials(access_key=12345))),
    ),
    "OAuth with neither token nor refresh setup": lambda s: s.check_and_read(
        a_config(credentials={"auth_type": "oauth2.0", "client_id": "unit-client-id"})
    ),
    "`start_date`/`end_date` in another format": lambda s: s.check_and_read(a_config(start_date="01/02/2024")),
    "not a calendar day": lambda s: s.check_and_read(a_config(start_date="2024-02-30")),
    "`end_date` not after `start_date`": lambda s: s.check_and_read(
        a_config(start_date="2024-02-01", end_date="2024-01-01")
    ),
    "unknown period": lambda s: s.check_and_read(a_config(aggregation_period="hourly")),
    "non-numeric user id": lambda s: s.check_and_read(a_config(user_ids=["abc"])),
    "`base_url` with `http://` to a remote host": lambda s: s.check_and_read(a_config(base_url="http://api.gong.io")),
    "numbers of the wrong type or range": lambda s: (
        s.check_and_read(a_config(lookback_days="2")),
        s.check_and_read(a_config(lookback_days=-1)),
    ),
    "unknown stream in the catalog": lambda s: s.read(
        a_config(),
        {"streams": [{**CATALOG["streams"][0], "stream": {**CATALOG["streams"][0]["stream"], "name": "calls"}}]},
    ),
    "corrupt state": lambda s: s.read(
        a_config(),
        state=[
            {
                "type": "STREAM",
                "stream": {"stream_descriptor": {"name": "activity"}, "stream_state": {"start_time": 20240101}},
            }
        ],
    ),
    "config or catalog file holding a JSON list": lambda s: (s.read("[]"), s.read(a_config(), "[]")),
    "catalog with no streams": lambda s: s.read(a_config(), {"streams": []}),
    "state of an unknown shape (a JSON string, a number, an object of unknown keys)": lambda s: s.read(
        a_config(), state='"2024-01-01"'
    ),
    "unknown config key (a typo)": _typo,
    "host that does not resolve, or fails TLS": _unreachable,
    "nothing listening on the host (`transient_error`)": lambda s: s.read(
        a_config(base_url=f"http://127.0.0.1:{_free_port()}"), state=KNOWN_ZONE
    ),
    "Gong's daily quota used up (`transient_error`)": _quota_used_up,
    "no command, unknown command, missing flags": _usage,
    "wrong key, or a missing scope answered 401": lambda s: _with_gong_answering(
        s, an_error_response(401, "Access denied")
    ),
    "missing scope or wrong regional host (403)": lambda s: _with_gong_answering(
        s, an_error_response(403, "Access denied")
    ),
}


def _with_gong_answering(s: Scenario, answer: Any) -> None:
    with _gong((by_period_request("DAY", "2024-01-01", "2024-01-08").build(), answer)):
        s.read(a_config(), state=KNOWN_ZONE)


ROWS = table_rows()


@pytest.mark.parametrize(
    "row", [*(pytest.param(row, id=row.input) for row in ROWS), pytest.param(None, id="every scenario has its row")]
)
def test_each_row_of_the_readme_s_bad_input_table_is_what_the_user_sees(
    row: Row | None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if row is None:
        assert not set(SCENARIOS) - {r.input for r in ROWS}, "a scenario whose row left the README's table"
        return
    assert row.input in SCENARIOS, f"the README's row {row.input!r} has no scenario here: write one"
    scenario = Scenario(tmp_path, capsys)
    SCENARIOS[row.input](scenario)

    seen = []
    for run_ in scenario.runs:
        assert "Traceback" not in run_.stdout, f"{run_.command}: a traceback reached the user"
        if "exit code 2" in row.message:  # misuse: usage on stderr, stdout untouched
            assert (run_.exit_code, run_.stdout) == (2, ""), run_.command
            assert "usage: " in run_.stderr or "error: " in run_.stderr, run_.stderr
        elif row.message.startswith("a warning"):  # said, and the command goes on
            assert run_.exit_code == 0 and not run_.errors, (run_.command, run_.errors)
            seen += run_.warnings + ([run_.status["message"]] if run_.status else [])
        elif run_.command == "check":
            assert run_.exit_code == 0 and run_.status is not None and run_.status["status"] == "FAILED"
            seen.append(run_.status["message"])
        else:
            [error] = run_.errors  # exactly one, of the row's type
            assert (run_.exit_code, error["failure_type"]) == (1, row.failure_type), error["message"]
            assert not error.get("stack_trace"), error["stack_trace"]
            assert any(matches(span, error["message"]) for span in row.spans), error["message"]
            seen.append(error["message"])
    unseen = [span for span in row.spans if not any(matches(span, message) for message in seen)]
    assert not unseen, f"the README promises {unseen}; the runs said {seen}"
