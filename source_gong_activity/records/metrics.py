"""Gong's 15 activity counters and their unified names: one table, read by `activity`, `activity_calls` (whose lists
of call ids carry the same names) and quiet users' zero rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .values import MalformedResponse


def unified_metrics(counters: Any) -> dict[str, Any]:
    """Gong's 15 counters under their unified names (see ../shared/gong-api.md); None for one Gong did not send.

    This is the table of the 15 names (`METRICS` is read off it). Spelled out rather than looped over a table: this
    runs once per record (650k for a year of days of 2,000 users) and a dict display takes a third of the time of a
    comprehension over the pairs.
    """
    get = counters.get
    return {
        "calls_hosted": get("callsAsHost"),
        "calls_attended": get("callsAttended"),
        "calls_listened_own": get("ownCallsListenedTo"),
        "calls_listened_others": get("othersCallsListenedTo"),
        "feedback_given": get("callsGaveFeedback"),
        "feedback_received": get("callsReceivedFeedback"),
        "feedback_requested": get("callsRequestedFeedback"),
        "comments_given": get("callsCommentsGiven"),
        "comments_received": get("callsCommentsReceived"),
        "calls_shared_internally": get("callsSharedInternally"),
        "calls_shared_externally": get("callsSharedExternally"),
        "scorecards_filled": get("callsScorecardsFilled"),
        "scorecards_received": get("callsScorecardsReceived"),
        "calls_marked_feedback_given": get("callsMarkedAsFeedbackGiven"),
        "calls_marked_feedback_received": get("callsMarkedAsFeedbackReceived"),
    }


class _GongNames:
    """Answers every counter with its own Gong name, so that `unified_metrics` reads out its table."""

    @staticmethod
    def get(gong_name: str) -> str:
        return gong_name


# Gong's counter name -> the unified metric name, in Gong's order: the pairs `unified_metrics` spells out.
METRICS: dict[str, str] = {gong: unified for unified, gong in unified_metrics(_GongNames).items()}
ZERO_METRICS: dict[str, int] = dict.fromkeys(METRICS.values(), 0)
# bool is an int subclass, and not a count; None is a counter Gong did not send (its contract requires none).
_INT_OR_NONE = frozenset({int, type(None)})


def to_unified_metrics(counters: Any) -> dict[str, int | None]:
    """The 15 unified metrics, checked in bulk (this runs once per record); explained only when something is wrong.

    A counter that Gong left out (or sent as null) is null in the record: the record says what Gong did not send.
    An item with no counters at all (or null) is all nulls."""
    if counters is None:
        counters = {}
    try:
        metrics = unified_metrics(counters)
    except AttributeError:
        metrics = None
    if metrics is None or not _INT_OR_NONE.issuperset(map(type, metrics.values())):
        raise MalformedResponse(complaint(counters, _is_count, "counters", "whole-number"))
    return metrics


def _is_count(value: Any) -> bool:
    return value is None or type(value) is int


def complaint(source: Any, valid: Callable[[Any], bool], things: str, thing: str) -> str:
    """What is wrong with an object that should hold the 15 Gong counters, each `valid` (or missing)."""
    if not isinstance(source, dict):
        return f"is not an object of {things}"
    for gong_name in METRICS:
        value = source.get(gong_name)
        if not valid(value):
            return f"has no {thing} '{gong_name}' (got {value!r})"
    return f"has unreadable {things}"
