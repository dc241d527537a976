"""`config.typos`: the fields the typo check knows are exactly the spec's."""

from __future__ import annotations

import json
from pathlib import Path

from source_gong_activity.config.typos import KNOWN_CREDENTIAL_FIELDS, KNOWN_FIELDS


def test_the_fields_known_to_the_typo_check_are_exactly_the_spec_s() -> None:
    spec = json.loads((Path(__file__).parents[2] / "source_gong_activity" / "spec.json").read_text())[
        "connectionSpecification"
    ]
    credentials = {key for option in spec["properties"]["credentials"]["oneOf"] for key in option["properties"]}
    assert set(KNOWN_FIELDS) == set(spec["properties"])
    assert set(KNOWN_CREDENTIAL_FIELDS) == credentials
