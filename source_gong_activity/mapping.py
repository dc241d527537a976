"""Pure functions from Gong's JSON to the unified `activity` record; no I/O."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any


class MalformedResponse(ValueError):
    """Gong's response lacks a field the unified record needs (unknown extra fields are fine)."""


def unified_metrics(counters: Any) -> dict[str, Any]:
    """Gong's 15 counters under their unified names (see ../shared/gong-api.md).

    Spelled out rather than looped over a table: this runs once per record (650k for a year of days of 2,000 users)
    and a dict display takes half the time of dict(zip(...)).
    """
    return {
        "calls_hosted": counters["callsAsHost"],
        "calls_attended": counters["callsAttended"],
        "calls_listened_own": counters["ownCallsListenedTo"],
        "calls_listened_others": counters["othersCallsListenedTo"],
        "feedback_given": counters["callsGaveFeedback"],
        "feedback_received": counters["callsReceivedFeedback"],
        "feedback_requested": counters["callsRequestedFeedback"],
        "comments_given": counters["callsCommentsGiven"],
        "comments_received": counters["callsCommentsReceived"],
        "calls_shared_internally": counters["callsSharedInternally"],
        "calls_shared_externally": counters["callsSharedExternally"],
        "scorecards_filled": counters["callsScorecardsFilled"],
        "scorecards_received": counters["callsScorecardsReceived"],
        "calls_marked_feedback_given": counters["callsMarkedAsFeedbackGiven"],
        "calls_marked_feedback_received": counters["callsMarkedAsFeedbackReceived"],
    }


# Gong's counter name -> the unified metric name (../shared/gong-api.md); `unified_metrics` spells out the same
# pairs for speed, and a unit test holds the two equal.
METRICS: dict[str, str] = {
    "callsAsHost": "calls_hosted",
    "callsAttended": "calls_attended",
    "ownCallsListenedTo": "calls_listened_own",
    "othersCallsListenedTo": "calls_listened_others",
    "callsGaveFeedback": "feedback_given",
    "callsReceivedFeedback": "feedback_received",
    "callsRequestedFeedback": "feedback_requested",
    "callsCommentsGiven": "comments_given",
    "callsCommentsReceived": "comments_received",
    "callsSharedInternally": "calls_shared_internally",
    "callsSharedExternally": "calls_shared_externally",
    "callsScorecardsFilled": "scorecards_filled",
    "callsScorecardsReceived": "scorecards_received",
    "callsMarkedAsFeedbackGiven": "calls_marked_feedback_given",
    "callsMarkedAsFeedbackReceived": "calls_marked_feedback_received",
}
_ONLY_INT = frozenset({int})  # bool is an int subclass, and not a count


def to_unified_metrics(counters: Any) -> dict[str, int]:
    """The 15 unified metrics, checked in bulk (this runs once per record); explained only when something is wrong."""
    try:
        metrics = unified_metrics(counters)
    except (KeyError, TypeError):
        metrics = None
    if metrics is None or not _ONLY_INT.issuperset(map(type, metrics.values())):
        raise MalformedResponse(complaint(counters, lambda value: type(value) is int, "counters", "whole-number"))
    return metrics


def complaint(source: Any, valid: Callable[[Any], bool], things: str, thing: str) -> str:
    """What is wrong with an object that should hold the 15 Gong counters, each `valid`."""
    if not isinstance(source, dict):
        return f"is not an object of {things}"
    for gong_name in METRICS:
        value = source.get(gong_name)
        if not valid(value):
            return f"has no {thing} '{gong_name}' (got {value!r})"
    return f"has unreadable {things}"


def to_unified_user(user_id: str, stats_email: str | None, directory_entry: Mapping[str, Any] | None) -> dict[str, Any]:
    """The record's `user`: name and email aliases from Gong's users endpoint when we have them."""
    if not directory_entry:
        emails = [{"email": stats_email, "is_primary": True}] if stats_email else []
        return {"id": user_id, "name": None, "emails": emails}
    primary = directory_entry.get("emailAddress") or stats_email
    emails = [{"email": primary, "is_primary": True}] if primary else []
    emails += [
        {"email": alias, "is_primary": False}
        for alias in directory_entry.get("emailAliases") or []
        if alias and alias != primary
    ]
    name = (
        " ".join(part for part in (directory_entry.get("firstName"), directory_entry.get("lastName")) if part) or None
    )
    return {"id": user_id, "name": name, "emails": emails}


def to_unified_record(
    record_id: str,
    user: Mapping[str, Any],
    aggregation_period: str,
    start_time: str,
    end_time: str,
    counters: Any,
    remote_data: Mapping[str, Any],
    company_time_zone: str | None = None,
) -> dict[str, Any]:
    """One unified record; `start_date`/`end_date` are the period's days in the company's calendar.

    Gong's times carry the company's offset (`2026-11-30T00:00:00+09:00`), so their first ten characters are the
    company's day: a warehouse that stores instants in UTC would put a Tokyo Monday on Sunday, the date never.
    Slicing rather than parsing keeps this cheap, as it runs once per record.
    """
    return {
        "id": record_id,
        "user": user,
        "start_time": start_time,
        "end_time": end_time,
        "start_date": start_time[:10],
        "end_date": end_time[:10],
        "company_time_zone": company_time_zone,
        "aggregation_period": aggregation_period,
        "metrics": to_unified_metrics(counters),
        "created_at": None,
        "updated_at": None,
        "remote_data": remote_data,
    }


def users_of_page(
    response: Any, key: str, directory: Mapping[str, Mapping[str, Any]]
) -> Iterator[tuple[Mapping[str, Any], str, str, str | None, dict[str, Any]]]:
    """Each user entry of a stats page's list `key`: (the entry, where it stands for messages, its user id, its stats
    email, its unified `user`). Every stats endpoint pages over users this way."""
    for index, entry in enumerate(required_list(response, key, "the response")):
        where = f"{key}[{index}]"
        user_id = required_text(entry, "userId", where)
        email = entry.get("userEmailAddress")
        yield entry, where, user_id, email, to_unified_user(user_id, email, directory.get(user_id))


def records_by_period(
    response: Mapping[str, Any], aggregation_period: str, directory: Mapping[str, Mapping[str, Any]]
) -> Iterator[dict[str, Any]]:
    """Records of one /v2/stats/activity/aggregate-by-period page: one per user per period, made one at a time
    so that a page of a hundred users' year of days is never held twice in memory."""
    time_zone = page_time_zone(response)
    for entry, where, user_id, email, user in users_of_page(response, "usersAggregateActivity", directory):
        id_prefix = f"{user_id}:{aggregation_period}:"
        for period_index, item in enumerate(required_list(entry, "userAggregateActivity", where)):
            try:
                start_time = required_text(item, "fromDate")
                yield to_unified_record(
                    id_prefix + start_time[:10],  # the period's calendar day in the company's zone
                    user,
                    aggregation_period,
                    start_time,
                    required_text(item, "toDate"),
                    item,
                    {"userId": user_id, "userEmailAddress": email, **item},
                    time_zone,
                )
            except MalformedResponse as error:
                # The location is built only on failure: this loop runs once per record.
                raise MalformedResponse(f"{where}.userAggregateActivity[{period_index}] {error}") from None


def records_of_total(
    response: Mapping[str, Any], from_date: str, to_date: str, directory: Mapping[str, Mapping[str, Any]]
) -> Iterator[dict[str, Any]]:
    """Records of one /v2/stats/activity/aggregate page: one per user for the whole window."""
    start_time = required_text(response, "fromDateTime", "the response")
    end_time = required_text(response, "toDateTime", "the response")
    time_zone = page_time_zone(response)
    for entry, where, user_id, _, user in users_of_page(response, "usersAggregateActivityStats", directory):
        try:
            yield to_unified_record(
                f"{user_id}:total:{from_date}:{to_date}",
                user,
                "total",
                start_time,
                end_time,
                entry.get("userAggregateActivityStats"),
                entry,
                time_zone,
            )
        except MalformedResponse as error:
            raise MalformedResponse(f"{where}.userAggregateActivityStats {error}") from None


def required_list(container: Any, key: str, where: str) -> list[Any]:
    value = container.get(key) if isinstance(container, dict) else None
    if not isinstance(value, list):
        raise MalformedResponse(f"{where} has no list '{key}'")
    return value


def required_text(container: Any, key: str, where: str = "") -> str:
    value = container.get(key) if isinstance(container, dict) else None
    if type(value) is not str or not value:
        raise MalformedResponse(f"{where} has no '{key}'".lstrip())
    return value


def page_time_zone(response: Mapping[str, Any]) -> str | None:
    """The company's IANA zone from the page's top-level `timeZone`; None when Gong gives none (the field is
    nullable) rather than a failure, as the counters are still right without it."""
    value = response.get("timeZone") if isinstance(response, dict) else None
    return value if type(value) is str and value else None
