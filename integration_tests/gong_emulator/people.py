"""The synthetic company's users: ids, names, emails and profiles, in one creation order fixed by the seed."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from collections.abc import Callable

from .names import COMPANIES, FIRST_NAMES, LAST_NAMES, TITLES

QUIET_USER_SHARE = 0.10
NEW_QUIET_USER_SHARE = 0.5  # of the quiet users: created during the history (see _maybe_joined_during_history)
# The third manager in creation order is deactivated (GET /v2/coaching refuses such a manager): the 5% draw below
# leaves companies of under 100 users (seed 42) without one. Set after the draw, so every other value stays.
DEACTIVATED_MANAGER = 3


def make_users(
    seed: int,
    count: int,
    timezone: str,
    history_start: dt.date,
    write_time: Callable[[dt.datetime], str] = dt.datetime.isoformat,
) -> list[dict]:
    """`count` users in creation order; `write_time` writes `created` (with the company's offset by default)."""
    # One generator in creation order, so the first N users are the same whatever --users says.
    rng = random.Random(f"{seed}:users")
    company = rng.choice(COMPANIES)
    taken_ids: set[str] = set()
    taken_emails: set[str] = set()
    managers: list[str] = []
    users = []
    for index in range(count):
        user_id = _unique_id(rng, taken_ids)
        role = "manager" if index == 0 or rng.random() < 0.12 else rng.choice(("rep", "rep", "rep", "other"))
        manager_id = rng.choice(managers) if managers else None
        if role == "manager":
            managers.append(user_id)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        user = _user_record(
            rng,
            user_id,
            first,
            last,
            _unique_email(first, last, company, taken_emails),
            rng.choice(TITLES[role]),
            manager_id,
            company,
            timezone,
            history_start,
            write_time,
        )
        if role == "manager" and len(managers) == DEACTIVATED_MANAGER:
            user["active"] = False
        user["_profile"] = None if rng.random() < QUIET_USER_SHARE else role
        _maybe_joined_during_history(user, seed, timezone, history_start, write_time)
        users.append(user)
    return users


def _maybe_joined_during_history(
    user: dict, seed: int, timezone: str, history_start: dt.date, write_time: Callable[[dt.datetime], str]
) -> None:
    """Half of the quiet users joined during the history, within its first year: their `created` is then. Only
    quiet users, who never have activity, so that no user has activity before their account existed. A generator of
    its own, so that every other user's data stays as it was."""
    lifecycle = random.Random(f"{seed}:joined:{user['id']}")
    if user["_profile"] is not None or lifecycle.random() >= NEW_QUIET_USER_SHARE:
        return
    joined = dt.datetime.combine(history_start, dt.time(9), zoneinfo.ZoneInfo(timezone)) + dt.timedelta(
        days=lifecycle.randrange(0, 365), minutes=lifecycle.randrange(0, 600)
    )
    user["created"] = write_time(joined)


def _unique_id(rng: random.Random, taken: set[str]) -> str:
    while True:
        digits = rng.choice((17, 18, 19))
        user_id = str(rng.randrange(10 ** (digits - 1), 10**digits))
        if user_id not in taken:
            taken.add(user_id)
            return user_id


def _unique_email(first: str, last: str, company: str, taken: set[str]) -> str:
    local, suffix = f"{first}.{last}".lower(), 1
    while True:
        email = f"{local}{suffix if suffix > 1 else ''}@{company}.example"
        if email not in taken:
            taken.add(email)
            return email
        suffix += 1


def _user_record(
    rng: random.Random,
    user_id: str,
    first: str,
    last: str,
    email: str,
    title: str,
    manager_id: str | None,
    company: str,
    timezone: str,
    history_start: dt.date,
    write_time: Callable[[dt.datetime], str],
) -> dict:
    aliases = [f"{first[0]}{last}@{company}.example".lower(), f"{first}.{last}@{company}-sales.example".lower()]
    created = dt.datetime.combine(history_start, dt.time(9), zoneinfo.ZoneInfo(timezone)) - dt.timedelta(
        days=rng.randrange(1, 1500), minutes=rng.randrange(0, 600)
    )
    return {
        "id": user_id,
        "emailAddress": email,
        "created": write_time(created),
        "active": rng.random() > 0.05,
        "emailAliases": aliases[: rng.choice((0, 0, 1, 2))],
        "trustedEmailAddress": None,
        "firstName": first,
        "lastName": last,
        "title": title,
        "phoneNumber": f"+1 415-555-{rng.randrange(100, 10000):04d}",
        "extension": str(rng.randrange(100, 1000)) if rng.random() < 0.3 else None,
        "personalMeetingUrls": [],
        "settings": {
            "webConferencesRecorded": True,
            "preventWebConferenceRecording": False,
            "telephonyCallsImported": rng.random() < 0.5,
            "emailsImported": True,
            "preventEmailImport": False,
            "nonRecordedMeetingsImported": True,
            "gongConnectEnabled": True,
        },
        "managerId": manager_id,
        "meetingConsentPageUrl": None,
        "spokenLanguages": [{"language": "en-US", "primary": True}],
    }
