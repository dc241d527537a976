"""The spec's `advanced_auth`, as the platform's OAuth flow reads it: loaded with the CDK's protocol models, and
every path it writes to present in the connection specification."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from airbyte_cdk.models import AuthFlowType, ConnectorSpecificationSerializer

from source_gong_activity.source import SourceGongActivity

from .test_packaging import SPEC

RAW_SPEC = json.loads(SPEC.read_text())
OAUTH = RAW_SPEC["advanced_auth"]["oauth_config_specification"]
# Written out from the issue, not read from the spec: what the platform must hand to the connector, and where.
EXPECTED_OUTPUT_PATHS = {
    "complete_oauth_output_specification": {
        "access_token": ["credentials", "access_token"],
        "refresh_token": ["credentials", "refresh_token"],
        "token_expiry_date": ["credentials", "token_expiry_date"],
    },
    "complete_oauth_server_output_specification": {
        "client_id": ["credentials", "client_id"],
        "client_secret": ["credentials", "client_secret"],
    },
}


def oauth_branch(connection_specification: dict[str, Any], predicate_key: list[str], value: str) -> dict[str, Any]:
    """The `oneOf` branch of the credentials object whose `auth_type` const is the predicate's value."""
    parent, field = predicate_key[:-1], predicate_key[-1]
    schema = connection_specification
    for name in parent:
        schema = schema["properties"][name]
    [branch] = [b for b in schema["oneOf"] if b["properties"].get(field, {}).get("const") == value]
    return branch


def field_schema(connection_specification: dict[str, Any], path: list[str]) -> dict[str, Any]:
    """The schema of the config field at `path`, looking into the OAuth branch of `credentials`."""
    schema = connection_specification["properties"][path[0]]
    for name in path[1:]:
        if "oneOf" in schema:
            schema = oauth_branch(connection_specification, ["credentials", "auth_type"], "oauth2.0")
        schema = schema["properties"][name]
    return schema


def test_given_spec_json_when_loaded_with_the_cdk_models_then_advanced_auth_is_an_oauth2_flow_on_the_oauth_branch() -> (
    None
):
    spec = ConnectorSpecificationSerializer.load(RAW_SPEC)

    advanced_auth = spec.advanced_auth
    assert advanced_auth is not None, "the CDK's models read `advanced_auth`; a camelCase key is dropped silently"
    assert advanced_auth.auth_flow_type == AuthFlowType.oauth2_0
    assert advanced_auth.predicate_key == ["credentials", "auth_type"]
    assert advanced_auth.predicate_value == "oauth2.0"
    branch = oauth_branch(spec.connectionSpecification, advanced_auth.predicate_key, advanced_auth.predicate_value)
    assert branch["title"] == "OAuth 2.0"


def test_given_the_source_when_spec_then_its_answer_carries_the_same_advanced_auth() -> None:
    spec = SourceGongActivity().spec(logging.getLogger("airbyte"))

    assert spec.advanced_auth == ConnectorSpecificationSerializer.load(RAW_SPEC).advanced_auth


@pytest.mark.parametrize(
    "part, name, path",
    [(part, name, path) for part, fields in EXPECTED_OUTPUT_PATHS.items() for name, path in fields.items()],
)
def test_given_an_oauth_output_when_its_path_is_followed_then_the_connection_specification_has_that_field(
    part: str, name: str, path: list[str]
) -> None:
    declared = OAUTH[part]["properties"][name]

    assert declared["path_in_connector_config"] == path
    target = field_schema(RAW_SPEC["connectionSpecification"], path)
    assert target["type"] == declared["type"] == "string"
    if name != "token_expiry_date":
        assert target.get("airbyte_secret") is True, f"{name} must stay a secret in the platform's store"


def test_given_the_oauth_outputs_when_listed_then_no_undeclared_field_is_written() -> None:
    written = {part: set(OAUTH[part]["properties"]) for part in EXPECTED_OUTPUT_PATHS}

    assert written == {part: set(fields) for part, fields in EXPECTED_OUTPUT_PATHS.items()}
    assert all(OAUTH[part]["additionalProperties"] is False for part in OAUTH)


def test_given_the_server_input_when_compared_with_its_output_then_the_client_credentials_go_in_and_come_out() -> None:
    server_input = OAUTH["complete_oauth_server_input_specification"]["properties"]

    assert set(server_input) == {"client_id", "client_secret"}
    assert all(field == {"type": "string"} for field in server_input.values())
