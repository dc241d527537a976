"""The Airbyte source: `check`, the list of streams (no network calls when listing them), and how inputs are read."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

from airbyte_cdk.models import (
    AirbyteConnectionStatus,
    AirbyteMessage,
    AirbyteStateMessage,
    ConfiguredAirbyteCatalog,
    ConfiguredAirbyteCatalogSerializer,
    FailureType,
    Status,
    Type,
)
from airbyte_cdk.sources.streams import Stream
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from .calendar.company_day import CompanyDay
from .config.settings import parse_config
from .config.typos import unknown_field_warnings
from .gong.auth import build_authenticator
from .gong.limits import build_api_budget
from .gong.scorecard_settings import SETTINGS_SCOPE, ScorecardSettings, ScorecardSettingsLookup
from .gong.users import UserDirectory, UsersLookup
from .gong.workspaces import WorkspaceDirectory, WorkspacesLookup
from .protocol.failures import SyncFailed, is_classified_failure, retries_exhausted, stopped_by_gong
from .protocol.output import BatchingSource
from .protocol.state_shapes import as_state_messages, incremental_states, stream_states
from .streams.activity import ActivityStream
from .streams.activity_calls import ActivityCallsStream
from .streams.answered_scorecards import AnsweredScorecardsStream
from .streams.coaching import CoachingStream
from .streams.engine import StatsStream
from .streams.interaction_stats import InteractionStatsStream
from .streams.plan import planned_calls, planned_settings_call
from .streams.scorecards import ScorecardsStream
from .streams.sync import Sync
from .streams.users import UsersStream
from .streams.workspaces import WorkspacesStream


class SourceGongActivity(BatchingSource):
    """`batch_records=True` (the command line): streams yield `output.RecordBatch`es, which `GongEntrypoint` writes."""

    def streams(self, config: Mapping[str, Any]) -> list[Stream]:
        return self._streams(config)

    def check_connection(self, logger: logging.Logger, config: Mapping[str, Any]) -> tuple[bool, str | None]:
        """Validates the config, makes one small call to the activity endpoint, then one to each optional endpoint,
        then asks for the users list and the scorecard settings.

        A key without an optional stream's scope still passes (`activity` syncs); the message says what it lacks.
        Without the users scope, `include_quiet_users` cannot work: then the check fails.
        """
        activity, *optional = self._stats_streams(config)
        try:
            activity.check_access()
        except AirbyteTracedException as error:
            return False, retries_exhausted(error, activity.config.max_retries) or error.message
        lacking = []
        for stream in optional:
            try:
                stream.check_access()
            except AirbyteTracedException as error:
                reason = retries_exhausted(error, stream.config.max_retries) or error.message
                lacking.append(f"The stream '{stream.name}' cannot be synced: {reason}")
        try:
            refusal = activity.users.lookup.first_page_refusal()
            lacking += _lacking_scorecard_settings(activity.sync.scorecard_settings)
        except AirbyteTracedException as error:  # not a refusal: a fault the retries did not outlast
            return False, retries_exhausted(error, activity.config.max_retries) or error.message
        if refusal and activity.config.include_quiet_users:
            return False, (
                "The option 'include_quiet_users' needs Gong's users list, and Gong refused it: grant the key the "
                f"scope api:users:read or turn the option off ({refusal})."
            )
        if refusal:
            lacking.append(
                "The stream 'users' cannot be synced, and the other streams' records will carry no user names: "
                f"the credentials lack the scope api:users:read ({refusal})."
            )
        return True, " ".join(lacking) or None

    def check(self, logger: logging.Logger, config: Mapping[str, Any]) -> AirbyteConnectionStatus:
        succeeded, message = self.check_connection(logger, config)
        message = " ".join(filter(None, [message, *unknown_field_warnings(config)])) or None
        # The CDK would show repr(message), quotes and all.
        return AirbyteConnectionStatus(status=Status.SUCCEEDED if succeeded else Status.FAILED, message=message)

    def read(
        self, logger: logging.Logger, config: Mapping[str, Any], catalog: ConfiguredAirbyteCatalog, state: Any = None
    ) -> Iterator[AirbyteMessage]:
        streams = self._streams(config)
        _check_catalog(catalog, [stream.name for stream in streams])
        states = incremental_states(catalog, state)
        _log_planned_calls(logger, streams, catalog, states)
        self._quiet_failures: set[str] = set()
        stream_error = None
        try:
            for message in super().read(logger, config, catalog, as_state_messages(states)):
                # A TRACE message always has its `trace`; the protocol models type every field as optional.
                if message.type == Type.TRACE and message.trace.error is not None:  # type: ignore[union-attr]
                    stream_error = message.trace.error  # type: ignore[union-attr]
                    if stream_error.stream_descriptor and stream_error.stream_descriptor.name in self._quiet_failures:
                        # A failure the connector understands: its message says it all, unless --debug asks for more.
                        if not logger.isEnabledFor(logging.DEBUG):
                            stream_error.stack_trace = None
                yield message
        except AirbyteTracedException:
            if stream_error is None:
                raise
            # The CDK ends a failed sync with a generic config error; the platform should see the stream's own
            # failure type (transient errors are retried, config errors are not). It has been reported already.
            raise SyncFailed(
                message=stream_error.message,
                internal_message=stream_error.internal_message,
                failure_type=stream_error.failure_type,
            ) from None

    def _read_stream(self, *args: Any, **kwargs: Any) -> Iterator[AirbyteMessage]:
        # The CDK turns a stream's exception into its TRACE message out of our sight: this is the one place that
        # sees the exception itself, to tell a classified failure (whose stack trace helps nobody) from a bug.
        stream = kwargs["configured_stream"].stream.name
        saved = False
        try:
            for message in super()._read_stream(*args, **kwargs):
                saved = saved or message.type == Type.STATE
                yield message
        except Exception as error:
            if is_classified_failure(error):
                self._quiet_failures.add(stream)
            max_retries = kwargs["stream_instance"].config.max_retries
            if isinstance(error, AirbyteTracedException) and (reworded := stopped_by_gong(error, saved, max_retries)):
                error.message = error.internal_message = reworded
                error.args = (error.message,)  # the CDK's closing log line quotes repr(error)
            raise

    # The CDK declares the read_* hooks as class methods, and the config as mutable; they are called on the instance.
    def read_config(self, config_path: str) -> MutableMapping[str, Any]:  # type: ignore[override]
        config = _read_json_file(config_path, "config")
        if not isinstance(config, Mapping):
            raise _config_error(
                f"The config file '{config_path}' must hold a JSON object, got a JSON {type(config).__name__}."
            )
        return dict(config)

    def configure(self, config: Mapping[str, Any], temp_dir: str) -> Mapping[str, Any]:
        # Every command but spec passes here, before the config is validated: each of them names the typos.
        for warning in unknown_field_warnings(config):
            logging.getLogger("airbyte").warning(warning)
        return super().configure(config, temp_dir)

    def read_catalog(self, catalog_path: str) -> ConfiguredAirbyteCatalog:  # type: ignore[override]
        catalog = _read_json_file(catalog_path, "catalog")
        if not isinstance(catalog, Mapping) or not isinstance(catalog.get("streams"), list):
            raise _config_error(f"The catalog file '{catalog_path}' must hold a JSON object with a list 'streams'.")
        try:
            return ConfiguredAirbyteCatalogSerializer.load(catalog)
        except Exception as error:  # serpyco's SchemaValidationError: the text names the bad path
            raise _config_error(
                f"The catalog file '{catalog_path}' is not a configured catalog: {str(error).splitlines()[-1].strip()}"
            ) from None

    def read_state(self, state_path: str) -> list[AirbyteStateMessage]:  # type: ignore[override]
        return as_state_messages(stream_states(_read_json_file(state_path, "state") if state_path else None))

    def _streams(self, raw_config: Mapping[str, Any]) -> list[Stream]:
        stats = self._stats_streams(raw_config)
        return [*stats, UsersStream(stats[0].sync), ScorecardsStream(stats[0].sync), WorkspacesStream(stats[0].sync)]

    def _stats_streams(self, raw_config: Mapping[str, Any]) -> list[StatsStream]:
        """Every stream of one sync shares one call budget, one users lookup and one company day (`Sync`)."""
        config = parse_config(raw_config)
        authenticator = build_authenticator(config, raw_config)
        budget = build_api_budget(config.requests_per_second)
        users = UserDirectory(UsersLookup(config, authenticator, budget))
        settings = ScorecardSettings(ScorecardSettingsLookup(config, authenticator, budget))
        # The company's day and zone are asked, when they must be, of the activity endpoint (every key has its scope).
        company_day = CompanyDay(probe=lambda from_date, to_date: activity.ask_aggregate(from_date, to_date))
        workspaces = WorkspaceDirectory(WorkspacesLookup(config, authenticator, budget))
        sync = Sync(config, authenticator, budget, users, company_day, settings, workspaces, self.record_sink)
        activity = ActivityStream(sync)
        return [
            activity,
            ActivityCallsStream(sync),
            InteractionStatsStream(sync),
            AnsweredScorecardsStream(sync),
            CoachingStream(sync),
        ]


def _lacking_scorecard_settings(settings: ScorecardSettings) -> list[str]:
    """What `check` says of a key without the settings scope (a fault other than a refusal raises)."""
    settings.scorecards()
    if not settings.refusal:
        return []
    return [
        "The stream 'scorecards' cannot be synced, and answered_scorecards' answers will carry no question words: "
        f"the credentials lack the scope {SETTINGS_SCOPE} ({settings.refusal})."
    ]


def _log_planned_calls(
    logger: logging.Logger, streams: list[Stream], catalog: ConfiguredAirbyteCatalog, states: Mapping[str, Any]
) -> None:
    """Says, before the first call, what each selected stream will cost of Gong's daily company quota."""
    selected = {configured.stream.name for configured in catalog.streams}
    for stream in streams:
        if isinstance(stream, StatsStream) and stream.name in selected:
            stream.state = states.get(stream.name, {})
            logger.info(planned_calls(stream))
    if ScorecardsStream.name in selected and AnsweredScorecardsStream.name not in selected:
        logger.info(planned_settings_call())


def _check_catalog(catalog: ConfiguredAirbyteCatalog, known: list[str]) -> None:
    if not catalog.streams:
        # A sync of nothing would exit 0 silently: almost certainly a catalog that lost its streams.
        raise _config_error(f"The configured catalog has no streams: select one of {', '.join(map(repr, known))}.")
    for configured in catalog.streams:
        if configured.stream.name not in known:
            raise _config_error(
                f"The configured catalog asks for stream '{configured.stream.name}', which this source does not have; "
                f"its streams are {', '.join(map(repr, known))}."
            )


def _config_error(message: str) -> AirbyteTracedException:
    return AirbyteTracedException(message=message, internal_message=message, failure_type=FailureType.config_error)


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
