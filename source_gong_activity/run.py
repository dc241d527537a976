"""Launches the source: the console script `source-gong-activity` and `main.py` both start here."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import os
import sys

from airbyte_cdk.entrypoint import AirbyteEntrypoint
from airbyte_cdk.logger import PRINT_BUFFER, is_platform_debug_log_enabled
from airbyte_cdk.sources.utils.schema_helpers import split_config
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from .config import persisted
from .config.settings import parse_config
from .protocol.failures import (
    SyncFailed,
    classified_tracebacks_hidden,
    is_classified_failure,
    report_classified_failure,
)
from .protocol.output import BatchWritingEntrypoint, prepare_stdout
from .source import SourceGongActivity

COMMANDS = ("spec", "check", "discover", "read")


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
    parsed = parse_command_line(entrypoint, sys.argv[1:] if args is None else args)
    debug = bool(getattr(parsed, "debug", False)) or is_platform_debug_log_enabled()
    try:
        with PRINT_BUFFER, classified_tracebacks_hidden(unless=debug):
            for message in entrypoint.run(parsed):
                print(f"{message}\n", end="")
    except SyncFailed:
        sys.exit(1)  # the failed stream's TRACE error is out already: a second one would only repeat it
    except AirbyteTracedException as error:
        if not is_classified_failure(error):
            raise  # a bug: the CDK's exception hook reports it, traceback and all
        report_classified_failure(error, with_stack_trace=debug)
        sys.exit(1)


def parse_command_line(entrypoint: AirbyteEntrypoint, args: list[str]) -> argparse.Namespace:
    """The CDK's parser, with every usage message on stderr and exit status 2, so stdout stays pure protocol."""
    # argparse prints --help on stdout; the CDK raises a bare Exception (a FATAL log and a traceback) for no command.
    # --persist-config is taken out before the CDK parses the rest (config/persisted.py).
    with contextlib.redirect_stdout(sys.stderr):
        parsed = persisted.parse_args(entrypoint, args)
    if not parsed.command:
        sys.stderr.write(f"source-gong-activity: error: a command is required: one of {', '.join(COMMANDS)}\n")
        sys.exit(2)
    return parsed
