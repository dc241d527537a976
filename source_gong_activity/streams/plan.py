"""The cost line: what a stats stream's sync will ask of Gong's daily quota, said before its first call."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .engine import StatsStream

DAILY_QUOTA = 10_000  # Gong's default: calls a day per company
PAGE_SIZE = 100  # Gong's page size for the stats endpoints: 100 users, or 100 answered scorecards


def planned_calls(stream: StatsStream) -> str:
    """What a sync of `stream` will ask of Gong: one call series per window, one call per page of up to 100 users
    (or of whatever else the endpoint pages over)."""
    series = sum(1 for _ in stream.stream_slices())
    plan = f"Stream '{stream.name}' plans {series:,} window(s) of {stream.period} data"
    if stream.pages_over == "managers":
        # Who is asked is known only from the users and workspaces lookups: the exact count follows them.
        return (
            f"{plan}: one call per workspace, manager and {stream.period}; the exact count is said once the users and "
            "workspaces lookups name the managers, before the first coaching call."
        )
    if stream.pages_over != "users":
        # Nothing in the config bounds how many there are: the plan names the rate and the least it costs.
        with_lookups = series + stream.lookup_calls
        return (
            f"{plan}: one call for every {PAGE_SIZE} {stream.pages_over} in a window, at least one a window (Gong "
            f"pages over {stream.pages_over}, not users){_lookups(stream.lookup_calls, series)}, "
            f"{with_lookups / DAILY_QUOTA:.2%} of Gong's {DAILY_QUOTA:,} calls a day."
        )
    if stream.config.user_ids:
        calls = series * -(-len(stream.config.user_ids) // PAGE_SIZE)
        return f"{plan}: {calls:,} calls, {calls / DAILY_QUOTA:.1%} of Gong's {DAILY_QUOTA:,} calls a day."
    return (
        f"{plan}: {series:,} calls for every {PAGE_SIZE} users, {series / DAILY_QUOTA:.2%} of Gong's "
        f"{DAILY_QUOTA:,} calls a day per {PAGE_SIZE} users."
    )


def _lookups(calls: int, series: int) -> str:
    """The least a stream's sync costs, with its once-per-sync lookup calls (today: the scorecard settings, made
    when the first review arrives, so a sync without any makes none)."""
    if not calls:
        return f": at least {series:,} calls"
    return (
        f", plus {calls} for the scorecard settings once a review arrives (shared with 'scorecards'): at least "
        f"{series:,} calls, {series + calls:,} with reviews"
    )


def planned_settings_call() -> str:
    """The `scorecards` stream's cost: one call, which `answered_scorecards` shares when both are synced."""
    return (
        f"Stream 'scorecards' plans 1 call (GET /v2/settings/scorecards, shared with 'answered_scorecards'), "
        f"{1 / DAILY_QUOTA:.2%} of Gong's {DAILY_QUOTA:,} calls a day."
    )


def coaching_cost(stream: str, period: str, periods: int, workspaces: int, managers: int) -> str:
    """The cost of a coaching sync, said once the workspaces and managers are known and before its first call: one
    call per workspace, manager and period, in days of Gong's quota when it is more than one."""
    calls = periods * workspaces * managers
    share = f"{calls / DAILY_QUOTA:.1f} days" if calls > DAILY_QUOTA else f"{calls / DAILY_QUOTA:.1%}"
    return (
        f"Stream '{stream}' plans {calls:,} calls, one per workspace, manager and {period}: {workspaces:,} "
        f"workspace(s) x {managers:,} manager(s) x {periods:,} {period}(s), {share} of Gong's {DAILY_QUOTA:,} calls a "
        "day."
    )
