"""`records.users`: the `users` stream's record holds who a user is, and no personal contact data."""

from __future__ import annotations

import pytest

from source_gong_activity.records.users import to_unified_user, to_users_record

GONG_USER = {
    "id": "234599484848423",
    "emailAddress": "jon.snow@acme.example",
    "emailAliases": ["jon@acme.example"],
    "trustedEmailAddress": "jon.snow@acme.example",
    "firstName": "Jon",
    "lastName": "Snow",
    "title": "Enterprise Account Executive",
    "phoneNumber": "+1 123-567-8989",
    "extension": "123",
    "personalMeetingUrls": ["https://zoom.us/j/123"],
    "settings": {"webConferencesRecorded": True, "gongConnectEnabled": True},
    "managerId": "563515258458745",
    "meetingConsentPageUrl": "https://join.gong.io/acme/jon.snow?tkn=MoNpS9tMNt8BK7EZxQpSJl",
    "spokenLanguages": [{"language": "es-ES", "primary": True}],
    "active": True,
    "created": "2018-02-17T02:30:00-08:00",
}


def test_a_users_record_holds_who_and_where_and_no_personal_contact_data() -> None:
    assert to_users_record(GONG_USER) == {
        "id": "234599484848423",
        "name": "Jon Snow",
        "first_name": "Jon",
        "last_name": "Snow",
        "emails": [
            {"email": "jon.snow@acme.example", "is_primary": True},
            {"email": "jon@acme.example", "is_primary": False},
        ],
        "title": "Enterprise Account Executive",
        "manager_id": "563515258458745",
        "active": True,
        "created": "2018-02-17T02:30:00-08:00",
        "spoken_languages": [{"language": "es-ES", "primary": True}],
    }


def test_a_users_record_of_a_user_gong_says_little_about_is_nulls() -> None:
    assert to_users_record({"id": "7"}) == {
        "id": "7",
        "name": None,
        "first_name": None,
        "last_name": None,
        "emails": [],
        "title": None,
        "manager_id": None,
        "active": None,
        "created": None,
        "spoken_languages": None,
    }


@pytest.mark.parametrize(
    "directory_entry, expected",
    [
        (None, {"id": "42", "name": None, "emails": [{"email": "stats@acme.example", "is_primary": True}]}),
        (
            {
                "emailAddress": "ann.lee@acme.example",
                "emailAliases": ["ann@acme.example", "ann.lee@acme.example"],
                "firstName": "Ann",
                "lastName": "Lee",
            },
            {
                "id": "42",
                "name": "Ann Lee",
                "emails": [
                    {"email": "ann.lee@acme.example", "is_primary": True},
                    {"email": "ann@acme.example", "is_primary": False},
                ],
            },
        ),
        (
            {"emailAddress": None, "firstName": "Ann", "lastName": None},
            {"id": "42", "name": "Ann", "emails": [{"email": "stats@acme.example", "is_primary": True}]},
        ),
    ],
)
def test_user_from_directory_or_stats_email(directory_entry, expected) -> None:
    assert to_unified_user("42", "stats@acme.example", directory_entry) == expected
