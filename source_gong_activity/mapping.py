"""Pure functions from Gong's JSON to the unified `activity` record; no I/O."""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional

# Gong's counter name -> the unified metric name (see ../shared/gong-api.md).
METRICS = {
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


class MalformedResponse(ValueError):
    """Gong's response lacks a field the unified record needs (unknown extra fields are fine)."""


def to_unified_metrics(counters: Mapping[str, Any], where: str) -> Dict[str, int]:
    if not isinstance(counters, dict):
        raise MalformedResponse(f"{where} is not an object of counters")
    metrics = {}
    for gong_name, metric in METRICS.items():
        value = counters.get(gong_name)
        if type(value) is not int:  # bool is an int subclass, and a hot path: checked once per counter
            raise MalformedResponse(f"{where} has no whole-number '{gong_name}' (got {value!r})")
        metrics[metric] = value
    return metrics


def to_unified_user(user_id: str, stats_email: Optional[str], directory_entry: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    """The record's `user`: name and email aliases from Gong's users endpoint when we have them."""
    if not directory_entry:
        emails = [{"email": stats_email, "is_primary": True}] if stats_email else []
        return {"id": user_id, "name": None, "emails": emails}
    primary = directory_entry.get("emailAddress") or stats_email
    emails = [{"email": primary, "is_primary": True}] if primary else []
    emails += [{"email": alias, "is_primary": False} for alias in directory_entry.get("emailAliases") or [] if alias and alias != primary]
    name = " ".join(part for part in (directory_entry.get("firstName"), directory_entry.get("lastName")) if part) or None
    return {"id": user_id, "name": name, "emails": emails}


def to_unified_record(
    *,
    user: Mapping[str, Any],
    aggregation_period: str,
    record_id: str,
    start_time: str,
    end_time: str,
    counters: Mapping[str, Any],
    remote_data: Mapping[str, Any],
    where: str,
) -> Dict[str, Any]:
    return {
        "id": record_id,
        "user": user,
        "start_time": start_time,
        "end_time": end_time,
        "aggregation_period": aggregation_period,
        "metrics": to_unified_metrics(counters, where),
        "created_at": None,
        "updated_at": None,
        "remote_data": remote_data,
    }


def records_by_period(
    response: Mapping[str, Any], aggregation_period: str, directory: Mapping[str, Mapping[str, Any]]
) -> List[Dict[str, Any]]:
    """Records of one /v2/stats/activity/aggregate-by-period page: one per user per period."""
    records = []
    for index, entry in enumerate(_list(response, "usersAggregateActivity")):
        where = f"usersAggregateActivity[{index}]"
        user_id = _text(entry, "userId", where)
        user = to_unified_user(user_id, entry.get("userEmailAddress"), directory.get(user_id))
        for period_index, item in enumerate(_list(entry, "userAggregateActivity", where)):
            item_where = f"{where}.userAggregateActivity[{period_index}]"
            start_time = _text(item, "fromDate", item_where)
            records.append(
                to_unified_record(
                    user=user,
                    aggregation_period=aggregation_period,
                    record_id=f"{user_id}:{aggregation_period}:{start_time[:10]}",
                    start_time=start_time,
                    end_time=_text(item, "toDate", item_where),
                    counters=item,
                    remote_data={"userId": user_id, "userEmailAddress": entry.get("userEmailAddress"), **item},
                    where=item_where,
                )
            )
    return records


def records_of_total(
    response: Mapping[str, Any], from_date: str, to_date: str, directory: Mapping[str, Mapping[str, Any]]
) -> List[Dict[str, Any]]:
    """Records of one /v2/stats/activity/aggregate page: one per user for the whole window."""
    start_time = _text(response, "fromDateTime", "the response")
    end_time = _text(response, "toDateTime", "the response")
    records = []
    for index, entry in enumerate(_list(response, "usersAggregateActivityStats")):
        where = f"usersAggregateActivityStats[{index}]"
        user_id = _text(entry, "userId", where)
        counters = entry.get("userAggregateActivityStats")
        records.append(
            to_unified_record(
                user=to_unified_user(user_id, entry.get("userEmailAddress"), directory.get(user_id)),
                aggregation_period="total",
                record_id=f"{user_id}:total:{from_date}:{to_date}",
                start_time=start_time,
                end_time=end_time,
                counters=counters,
                remote_data=entry,
                where=f"{where}.userAggregateActivityStats",
            )
        )
    return records


def _list(container: Mapping[str, Any], key: str, where: str = "the response") -> List[Any]:
    value = container.get(key) if isinstance(container, Mapping) else None
    if not isinstance(value, list):
        raise MalformedResponse(f"{where} has no list '{key}'")
    return value


def _text(container: Mapping[str, Any], key: str, where: str) -> str:
    value = container.get(key) if isinstance(container, Mapping) else None
    if not isinstance(value, str) or not value:
        raise MalformedResponse(f"{where} has no '{key}'")
    return value
