"""The company's workspaces behind GET /v2/workspaces, and the one workspace each hosted call is recorded in."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

# Name, description and the share of users whose calls are mostly recorded there (a user's "home" workspace).
_CATALOGUE = (
    ("North America Sales", "Account executives and SDRs selling in the US and Canada", 0.5),
    ("EMEA Sales", "The sales teams of Europe, the Middle East and Africa", 0.3),
    ("Customer Success", "Onboarding, renewals and expansion calls with existing customers", 0.2),
)
# A call is recorded in its host's home workspace this often, otherwise in one of the others (a rep helping out).
HOME_SHARE = 0.8


@dataclasses.dataclass(frozen=True)
class Workspace:
    id: str
    name: str
    description: str

    def served(self) -> dict[str, str]:
        """The WorkspaceMetadata item GET /v2/workspaces answers with."""
        return {"id": self.id, "name": self.name, "description": self.description}


def company_workspaces(seed: int) -> tuple[Workspace, ...]:
    """The company's workspaces in served order; their ids are 15 digits, as in Gong's example 623457276584334."""
    return tuple(
        Workspace(str(10**14 + _hash(f"{seed}:workspace:{name}") % (9 * 10**14)), name, description)
        for name, description, _ in _CATALOGUE
    )


def home_workspace(seed: int, user_id: str) -> int:
    """The index of the workspace most of a user's hosted calls are recorded in."""
    draw, limit = _unit(f"{seed}:home-workspace:{user_id}"), 0.0
    for index, (_, _, share) in enumerate(_CATALOGUE):
        limit += share
        if draw < limit:
            return index
    return len(_CATALOGUE) - 1


def call_workspace(seed: int, user_id: str, day: dt.date, index: int) -> int:
    """The index of the workspace the `index`-th call `user_id` hosted on `day` was recorded in.

    Keyed by host, day and position, not by the id's text, so the answer is the same whether call ids are served as
    strings or as numbers (--numeric-call-ids), and a call keeps its workspace when a day's list grows at its end.
    """
    home = home_workspace(seed, user_id)
    draw = _unit(f"{seed}:call-workspace:{user_id}:{day.isoformat()}:{index}")
    if draw < HOME_SHARE:
        return home
    others = len(_CATALOGUE) - 1
    return (home + 1 + int((draw - HOME_SHARE) / (1 - HOME_SHARE) * others)) % len(_CATALOGUE)


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def _unit(text: str) -> float:
    """A uniform draw in [0, 1) fixed by `text`."""
    return _hash(text) / 2**64
