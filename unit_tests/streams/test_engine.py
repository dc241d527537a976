"""`streams.engine`: what every stats stream shares; here the window length each stream declares or takes."""

from __future__ import annotations

from source_gong_activity import SourceGongActivity
from unit_tests.builders import a_config


def test_periods_per_window_sets_activity_s_windows_only_the_others_keep_their_own() -> None:
    # As the spec, README and docs say: activity_calls keeps 14 days (its pages of call ids are large), interaction
    # stats one period (Gong answers for a whole window), answered_scorecards 92 review days.
    streams = SourceGongActivity().streams(a_config(periods_per_window=5))
    windows = {stream.name: stream.periods_per_window for stream in streams if hasattr(stream, "periods_per_window")}
    assert windows == {
        "activity": 5,
        "activity_calls": 14,
        "interaction_stats": 1,
        "answered_scorecards": 92,
        "coaching": 1,
    }
