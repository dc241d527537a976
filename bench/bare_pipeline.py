"""The daily back-fill's pages turned into RECORD lines by a bare loop: what the connector's record path costs with
no CDK read machinery around it. Run by bench/run.py as `python bench/bare_pipeline.py MODE BASE_URL START END`.

MODE `records`: the floor's calls, one page fetched ahead in a thread (as the connector does), each page decoded
with orjson, mapped by the connector's `records_by_period` and serialized by its `record_batches`, written to
stdout. MODE `constant`: the same, but every record written as one fixed line as long as the first real one, so
that stdout carries the same bytes with no mapping or serializing: the cost of moving the data alone. Both import
the CDK (through the connector's modules) as the connector does, so the process start costs the same.
"""

from __future__ import annotations

import datetime as dt
import queue
import sys
import threading
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import pages

from source_gong_activity.protocol.output import BATCH_BYTES, record_batches, write_all
from source_gong_activity.records.activity import records_by_period

STDOUT = 1


def main(mode: str, base_url: str, start: dt.date, end: dt.date) -> None:
    ahead: queue.Queue[tuple[Any, str] | None] = queue.Queue(maxsize=1)

    def fetch() -> None:
        for answer in pages(base_url, start, end, "day", lambda response: orjson.loads(response.content)):
            ahead.put(answer)
        ahead.put(None)

    threading.Thread(target=fetch, daemon=True).start()
    directory: dict[str, Any] = {}
    write_page = write_records if mode == "records" else ConstantLines().write
    while (answer := ahead.get()) is not None:
        body, items = answer
        if items == "users":
            directory.update((user["id"], user) for user in body["users"])
        elif body is not None:
            write_page(body, directory)


# The connector learns the company's zone once a sync; the bare loop is told it (the emulator's default).
ZONE = "US/Pacific"


def write_records(body: Any, directory: dict[str, Any]) -> None:
    for batch in record_batches("activity", records_by_period(body, "day", directory, ZONE)):
        write_all(STDOUT, batch.lines)


class ConstantLines:
    """As many lines as the page has records, each a copy of the run's first real record line."""

    def __init__(self) -> None:
        self.line = b""

    def write(self, body: Any, directory: dict[str, Any]) -> None:
        if not self.line:
            first_batch = next(record_batches("activity", records_by_period(body, "day", directory, ZONE))).lines
            self.line = first_batch[: first_batch.index(b"\n") + 1]
        count = sum(len(user["userAggregateActivity"]) for user in body["usersAggregateActivity"])
        per_batch = max(1, BATCH_BYTES // len(self.line))  # written in batches of the connector's size
        full_batches, rest = divmod(count, per_batch)
        for _ in range(full_batches):
            write_all(STDOUT, self.line * per_batch)
        write_all(STDOUT, self.line * rest)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], dt.date.fromisoformat(sys.argv[3]), dt.date.fromisoformat(sys.argv[4]))
