"""Launches the source: the console script `source-gong-activity` and `main.py` both start here."""

from __future__ import annotations

import atexit
import os
import sys

import orjson
from airbyte_cdk.entrypoint import AirbyteEntrypoint
from airbyte_cdk.logger import PRINT_BUFFER
from airbyte_cdk.models import AirbyteMessageSerializer, FailureType
from airbyte_cdk.sources.utils.schema_helpers import split_config
from airbyte_cdk.utils.airbyte_secrets_utils import filter_secrets
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from .config import parse_config
from .output import BatchWritingEntrypoint, prepare_stdout
from .source import SourceGongActivity


class GongEntrypoint(BatchWritingEntrypoint):
    """The CDK's entrypoint with record batches, plus the config validation that names the field."""

    @staticmethod
    def validate_connection(source_spec, config) -> None:  # type: ignore[no-untyped-def]
        # Our validation first: its messages name the field, where jsonschema's do not.
        parse_config(split_config(config)[0])
        AirbyteEntrypoint.validate_connection(source_spec, config)


def main() -> None:
    """The program (the console script and main.py): `run`, then an exit without the interpreter's teardown."""
    run()
    # Tearing down the ~1,500 modules the CDK imports takes 0.3-0.4 s after the last message, for nothing: the exit
    # handlers run here, stdout is unbuffered, and stderr is flushed.
    atexit._run_exitfuncs()
    sys.stderr.flush()
    os._exit(0)


def run(args: list[str] | None = None) -> None:
    prepare_stdout()
    entrypoint = GongEntrypoint(SourceGongActivity(batch_records=True))
    try:
        with PRINT_BUFFER:
            for message in entrypoint.run(entrypoint.parse_args(sys.argv[1:] if args is None else args)):
                print(f"{message}\n", end="")
    except AirbyteTracedException as error:
        if error.failure_type != FailureType.config_error:
            raise
        # A config problem is the user's to fix: one clear sentence, no stack trace.
        message = error.as_sanitized_airbyte_message()
        message.trace.error.stack_trace = None
        print(filter_secrets(orjson.dumps(AirbyteMessageSerializer.dump(message)).decode()), flush=True)
        sys.exit(1)
