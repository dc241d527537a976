"""What the quick start prints and draws from its DuckDB file: range, top users, weekly totals, quiet users, a chart."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
CHART_METRICS = ("calls_hosted", "calls_attended", "calls_listened_others", "feedback_given", "comments_given")
SOURCE_TABLE = "gong._quickstart_source"


class QuickStartError(Exception):
    """A problem the user can fix, told in one sentence on stderr (never a traceback)."""


def claim(database: Path, source: str) -> None:
    """Refuses a database that holds another source's sync, so two tenants never end up in one table."""
    import duckdb

    with duckdb.connect(str(database)) as db:
        db.execute("CREATE SCHEMA IF NOT EXISTS gong")
        db.execute(f"CREATE TABLE IF NOT EXISTS {SOURCE_TABLE} (source VARCHAR NOT NULL)")
        owner = db.execute(f"SELECT source FROM {SOURCE_TABLE}").fetchone()
        if owner is None:
            db.execute(f"INSERT INTO {SOURCE_TABLE} VALUES (?)", [source])
        elif owner[0] != source:
            raise QuickStartError(
                f"{database} holds the sync of {owner[0]}, not of {source}; rename your config file or move that "
                "database away, so the two sources never share a table."
            )


@dataclass(frozen=True)
class Week:
    monday: dt.date
    first: dt.date  # the first day of the week inside the synced range
    last: dt.date

    @property
    def is_partial(self) -> bool:
        return (self.first, self.last) != (self.monday, self.monday + dt.timedelta(days=6))

    @property
    def label(self) -> str:
        days = WEEKDAYS[self.first.weekday()]
        if self.last != self.first:
            days += "-" + WEEKDAYS[self.last.weekday()]
        return f"week of {self.first} ({days}{', partial' if self.is_partial else ''})"


def weeks_of(first_day: dt.date, last_day: dt.date, mondays: Sequence[dt.date]) -> list[Week]:
    return [Week(monday, max(monday, first_day), min(monday + dt.timedelta(days=6), last_day)) for monday in mondays]


def summarize(db: Any, database: Path, table: str, output: Path) -> None:
    first_day, end_day, time_zone, records, zero_filled = _rows(
        db,
        "SELECT min(start_date), max(end_date), any_value(company_time_zone), count(*), "
        f"count(*) FILTER (WHERE zero_filled) FROM {table}",
    )[0]
    if not records:
        print(f"\n{table} in {database} has no records: Gong reported no activity in the range.")
        return
    last_day = end_day - dt.timedelta(days=1)
    days = (last_day - first_day).days + 1
    print(
        f"\nDatabase: {database}, table {table}: {records} records ({records - zero_filled} from Gong, "
        f"{zero_filled} zero-filled for active users without activity)."
    )
    print(
        f"Date range: {first_day} ({WEEKDAYS[first_day.weekday()]}) to {last_day} ({WEEKDAYS[last_day.weekday()]}), "
        f"{days} days in the company's time zone {time_zone or '(not given by Gong)'}."
    )
    top = _rows(db, TOP_USERS.format(table=table))
    print(f"\nTop 10 users by calls hosted, {first_day} to {last_day}:")
    _print_table(["name", "email", "calls_hosted", "calls_attended", "listened_to_others"], top)
    weeks, weekly = _print_weekly_totals(db, table, first_day, last_day)
    print("\n" + quiet_users_line(*_rows(db, QUIET_USERS.format(table=table))[0]))
    chart = output / f"{database.stem}-weekly.png"
    draw_chart(chart, weeks, weekly, top, f"{first_day} to {last_day}, {time_zone or 'company time zone'}")
    print(f"Chart of the weekly totals and the top users: {chart}")


def _print_weekly_totals(db: Any, table: str, first_day: dt.date, last_day: dt.date) -> tuple[list[Week], list]:
    weekly = _rows(db, WEEKLY_TOTALS.format(table=table))
    weeks = weeks_of(first_day, last_day, [row[0] for row in weekly])
    print(f"\nWeekly totals, {first_day} to {last_day} (weeks start on Monday; a partial week has fewer days):")
    _print_table(
        ["week", "days", "users", "quiet", "calls_hosted", "hosted_per_user", "feedback_given", "scorecards_filled"],
        [
            [week.label, (week.last - week.first).days + 1, *row[1:3], row[3], _per(row[3], row[1]), *row[4:6]]
            for week, row in zip(weeks, weekly, strict=True)
        ],
    )
    return weeks, weekly


def _per(total: int, users: int) -> str:
    return f"{total / users:.2f}" if users else "-"


def quiet_users_line(quiet: int, users: int) -> str:
    return (
        f"Users without activity in the range: {quiet} of the {users} users in the data (Gong sends nothing for "
        "them; the connector's zero-filled records keep them in every per-user average)."
    )


def draw_chart(
    path: Path, weeks: list[Week], weekly: list[Sequence[Any]], top: list[Sequence[Any]], title: str
) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display: render straight to the PNG
    import matplotlib.pyplot as plt

    figure, (trend, leaders) = plt.subplots(1, 2, figsize=(14, 6), gridspec_kw={"width_ratios": [3, 2]})
    labels = [f"{week.first:%m-%d}{'*' if week.is_partial else ''}" for week in weeks]
    partial = [index for index, week in enumerate(weeks) if week.is_partial]
    for offset, metric in enumerate(CHART_METRICS):
        values = [row[6 + offset] for row in weekly]
        # Only whole weeks are joined by a solid line: a partial week's lower total is not a drop.
        whole = [math.nan if week.is_partial else value for week, value in zip(weeks, values, strict=True)]
        color = trend.plot(labels, whole, marker="o", label=metric)[0].get_color()
        trend.plot(labels, values, ":", color=color, linewidth=1)
        trend.plot([labels[i] for i in partial], [values[i] for i in partial], "o", mfc="white", color=color)
    quiet = trend.twinx()  # users without activity, from the zero-filled records
    quiet.bar(labels, [row[2] for row in weekly], color="tab:gray", alpha=0.25, label="users without activity")
    quiet.set_ylabel("users without activity (bars)")
    quiet.set_zorder(trend.get_zorder() - 1)
    trend.patch.set_visible(False)
    trend.set_title(f"Weekly totals, {title}\n(* partial week: fewer than 7 days, hollow marker, dotted line)")
    trend.set_xlabel("week starting")
    trend.tick_params(axis="x", rotation=60)
    trend.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=3, fontsize="small")
    trend.grid(alpha=0.3)
    names = [row[0] or row[1] or "?" for row in reversed(top)]
    leaders.barh(names, [row[2] for row in reversed(top)], color="tab:blue")
    leaders.set_title("Top 10 users by calls hosted")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


TOP_USERS = """
SELECT a."user"->>'name' AS name,
       list_filter(CAST(a."user"->'emails' AS JSON[]), e -> CAST(e->'is_primary' AS BOOLEAN))[1]->>'email' AS email,
       sum(CAST(metrics->>'calls_hosted' AS BIGINT)) AS calls_hosted,
       sum(CAST(metrics->>'calls_attended' AS BIGINT)) AS calls_attended,
       sum(CAST(metrics->>'calls_listened_others' AS BIGINT)) AS listened_to_others
FROM {table} AS a GROUP BY a."user"->>'id', 1, 2 ORDER BY 3 DESC, 1 LIMIT 10
"""

# Per week: the users in the data, those of them without activity (only zero-filled records), then the sums.
WEEKLY_TOTALS = (
    """
SELECT CAST(date_trunc('week', start_date) AS DATE) AS monday,
       count(DISTINCT "user"->>'id') AS users,
       count(DISTINCT "user"->>'id') - count(DISTINCT "user"->>'id') FILTER (WHERE NOT zero_filled) AS quiet,
       sum(CAST(metrics->>'calls_hosted' AS BIGINT)),
       sum(CAST(metrics->>'feedback_given' AS BIGINT)),
       sum(CAST(metrics->>'scorecards_filled' AS BIGINT)),
"""
    + ",\n".join(f"       sum(CAST(metrics->>'{metric}' AS BIGINT))" for metric in CHART_METRICS)
    + """
FROM {table} GROUP BY 1 ORDER BY 1
"""
)


QUIET_USERS = """
SELECT count(*) FILTER (WHERE quiet), count(*)
FROM (SELECT "user"->>'id', bool_and(zero_filled) AS quiet FROM {table} GROUP BY 1)
"""


def _rows(db: Any, sql: str) -> list[Sequence[Any]]:
    from sqlalchemy import text

    return [tuple(row) for row in db.execute(text(sql)).fetchall()]


def _print_table(headers: list[str], rows: list[Sequence[Any]]) -> None:
    cells = [[str(value) for value in row] for row in rows]
    widths = [max(len(text) for text in column) for column in zip(headers, *cells, strict=False)]
    for row in [headers, ["-" * width for width in widths], *cells]:
        print("  ".join(text.ljust(width) for text, width in zip(row, widths, strict=False)))
