"""The saved state as people and orchestrators keep it (`--state`), turned into what the CDK reads."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from airbyte_cdk.models import (
    AirbyteStateBlob,
    AirbyteStateMessage,
    AirbyteStateMessageSerializer,
    AirbyteStateType,
    AirbyteStreamState,
    ConfiguredAirbyteCatalog,
    FailureType,
    StreamDescriptor,
    SyncMode,
)
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

# What `--state` may hold, for the one-sentence error that names the shapes.
STATE_SHAPES = (
    "a list of Airbyte STATE messages (STREAM, GLOBAL or LEGACY), one STATE message, a legacy object "
    '{"activity": {...}}, or the stream\'s own state {"start_time": "YYYY-MM-DD", "company_time_zone": ...}'
)
_OWN_KEYS = frozenset(("start_time", "company_time_zone"))


def stream_states(raw: Any) -> dict[str, Any]:
    """Stream name -> stream state, from any shape of saved state people and orchestrators keep (`STATE_SHAPES`).

    The CDK reads only a list of STREAM (or GLOBAL without `shared_state`) messages; the README's own format, one
    STATE line copied from stdout and the legacy per-stream object are what users actually save.
    """
    if not raw:
        return {}
    if isinstance(raw, list):
        states: dict[str, Any] = {}
        for item in raw:
            states.update(_states_of_message(item))
        return states
    if not isinstance(raw, Mapping):
        raise _unexpected_shape(f"a JSON {_json_type(raw)}")
    if "type" in raw:
        return _states_of_message(raw)
    if _OWN_KEYS & raw.keys():
        return {"activity": raw}
    if all(isinstance(value, Mapping) for value in raw.values()):
        return dict(raw)  # the legacy {stream name: state} object
    raise _unexpected_shape(f"an object with the keys {', '.join(sorted(map(str, raw)))}")


def _states_of_message(message: Any) -> dict[str, Any]:
    if isinstance(message, Mapping) and message.get("type") == "STATE":
        message = message.get("state")  # one AirbyteMessage line from a previous run's stdout
    if not isinstance(message, Mapping):
        raise _unexpected_shape(f"a list holding a JSON {_json_type(message)}")
    kind = message.get("type") or ("STREAM" if "stream" in message else None)
    if kind == "STREAM":
        return _states_of_streams([message.get("stream")])
    if kind == "GLOBAL":
        # `shared_state` is ignored: this source checkpoints each stream on its own, so it never holds ours.
        return _states_of_streams((message.get("global") or {}).get("stream_states") or [])
    if kind == "LEGACY":
        data = message.get("data") or {}
        if not isinstance(data, Mapping):
            raise _unexpected_shape("a LEGACY message whose 'data' is not an object")
        return stream_states(data)
    raise _unexpected_shape(f"a message of type {kind!r}")


def _states_of_streams(entries: Any) -> dict[str, Any]:
    states = {}
    for entry in entries:
        descriptor = entry.get("stream_descriptor") if isinstance(entry, Mapping) else None
        if not isinstance(descriptor, Mapping) or not isinstance(descriptor.get("name"), str):
            raise _unexpected_shape("a stream state without a 'stream_descriptor' name")
        stream_state = entry.get("stream_state") or {}
        if not isinstance(stream_state, Mapping):
            raise _unexpected_shape(f"a 'stream_state' that is a JSON {_json_type(stream_state)}")
        states[descriptor["name"]] = stream_state
    return states


def _json_type(value: Any) -> str:
    return {str: "string", int: "number", float: "number", bool: "boolean", list: "list"}.get(type(value), "value")


def _unexpected_shape(got: str) -> AirbyteTracedException:
    message = f"The state must be {STATE_SHAPES}; got {got}."
    return AirbyteTracedException(message=message, internal_message=message, failure_type=FailureType.config_error)


def incremental_states(catalog: ConfiguredAirbyteCatalog, state: Any) -> dict[str, Any]:
    """The saved states of the catalog's incremental streams only: a full refresh reads from start_date every time.

    The CDK hands a stream its state whatever the sync mode, and an orchestrator that keeps state between syncs
    would otherwise truncate every full refresh after the first.
    """
    if state and all(isinstance(message, AirbyteStateMessage) for message in state):
        state = [AirbyteStateMessageSerializer.dump(message) for message in state]
    full_refresh = {c.stream.name for c in catalog.streams if c.sync_mode == SyncMode.full_refresh}
    return {name: value for name, value in stream_states(state).items() if name not in full_refresh}


def as_state_messages(states: Mapping[str, Any]) -> list[AirbyteStateMessage]:
    return [
        AirbyteStateMessage(
            type=AirbyteStateType.STREAM,
            stream=AirbyteStreamState(
                stream_descriptor=StreamDescriptor(name=name),
                stream_state=AirbyteStateBlob(value),
            ),
        )
        for name, value in states.items()
    ]
