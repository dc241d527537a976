"""The `coaching` record (a manager's coaching of one direct report in one workspace over one period, from GET
/v2/coaching) and the `workspaces` record."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterator, Mapping
from typing import Any

from .ids import coaching_record_id
from .users import to_unified_user
from .values import MalformedResponse, gong_id, is_gong_id, listed, text


@dataclasses.dataclass(frozen=True)
class CoachingAsk:
    """What one GET /v2/coaching asked: a workspace, a manager, and the period [start, end) of company days, whose
    midnights (with the company's offset) were `from` and `to`."""

    workspace_id: str
    manager_id: str
    period: str
    start_date: str
    end_date: str
    start_time: str
    end_time: str
    time_zone: str


def records_of_coaching(
    body: Mapping[str, Any],
    ask: CoachingAsk,
    directory: Mapping[str, Mapping[str, Any]],
    report_ids: Collection[str] = (),
) -> Iterator[dict[str, Any]]:
    """One record per direct report Gong lists for the asked manager (only `report_ids`' when given); a report with
    no metrics still gets one, with empty `metrics`. Metric names are Gong's, whatever they are (an open map)."""
    for index, item in enumerate(listed(body, "coachingData", "the response")):
        where = f"coachingData[{index}]"
        manager = _person(item, "manager", where)
        if manager["id"] != ask.manager_id:
            raise MalformedResponse(f"{where} is about manager {manager['id']}, not the one asked ({ask.manager_id})")
        for report_index, entry in enumerate(listed(item, "directReportsMetrics", where)):
            report_where = f"{where}.directReportsMetrics[{report_index}]"
            report = _person(entry, "report", report_where)
            if report_ids and report["id"] not in report_ids:
                continue
            call_ids = _call_ids(entry, report_where)
            yield {
                "id": coaching_record_id(ask.workspace_id, ask.manager_id, report["id"], ask.start_date),
                "workspace_id": ask.workspace_id,
                "manager": to_unified_user(manager["id"], manager["email"], directory.get(manager["id"])),
                "report": to_unified_user(report["id"], report["email"], directory.get(report["id"])),
                "period": ask.period,
                "start_date": ask.start_date,
                "end_date": ask.end_date,
                "start_time": ask.start_time,
                "end_time": ask.end_time,
                "metrics": {name: len(ids) for name, ids in call_ids.items()},
                "call_ids": call_ids,
                "company_time_zone": ask.time_zone,
                "remote_data": {"manager": item.get("manager"), **entry},
            }


def _person(container: Any, key: str, where: str) -> dict[str, Any]:
    value = container.get(key) if isinstance(container, dict) else None
    if not isinstance(value, dict):
        raise MalformedResponse(f"{where} has no object '{key}'")
    try:
        person_id = gong_id(value, "id")
        email = text(value, "emailAddress")
    except MalformedResponse as error:
        raise MalformedResponse(f"{where}.{key} {error}") from None
    if person_id is None:
        raise MalformedResponse(f"{where}.{key} has no 'id'")
    return {"id": person_id, "email": email}


def _call_ids(entry: Mapping[str, Any], where: str) -> dict[str, list[str]]:
    """Each metric's call ids as decimal strings (the contract types them as strings; a number keeps its digits)."""
    metrics = entry.get("metrics")
    if metrics is None:
        return {}
    if not isinstance(metrics, dict):
        raise MalformedResponse(f"{where} has no object 'metrics'")
    result = {}
    for name, ids in metrics.items():
        if ids is None:
            ids = []
        if not isinstance(ids, list) or not all(is_gong_id(call_id) for call_id in ids):
            raise MalformedResponse(f"{where}.metrics has no list of call ids '{name}' (got {ids!r})")
        result[name] = [str(call_id) for call_id in ids]
    return result


def to_workspaces_record(workspace: Mapping[str, Any]) -> dict[str, Any]:
    """A record of the `workspaces` stream: Gong's WorkspaceMetadata, its id as a decimal string."""
    item = dict(workspace)
    identifier = gong_id(item, "id")
    if identifier is None:
        raise MalformedResponse("a workspace has no 'id'")
    return {"id": identifier, "name": text(item, "name"), "description": text(item, "description")}
