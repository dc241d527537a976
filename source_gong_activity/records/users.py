"""Who a record is about: the unified `user` of every stats record, the `users` stream's record, and the walk over a
stats page's users that every stats endpoint shares."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .values import listed, required_text


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


def to_users_record(entry: Mapping[str, Any]) -> dict[str, Any]:
    """A record of the `users` stream: who a user is and where they sit (title, manager), from Gong's users list.

    Phone numbers, extensions, meeting links and personal settings stay out: an analysis needs none of them, and
    they are personal data.
    """
    user_id = str(entry.get("id"))
    unified = to_unified_user(user_id, None, entry)
    languages = entry.get("spokenLanguages")
    return {
        "id": user_id,
        "name": unified["name"],
        "first_name": entry.get("firstName"),
        "last_name": entry.get("lastName"),
        "emails": unified["emails"],
        "title": entry.get("title"),
        "manager_id": entry.get("managerId"),
        "active": entry.get("active"),
        "created": entry.get("created"),
        "spoken_languages": [
            {"language": language.get("language"), "primary": language.get("primary")}
            for language in languages
            if isinstance(language, Mapping)
        ]
        if isinstance(languages, list)
        else None,
    }


def users_of_page(
    response: Any, key: str, directory: Mapping[str, Mapping[str, Any]]
) -> Iterator[tuple[Mapping[str, Any], str, str, str | None, dict[str, Any]]]:
    """Each user entry of a stats page's list `key`: (the entry, where it stands for messages, its user id, its stats
    email, its unified `user`). Every stats endpoint pages over users this way."""
    for index, entry in enumerate(listed(response, key, "the response")):
        where = f"{key}[{index}]"
        user_id = required_text(entry, "userId", where)
        email = entry.get("userEmailAddress")
        yield entry, where, user_id, email, to_unified_user(user_id, email, directory.get(user_id))
