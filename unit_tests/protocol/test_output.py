"""The connector's own record path to stdout (record batches), checked against what the CDK prints."""

from __future__ import annotations

import fcntl
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson
import pytest
from airbyte_cdk.entrypoint import AirbyteEntrypoint
from airbyte_cdk.models import ConfiguredAirbyteCatalogSerializer, SyncMode, Type
from airbyte_cdk.sources.utils.record_helper import stream_data_to_airbyte_message
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import read
from airbyte_cdk.test.mock_http import HttpMocker

from source_gong_activity import SourceGongActivity
from source_gong_activity.protocol.output import PIPE_BUFFER_BYTES, RecordBatch, record_batches
from source_gong_activity.run import run
from unit_tests.builders import (
    ActivityPage,
    TotalPage,
    a_config,
    a_user,
    a_users_page,
    by_period_request,
    counters,
    total_request,
    users_request,
)

ALICE, BOB = "1000000000000000001", "1000000000000000002"


def _lines(batch: RecordBatch) -> list[str]:
    # Not splitlines(): JSON strings may hold U+2028 and the like unescaped; only "\n" ends a line.
    assert batch.lines.endswith(b"\n")
    return batch.lines.decode()[:-1].split("\n")


def test_each_line_is_exactly_the_json_the_cdk_prints_for_that_record() -> None:
    records = [
        {
            "id": "1:day:2024-01-01",
            "user": {"id": "1", "name": 'Zoë O\u2028"Q"', "emails": [{"email": "z@acme.example", "is_primary": True}]},
            "metrics": {"calls_hosted": 3, "calls_attended": 0},
            "remote_data": {"list": [1, None, "tab\tnewline\n"], "nested": {"null": None}},
        },
        {"id": "2", "ratio": 1.5, "big": 2**62, "flag": False},
    ]
    before = time.time_ns() // 1_000_000
    [batch] = record_batches("activity", records)
    after = time.time_ns() // 1_000_000

    assert batch.type == Type.RECORD and batch.stream == "activity" and batch.count == 2
    for line, record in zip(_lines(batch), records, strict=False):
        emitted_at = orjson.loads(line)["record"]["emitted_at"]
        assert before <= emitted_at <= after
        message = stream_data_to_airbyte_message("activity", record)
        message.record.emitted_at = emitted_at
        assert line == AirbyteEntrypoint.airbyte_message_to_string(message)


def test_top_level_nulls_are_kept_where_the_cdk_would_drop_them() -> None:
    # The schema documents created_at and updated_at as always null; a destination reads a missing field the same.
    [batch] = record_batches("activity", [{"id": "1", "created_at": None}])
    assert orjson.loads(batch.lines)["record"]["data"] == {"id": "1", "created_at": None}


def test_records_are_cut_into_batches_of_about_the_given_size_and_none_is_lost() -> None:
    records = ({"id": f"{n:04d}"} for n in range(2500))  # 97 bytes a line
    batches = list(record_batches("activity", records, max_bytes=9700))
    assert [batch.count for batch in batches] == [100] * 25
    assert all(len(batch.lines) == 9700 for batch in batches)
    assert [orjson.loads(line)["record"]["data"]["id"] for batch in batches for line in _lines(batch)] == [
        f"{n:04d}" for n in range(2500)
    ]
    assert [batch.count for batch in record_batches("activity", [{"id": "x" * 9700}, {"id": "1"}], max_bytes=9700)] == [
        1,
        1,
    ]
    assert list(record_batches("activity", [])) == []


def test_a_batch_prints_briefly_in_logs_and_errors() -> None:
    [batch] = record_batches("activity", [{"id": "1", "secret-looking": "x" * 10_000}])
    assert len(repr(batch)) < 400 and "xxxx" not in repr(batch)


def _mock_two_windows(http_mocker: HttpMocker) -> None:
    http_mocker.get(users_request(), a_users_page([a_user(ALICE, "Alice", "Able"), a_user(BOB, "Bob", "Baker")]))

    def days(*dates: str) -> list:
        return [
            (f"{d}T00:00:00-08:00", f"{d[:-2]}{int(d[-2:]) + 1:02d}T00:00:00-08:00", counters(int(d[-2:])))
            for d in dates
        ]

    first = by_period_request("DAY", "2024-01-01", "2024-01-04")
    # The one call that learns the company's zone, which aggregate-by-period does not name.
    http_mocker.post(
        total_request("2024-01-01", "2024-01-04").build(),
        TotalPage("2024-01-01T00:00:00-08:00", "2024-01-04T00:00:00-08:00").build(),
    )
    http_mocker.post(
        first.build(),
        ActivityPage()
        .with_user(ALICE, "a@acme.example", days("2024-01-01", "2024-01-02", "2024-01-03"))
        .with_cursor("c1")
        .build(),
    )
    http_mocker.post(
        by_period_request("DAY", "2024-01-01", "2024-01-04").with_cursor("c1").build(),
        ActivityPage().with_user(BOB, "b@acme.example", days("2024-01-02")).build(),
    )
    http_mocker.post(
        by_period_request("DAY", "2024-01-04", "2024-01-06").build(),
        ActivityPage().with_user(BOB, "b@acme.example", days("2024-01-04", "2024-01-05")).build(),
    )


def _records_and_states(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """In order, without the records' emission times and top-level nulls (which the CDK drops)."""
    result = []
    for message in messages:
        if message["type"] == "RECORD":
            data = {key: value for key, value in message["record"]["data"].items() if value is not None}
            result.append({"stream": message["record"]["stream"], "data": data})
        elif message["type"] == "STATE":
            result.append(message)
    return result


def test_the_command_line_prints_what_the_cdk_entrypoint_prints_with_record_counts_of_records(
    tmp_path: Path, capfd, caplog
) -> None:
    config = a_config(end_date="2024-01-06", periods_per_window=3)
    catalog = CatalogBuilder().with_stream("activity", SyncMode.incremental).build()
    (tmp_path / "config.json").write_text(json.dumps(config))
    (tmp_path / "catalog.json").write_text(json.dumps(ConfiguredAirbyteCatalogSerializer.dump(catalog)))

    with HttpMocker() as http_mocker:
        _mock_two_windows(http_mocker)
        run(["read", "--config", str(tmp_path / "config.json"), "--catalog", str(tmp_path / "catalog.json")])
    printed = [json.loads(line) for line in capfd.readouterr().out.split("\n") if line]
    logged = [record.getMessage() for record in caplog.records]
    with HttpMocker() as http_mocker:
        _mock_two_windows(http_mocker)
        reference = read(SourceGongActivity(), config, catalog)

    expected = [
        json.loads(AirbyteEntrypoint.airbyte_message_to_string(m)) for m in reference.records_and_state_messages
    ]
    assert _records_and_states(printed) == _records_and_states(expected)
    statuses = [
        m["trace"]["stream_status"]["status"]
        for m in printed
        if m["type"] == "TRACE" and m["trace"]["type"] == "STREAM_STATUS"
    ]
    assert statuses == ["STARTED", "RUNNING", "COMPLETE"]
    states = [message["state"] for message in printed if message["type"] == "STATE"]
    assert [state["sourceStats"]["recordCount"] for state in states] == [4.0, 2.0]
    # The CDK's closing line counts the messages the stream yielded, here batches: the entrypoint puts records there.
    assert "Read 6 records from activity stream" in logged


@pytest.mark.skipif(not hasattr(fcntl, "F_GETPIPE_SZ"), reason="pipe sizes are Linux's")
def test_the_command_line_widens_its_stdout_pipe_so_the_reader_and_the_sync_work_at_once() -> None:
    process = subprocess.Popen(
        [sys.executable, "main.py", "spec"], cwd=Path(__file__).parents[2], stdout=subprocess.PIPE
    )
    assert b'"SPEC"' in process.stdout.read()
    assert process.wait(timeout=60) == 0
    assert fcntl.fcntl(process.stdout.fileno(), fcntl.F_GETPIPE_SZ) == PIPE_BUFFER_BYTES
    process.stdout.close()


WRITER_AND_LOGGER = """
import threading
from airbyte_cdk.logger import PRINT_BUFFER, init_logger
from source_gong_activity.protocol.output import prepare_stdout, write_records

prepare_stdout()
logger = init_logger("airbyte")
line = b'{"type":"RECORD","record":{"stream":"s","data":{"x":"' + b"y" * 1000 + b'"},"emitted_at":1}}\\n'
batch = line * 60
with PRINT_BUFFER:
    fetcher = threading.Thread(target=lambda: [logger.info("Retrying in %d seconds.", n) for n in range(3000)])
    fetcher.start()
    for _ in range(300):
        write_records(batch)
    fetcher.join()
"""


def test_log_lines_from_another_thread_never_land_inside_a_record() -> None:
    # As the page fetcher logs a retry while the main thread writes records into a pipe that a slow reader drains.
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER_AND_LOGGER], cwd=Path(__file__).parents[2], stdout=subprocess.PIPE
    )
    lines = []
    while chunk := process.stdout.read(65536):
        lines.append(chunk)
        time.sleep(0.001)
    assert process.wait(timeout=60) == 0
    messages = [orjson.loads(line) for line in b"".join(lines).splitlines()]
    assert sum(message["type"] == "RECORD" for message in messages) == 300 * 60
    assert sum(message["type"] == "LOG" for message in messages) == 3000
