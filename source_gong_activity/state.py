"""The `activity` stream's saved state: where the next sync starts, and the company's time zone once Gong told it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import pendulum
from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

_DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})")


@dataclasses.dataclass(frozen=True)
class ActivityState:
    """`{"start_time": "YYYY-MM-DD", "company_time_zone": "US/Pacific"}`; both keys optional.

    `start_time` is the first day of the oldest period that may still change: the next sync starts there.
    """

    start: dt.date | None = None
    company_time_zone: str | None = None

    @classmethod
    def parse(cls, value: Any) -> ActivityState:
        if not value:
            return cls()
        if not isinstance(value, Mapping):
            raise _corrupt(f"it must be an object, got {type(value).__name__}")
        return cls(start=_start(value.get("start_time")), company_time_zone=_time_zone(value.get("company_time_zone")))

    def moved_to(self, start: dt.date) -> ActivityState:
        return dataclasses.replace(self, start=start)

    def with_time_zone(self, time_zone: str) -> ActivityState:
        return dataclasses.replace(self, company_time_zone=time_zone)

    def as_message(self) -> dict[str, Any]:
        message: dict[str, Any] = {}
        if self.start is not None:
            message["start_time"] = self.start.isoformat()
        if self.company_time_zone:
            message["company_time_zone"] = self.company_time_zone
        return message


def _start(value: Any) -> dt.date | None:
    if value is None:
        return None
    # A full timestamp (a record's start_time copied by hand) counts by its calendar day.
    match = _DATE_PREFIX.match(value) if isinstance(value, str) else None
    try:
        return dt.date.fromisoformat(match.group(1)) if match else _raise(value)
    except ValueError:
        raise _corrupt(f"'start_time' must be a date YYYY-MM-DD, got {value!r}") from None


def _time_zone(value: Any) -> str | None:
    if value is None:
        return None
    try:
        pendulum.timezone(value)
    except Exception:
        raise _corrupt(f"'company_time_zone' must be a time zone name such as 'US/Pacific', got {value!r}") from None
    return value


def _raise(value: Any) -> dt.date:
    raise ValueError(value)


def _corrupt(problem: str) -> AirbyteTracedException:
    message = f"The saved state of stream 'activity' is not usable: {problem}. Fix the state or reset the stream."
    return AirbyteTracedException(message=message, internal_message=message, failure_type=FailureType.config_error)


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
