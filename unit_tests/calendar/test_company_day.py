"""The company's current day: what saved state, Gong's answers, probes and refusals make of it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from source_gong_activity.calendar.company_day import CompanyDay, possible_company_days

D = dt.date.fromisoformat
# 11:00 UTC: "today" is 2026-11-21 in UTC-12, 2026-11-22 in UTC, 2026-11-23 in UTC+14.
NOW = dt.datetime(2026, 11, 22, 11, 0, tzinfo=dt.UTC)


class RecordedProbe:
    """Answers each asked window [from, to) from a table keyed by its `to` day, or by "from/to"; remembers what was
    asked, by `to` day for the one-day windows that probe the company's day."""

    def __init__(self, answers: dict[str, tuple[int, dict[str, Any] | None]]):
        self.answers, self.asked = answers, []

    def __call__(self, from_date: dt.date, to_date: dt.date) -> tuple[int, dict[str, Any] | None]:
        if to_date - from_date == dt.timedelta(days=1):
            self.asked.append(str(to_date))
            return self.answers[str(to_date)]
        self.asked.append(f"{from_date}/{to_date}")
        return self.answers[f"{from_date}/{to_date}"]


def a_company_day(probe: Any = None) -> CompanyDay:
    return CompanyDay(probe or RecordedProbe({}), now=lambda: NOW)


def test_given_no_zone_then_the_earliest_and_latest_days_span_every_zone_on_earth() -> None:
    day = a_company_day()
    assert (day.earliest(), day.latest(), day.best_known()) == (D("2026-11-21"), D("2026-11-23"), D("2026-11-21"))


@pytest.mark.parametrize("zone, today", [("Asia/Tokyo", "2026-11-22"), ("Etc/GMT+12", "2026-11-21")])
def test_given_a_zone_learned_then_today_is_that_zone_s_day_without_any_probe(zone: str, today: str) -> None:
    probe = RecordedProbe({})
    day = a_company_day(probe)
    assert day.learn(zone)
    assert day.today() == D(today) and probe.asked == []


def test_given_an_unknown_zone_name_then_it_is_not_learned() -> None:
    day = a_company_day()
    assert not day.learn("Mars/Olympus_Mons") and day.time_zone is None


def test_given_no_zone_when_gong_refuses_the_latest_day_then_the_probe_settles_on_the_day_before() -> None:
    # 404 (a quiet day, no zone in the answer) for the 21st, 200 without a zone for the 22nd, 400 for the 23rd.
    probe = RecordedProbe({"2026-11-21": (404, None), "2026-11-22": (200, {}), "2026-11-23": (400, None)})
    day = a_company_day(probe)
    assert day.today() == D("2026-11-22")
    assert day.today() == D("2026-11-22") and probe.asked == ["2026-11-21", "2026-11-22", "2026-11-23"]


def test_given_no_zone_when_the_first_answer_names_the_zone_then_the_probe_stops_there() -> None:
    probe = RecordedProbe({"2026-11-21": (200, {"timeZone": "Asia/Tokyo"})})
    day = a_company_day(probe)
    day.today()
    assert probe.asked == ["2026-11-21"] and day.time_zone == "Asia/Tokyo"


def test_when_gong_refuses_a_to_date_then_the_day_before_it_is_today() -> None:
    day = a_company_day()
    day.refused(D("2026-11-23"))
    assert day.today() == D("2026-11-22") and day.best_known() == D("2026-11-22")


@pytest.mark.parametrize(
    "from_date, to_date, expected",
    [
        ("2026-11-01", "2026-11-10", "2026-11-10"),  # wholly in the past: untouched, no probe
        ("2026-11-01", "2026-11-30", "2026-11-22"),  # clamped to today
        ("2026-11-22", "2026-11-30", None),  # wholly in the company's future
    ],
)
def test_clamp_keeps_a_window_within_the_company_s_day(from_date: str, to_date: str, expected: str | None) -> None:
    day = a_company_day()
    day.refused(D("2026-11-23"))
    assert day.clamp(D(from_date), D(to_date)) == (D(expected) if expected else None)


def test_given_no_zone_when_asked_twice_then_gong_is_asked_once_and_the_zone_is_learned() -> None:
    probe = RecordedProbe({"2026-11-02/2026-11-09": (200, {"timeZone": "Asia/Tokyo"})})
    day = a_company_day(probe)
    day.find_time_zone("2026-11-02", "2026-11-09")
    day.find_time_zone("2026-11-09", "2026-11-16")
    assert (probe.asked, day.time_zone) == (["2026-11-02/2026-11-09"], "Asia/Tokyo")


def test_given_a_known_zone_when_asked_then_gong_is_not_asked() -> None:
    probe = RecordedProbe({})
    day = a_company_day(probe)
    day.learn("US/Pacific")
    day.find_time_zone("2026-11-02", "2026-11-09")
    assert probe.asked == []


@pytest.mark.parametrize("answer", [(404, None), (200, {}), (200, {"timeZone": "Mars/Olympus"})])
def test_given_gong_does_not_name_a_zone_then_it_is_asked_once_per_sync_and_stays_unknown(answer: Any) -> None:
    probe = RecordedProbe({"2026-11-02/2026-11-09": answer})
    day = a_company_day(probe)
    day.find_time_zone("2026-11-02", "2026-11-09")
    day.find_time_zone("2026-11-02", "2026-11-09")
    assert (probe.asked, day.time_zone) == (["2026-11-02/2026-11-09"], None)


@pytest.mark.parametrize(
    "now, expected",
    [
        ("2026-11-22T00:30:00", ["2026-11-21", "2026-11-22"]),
        ("2026-11-22T11:00:00", ["2026-11-21", "2026-11-22", "2026-11-23"]),
        ("2026-11-22T23:30:00", ["2026-11-22", "2026-11-23"]),
    ],
)
def test_possible_company_days_span_utc_minus_12_to_plus_14(now: str, expected: list) -> None:
    moment = dt.datetime.fromisoformat(now).replace(tzinfo=dt.UTC)
    assert list(possible_company_days(moment)) == [D(day) for day in expected]


def _raising(failure_type: Any) -> Any:
    from airbyte_cdk.utils.traced_exception import AirbyteTracedException

    def probe(from_date: dt.date, to_date: dt.date) -> Any:
        raise AirbyteTracedException(message="Gong said no", failure_type=failure_type)

    return probe


def test_given_gong_refuses_the_zone_call_then_the_zone_stays_unknown_and_says_why() -> None:
    from airbyte_cdk.models import FailureType

    day = a_company_day(_raising(FailureType.config_error))
    day.find_time_zone("2026-11-02", "2026-11-09")
    assert day.time_zone is None and "Gong said no" in day.unknown_because


def test_given_the_zone_call_fails_then_the_failure_stops_the_sync_instead_of_leaving_the_zone_unknown() -> None:
    from airbyte_cdk.models import FailureType
    from airbyte_cdk.utils.traced_exception import AirbyteTracedException

    day = a_company_day(_raising(FailureType.transient_error))
    with pytest.raises(AirbyteTracedException, match="Gong said no"):
        day.find_time_zone("2026-11-02", "2026-11-09")
