"""`read` as the command line runs it (its entrypoint, record batches and all), in-process, for HttpMocker tests.

The CDK's `entrypoint_wrapper.read` drives the CDK's own entrypoint, which never sees a record batch; this drives
`run.GongEntrypoint` instead and returns the CDK's `EntrypointOutput`, so tests assert in the same terms.
"""

from __future__ import annotations

import json
import logging
import tempfile
from io import StringIO
from pathlib import Path
from typing import Any

from airbyte_cdk.logger import AirbyteLogFormatter
from airbyte_cdk.models import (
    AirbyteStateMessage,
    AirbyteStateMessageSerializer,
    ConfiguredAirbyteCatalog,
    ConfiguredAirbyteCatalogSerializer,
)
from airbyte_cdk.test.entrypoint_wrapper import EntrypointOutput

from source_gong_activity import SourceGongActivity
from source_gong_activity.run import GongEntrypoint


def read(
    config: dict[str, Any],
    catalog: ConfiguredAirbyteCatalog,
    state: list[AirbyteStateMessage] | None = None,
    expecting_exception: bool = False,
) -> EntrypointOutput:
    with tempfile.TemporaryDirectory() as directory:
        args = ["read", "--config", _file(directory, "config", config)]
        args += ["--catalog", _file(directory, "catalog", ConfiguredAirbyteCatalogSerializer.dump(catalog))]
        if state is not None:
            args += ["--state", _file(directory, "state", [AirbyteStateMessageSerializer.dump(s) for s in state])]
        return _run(args, expecting_exception)


def _run(args: list[str], expecting_exception: bool) -> EntrypointOutput:
    logs = StringIO()
    handler = logging.StreamHandler(logs)
    handler.setLevel(logging.INFO)
    handler.setFormatter(AirbyteLogFormatter())
    logging.getLogger("").addHandler(handler)
    lines: list[str] = []
    entrypoint = GongEntrypoint(
        SourceGongActivity(batch_records=True), write_batch=lambda batch: lines.extend(batch.decode()[:-1].split("\n"))
    )
    error = None
    try:
        for message in entrypoint.run(entrypoint.parse_args(args)):  # one at a time: batches land in between
            lines.append(message)
    except Exception as exception:
        if not expecting_exception:
            raise
        error = exception
    finally:
        logging.getLogger("").removeHandler(handler)
    return EntrypointOutput(messages=lines + logs.getvalue().split("\n")[:-1], uncaught_exception=error)


def _file(directory: str, name: str, content: Any) -> str:
    path = Path(directory) / f"{name}.json"
    path.write_text(json.dumps(content))
    return str(path)
