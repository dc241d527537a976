"""The `interaction_stats` record: how a rep talks (talk ratio, monologues, patience, ...) in one period or window."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ..calendar.days import company_date
from .activity import window_bounds
from .ids import record_id
from .users import users_of_page
from .values import MalformedResponse, listed

# Gong's stat names as the unified metric names; every one is present in a record (null when Gong gives none).
KNOWN_STATS = (
    "talk_ratio",
    "longest_monologue",
    "longest_customer_story",
    "interactivity",
    "patience",
    "question_rate",
)
_NOT_A_WORD = re.compile(r"[^0-9a-z]+")


def metric_name(gong_name: str) -> str:
    """`Longest Customer Story` -> `longest_customer_story`: lower case, words joined by `_`."""
    return _NOT_A_WORD.sub("_", gong_name.lower()).strip("_")


def records_of_interaction(
    response: Mapping[str, Any],
    period: str,
    from_date: str,
    to_date: str,
    directory: Mapping[str, Mapping[str, Any]],
    time_zone: str | None,
) -> Iterator[dict[str, Any]]:
    """Records of one /v2/stats/interaction page: one per user for the window, which is one period (or `total`)."""
    start_time, end_time = window_bounds(response, from_date, to_date, time_zone)
    start_date, end_date = company_date(start_time, time_zone), company_date(end_time, time_zone)
    for entry, where, user_id, _, user in users_of_page(response, "peopleInteractionStats", directory):
        yield {
            "id": record_id(user_id, period, from_date, to_date),
            "user": user,
            "start_time": start_time,
            "end_time": end_time,
            "start_date": start_date,  # the company's calendar day, as in `activity`
            "end_date": end_date,
            "company_time_zone": time_zone,
            "aggregation_period": period,
            "metrics": to_interaction_metrics(listed(entry, "personInteractionStats", where), where),
            "created_at": None,
            "updated_at": None,
            "remote_data": entry,
        }


def to_interaction_metrics(stats: list[Any], where: str) -> dict[str, float | int | None]:
    """Every known stat (null when absent), and any stat Gong adds later under the same naming rule."""
    metrics: dict[str, float | int | None] = dict.fromkeys(KNOWN_STATS)
    for index, stat in enumerate(stats):
        name = stat.get("name") if isinstance(stat, dict) else None
        value = stat.get("value") if isinstance(stat, dict) else None
        if not isinstance(name, str) or not metric_name(name):
            raise MalformedResponse(f"{where}.personInteractionStats[{index}] has no 'name'")
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise MalformedResponse(f"{where}.personInteractionStats[{index}] ({name}) has no numeric value: {value!r}")
        metrics[metric_name(name)] = value
    return metrics
