"""A stats stream's saved state: where the next sync starts, and the company's time zone once Gong told it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from ..calendar.days import is_known_time_zone, parse_day


@dataclasses.dataclass(frozen=True)
class StatsState:
    """`{"start_time": "YYYY-MM-DD", "company_time_zone": "US/Pacific"}`; both keys optional.

    `start_time` is the first day of the oldest period that may still change: the next sync starts there.
    """

    start: dt.date | None = None
    company_time_zone: str | None = None

    @classmethod
    def parse(cls, value: Any, stream: str) -> StatsState:
        if not value:
            return cls()
        if not isinstance(value, Mapping):
            raise _corrupt(stream, f"it must be an object, got {type(value).__name__}")
        return cls(
            start=_start(value.get("start_time"), stream),
            company_time_zone=_time_zone(value.get("company_time_zone"), stream),
        )

    def moved_to(self, start: dt.date) -> StatsState:
        return dataclasses.replace(self, start=start)

    def with_time_zone(self, time_zone: str | None) -> StatsState:
        return dataclasses.replace(self, company_time_zone=time_zone or self.company_time_zone)

    def as_message(self) -> dict[str, Any]:
        message: dict[str, Any] = {}
        if self.start is not None:
            message["start_time"] = self.start.isoformat()
        if self.company_time_zone:
            message["company_time_zone"] = self.company_time_zone
        return message


def _start(value: Any, stream: str) -> dt.date | None:
    if value is None:
        return None
    # A full timestamp (a record's start_time copied by hand) counts by its calendar day.
    day = parse_day(value[:10]) if isinstance(value, str) else None
    if day is not None:
        return day
    raise _corrupt(stream, f"'start_time' must be a date YYYY-MM-DD, got {value!r}")


def _time_zone(value: Any, stream: str) -> str | None:
    if value is None:
        return None
    if not is_known_time_zone(value):
        raise _corrupt(stream, f"'company_time_zone' must be a time zone name such as 'US/Pacific', got {value!r}")
    return value


def _corrupt(stream: str, problem: str) -> AirbyteTracedException:
    message = f"The saved state of stream '{stream}' is not usable: {problem}. Fix the state or reset the stream."
    return AirbyteTracedException(message=message, internal_message=message, failure_type=FailureType.config_error)
