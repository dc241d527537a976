"""`calendar.days`: a company's calendar day of one of Gong's instants, in the offset or the UTC form."""

from __future__ import annotations

import datetime as dt

import pytest

from source_gong_activity.calendar.days import ZoneUnknown, company_date, company_midnight


@pytest.mark.parametrize(
    "instant, zone, day",
    [
        # Gong's offset form: the written day is the company's.
        ("2026-11-30T00:00:00+09:00", "Asia/Tokyo", "2026-11-30"),
        ("2024-03-11T00:00:00-07:00", "US/Pacific", "2024-03-11"),
        # The same instants in UTC with Z: Tokyo's Monday midnight is Sunday 15:00 UTC.
        ("2026-11-29T15:00:00Z", "Asia/Tokyo", "2026-11-30"),
        ("2026-11-29T15:00:00.000000Z", "Asia/Tokyo", "2026-11-30"),
        ("2024-03-11T07:00:00.5Z", "US/Pacific", "2024-03-11"),  # just after DST began: UTC-7
        ("2024-03-10T08:00:00.233692Z", "US/Pacific", "2024-03-10"),  # the day DST began: still UTC-8 at midnight
        ("2024-11-03T07:00:00Z", "US/Pacific", "2024-11-03"),  # the day DST ended: UTC-7 at midnight
        ("2026-01-01T10:00:00Z", "Pacific/Kiritimati", "2026-01-02"),  # UTC+14
        # No zone known, or a date-time that does not parse (Gong's own example has an hour of "000"): the written day.
        ("2026-11-30T00:00:00+09:00", None, "2026-11-30"),
        ("2019-01-21T000:00:00-08:00", "US/Pacific", "2019-01-21"),
        ("2019-01-21T00:00:00", "US/Pacific", "2019-01-21"),
    ],
)
def test_company_date_is_the_company_s_calendar_day_of_the_instant(instant: str, zone: str | None, day: str) -> None:
    assert company_date(instant, zone) == day


@pytest.mark.parametrize("instant", ["2026-11-29T15:00:00Z", "2026-11-29T15:00:00.000z"])
def test_without_the_zone_a_time_in_utc_cannot_be_put_on_a_day(instant: str) -> None:
    with pytest.raises(ZoneUnknown, match="in UTC"):
        company_date(instant, None)


def test_without_the_zone_no_company_midnight_is_guessed() -> None:
    assert company_midnight(dt.date(2024, 3, 4), "US/Pacific") == "2024-03-04T00:00:00-08:00"
    with pytest.raises(ZoneUnknown, match="2024-03-04"):
        company_midnight(dt.date(2024, 3, 4), None)
