"""The one rule for a stats record's id: every stream that counts a user's period builds it here, so quiet users'
zero rows, `activity_calls` and `activity` name the same user-period alike."""

from __future__ import annotations


def record_id(user_id: str, period: str, start_date: str, end_date: str | None = None) -> str:
    """`<user>:<period>:<first day>` for a calendar period; `<user>:total:<first day>:<end day>` for a window, which
    only its two ends name (`end_date` is needed for that alone). Days are the company's, the end exclusive."""
    if period == "total":
        if end_date is None:
            raise ValueError("a total's record id names the window's end day")
        return f"{user_id}:total:{start_date}:{end_date}"
    return f"{user_id}:{period}:{start_date}"


def coaching_record_id(workspace_id: str, manager_id: str, report_id: str, start_date: str) -> str:
    """`<workspace>:<manager>:<report>:<period's first day>`: a manager's coaching of one report in one workspace over
    one period (its kind is the stream's `coaching_period`), the first day the company's."""
    return f"{workspace_id}:{manager_id}:{report_id}:{start_date}"
