"""How the emulator writes what Gong's contract leaves open: call ids, date-times and zero counters, one flag each."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Sequence

from .activity import COUNTERS
from .periods import midnight_iso, midnight_utc, utc_iso

# The 15 counters of one item as JSON members, spliced rather than json.dumps'ed: a DAY page is ~36,500 items.
_MEMBERS_TEMPLATE = ",".join(f'"{name}":%d' for name in COUNTERS)


@dataclasses.dataclass(frozen=True)
class AnswerStyle:
    """The shapes Gong's contract allows beyond the happy path, each off by default.

    - `numeric_call_ids`: day-by-day call ids as JSON numbers (Gong's own examples), some above 2**64.
    - `utc_times`: date-times in UTC with `Z` and fractional seconds instead of the company's offset.
    - `omit_zeros`: zero counters and empty call-id lists left out of items (no response field is required).
    - `string_scorecard_ids`: the ids of answered scorecards and scorecard settings as decimal strings, as Gong's
      2023 publication typed them, instead of the JSON numbers of its 2024 one (typed int64, the default here; the
      digits are Gong's own examples', so a question id has 20, above 2**64, and a call id is day-by-day's).
    """

    numeric_call_ids: bool = False
    utc_times: bool = False
    omit_zeros: bool = False
    string_scorecard_ids: bool = False

    def midnight(self, day: dt.date, timezone: str) -> str:
        """Midnight of `day` in the company's zone, as the answers write it."""
        return midnight_utc(day, timezone) if self.utc_times else midnight_iso(day, timezone)

    def moment(self, moment: dt.datetime) -> str:
        """Any other instant (a user's `created`), as the answers write it."""
        return utc_iso(moment) if self.utc_times else moment.isoformat()

    def id_in_scorecards(self, value: int | str) -> int | str:
        """An id of the scorecards endpoints (scorecard, question, revision, call, user, workspace) as they write it."""
        return str(value) if self.string_scorecard_ids else int(value)

    def counter_members(self, counts: Sequence[int]) -> str:
        """The JSON members of one item's 15 counters (COUNTERS order), without braces; "" when all are left out."""
        return _nonzero_members(tuple(counts)) if self.omit_zeros else _MEMBERS_TEMPLATE % tuple(counts)

    def counters(self, counts: Sequence[int]) -> dict[str, int]:
        """The counters as the answers carry them, as a dict (the ground truth's form)."""
        return {name: count for name, count in zip(COUNTERS, counts, strict=True) if count or not self.omit_zeros}

    def call_lists(self, lists: Sequence[list]) -> dict[str, list]:
        """A day's call-id lists by counter name, as the answers carry them."""
        return {name: calls for name, calls in zip(COUNTERS, lists, strict=True) if calls or not self.omit_zeros}


@functools.lru_cache(maxsize=1 << 16)
def _nonzero_members(counts: tuple[int, ...]) -> str:
    # Small counts repeat across users and days, so the cache keeps the omit-zeros path about as fast as the template.
    return ",".join(f'"{name}":{count}' for name, count in zip(COUNTERS, counts, strict=True) if count)
