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
