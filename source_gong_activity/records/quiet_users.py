"""Zero records for quiet users: Gong sends no record for a user without activity in a period, which leaves them out of
every average; with `include_quiet_users`, each active user gets a record of zeros where Gong sent none."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Any

from ..calendar.days import company_date, company_midnight, parse_day
from ..calendar.periods import Window
from .ids import record_id
from .metrics import ZERO_METRICS
from .users import to_unified_user


def quiet_user_records(
    periods: list[Window],
    users: Iterable[Mapping[str, Any]],
    user_ids: Collection[str],
    seen: Collection[str],
    aggregation_period: str,
    time_zone: str | None,
) -> Iterator[dict[str, Any]]:
    """For each period of a window, a zero record for every user Gong listed as active, created before the period
    ends (and among `user_ids`, if given), whose record id Gong did not send (`seen`).

    The id is the one Gong's record would have, so a later sync that finds late activity replaces the zeros when
    the destination deduplicates.
    """
    for user_id, user, created in _countable_users(users, user_ids, time_zone):
        for start, end in periods:
            zero_id = record_id(user_id, aggregation_period, start.isoformat(), end.isoformat())
            if (created is None or created < end) and zero_id not in seen:
                yield zero_record(zero_id, user, aggregation_period, start, end, time_zone)


def zero_record(
    identifier: str,
    user: Mapping[str, Any],
    aggregation_period: str,
    start: dt.date,
    end: dt.date,
    time_zone: str | None,
) -> dict[str, Any]:
    return {
        "id": identifier,
        "user": user,
        "start_time": company_midnight(start, time_zone),
        "end_time": company_midnight(end, time_zone),
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "company_time_zone": time_zone,
        "aggregation_period": aggregation_period,
        "metrics": dict(ZERO_METRICS),
        "zero_filled": True,
        "created_at": None,
        "updated_at": None,
        "remote_data": None,
    }


def _countable_users(
    users: Iterable[Mapping[str, Any]], user_ids: Collection[str], time_zone: str | None
) -> Iterator[tuple[str, dict[str, Any], dt.date | None]]:
    """(id, unified user, the company's day the account was created) of each user counted: active in Gong's list
    (a user whose `active` Gong does not send is not counted), and among `user_ids` when given."""
    for entry in users:
        user_id = str(entry.get("id"))
        if entry.get("active") is not True or (user_ids and user_id not in user_ids):
            continue
        yield user_id, to_unified_user(user_id, None, entry), _created_day(entry.get("created"), time_zone)


def _created_day(created: Any, time_zone: str | None) -> dt.date | None:
    """The company's day the account was created; None (counted in every period) when Gong gives none we can read."""
    return parse_day(company_date(created, time_zone)) if isinstance(created, str) else None
