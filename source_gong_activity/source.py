"""The Airbyte source: `check` and the list of streams (no network calls when listing them)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

from airbyte_cdk.models import (
    AirbyteConnectionStatus,
    AirbyteMessage,
    ConfiguredAirbyteCatalog,
    FailureType,
    Status,
    Type,
)
from airbyte_cdk.sources import AbstractSource
from airbyte_cdk.sources.streams import Stream
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from .client import build_api_budget, build_authenticator
from .config import parse_config
from .streams import ActivityStream, UserDirectory, UsersStream


class SourceGongActivity(AbstractSource):
    def __init__(self, batch_records: bool = False):
        """`batch_records`: yield records as `output.RecordBatch` messages, which only `run.GongEntrypoint` writes."""
        super().__init__()
        self._batch_records = batch_records

    def streams(self, config: Mapping[str, Any]) -> list[Stream]:
        return [self._activity_stream(config)]

    def check_connection(self, logger: logging.Logger, config: Mapping[str, Any]) -> tuple[bool, str | None]:
        """Validates the config, then makes one small authenticated call to the activity endpoint."""
        try:
            self._activity_stream(config).check_access()
        except AirbyteTracedException as error:
            return False, error.message
        return True, None

    def check(self, logger: logging.Logger, config: Mapping[str, Any]) -> AirbyteConnectionStatus:
        succeeded, message = self.check_connection(logger, config)
        # The CDK would show repr(message), quotes and all.
        return AirbyteConnectionStatus(status=Status.SUCCEEDED if succeeded else Status.FAILED, message=message)

    def read(
        self, logger: logging.Logger, config: Mapping[str, Any], catalog: ConfiguredAirbyteCatalog, state: Any = None
    ) -> Iterator[AirbyteMessage]:
        _check_catalog(catalog, [stream.name for stream in self.streams(config)])
        stream_error = None
        try:
            for message in super().read(logger, config, catalog, state):
                # A TRACE message always has its `trace`; the protocol models type every field as optional.
                if message.type == Type.TRACE and message.trace.error is not None:  # type: ignore[union-attr]
                    stream_error = message.trace.error  # type: ignore[union-attr]
                yield message
        except AirbyteTracedException:
            if stream_error is None:
                raise
            # The CDK ends a failed sync with a generic config error; the platform should see the stream's own
            # failure type (transient errors are retried, config errors are not).
            raise AirbyteTracedException(
                message=stream_error.message,
                internal_message=stream_error.internal_message,
                failure_type=stream_error.failure_type,
            ) from None

    # The CDK declares read_config static and read_catalog and read_state classmethods, and calls all three on the
    # instance, as these are.
    def read_config(self, config_path: str) -> MutableMapping[str, Any]:  # type: ignore[override]
        return _read_json_file(config_path, "config")

    def read_catalog(self, catalog_path: str) -> ConfiguredAirbyteCatalog:  # type: ignore[override]
        _read_json_file(catalog_path, "catalog")
        return super().read_catalog(catalog_path)

    def read_state(self, state_path: str) -> Any:  # type: ignore[override]
        if state_path:
            _read_json_file(state_path, "state")
        return super().read_state(state_path)

    def _activity_stream(self, raw_config: Mapping[str, Any]) -> ActivityStream:
        config = parse_config(raw_config)
        authenticator = build_authenticator(config, raw_config)
        budget = build_api_budget(config.requests_per_second)  # one budget for every call of this sync
        users = UsersStream(config, authenticator, budget)
        return ActivityStream(
            config, authenticator, budget, users=UserDirectory(users), batch_records=self._batch_records
        )


def _check_catalog(catalog: ConfiguredAirbyteCatalog, known: list[str]) -> None:
    for configured in catalog.streams:
        if configured.stream.name not in known:
            message = (
                f"The configured catalog asks for stream '{configured.stream.name}', which this source does not have; "
                f"its only stream is {', '.join(repr(n) for n in known)}."
            )
            raise AirbyteTracedException(
                message=message, internal_message=message, failure_type=FailureType.config_error
            )


def _read_json_file(path: str, what: str) -> Any:
    try:
        with open(path, encoding="utf-8") as file:
            return json.load(file)
    except (OSError, ValueError) as error:
        reason = "is not valid JSON" if isinstance(error, ValueError) else "cannot be read"
        message = f"The {what} file '{path}' {reason}: {error.__class__.__name__}."
        raise AirbyteTracedException(
            message=message, internal_message=f"{message} {error}", failure_type=FailureType.config_error
        ) from None
