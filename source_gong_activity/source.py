"""The Airbyte source: `check` and the list of streams (no network calls when listing them)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from typing import Any

from airbyte_cdk.models import (
    AirbyteConnectionStatus,
    AirbyteMessage,
    ConfiguredAirbyteCatalog,
    FailureType,
    Status,
    Type,
)
from airbyte_cdk.sources.streams import Stream
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from .activity import ActivityStream
from .client import build_api_budget, build_authenticator
from .company_day import CompanyDay
from .config import parse_config
from .engine import StatsStream
from .output import BatchingSource
from .users import UserDirectory, UsersStream


class SourceGongActivity(BatchingSource):
    """`batch_records=True` (the command line): streams yield `output.RecordBatch`es, which `GongEntrypoint` writes."""

    def streams(self, config: Mapping[str, Any]) -> list[Stream]:
        return list(self._stats_streams(config))

    def check_connection(self, logger: logging.Logger, config: Mapping[str, Any]) -> tuple[bool, str | None]:
        """Validates the config, then makes one small authenticated call to the activity endpoint."""
        activity, *optional = self._stats_streams(config)
        try:
            activity.check_access()
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
        streams = self._stats_streams(config)
        _check_catalog(catalog, [stream.name for stream in streams])
        stream_error = None
        try:
            for message in super().read(logger, config, catalog, state):
                if message.type == Type.TRACE and message.trace.error is not None:
                    stream_error = message.trace.error
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

    def read_config(self, config_path: str) -> Mapping[str, Any]:
        return _read_json_file(config_path, "config")

    def read_catalog(self, catalog_path: str) -> ConfiguredAirbyteCatalog:
        _read_json_file(catalog_path, "catalog")
        return super().read_catalog(catalog_path)

    def read_state(self, state_path: str) -> Any:
        if state_path:
            _read_json_file(state_path, "state")
        return super().read_state(state_path)

    def _stats_streams(self, raw_config: Mapping[str, Any]) -> list[StatsStream]:
        """Every stream of one sync shares one call budget, one users lookup and one company day."""
        config = parse_config(raw_config)
        authenticator = build_authenticator(config, raw_config)
        budget = build_api_budget(config.requests_per_second)
        users = UserDirectory(UsersStream(config, authenticator, budget))
        # The company's day is probed, when it must be, through the activity endpoint (every key has its scope).
        company_day = CompanyDay(probe=lambda day: activity.ask_about_day_before(day))
        shared = {"users": users, "company_day": company_day, "record_sink": self.record_sink}
        activity = ActivityStream(config, authenticator, budget, **shared)
        return [activity]


def _check_catalog(catalog: ConfiguredAirbyteCatalog, known: list[str]) -> None:
    for configured in catalog.streams:
        if configured.stream.name not in known:
            message = (
                f"The configured catalog asks for stream '{configured.stream.name}', which this source does not have; "
                f"its streams are {', '.join(repr(n) for n in known)}."
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
